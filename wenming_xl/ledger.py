"""Read 佐证台账 sheets: one row per activity or document, columns found by header words.

Values come from python-calamine (fast, cached formula values). A 路径 cell that is a
hyperlink counts by its link target, read from the sheet's XML ``<hyperlinks>`` and its
relationships (parsed with defusedxml). This module only reads rows; resolving paths,
matching items and building `Evidence` is `evidence.py`'s work (DESIGN §4.2).
"""

from __future__ import annotations

import datetime as _dt
import functools
import operator
import os
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath
from typing import Any, Optional, Union

from . import findings as F
from .errors import EvidenceError, WenmingError
from .filekinds import skipped
from .ledger_links import link_target, sheet_hyperlinks
from .model import DOCUMENT, IMAGE, OTHER, VIDEO, Evidence, Location
from .text import CN_NUM, cn_to_int, display_name, find_date, natural_key, normalize, squash

PathLike = Union[str, "os.PathLike[str]"]

#: The default ledger sheet name.
LEDGER_SHEET = "佐证台账"

#: role -> header words, most specific first (the first word wins when two columns match).
ROLES: dict[str, tuple[str, ...]] = {
    "no": ("条目", "条目编号", "条目序号", "条目号", "任务编号", "项目编号", "序号", "编号"),
    "department": ("部门", "填报部门", "责任部门", "牵头部门", "科室", "处室", "单位"),
    "date": ("日期", "活动日期", "活动时间", "拍摄日期", "时间"),
    "place": ("地点", "活动地点", "位置", "地址"),
    "theme": ("主题", "活动主题", "活动名称", "活动内容", "名称", "内容", "标题"),
    "type": ("类型", "材料类型", "佐证类型", "材料种类"),
    "count": ("数量", "张数", "份数", "个数", "材料数量"),
    "path": ("路径", "文件路径", "链接", "文件链接", "材料路径", "存放路径", "文件位置", "附件"),
    "note": ("备注", "说明"),
}
_BRACKETS = re.compile(r"[（(【\[].*?[)）】\]]")
_HEADER_ROWS = 30


@dataclass
class LedgerRow:
    """One filled row of a ledger sheet, its values already cleaned."""

    file: str
    sheet: str
    row: int
    item: Any
    item_cell: str
    department: Optional[str] = None
    date: Optional[_dt.date] = None
    date_text: str = ""
    place: str = ""
    theme: str = ""
    type_text: str = ""
    count: Optional[int] = None
    count_text: str = ""
    #: Paths written in the 路径 cell (a hyperlink's target wins over the cell text).
    paths: list[str] = field(default_factory=list)
    path_cell: Optional[str] = None
    note: str = ""
    #: The header word of the count column (张数 hints images, 份数 documents).
    count_header: str = ""

    @property
    def location(self) -> Location:
        """The row's 条目 cell."""
        return Location(self.file, self.sheet, self.item_cell)

    @property
    def path_location(self) -> Location:
        """The row's 路径 cell (or its 条目 cell when there is no 路径 column)."""
        return Location(self.file, self.sheet, self.path_cell or self.item_cell)

    @property
    def where(self) -> str:
        """「台账 部门台账.xlsx 工作表「佐证台账」第5行」, for messages."""
        return f"台账 {_basename(self.file)} 工作表「{self.sheet}」第{self.row}行"

    @property
    def annotation(self) -> str:
        """The row's place and theme words (its date is carried separately)."""
        words = [self.place, self.theme]
        if self.date is None and self.date_text:
            words.insert(0, self.date_text)
        return " ".join([w for w in words if w])

    @property
    def label(self) -> str:
        """The activity's name for messages: date, place and theme."""
        date = self.date.isoformat() if self.date else self.date_text
        return " ".join([w for w in (date, self.place, self.theme) if w])


_basename = functools.lru_cache(maxsize=256)(os.path.basename)


@dataclass
class LedgerSheet:
    """One ledger sheet: where its header is, which column holds what, and its rows."""

    file: str
    sheet: str
    header_row: int
    columns: dict[str, int]
    rows: list[LedgerRow] = field(default_factory=list)


def col_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 27 → AB)."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def cell_ref(row0: int, col0: int) -> str:
    """0-based row and column → ``B5``."""
    return f"{col_letter(col0)}{row0 + 1}"


def header_role(text: Any) -> Optional[tuple[str, int]]:
    """The role a header cell names and its rank (lower is more specific), or None."""
    s = _BRACKETS.sub("", squash(text)).rstrip(":：*")
    if not s or len(s) > 12:
        return None
    for role, words in ROLES.items():
        if s in words:
            return role, words.index(s)
    best: Optional[tuple[str, int, int]] = None
    for role, words in ROLES.items():
        for rank, word in enumerate(words):
            if len(word) >= 2 and word in s and (best is None or len(word) > best[2]):
                best = (role, rank + len(words), len(word))
    return (best[0], best[1]) if best else None


def find_header(rows: list[list[Any]]) -> Optional[tuple[int, dict[str, int], dict[str, str]]]:
    """The ledger header among the first rows: ``(row0, role→col0, role→header text)``.

    A ledger header names the item (条目/序号) and at least one of 路径, 数量, 类型.
    """
    best: Optional[tuple[int, dict[str, int], dict[str, str]]] = None
    for r, row in enumerate(rows[:_HEADER_ROWS]):
        found: dict[str, tuple[int, int]] = {}
        for c, value in enumerate(row):
            if not isinstance(value, str):
                continue
            hit = header_role(value)
            if hit and (hit[0] not in found or hit[1] < found[hit[0]][1]):
                found[hit[0]] = (c, hit[1])
        if "no" not in found or not ({"path", "count", "type"} & set(found)):
            continue
        if best is None or len(found) > len(best[1]):
            cols = {k: v[0] for k, v in found.items()}
            best = (r, cols, {k: squash(row[v[0]]) for k, v in found.items()})
    return best


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return _str_text(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalize(value).strip()


@functools.lru_cache(maxsize=8192)
def _str_text(value: str) -> str:
    """`normalize` + strip of a cell string; ledgers repeat departments, places and types."""
    return normalize(value).strip()


def clean_item(value: Any) -> Any:
    """A 条目 cell → int when it is a plain number (3, 3.0, "03"), else stripped text."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return int(value) if float(value).is_integer() else _text(value)
    s = _text(value)
    return int(s) if s.isdigit() else (s or None)


_EXCEL_EPOCH = _dt.date(1899, 12, 30)


def clean_date(value: Any) -> Optional[_dt.date]:
    """A 日期 cell → date: Excel dates, serial numbers, or text such as 2022年5月3日."""
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20000 < value < 80000:  # an Excel serial day number without a date format
            return _EXCEL_EPOCH + _dt.timedelta(days=int(value))
        return find_date(str(int(value))) if float(value).is_integer() else None
    if isinstance(value, str):
        return _str_date(value)
    return None


_str_date = functools.lru_cache(maxsize=4096)(find_date)


_COUNT_RE = re.compile(r"(\d+(?:\.\d+)?|" + CN_NUM + ")")


def clean_count(value: Any) -> Optional[int]:
    """A 数量 cell → int (3, 3.0, "3张", "三份"); None when blank or not a number."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return int(round(value)) if value >= 0 else None
    m = _COUNT_RE.search(normalize(value))
    if not m:
        return None
    token = m.group(1)
    if token[0].isdigit():
        return int(round(float(token)))
    return cn_to_int(token)


def split_paths(text: str) -> list[str]:
    """A 路径 cell may list several paths, one per line or separated by ；/ ;."""
    parts = re.split(r"[\n;；]+", text)
    return [p.strip().strip("\"'“”‘’") for p in parts if p.strip().strip("\"'“”‘’")]


class LedgerError(EvidenceError):
    """A ledger workbook cannot be read; ``reason`` is the short Chinese cause."""

    def __init__(self, path: PathLike, reason: str, hint: str):
        self.reason = reason
        super().__init__(f"无法读取台账文件 {path}：{reason}。", path=str(path), hint=hint)


def _refuse_bomb(p: Path) -> None:
    """Raise `LedgerError` for a zip that would inflate past the limits (checked before reading)."""
    from .safezip import check_zip_sizes

    try:
        with zipfile.ZipFile(p) as zf:
            check_zip_sizes(zf, p)
    except (zipfile.BadZipFile, OSError):
        return  # calamine reports a broken file in its own words below
    except WenmingError as exc:
        raise LedgerError(p, "解压后过大，疑似「压缩炸弹」，已拒绝读取", exc.hint or "") from exc


def _open(path: PathLike):
    """Open a workbook with python-calamine, or raise `LedgerError` in plain Chinese."""
    from python_calamine import CalamineWorkbook

    p = Path(path)
    if not p.is_file():
        raise LedgerError(p, "找不到该文件", "请确认文件名和所在文件夹是否正确。")
    try:
        with open(p, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise LedgerError(
            p,
            f"无法打开（{exc.strerror or exc}）",
            "请检查文件权限，或关闭正在占用它的程序后重试。",
        ) from exc
    encrypted = p.suffix.lower() in (".xlsx", ".xlsm") and head.startswith(b"\xd0\xcf\x11\xe0")
    if head.startswith(b"PK"):
        _refuse_bomb(p)
    try:
        if encrypted:
            raise ValueError("encrypted")
        return CalamineWorkbook.from_path(str(p))
    except Exception as exc:
        if encrypted or type(exc).__name__ == "PasswordError":
            raise LedgerError(
                p, "文件设置了打开密码", "请在 Excel/WPS 中取消密码后另存为 .xlsx 再运行。"
            ) from exc
        raise LedgerError(
            p,
            "不是有效的 Excel 工作簿，或已损坏",
            "请用 Excel 或 WPS 打开后另存为 .xlsx（Excel 工作簿）再运行。",
        ) from exc


def read_ledger(path: PathLike, *, named_only: bool = False) -> list[LedgerSheet]:
    """Every ledger sheet of a workbook with its rows.

    ``named_only`` (for the task workbook) reads only sheets whose name contains 台账;
    otherwise sheets named 台账 come first and any other sheet with a ledger header
    counts too. Returns [] when the workbook holds no ledger; raises `EvidenceError`
    when it cannot be read at all.
    """
    wb = _open(path)
    try:
        names = list(wb.sheet_names)
        named = [n for n in names if "台账" in squash(n)]
        candidates = named if named_only else named + [n for n in names if n not in named]
        out = []
        for name in candidates:
            sheet = _read_sheet(wb, str(path), name)
            if sheet is not None:
                out.append(sheet)
        return out
    finally:
        wb.close()


def _read_sheet(wb: Any, path: str, name: str) -> Optional[LedgerSheet]:
    try:
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception as exc:
        raise LedgerError(
            path,
            f"工作表「{name}」无法读取（{exc}）",
            "请用 Excel 或 WPS 打开后另存为 .xlsx 再运行。",
        ) from exc
    head = find_header(rows)
    if head is None:
        return None
    r0, cols, words = head
    sheet = LedgerSheet(path, name, r0 + 1, dict(cols))
    links = sheet_hyperlinks(path, name) if "path" in cols else {}
    # One pass over the rows touching only the mapped columns; every cell string is
    # normalised once (ledgers repeat departments, places and types on every row).
    roles = ("no", "department", "date", "place", "theme", "type", "count", "path", "note")
    last = max(cols.values())
    pick = operator.itemgetter(*[cols.get(k, -1) for k in roles])  # -1: the None appended below
    no_col = col_letter(cols["no"])
    path_col = col_letter(cols["path"]) if "path" in cols else None
    count_header = words.get("count", "")
    seen: dict[str, str] = {}

    def text(value: Any) -> str:
        if value.__class__ is str:
            out = seen.get(value)
            if out is None:
                out = seen[value] = normalize(value).strip()
            return out
        if value.__class__ is float and value.is_integer():
            return str(int(value))  # what `_text` gives, without normalising digits
        return "" if value is None else _text(value)

    for r in range(r0 + 1, len(rows)):
        row = rows[r]
        if len(row) <= last:
            row = row + [None] * (last + 1 - len(row))
        row.append(None)
        no, dept, date_raw, place, theme, type_raw, count_raw, path_raw, note = pick(row)
        dept, place, theme = text(dept), text(place), text(theme)
        date_text, count_text, path_text = text(date_raw), text(count_raw), text(path_raw)
        path_ref = f"{path_col}{r + 1}" if path_col else None
        link = links.get(path_ref) if links and path_ref else None
        if not (dept or date_text or place or theme or count_text or path_text or link):
            continue  # blank row, or a template row with only the item number
        if link:
            paths = [link_target(link)]
        else:
            paths = split_paths(path_text) if path_text else []
        sheet.rows.append(
            LedgerRow(
                path,
                name,
                r + 1,
                int(no) if no.__class__ is float and no.is_integer() else clean_item(no),
                f"{no_col}{r + 1}",
                dept or None,
                clean_date(date_raw),
                "" if isinstance(date_raw, _dt.date) else date_text,
                place,
                theme,
                text(type_raw),
                clean_count(count_raw),
                count_text,
                paths,
                path_ref,
                text(note),
                count_header,
            )
        )
    return sheet


# --------------------------------------------------------------------------- paths and kinds


def norm_path(p: str) -> str:
    """A path normalised for comparison (case-folded on Windows)."""
    return os.path.normcase(os.path.normpath(p))


def within(path: str, root: str) -> bool:
    """True when ``path`` is ``root`` or lies under it (both absolute, compared normcased)."""
    p, r = norm_path(path), norm_path(root)
    return p == r or p.startswith(r.rstrip(os.sep) + os.sep)


@functools.lru_cache(maxsize=1024)
def kind_of_type(text: str, count_header: str = "") -> str:
    """The evidence kind a ledger's 类型 names: 照片/截图→image, 文件/名单→document, 视频→video."""
    t = squash(text).lower()
    if "名单" in t:
        return DOCUMENT
    if any(w in t for w in ("视频", "录像", "影像", "video", "mp4")):
        return VIDEO
    if any(w in t for w in ("照片", "图片", "截图", "相片", "图")) or t.endswith("照"):
        return IMAGE
    words = ("扫描件", "文件", "说明", "通知", "方案", "报道", "文档", "总结", "记录", "报告")
    words += ("材料", "计划", "简报", "制度", "信息", "pdf", "word", "doc", "红头")
    if any(w in t for w in words):
        return DOCUMENT
    if not t:
        if "张" in count_header:
            return IMAGE
        if "份" in count_header:
            return DOCUMENT
    return OTHER


def declared_evidence(
    row: LedgerRow, item_no: Any, key: str, period: Any = None, link: Optional[str] = None
) -> tuple[Evidence, list[Any]]:
    """A row without a file path: one declared `Evidence` carrying its 数量, and its notes.

    ``period`` (an `evidence.Period`) drops a photo row dated outside it; ``link`` is a
    web address the row gave instead of a file (kept as the evidence's path). The
    `declared-only` note is a `findings.DeclaredNote`: `findings.merge_declared` folds
    those of one item and sheet into one `Finding`; other notes are findings already.
    """
    kind = kind_of_type(row.type_text, row.count_header)
    where = row.where
    location = Location(row.file, row.sheet, row.item_cell)
    date = row.date
    # Positional, in `Evidence`'s field order (this runs once per declared ledger row):
    # item_no, kind, path, group, group_name, group_date, annotation, date, declared,
    # count, object, department, location.
    ev = Evidence(
        item_no,
        kind,
        link,
        key,
        row.label or where,
        date,
        row.annotation,
        date if kind == IMAGE else None,
        True,
        row.count or 0,
        row.type_text or None,
        row.department,
        location,
    )
    notes: list[Any]
    if row.count is None:
        value = row.count_text or "空"
        notes = [
            F.make(
                "declared-no-count",
                value=value,
                item=item_no,
                where=where,
                department=row.department,
                location=location,
            )
        ]
    else:
        notes = [F.DeclaredNote(item_no, row.department, location, where, row.count, row.row)]
    if period is not None and ev.date is not None and ev.date not in period:
        ev.counted = False
        when = {"source": "活动日期", "date": ev.date.isoformat(), "period": period.label}
        common = {"item": item_no, "department": row.department, "location": location}
        notes.append(F.make("outside-period", path=where, **when, **common))
    return ev, notes


def ledger_files(
    workbook: Optional[PathLike], ledgers: Iterable[PathLike], ledger_dir: Optional[PathLike]
) -> list[tuple[str, str]]:
    """``(path, origin)`` of every ledger workbook to read, each once; origin: book/file/dir."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()

    def add(p: PathLike, origin: str) -> None:
        key = norm_path(os.path.realpath(p))
        if key not in seen:
            seen.add(key)
            out.append((str(p), origin))

    if workbook is not None and Path(workbook).is_file():
        add(workbook, "book")
    for p in ledgers:
        add(p, "file")
    if ledger_dir is not None:
        folder = Path(ledger_dir)
        if not folder.is_dir():
            raise EvidenceError(
                f"找不到台账文件夹：{folder}",
                path=str(folder),
                hint="请确认 --ledger-dir 指定的文件夹存在。",
            )
        for entry in sorted(folder.iterdir(), key=lambda p: natural_key(p.name)):
            if entry.suffix.lower() in (".xlsx", ".xlsm", ".xls") and not skipped(entry.name):
                if entry.is_file():
                    add(entry, "dir")
    return out


Root = tuple[str, str]  # (absolute path, real path) of a folder paths must stay inside


def inside_roots(real: str, roots: list[Root]) -> bool:
    """True when a real path lies inside one of the roots' real paths."""
    return any(within(real, r) for _a, r in roots)


def resolve_path(text: str, roots: list[Root]) -> tuple[str, Optional[str]]:
    """A ledger path → ``("ok", abspath)``, ``("outside", None)`` or ``("missing", None)``.

    A relative path is tried against each root in turn (the ledger's folder, then the
    evidence root). Whatever leaves every root — by ``..``, as an absolute path, or
    through a symlink — is "outside" and is never opened.
    """
    p = text.strip().replace("\\", "/")
    win = PureWindowsPath(text.strip())
    absolute = os.path.isabs(p) or bool(win.drive) or p.startswith("//")
    if absolute and win.drive and os.name != "nt":
        return "outside", None  # a Windows drive path cannot lie inside a folder here
    candidates = [p] if absolute else [os.path.join(a, p) for a, _r in roots]
    missing = False
    for cand in candidates:
        lexical = os.path.abspath(cand)
        if not any(within(lexical, a) or within(lexical, r) for a, r in roots):
            continue
        real = os.path.realpath(lexical)
        if not inside_roots(real, roots):
            continue  # a symlink out of the allowed folders
        if os.path.exists(real):
            return "ok", lexical
        missing = True
    return ("missing" if missing else "outside"), None


def rel_to_roots(path: str, roots: list[Root]) -> str:
    """``path`` relative to the first root holding it, with forward slashes."""
    for a, r in roots:
        for base in (a, r):
            if within(path, base):
                rel = os.path.relpath(path, base)
                return "/".join(display_name(x) for x in Path(rel).parts if x != ".") or "."
    return display_name(Path(path).name)
