"""The 人工确认 workbook: the items a person must confirm, and what the office confirmed.

``wenming check`` writes 「任务分工-人工确认.xlsx」 beside the task table: one row per item
that needs a person (a 红头 or 公章 to look at, a requirement the tool could not read, a
bonus level to choose), with what to confirm and the evidence it was shown. The office
writes 已确认 (or 不通过) in the 人工确认 column, with its name and the date; every later
run reads the file back (`read_confirmations`) and rewrites it (`write_confirmations`),
keeping every word the office wrote. A confirmation lasts while the item's evidence
stays the same; when it changes, the row goes back to 待确认 and the old confirmation is
kept in its 备注.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Optional, Union

from wenming_xl.errors import OutputError
from wenming_xl.files.writing import atomic_write
from wenming_xl.judge.confirm import (  # noqa: F401  (waiting: part of this module's API)
    NO,
    REVIEW_CODES,
    YES,
    Confirmation,
    confirm_name,
    fingerprint,
    needs_person,
    state_of,
    waiting,
)
from wenming_xl.model import IMAGE, REVIEW, ItemResult, Report
from wenming_xl.outputs.workbooks.cells import write_text
from wenming_xl.outputs.workbooks.sheetxml import fit_height

PathLike = Union[str, Path]

SHEET = "人工确认"
#: (header, width); the reader finds columns by these headers.
COLUMNS = [
    ("条目", 7),
    ("任务内容", 36),
    ("需要确认什么", 40),
    ("现有材料", 30),
    ("人工确认", 11),
    ("确认人", 10),
    ("确认日期", 12),
    ("备注", 24),
    ("程序状态", 26),
    ("材料指纹", 14),
]
_FIELDS = {"条目": "no", "人工确认": "state", "确认人": "who", "确认日期": "date", "备注": "note",
           "材料指纹": "fingerprint"}  # fmt: skip


def confirm_path(workbook: PathLike) -> Path:
    """Where the 人工确认 workbook of a task workbook lives: beside it."""
    return Path(workbook).resolve().parent / confirm_name(str(workbook))


def read_confirmations(path: PathLike) -> dict[str, Confirmation]:
    """The rows of a 人工确认 workbook by item number; {} when there is none yet.

    A workbook that cannot be read raises `OutputError` (nothing is overwritten then).
    """
    p = Path(path)
    if not p.exists():
        return {}
    try:
        from wenming_xl.files.native import open_calamine

        book = open_calamine(p)
        names = book.sheet_names
        rows = book.get_sheet_by_name(SHEET if SHEET in names else names[0]).to_python()
    except Exception as exc:  # calamine raises its own error types
        raise OutputError(
            f"人工确认表 {p.name} 无法读取（{exc}），本次没有使用其中的确认，也没有覆盖它。",
            path=str(p),
            hint="请在 Excel/WPS 中打开检查；如已损坏，可改名保存后重新运行，程序会生成新的人工确认表。",
        ) from exc
    head_at = next((i for i, r in enumerate(rows[:10]) if "人工确认" in map(_text, r)), None)
    if head_at is None:
        return {}
    cols = {_FIELDS[h]: c for c, h in enumerate(map(_text, rows[head_at])) if h in _FIELDS}
    if "no" not in cols or "state" not in cols:
        return {}
    out: dict[str, Confirmation] = {}
    for n, row in enumerate(rows[head_at + 1 :], start=head_at + 2):

        def get(field: str, row: list = row) -> str:
            c = cols.get(field)
            return _text(row[c]) if c is not None and c < len(row) else ""

        no = get("no")
        if not no:
            continue
        text = get("state")
        out[no] = Confirmation(no, state_of(text), text, get("who"), get("date"), get("note"),
                               get("fingerprint"), n)  # fmt: skip
    return out


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value).strip()


def write_confirmations(
    report: Report,
    path: PathLike,
    previous: Optional[dict[str, Confirmation]] = None,
    *,
    today: Optional[_dt.date] = None,
) -> Optional[Path]:
    """Write the 人工确认 workbook; None when no item needs a person and there was none.

    Rows the office filled are kept word for word; a row whose confirmation lapsed (the
    evidence changed) is cleared for a new confirmation and the old one moves to 备注.
    """
    import xlsxwriter

    previous = dict(previous or {})
    today = today or _dt.date.today()
    rows = []
    for r in report.items:
        key = str(r.item.no)
        old = previous.pop(key, None)
        if not needs_person(r) and not (old and (old.text or old.who or old.note)):
            continue
        rows.append(_row(r, old, today))
    for old in previous.values():  # items no longer in the table: keep what the office wrote
        if old.text or old.who or old.note:
            rows.append([old.item_no, "（任务表中已没有该条目）", "", "", old.text, old.who,
                         old.date, old.note, "任务表中已没有该条目", old.fingerprint])  # fmt: skip
    if not rows:
        return None
    target = Path(path)
    with atomic_write(target, protect=report.rubric.path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp))
        ws = wb.add_worksheet(SHEET)
        head = wb.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True,
                              "align": "center", "valign": "vcenter"})  # fmt: skip
        cell = wb.add_format({"text_wrap": True, "valign": "top", "border": 1})
        fill = wb.add_format({"text_wrap": True, "valign": "top", "border": 1,
                              "bg_color": "#FFF2CC", "locked": False})  # fmt: skip
        title = wb.add_format({"bold": True, "font_size": 14})
        write_text(ws, 0, 0, f"人工确认表（{report.rubric.title or target.stem}）", title)
        note = wb.add_format({"text_wrap": True, "valign": "top"})
        ws.merge_range(1, 0, 1, len(COLUMNS) - 1, "", note)
        write_text(ws, 1, 0, "核对材料后，在黄色的「人工确认」列填写“已确认”或“不通过”，并填写确认人和日期；"
                   "保存后重新运行 wenming check 即按确认计分。该项材料之后有变化时，确认自动失效，需重新确认。", note)  # fmt: skip
        ws.set_row(1, 32)
        for c, (label, width) in enumerate(COLUMNS):
            write_text(ws, 2, c, label, head)
            ws.set_column(c, c, width)
        for n, values in enumerate(rows, start=3):
            for c, v in enumerate(values):
                write_text(ws, n, c, v, fill if 4 <= c <= 7 else cell)
            height = fit_height(zip(values, (w for _h, w in COLUMNS)))
            ws.set_row(n, max(height or 0, 30))
        last = 2 + len(rows)
        ws.data_validation(3, 4, max(last, 3), 4, {"validate": "list", "source": [YES, NO],
                           "error_type": "warning", "input_title": "人工确认",
                           "input_message": "核对后选“已确认”或“不通过”"})  # fmt: skip
        ws.freeze_panes(3, 1)
        ws.autofilter(2, 0, last, len(COLUMNS) - 1)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(2)
        wb.close()
    return target


def _row(r: ItemResult, old: Optional[Confirmation], today: _dt.date) -> list[str]:
    now = fingerprint(r.item, r.evidence)
    what = "\n".join(f.message for f in r.findings if f.code in REVIEW_CODES)
    if not what and r.status == REVIEW:
        what = "该项的材料要求需要人工判断是否达到。"
    state, who, date, note = (old.text, old.who, old.date, old.note) if old else ("", "", "", "")
    stamp = old.fingerprint if old and old.fingerprint else now
    stale = bool(old and old.state == YES and old.fingerprint and old.fingerprint != now)
    if stale:
        lapsed = f"【{today.isoformat()} 材料有变化，原确认失效：{state} {who} {date}】".replace(
            "  ", " "
        )
        note = f"{note}\n{lapsed}".strip()
        state, who, date, stamp = "", "", "", now
        status = "材料有变化，请重新确认"
    elif old and old.state == YES:
        status = "已确认，按确认计分" if r.item.confirmed else "已确认"
    elif old and old.state == NO:
        status = "不通过"
    elif old and old.text:
        status = f"「人工确认」写的是“{old.text}”，请填写“已确认”或“不通过”"
    else:
        status, stamp = "待确认", now
    return [str(r.item.no), r.item.text, what, _material(r), state, who, date, note, status, stamp]


def _material(r: ItemResult) -> str:
    counted = [e for e in r.evidence if e.counted]
    if not counted:
        return "（没有计入的材料）"
    images = sum(e.count for e in counted if e.kind == IMAGE)
    others = sum(e.count for e in counted if e.kind != IMAGE)
    head = "、".join(
        x for x in (f"图片{images}张" if images else "", f"其他{others}份" if others else "") if x
    )
    paths = [e.path for e in counted if e.path][:3]
    return head + ("\n" + "\n".join(paths) if paths else "")
