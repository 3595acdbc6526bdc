"""A department's own extract workbook (督查清单), attached to its monthly mail.

Two sheets written with xlsxwriter: 「督查清单」 (the items it leads that are not met: status,
what is missing, points, score, points at stake, deadline) and 「全部条目」 (every item it
leads). User text always goes through :func:`~wenming_xl.outputs.workbooks.cells.write_text`, so
nothing a department typed becomes a formula.
"""

from __future__ import annotations

import datetime as _dt
import io
from pathlib import Path
from typing import Any, Union

from wenming_xl.files.writing import atomic_write
from wenming_xl.judge.gaps import (  # noqa: F401  (the mail's names for them)
    GAP_SEVERITIES,
    Gap,
    department_gaps,
    department_items,
    departments_of,
    fmt_points,
)
from wenming_xl.model import STATUS_LABELS, Report, num
from wenming_xl.outputs.workbooks.cells import write_text
from wenming_xl.outputs.workbooks.sheetxml import fit_height
from wenming_xl.text import cn_date

DateLike = Union[_dt.date, str, None]

GAP_HEADERS = ["条目", "工作内容", "状态", "缺什么", "分值", "得分", "待得分", "截止日期"]
ALL_HEADERS = ["条目", "工作内容", "材料要求", "状态", "分值", "得分", "问题数"]


def fmt_date(value: DateLike) -> str:
    """A deadline as 「2022年6月25日」; strings are shown as written."""
    if value is None or value == "":
        return ""
    if isinstance(value, _dt.date):
        return cn_date(value)
    return str(value)


#: Column widths (characters) of the two sheets: printed landscape, one page wide.
GAP_WIDTHS = [6, 30, 9, 62, 6, 6, 6, 12]
ALL_WIDTHS = [6, 36, 50, 9, 6, 6, 7]


def _page(ws: Any, widths: list[float], header_row: int) -> None:
    """Columns, and a printout a department head can read: A4 landscape, one page wide."""
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header_row)
    ws.freeze_panes(header_row + 1, 0)


def _row(ws: Any, row: int, values: list[Any], formats: list[Any], widths: list[float]) -> None:
    """One row of texts and numbers, tall enough for its wrapped texts (see `fit_height`)."""
    for c, (value, fmt) in enumerate(zip(values, formats)):
        write_text(ws, row, c, value, fmt)
    height = fit_height(zip(values, widths))
    if height:
        ws.set_row(row, height)


def _build(wb: Any, report: Report, department: str, month_label: str, deadline: DateLike) -> None:
    title_fmt = wb.add_format({"bold": True, "font_size": 14})
    head_fmt = wb.add_format(
        {"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True, "valign": "top"}
    )
    cell_fmt = wb.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    num_fmt = wb.add_format({"border": 1, "valign": "top", "num_format": "General"})

    ws = wb.add_worksheet("督查清单")
    write_text(ws, 0, 0, f"{department} {month_label} 佐证材料督查清单", title_fmt)
    for c, h in enumerate(GAP_HEADERS):
        write_text(ws, 2, c, h, head_fmt)
    gaps = department_gaps(report, department)
    formats = [cell_fmt] * 4 + [num_fmt] * 3 + [cell_fmt]
    for row, g in enumerate(gaps, start=3):
        values = [
            g.no_label,
            g.title,
            g.status_label,
            "\n".join(g.lines),  # the 条目 column says 「第3项」 already
            num(g.points) if g.points is not None else None,
            num(g.score) if g.score is not None else None,
            num(g.at_stake) if g.result is not None else None,
            fmt_date(deadline),
        ]
        _row(ws, row, values, formats, GAP_WIDTHS)
    if not gaps:
        write_text(ws, 3, 0, "本月各条目均已达标。", cell_fmt)
    _page(ws, GAP_WIDTHS, 2)

    ws2 = wb.add_worksheet("全部条目")
    write_text(ws2, 0, 0, f"{department} 牵头的全部条目（{month_label}）", title_fmt)
    for c, h in enumerate(ALL_HEADERS):
        write_text(ws2, 2, c, h, head_fmt)
    formats = [cell_fmt] * 4 + [num_fmt] * 3
    # 问题数: what the 督查清单 sheet and the mail tell (not the 提示 they leave out)
    told = {g.no: len(g.messages) for g in gaps if g.result is not None}
    for row, r in enumerate(department_items(report, department), start=3):
        item = r.item
        values = [
            str(item.no),
            item.text,
            item.requirement_text,
            STATUS_LABELS.get(r.status, r.status),
            num(item.points),
            num(r.score) if r.score is not None else None,
            told.get(item.no, 0),
        ]
        _row(ws2, row, values, formats, ALL_WIDTHS)
    _page(ws2, ALL_WIDTHS, 2)


def extract_bytes(
    report: Report, department: str, *, month_label: str, deadline: DateLike = None
) -> bytes:
    """The department's extract workbook as ``.xlsx`` bytes (built in memory)."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    try:
        _build(wb, report, department, month_label, deadline)
    finally:
        wb.close()
    return buf.getvalue()


def write_extract(
    report: Report,
    department: str,
    target: Union[str, Path],
    *,
    month_label: str,
    deadline: DateLike = None,
) -> Path:
    """Write the department's extract workbook to ``target`` atomically."""
    data = extract_bytes(report, department, month_label=month_label, deadline=deadline)
    target = Path(target)
    with atomic_write(target) as tmp:
        tmp.write_bytes(data)
    return target
