"""Lay a `Notice` out as a GB/T 9704-2012 Word document (python-docx + OOXML).

Vertical positions are counted in twips from the type area's top: the mark's top edge
35 mm down, the 发文字号 two blank lines below it with the red rule 4 mm under it, the
header block ending on a grid line so the body lines stay on the 22-line grid, the
title two blank lines below the rule, 主送 one blank line below the title. The 版记 is a
floating table anchored to the bottom of the type area on the last page.
"""

from __future__ import annotations

import copy
import datetime as _dt
import tempfile
import zipfile
from pathlib import Path
from typing import Any, Optional, Union

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from wenming_xl.errors import ConfigError
from wenming_xl.files.writing import atomic_write
from wenming_xl.outputs.notices import gongwen as g
from wenming_xl.outputs.notices import template as gt
from wenming_xl.outputs.notices.notice import (
    Notice,
    TableSpec,
    break_title,
    format_date,
    heading_level,
    split_heading,
    text_width,
)

#: Width of one body character with its −0.25 pt spacing (15.75 pt), in twips.
ADV = 315
#: Mark paragraph: space above and exact height; the glyphs' top lands 35 mm below the type
#: area's top (LibreOffice puts the baseline at 80 % of an exact line).
MARK_SIZE = 36
MARK_LINE = 800
MARK_BEFORE = g.mm(35) + 68
#: Red rule: border width (eighths of a point) and distance below the 文号 line (points).
RULE_SZ = 8
RULE_SPACE = 5
#: The header (mark, two blank lines, 文号, rule) fills this many grid lines.
HEADER_LINES = 8


def _tiny_paragraph() -> Any:
    """An almost zero-height paragraph (carries a section break or anchors a floating table)."""
    p = OxmlElement("w:p")
    g.set_ppr(p, style="GwSpacer", snap=False, line=20)
    return p


class _Writer:
    """Appends paragraphs and tables to a document opened from the template."""

    def __init__(self, document: Any) -> None:
        self.doc = document
        self.fonts = g.FontBook(document)
        missing = self.fonts.missing(gt.STYLE_IDS)
        if missing:
            raise ConfigError(
                f"模板中缺少公文样式：{'、'.join(missing)}。",
                hint="请以 docx_templates/gongwen.docx 为基础修改模板，保留其中的样式名称。",
            )
        self.body = document.element.body
        for child in list(self.body):
            if child.tag != qn("w:sectPr"):
                self.body.remove(child)
        self.sect = self.body.find(qn("w:sectPr"))
        self.landscape = False
        self.last: Any = None

    # ---------------------------------------------------------------- primitives

    def _append(self, element: Any) -> Any:
        self.sect.addprevious(element)
        self.last = element
        return element

    def rpr(self, style: str, *, font_of: Optional[str] = None, **kw: Any) -> Any:
        fonts = self.fonts.fonts(style)
        east = self.fonts.fonts(font_of)["eastAsia"] if font_of else None
        if "color" not in kw and fonts.get("color") not in (None, "auto", "000000"):
            kw["color"] = fonts["color"]  # the mark's red, also on the run
        return g.make_rpr(fonts, east_asia=east, **kw)

    def par(
        self,
        style: str,
        text: str = "",
        *,
        runs: Optional[list[tuple[str, Any]]] = None,
        **ppr: Any,
    ) -> Any:
        p = OxmlElement("w:p")
        g.set_ppr(p, style=style, **ppr)
        if runs is None:
            runs = [(text, self.rpr(style))] if text else []
        for chunk, rpr in runs:
            g.add_run(p, chunk, rpr)
        if not runs:  # keep the empty line's height in the style's font
            ppr_el = p.get_or_add_pPr()
            g.put(ppr_el, self.rpr(style), g._PPR_ORDER)
        return self._append(p)

    def blank(self) -> Any:
        return self.par("GwBody")

    def _left_margin(self) -> int:
        mar = self.sect.find(qn("w:pgMar"))
        return int(mar.get(qn("w:left"))) if mar is not None else g.MARGIN_LEFT

    @property
    def width(self) -> int:
        return g.section_text_width(self.sect)

    # ---------------------------------------------------------------- sections

    def section_break(self, *, landscape: bool, blank_footer: bool = False) -> None:
        """End the current section here; the next content starts a new page in a new section."""
        if self.last is None or self.last.tag != qn("w:p"):
            self._append(_tiny_paragraph())
        prev = copy.deepcopy(self.sect)
        g.put(self.last.get_or_add_pPr(), prev, g._PPR_ORDER)
        g.page_setup(self.sect, landscape=landscape)
        self.landscape = landscape
        if blank_footer:
            section = self.doc.sections[-1]
            for footer in (section.footer, section.even_page_footer):
                footer.is_linked_to_previous = True
                footer.is_linked_to_previous = False
                g.clear_footer(footer)

    # ---------------------------------------------------------------- 版头

    def header(self, n: Notice) -> None:
        mark = n.mark.strip()
        width_pt = self.width / 20 - 4
        size: float = MARK_SIZE
        scale = 100
        if mark and text_width(mark) * size > width_pt:
            size = max(22, int(width_pt / text_width(mark)))
            if text_width(mark) * size > width_pt:
                scale = int(width_pt / (text_width(mark) * size) * 100)
        line = max(MARK_LINE, int(size * 20 * 1.1))
        self.par(
            "GwMark",
            runs=[(mark, self.rpr("GwMark", size=size, scale=scale))] if mark else [],
            before=MARK_BEFORE - (line - MARK_LINE) * 4 // 5,
            line=line,
            snap=False,
        )
        used = MARK_BEFORE - (line - MARK_LINE) * 4 // 5 + line
        rule_extra = (RULE_SPACE * 8 + RULE_SZ) * 20 // 8
        before_no = HEADER_LINES * g.LINE - used - g.LINE - rule_extra
        p = self.par("GwDocNo", n.number, before=before_no, line=g.LINE, snap=False)
        g.bottom_rule(p, sz=RULE_SZ, color=g.RED, space=RULE_SPACE)

    # ---------------------------------------------------------------- 主体

    def title(self, lines: list[str], *, before: int = 0) -> None:
        rpr = self.rpr("GwTitle")
        runs = [("\n".join(lines), rpr)]
        self.par("GwTitle", runs=runs, before=before, line=g.LINE, snap=False)

    def body_text(self, text: str) -> None:
        text = text.strip()
        if not text:
            self.blank()
            return
        level = heading_level(text)
        if level in (1, 2):
            head, rest = split_heading(text)
            if not rest:
                self.par(f"GwH{level}", text)
            else:
                self.par(
                    "GwBody",
                    runs=[
                        (head, self.rpr("GwBody", font_of=f"GwH{level}")),
                        (rest, self.rpr("GwBody")),
                    ],
                )
        elif level in (3, 4) and not split_heading(text)[1] and len(text) <= 30:
            self.par(f"GwH{level}", text)
        else:
            self.par("GwBody", text)

    def attachment_note(self, names: list[str], *, keep_next: bool = False) -> None:
        label = 3 * ADV  # 「附件：」
        if len(names) == 1:
            self.par(
                "GwAttachNote",
                "附件：" + names[0],
                left=2 * g.CHAR + label,
                hanging=label,
                keep_next=keep_next,
            )
            return
        for i, name in enumerate(names, 1):
            num = f"{i}."
            numw = int(text_width(num) * ADV) + 20
            left = 2 * g.CHAR + label + numw
            if i == 1:
                text, hang = f"附件：{num}{name}", label + numw
            else:
                text, hang = f"{num}{name}", numw
            self.par("GwAttachNote", text, left=left, hanging=hang, keep_next=keep_next)

    def signature(self, signer: str, date_text: str, *, keep_next: bool = False) -> None:
        name_w, date_w = text_width(signer), text_width(date_text)
        if signer and name_w - 2 >= date_w:
            name_right, date_right = 2.0, 2 + name_w - 2 - date_w
        else:
            date_right = 2.0
            name_right = max(0.0, 2 + (date_w - name_w) / 2)
        if signer:
            self.par("GwSigner", signer, right=int(name_right * ADV), left=0, keep_next=True)
        if date_text:
            self.par("GwDate", date_text, right=int(date_right * ADV), left=0, keep_next=keep_next)

    # ---------------------------------------------------------------- tables

    def table(self, spec: TableSpec) -> Any:
        width = self.width
        weights = [max(0.1, c.width) for c in spec.columns]
        cols = [int(width * w / sum(weights)) for w in weights]
        cols[-1] += width - sum(cols)
        tbl = OxmlElement("w:tbl")
        tpr = OxmlElement("w:tblPr")
        tpr.append(g.el("w:tblStyle", val="GwTable"))
        tpr.append(g.el("w:tblW", w=width, type="dxa"))
        tpr.append(g.el("w:jc", val="center"))
        tpr.append(g.el("w:tblLayout", type="fixed"))
        tpr.append(
            g.el(
                "w:tblLook",
                val="04A0",
                firstRow=1,
                lastRow=0,
                firstColumn=1,
                lastColumn=0,
                noHBand=0,
                noVBand=1,
            )
        )
        tbl.append(tpr)
        grid = OxmlElement("w:tblGrid")
        for w in cols:
            grid.append(g.el("w:gridCol", w=w))
        tbl.append(grid)
        size = spec.font_size if spec.font_size != 12 else None
        tbl.append(self._row([c.title for c in spec.columns], spec, cols, header=True, size=size))
        prev: list[Optional[str]] = [None] * len(spec.columns)
        for row in spec.rows:
            cells = [str(v) if v is not None else "" for v in row] + [""] * (len(cols) - len(row))
            merge = []
            for i, col in enumerate(spec.columns):
                if col.merge and cells[i] and cells[i] == prev[i]:
                    merge.append("continue")
                elif col.merge:
                    merge.append("restart")
                else:
                    merge.append(None)
                prev[i] = cells[i] if col.merge else None
            tbl.append(self._row(cells, spec, cols, merge=merge, size=size))
        self._append(tbl)
        return tbl

    def _row(self, cells: list[str], spec: TableSpec, cols: list[int], *, header: bool = False,
             merge: Optional[list[Optional[str]]] = None, size: Optional[float] = None) -> Any:  # fmt: skip
        tr = OxmlElement("w:tr")
        trpr = OxmlElement("w:trPr")
        # (not on the header: LibreOffice keeps a table whose rows all say cantSplit on one page)
        if not header and _row_lines(cells, spec, cols) <= 6:
            trpr.append(OxmlElement("w:cantSplit"))
        if header:
            trpr.append(OxmlElement("w:tblHeader"))
        tr.append(trpr)
        style = "GwTableHead" if header else "GwTableText"
        for i, text in enumerate(cells[: len(cols)]):
            tc = OxmlElement("w:tc")
            tcpr = OxmlElement("w:tcPr")
            tcpr.append(g.el("w:tcW", w=cols[i], type="dxa"))
            mode = merge[i] if merge else None
            if mode == "restart":
                tcpr.append(g.el("w:vMerge", val="restart"))
            elif mode == "continue":
                tcpr.append(OxmlElement("w:vMerge"))
            tcpr.append(g.el("w:vAlign", val="center"))
            tc.append(tcpr)
            align = "center" if header else spec.columns[i].align
            lines = [] if mode == "continue" else text.split("\n")
            for line in lines or [""]:
                p = OxmlElement("w:p")
                g.set_ppr(p, style=style, jc=align)
                if line:
                    g.add_run(p, line, self.rpr(style, size=size))
                tc.append(p)
            tr.append(tc)
        return tr

    # ---------------------------------------------------------------- 版记

    def banji(self, rows: list[str], printer_line: tuple[str, str]) -> None:
        """The closing block: rows (主送/抄送) and the 印发 line between thick/thin rules."""
        width = g.TEXT_W if self.landscape else self.width
        # Reserve the block's height in the flow: when the last page has no room for it,
        # this empty line moves to a new page and takes the 版记 with it, instead of the
        # block overlapping the end of the text (LibreOffice would then push a whole
        # preceding table to the next page).
        self.par("GwSpacer", snap=False, line=(len(rows) + 1) * g.LINE + 200)
        tbl = OxmlElement("w:tbl")
        tpr = OxmlElement("w:tblPr")
        tpr.append(g.el("w:tblStyle", val="TableNormal"))
        tpr.append(
            g.el("w:tblpPr", leftFromText=0, rightFromText=0, topFromText=0, bottomFromText=0,
                 vertAnchor="margin", horzAnchor="page", tblpX=self._left_margin(), tblpYSpec="bottom")
        )  # fmt: skip
        tpr.append(g.el("w:tblOverlap", val="never"))
        tpr.append(g.el("w:tblW", w=width, type="dxa"))
        borders = OxmlElement("w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            borders.append(g.el(f"w:{side}", val="nil"))
        tpr.append(borders)
        tpr.append(g.el("w:tblLayout", type="fixed"))
        mar = OxmlElement("w:tblCellMar")
        for side in ("top", "left", "bottom", "right"):
            mar.append(g.el(f"w:{side}", w=0, type="dxa"))
        tpr.append(mar)
        tbl.append(tpr)
        grid = OxmlElement("w:tblGrid")
        grid.append(g.el("w:gridCol", w=width))
        tbl.append(grid)
        all_rows = [(r, False) for r in rows] + [(printer_line, True)]
        for i, (content, is_printer) in enumerate(all_rows):
            tr = OxmlElement("w:tr")
            tc = OxmlElement("w:tc")
            tcpr = OxmlElement("w:tcPr")
            tcpr.append(g.el("w:tcW", w=width, type="dxa"))
            tcb = OxmlElement("w:tcBorders")
            if i == 0:
                tcb.append(g.border_xml("top", 8))
            last = i == len(all_rows) - 1
            tcb.append(g.border_xml("bottom", 8 if last else 6))
            tcpr.append(tcb)
            tc.append(tcpr)
            p = OxmlElement("w:p")
            if is_printer:
                office, when = content
                g.set_ppr(
                    p,
                    style="GwBanji",
                    left=g.SMALL_CHAR,
                    right=0,
                    tabs=[("right", width - g.SMALL_CHAR)],
                )
                g.add_run(p, f"{office}\t{when}", self.rpr("GwBanji"))
            else:
                label = 3 * g.SMALL_CHAR
                g.set_ppr(
                    p, style="GwBanji", left=g.SMALL_CHAR + label, right=g.SMALL_CHAR, hanging=label
                )
                g.add_run(p, content, self.rpr("GwBanji"))
            tc.append(p)
            tr.append(tc)
            tbl.append(tr)
        self._append(tbl)
        self._append(_tiny_paragraph())


def _row_lines(cells: list[str], spec: TableSpec, cols: list[int]) -> int:
    """Estimated number of text lines of a table row (the tallest cell)."""
    most = 1
    for text, width in zip(cells, cols):
        per_line = max(1.0, (width - 170) / (spec.font_size * 20))
        lines = sum(max(1, -int(-text_width(part) // per_line)) for part in str(text).split("\n"))
        most = max(most, lines)
    return most


def _open_template(template: Union[str, Path, None]) -> Any:
    if template is None:
        path = gt.default_template()
        if not path.is_file():  # a source checkout without the built template
            path = gt.build_template(Path(tempfile.mkdtemp(prefix="wenming-tpl-")) / "gongwen.docx")
    else:
        path = Path(template)
        if not path.is_file():
            raise ConfigError(
                f"找不到模板文件：{path}",
                hint="请检查 --template 的路径，或不写 --template 使用内置模板。",
            )
    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ConfigError(
            f"模板文件 {path} 无法打开（{exc}）。",
            hint="模板必须是 Word 的 .docx 文件（不是 .doc、.dotx 或 .wps）；可在 Word/WPS 中“另存为 .docx”。",
        ) from exc


def page_one_lines(title_lines: int) -> int:
    """Grid lines page 1 spends before the first body line: header, blank, title, blank, 主送."""
    return HEADER_LINES + 2 + title_lines + 1 + 1


def build_document(notice: Notice, *, template: Union[str, Path, None] = None) -> Any:
    """Build the python-docx Document of ``notice`` (not saved)."""
    document = _open_template(template)
    w = _Writer(document)
    n = notice
    keep = tuple(n.keep_words) + tuple(x for x in (n.signer,) if x)
    date = n.date or _dt.date.today()
    date_text = format_date(date, n.chinese_date)

    w.header(n)
    title_lines = break_title(n.title, 20, keep)
    w.title(title_lines, before=2 * g.LINE)
    main_to = n.main_to.strip().rstrip("：:")
    main_to_in_banji = bool(main_to) and page_one_lines(len(title_lines)) >= 22
    if main_to and not main_to_in_banji:
        w.blank()
        w.par("GwMainTo", main_to + "：")
    for block in n.body:
        if isinstance(block, TableSpec):
            w.table(block)
        else:
            for line in str(block).split("\n"):
                w.body_text(line)
    # GB/T 9704 §7.3.5: the page with the 署名 and 成文日期 holds body text. The last
    # body paragraph, the 附件说明 and the lines between are kept with the signature, so
    # a page break before the block carries the paragraph's last lines (widow control:
    # two at least) over with it.
    names = n.attachment_names()
    if w.last is not None and w.last.tag == qn("w:p"):
        g.set_ppr(w.last, keep_next=True)
    if names:
        g.set_ppr(w.blank(), keep_next=True)
        w.attachment_note(names, keep_next=True)
    g.set_ppr(w.blank(), keep_next=True)
    w.signature(n.signer.strip(), date_text, keep_next=bool(n.note.strip()))
    if n.note.strip():
        note = n.note.strip()
        if not note.startswith(("（", "(")):
            note = f"（{note}）"
        w.par("GwNote", note)

    pages = n.attachment_pages
    for idx, att in enumerate(pages):
        landscape = bool(att.table is not None and att.table.needs_landscape())
        if landscape != w.landscape:
            w.section_break(landscape=landscape)
            page_break = False
        else:
            page_break = True
        label = "附件" if len(pages) == 1 else f"附件{idx + 1}"
        w.par("GwAttachLabel", label, page_break=page_break)
        w.blank()
        w.title(break_title(att.title, 20 if not landscape else 28, keep))
        if att.paragraphs:
            w.blank()
        for text in att.paragraphs:
            w.body_text(text)
        if att.table is not None:
            w.par("GwSpacer", snap=False, line=g.LINE // 2)
            w.table(att.table)

    rows = []
    if main_to_in_banji:
        rows.append(f"主送：{main_to}。")
    cc = [c.strip() for c in n.cc if c.strip()]
    if cc:
        rows.append("抄送：" + "，".join(cc).rstrip("。") + "。")
    if n.printer.strip():
        if w.landscape:
            w.section_break(landscape=False, blank_footer=True)
            w.par("GwSpacer", snap=False)
        print_date = format_date(n.print_date or date)
        w.banji(rows, (n.printer.strip(), f"{print_date}印发"))
    core = document.core_properties
    core.title = n.title
    core.author = n.signer or "wenming_xl"
    core.language = "zh-CN"
    return document


def render_notice(
    notice: Notice, out: Union[str, Path], *, template: Union[str, Path, None] = None
) -> Path:
    """Write ``notice`` to ``out`` (.docx) through an atomic temp file; return the path."""
    document = build_document(notice, template=template)
    out = Path(out)
    with atomic_write(out) as tmp:
        document.save(str(tmp))
    return out
