"""The binder's 总目录: every box with its pages, then every item with its box and pages.

It also says what a person must know before handing the boxes over: the period the
materials were chosen for (or that none was given), and the items with nothing counted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wenming_xl.files.writing import atomic_write
from wenming_xl.model import Report
from wenming_xl.outputs.assessors import pages as P
from wenming_xl.outputs.assessors.box import page_range


def write_total(report: Report, written: list[tuple[Any, Any, Path]], path: Path, *,
                unit: str, year: str) -> Path:  # fmt: skip
    """Write the 总目录 of the boxes ``written`` (box, plan, file) to ``path``."""
    doc = P.new_document(f"{unit} 迎检资料总目录")
    P.line(doc, f"{unit}迎检资料总目录", size=18, height=30, bold=True, align=P.CENTER,
           font=P.HEAD_FONT)  # fmt: skip
    period = report.period or "未指定考核期（所有日期的材料都已收入）"
    P.line(doc, f"年度：{year}　考核期：{period}", height=18, align=P.CENTER)
    total_pages = sum(plan.pages for _b, plan, _p in written)
    P.line(doc, f"共 {len(written)} 盒，{total_pages} 页；只收入自评检查计入的材料"
           "（重复上传的照片、考核期外的照片不收入）。", height=18, before=6)  # fmt: skip
    t = P.table(doc, len(written) + 1, [1.4, 8.2, 1.6, 1.6, 1.6, 1.6])
    heads = ["盒号", "类别", "条目数", "页数", "照片", "文件"]
    for cell, head in zip(t.rows[0].cells, heads):
        P.cell_text(cell, head, size=10, bold=True, align=P.CENTER)
    for row, (box, plan, _file) in zip(t.rows[1:], written):
        values = [str(box.number), box.category, str(len(box.entries)), str(plan.pages),
                  str(box.photos), str(box.documents)]  # fmt: skip
        for k, (cell, value) in enumerate(zip(row.cells, values)):
            P.cell_text(cell, value, size=10, align=P.LEFT if k == 1 else P.CENTER)
    P.line(doc, "各条目所在位置", size=12, height=22, bold=True, before=12)
    rows = [(box, entry, shown) for box, plan, _f in written
            for entry, shown in zip(box.entries, plan.entries)]  # fmt: skip
    t = P.table(doc, len(rows) + 1, [1.6, 6.6, 1.2, 1.8, 2.2, 2.6])
    heads = ["条目", "题名", "盒号", "页号", "状态", "材料"]
    for cell, head in zip(t.rows[0].cells, heads):
        P.cell_text(cell, head, size=10, bold=True, align=P.CENTER)
    _repeat_header(t.rows[0])
    for row, (box, entry, shown) in zip(t.rows[1:], rows):
        values = [entry.no, entry.title, str(box.number), page_range(shown.start, shown.pages),
                  entry.status, entry.short_provided()]  # fmt: skip
        for k, (cell, value) in enumerate(zip(row.cells, values)):
            P.cell_text(cell, value, size=10, align=P.LEFT if k == 1 else P.CENTER)
    empty = [entry for _b, entry, _s in rows if not entry.pieces]
    if empty:
        P.line(doc, "没有计入材料的条目：第" + "、".join(e.no for e in empty) + "项"
               "（提交表上已注明，请在迎检前补齐或准备说明）。", height=18, before=10)  # fmt: skip
    with atomic_write(path) as tmp:
        P.save(doc, tmp)
    return path


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
