"""Low-level GB/T 9704-2012 helpers for python-docx: page, grid, fonts, rules, footers.

Everything a 红头文件 needs below the level of "a document": the page setup (A4, margins
37/28/26/35 mm, 22 lines of 28 characters on a 579-twip grid), runs that carry the East
Asian font (``w:eastAsia`` + ``w:hint="eastAsia"``) and ``zh-CN`` language, paragraph
properties in schema order, the red rule, page-number footers 「— N —」 (odd right, even
left). The styles and the default template are built in ``gongwen_template``.
"""

from __future__ import annotations

import copy
from typing import Any, Optional

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

# --------------------------------------------------------------------------- geometry

TWIPS_PER_MM = 1440 / 25.4


def mm(value: float) -> int:
    """Millimetres to twips (1/20 pt), rounded."""
    return int(round(value * TWIPS_PER_MM))


PAGE_W, PAGE_H = 11906, 16838  # A4 in twips
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = mm(37), mm(35), mm(28), mm(26)
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # 8845 twips = 156 mm
TEXT_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM  # 12756 twips = 225 mm
LINE = 579  # exact line pitch: 28.95 pt, 22 lines fill the type area
CHAR = 320  # one 三号 character (16 pt) as an indent unit
SMALL_CHAR = 280  # one 四号 character (14 pt)
#: Distance of the footer from the paper's bottom edge: puts 「— N —」 7 mm below the type area.
FOOTER_DIST = mm(21.6)

# --------------------------------------------------------------------------- fonts and sizes

FONT_XBS = "方正小标宋简体"  # mark, titles
FONT_FS = "仿宋_GB2312"  # body
FONT_HEI = "黑体"  # level-1 headings, 附件 label, table header
FONT_KAI = "楷体_GB2312"  # level-2 headings
FONT_SONG = "宋体"  # page numbers
FONT_LATIN = "Times New Roman"  # digits and Latin letters
RED = "FF0000"

#: Chinese size names in points.
SIZES = {
    "初号": 42,
    "小初": 36,
    "一号": 26,
    "二号": 22,
    "三号": 16,
    "四号": 14,
    "小四": 12,
    "五号": 10.5,
}

# --------------------------------------------------------------------------- element helpers


def el(tag: str, **attrs: Any) -> Any:
    """A new ``w:`` element with ``w:`` attributes (``el("w:jc", val="center")``)."""
    e = OxmlElement(tag)
    for key, value in attrs.items():
        e.set(qn(f"w:{key}"), str(value))
    return e


_PPR_ORDER = [
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
    "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
    "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE",
    "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
    "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
    "w:sectPr", "w:pPrChange",
]  # fmt: skip


def put(parent: Any, child: Any, order: list[str]) -> Any:
    """Insert ``child`` into ``parent`` in schema order, replacing one of the same tag."""
    tag = child.tag
    for old in parent.findall(tag):
        parent.remove(old)
    names = [qn(t) for t in order]
    idx = names.index(tag) if tag in names else len(names)
    for i, existing in enumerate(parent):
        if existing.tag in names and names.index(existing.tag) > idx:
            parent.insert(i, child)
            return child
    parent.append(child)
    return child


def set_ppr(
    p: Any,
    *,
    style: Optional[str] = None,
    keep_next: bool = False,
    page_break: bool = False,
    snap: Optional[bool] = None,
    before: Optional[int] = None,
    line: Optional[int] = None,
    left: Optional[int] = None,
    right: Optional[int] = None,
    first: Optional[int] = None,
    hanging: Optional[int] = None,
    jc: Optional[str] = None,
    tabs: Optional[list[tuple[str, int]]] = None,
) -> Any:
    """Set paragraph properties on a ``w:p`` element (only those given)."""
    ppr = p.get_or_add_pPr()
    if style:
        put(ppr, el("w:pStyle", val=style), _PPR_ORDER)
    if keep_next:
        put(ppr, el("w:keepNext"), _PPR_ORDER)
    if page_break:
        put(ppr, el("w:pageBreakBefore"), _PPR_ORDER)
    if tabs:
        t = el("w:tabs")
        for kind, pos in tabs:
            t.append(el("w:tab", val=kind, pos=pos))
        put(ppr, t, _PPR_ORDER)
    if snap is not None:
        put(ppr, el("w:snapToGrid", val=1 if snap else 0), _PPR_ORDER)
    if before is not None or line is not None:
        sp = el("w:spacing", before=before or 0, after=0)
        if line is not None:
            sp.set(qn("w:line"), str(line))
            sp.set(qn("w:lineRule"), "exact")
        put(ppr, sp, _PPR_ORDER)
    if any(v is not None for v in (left, right, first, hanging)):
        ind = el("w:ind")
        if left is not None:
            ind.set(qn("w:left"), str(left))
        if right is not None:
            ind.set(qn("w:right"), str(right))
        if hanging is not None:
            ind.set(qn("w:hanging"), str(hanging))
        elif first is not None:
            ind.set(qn("w:firstLine"), str(first))
        put(ppr, ind, _PPR_ORDER)
    if jc:
        put(ppr, el("w:jc", val=jc), _PPR_ORDER)
    return ppr


def border_xml(side: str, sz: int, color: str = "000000", space: int = 0) -> Any:
    """A ``w:top``/``w:bottom``… border element; ``sz`` in eighths of a point."""
    return el(f"w:{side}", val="single", sz=sz, space=space, color=color)


def bottom_rule(p: Any, *, sz: int = 8, color: str = RED, space: int = 4) -> None:
    """Draw a rule under a paragraph, as wide as its indents (the red line under the 文号)."""
    ppr = p.get_or_add_pPr()
    bdr = el("w:pBdr")
    bdr.append(border_xml("bottom", sz, color, space))
    put(ppr, bdr, _PPR_ORDER)


# --------------------------------------------------------------------------- runs and fonts


class FontBook:
    """Resolve each style's fonts, size and colour (through basedOn) from a document's styles."""

    def __init__(self, document: Any) -> None:
        self._styles = {}
        root = document.styles.element
        for st in root.findall(qn("w:style")):
            self._styles[st.get(qn("w:styleId"))] = st
        self._defaults = root.find(qn("w:docDefaults"))
        self._cache: dict[str, dict[str, Any]] = {}

    def missing(self, style_ids: tuple[str, ...]) -> list[str]:
        """Those of ``style_ids`` the document lacks."""
        return [s for s in style_ids if s not in self._styles]

    def _own(self, rpr: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if rpr is None:
            return out
        f = rpr.find(qn("w:rFonts"))
        if f is not None:
            for key in ("eastAsia", "ascii", "hAnsi"):
                v = f.get(qn(f"w:{key}"))
                if v:
                    out[key] = v
        color = rpr.find(qn("w:color"))
        if color is not None and color.get(qn("w:val")):
            out["color"] = color.get(qn("w:val"))
        sz = rpr.find(qn("w:sz"))
        if sz is not None and sz.get(qn("w:val")):
            out["size"] = int(sz.get(qn("w:val"))) / 2
        return out

    def fonts(self, style_id: str) -> dict[str, Any]:
        """``{"eastAsia": …, "ascii": …, "hAnsi": …, "size": pt}`` for a paragraph style."""
        if style_id in self._cache:
            return self._cache[style_id]
        chain = []
        sid: Optional[str] = style_id
        while sid and sid in self._styles and sid not in chain:
            chain.append(sid)
            based = self._styles[sid].find(qn("w:basedOn"))
            sid = based.get(qn("w:val")) if based is not None else None
        out: dict[str, Any] = {
            "eastAsia": FONT_FS,
            "ascii": FONT_LATIN,
            "hAnsi": FONT_LATIN,
            "size": 16,
        }
        if self._defaults is not None:
            out.update(self._own(self._defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")))
        for sid in reversed(chain):
            out.update(self._own(self._styles[sid].find(qn("w:rPr"))))
        self._cache[style_id] = out
        return out


_RPR_ORDER = [
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike",
    "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid",
    "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz",
    "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign",
    "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath",
]  # fmt: skip


def make_rpr(
    fonts: dict[str, Any],
    *,
    east_asia: Optional[str] = None,
    size: Optional[float] = None,
    color: Optional[str] = None,
    spacing: Optional[int] = None,
    scale: Optional[int] = None,
) -> Any:
    """A ``w:rPr`` with explicit East Asian + Latin fonts, hint and zh-CN language."""
    rpr = OxmlElement("w:rPr")
    ea = east_asia or fonts["eastAsia"]
    put(
        rpr,
        el(
            "w:rFonts",
            ascii=fonts["ascii"],
            hAnsi=fonts["hAnsi"],
            eastAsia=ea,
            cs=fonts["ascii"],
            hint="eastAsia",
        ),
        _RPR_ORDER,
    )
    if color:
        put(rpr, el("w:color", val=color), _RPR_ORDER)
    if spacing is not None:
        put(rpr, el("w:spacing", val=spacing), _RPR_ORDER)
    if scale is not None and scale != 100:
        put(rpr, el("w:w", val=scale), _RPR_ORDER)
    if size is not None:
        hp = int(round(size * 2))
        put(rpr, el("w:sz", val=hp), _RPR_ORDER)
        put(rpr, el("w:szCs", val=hp), _RPR_ORDER)
    put(rpr, el("w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"), _RPR_ORDER)
    return rpr


def add_run(p: Any, text: str, rpr: Any) -> Any:
    """Append a run with a copy of ``rpr``; ``\\n`` becomes a line break, ``\\t`` a tab.

    The text is written as it is: no invisible break characters, which would travel
    with it when copied. Long number lists are kept short by the builders instead
    (`kinds.numbers_text`).
    """
    r = OxmlElement("w:r")
    r.append(copy.deepcopy(rpr))
    chunks = text.split("\n")
    for i, chunk in enumerate(chunks):
        if i:
            r.append(OxmlElement("w:br"))
        for j, part in enumerate(chunk.split("\t")):
            if j:
                r.append(OxmlElement("w:tab"))
            if part:
                t = OxmlElement("w:t")
                t.text = part
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                r.append(t)
    p.append(r)
    return r


def add_field(p: Any, instr: str, placeholder: str, rpr: Any) -> None:
    """Append a field (PAGE, NUMPAGES) as begin/instr/separate/result/end runs, each with ``rpr``."""
    for kind, text in (
        ("begin", None),
        ("instr", instr),
        ("separate", None),
        ("result", placeholder),
        ("end", None),
    ):
        r = OxmlElement("w:r")
        r.append(copy.deepcopy(rpr))
        if kind == "instr":
            t = OxmlElement("w:instrText")
            t.text = f" {text} "
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            r.append(t)
        elif kind == "result":
            t = OxmlElement("w:t")
            t.text = text
            r.append(t)
        else:
            r.append(el("w:fldChar", fldCharType=kind))
        p.append(r)


# --------------------------------------------------------------------------- sections and footers

_SECT_ORDER = [
    "w:headerReference", "w:footerReference", "w:footnotePr", "w:endnotePr", "w:type", "w:pgSz",
    "w:pgMar", "w:paperSrc", "w:pgBorders", "w:lnNumType", "w:pgNumType", "w:cols", "w:formProt",
    "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi", "w:rtlGutter",
    "w:docGrid", "w:printerSettings", "w:sectPrChange",
]  # fmt: skip


def page_setup(sect_pr: Any, *, landscape: bool = False) -> None:
    """A4 portrait (or landscape), GB/T 9704 margins, footer distance and the 22-line grid.

    A landscape page keeps the 225 × 156 mm type area: the portrait page turned, so the
    binding margin (28 mm) lies at the top and the page number still sits 7 mm below.
    """
    if landscape:
        size = el("w:pgSz", w=PAGE_H, h=PAGE_W, orient="landscape")
        top, bottom, left, right = MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM
        footer = max(mm(8), MARGIN_RIGHT - (MARGIN_BOTTOM - FOOTER_DIST))
    else:
        size = el("w:pgSz", w=PAGE_W, h=PAGE_H)
        top, bottom, left, right = MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT
        footer = FOOTER_DIST
    put(sect_pr, size, _SECT_ORDER)
    put(
        sect_pr,
        el(
            "w:pgMar",
            top=top,
            right=right,
            bottom=bottom,
            left=left,
            header=mm(15),
            footer=footer,
            gutter=0,
        ),
        _SECT_ORDER,
    )
    put(sect_pr, el("w:cols", space=425), _SECT_ORDER)
    put(sect_pr, el("w:docGrid", type="lines", linePitch=LINE), _SECT_ORDER)


def section_text_width(sect_pr: Any) -> int:
    """Width of the type area of a section in twips."""
    size = sect_pr.find(qn("w:pgSz"))
    mar = sect_pr.find(qn("w:pgMar"))
    if size is None or mar is None:
        return TEXT_W
    return int(size.get(qn("w:w"))) - int(mar.get(qn("w:left"))) - int(mar.get(qn("w:right")))


def fill_page_number(footer: Any, fonts: dict[str, Any], *, odd: bool) -> None:
    """Write 「— N —」 into a footer: odd pages right, even pages left, one 四号 character in."""
    for p in list(footer._element.findall(qn("w:p"))):
        footer._element.remove(p)
    p = OxmlElement("w:p")
    footer._element.append(p)
    if odd:
        set_ppr(p, style="GwFooter", jc="right", right=SMALL_CHAR, left=0)
    else:
        set_ppr(p, style="GwFooter", jc="left", left=SMALL_CHAR, right=0)
    song = {"eastAsia": fonts["eastAsia"], "ascii": fonts["eastAsia"], "hAnsi": fonts["eastAsia"]}
    rpr = make_rpr(song, size=fonts["size"])
    add_run(p, "\u2014 ", rpr)
    add_field(p, "PAGE", "1", rpr)
    add_run(p, " \u2014", rpr)


def clear_footer(footer: Any) -> None:
    """Leave a footer with one empty paragraph (a page that carries no number)."""
    for p in list(footer._element.findall(qn("w:p"))):
        footer._element.remove(p)
    p = OxmlElement("w:p")
    set_ppr(p, style="GwFooter")
    footer._element.append(p)
