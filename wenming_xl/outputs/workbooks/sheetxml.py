"""XML-level pieces of package surgery: one worksheet edited as text, styles.xml, new sheets.

`SheetXml` edits a worksheet row by row without building a tree: it finds the rows it
must change with a regular expression over ``<sheetData>``, puts new cells in column
order (replacing cells of the same column), and copies every other byte as it was.
`StyleBook` appends fonts, fills, borders and cell formats to ``styles.xml`` — reusing an
identical one when an earlier run added it — and `render_sheet` writes a new worksheet.
Text always goes in as an inline string (``t="inlineStr"``): never a formula.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Optional

from wenming_xl.outputs.workbooks.cells import col_letter, col_number, xml_text

__all__ = [
    "PackageError",
    "SheetXml",
    "StyleBook",
    "attrs_of",
    "cell_xml",
    "insert_before_close",
    "part_text",
    "render_sheet",
    "split_ref",
    "string_item_text",
    "xml_unescape",
]

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_ROW_RE = re.compile(r"<((?:\w+:)?)row(?=[\s/>])([^>]*?)(/>|>(.*?)</\1row\s*>)", re.S)
_CELL_RE = re.compile(r"<((?:\w+:)?)c(?=[\s/>])([^>]*?)(/>|>(.*?)</\1c\s*>)", re.S)
_ATTR_RE = re.compile(r"([\w:.-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_REF_RE = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)$")


class PackageError(Exception):
    """The package has a structure surgery does not handle (the caller falls back)."""


def attrs_of(tag: str) -> dict[str, str]:
    """Attributes of a start tag, ``{"r": "A1", "s": "3"}`` (entities left as written)."""
    return {
        m.group(1): m.group(2) if m.group(2) is not None else m.group(3)
        for m in _ATTR_RE.finditer(tag)
    }


def split_ref(ref: str) -> tuple[int, int]:
    """``"AB12"`` → ``(12, 28)`` (row, column)."""
    m = _REF_RE.match(ref.strip())
    if not m:
        raise PackageError(f"bad cell reference {ref!r}")
    return int(m.group(2)), col_number(m.group(1))


def cell_xml(row: int, col: int, value: Any, style: int = 0, prefix: str = "") -> str:
    """One ``<c>`` element: numbers as ``<v>``, text always as an inline string, never ``<f>``."""
    ref = f"{col_letter(col)}{row}"
    s = f' s="{style}"' if style else ""
    if value is None or value == "":
        return f'<{prefix}c r="{ref}"{s}/>'
    if isinstance(value, bool):
        return f'<{prefix}c r="{ref}"{s} t="b"><{prefix}v>{int(value)}</{prefix}v></{prefix}c>'
    if isinstance(value, (int, float)):
        v = int(value) if float(value).is_integer() else float(value)
        return f'<{prefix}c r="{ref}"{s}><{prefix}v>{v!r}</{prefix}v></{prefix}c>'
    t = f'<{prefix}t xml:space="preserve">{xml_text(str(value))}</{prefix}t>'
    return f'<{prefix}c r="{ref}"{s} t="inlineStr"><{prefix}is>{t}</{prefix}is></{prefix}c>'


def part_text(data: bytes, part: str) -> str:
    """A part's XML as text; DTDs (and so entity tricks) are refused, UTF-8 only."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:4096]:
        raise PackageError(f"{part}: DTDs are refused")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PackageError(f"{part} is not UTF-8") from exc


def insert_before_close(text: str, tag: str, snippet: str, part: str) -> str:
    """Insert ``snippet`` before the last ``</[p:]tag>``, expanding an empty ``<tag/>``."""
    closes = list(re.finditer(rf"</((?:\w+:)?){tag}\s*>", text))
    if closes:
        at = closes[-1].start()
        return text[:at] + snippet + text[at:]
    empty = re.search(rf"<((?:\w+:)?){tag}\b([^>]*?)/>", text)
    if empty:
        p = empty.group(1)
        repl = f"<{p}{tag}{empty.group(2)}>{snippet}</{p}{tag}>"
        return text[: empty.start()] + repl + text[empty.end() :]
    raise PackageError(f"{part}: no <{tag}> element")


def prefix_of(text: str, tag: str) -> str:
    """The namespace prefix (``"x:"`` or ``""``) the first ``tag`` element is written with."""
    m = re.search(rf"<((?:\w+:)?){tag}\b", text)
    return m.group(1) if m else ""


@dataclass
class Cell:
    """A ``<c>`` element of a row as found in the sheet XML."""

    col: int
    attrs: dict[str, str]
    xml: str
    inner: str

    @property
    def has_value(self) -> bool:
        return re.search(r"<(?:\w+:)?(?:v|is|f)[\s/>]", self.inner) is not None

    @property
    def style(self) -> int:
        s = self.attrs.get("s", "0")
        return int(s) if s.isdigit() else 0

    @property
    def shared_index(self) -> Optional[int]:
        """The sharedStrings index of a ``t="s"`` cell, else None."""
        v = re.search(r"<(?:\w+:)?v>\s*(\d+)\s*<", self.inner)
        return int(v.group(1)) if v and self.attrs.get("t") == "s" else None

    def text(self, shared: dict[int, str]) -> Optional[str]:
        """The cell's text: a shared string (looked up in ``shared``), inline, or a plain value."""
        t = self.attrs.get("t", "n")
        if t == "s":
            index = self.shared_index
            return None if index is None else shared.get(index)
        if t == "inlineStr":
            return string_item_text(self.inner)
        v = re.search(r"<(?:\w+:)?v>([^<]*)<", self.inner)
        return xml_unescape(v.group(1)) if v else None


_ENTITY_RE = re.compile(r"&(#x[0-9A-Fa-f]+|#\d+|lt|gt|amp|quot|apos);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def xml_unescape(text: str) -> str:
    """Resolve the five XML entities and character references (``&#24471;``)."""

    def one(m: re.Match[str]) -> str:
        ref = m.group(1)
        if ref.startswith("#x"):
            return chr(int(ref[2:], 16))
        return chr(int(ref[1:])) if ref.startswith("#") else _NAMED[ref]

    return _ENTITY_RE.sub(one, text)


def string_item_text(xml: str) -> str:
    """Text of an ``<is>`` or ``<si>`` element: its ``<t>`` runs, phonetic runs left out."""
    xml = re.sub(r"<((?:\w+:)?)rPh\b.*?</\1rPh\s*>", "", xml, flags=re.S)
    return xml_unescape("".join(re.findall(r"<(?:\w+:)?t(?:\s[^>]*)?>([^<]*)</", xml)))


class SheetXml:
    """A worksheet's XML, edited row by row as text (never parsed into a tree)."""

    def __init__(self, data: bytes, part: str):
        text = part_text(data, part)
        m = re.search(r"<((?:\w+:)?)sheetData\b[^>]*?(/?)>", text)
        if m is None:
            raise PackageError(f"{part}: no <sheetData>")
        self.prefix = m.group(1)
        if m.group(2):  # <sheetData/>: an empty sheet
            self.head, self.body, self.tail = (
                text[: m.start()],
                "",
                f"</{self.prefix}sheetData>" + text[m.end() :],
            )
            self.open_tag = m.group(0)[:-2] + ">"
        else:
            close = text.find(f"</{self.prefix}sheetData>", m.end())
            if close < 0:
                raise PackageError(f"{part}: unterminated <sheetData>")
            self.head, self.open_tag = text[: m.start()], m.group(0)
            self.body, self.tail = text[m.end() : close], text[close:]
        self.rows: dict[int, re.Match[str]] = {}
        self.numbered = True
        last = 0
        for row in _ROW_RE.finditer(self.body):
            r = attrs_of(row.group(2)).get("r")
            self.numbered = self.numbered and r is not None
            last = int(r) if r and r.isdigit() else last + 1
            self.rows[last] = row

    def cells(self, row: int) -> list[Cell]:
        """The cells of a row (empty when the row is absent)."""
        m = self.rows.get(row)
        out: list[Cell] = []
        col = 0
        for c in _CELL_RE.finditer(m.group(4) or "") if m else ():
            attrs = attrs_of(c.group(2))
            col = split_ref(attrs["r"])[1] if "r" in attrs else col + 1
            out.append(Cell(col, attrs, c.group(0), c.group(4) or ""))
        return out

    def merges(self) -> list[tuple[int, int, int, int]]:
        """Merged ranges as (first row, first col, last row, last col)."""
        out = []
        for ref in re.findall(r"<(?:\w+:)?mergeCell\b[^>]*?ref=\"([^\"]+)\"", self.tail):
            a, _, b = ref.partition(":")
            (r1, c1), (r2, c2) = split_ref(a), split_ref(b or a)
            out.append((r1, c1, r2, c2))
        return out

    def last_used_col(self, first_row: int, last_row: int) -> int:
        """The rightmost column holding a value, or merged, in rows ``first_row..last_row``."""
        last = 0
        for r, _ in self.rows.items():
            if first_row <= r <= last_row:
                last = max([last] + [c.col for c in self.cells(r) if c.has_value])
        for r1, _c1, r2, c2 in self.merges():
            if r1 <= last_row and r2 >= first_row:
                last = max(last, c2)
        return last

    def col_width(self, col: int) -> Optional[float]:
        """The width the sheet gives column ``col`` (None: the default width)."""
        m = re.search(r"<(?:\w+:)?cols\b[^>]*>(.*?)</(?:\w+:)?cols\s*>", self.head, re.S)
        for tag in re.findall(r"<(?:\w+:)?col\b[^>]*>", m.group(1) if m else ""):
            a = attrs_of(tag)
            try:
                if int(a.get("min", "0")) <= col <= int(a.get("max", a.get("min", "0"))):
                    return float(a["width"]) if "width" in a else None
            except ValueError:
                continue
        return None

    def row_height(self, row: int) -> Optional[float]:
        """The row's own height in points (None: the sheet's default)."""
        m = self.rows.get(row)
        try:
            return float(attrs_of(m.group(2))["ht"]) if m else None
        except (KeyError, ValueError):
            return None

    def _row_xml(self, row: int, new: dict[int, str], height: Optional[float] = None) -> str:
        p = self.prefix
        m = self.rows.get(row)
        ht = f' ht="{height:g}" customHeight="1"' if height else ""
        if m is None:
            return f'<{p}row r="{row}"{ht}>{"".join(new[c] for c in sorted(new))}</{p}row>'
        attrs = re.sub(r'\sspans\s*=\s*"[^"]*"', "", m.group(2))
        if "r" not in attrs_of(attrs):
            attrs = f' r="{row}"{attrs}'
        if height:
            attrs = re.sub(r'\s(?:ht|customHeight)\s*=\s*"[^"]*"', "", attrs) + ht
        inner, pending = m.group(4) or "", sorted(new)
        out, pos = [], 0
        for cell, c in zip(self.cells(row), _CELL_RE.finditer(inner)):
            out.append(inner[pos : c.start()])
            pos = c.end()
            while pending and pending[0] < cell.col:
                out.append(new[pending.pop(0)])
            if pending and pending[0] == cell.col:
                out.append(new[pending.pop(0)])
            elif "r" in cell.attrs:
                out.append(c.group(0))
            else:
                out.append(
                    f'<{c.group(1)}c r="{col_letter(cell.col)}{row}"{c.group(2)}{c.group(3)}'
                )
        out += [new[c] for c in pending] + [inner[pos:]]
        return f"<{p}row{attrs}>{''.join(out)}</{p}row>"

    def render(
        self,
        new: dict[int, dict[int, str]],
        widths: dict[int, float],
        heights: Optional[dict[int, float]] = None,
    ) -> bytes:
        """The sheet with ``new[row][col]`` cells put in place, ``widths`` for new columns and
        ``heights`` (points) for rows whose new text needs more room than they have."""
        heights = heights or {}
        if any(r not in self.rows for r in new) and not self.numbered:
            raise PackageError("cannot insert a row among rows without numbers")
        pieces, pos, pending = [], 0, sorted(new)
        for r, m in sorted(self.rows.items(), key=lambda kv: kv[1].start()):
            pieces.append(self.body[pos : m.start()])
            pos = m.end()
            while pending and pending[0] < r and pending[0] not in self.rows:
                extra = pending.pop(0)
                pieces.append(self._row_xml(extra, new[extra], heights.get(extra)))
            if r in new:
                pieces.append(self._row_xml(r, new[r], heights.get(r)))
                pending.remove(r)
            else:
                pieces.append(m.group(0))
        pieces.append(self.body[pos:])
        pieces += [self._row_xml(r, new[r], heights.get(r)) for r in pending]
        head = self._dimension(self.head, new)
        head = self._cols(head, widths)
        return (head + self.open_tag + "".join(pieces) + self.tail).encode("utf-8")

    def _dimension(self, head: str, new: dict[int, dict[int, str]]) -> str:
        m = re.search(r"(<(?:\w+:)?dimension\b[^>]*?ref=\")([^\"]*)(\")", head)
        if m is None or not new:
            return head
        try:
            a, _, b = m.group(2).partition(":")
            (r1, c1), (r2, c2) = split_ref(a), split_ref(b or a)
        except PackageError:
            return head
        r2 = max([r2] + list(new))
        c2 = max([c2] + [c for cells in new.values() for c in cells])
        ref = f"{col_letter(c1)}{r1}:{col_letter(c2)}{r2}"
        return head[: m.start(2)] + ref + head[m.end(2) :]

    def _cols(self, head: str, widths: dict[int, float]) -> str:
        if not widths:
            return head
        p = self.prefix
        ours = [
            f'<{p}col min="{c}" max="{c}" width="{w}" customWidth="1"/>'
            for c, w in sorted(widths.items())
        ]
        keyed = [(c, x) for c, x in zip(sorted(widths), ours)]
        m = re.search(rf"<{re.escape(p)}cols\b[^>]*>(.*?)</{re.escape(p)}cols\s*>", head, re.S)
        if m is None:
            return f"{head}<{p}cols>{''.join(ours)}</{p}cols>"
        for col in re.finditer(
            rf"<{re.escape(p)}col\b[^>]*?(?:/>|>\s*</{re.escape(p)}col\s*>)", m.group(1)
        ):
            a = attrs_of(col.group(0))
            lo, hi = int(a.get("min", "1")), int(a.get("max", a.get("min", "1")))
            start = lo
            for c in [c for c in sorted(widths) if lo <= c <= hi] + [hi + 1]:
                if start <= c - 1:
                    piece = re.sub(r'\bmin="\d+"', f'min="{start}"', col.group(0))
                    keyed.append((start, re.sub(r'\bmax="\d+"', f'max="{c - 1}"', piece)))
                start = c + 1
        keyed.sort(key=lambda kv: kv[0])
        block = f"<{p}cols>{''.join(x for _, x in keyed)}</{p}cols>"
        return head[: m.start()] + block + head[m.end() :]


class StyleBook:
    """styles.xml with fonts, fills, borders and cell formats appended (reused when present)."""

    MINIMAL = (
        f'{DECL}<styleSheet xmlns="{MAIN_NS}"><fonts count="1"><font><sz val="11"/><name val="等线"/>'
        '<family val="2"/><charset val="134"/></font></fonts><fills count="2"><fill><patternFill '
        'patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
    )
    _SECTIONS = {"fonts": "font", "fills": "fill", "borders": "border", "cellXfs": "xf"}

    def font_size(self) -> float:
        """The size (points) of the workbook's default font (its first), 11 when unsaid."""
        first = self._children["fonts"][0] if self._children["fonts"] else ""
        m = re.search(r"<(?:\w+:)?sz\b[^>]*?val=\"([0-9.]+)\"", first)
        return float(m.group(1)) if m else 11.0

    def __init__(self, text: str):
        self.text = text
        self.p = prefix_of(text, "styleSheet")
        self._children: dict[str, list[str]] = {}
        self._added: dict[str, list[str]] = {s: [] for s in self._SECTIONS}
        self._memo: dict[tuple[Any, ...], int] = {}
        p = re.escape(self.p)
        for section, child in self._SECTIONS.items():
            m = re.search(rf"<{p}{section}\b[^>]*?(?:/>|>(.*?)</{p}{section}\s*>)", text, re.S)
            if m is None:
                raise PackageError(f"styles.xml has no <{section}>")
            inner = m.group(1) or ""
            found = re.finditer(
                rf"<{p}{child}(?=[\s/>])[^>]*?(?:/>|>.*?</{p}{child}\s*>)", inner, re.S
            )
            self._children[section] = [c.group(0) for c in found]
        self.has_style_xfs = re.search(rf"<{p}cellStyleXfs\b", text) is not None

    @property
    def changed(self) -> bool:
        """True once something was appended."""
        return any(self._added.values())

    def _index(self, section: str, xml: str) -> int:
        items = self._children[section] + self._added[section]
        if xml in items:
            return items.index(xml)
        self._added[section].append(xml)
        return len(items)

    def font(self, bold: bool = False) -> int:
        """The default font, or a bold copy of it."""
        if not bold:
            return 0
        base = (
            self._children["fonts"][0]
            if self._children["fonts"]
            else f"<{self.p}font></{self.p}font>"
        )
        if re.search(rf"<{re.escape(self.p)}b\s*/>", base):
            return 0
        if base.endswith("/>"):
            base = base[:-2] + f"></{self.p}font>"
        cut = base.index(">") + 1
        return self._index("fonts", f"{base[:cut]}<{self.p}b/>{base[cut:]}")

    def xf(
        self,
        *,
        bold: bool = False,
        fill: Optional[str] = None,
        border: bool = True,
        halign: Optional[str] = None,
        valign: str = "center",
        wrap: bool = False,
        numfmt: int = 0,
        quote: bool = False,
    ) -> int:
        """Index of a cell format with these properties (``fill`` an RGB such as ``"C6EFCE"``)."""
        key = (bold, fill, border, halign, valign, wrap, numfmt, quote)
        if key in self._memo:
            return self._memo[key]
        p = self.p
        font = self.font(bold)
        fill_id = 0
        if fill:
            fill_id = self._index(
                "fills",
                f'<{p}fill><{p}patternFill patternType="solid"><{p}fgColor rgb="FF{fill}"/><{p}bgColor indexed="64"/></{p}patternFill></{p}fill>',
            )
        border_id = 0
        if border:
            sides = "".join(
                f'<{p}{s} style="thin"><{p}color rgb="FF808080"/></{p}{s}>'
                for s in ("left", "right", "top", "bottom")
            )
            border_id = self._index("borders", f"<{p}border>{sides}<{p}diagonal/></{p}border>")
        align = (
            f' vertical="{valign}"'
            + (f' horizontal="{halign}"' if halign else "")
            + (' wrapText="1"' if wrap else "")
        )
        xml = (
            f'<{p}xf numFmtId="{numfmt}" fontId="{font}" fillId="{fill_id}" borderId="{border_id}"'
            + (' xfId="0"' if self.has_style_xfs else "")
            + (' quotePrefix="1"' if quote else "")
            + f' applyNumberFormat="1" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1"><{p}alignment{align}/></{p}xf>'
        )
        self._memo[key] = self._index("cellXfs", xml)
        return self._memo[key]

    def render(self) -> str:
        """styles.xml with the appended elements and updated counts."""
        text = self.text
        for section in self._SECTIONS:
            if not self._added[section]:
                continue
            text = insert_before_close(text, section, "".join(self._added[section]), "styles.xml")
            count = len(self._children[section]) + len(self._added[section])
            m = re.search(rf"<{re.escape(self.p)}{section}\b[^>]*>", text)
            assert m is not None
            tag = m.group(0)
            new = (
                re.sub(r'\scount="\d+"', f' count="{count}"', tag)
                if "count=" in tag
                else tag.replace(section, f'{section} count="{count}"', 1)
            )
            text = text[: m.start()] + new + text[m.end() :]
        return text


def line_height(font_size: float = 11.0) -> float:
    """Points one wrapped line takes: CJK faces (等线, 宋体, Noto CJK) are about 1.45 em tall."""
    return round(font_size * 1.5, 1)


#: Height of a line of 11-point text; a wrapped cell is ``lines × LINE_HEIGHT + ROW_PAD``.
LINE_HEIGHT = line_height(11.0)
ROW_PAD = 4.0
_WIDE_RE = re.compile("[\u2e80-\U0010ffff]")


#: Columns (widths of the digit 0) a CJK character takes: 1 em of 11 pt is 14.7 px, a column 7 px.
_WIDE_COLUMNS = 2.15


def text_lines(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column ``width`` characters wide (CJK counts 2.15)."""
    room = max(width - 1.5, 1.0)
    if _WIDE_COLUMNS * len(text) <= room and "\n" not in text:
        return 1
    total = 0
    for line in text.split("\n"):
        narrow = len(_WIDE_RE.sub("", line))
        chars = _WIDE_COLUMNS * (len(line) - narrow) + narrow
        total += max(1, math.ceil(chars / room - 1e-9))
    return total


def fit_height(cells: Iterable[tuple[Any, float]], font_size: float = 11.0) -> Optional[float]:
    """The row height (points) that shows every wrapped text of ``(value, column width)``
    whole, or None when one line is enough (LibreOffice does not fit rows on load)."""
    scale = 11.0 / font_size  # a bigger font fits fewer characters in a column
    lines = max([1] + [text_lines(v, w * scale) for v, w in cells if isinstance(v, str) and v])
    return lines * line_height(font_size) + ROW_PAD if lines > 1 else None


def render_sheet(
    rows: list[list[tuple[Any, int]]],
    widths: list[float],
    *,
    freeze_rows: int = 0,
    autofilter: Optional[tuple[int, int]] = None,
    wrap_cols: tuple[int, ...] = (),
) -> bytes:
    """A new worksheet: ``rows[i][j] = (value, style)`` from A1, printed A4 landscape, fit to width.

    ``autofilter`` is (header row, last row) over all columns; ``freeze_rows`` keeps the
    first rows visible when scrolling; rows whose text in a ``wrap_cols`` column (1-based)
    needs several lines get an explicit height (LibreOffice does not fit them on load).
    """
    ncols = max([len(r) for r in rows] + [len(widths), 1])
    last = f"{col_letter(ncols)}{max(len(rows), 1)}"
    view = '<sheetView workbookViewId="0"'
    if freeze_rows:
        top = f"A{freeze_rows + 1}"
        pane = f'<pane ySplit="{freeze_rows}" topLeftCell="{top}" activePane="bottomLeft" state="frozen"/>'
        view += (
            f'>{pane}<selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/></sheetView>'
        )
    else:
        view += "/>"
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, 1)
    )
    body = []
    for r, row in enumerate(rows, 1):
        cells = "".join(
            cell_xml(r, c, v, s) for c, (v, s) in enumerate(row, 1) if (v, s) != (None, 0)
        )
        lines = max(
            [1]
            + [
                text_lines(str(v), widths[c - 1])
                for c, (v, _s) in enumerate(row, 1)
                if c in wrap_cols and c <= len(widths) and isinstance(v, str)
            ]
        )
        ht = f' ht="{lines * LINE_HEIGHT + ROW_PAD:g}" customHeight="1"' if lines > 1 else ""
        body.append(f'<row r="{r}"{ht}>{cells}</row>' if cells else f'<row r="{r}"/>')
    auto = ""
    if autofilter:
        first, end = autofilter
        auto = f'<autoFilter ref="A{first}:{col_letter(ncols)}{max(end, first)}"/>'
    xml = (
        f'{DECL}<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheetPr><pageSetUpPr fitToPage="1"/>'
        f'</sheetPr><dimension ref="A1:{last}"/><sheetViews>{view}</sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>{"".join(body)}'
        f'</sheetData>{auto}<printOptions horizontalCentered="1"/><pageMargins left="0.5" '
        'right="0.5" top="0.6" bottom="0.6" header="0.3" footer="0.3"/><pageSetup paperSize="9" '
        'orientation="landscape" fitToWidth="1" fitToHeight="0"/></worksheet>'
    )
    return xml.encode("utf-8")
