"""The documents the office sends: the 印发通知 of the task table and the monthly 督查通报
(a notice written as a plain-text draft is :mod:`wenming_xl.outputs.notices.draft`'s).

Each builder returns a `Notice` (data only); ``write_*`` helpers lay it out with
:func:`wenming_xl.outputs.notices.notice.write_notice`. The unit's names (mark, 文号 prefix,
主送, 抄送, 印发) come from the unit profile (``wenming.toml`` ``[unit]``); blanks are
filled from the task table's title.
"""

from __future__ import annotations

import datetime as _dt
import re
from fractions import Fraction
from pathlib import Path
from typing import Any, Optional, Union

from wenming_xl.config import UnitProfile
from wenming_xl.errors import ConfigError
from wenming_xl.evidence.period import default_deadline
from wenming_xl.judge.confirm import waiting
from wenming_xl.model import (
    BONUS,
    DEDUCTION,
    MET,
    MISSING,
    NA,
    PARTIAL,
    REVIEW,
    STATUS_LABELS,
    Report,
    Rubric,
)
from wenming_xl.outputs.notices.notice import (
    Attachment,
    Column,
    Notice,
    TableSpec,
    format_date,
    parse_doc_number,
    validate_doc_number,
    write_notice,
)

_CN_ORD = "一二三四五六七八九十"


def unit_of(profile: Any, title: Optional[str]) -> UnitProfile:
    """The `UnitProfile` of a `Profile` or a `UnitProfile`, with blanks filled."""
    unit = getattr(profile, "unit", profile)
    if unit is None:
        unit = UnitProfile()
    return unit.with_defaults(title)


def _fmt(value: Any) -> str:
    """A score for text: 4, 4.5, 12.25 (no trailing .0)."""
    if value is None:
        return ""
    if isinstance(value, Fraction):
        value = float(value)
    value = round(float(value), 2)
    return str(int(value)) if value == int(value) else f"{value:g}"


def doc_number(unit: UnitProfile, number: Union[int, str, None], year: int) -> str:
    """The 发文字号: from a serial (with the profile's code) or a whole 文号; a blank to fill in."""
    if number is None or str(number).strip() == "":
        return f"{unit.code}〔{year}〕\u3000\u3000号" if unit.code else ""
    text = str(number).strip()
    if "〔" in text or "[" in text or "【" in text or not re.fullmatch(r"第?\s*\d+\s*号?", text):
        return parse_doc_number(text)
    if not unit.code:
        raise ConfigError(
            "要写发文字号，需要先在 wenming.toml 的 [unit] 中填写机关代字 code（如「绍市中医」）。",
            hint="用记事本打开 wenming.toml（没有时先运行 wenming init），在 [unit] 下找到 "
            "「# code = …」一行，删掉行首的 # 并填上本单位的机关代字；"
            "或用 --number 写完整文号，如「绍市中医〔2022〕23号」。",
        )
    return validate_doc_number(unit.code, year, text)


def _unit_notice(
    unit: UnitProfile,
    number: Union[int, str, None],
    date: _dt.date,
    *,
    number_year: Optional[int] = None,
    **fields: Any,
) -> Notice:
    """A notice issued by ``unit`` on ``date``: mark, 文号, 主送, signer, 抄送 and 印发 from the profile.

    The 文号's year is ``number_year`` (a bulletin: the year of the month it reports), else
    the year of ``date``.
    """
    return Notice(
        mark=unit.mark,
        number=doc_number(unit, number, number_year or date.year),
        main_to=unit.main_to,
        signer=unit.name,
        date=date,
        cc=list(unit.cc),
        printer=unit.printer,
        print_date=date,
        **fields,
    )


def _strip_unit(title: str, unit: str) -> str:
    return (
        title[len(unit) :] if unit and title.startswith(unit) and len(title) > len(unit) else title
    )


def _year_of(text: str, default: int) -> int:
    m = re.search(r"(?:19|20)\d{2}", text or "")
    return int(m.group(0)) if m else default


# --------------------------------------------------------------------------- 印发通知


def _category_label(index: int, name: str, cap: Optional[float]) -> str:
    label = (name or "").strip()
    if label and not re.match(r"^[一二三四五六七八九十]+[、.．]", label):
        label = f"{_CN_ORD[index] if index < 10 else index + 1}、{label}"
    if cap and not re.search(r"\d+(?:\.\d+)?\s*分", label):
        label += f"（{_fmt(cap)}分）"
    return label


def rubric_table(rubric: Rubric) -> TableSpec:
    """The task table as a Word table: 创建项目 (merged), 工作清单, 分值, 牵头部门, 分管领导, 材料要求."""
    items = list(rubric.items)
    has_points = any(i.points is not None for i in items)
    has_deps = any(i.departments for i in items)
    has_leaders = any(i.leaders for i in items)
    has_req = any(i.requirement_text.strip() for i in items)
    labels: dict[str, str] = {}
    for idx, cat in enumerate(rubric.categories):
        labels[cat.name] = _category_label(idx, cat.name, cat.cap)
    cols = [Column("创建项目", 1.3, "center", merge=True), Column("工作清单", 3.2, wide=True)]
    if has_points:
        cols.append(Column("分值", 0.6, "center"))
    if has_deps:
        cols.append(Column("牵头部门", 1.1, "center"))
    if has_leaders:
        cols.append(Column("分管领导", 0.9, "center"))
    if has_req:
        cols.append(Column("材料要求", 3.0, wide=True))
    rows = []
    for item in items:
        no = str(item.no)
        text = item.text.strip()
        if not re.match(rf"^{re.escape(no)}\s*[.．、]", text):
            text = f"{no}.{text}" if isinstance(item.no, int) or no.isdigit() else f"{no} {text}"
        row = [labels.get(item.category or "", item.category or ""), text]
        if has_points:
            row.append("" if item.points is None else f"{_fmt(item.points)}分")
        if has_deps:
            row.append("\n".join(item.departments))
        if has_leaders:
            row.append("\n".join(item.leaders))
        if has_req:
            row.append(item.requirement_text.strip())
        rows.append(row)
    return TableSpec(cols, rows)


def publish_notice(
    rubric: Rubric,
    profile: Any,
    *,
    number: Union[int, str, None] = None,
    date: Optional[_dt.date] = None,
) -> Notice:
    """The notice that publishes the task table (seed 001): 「…关于印发<表名>的通知」 + the table."""
    table_title = re.sub(r"\s+", "", rubric.title or "") or Path(rubric.path).stem
    unit = unit_of(profile, table_title)
    date = date or _dt.date.today()
    year = _year_of(table_title, date.year)
    short = _strip_unit(table_title, unit.name)
    counts = {"base": 0, "bonus": 0, "deduction": 0}
    for item in rubric.items:
        counts[item.kind] = counts.get(item.kind, 0) + 1
    summary = f"本年度任务共{len(rubric.items)}项"
    extra = []
    if counts["bonus"]:
        extra.append(f"加分项目{counts['bonus']}项")
    if counts["deduction"]:
        extra.append(f"扣分项目{counts['deduction']}项")
    if extra:
        summary += f"，其中基本任务{counts['base']}项、" + "、".join(extra)
    summary += "，请各牵头部门按材料要求及时上传佐证材料。"
    body = [
        f"为积极做好文明单位创建工作，顺利完成{year}年度文明单位创建工作任务，现将{short}印发给你们，"
        "请对照清单，结合实际，抓好落实，圆满完成年度创建工作任务。",
        summary,
    ]
    return _unit_notice(
        unit,
        number,
        date,
        title=f"{unit.name}关于印发{short}的通知",
        body=body,
        attachment_pages=[Attachment(title=table_title, table=rubric_table(rubric))],
        keep_words=[unit.name],
    )


def write_publish_notice(
    rubric: Rubric,
    profile: Any,
    out: Union[str, Path],
    *,
    number: Union[int, str, None] = None,
    date: Optional[_dt.date] = None,
    template: Union[str, Path, None] = None,
) -> Path:
    """Build and write the 印发通知 of ``rubric``; return the .docx path."""
    return write_notice(
        publish_notice(rubric, profile, number=number, date=date), out, template=template
    )


# --------------------------------------------------------------------------- 督查通报


def parse_month(month: Any) -> tuple[int, int]:
    """(year, month) from 「2022-05」, 「2022年5月」, a date, or a (year, month) pair."""
    if isinstance(month, (_dt.date, _dt.datetime)):
        return month.year, month.month
    if isinstance(month, tuple) and len(month) == 2:
        return int(month[0]), int(month[1])
    m = re.match(r"^\s*((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$", str(month or ""))
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ConfigError(f"月份「{month}」的格式不对。", hint="请写成 年-月，例如 2022-05。")
    return int(m.group(1)), int(m.group(2))


def _prev_score(previous: Optional[dict], name: Optional[str] = None) -> Optional[float]:
    if not previous:
        return None
    if name is None:
        value = previous.get("total")
    else:
        value = (previous.get("departments") or {}).get(name)
        if isinstance(value, dict):
            value = value.get("score")
    return None if value is None else float(value)


def _delta_text(now: float, before: Optional[float], *, short: bool = False) -> str:
    if before is None:
        return "—" if short else ""
    d = round(now - before, 2)
    if short:
        return "持平" if d == 0 else (f"+{_fmt(d)}" if d > 0 else f"−{_fmt(-d)}")
    if d == 0:
        return "，与上月持平"
    return f"，较上月{'提高' if d > 0 else '下降'}{_fmt(abs(d))}分"


#: Marks that open something (a quote, a bracket) or lead on: never left before the 「…」.
_DANGLING = "“‘《「『（([【〔，、；：,;: "
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _short(text: str, limit: int = 24) -> str:
    """``text`` cut to ``limit`` characters with 「…」, never right after an opening mark."""
    text = re.sub(r"\s+", "", text)
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip(_DANGLING) + "…"


def _numbered(msgs: list[str]) -> list[str]:
    """Several problems of one item as 「①…」「②…」 (「1.20 诚信建设/…」 read as a decimal)."""
    if len(msgs) < 2:
        return msgs
    return [f"{_CIRCLED[i] if i < len(_CIRCLED) else f'({i + 1})'}{m}" for i, m in enumerate(msgs)]


def _gaps(report: Report) -> list[tuple[str, list[tuple[str, str, str, str]], Any]]:
    """Per department: its gap rows (item no, item text, what is missing, points at stake)
    and the base points of its items that wait only for the office's own check.

    The same gaps its mail lists (:func:`wenming_xl.judge.gaps.department_gaps`): its
    unmet items, and others' items where its own ledger rows have problems; the office's
    own checks are not among its problems, only their points are said.
    """
    from wenming_xl.judge.gaps import department_gaps

    out = []
    for dep in report.departments:
        rows = []
        held: Any = 0
        for gap in department_gaps(report, dep.name):
            if gap.office_only and not gap.bonus:
                held += gap.at_stake
            res = gap.result
            if res is None:  # its ledger's problems that belong to no item
                msgs = _numbered([m.strip() for m in gap.messages])
                rows.append((gap.no_label, _short(gap.title), "\n".join(msgs), ""))
                continue
            if res.item.kind == DEDUCTION or gap.office_only:
                continue  # the office's own checks are not the department's problems
            msgs = _numbered(gap.lines or [STATUS_LABELS.get(res.status, res.status)])
            stake = (res.points_at_stake or res.at_stake_review) if gap.leads else 0
            rows.append(
                (
                    str(res.item.no),
                    _short(res.item.text),
                    "\n".join(msgs),
                    _fmt(stake) if stake else "",
                )
            )
        if rows:
            out.append((dep.name, rows, held))
    return out


def _waiting_text(scored: list[Any], review: int) -> str:
    """「，待人工确认2项」: the items a person must still confirm (as the terminal counts them).

    Items whose only gap is a confirmation are counted apart from 部分完成 (``review``);
    partial items whose counted files also need a look are said in brackets.
    """
    n = len(waiting(scored))
    if not n:
        return ""
    also = n - review
    return f"，待人工确认{n}项" + (f"（其中{also}项同时缺少材料）" if also > 0 and review else "")


#: How many item numbers a sentence of a notice names; more are counted (「第3、5、7等8项」).
LISTED = 3


def numbers_text(nos: list[str], most: int = LISTED) -> str:
    """「第3、5项」, or 「第3、5、7等8项」 for more than ``most`` + 1 numbers.

    LibreOffice takes 「3、5、7、18、19」 for one word: a justified line before a long
    list is spread letter by letter and the list is pushed whole to the next line. Short
    lists keep the spread small; the full list is in the notice's 附件 table.
    """
    if len(nos) <= most + 1:  # 「第3、4、7、9项」 reads better than 「第3、4、7等4项」
        return f"第{'、'.join(nos)}项"
    return f"第{'、'.join(nos[:most])}等{len(nos)}项"


def _involved(rows: list[tuple[str, str, str, str]], bonus: frozenset = frozenset()) -> str:
    """「，涉及第3、5项；另需改正第22项及台账本身的填写问题。」 for a department's gap rows.

    Items with points still to gain are what it has not done; the rest (a met item with a
    ledger note, another department's item its rows named, its ledger as a whole) are
    what it must correct, said apart so that no met item reads as 「未落实」.
    """
    owed = [no for no, _t, _m, stake in rows if stake and no not in bonus]
    extra = [no for no, _t, _m, stake in rows if stake and no in bonus]
    fix = [no for no, _t, _m, stake in rows if not stake and no != "台账"]
    ledger = any(no == "台账" for no, *_ in rows)
    text = f"，涉及{numbers_text(owed)}" if owed else ""
    if extra:  # a 加分项目 still to earn is no 「未落实」 of a fully met department
        text += f"，加分项目{numbers_text(extra)}尚未得分"
    if fix or ledger:
        what = numbers_text(fix) if fix else ""
        what += ("及" if fix else "") + "台账本身" if ledger else ""
        text += f"；另需改正{what}的填写问题" if owed else f"，需改正{what}的填写问题"
    return text + "。"


def bulletin_notice(
    report: Report,
    profile: Any,
    *,
    month: Any,
    previous: Optional[dict] = None,
    deadline: Optional[_dt.date] = None,
    number: Union[int, str, None] = None,
    date: Optional[_dt.date] = None,
) -> Notice:
    """The monthly 督查通报: overall score and completion, what went well, each department's gaps."""
    unit = unit_of(profile, report.rubric.title)
    year, mon = parse_month(month)
    date = date or _dt.date.today()
    if deadline is None:  # 默认下月15日, or two weeks after a late bulletin's own date
        deadline = default_deadline(f"{year}-{mon:02d}", issued=date)
    label = f"{year}年{mon}月"
    scored = [r for r in report.items if r.item.kind != DEDUCTION and r.status != NA]
    count = {s: sum(1 for r in scored if r.status == s) for s in (MET, PARTIAL, MISSING, REVIEW)}
    total, max_total = float(report.total), float(report.max_total)
    pct = f"{report.completion * 100:.1f}%" if max_total else "—"
    with_bonus = f"，含加分{_fmt(float(report.bonus))}分" if report.bonus else ""
    body: list[Any] = [
        f"为推动{year}年度文明单位创建工作任务落到实处，近期对各部门截至{label}底的创建任务完成情况和"
        "佐证材料上传情况进行了督查。现将有关情况通报如下：",
        "一、总体情况",
        f"{len(scored)}项创建任务中，已达标{count[MET]}项，部分完成{count[PARTIAL]}项，"
        f"缺少材料{count[MISSING]}项{_waiting_text(scored, count[REVIEW])}。按现有佐证材料测算，目前得分"
        f"{_fmt(total)}分（满分{_fmt(max_total)}分{with_bonus}），基本分完成率{pct}"
        f"{_delta_text(total, _prev_score(previous))}。"
        "各部门完成情况如下：",
    ]
    cols = [Column("部门", 1.4, "center"), Column("计分任务", 0.9, "center"), Column("已达标", 0.9, "center"),
            Column("得分", 0.8, "center"), Column("应得分", 0.9, "center"), Column("完成率", 1.0, "center")]  # fmt: skip
    if previous:
        cols.append(Column("较上月", 0.9, "center"))
    rows = []
    deps = sorted(report.departments, key=lambda d: (-d.completion, d.name))
    for d in deps:
        row = [
            d.name,
            str(d.base),
            str(d.met),
            _fmt(d.score),
            _fmt(d.max),
            f"{d.completion * 100:.0f}%" if d.max else "—",
        ]
        if previous:
            row.append(_delta_text(float(d.score), _prev_score(previous, d.name), short=True))
        rows.append(row)
    body.append(TableSpec(cols, rows, landscape=False))
    body.append("二、完成较好的方面")
    full = [d.name for d in deps if d.max and d.score >= d.max]
    met_items = [str(r.item.no) for r in scored if r.status == MET]
    good = []
    if full:
        good.append(f"{'、'.join(full)}牵头的创建任务佐证材料齐全，已全部达标。")
    if met_items:
        good.append(f"{numbers_text(met_items)}任务已达到材料要求。")
    if previous:
        ups = []
        for d in deps:
            before = _prev_score(previous, d.name)
            if before is not None and float(d.score) > before:
                ups.append((float(d.score) - before, d.name))
        if ups:
            ups.sort(reverse=True)
            good.append(f"与上月相比，{'、'.join(n for _, n in ups[:3])}得分提高较多。")
    body.append("".join(good) or "本月暂无全部达标的任务，请各部门加快推进。")
    body.append("三、存在的主要问题")
    gaps = _gaps(report)
    if gaps:
        by_dep = {d.name: d for d in report.departments}
        bonus = frozenset(str(r.item.no) for r in report.items if r.item.kind == BONUS)
        ordered = sorted(gaps, key=lambda g: -float(by_dep[g[0]].at_stake))
        for i, (name, items, held) in enumerate(ordered):
            d = by_dep[name]
            owed = d.at_stake - held
            stake = f"，尚有{_fmt(owed)}分未落实" if owed else ""
            if held:
                stake += f"{'（另有' if owed else '，'}{_fmt(held)}分材料已交、待办公室核对{'）' if owed else ''}"
            body.append(
                f"（{_CN_ORD[i] if i < 10 else i + 1}）{name}。牵头计分任务{d.base}项，"
                f"已达标{d.met}项{stake}"
                + (f"，加分项目得{_fmt(d.bonus)}分" if d.bonus else "")
                + _involved(items, bonus)
            )
        body.append("各部门存在的具体问题见附件。")
    else:
        body.append("本月督查未发现需要整改的问题。")
    body.append("四、整改要求")
    body.append(
        f"请各部门对照{'附件所列问题' if gaps else '任务分工表'}，于{format_date(deadline)}前补齐佐证材料、完成整改，"
        f"并及时更新佐证台账。{unit.printer}将持续跟踪督查，督查结果纳入年度文明单位创建考核。"
    )
    pages = []
    if gaps:
        table = TableSpec(
            [
                # Not merged: a department's rows carried over to the next page name it there too.
                Column("部门", 1.3, "center"),  # 「纪检监察室」 on one line
                Column("序号", 0.55, "center"),
                Column("任务", 2.2, wide=True),
                Column("存在问题（缺少的材料）", 4.1, wide=True),
                Column("待得分值", 0.8, "center"),
            ],  # fmt: skip
            [
                [name, no, text, msg, stake]
                for name, items, _held in gaps
                for no, text, msg, stake in items
            ],
            landscape=False,
        )
        pages.append(Attachment(title=f"{label}各部门创建任务存在问题清单", table=table))
    return _unit_notice(
        unit,
        number,
        date,
        number_year=year,
        title=f"{unit.name}关于{label}文明单位创建工作督查情况的通报",
        body=body,
        attachment_pages=pages,
        keep_words=[unit.name],
    )


def write_bulletin_notice(report: Report, profile: Any, out: Union[str, Path], *, month: Any,
                          template: Union[str, Path, None] = None, **kw: Any) -> Path:  # fmt: skip
    """Build and write the 督查通报; ``kw`` goes to :func:`bulletin_notice`."""
    return write_notice(bulletin_notice(report, profile, month=month, **kw), out, template=template)


# --------------------------------------------------------------------------- from a text draft
