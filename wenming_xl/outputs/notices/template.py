"""The 公文 paragraph styles and the default Word template, built from code.

python-docx's own template is Letter-sized with theme fonts and spacing after every
paragraph; this one replaces all of it: explicit East Asian + Latin fonts on every style
(no theme fonts), exact 28.95 pt lines, no hanging punctuation, zh-CN, A4 with the
GB/T 9704 margins and grid, and odd/even page-number footers. ``scripts/make_templates.py``
writes it to ``wenming_xl/templates/gongwen.docx`` (shipped) and ``docx_templates/`` (the
copy users may edit and pass with ``--template``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional, Union

import docx
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn

from wenming_xl.outputs.notices.gongwen import (
    CHAR,
    FONT_FS,
    FONT_HEI,
    FONT_KAI,
    FONT_LATIN,
    FONT_SONG,
    FONT_XBS,
    LINE,
    RED,
    FontBook,
    fill_page_number,
    page_setup,
    set_ppr,
)

#: Windows fonts Word should use where the official one is not installed (w:altName).
ALT_NAMES = {
    FONT_XBS: "宋体",
    FONT_FS: "仿宋",
    FONT_KAI: "楷体",
    FONT_HEI: "SimHei",
    FONT_SONG: "SimSun",
}

# --------------------------------------------------------------------------- styles

#: Style ids the notice writer needs; a user template must keep them.
STYLE_IDS = (
    "Normal",
    "GwBody",
    "GwMark",
    "GwDocNo",
    "GwTitle",
    "GwMainTo",
    "GwSpacer",
    "GwH1",
    "GwH2",
    "GwH3",
    "GwH4",
    "GwAttachNote",
    "GwSigner",
    "GwDate",
    "GwNote",
    "GwAttachLabel",
    "GwTableText",
    "GwTableHead",
    "GwBanji",
    "GwFooter",
)

# (id, name, basedOn, pPr dict, rPr dict). pPr keys: snap, jc, line, first, left, right,
# keep_next, keep_lines. rPr keys: font, size (pt), color, spacing (1/20 pt).
_STYLES: list[tuple[str, str, Optional[str], dict, dict]] = [
    ("GwBody", "公文正文", "Normal", {"first": 2 * CHAR}, {}),
    ("GwMark", "发文机关标志", "Normal", {"snap": False, "jc": "center"},
     {"font": FONT_XBS, "size": 36, "color": RED, "spacing": 0}),
    ("GwDocNo", "发文字号", "Normal", {"snap": False, "jc": "center"}, {}),
    ("GwTitle", "公文标题", "Normal", {"snap": False, "jc": "center", "keep_next": True,
                                     "keep_lines": True}, {"font": FONT_XBS, "size": 22, "spacing": 0}),
    ("GwMainTo", "主送机关", "Normal", {}, {}),
    ("GwSpacer", "空行", "Normal", {"snap": False}, {}),
    ("GwH1", "一级标题", "GwBody", {"keep_next": True}, {"font": FONT_HEI}),
    ("GwH2", "二级标题", "GwBody", {"keep_next": True}, {"font": FONT_KAI}),
    ("GwH3", "三级标题", "GwBody", {}, {"font": FONT_FS}),
    ("GwH4", "四级标题", "GwBody", {}, {"font": FONT_FS}),
    ("GwAttachNote", "附件说明", "Normal", {}, {}),
    ("GwSigner", "发文机关署名", "Normal", {"jc": "right"}, {}),
    ("GwDate", "成文日期", "Normal", {"jc": "right"}, {}),
    ("GwNote", "附注", "Normal", {"first": 2 * CHAR}, {}),
    ("GwAttachLabel", "附件标识", "Normal", {"jc": "left", "keep_next": True}, {"font": FONT_HEI}),
    ("GwTableText", "表格文字", "Normal", {"snap": False, "jc": "left", "line": 360},
     {"size": 12, "spacing": 0}),
    ("GwTableHead", "表格标题行", "GwTableText", {"jc": "center"}, {"font": FONT_HEI}),
    ("GwBanji", "版记", "Normal", {"snap": False, "jc": "left"}, {"size": 14, "spacing": 0}),
    ("GwFooter", "页码", "Normal", {"snap": False, "jc": "right", "line_auto": 240},
     {"font": FONT_SONG, "latin": FONT_SONG, "size": 14, "spacing": 0}),
]  # fmt: skip


def _rfonts_xml(east_asia: str, latin: str = FONT_LATIN) -> str:
    return (
        f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east_asia}" '
        f'w:cs="{latin}" w:hint="eastAsia"/>'
    )


_LANG = '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'


def _ppr_xml(p: dict) -> str:
    out = []
    if p.get("keep_next"):
        out.append("<w:keepNext/>")
    if p.get("keep_lines"):
        out.append("<w:keepLines/>")
    if "snap" in p:
        out.append(f'<w:snapToGrid w:val="{1 if p["snap"] else 0}"/>')
    if "line" in p:
        out.append(f'<w:spacing w:before="0" w:after="0" w:line="{p["line"]}" w:lineRule="exact"/>')
    elif "line_auto" in p:
        out.append(
            f'<w:spacing w:before="0" w:after="0" w:line="{p["line_auto"]}" w:lineRule="auto"/>'
        )
    ind = {k: p[k] for k in ("left", "right", "first") if k in p}
    if ind:
        attrs = []
        if "left" in ind:
            attrs.append(f'w:left="{ind["left"]}"')
        if "right" in ind:
            attrs.append(f'w:right="{ind["right"]}"')
        if "first" in ind:
            attrs.append(f'w:firstLine="{ind["first"]}"')
        out.append(f"<w:ind {' '.join(attrs)}/>")
    if "jc" in p:
        out.append(f'<w:jc w:val="{p["jc"]}"/>')
    return f"<w:pPr>{''.join(out)}</w:pPr>" if out else ""


def _rpr_xml(r: dict) -> str:
    out = []
    if "font" in r:
        out.append(_rfonts_xml(r["font"], r.get("latin", FONT_LATIN)))
    if "color" in r:
        out.append(f'<w:color w:val="{r["color"]}"/>')
    if "spacing" in r:
        out.append(f'<w:spacing w:val="{r["spacing"]}"/>')
    if "size" in r:
        hp = int(round(r["size"] * 2))
        out.append(f'<w:sz w:val="{hp}"/><w:szCs w:val="{hp}"/>')
    if "font" in r:
        out.append(_LANG)
    return f"<w:rPr>{''.join(out)}</w:rPr>" if out else ""


def styles_xml() -> str:
    """The whole ``styles.xml``: explicit fonts everywhere, no theme fonts, no spacing-after."""
    parts = [
        f"<w:styles {nsdecls('w')}>",
        "<w:docDefaults><w:rPrDefault><w:rPr>",
        _rfonts_xml(FONT_FS),
        '<w:sz w:val="32"/><w:szCs w:val="32"/>',
        _LANG,
        "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>",
        '<w:widowControl w:val="0"/><w:overflowPunct w:val="0"/>'
        '<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>',
        f'<w:spacing w:before="0" w:after="0" w:line="{LINE}" w:lineRule="exact"/>',
        '<w:jc w:val="both"/>',
        "</w:pPr></w:pPrDefault></w:docDefaults>",
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        "<w:qFormat/><w:pPr>"
        '<w:widowControl w:val="0"/><w:overflowPunct w:val="0"/>'
        '<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>'
        f'<w:spacing w:before="0" w:after="0" w:line="{LINE}" w:lineRule="exact"/>'
        '<w:jc w:val="both"/></w:pPr><w:rPr>'
        + _rfonts_xml(FONT_FS)
        + '<w:spacing w:val="-5"/><w:sz w:val="32"/><w:szCs w:val="32"/>'
        + _LANG
        + "</w:rPr></w:style>",
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
        "<w:unhideWhenUsed/></w:style>",
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr>'
        '<w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
        '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
        '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>',
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>',
        '<w:style w:type="table" w:styleId="GwTable"><w:name w:val="公文表格"/>'
        '<w:basedOn w:val="TableNormal"/><w:tblPr><w:tblBorders>'
        + "".join(
            f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        + '</w:tblBorders><w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
        '<w:bottom w:w="40" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>'
        "</w:tblPr></w:style>",
    ]
    for sid, name, based, ppr, rpr in _STYLES:
        parts.append(
            f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{sid}">'
            f'<w:name w:val="{name}"/>'
            + (f'<w:basedOn w:val="{based}"/>' if based else "")
            + "<w:qFormat/>"
            + _ppr_xml(ppr)
            + _rpr_xml(rpr)
            + "</w:style>"
        )
    parts.append("</w:styles>")
    return "".join(parts)


def _fix_settings(document: Any) -> None:
    settings = document.settings.element
    document.settings.odd_and_even_pages_header_footer = True
    csc = settings.find(qn("w:characterSpacingControl"))
    if csc is not None:
        csc.set(qn("w:val"), "doNotCompress")
    tfl = settings.find(qn("w:themeFontLang"))
    if tfl is not None:
        tfl.set(qn("w:eastAsia"), "zh-CN")
    tab = settings.find(qn("w:defaultTabStop"))
    if tab is not None:
        tab.set(qn("w:val"), str(CHAR * 2))
    rsids = settings.find(qn("w:rsids"))
    if rsids is not None:
        settings.remove(rsids)


def _fix_font_table(document: Any) -> None:
    part = None
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/fontTable"):
            part = rel.target_part
    if part is None:
        return
    root = parse_xml(part.blob)
    for name, alt in ALT_NAMES.items():
        font = parse_xml(
            f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alt}"/>'
            '<w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
        )
        root.append(font)
    from lxml import etree

    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def build_template(path: Union[str, Path]) -> Path:
    """Build the default 公文 template (styles, page setup, page-number footers) at ``path``."""
    document = docx.Document()
    # styles: replace python-docx's Letter/theme-font styles with ours
    styles_part = document.part._styles_part
    styles_part._element = parse_xml(styles_xml())
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            document.part.drop_rel(rel_id)
    _fix_settings(document)
    _fix_font_table(document)
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    section = document.sections[0]
    page_setup(section._sectPr)
    fonts = FontBook(document).fonts("GwFooter")
    section.footer.is_linked_to_previous = False
    fill_page_number(section.footer, fonts, odd=True)
    section.even_page_footer.is_linked_to_previous = False
    fill_page_number(section.even_page_footer, fonts, odd=False)
    # one empty body paragraph, as Word expects
    p = OxmlElement("w:p")
    set_ppr(p, style="GwBody")
    body.insert(0, p)
    pkg = document.part.package
    for rel_id, rel in list(pkg.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            pkg.rels.pop(rel_id)
    core = document.core_properties
    core.title = "公文模板（GB/T 9704-2012）"
    core.author = "wenming_xl"
    core.comments = "由 wenming_xl 生成；可修改字体、颜色，但请保留各样式名称。"
    core.language = "zh-CN"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def default_template() -> Path:
    """Path of the template shipped inside the package."""
    import wenming_xl

    return Path(wenming_xl.__file__).resolve().parent / "templates" / "gongwen.docx"
