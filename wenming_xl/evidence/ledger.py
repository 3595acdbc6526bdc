"""Read 佐证台账 sheets: one row per activity or document, columns found by header words.

Values come from python-calamine (fast, cached formula values). A 路径 cell that is a
hyperlink counts by its link target, read from the sheet's XML ``<hyperlinks>`` and its
relationships (parsed with defusedxml). This module only reads rows; resolving paths,
matching items and building `Evidence` is `evidence.py`'s work (DESIGN §4.2).
"""

from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import itertools
import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Union

from wenming_xl.evidence.links import link_target, sheet_hyperlinks
from wenming_xl.evidence.loader import SheetLoader, load_sheets
from wenming_xl.model import DOCUMENT, IMAGE, OTHER, VIDEO, Location
from wenming_xl.text import CN_NUM, cn_to_int, find_date, normalize, normalize_all, squash

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
        return f"{where_prefix(self.file, self.sheet)}{self.row}行"

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


def where_prefix(file: str, sheet: str) -> str:
    """「台账 部门台账.xlsx 工作表「佐证台账」第」: a row's place in messages, without its number."""
    return f"台账 {os.path.basename(file)} 工作表「{sheet}」第"


#: The cleaned columns of a ledger sheet, in `LedgerRow`'s field order after ``item_cell``.
COLUMNS = (
    "department",
    "date",
    "date_text",
    "place",
    "theme",
    "type_text",
    "count",
    "count_text",
    "paths",
    "path_cell",
    "note",
)

_PATHS = COLUMNS.index("paths")


@dataclass
class LedgerSheet:
    """One ledger sheet: where its header is, which column holds what, and its filled rows.

    The rows are held column by column (``numbers``, ``items`` and ``values[name]`` for
    each name of `COLUMNS`, all the same length): a 20,000-row ledger is a few lists, not
    20,000 objects. `rows` and `row` give them as `LedgerRow`s.
    """

    file: str
    sheet: str
    header_row: int
    columns: dict[str, int]
    #: The header word of the count column (张数 hints images, 份数 documents).
    count_header: str = ""
    #: Column letter of 条目 (for each row's cell reference).
    item_column: str = "A"
    #: 1-based sheet row number of each filled row.
    numbers: list[int] = field(default_factory=list)
    #: Each row's 条目, cleaned by `clean_item`.
    items: list[Any] = field(default_factory=list)
    values: dict[str, list[Any]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.numbers)

    def row(self, i: int) -> LedgerRow:
        """The ``i``-th filled row as a `LedgerRow`."""
        r = self.numbers[i]
        rest = [self.values[name][i] for name in COLUMNS]
        rest[_PATHS] = list(rest[_PATHS])
        return LedgerRow(
            self.file, self.sheet, r, self.items[i], f"{self.item_column}{r}", *rest,
            count_header=self.count_header,
        )  # fmt: skip

    @property
    def rows(self) -> list[LedgerRow]:
        """Every filled row as a `LedgerRow` (built on each call)."""
        return [self.row(i) for i in range(len(self))]


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


#: No ledger row records more than this many photos or documents: a larger 数量 is a typo
#: (or a program's junk) and is not counted.
MAX_COUNT = 100_000
_SIGNED_RE = re.compile(r"^\s*[-−－]\s*\d")
_SCIENTIFIC_RE = re.compile(r"^\s*[+-]?\d+(?:\.\d+)?[eE][+-]?\d+\s*$")


def clean_count(value: Any) -> Optional[int]:
    """A 数量 cell → int (3, 3.0, "3张", "三份"); None when blank, not a number, negative or
    beyond `MAX_COUNT` (:func:`count_problem` says which)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        if not math.isfinite(value) or not 0 <= value <= MAX_COUNT:
            return None
        return int(round(value))
    text = normalize(value)
    if _SIGNED_RE.match(text) or _SCIENTIFIC_RE.match(text):
        return None  # 「-5」 is no count of 5; 「1e308」 is no count of 1
    m = _COUNT_RE.search(text)
    if not m:
        return None
    token = m.group(1)
    n = int(round(float(token))) if token[0].isdigit() else cn_to_int(token)
    return n if n is not None and n <= MAX_COUNT else None


def count_problem(text: str) -> str:
    """Why a 数量 cell was not counted, in Chinese (blank, negative, too large, not a number)."""
    t = normalize(text).strip()
    if not t:
        return "没有填写数量"
    number = None
    try:
        number = float(t)
    except ValueError:
        m = _COUNT_RE.search(t)
        if m and m.group(1)[0].isdigit():
            number = float(m.group(1)) * (-1 if _SIGNED_RE.match(t) else 1)
    if number is not None and math.isnan(number):
        number = None
    if number is not None and math.isfinite(number):
        if number < 0:
            return f"数量「{t}」是负数"
        if number > MAX_COUNT:
            return f"数量「{t}」大得不合理（一行最多{MAX_COUNT}）"
    elif number is not None:
        return f"数量「{t}」大得不合理（一行最多{MAX_COUNT}）"
    return f"数量「{t}」不是数字"


def split_paths(text: str) -> list[str]:
    """A 路径 cell may list several paths, one per line or separated by ；/ ;."""
    parts = re.split(r"[\n;；]+", text)
    return [p.strip().strip("\"'“”‘’") for p in parts if p.strip().strip("\"'“”‘’")]


def read_ledger(
    path: PathLike, *, named_only: bool = False, loader: Optional[SheetLoader] = None
) -> list[LedgerSheet]:
    """Every ledger sheet of a workbook with its rows.

    ``named_only`` (for the task workbook) reads only sheets whose name contains 台账;
    otherwise sheets named 台账 come first and any other sheet with a ledger header
    counts too. ``loader`` hands over sheets parsed in the background. Returns [] when
    the workbook holds no ledger; raises `LedgerError` when it cannot be read at all.
    """
    if loader is not None:
        parsed = loader.get(path, named_only=named_only)
    else:
        parsed = load_sheets(path, named_only=named_only)
    out = []
    for name, rows in parsed:
        sheet = _read_sheet(str(path), name, rows)
        if sheet is not None:
            out.append(sheet)
    return out


def _text_of(value: Any) -> str:
    """A cell as cleaned text: NFKC-normalised and stripped; 3.0 → "3"; None → ""."""
    if value.__class__ is float and value.is_integer():
        if abs(value) >= 1e15:  # a 309-digit integer helps nobody: 1e+308
            return f"{value:g}"
        return str(int(value))  # what `_text` gives, without normalising digits
    return _text(value)


def _distinct(values: Any) -> Optional[dict[Any, Any]]:
    """A dict keyed by the distinct values, or None when they cannot be keyed faithfully.

    True equals 1.0 as a dict key, so a column holding booleans is not keyed.
    """
    try:
        memo = dict.fromkeys(values)
    except TypeError:  # an unhashable value
        return None
    if (0 in memo or 1 in memo) and bool in set(map(type, values)):
        return None
    return memo


def _each(values: Any, fn: Any) -> list[Any]:
    """``[fn(v) for v in values]``, computed once per distinct value.

    Ledgers repeat departments, places, types and dates on every row.
    """
    memo = _distinct(values)
    if memo is None:
        return [fn(v) for v in values]
    for v in memo:
        memo[v] = fn(v)
    return list(map(memo.__getitem__, values))


def _texts(values: Any) -> list[str]:
    """`_text_of` of each value; the distinct strings are normalised in one pass."""
    memo = _distinct(values)
    if memo is None:
        return [_text_of(v) for v in values]
    strings = [v for v in memo if v.__class__ is str]
    for v, t in zip(strings, normalize_all(strings)):
        memo[v] = t.strip()
    for v in memo:
        if v.__class__ is not str:
            memo[v] = _text_of(v)
    return list(map(memo.__getitem__, values))


_NO_PATHS: tuple[str, ...] = ()  # every row without a path (`LedgerSheet.row` makes a list)


def _read_sheet(path: str, name: str, rows: list[list[Any]]) -> Optional[LedgerSheet]:
    """One sheet's cell values → a `LedgerSheet` of its filled rows, or None without a header."""
    head = find_header(rows)
    if head is None:
        return None
    r0, cols, words = head
    body = rows[r0 + 1 :]
    width = max(cols.values()) + 1
    if any(len(row) < width for row in body):
        body = [row + [None] * (width - len(row)) for row in body]
    none = (None,) * len(body)
    by_col = list(zip(*body)) if body else []

    def raw(role: str) -> tuple:
        return by_col[cols[role]] if role in cols and body else none

    dept = [t or None for t in _texts(raw("department"))]
    date_raw = raw("date")
    date_all = _texts(date_raw)
    place, theme = _texts(raw("place")), _texts(raw("theme"))
    count_raw = raw("count")
    count_text, path_text = _texts(count_raw), _texts(raw("path"))
    # The 路径 cell's hyperlink target wins over its text.
    links = sheet_hyperlinks(path, name) if "path" in cols else {}
    path_col = col_letter(cols["path"]) if "path" in cols else None
    path_cell = [f"{path_col}{r0 + 2 + i}" for i in range(len(body))] if path_col else none
    link = [links.get(c) for c in path_cell] if links else none
    filled = map(any, zip(dept, date_all, place, theme, count_text, path_text, link))
    keep = list(itertools.compress(range(len(body)), filled))  # blank or template rows go
    if len(keep) == len(body):
        pick: Callable[[Any], list[Any]] = list
    else:

        def pick(column: Any) -> list[Any]:
            return [column[i] for i in keep]

    date_raw = pick(date_raw)
    if path_col:
        paths = [
            [link_target(lk)] if lk else split_paths(pt) if pt else _NO_PATHS
            for lk, pt in zip(pick(link), pick(path_text))
        ]
    else:
        paths = [_NO_PATHS] * len(keep)
    values = {
        "department": pick(dept),
        "date": _each(date_raw, clean_date),
        "date_text": _each(date_raw, lambda v: "" if isinstance(v, _dt.date) else _text_of(v)),
        "place": pick(place),
        "theme": pick(theme),
        "type_text": _texts(pick(raw("type"))),
        "count": _each(pick(count_raw), clean_count),
        "count_text": pick(count_text),
        "paths": paths,
        "path_cell": pick(path_cell),
        "note": _texts(pick(raw("note"))),
    }
    return LedgerSheet(
        path,
        name,
        r0 + 1,
        dict(cols),
        count_header=words.get("count", ""),
        item_column=col_letter(cols["no"]),
        numbers=[r0 + 2 + i for i in keep]
        if pick is not list
        else list(range(r0 + 2, r0 + 2 + len(keep))),
        items=_each(pick(raw("no")), clean_item),
        values=values,
    )


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


#: File names Windows, WPS, a browser or a phone give a second copy of a file:
#: 「台账 - 副本.xlsx」, 「台账 - Copy.xlsx」, 「台账(1).xlsx」, 「台账（2）.xlsx」, 「Copy of 台账.xlsx」.
_COPY_NAME = re.compile(
    r"(副本|\bcopy\b|^copy of |[(（]\s*\d{1,3}\s*[)）]\s*$|\s-\s*\d{1,3}\s*$)", re.IGNORECASE
)


def looks_like_copy(filename: str) -> bool:
    """True when a file's name (without folder) says it is a copy of another."""
    stem = os.path.splitext(os.path.basename(filename))[0]
    return bool(_COPY_NAME.search(stem.strip()))


def sheet_fingerprint(sheet: LedgerSheet) -> Optional[str]:
    """A digest of a ledger sheet's filled rows (what is in them, not where the file is).

    Two files with the same fingerprint hold the same ledger: counting both would count
    every row twice. None for a sheet without filled rows.
    """
    if not len(sheet):
        return None
    digest = hashlib.sha1()
    digest.update(repr(sheet.items).encode("utf-8", "surrogatepass"))
    for name in sorted(sheet.values):
        digest.update(repr(sheet.values[name]).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def row_keys(sheet: LedgerSheet) -> list[tuple]:
    """What each filled row says (条目 and every column's value), for finding the same row
    in another file: a copy that a department went on filling holds the old rows too."""
    names = sorted(sheet.values)
    columns = [sheet.items] + [[repr(v) for v in sheet.values[n]] for n in names]
    return list(zip(*columns))


def keep_rows(sheet: LedgerSheet, keep: list[int]) -> LedgerSheet:
    """The sheet with only the filled rows at positions ``keep``."""
    import dataclasses

    return dataclasses.replace(
        sheet,
        numbers=[sheet.numbers[i] for i in keep],
        items=[sheet.items[i] for i in keep],
        values={n: [col[i] for i in keep] for n, col in sheet.values.items()},
    )


def owner_of(filename: str, departments: Iterable[str]) -> Optional[str]:
    """The department a ledger file belongs to, by its name: 「工会-佐证台账.xlsx」 → 工会.

    The kit names each department's ledger 「部门-佐证台账.xlsx」; a copy (「… - 副本」) or a
    renamed file (「工会 台账 6月.xlsx」) still starts with the department. Only a known
    department counts, the longest that the name starts with; None when none does.
    """
    stem = normalize(os.path.splitext(os.path.basename(filename))[0]).strip()
    best = None
    for dep in departments:
        if dep and stem.startswith(dep) and (best is None or len(dep) > len(best)):
            rest = stem[len(dep) :]
            if not rest or not (rest[0].isalnum() and not rest.startswith(("佐证", "台账"))):
                best = dep
    return best


def fill_owner(sheet: LedgerSheet, owner: Optional[str]) -> None:
    """Rows whose 部门 is blank belong to the ledger's owner (the kit's formula had no value)."""
    if owner is None:
        return
    column = sheet.values["department"]
    for i, dep in enumerate(column):
        if dep is None:
            column[i] = owner


_MONTH_DAY = re.compile(r"^(\d{1,2})\s*(?:月|[-/.])\s*(\d{1,2})\s*[日号]?$")


def settle_dates(sheet: LedgerSheet, period: Any, match: Callable[[Any], Any]) -> list[Any]:
    """Findings for 日期 cells that were written but could not be read, fixing what can be.

    A month and day without a year (「5月3日」, 「5-3」) takes the year of ``period``
    when the period lies in one year, and says so. Anything else — a date that does not
    exist (「2022-02-30」, 「2022年13月5日」), a month without a day (「2022年7月」), words
    (「昨天」) — is a finding with its cell: the row still counts, but no period check can
    apply to it, so a person must look. ``match`` gives the item of a 条目 value.
    """
    dates, texts = sheet.values["date"], sheet.values["date_text"]
    todo = [i for i, (d, t) in enumerate(zip(dates, texts)) if d is None and t]
    if not todo:
        return []
    from wenming_xl import findings as F

    column = col_letter(sheet.columns["date"])
    head = where_prefix(sheet.file, sheet.sheet)
    out = []
    for i in todo:
        r = sheet.numbers[i]
        item = match(sheet.items[i])
        common = {
            "item": item.no if item is not None else None,
            "department": sheet.values["department"][i],
            "location": Location(sheet.file, sheet.sheet, f"{column}{r}"),
            "where": f"{head}{r}行",
            "value": texts[i],
        }
        m = _MONTH_DAY.match(normalize(texts[i]).strip())
        day = _in_period(int(m.group(1)), int(m.group(2)), period) if m else None
        if day is not None:
            dates[i] = day
            out.append(
                F.make("date-year-assumed", date=day.isoformat(), period=period.label, **common)
            )
        elif m and period is None:
            out.append(F.make("date-no-year", **common))
        else:
            out.append(F.make("date-unreadable", **common))
    return out


def _in_period(month: int, day: int, period: Any) -> Optional[_dt.date]:
    """The year ``period`` gives a month and day: the one year it fits in, else the period's year.

    A period of one year gives its year (「9月1日」 in 2022-01..2022-06 is 2022-09-01, and
    then outside the period); one across two years (2022-07..2023-06) the year in which
    the date falls inside it. None without a period, or when no such date exists.
    """
    if period is None:
        return None
    last = getattr(period, "period_end", None) or period.end
    fits, years = [], range(period.start.year, last.year + 1)
    for year in years:
        try:
            d = _dt.date(year, month, day)
        except ValueError:
            continue
        if period.start <= d <= last or len(years) == 1:
            fits.append(d)
    return fits[0] if len(fits) == 1 else None
