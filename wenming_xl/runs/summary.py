"""A report as people read it on a terminal, and as the JSON ``--json`` writes.

:func:`render_summary` is the short Chinese table ``wenming check`` prints (total,
categories, statuses, departments, the first problems); :func:`json_text` is
`Report.to_dict()` as indented JSON, fast on a 20,000-row ledger's report.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

from wenming_xl.findings import label as code_label
from wenming_xl.model import STATUS_LABELS, Report, num
from wenming_xl.text import one_line, readable


def _fmt(value: Any) -> str:
    v = num(value)
    return "—" if v is None else f"{float(v):g}"


def _width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    """Pad (or cut) ``text`` to ``width`` terminal columns."""
    while _width(text) > width:
        text = text[:-1]
    fill = " " * (width - _width(text))
    return fill + text if right else text + fill


def period_line(report: Report) -> str:
    """「考核期：2022年（按任务表标题中的年度）」, or that none is set and what that means."""
    from wenming_xl.evidence.period import SOURCES

    if not report.period:
        return (
            "考核期：未设置（照片不按年度核对，往年的照片也会计入）；"
            '请用 --period 2022 或在 wenming.toml 的 [unit] 中写 period = "2022"'
        )
    how = SOURCES.get(report.period_source, "")
    return f"考核期：{report.period}" + (f"（{how}；可用 --period 另行指定）" if how else "")


def render_summary(report: Report) -> str:
    """A short Chinese summary table of a report for the terminal."""
    lines = [report.rubric.title or Path(report.rubric.path).name, period_line(report)]
    extra = []
    if report.bonus:
        extra.append(f"加分 {_fmt(report.bonus)}")
    if report.deductions:
        extra.append(f"扣分 {_fmt(report.deductions)}")
    scored = bool(report.max_total) or any(r.item.points for r in report.items)
    doubtful = sum(
        1
        for f in report.table_notes()
        if f.code in POINT_NOTES and "分值" in str(f.params.get("what", "分值"))
    )
    if doubtful:
        extra.append(
            f"任务表有{doubtful}处分值没有读出，满分和总分不完整，见下方「任务表本身」的提醒"
        )
    if scored:
        total = f"总分 {_fmt(report.total)} / {_fmt(report.max_total)}"
        lines.append(total + (f"（{'，'.join(extra)}）" if extra else ""))
        lines += ["", _pad("类别", 44) + "得分 / 满分"]
    else:
        lines.append("此任务表没有分值列，只统计各条目的完成状态。")
        if doubtful:
            lines.append(f"注意：{extra[-1]}。")
    for c in report.categories if scored else []:
        if c.kind == "deduction":
            shown = f"扣 {_fmt(-c.score)}"
        else:
            top = c.cap if c.cap is not None else c.points_sum
            shown = f"{_fmt(c.score)} / {_fmt(top)}"
        lines.append("  " + _pad(c.name, 42) + shown)
    counts: dict[str, int] = {}
    for r in report.items:
        counts[r.status] = counts.get(r.status, 0) + 1
    lines += ["", "条目状态：" + "，".join(f"{STATUS_LABELS[s]} {n}" for s, n in counts.items())]
    corrected = [r.item for r in report.items if r.item.correction.strip()]
    for it in corrected[:10]:
        lines.append(
            f"  第{it.no}项按「规则修正」计分：{one_line(it.correction)}（原文：{one_line(it.requirement_text)}）"
        )
    if len(corrected) > 10:
        lines.append(f"  另有 {len(corrected) - 10} 项按「规则修正」计分，见评分表「问题清单」。")
    lines.append("")
    bonus = scored and any(d.bonus for d in report.departments)
    lines.append(
        _pad("部门", 16)
        + _pad("条目", 6, True)
        + _pad("达标", 6, True)
        + (_pad("得分 / 满分", 16, True) + _pad("待补分", 10, True) if scored else "")
        + (_pad("加分", 8, True) if bonus else "")
    )
    for d in sorted(report.departments, key=lambda d: (-float(d.at_stake), d.name)):
        lines.append(
            "  "
            + _pad(d.name, 14)
            + _pad(str(d.base), 6, True)
            + _pad(str(d.met), 6, True)
            + (
                _pad(f"{_fmt(d.score)} / {_fmt(d.max)}", 16, True)
                + _pad(_fmt(d.at_stake), 10, True)
                if scored
                else ""
            )
            + (_pad(_fmt(d.bonus) if d.bonus else "", 8, True) if bonus else "")
        )
    lines += table_note_lines(report)
    # Problems of a whole file or table first: they explain every line below them.
    errors = [f for f in report.findings if f.severity == "error"]
    errors += [f for r in report.items for f in r.findings if f.severity == "error"]
    if errors:
        lines += [
            "",
            f"问题 {len(errors)} 条"
            + ("（前 10 条，全部见评分表「问题清单」）：" if len(errors) > 10 else "："),
        ]
        lines += [f"  【{code_label(f.code)}】{f.message}" for f in errors[:10]]
    return readable("\n".join(lines))


#: Table notes that mean some item's 分值 was not read (so the maximum and total lack it).
POINT_NOTES = frozenset(
    {"formula-no-value", "cell-unreadable", "cell-error", "points-merged", "points-blank",
     "points-unsplit", "column-missing"}
)  # fmt: skip

#: How many of the task table's notes the terminal shows (all are in 问题清单).
TABLE_NOTES_SHOWN = 8


def table_note_lines(report: Report) -> list[str]:
    """The task table's own warnings for the terminal: they bear on every figure above."""
    notes = report.table_notes()
    if not notes:
        return []
    more = "（全部见评分表「问题清单」）" if len(notes) > TABLE_NOTES_SHOWN else ""
    lines = ["", f"任务表本身有 {len(notes)} 条提醒，可能影响上面的分数{more}："]
    lines += [f"  【{code_label(f.code)}】{f.message}" for f in notes[:TABLE_NOTES_SHOWN]]
    return lines


def json_text(data: Any, depth: int = 4) -> str:
    """Report JSON indented by two spaces down to ``depth`` levels, each deeper value on one line.

    ``json.dumps(indent=…)`` runs in pure Python; below ``depth`` the C encoder writes each
    value (one finding, one piece of evidence) compactly, which keeps a 20,000-row ledger's
    report fast while people can still read it.
    """
    enc = json.JSONEncoder(ensure_ascii=False).encode
    parts: list[str] = []

    def walk(value: Any, level: int) -> None:
        if level >= depth or not isinstance(value, (dict, list)) or not value:
            parts.append(enc(value))
            return
        pad = "\n" + "  " * (level + 1)
        opening, closing = ("{", "}") if isinstance(value, dict) else ("[", "]")
        parts.append(opening)
        pairs = value.items() if isinstance(value, dict) else ((None, v) for v in value)
        for n, (key, sub) in enumerate(pairs):
            parts.append(("," if n else "") + pad)
            if key is not None:
                parts.append(enc(str(key)) + ": ")
            walk(sub, level + 1)
        parts.append("\n" + "  " * level + closing)

    walk(data, 0)
    return readable("".join(parts))
