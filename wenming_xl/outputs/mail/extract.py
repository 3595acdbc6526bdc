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

DateLike = Union[_dt.date, str, None]

GAP_HEADERS = ["条目", "工作内容", "状态", "缺什么", "分值", "得分", "待得分", "截止日期"]
ALL_HEADERS = ["条目", "工作内容", "材料要求", "状态", "分值", "得分", "问题数"]


def fmt_date(value: DateLike) -> str:
    """A deadline as 「2022年6月25日」; strings are shown as written."""
    if value is None or value == "":
        return ""
    if isinstance(value, _dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


def _build(wb: Any, report: Report, department: str, month_label: str, deadline: DateLike) -> None:
    title_fmt = wb.add_format({"bold": True, "font_size": 14})
    head_fmt = wb.add_format(
        {"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True, "valign": "top"}
    )
    cell_fmt = wb.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    num_fmt = wb.add_format({"border": 1, "valign": "top", "num_format": "0.##"})

    ws = wb.add_worksheet("督查清单")
    write_text(ws, 0, 0, f"{department} {month_label} 佐证材料督查清单", title_fmt)
    for c, h in enumerate(GAP_HEADERS):
        write_text(ws, 2, c, h, head_fmt)
    gaps = department_gaps(report, department)
    row = 3
    for g in gaps:
        write_text(ws, row, 0, g.no_label, cell_fmt)
        write_text(ws, row, 1, g.title, cell_fmt)
        write_text(ws, row, 2, g.status_label, cell_fmt)
        write_text(ws, row, 3, "\n".join(g.messages), cell_fmt)
        write_text(ws, row, 4, num(g.points) if g.points is not None else None, num_fmt)
        write_text(ws, row, 5, num(g.score) if g.score is not None else None, num_fmt)
        write_text(ws, row, 6, num(g.at_stake) if g.result is not None else None, num_fmt)
        write_text(ws, row, 7, fmt_date(deadline), cell_fmt)
        row += 1
    if not gaps:
        write_text(ws, row, 0, "本月各条目均已达标。", cell_fmt)
    ws.set_column(0, 0, 8)
    ws.set_column(1, 1, 36)
    ws.set_column(2, 2, 10)
    ws.set_column(3, 3, 60)
    ws.set_column(4, 6, 8)
    ws.set_column(7, 7, 14)
    ws.freeze_panes(3, 0)

    ws2 = wb.add_worksheet("全部条目")
    write_text(ws2, 0, 0, f"{department} 牵头的全部条目（{month_label}）", title_fmt)
    for c, h in enumerate(ALL_HEADERS):
        write_text(ws2, 2, c, h, head_fmt)
    for i, r in enumerate(department_items(report, department)):
        item = r.item
        write_text(ws2, 3 + i, 0, str(item.no), cell_fmt)
        write_text(ws2, 3 + i, 1, item.text, cell_fmt)
        write_text(ws2, 3 + i, 2, item.requirement_text, cell_fmt)
        write_text(ws2, 3 + i, 3, STATUS_LABELS.get(r.status, r.status), cell_fmt)
        write_text(ws2, 3 + i, 4, num(item.points), num_fmt)
        write_text(ws2, 3 + i, 5, num(r.score) if r.score is not None else None, num_fmt)
        write_text(ws2, 3 + i, 6, len(r.findings), num_fmt)
    ws2.set_column(0, 0, 8)
    ws2.set_column(1, 2, 40)
    ws2.set_column(3, 6, 10)
    ws2.freeze_panes(3, 0)


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
