"""Read a plan or notice (.txt or .docx) into paragraphs and tables, and recognise its outline.

A plan's text is a stream of blocks in document order: `Para` (one paragraph, with where
it came from) and `Table` (rows of `Cell`). Word documents give real tables; the seed
texts (a Word table saved as plain text) give them as lines that start with a tab, one
cell per tab line, a cell's further lines following without a tab. This module only
reads and classifies text; deciding what is a task is `plan_import`'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Union

from wenming_xl.errors import WenmingError
from wenming_xl.text import normalize

# --------------------------------------------------------------------------- blocks


@dataclass
class Para:
    """One paragraph of running text and where it is (「第12行」 / 「第12段」)."""

    text: str
    where: str


@dataclass
class Cell:
    """One table cell: its text (lines joined by newlines) and where it is."""

    text: str
    where: str
    #: True when Word merged this cell into the one above (its text repeats that cell's).
    merged_above: bool = False


@dataclass
class Table:
    """A table in document order: ``rows`` of cells, ``number`` counting from 1."""

    number: int
    rows: list[list[Cell]] = field(default_factory=list)
    #: Where the table starts (「第57行」), for messages.
    where: str = ""


Block = Union[Para, Table]


@dataclass
class Document:
    """A plan read from one file: its blocks in order and the source path."""

    path: Path
    blocks: list[Block] = field(default_factory=list)

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def paragraphs(self) -> list[Para]:
        return [b for b in self.blocks if isinstance(b, Para)]


class PlanError(WenmingError, ValueError):
    """A plan file cannot be read (wrong format, not text, damaged .docx)."""


# --------------------------------------------------------------------------- reading


def read_document(path: Union[str, Path]) -> Document:
    """Read a ``.txt`` (UTF-8, else GBK) or ``.docx`` plan into a `Document`."""
    path = Path(path)
    if not path.exists():
        raise PlanError(
            f"找不到文件：{path}",
            path=str(path),
            hint="请检查文件名和所在文件夹是否正确。",
        )
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _read_docx(path)
    if suffix in (".txt", ".text", ""):
        return _read_txt(path)
    if suffix in (".doc", ".wps", ".rtf", ".pdf"):
        raise PlanError(
            f"{path.name} 是 {suffix} 格式，无法直接读取。",
            path=str(path),
            hint="请在 Word 或 WPS 中打开后“另存为”Word 文档（.docx），再运行本命令。",
        )
    raise PlanError(
        f"{path.name}：不认识的文件类型 {suffix}，只能读取 Word 文档（.docx）或纯文本（.txt）。",
        path=str(path),
        hint="请把工作计划另存为 .docx 或 .txt 后再试。",
    )


def decode_text(data: bytes, name: str = "") -> str:
    """Decode a text file: UTF-8 (with or without BOM), else GB18030 (GBK); never guess silently."""
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise PlanError(
        f"{name}：无法识别文件的文字编码（既不是 UTF-8 也不是 GBK）。",
        path=name,
        hint="请用记事本打开该文件，“另存为”时编码选择 UTF-8，再运行本命令。",
    )


def _read_txt(path: Path) -> Document:
    data = path.read_bytes()
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PlanError(
            f"{path.name} 不是纯文本文件（可能是改了扩展名的 Word 或其他文件）。",
            path=str(path),
            hint="请确认文件内容；Word 文档请保存为 .docx 后再读取。",
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        text = decode_text(data, path.name)
    return Document(path=path, blocks=parse_text(text))


def parse_text(text: str) -> list[Block]:
    """Split plain text into paragraphs (one per non-blank line) and tab-cell tables."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[Block] = []
    i, tables = 0, 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("\t"):
            tables += 1
            table, i = _read_tab_table(lines, i, tables)
            blocks.append(table)
            continue
        if line.strip():
            blocks.append(Para(text=line.strip(), where=f"第{i + 1}行"))
        i += 1
    return blocks


def _is_closing(line: str) -> bool:
    """A line that ends a table in a notice: 抄送, 印发, 说明, 主题词, 附件."""
    s = normalize(line).strip()
    return (
        bool(re.match(r"(抄送|主送|印发|说明|备注|主题词|附件|注)\s*[:：]", s)) or "印发" in s[-6:]
    )


def _read_tab_table(lines: list[str], start: int, number: int) -> tuple[Table, int]:
    """Read the table starting at ``lines[start]``: cells are tab lines plus their following lines."""
    cells: list[tuple[int, list[str]]] = []
    i = start
    # The header row: the tab lines (with their continuation lines) before the first blank line.
    width = 0
    while i < len(lines) and lines[i].strip():
        width += lines[i].startswith("\t")
        i += 1
    i = start
    blank_run = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("\t"):
            cells.append((i, [line[1:]]))
            blank_run = 0
            i += 1
            continue
        if not line.strip():
            blank_run += 1
            i += 1
            continue
        # A line without a tab continues the current cell, unless the table has ended:
        # a complete last row followed by two blank lines or a closing line (抄送…), and no
        # tab line further down.
        row_complete = width and len(cells) % width == 0
        if row_complete and (blank_run >= 2 or _is_closing(line)) and not _more_tabs(lines, i):
            break
        cells[-1][1].append(line)
        blank_run = 0
        i += 1
    table = Table(number=number, where=f"第{start + 1}行")
    width = max(width, 1)
    for k in range(0, len(cells), width):
        row = []
        for col, (line_no, parts) in enumerate(cells[k : k + width]):
            row.append(
                Cell(
                    text=clean_cell(parts),
                    where=f"表格{number} 第{k // width + 1}行第{col + 1}列（第{line_no + 1}行）",
                )
            )
        table.rows.append(row)
    return table, i


def _more_tabs(lines: list[str], i: int) -> bool:
    """True when a tab line follows before the text ends (the table goes on)."""
    return any(ln.startswith("\t") for ln in lines[i:])


def clean_cell(parts: list[str]) -> str:
    """A cell's text: lines stripped, blank lines dropped, a repeated block kept once.

    Word repeats the text of a merged cell when it is saved as plain text (「一、…（44分）」
    twice), and writes a cell in vertical text (「组/织/管/理」) with its first character
    doubled and the characters again one per line; both are undone here.
    """
    lines = [p.strip() for p in parts if p.strip()]
    n = len(lines)
    for period in range(1, n // 2 + 1):
        if n % period == 0 and lines == lines[:period] * (n // period):
            lines = lines[:period]
            break
    return "\n".join(_undo_vertical(lines))


def _undo_vertical(lines: list[str]) -> list[str]:
    """Undo the plain-text export of a vertical-text cell (「组组织管理/440分/织/管/理」)."""
    tail: list[str] = []
    for ln in reversed(lines):
        if len(ln) == 1:
            tail.insert(0, ln)
        else:
            break
    if len(tail) < 2 or len(tail) == len(lines):
        return lines
    chars = "".join(tail)
    head = lines[: len(lines) - len(tail)]
    first = head[0]
    if not (len(first) > 2 and first[0] == first[1] and first[1:].endswith(chars)):
        return lines
    return [ln[1:] if len(ln) > 2 and ln[0] == ln[1] else ln for ln in head]


def _read_docx(path: Path) -> Document:
    try:
        import docx  # python-docx
        from docx.table import Table as DocxTable
        from docx.text.paragraph import Paragraph as DocxParagraph
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise PlanError(
            "读取 Word 文档需要 python-docx。", hint="请运行 pip install python-docx。"
        ) from exc
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds for damaged files
        raise PlanError(
            f"{path.name}：无法作为 Word 文档（.docx）打开（{type(exc).__name__}）。",
            path=str(path),
            hint="文件可能已损坏、加了密码，或其实是旧版 .doc / WPS 文件；"
            "请在 Word 或 WPS 中打开后另存为 .docx 再试。",
        ) from exc
    blocks: list[Block] = []
    para_no = tables = 0
    counters: dict[tuple[str, int], int] = {}
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = DocxParagraph(child, document)
            text = para.text
            if not text.strip():
                continue
            para_no += 1
            text = _auto_number(child, text, counters, _style_numbering(para))
            for k, piece in enumerate(text.split("\n")):
                if piece.strip():
                    where = f"第{para_no}段" if k == 0 else f"第{para_no}段（第{k + 1}行）"
                    blocks.append(Para(text=piece.strip(), where=where))
        elif tag == "tbl":
            tables += 1
            blocks.append(_docx_table(DocxTable(child, document), tables, para_no))
    return Document(path=path, blocks=blocks)


def _docx_table(table, number: int, after_para: int) -> Table:
    """A python-docx table as a `Table`; merged cells are recognised by their shared XML."""
    out = Table(number=number, where=f"第{after_para}段之后" if after_para else "文档开头")
    above: list = []
    for r, row in enumerate(table.rows):
        cells: list[Cell] = []
        seen_tc: list = []
        tcs = []
        for c, cell in enumerate(row.cells):
            tc = cell._tc
            where = f"表格{number} 第{r + 1}行第{c + 1}列"
            if any(tc is s for s in seen_tc):  # a horizontal merge repeats the same cell
                cells.append(Cell(text="", where=where))
            else:
                merged = c < len(above) and above[c] is tc
                cells.append(
                    Cell(text=clean_cell(cell.text.split("\n")), where=where, merged_above=merged)
                )
            seen_tc.append(tc)
            tcs.append(tc)
        above = tcs
        out.rows.append(cells)
    return out


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _auto_number(p_el, text: str, counters: dict[tuple[str, int], int], style_numbering) -> str:
    """Prefix a paragraph numbered by Word's automatic list numbering with a visible number.

    The number Word shows is not in the text; a plan that uses automatic numbering (set on
    the paragraph or by its style, e.g. 「列表编号」) gets 「1、」 (level 0), 「（1）」 (level 1)
    or 「①」 (deeper) so its outline can still be read. Text that already starts with a
    number is left as it is.
    """
    num_pr = p_el.find(f"{_W}pPr/{_W}numPr")
    if num_pr is None and style_numbering is not None:
        num_pr = style_numbering
    if num_pr is None:
        return text
    num_id_el = num_pr.find(f"{_W}numId")
    ilvl_el = num_pr.find(f"{_W}ilvl")
    num_id = num_id_el.get(f"{_W}val") if num_id_el is not None else "0"
    if num_id == "0":
        return text
    level = int(ilvl_el.get(f"{_W}val")) if ilvl_el is not None else 0
    for key in [k for k in counters if k[0] == num_id and k[1] > level]:
        del counters[key]
    n = counters.get((num_id, level), 0) + 1
    counters[(num_id, level)] = n
    if outline_marker(text) is not None:
        return text
    prefix = {0: f"{n}、", 1: f"（{n}）"}.get(level, chr(0x2460 + min(n, 20) - 1))
    return prefix + text


def _style_numbering(para):
    """The numbering a paragraph's style gives it (w:numPr of the style), or None."""
    try:
        style = para.style
    except Exception:  # a style id missing from styles.xml
        return None
    while style is not None:
        found = style.element.find(f"{_W}pPr/{_W}numPr")
        if found is not None:
            return found
        style = style.base_style
    return None


def int_to_cn(n: int) -> str:
    """1..99 as Chinese numerals (一, 十, 十二, 二十三)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


# --------------------------------------------------------------------------- outline


@dataclass(frozen=True)
class Marker:
    """An outline number at the start of a paragraph: its style, value and the rest of the text."""

    style: str  # "cn" 一、 | "pcn" （一）/㈠ | "num" 1、/1. | "pnum" （1） | "circ" ① | "yao" 一要
    value: int
    label: str  # the number as written (「（一）」)
    rest: str


_CN = "[一二三四五六七八九十]+"
_MARKERS = [
    ("cn", re.compile(rf"^({_CN})\s*[、.．,，]\s*")),
    ("pcn", re.compile(rf"^[(（]\s*({_CN})\s*[)）]\s*[、.．]?\s*")),
    ("pnum", re.compile(r"^[(（]\s*(\d{1,2})\s*[)）]\s*[、.．]?\s*")),
    ("num", re.compile(r"^(\d{1,2})\s*(?:[、，,]|[.．](?!\d))\s*")),
    ("yao", re.compile(rf"^({_CN})(?=要)")),
]


def outline_marker(text: str) -> Optional[Marker]:
    """The outline number a paragraph starts with (一、 （一） ㈠ 1、 １． 1. （1） ① 一要), or None."""
    from wenming_xl.text import cn_to_int

    raw = text.strip()
    if raw and "\u2460" <= raw[0] <= "\u2473":  # ① … ⑳ (NFKC would make them plain digits)
        return Marker(
            style="circ", value=ord(raw[0]) - 0x2460 + 1, label=raw[0], rest=raw[1:].strip()
        )
    s = normalize(raw)  # NFKC: ㈠ → (一), １、 → 1、
    for style, rx in _MARKERS:
        m = rx.match(s)
        if not m:
            continue
        token = m.group(1)
        value = cn_to_int(token) if not token.isdigit() else int(token)
        if value is None or value <= 0:
            continue
        if style == "yao":  # 「一要…」 is part of the sentence: the text keeps it
            return Marker(style=style, value=value, label=token + "要", rest=raw)
        # Keep the original characters (traditional ones, ㈠) as written.
        rest = _tail_like(raw, s[m.end() :].strip())
        label = raw[: len(raw) - len(rest)].strip() if raw.endswith(rest) else s[: m.end()]
        return Marker(style=style, value=value, label=label.strip(), rest=rest)
    return None


def _tail_like(raw: str, rest_norm: str) -> str:
    """The suffix of ``raw`` whose normalised form is ``rest_norm`` (falls back to it)."""
    if not rest_norm:
        return ""
    if raw.endswith(rest_norm):
        return rest_norm
    for k in range(len(raw)):
        if normalize(raw[k:]).strip() == rest_norm:
            return raw[k:].strip()
    return rest_norm


#: Labels that introduce a responsible department line (责任处室：办公室、监察室).
DEPT_LABELS = (
    "责任处室",
    "责任部门",
    "责任科室",
    "责任单位",
    "牵头部门",
    "牵头科室",
    "牵头处室",
    "牵头单位",
    "配合部门",
    "配合科室",
    "协办部门",
)
_DEPT_RE = re.compile(
    r"[（(]?\s*(" + "|".join(DEPT_LABELS) + r")\s*[:：]\s*([^）)\n]*)[）)]?\s*[。.]?\s*$"
)


def department_line(text: str) -> Optional[tuple[str, str, str]]:
    """Split 「…。责任处室：办公室、监察室」 into (text before, label, departments); None if none.

    The label may stand alone on its line or end a paragraph (also in brackets:
    「（牵头部门：党建办）」). The text before is empty for a line that is only the label.
    """
    s = normalize(text)
    m = _DEPT_RE.search(s)
    if not m or not m.group(2).strip():
        return None
    names = [x for x in re.split(r"[、，,/；;\s·•・]+", m.group(2)) if x.strip("。.")]
    if not names or any(len(x) > 12 for x in names) or "。" in m.group(2).rstrip("。"):
        return None  # 「明确责任部门：各科室主任为第一责任人，……」 is a sentence, not a list
    before = text[: _orig_index(text, m.start())].strip()
    return before, m.group(1), m.group(2).strip()


def _orig_index(raw: str, norm_index: int) -> int:
    """Map an index in ``normalize(raw)`` back to ``raw`` (NFKC may change lengths)."""
    if len(normalize(raw)) == len(raw):
        return norm_index
    for k in range(len(raw) + 1):
        if len(normalize(raw[:k])) >= norm_index:
            return k
    return len(raw)


# --------------------------------------------------------------------------- outline tree


@dataclass
class Node:
    """A numbered paragraph of the outline with what follows it until the next number."""

    marker: Optional[Marker]
    text: str
    where: str
    parent: Optional[Node] = None
    body: list[Para] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    #: 责任处室 lines of this node: (label, names as written, where).
    departments: list[tuple[str, str, str]] = field(default_factory=list)
    #: Paragraphs after the node's 责任处室 line and before the next number.
    after: list[Para] = field(default_factory=list)

    @property
    def depth(self) -> int:
        return 0 if self.parent is None else self.parent.depth + 1

    def ancestors(self) -> list[Node]:
        """Numbered ancestors, outermost first (the root is not one)."""
        out: list[Node] = []
        node = self.parent
        while node is not None and node.marker is not None:
            out.insert(0, node)
            node = node.parent
        return out

    def walk(self):
        """This node's descendants in document order."""
        for child in self.children:
            yield child
            yield from child.walk()


@dataclass
class Outline:
    """The outline of a text: a root whose body is the preamble, and orphan 责任处室 lines."""

    root: Node
    #: 责任处室 lines that come before any numbered paragraph: (text, where).
    orphans: list[Para] = field(default_factory=list)


def build_outline(paras: list[Para]) -> Outline:
    """Nest numbered paragraphs by their number style in order of first use (一、 > （一） > 1、)."""
    root = Node(marker=None, text="", where="")
    outline = Outline(root=root)
    stack: list[Node] = [root]
    for para in paras:
        dept = department_line(para.text)
        text = dept[0] if dept else para.text
        if text:
            _place(stack, Para(text=text, where=para.where))
        if dept:
            node = stack[-1]
            if node.marker is None:
                outline.orphans.append(para)
            else:
                node.departments.append((dept[1], dept[2], para.where))
    return outline


def _place(stack: list[Node], para: Para) -> None:
    """Put one paragraph into the outline: a new numbered node, or text of the current one."""
    marker = outline_marker(para.text)
    if marker is not None and marker.style == "yao" and len(stack) == 1:
        marker = None  # 「一要…」 only numbers the parts of a task
    if marker is None:
        node = stack[-1]
        (node.after if node.departments else node.body).append(para)
        return
    styles = [n.marker.style for n in stack[1:]]  # type: ignore[union-attr]
    if marker.style in styles:
        del stack[styles.index(marker.style) + 1 :]
    node = Node(marker=marker, text=para.text, where=para.where, parent=stack[-1])
    stack[-1].children.append(node)
    stack.append(node)
