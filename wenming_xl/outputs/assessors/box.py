"""One box of the binder as a Word file: cover, 卷内目录, and per item its pages.

The pages of each item were planned by `binder.plan_box` (a 测评材料提交表, then the
photos n to a page, then the documents' pages as pictures, then a list of what cannot
be shown); this module writes them so that every planned page is one printed page.
"""

from __future__ import annotations

import math
from typing import Any

from wenming_xl.model import Finding
from wenming_xl.outputs.assessors import pages as P
from wenming_xl.outputs.assessors.contents import Box, Entry
from wenming_xl.text import cn_date, one_line

#: Rows of the 卷内目录 on one page, and their heights (pt).
TOC_ROWS, TOC_ROW_H, TOC_HEAD_H = 18, 30.0, 22.0
#: Columns of the 卷内目录 (cm): 序号, 条目, 题名, 材料, 日期, 页号.
TOC_COLS = [1.2, 1.6, 6.0, 3.0, 2.6, 1.6]
#: The submission sheet: label and value columns (cm), text size and line height (pt).
FORM_COLS = [3.2, 12.8]
FORM_SIZE, FORM_LINE = 10.5, 15.0
#: Lines of the submission sheet's table that surely fit on its page.
FORM_LINES = 34
#: A row of the submission sheet is at least this high (pt).
FORM_ROW = 22.0
#: Lines listing unshown files on one page.
LIST_LINES = 38
HEAD_SIZE, HEAD_LINE = 10.5, 16.0
CAPTION_SIZE, CAPTION_LINE = 10.5, 15.0
SMALL_CAPTION, SMALL_LINE = 9.0, 12.6


def item_label(entry: Entry) -> str:
    return f"第{entry.no}项"


def page_range(first: int, count: int) -> str:
    return str(first) if count <= 1 else f"{first}–{first + count - 1}"


def write_box(box: Box, plan: Any, path: Any, *, unit: str, year: str, retention: str,
              total_boxes: int, per_page: int) -> None:  # fmt: skip
    """Write ``box`` with its ``plan`` (a `binder.BoxPlan`) to the .docx ``path``."""
    doc = P.new_document(f"{unit} {box.category}")
    _cover(doc, box, plan, unit=unit, year=year, retention=retention, total=total_boxes)
    _toc(doc, box, plan)
    pics = P.Pictures(doc)
    for entry, shown in zip(box.entries, plan.entries):
        _form(doc, entry, shown)
        for page in shown.photo_pages:
            _photo_page(doc, pics, entry, page, per_page)
        for doc_page in shown.doc_pages:
            _document_page(doc, pics, entry, doc_page)
        for chunk in shown.list_pages:
            _list_page(doc, entry, chunk)
    P.save(doc, path)


def _cover(doc, box: Box, plan, *, unit: str, year: str, retention: str, total: int) -> None:
    P.line(doc, "", height=110)
    P.line(doc, "迎检资料", size=36, height=60, bold=True, align=P.CENTER, font=P.HEAD_FONT)
    P.line(doc, "", height=70)
    rows = [
        ("单　　位", unit),
        ("年　　度", year),
        ("类　　别", box.category),
        ("盒　　号", f"第 {box.number} 盒（共 {total} 盒）"),
        ("保管期限", retention),
        ("页　　数", f"共 {plan.pages} 页（照片 {box.photos} 张，文件 {box.documents} 份）"),
    ]
    t = P.table(doc, len(rows), [3.6, 9.4], borders=False)
    for row, (label, value) in zip(t.rows, rows):
        P.row_height(row, 40, exact=False)
        P.cell_text(row.cells[0], label, size=16, bold=True)
        P.cell_text(row.cells[1], value, size=16)


def _toc(doc, box: Box, plan) -> None:
    heads = ["序号", "条目", "题名", "材料", "日期", "页号"]
    entries = list(zip(box.entries, plan.entries))
    for start in range(0, max(1, len(entries)), TOC_ROWS):
        chunk = entries[start : start + TOC_ROWS]
        title = "卷内目录" if start == 0 else "卷内目录（续）"
        P.line(doc, title, size=18, height=28, bold=True, align=P.CENTER, new_page=True,
               font=P.HEAD_FONT)  # fmt: skip
        P.line(doc, f"第 {box.number} 盒　{box.category}", size=10.5, height=15, align=P.CENTER)
        t = P.table(doc, len(chunk) + 1, TOC_COLS)
        P.row_height(t.rows[0], TOC_HEAD_H)
        for cell, head in zip(t.rows[0].cells, heads):
            P.cell_text(cell, head, size=9, bold=True, align=P.CENTER)
        for k, (entry, shown) in enumerate(chunk):
            row = t.rows[k + 1]
            P.row_height(row, TOC_ROW_H)
            first, last = entry.date_range()
            dates = ""
            if first:
                dates = first.strftime("%Y.%m.%d")
                if last and last != first:
                    dates += "\n—" + last.strftime("%Y.%m.%d")
            values = [str(start + k + 1), entry.no, entry.title, entry.short_provided(), dates,
                      page_range(shown.start, shown.pages)]  # fmt: skip
            for col, (cell, value) in enumerate(zip(row.cells, values)):
                P.cell_text(cell, value, size=9, align=P.LEFT if col == 2 else P.CENTER)


def form_rows(entry: Entry, shown) -> list[tuple[str, str]]:
    """The submission sheet's rows, cut to fit one page (a cut says where the rest is)."""
    it = entry.result.item
    r = entry.result
    points = "" if it.points is None else f"{it.points:g} 分"
    score = "—" if r.score is None else f"{float(r.score):g} 分"
    if it.points is not None and r.score is not None:
        score = f"{float(r.score):g} / {it.points:g} 分"
    where = page_range(shown.start, shown.pages)
    rows = [
        ("条目", f"{item_label(entry)}　{one_line(it.text)}"),
        ("分值", points or "（任务表未列分值）"),
        ("牵头部门", "、".join(it.departments + it.placeholders) or "（未填）"),
        ("材料要求", it.requirement_text.strip() or "（任务表未写材料要求）"),
        ("提供材料", entry.provided()),
        ("本条目页码", f"第 {where} 页（本页起）"),
        ("状态", entry.status),
        ("自评得分", score),
    ]
    if not entry.pieces:
        rows.append(("说明", "本条目没有计入的材料文件，以下没有附页。"
                     + ("台账登记的数量由部门自报，请备好原件。" if entry.declared_rows else "")))  # fmt: skip
    problems = [f for f in r.findings if f.severity in ("error", "warning")]
    rows.append(("问题", ""))
    return _fit_form(rows, problems)


def _lines(value: str) -> int:
    return P.line_count(value, FORM_SIZE, FORM_COLS[1] / 2.54 * 72 - P.CELL_PAD)


def _fit_form(rows: list[tuple[str, str]], problems: list[Finding]) -> list[tuple[str, str]]:
    """Shorten the 材料要求 and the problems until the sheet fits `FORM_LINES`."""
    budget = FORM_LINES - sum(_lines(v) for k, v in rows if k != "问题")
    if budget < 3:  # a very long requirement: cut it, saying where the whole text is
        req = dict(rows)["材料要求"]
        keep = len(req)
        while keep > 40 and _lines(req[:keep]) > _lines(req) + budget - 4:
            keep = int(keep * 0.9)
        rows = [(k, f"{v[:keep]}……（全文见任务分工表）" if k == "材料要求" else v)
                for k, v in rows]  # fmt: skip
        budget = FORM_LINES - sum(_lines(v) for k, v in rows if k != "问题")
    shown: list[str] = []
    for f in problems:
        text = f"· {one_line(f.message)}"
        rest = len(problems) - len(shown) - 1
        tail = f"\n另有 {rest} 条，见评分表「问题清单」" if rest else ""
        if _lines("\n".join(shown + [text]) + tail) > budget:
            break
        shown.append(text)
    if len(shown) < len(problems):
        shown.append(f"另有 {len(problems) - len(shown)} 条，见评分表「问题清单」")
    return [(k, ("\n".join(shown) or "无") if k == "问题" else v) for k, v in rows]


def _form(doc, entry: Entry, shown) -> None:
    P.line(doc, "测评材料提交表", size=16, height=28, bold=True, align=P.CENTER, new_page=True,
           font=P.HEAD_FONT)  # fmt: skip
    rows = form_rows(entry, shown)
    t = P.table(doc, len(rows), FORM_COLS)
    for row, (label, value) in zip(t.rows, rows):
        P.row_height(row, FORM_ROW, exact=False)
        P.cell_text(row.cells[0], label, size=FORM_SIZE, bold=True, align=P.CENTER)
        P.cell_text(row.cells[1], value, size=FORM_SIZE)


def _heading(doc, entry: Entry, what: str) -> None:
    title = entry.title
    text = f"{item_label(entry)}　{title}　{what}"
    while P.text_em(text) * HEAD_SIZE > P.BODY_W - 20 and len(title) > 4:
        title = title[:-2]
        text = f"{item_label(entry)}　{title}…　{what}"
    P.line(doc, text, size=HEAD_SIZE, height=HEAD_LINE, bold=True, new_page=True)


def photo_box(per_page: int, caption_lines: int) -> tuple[float, float]:
    """The largest picture (pt) a photo slot takes, leaving room for its caption lines."""
    free = P.BODY_H - HEAD_LINE - P.SAFETY
    if per_page == 1:
        return P.BODY_W - 24, free - 8 - caption_lines * CAPTION_LINE
    if per_page == 2:
        return P.BODY_W - 24, free / 2 - 8 - caption_lines * CAPTION_LINE
    return P.BODY_W / 2 - P.CELL_PAD - 4, free / 2 - 12 - caption_lines * SMALL_LINE


def _caption_lines(lines: list[str], size: float, width: float) -> int:
    return sum(P.line_count(t, size, width) for t in lines)


def _photo_page(doc, pics, entry: Entry, page: list, per_page: int) -> None:
    first = page[0][0].seq
    n = len(entry.photos)
    last = page[-1][0].seq
    what = f"照片 {first}/{n}" if first == last else f"照片 {first}–{last}/{n}"
    _heading(doc, entry, what)
    if per_page in (1, 2):
        for piece, copy in page:
            lines = piece.caption()
            width = P.BODY_W
            box_w, box_h = photo_box(per_page, _caption_lines(lines, CAPTION_SIZE, width))
            _photo(doc, pics, piece, copy, box_w, box_h)
            for k, text in enumerate(lines):
                P.line(doc, text, size=CAPTION_SIZE, height=CAPTION_LINE, align=P.CENTER,
                       before=4 if k == 0 else 0)  # fmt: skip
        return
    half = P.BODY_W / 2 / 72 * 2.54
    t = P.table(doc, math.ceil(len(page) / 2), [half, half], borders=False)
    for k, (piece, copy) in enumerate(page):
        cell = t.rows[k // 2].cells[k % 2]
        lines = piece.caption()
        cap_w = P.BODY_W / 2 - P.CELL_PAD
        box_w, box_h = photo_box(4, _caption_lines(lines, SMALL_CAPTION, cap_w))
        cell.paragraphs[0].alignment = P.CENTER
        if copy is None:
            P.cell_text(cell, f"（照片无法打开：{piece.name}）", size=SMALL_CAPTION, align=P.CENTER)
        else:
            w, h = P.fit(copy[1], copy[2], box_w, box_h)
            pics.add(cell.paragraphs[0].add_run(), str(copy[0]), w, h)
        for text in lines:
            P.line(cell, text, size=SMALL_CAPTION, height=SMALL_LINE, align=P.CENTER)
    for row in t.rows:
        row.cells[0].vertical_alignment = row.cells[1].vertical_alignment = 0


def _photo(doc, pics, piece, copy, box_w: float, box_h: float) -> None:
    if copy is None:
        P.line(doc, f"（照片无法打开：{piece.name}，请查看原文件）", align=P.CENTER, before=20)
        return
    w, h = P.fit(copy[1], copy[2], box_w, box_h)
    P.picture(doc, pics, str(copy[0]), w, h)


def document_box() -> tuple[float, float]:
    """The largest picture (pt) of one document page."""
    return P.BODY_W - 24, P.BODY_H - HEAD_LINE - P.SAFETY - 8 - 2 * CAPTION_LINE


def _document_page(doc, pics, entry: Entry, doc_page) -> None:
    piece, image, index, count, more = doc_page
    _heading(doc, entry, f"文件 {piece.name}")
    from PIL import Image

    with Image.open(image) as im:
        size = im.size
    w, h = P.fit(size[0], size[1], *document_box())
    P.picture(doc, pics, str(image), w, h)
    note = f"文件：{piece.name}　第 {index}/{count} 页"
    if more:
        note += f"（其余 {more} 页未印出，见原文件）"
    P.line(doc, note, size=CAPTION_SIZE, height=CAPTION_LINE, align=P.CENTER, before=4)


def _list_page(doc, entry: Entry, chunk: list[tuple[Any, str]]) -> None:
    _heading(doc, entry, "无法在此显示的材料")
    P.line(doc, "以下材料已计入，但不能以图片形式印出，请查看原文件：", height=CAPTION_LINE)
    for piece, reason in chunk:
        day = f"（{cn_date(piece.date)}）" if piece.date else ""
        P.line(doc, f"{piece.seq}. {piece.evidence.path}{day}：{reason}", size=10.5,
               height=CAPTION_LINE)  # fmt: skip


def list_line_count(items: list[tuple[Any, str]]) -> int:
    """Lines a list of unshown files takes (each may wrap)."""
    return sum(P.line_count(f"{p.seq}. {p.evidence.path}：{r}", 10.5, P.BODY_W) for p, r in items)
