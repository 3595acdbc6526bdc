"""Word building blocks of the binder: an A4 document, fixed lines, tables, pictures.

Every page of a box is laid out so that its height is known before Word or LibreOffice
sees it: lines have an exact height, table rows an exact or bounded height, pictures a
size computed here, and each page starts with a page break. That is what lets the
卷内目录 give page numbers that match the printed pages. Heights are in points.
"""

from __future__ import annotations

import copy
import math
from typing import Any, Optional

from docx import Document
from docx.enum.table import WD_ALIGN_VERTICAL, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

#: A4 and the margins (cm): the type area is 16 × 24.7 cm.
PAGE_W, PAGE_H, MARGIN = 21.0, 29.7, 2.5
#: The type area in points.
BODY_W = (PAGE_W - 2 * MARGIN) / 2.54 * 72
BODY_H = (PAGE_H - 2 * MARGIN) / 2.54 * 72
#: Kept free at the foot of every page (rounding, a picture's descent).
SAFETY = 30.0
#: Left + right padding of a table cell (Word's default 0.19 cm each side).
CELL_PAD = 10.8
FONT = "宋体"
HEAD_FONT = "黑体"

CENTER, LEFT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT


def text_em(text: str) -> float:
    """Width of ``text`` in em: a CJK character is 1, others about 0.55."""
    return sum(1.0 if ord(c) > 0x2E7F else 0.55 for c in text)


def line_count(text: str, size: float, width: float) -> int:
    """Lines ``text`` takes at ``size`` pt in ``width`` pt (each of its lines wrapped).

    Rounded up with 6 % to spare: the count is an upper bound, never short.
    """
    per_line = max(1.0, width / size)
    return sum(max(1, math.ceil(text_em(part) * 1.06 / per_line)) for part in text.split("\n"))


def new_document(title: str):
    """An A4 document with the binder's margins, 宋体 10.5 pt, page numbers in the footer.

    The first page (the cover) shows no number.
    """
    doc = Document()
    doc.core_properties.title = title
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(PAGE_W), Cm(PAGE_H)
    sec.top_margin = sec.bottom_margin = Cm(MARGIN)
    sec.left_margin = sec.right_margin = Cm(MARGIN)
    sec.header_distance, sec.footer_distance = Cm(1.2), Cm(1.2)
    sec.different_first_page_header_footer = True
    grid = sec._sectPr.find(qn("w:docGrid"))
    if grid is not None:  # no line grid: exact line heights are exact
        sec._sectPr.remove(grid)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10.5)
    _east_asian(normal.element.get_or_add_rPr(), FONT)
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.widow_control = False
    _page_number(sec.footer.paragraphs[0])
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):  # the template's empty first paragraph
        body.remove(p)
    return doc


def _east_asian(rpr, font: str) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)


def _page_number(paragraph) -> None:
    """「第 N 页」 centred, N a PAGE field."""
    paragraph.alignment = CENTER
    paragraph.add_run("第 ").font.size = Pt(9)
    run = paragraph.add_run()
    run.font.size = Pt(9)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"),
                       ("end", None)):  # fmt: skip
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == " PAGE ":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)
    paragraph.add_run(" 页").font.size = Pt(9)


def save(doc, path) -> None:
    """Save ``doc``, its pictures stored as they are (JPEG does not deflate; that took seconds).

    The same parts python-docx writes, in the same order; with a python-docx whose
    internals differ, its own ``save``.
    """
    import zipfile

    try:
        from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
        from docx.opc.pkgwriter import _ContentTypesItem
    except ImportError:  # pragma: no cover - another python-docx
        doc.save(str(path))
        return
    package = doc.part.package
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    with zipfile.ZipFile(str(path), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(CONTENT_TYPES_URI.membername, _ContentTypesItem.from_parts(parts).blob)
        z.writestr(PACKAGE_URI.rels_uri.membername, package.rels.xml)
        for part in parts:
            media = str(part.partname).startswith("/word/media/")
            kind = zipfile.ZIP_STORED if media else zipfile.ZIP_DEFLATED
            z.writestr(part.partname.membername, part.blob, compress_type=kind)
            if len(part.rels):
                z.writestr(part.partname.rels_uri.membername, part.rels.xml)


#: Paragraphs already built, by their settings: a copy of one is much quicker than
#: setting each property through python-docx (a box has thousands of caption lines).
_LINES: dict[tuple, Any] = {}


def line(
    container,
    text: str,
    *,
    size: float = 10.5,
    height: Optional[float] = None,
    bold: bool = False,
    align=LEFT,
    new_page: bool = False,
    font: Optional[str] = None,
    before: float = 0,
):
    """A paragraph of exact line height (``height``, default 1.4 × size)."""
    key = (size, height, bold, align, new_page, font, before, bool(text))
    made = _LINES.get(key)
    if made is not None:
        el = copy.deepcopy(made)
        if text:
            el.findall(qn("w:r"))[0].findall(qn("w:t"))[0].text = text
        _append(container, el)
        return
    p = container.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(height or round(size * 1.4, 1))
    fmt.space_before, fmt.space_after = Pt(before), Pt(0)
    fmt.page_break_before = new_page
    p.alignment = align
    if text:
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
        if font:
            run.font.name = font
            _east_asian(run._r.get_or_add_rPr(), font)
    _LINES[key] = copy.deepcopy(p._p)


def _append(container, el) -> None:
    """Add a paragraph element at the end of a document body or a table cell."""
    if hasattr(container, "_tc"):
        container._tc.append(el)
        return
    body = container.element.body
    sect = body.find(qn("w:sectPr"))
    if sect is not None:
        sect.addprevious(el)
    else:
        body.append(el)


def cell_text(cell, text: str, *, size: float = 10.5, bold: bool = False, align=LEFT) -> None:
    """Write ``text`` into a table cell, one exact-height paragraph per line of it."""
    parts = text.split("\n") if text else [""]
    first = cell.paragraphs[0]
    for i, part in enumerate(parts):
        p = first if i == 0 else cell.add_paragraph()
        fmt = p.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(round(size * 1.4, 1))
        p.alignment = align
        if part:
            run = p.add_run(part)
            run.font.size = Pt(size)
            run.bold = bold
    cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER


def table(container, rows: int, widths_cm: list[float], *, borders: bool = True):
    """A fixed-layout table with the given column widths (cm)."""
    t = container.add_table(rows=rows, cols=len(widths_cm))
    if borders:
        t.style = "Table Grid"
    t.autofit = False
    t.alignment = 1  # centred
    tbl_pr = t._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    grid = t._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths_cm):
        col.set(qn("w:w"), str(int(w / 2.54 * 1440)))
    for row in t.rows:
        for cell, w in zip(row.cells, widths_cm):
            cell.width = Cm(w)
    return t


def row_height(row, points: float, exact: bool = True) -> None:
    """Give a table row a fixed height (or a least height), and keep it on one page."""
    row.height = Pt(points)
    row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY if exact else WD_ROW_HEIGHT_RULE.AT_LEAST
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


class Pictures:
    """Adds pictures to one document in constant time each.

    python-docx's ``add_picture`` compares a new picture with every picture already in
    the document (a SHA-1 of each, each time) and looks for a free id through the whole
    body: a box of 1,000 photos took minutes. Every photo here is distinct, so each
    gets its own part, relationship and id, counted here.
    """

    def __init__(self, doc):
        self.part = doc.part
        self.count = 0

    def add(self, run, path: str, width_pt: float, height_pt: float) -> None:
        from docx.image.image import Image
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.opc.packuri import PackURI
        from docx.oxml.shape import CT_Inline
        from docx.parts.image import ImagePart

        image = Image.from_file(path)
        self.count += 1
        name = PackURI(f"/word/media/wenming{self.count}.{image.ext}")
        part = ImagePart(name, image.content_type, image.blob, image)
        rid = f"rIdWenming{self.count}"
        self.part.rels.add_relationship(RT.IMAGE, part, rid)
        inline = CT_Inline.new_pic_inline(
            100000 + self.count, rid, image.filename, Pt(width_pt), Pt(height_pt)
        )
        run._r.add_drawing(inline)


def picture(container, pictures: Pictures, path: str, width_pt: float, height_pt: float):
    """A centred paragraph holding one picture of the given size."""
    p = container.add_paragraph()
    p.alignment = CENTER
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.space_before = Pt(4)
    pictures.add(p.add_run(), path, width_pt, height_pt)
    return p


def fit(w: int, h: int, box_w: float, box_h: float) -> tuple[float, float]:
    """The size of a ``w`` × ``h`` picture scaled to fit a box (never enlarged past 2×)."""
    if w <= 0 or h <= 0:
        return box_w, box_h
    scale = min(box_w / w, box_h / h)
    return w * scale, h * scale
