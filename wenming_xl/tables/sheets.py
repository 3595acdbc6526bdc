"""Fast reading of one worksheet: values, merged ranges, hidden rows, header found by its words.

Cell values come from python-calamine (cached values of formulas, one sheet parsed at a
time, however large the other sheets are). What calamine does not expose — hidden rows,
formulas saved without a cached value — is read from that one sheet's XML inside the zip
with an incremental parser, so a 20,000-row ledger elsewhere in the workbook costs nothing.
Merged ranges come from calamine. Nothing here uses openpyxl.

:func:`check_workbook` turns every unreadable file (missing, ``.xls``/``.et``, encrypted,
corrupt, a ``~$`` lock file) into a `WorkbookError` with a plain Chinese message.
:func:`read_sheet_rows` is the generic "rows of a sheet by header words" reader the
ledger and contacts readers reuse.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Union

import python_calamine
from defusedxml import ElementTree as SafeET

from wenming_xl.errors import WorkbookError, os_reason
from wenming_xl.files.native import open_calamine
from wenming_xl.files.zips import check_zip_sizes, decrypt_office, open_zip, xml_reason
from wenming_xl.model import Location
from wenming_xl.text import squash

PathLike = Union[str, Path]

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def col_letter(col: int) -> str:
    """1-based column index → letters (1 → A, 28 → AB)."""
    out = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def cell_ref(row: int, col: int) -> str:
    """1-based row and column → an A1 reference such as ``C5``."""
    return f"{col_letter(col)}{row}"


def _ref_to_rc(ref: str) -> tuple[int, int]:
    m = re.match(r"\$?([A-Za-z]+)\$?(\d+)", ref)
    if not m:
        return 0, 0
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


_DECRYPTED: dict[tuple[str, int, int, str], bytes] = {}


def decrypted_bytes(path: PathLike, password: Optional[str]) -> Optional[bytes]:
    """The decrypted package of a password-protected workbook (cached), None when not encrypted.

    The plain bytes live in memory only; nothing decrypted is ever written to disk.
    """
    p = Path(path)
    if not password:
        return None
    try:
        with open(p, "rb") as fh:
            if fh.read(8) != _OLE or _ENCRYPTED not in fh.read(64 * 1024 * 1024):
                return None
        st = p.stat()
    except OSError:
        return None
    key = (str(p.resolve()), st.st_mtime_ns, st.st_size, password)
    if key not in _DECRYPTED:
        data = decrypt_office(p, password)
        _DECRYPTED.clear()  # one decrypted workbook in memory at a time
        try:
            with open_zip(io.BytesIO(data)) as zf:
                check_zip_sizes(zf, p)
        except zipfile.BadZipFile as exc:
            raise WorkbookError(
                f"{p.name} 解密后的内容已损坏，无法作为 Excel 工作簿打开。",
                path=str(p),
                hint="请用 Excel/WPS 打开并修复后另存为 .xlsx，或找回该文件的完好副本。",
            ) from exc
        _DECRYPTED[key] = data
    return _DECRYPTED[key]


def _package(path: PathLike, password: Optional[str]) -> Union[Path, io.BytesIO]:
    """The zip package to open: the file itself, or its decrypted bytes in memory."""
    data = decrypted_bytes(path, password)
    return Path(path) if data is None else io.BytesIO(data)


def check_workbook(path: PathLike, *, password: Optional[str] = None) -> Path:
    """Check that ``path`` is a readable ``.xlsx``/``.xlsm`` by its signature; raise `WorkbookError` if not.

    A password-protected workbook passes only with its ``password`` (checked by decrypting it).
    """
    p = Path(path)
    name = p.name
    if not p.exists():
        raise WorkbookError(
            f"找不到文件：{p}", path=str(p), hint="请检查文件名和所在文件夹是否写对。"
        )
    if p.is_dir():
        raise WorkbookError(
            f"{p} 是一个文件夹，不是 Excel 工作簿。",
            path=str(p),
            hint="请指定任务表的 .xlsx 文件。",
        )
    if name.startswith("~$"):
        raise WorkbookError(
            f"{name} 是 Excel/WPS 打开工作簿时自动生成的临时锁文件，不是任务表。",
            path=str(p),
            hint=f"请改用同一文件夹中不带「~$」的「{name[2:]}」；如果该文件正在 Excel 中打开，请先关闭。",
        )
    try:
        with open(p, "rb") as fh:
            head = fh.read(8)
            if head[:8] == _OLE:
                blob = fh.read(64 * 1024 * 1024)
            else:
                blob = b""
    except OSError as exc:
        raise WorkbookError(
            f"无法读取 {p}（{os_reason(exc)}）。",
            path=str(p),
            hint="请确认有读取权限；如果文件在 Excel/WPS 中打开着，请先关闭再试。",
        ) from exc
    if not head:
        raise WorkbookError(
            f"{name} 是空文件（0 字节），可能复制未完成或已损坏。",
            path=str(p),
            hint="请重新复制或从原处重新下载该文件。",
        )
    if head == _OLE:
        if _ENCRYPTED in blob:
            if password:
                decrypted_bytes(p, password)
                return p
            raise WorkbookError(
                f"{name} 设置了打开密码，无法读取。",
                path=str(p),
                hint="请用 --password 给出打开密码（密码只在内存中用于解密，不会保存）；"
                "或在 Excel/WPS 中打开，取消「用密码进行加密」后另存一份无密码的 .xlsx，再用新文件运行。",
            )
        kind = "WPS 表格（.et）" if p.suffix.lower() == ".et" else "旧版 Excel（.xls）"
        raise WorkbookError(
            f"{name} 是{kind}格式，本工具只能读取 .xlsx 工作簿。",
            path=str(p),
            hint="请在 Excel 或 WPS 中打开它，点「文件 → 另存为」，保存类型选「Excel 工作簿（*.xlsx）」，再用新文件运行。",
        )
    if not head.startswith(b"PK"):
        raise WorkbookError(
            f"{name} 不是 Excel 工作簿（.xlsx），可能是网页、文本或其他格式改了扩展名。",
            path=str(p),
            hint="请在 Excel 或 WPS 中打开它，另存为「Excel 工作簿（*.xlsx）」后再运行。",
        )
    try:
        with open_zip(p) as zf:
            names = set(zf.namelist())
            check_zip_sizes(zf, p)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise WorkbookError(
            f"{name} 已损坏，无法作为 Excel 工作簿打开。",
            path=str(p),
            hint="请用 Excel/WPS 打开并修复后另存为 .xlsx，或找回该文件的完好副本。",
        ) from exc
    if "xl/workbook.xml" not in names:
        if "xl/workbook.bin" in names:
            what = "Excel 二进制工作簿（.xlsb）"
        elif "word/document.xml" in names:
            what = "Word 文档"
        elif "ppt/presentation.xml" in names:
            what = "PowerPoint 演示文稿"
        elif "content.xml" in names:
            what = "OpenDocument（.ods 等）文件"
        else:
            what = "压缩包"
        raise WorkbookError(
            f"{name} 是{what}，不是 .xlsx 工作簿。",
            path=str(p),
            hint="请在 Excel 或 WPS 中打开它，另存为「Excel 工作簿（*.xlsx）」后再运行。",
        )
    return p


def open_workbook(
    path: PathLike, *, password: Optional[str] = None
) -> python_calamine.CalamineWorkbook:
    """Check ``path`` and open it with python-calamine (sheets are read lazily).

    A password-protected workbook is decrypted in memory with ``password``.
    """
    p = check_workbook(path, password=password)
    data = decrypted_bytes(p, password)
    try:
        if data is not None:
            return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        return open_calamine(p)
    except Exception as exc:  # calamine raises its own errors and plain ones
        raise WorkbookError(
            f"{p.name} 无法读取（{xml_reason(exc)}）。",
            path=str(p),
            hint="文件可能已损坏：请用 Excel/WPS 打开并另存为 .xlsx 后再运行。",
        ) from exc


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Map each sheet name to its XML part inside the zip (``xl/worksheets/sheet1.xml``)."""
    wb = SafeET.fromstring(zf.read("xl/workbook.xml"))
    try:
        rels = SafeET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return {}
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        if target.startswith("/"):
            target = target[1:]
        else:
            target = posixpath.normpath(posixpath.join("xl", target))
        targets[rel.get("Id")] = target
    out = {}
    for el in wb.iter():
        if _local(el.tag) == "sheet":
            rid = el.get(f"{{{_REL_NS}}}id") or el.get("id")
            if rid in targets:
                out[el.get("name", "")] = targets[rid]
    return out


_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row\b([^>]*)>")
_ROW_R = re.compile(rb"\br\s*=\s*[\"'](\d+)")
_ROW_HIDDEN = re.compile(rb"\bhidden\s*=\s*[\"'](?:1|true)[\"']")


def _hidden_rows_fast(xml: bytes) -> set[int]:
    """Hidden rows from the row tags alone (a regex over the bytes: fast on huge sheets)."""
    hidden: set[int] = set()
    row = 0
    for m in _ROW_TAG.finditer(xml):
        attrs = m.group(1)
        r = _ROW_R.search(attrs)
        row = int(r.group(1)) if r else row + 1
        if _ROW_HIDDEN.search(attrs):
            hidden.add(row)
    return hidden


def _scan_sheet_xml(
    path: Union[Path, io.BytesIO], sheet: str, *, formulas: bool
) -> tuple[frozenset[int], frozenset[tuple[int, int]], dict[tuple[int, int], str]]:
    """Hidden rows (1-based) and, if asked, formula cells saved without a value and error cells.

    An error cell (``t="e"``: ``#DIV/0!``, ``#REF!``…) reads as blank through calamine; it
    is kept here with its error text so that the reader can say which cell it dropped.
    """
    hidden: set[int] = set()
    uncached: set[tuple[int, int]] = set()
    errors: dict[tuple[int, int], str] = {}
    with open_zip(path) as zf:
        part = sheet_parts(zf).get(sheet)
        if not part or part not in zf.namelist():
            return frozenset(), frozenset(), errors
        if not formulas:
            return frozenset(_hidden_rows_fast(zf.read(part))), frozenset(), errors
        with zf.open(part) as fh:
            row = col = 0
            for event, el in SafeET.iterparse(fh, events=("start", "end")):
                tag = _local(el.tag)
                if event == "start":
                    if tag == "row":
                        row = int(el.get("r") or row + 1)
                        col = 0
                        if el.get("hidden") in ("1", "true"):
                            hidden.add(row)
                    elif tag == "c":
                        ref = el.get("r")
                        col = _ref_to_rc(ref)[1] if ref else col + 1
                    continue
                if tag == "c":
                    children = {_local(ch.tag): ch for ch in el}
                    v = children.get("v")
                    if "f" in children and (v is None or not (v.text or "").strip()):
                        uncached.add((row, col))
                    elif el.get("t") == "e":
                        errors[(row, col)] = (v.text or "").strip() if v is not None else "#N/A"
                    el.clear()
                elif tag == "row":
                    el.clear()
                elif tag == "sheetData":
                    break
    return frozenset(hidden), frozenset(uncached), errors


@dataclass
class SheetData:
    """The values of one worksheet with its merged ranges and hidden rows (all 1-based)."""

    path: str
    name: str
    rows: list[list[Any]]
    #: (first_row, first_col, last_row, last_col) of every merged range.
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden_rows: frozenset[int] = frozenset()
    #: Formula cells saved without a cached value (row, col); only when asked for.
    uncached_formulas: frozenset[tuple[int, int]] = frozenset()
    #: Error cells (``#DIV/0!``…) by (row, col), with their error text; only when asked for.
    error_cells: dict[tuple[int, int], str] = field(default_factory=dict)
    #: A two-row header's lower row → (its upper row, the group names), see `find_header`.
    header_tops: dict[int, tuple[int, list[str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._origin: dict[tuple[int, int], tuple[int, int]] = {}
        for r1, c1, r2, c2 in self.merged:
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    self._origin[(r, c)] = (r1, c1)

    @property
    def nrows(self) -> int:
        return len(self.rows)

    @property
    def ncols(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def value(self, row: int, col: int) -> Any:
        """The cell's own value (None when empty or out of range)."""
        if row < 1 or col < 1 or row > len(self.rows):
            return None
        cells = self.rows[row - 1]
        if col > len(cells):
            return None
        v = cells[col - 1]
        return None if v == "" else v

    def origin(self, row: int, col: int) -> Optional[tuple[int, int]]:
        """The top-left cell of the merged range holding (row, col), or None."""
        return self._origin.get((row, col))

    def merge_of(self, row: int, col: int) -> Optional[tuple[int, int, int, int]]:
        """The merged range holding (row, col), or None."""
        o = self._origin.get((row, col))
        if o is None:
            return None
        for rng in self.merged:
            if (rng[0], rng[1]) == o:
                return rng
        return None

    def filled(self, row: int, col: int) -> Any:
        """The value shown in (row, col): a merged range's value fills every cell of it."""
        o = self._origin.get((row, col))
        return self.value(*o) if o else self.value(row, col)

    def location(self, row: int, col: int) -> Location:
        return Location(self.path, self.name, cell_ref(row, col))


def sheet_names(
    path: PathLike, *, visible_only: bool = False, password: Optional[str] = None
) -> list[str]:
    """The sheet names of a workbook, in workbook order."""
    wb = open_workbook(path, password=password)
    try:
        if visible_only:
            return [
                m.name
                for m in wb.sheets_metadata
                if m.visible == python_calamine.SheetVisibleEnum.Visible
            ]
        return list(wb.sheet_names)
    finally:
        wb.close()


def sheet_probe_order(
    wb: python_calamine.CalamineWorkbook, *, later: Iterable[str] = ()
) -> list[str]:
    """Sheet names in the order to look for a table in them.

    Visible sheets first, those whose name holds a ``later`` word (台账, 通讯录…) after
    them, hidden sheets last.
    """
    meta = [
        (m.name, m.visible == python_calamine.SheetVisibleEnum.Visible) for m in wb.sheets_metadata
    ]
    words = tuple(later)
    first = [n for n, vis in meta if vis and not any(w in n for w in words)]
    rest = [n for n, vis in meta if vis and any(w in n for w in words)]
    return first + rest + [n for n, vis in meta if not vis]


def read_sheet(
    path: PathLike,
    sheet: str,
    *,
    workbook: Optional[python_calamine.CalamineWorkbook] = None,
    formulas: bool = False,
    password: Optional[str] = None,
) -> SheetData:
    """Read one sheet: values (cached formula results), merged ranges and hidden rows."""
    p = Path(path)
    own = workbook is None
    wb = open_workbook(p, password=password) if own else workbook
    try:
        if sheet not in wb.sheet_names:
            names = "、".join(f"「{n}」" for n in wb.sheet_names)
            raise WorkbookError(
                f"{p.name} 中没有名为「{sheet}」的工作表（现有：{names}）。",
                path=str(p),
                hint="请检查工作表名称是否写对。",
            )
        try:
            ws = wb.get_sheet_by_name(sheet)
            rows = ws.to_python(skip_empty_area=False)
            merged = [
                (a[0] + 1, a[1] + 1, b[0] + 1, b[1] + 1) for a, b in (ws.merged_cell_ranges or [])
            ]
        except Exception as exc:
            raise WorkbookError(
                f"{p.name} 的工作表「{sheet}」无法读取（{xml_reason(exc)}）。",
                path=str(p),
                hint="文件可能已损坏：请用 Excel/WPS 打开并另存为 .xlsx 后再运行。",
            ) from exc
    finally:
        if own:
            wb.close()
    try:
        hidden, uncached, errors = _scan_sheet_xml(_package(p, password), sheet, formulas=formulas)
    except (SafeET.ParseError, KeyError, zipfile.BadZipFile, ValueError) as exc:
        raise WorkbookError(
            f"{p.name} 的工作表「{sheet}」结构损坏（{xml_reason(exc)}）。",
            path=str(p),
            hint="请用 Excel/WPS 打开并另存为 .xlsx 后再运行。",
        ) from exc
    return SheetData(str(path), sheet, rows, merged, hidden, uncached, errors)


# --------------------------------------------------------------------------- header words


def _strip_brackets(text: str) -> str:
    return re.sub(r"[(（\[【][^)）\]】]*[)）\]】]", "", text)


def _header_forms(cell: Any) -> tuple[str, ...]:
    """The forms of a header cell that words are matched against: squashed, and without (…)."""
    h = squash(cell) if isinstance(cell, str) else ""
    return tuple(f for f in dict.fromkeys((h, _strip_brackets(h))) if f)


def _score(forms: tuple[str, ...], words: Sequence[str]) -> int:
    """How well a header cell (its `_header_forms`) matches a role's words (0 = not at all).

    A word equal to the cell scores highest; a word inside a short cell scores less; a
    word written ``…内容`` matches any cell ending in ``内容`` and scores least.
    """
    best = 0
    for h in forms:
        for w in words:
            if w.startswith("…"):
                suffix = w[1:]
                if h.endswith(suffix) and len(h) <= 12:
                    best = max(best, 20 + len(suffix))
            elif h == w:
                best = max(best, 100 + len(w))
            elif w in h and len(h) <= 12:
                best = max(best, 50 + len(w))
    return best


def match_header_row(
    cells: Sequence[Any], roles: Mapping[str, Sequence[str]], *, ignore: Iterable[str] = ()
) -> dict[str, int]:
    """Assign roles to the columns of one row (1-based), best matches first, one each."""
    ignored = {squash(x) for x in ignore}
    scored = []
    for c, cell in enumerate(cells, 1):
        forms = _header_forms(cell)  # once per cell, not once per role
        if not forms or forms[0] in ignored:
            continue
        scored += [(-s, c, role) for role, words in roles.items() if (s := _score(forms, words))]
    scored.sort()
    out: dict[str, int] = {}
    used: set[int] = set()
    for _s, c, role in scored:
        if role in out or c in used:
            continue
        out[role] = c
        used.add(c)
    return out


def find_header(
    data: SheetData,
    roles: Mapping[str, Sequence[str]],
    *,
    max_rows: int = 30,
    min_roles: int = 2,
    ignore: Iterable[str] = (),
) -> Optional[tuple[int, dict[str, int]]]:
    """The row among the first ``max_rows`` that matches the most roles (at least ``min_roles``).

    A header of two rows — a group cell such as 「考核」 merged over 分值 and 牵头部门 in
    the row below, the other headers merged down over both rows — is read as one: the
    lower row is returned (the data start below it) and ``data.header_tops`` records its
    upper row and group names.
    """
    best: Optional[tuple[int, dict[str, int]]] = None
    for r in range(1, min(max_rows, data.nrows) + 1):
        cols = match_header_row(data.rows[r - 1], roles, ignore=ignore)
        if len(cols) >= min_roles and (best is None or len(cols) > len(best[1])):
            best = (r, cols)
    if best is None:
        return None
    for top in (best[0], best[0] - 1):
        two = _two_row_header(data, top, roles, ignore)
        if two is not None and len(two[1]) > len(best[1]):
            data.header_tops[top + 1] = (top, two[2])
            return top + 1, two[1]
    return best


def _two_row_header(
    data: SheetData, top: int, roles: Mapping[str, Sequence[str]], ignore: Iterable[str]
) -> Optional[tuple[int, dict[str, int], list[str]]]:
    """Rows ``top`` and ``top + 1`` read as one header, when a group cell spans the upper row.

    Each column takes the cell merged down over both rows, else the lower cell under a
    group cell merged across columns (or under a blank), else — both cells filled — the
    lower cell when only it names a column (「考核」 over 「分值」, not merged: WPS's
    「跨列居中」), else the upper cell. None unless there is such a group cell: a header
    above a data row gains nothing, as data cells name no column.
    """
    bottom = top + 1
    if top < 1 or bottom > data.nrows:
        return None
    cells: list[Any] = []
    groups: list[str] = []
    for c in range(1, data.ncols + 1):
        rng = data.merge_of(top, c)
        up, low = data.filled(top, c), data.value(bottom, c)
        if rng is not None and rng[2] >= bottom:
            cells.append(up)  # one header cell over both rows
        elif _blank(low):
            cells.append(up)
        elif rng is not None and rng[3] > rng[1] and rng[0] == top:
            cells.append(low)  # a sub-header under a group cell
            if str(up) not in groups:
                groups.append(str(up))
        elif _blank(up):
            cells.append(low)
        elif not match_header_row([up], roles, ignore=ignore) and match_header_row(
            [low], roles, ignore=ignore
        ):
            cells.append(low)  # a group name over a column name
            if str(up) not in groups:
                groups.append(str(up))
        else:
            cells.append(up)
    if not groups:
        return None
    return bottom, match_header_row(cells, roles, ignore=ignore), groups


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


@dataclass
class Record:
    """One data row of a sheet read by header words: its row number and its values by role."""

    row: int
    values: dict[str, Any]
    sheet: str = ""
    path: str = ""
    columns: dict[str, int] = field(default_factory=dict)

    def __getitem__(self, role: str) -> Any:
        return self.values.get(role)

    def get(self, role: str, default: Any = None) -> Any:
        v = self.values.get(role)
        return default if v is None else v

    def location(self, role: Optional[str] = None) -> Location:
        """Where this row (or its cell of ``role``) is."""
        col = self.columns.get(role, 1) if role else 1
        return Location(self.path, self.sheet, cell_ref(self.row, col))


@dataclass
class SheetRows:
    """The records of a sheet below its header row, hidden rows left out (and listed)."""

    path: str
    sheet: str
    header_row: int
    columns: dict[str, int]
    records: list[Record]
    hidden_rows: list[int]


def read_sheet_rows(
    path: PathLike,
    sheet: str,
    headers: Mapping[str, Sequence[str]],
    *,
    required: Sequence[str] = (),
    max_header_rows: int = 30,
    fill_merged: bool = True,
    ignore: Iterable[str] = (),
    data: Optional[SheetData] = None,
) -> SheetRows:
    """Read a sheet's rows by header words: ``headers`` maps a role to its words.

    Words are matched after removing white space and full-width forms; ``"…日期"`` matches
    any header ending in 日期. The header is the row (within the first ``max_header_rows``)
    matching the most roles; header cells listed in ``ignore`` are never taken. Blank and
    hidden rows are skipped; merged cells fill every row they span when ``fill_merged``. A
    missing ``required`` role raises `WorkbookError`. ``data`` reuses a sheet already read.
    """
    d = data if data is not None else read_sheet(path, sheet)
    found = find_header(d, headers, max_rows=max_header_rows, min_roles=1, ignore=ignore)
    missing = [r for r in required if not found or r not in found[1]]
    if found is None or missing:
        want = "；".join(
            f"{role}：{'/'.join(w.lstrip('…') for w in headers[role])}"
            for role in (missing or list(headers))
        )
        raise WorkbookError(
            f"{Path(path).name} 的工作表「{sheet}」前{max_header_rows}行中找不到需要的表头列（{want}）。",
            path=str(path),
            hint="请在表头行写上这些列名（可以是其中任一个词）后再运行。",
        )
    header_row, cols = found
    records: list[Record] = []
    for r in range(header_row + 1, d.nrows + 1):
        if r in d.hidden_rows:
            continue
        values = {
            role: (d.filled(r, c) if fill_merged else d.value(r, c)) for role, c in cols.items()
        }
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values.values()):
            continue
        records.append(Record(r, values, sheet, str(path), dict(cols)))
    hidden = sorted(r for r in d.hidden_rows if r > header_row)
    return SheetRows(str(path), sheet, header_row, dict(cols), records, hidden)
