"""Reading a task table (任务分工 / 测评内容分工 / 考核内容) into a `Rubric` (DESIGN §4.1).

The header row is found by its words, not its position; columns get roles (`ROLE_WORDS`).
Handles title rows, merged or repeated categories, caps 「（44分）」, points ``4分``/``-3分``,
numbers in the text or a 序号 column, numbered items inside one cell, several departments
per cell, 加分/扣分 sections, hidden rows (skipped, reported), spacer rows, formulas (cached
values). Seed 004's 考核 table (section base points, 扣分细则) is ``style="deduction"``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Union

from wenming_xl import findings as F
from wenming_xl.errors import HeaderNotFoundError, WorkbookError
from wenming_xl.model import BASE, BONUS, DEDUCTION, Category, Finding, Item, Location, Rubric
from wenming_xl.tables.departments import (
    split_departments,
    split_names,
    split_placeholders,
    table_known_names,
)
from wenming_xl.tables.sheets import (
    SheetData,
    cell_ref,
    col_letter,
    find_header,
    open_workbook,
    read_sheet,
    sheet_probe_order,
)
from wenming_xl.text import (
    cell_lines,
    cn_to_int,
    find_cap,
    normalize,
    one_line,
    outline_number,
    parse_points,
    split_numbered,
    squash,
    to_number,
)

__all__ = ["ROLE_WORDS", "load_rubric", "split_departments"]

#: Header words of each column role. ``…X`` matches any header ending in X.
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "category": ("创建项目", "测评项目", "考核项目", "测评指标", "考核指标", "一级指标", "项目",
                 "类别", "项目类别", "指标", "…项目", "…类别"),
    "subcategory": ("二级指标", "子项目", "…二级指标"),
    "no": ("序号", "编号", "条目编号", "项目编号", "项次", "序"),
    "text": ("工作清单", "测评内容", "责任内容", "工作任务", "任务内容", "考核内容", "工作内容",
             "创建内容", "具体内容", "创建任务", "重点任务", "任务", "内容", "…内容", "…清单", "…任务"),
    "points": ("分值", "分数", "标准分", "基本分", "满分", "赋分", "…分值"),
    "departments": ("牵头部门", "牵头科室", "责任部门", "责任处室", "责任科室", "责任单位",
                    "牵头单位", "牵头处室", "部门", "科室", "处室", "…部门", "…科室", "…处室"),
    "leaders": ("分管领导", "责任领导", "分管院领导", "分管校领导", "联系领导", "…领导"),
    "requirement": ("材料上传及说明", "报送要求", "报送说明", "测评方法", "材料要求", "佐证材料",
                    "上传材料", "材料上传", "台账材料", "考核方法", "评价方法", "评分标准",
                    "…要求", "…说明", "…方法"),
    "deduction_rules": ("扣分细则", "扣分标准", "评分细则", "考核细则", "扣分办法", "…细则"),
    "occurrences": ("扣分次数", "是否发生", "发生次数", "…次数"),
    "confirm": ("人工确认", "…确认"),
    "correction": ("规则修正", "修正规则", "规则更正", "要求修正", "…修正"),
}  # fmt: skip

#: Columns never taken for a role (the scored copy adds them; remarks are free text).
IGNORED_HEADERS = ("得分", "状态", "问题说明", "评分说明", "备注", "完成情况")
#: Sheets looked at last when no sheet is named (ledgers, contacts, outputs of this tool).
_LATER_SHEETS = ("台账", "通讯录", "扣分记录", "问题清单", "汇总", "记录", "目录")
HEADER_HELP = (
    "条目内容列（工作清单/测评内容/责任内容/工作任务/考核内容），以及 创建项目/测评指标/项目、"
    "序号、分值、牵头部门/牵头科室/责任部门/责任处室、材料上传及说明/报送要求/测评方法、分管领导、扣分细则"
)

#: No item (nor category) of a task table is worth more than this: a larger 分值 is a typo.
MAX_POINTS = 1000

_CN = "一二三四五六七八九十百零〇两"
_CAT_RE = re.compile(rf"^\s*([{_CN}]+)\s*[、.,]")
_SUB_RE = re.compile(rf"^\s*[(（]\s*([{_CN}]+)\s*[)）]")
_CLOSING_RE = re.compile(r"^\s*(说明|注|备注|填表说明|附注)\s*[:：]")
_ATTACHMENT_RE = re.compile(r"^(附件|附表)\s*\d*\s*[:：]?$")
_TOTAL_RE = re.compile(r"^(合计|小计|总计|总分)")
_BONUS_RE = re.compile(r"加\s*[0-9.一二三四五六七八九十]+\s*分|加分")
_ROLE_LABELS = {
    "category": "创建项目", "subcategory": "二级指标", "no": "序号", "text": "条目内容",
    "points": "分值", "departments": "牵头部门", "leaders": "分管领导", "requirement": "材料要求",
    "deduction_rules": "扣分细则", "occurrences": "扣分次数", "confirm": "人工确认",
    "correction": "规则修正",
}  # fmt: skip
_YES = {"已确认", "确认", "是", "√", "✓", "✔", "y", "yes", "ok"}

PathLike = Union[str, Path]


def _is_blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _heading_prefix(name: str) -> str:
    """The path prefix of a category: its numeral (「一」), else its name without points."""
    s = normalize(name)
    m = _CAT_RE.match(s) or _SUB_RE.match(s)
    if m:
        return f"（{m.group(1)}）" if _SUB_RE.match(s) else m.group(1)
    m = re.match(r"^\s*(\d+)\s*[.、]", s)
    if m:
        return m.group(1)
    s = re.sub(r"[(（]?\s*\d+(?:\.\d+)?\s*分\s*[)）]?\s*$", "", squash(name))
    return s or squash(name)


def _category_kind(name: str) -> str:
    s = squash(name)
    return BONUS if "加分" in s else DEDUCTION if "扣分" in s else BASE


def _bonus_only(text: str) -> bool:
    s = squash(text)
    return bool(s) and bool(_BONUS_RE.search(s)) and "扣" not in s


def _occurrences(value: Any) -> Optional[int]:
    """A 扣分次数 / 是否发生 cell: a count, 是 = 1, 否 or blank = 0, None when unreadable."""
    if _is_blank(value):
        return 0
    if isinstance(value, (int, float)):
        return max(0, int(value))
    s = squash(value).rstrip("次")
    if s in ("是", "有", "√", "✓", "发生", "已发生"):
        return 1
    if s in ("否", "无", "×", "未发生", "没有", "-", "—"):
        return 0
    n = to_number(s)
    return max(0, int(n)) if n is not None else None


@dataclass
class _Entry:
    """An item being built, with what numbering needs."""

    item: Item
    num: Optional[int]
    sub: Optional[str]
    rules: str = ""


class _Reader:
    """Walks the rows below the header and builds items and categories."""

    def __init__(
        self, data: SheetData, header_row: int, cols: dict[str, int], known: Iterable[str]
    ):
        self.d = data
        self.header_row = header_row
        self.cols = cols
        self.path = data.path
        self.where = f"{Path(data.path).name} 工作表「{data.name}」"
        self.notes: list[Finding] = []
        #: Rows of items whose 分值 cell is blank (or the lower part of a merged one).
        self.blank_points: list[int] = []
        self.entries: list[_Entry] = []
        self.category: Optional[Category] = None
        self.sub: Optional[str] = None
        self.categories: dict[str, Category] = {}
        self.style = "deduction" if "deduction_rules" in cols and "points" not in cols else "points"
        c = cols.get("departments")
        cells = [data.value(r, c) for r in range(header_row + 1, data.nrows + 1)] if c else []
        self.known = table_known_names(cells, known)

    # ------------------------------------------------------------------ helpers
    def col(self, role: str) -> Optional[int]:
        return self.cols.get(role)

    def own(self, r: int, role: str) -> Any:
        c = self.cols.get(role)
        return self.d.value(r, c) if c else None

    def filled(self, r: int, role: str) -> Any:
        c = self.cols.get(role)
        return self.d.filled(r, c) if c else None

    def note(self, code: str, r: int, c: int, **params: Any) -> None:
        where = f"{self.where} 单元格 {cell_ref(r, c)}"
        self.notes.append(F.make(code, location=self.d.location(r, c), where=where, **params))

    # ------------------------------------------------------------------ categories
    def set_category(self, value: Any, r: int, c: int, cap: Optional[float] = None) -> None:
        name = one_line(value)
        if self.category is not None and self.category.name == name:
            return
        cat = self.categories.get(name)
        if cat is None:
            if cap is None:
                cap = find_cap(name)
                if cap is not None and cap > MAX_POINTS:
                    self.note(
                        "cell-unreadable",
                        r,
                        c,
                        value=name,
                        what=f"类别分值（不会超过{MAX_POINTS}分）",
                    )
                    cap = None
            cat = Category(
                name=name,
                cap=cap,
                kind=_category_kind(name),
                location=self.d.location(r, c),
            )
            self.categories[name] = cat
        self.category = cat
        self.sub = None

    def set_sub(self, value: Any) -> None:
        self.sub = one_line(value) or None

    # ------------------------------------------------------------------ rows
    def walk(self) -> None:
        d = self.d
        table_cols = set(self.cols.values())
        header_end = self.header_row
        for r1, c1, r2, _c2 in d.merged:
            if r1 == self.header_row and c1 in table_cols:
                header_end = max(header_end, r2)
        for r in range(self.header_row + 1, d.nrows + 1):
            if r in d.hidden_rows:
                loc = Location(self.path, d.name, cell_ref(r, 1))
                shown = one_line(d.value(r, self.cols["text"]))[:30]
                text = f"（「{shown}」）" if shown else ""
                self.notes.append(
                    F.make("hidden-row-skipped", location=loc, where=self.where, row=r, text=text)
                )
                continue
            if r <= header_end:
                continue
            self.row(r)

    def row(self, r: int) -> None:
        d = self.d
        text_col = self.cols["text"]
        cells = [(c, v) for c, v in enumerate(d.rows[r - 1], 1) if not _is_blank(v)]
        for c in self.cols.values():
            if (r, c) in d.uncached_formulas:
                self.note("formula-no-value", r, c)
            elif (r, c) in d.error_cells:
                self.note("cell-error", r, c, value=d.error_cells[(r, c)])
        if not cells:
            return
        if len(cells) == 1 and self.heading_row(r, *cells[0]):
            return
        if self.col("category"):
            v = self.filled(r, "category")
            if not _is_blank(v):
                self.set_category(v, r, self.cols["category"])
        if self.col("subcategory"):
            v = self.filled(r, "subcategory")
            if not _is_blank(v):
                self.set_sub(v)
        text = d.value(r, text_col)
        if _is_blank(text):
            self.row_without_text(r)
            return
        s = normalize(text).strip()
        if _TOTAL_RE.match(squash(s)):
            return
        if _is_blank(self.filled(r, "departments")) and _is_blank(self.own(r, "requirement")):
            if _CAT_RE.match(s) and not self.col("category"):
                self.set_category(text, r, text_col, cap=self.cap_from_points(r))
                return
            if _SUB_RE.match(s) and not self.col("subcategory"):
                self.set_sub(text)
                return
        self.items(r, text)

    def heading_row(self, r: int, c: int, v: Any) -> bool:
        """A row holding one cell: a section heading, a closing 说明, or an item alone."""
        s = normalize(v).strip()
        if _CLOSING_RE.match(s):
            return True
        rng = self.d.merge_of(r, c)
        spans = rng is not None and rng[3] > rng[1]
        role_of = {col: role for role, col in self.cols.items()}
        role = role_of.get(c)
        if role == "text" and not spans:
            return False
        if not (spans or role in ("category", "subcategory", "no", "text")):
            return False
        if (_SUB_RE.match(s) and role != "category") or role == "subcategory":
            self.set_sub(v)
        else:
            self.set_category(v, r, c)
        return True

    def cap_from_points(self, r: int) -> Optional[float]:
        cap = parse_points(self.own(r, "points"))
        if cap is not None and (not math.isfinite(cap) or abs(cap) > MAX_POINTS):
            c = self.cols["points"]
            what = f"类别分值（不会超过{MAX_POINTS}分）"
            self.note("cell-unreadable", r, c, value=cell_lines(self.own(r, "points")), what=what)
            return None
        return cap

    def row_without_text(self, r: int) -> None:
        """No item text: a category row with its cap in 分值, or the lower part of a tall item."""
        text_col = self.cols["text"]
        origin = self.d.origin(r, text_col)
        if origin and origin[0] < r:
            extra_d, extra_p = split_placeholders(
                split_departments(self.own(r, "departments"), self.known)
            )
            extra_l = split_names(self.own(r, "leaders"))
            for e in self.entries:
                if e.item.row == origin[0]:
                    e.item.departments += [x for x in extra_d if x not in e.item.departments]
                    e.item.placeholders += [x for x in extra_p if x not in e.item.placeholders]
                    e.item.leaders += [x for x in extra_l if x not in e.item.leaders]
            return
        cat = self.category
        pts = self.cap_from_points(r)
        if (
            cat is not None
            and cat.cap is None
            and pts is not None
            and not _is_blank(self.own(r, "category"))
        ):
            cat.cap = pts

    def items(self, r: int, text: Any) -> None:
        text_col = self.cols["text"]
        no_value = self.own(r, "no")
        if _is_blank(no_value):
            parts = split_numbered(text)
        else:
            n = self.read_no(no_value)
            own_n, rest = outline_number(cell_lines(text))
            body = rest if own_n is not None and own_n == n else cell_lines(text)
            parts = [(n, body)]
        if not parts:
            return
        loc = self.d.location(r, text_col)
        requirement = self.paired(r, "requirement", parts)
        rules = self.paired(r, "deduction_rules", parts)
        corrections = self.paired(r, "correction", parts)
        points = self.points(r, len(parts))
        departments, placeholders = split_placeholders(
            split_departments(self.filled(r, "departments"), self.known)
        )
        leaders = split_names(self.filled(r, "leaders"))
        occurrences = _occurrences(self.own(r, "occurrences")) if self.col("occurrences") else None
        confirmed = squash(self.own(r, "confirm")).lower() in _YES if self.col("confirm") else False
        cat = self.category
        for i, (num, body) in enumerate(parts):
            req = "\n".join(x for x in (requirement[i], rules[i]) if x)
            pts = points[i]
            kind = cat.kind if cat else BASE
            if pts is not None and pts < 0:
                kind = DEDUCTION
            if kind == DEDUCTION and pts is not None and pts > 0:
                pts = -pts
            item = Item(
                no=num if num is not None else 0,
                text=one_line(body),
                category=cat.name if cat else None,
                points=pts,
                departments=list(departments),
                placeholders=list(placeholders),
                leaders=list(leaders),
                requirement_text=req,
                kind=kind,
                location=loc,
                row=r,
                occurrences=occurrences,
                confirmed=confirmed,
                correction=corrections[i] or "",
            )
            self.entries.append(_Entry(item, num, self.sub, rules[i]))
            if cat is not None:
                cat.items.append(item)

    def read_no(self, value: Any) -> Optional[int]:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return int(value)
        n, _ = outline_number(str(value))
        if n is not None:
            return n
        s = squash(value)
        if s.isdigit():
            return int(s)
        return cn_to_int(s.strip("第项")) if s else None

    def paired(self, r: int, role: str, parts: list[tuple[Optional[int], str]]) -> list[str]:
        """The text of ``role`` for each part: the part with the same number, else all of it."""
        value = self.filled(r, role)
        whole = cell_lines(value)
        if len(parts) == 1 or not whole:
            return [whole] * len(parts)
        segs = split_numbered(value)
        nums = [n for n, _ in parts]
        by_no = {n: t for n, t in segs if n is not None}
        if len(segs) == len(parts) and sorted(by_no) == sorted(n for n in nums if n is not None):
            return [by_no.get(n, whole) if n is not None else whole for n in nums]
        if role == "deduction_rules" or len(by_no) > 1:
            cat = self.category
            self.note(
                "rules-unpaired",
                r,
                self.cols[role],
                category=cat.name if cat else one_line(self.d.value(r, self.cols["text"]))[:20],
                items=len(parts),
                rules=len(by_no) or 1,
                column=_ROLE_LABELS.get(role, "材料要求"),
            )
        return [whole] * len(parts)

    def points(self, r: int, count: int) -> list[Optional[float]]:
        c = self.col("points")
        value = self.d.value(r, c) if c else None
        if _is_blank(value):
            if c and (r, c) not in self.d.uncached_formulas and (r, c) not in self.d.error_cells:
                self.blank_points.append(r)  # said in `finish`, once the items are numbered
            return [None] * count
        if count > 1:
            lines = cell_lines(value).split("\n") if isinstance(value, str) else [value]
            got = [self.sane(parse_points(x), r, c, x) for x in lines]
            if len(got) == count and all(g is not None for g in got):
                return got
            self.note("points-unsplit", r, c, items=count, points=cell_lines(value))
            return [None] * count
        got = parse_points(value)
        if got is None:
            self.note("cell-unreadable", r, c, value=cell_lines(value), what="分值")
        return [self.sane(got, r, c, value)]

    def sane(self, points: Optional[float], r: int, c: int, value: Any) -> Optional[float]:
        """``points`` when it can be an item's 分值; a number beyond `MAX_POINTS` is noted, dropped."""
        if points is None or (math.isfinite(points) and abs(points) <= MAX_POINTS):
            return points
        what = f"分值（一个条目的分值不会超过{MAX_POINTS}分）"
        self.note("cell-unreadable", r, c, value=cell_lines(value), what=what)
        return None

    # ------------------------------------------------------------------ finish
    def finish(self) -> tuple[list[Category], list[Item]]:
        cats = list(self.categories.values())
        if self.style == "deduction":
            for cat in cats:
                texts = [e.rules for e in self.entries if e.item in cat.items]
                if texts and all(_bonus_only(t) for t in texts):
                    cat.kind = BONUS
                    for it in cat.items:
                        it.kind = BONUS
        for cat in cats:
            if cat.kind != BASE or cat.cap is None or self.style == "deduction":
                continue
            total = cat.points_sum
            if total is not None and abs(total - cat.cap) > 1e-9:
                cell = cat.location.cell if cat.location else None
                self.notes.append(
                    F.make(
                        "points-mismatch",
                        where=f"{self.where} 单元格 {cell}" if cell else self.where,
                        location=cat.location,
                        category=cat.name,
                        total=_fmt(total),
                        cap=_fmt(cat.cap),
                    )
                )
        self.number()
        self.say_blank_points()
        return cats, [e.item for e in self.entries]

    def say_blank_points(self) -> None:
        """An item left without points where the table gives points: never silently 0.

        The lower rows of a 分值 cell merged over several items get nothing (only the first
        item has the value); a blank 分值 beside items that have points is said too.
        """
        c = self.col("points")
        if not c or not self.blank_points:
            return
        with_points = sum(1 for e in self.entries if e.item.points is not None)
        by_row: dict[int, list[Item]] = {}
        for e in self.entries:
            by_row.setdefault(e.item.row or 0, []).append(e.item)
        for r in self.blank_points:
            rng = self.d.merge_of(r, c)
            for item in by_row.get(r, []):
                if rng is not None and rng[0] < r:
                    top = self.d.location(rng[0], c)
                    where = f"{self.where} 单元格 {top.cell}"
                    self.notes.append(
                        F.make(
                            "points-merged",
                            location=top,
                            where=where,
                            item=item.no,
                            points=one_line(self.d.value(rng[0], rng[1])),
                            rows=rng[2] - rng[0] + 1,
                            items=item.no,
                        )  # fmt: skip
                    )
                elif with_points * 2 >= len(self.entries) and item.kind == BASE:
                    self.note("points-blank", r, c, item=item.no)

    def number(self) -> None:
        """Plain integers where the table numbers items once; else paths like 一.（一）.1."""
        nums = [e.num for e in self.entries]
        if all(n is not None for n in nums) and len(set(nums)) == len(nums):
            for e in self.entries:
                e.item.no = e.num  # type: ignore[assignment]
            return
        if all(n is None for n in nums):
            for i, e in enumerate(self.entries, 1):
                e.item.no = i
            return
        siblings: dict[tuple[Optional[str], Optional[str]], list[_Entry]] = {}
        for e in self.entries:
            siblings.setdefault((e.item.category, e.sub), []).append(e)
        seen: dict[str, int] = {}
        for e in self.entries:
            parts = []
            if e.item.category:
                parts.append(_heading_prefix(e.item.category))
            if e.sub:
                parts.append(_heading_prefix(e.sub))
            group = siblings[(e.item.category, e.sub)]
            if e.num is not None:
                parts.append(str(e.num))
            elif len(group) > 1 or not parts:
                parts.append(str(group.index(e) + 1))
            path = ".".join(parts)
            seen[path] = seen.get(path, 0) + 1
            e.item.no = path if seen[path] == 1 else f"{path}-{seen[path]}"


def _fmt(x: float) -> Union[int, float]:
    return int(x) if float(x).is_integer() else x


# --------------------------------------------------------------------------- header and sheet


def _detect_heading_columns(data: SheetData, header_row: int, cols: dict[str, int]) -> None:
    """Unlabelled columns left of the item text that hold 一、/（一） headings become categories.

    Seed 000's top-left header is 「2023年度」 and its cells hold 「一、强化理想信念教育」: that
    column is the category, and 测评指标 beside it the subcategory.
    """
    text_col = cols["text"]
    used = set(cols.values())
    last = min(data.nrows, header_row + 80)
    for c in range(1, text_col):
        if c in used:
            continue
        vals = [normalize(data.value(r, c)).strip() for r in range(header_row + 1, last + 1)]
        vals = [v for v in vals if v]
        if not vals:
            continue
        cat_like = sum(bool(_CAT_RE.match(v)) for v in vals)
        sub_like = sum(bool(_SUB_RE.match(v)) for v in vals)
        if cat_like * 2 >= len(vals):
            if "category" in cols and "subcategory" not in cols and cols["category"] > c:
                cols["subcategory"] = cols.pop("category")
            if "category" not in cols:
                cols["category"] = c
                used.add(c)
        elif sub_like * 2 >= len(vals) and "subcategory" not in cols:
            cols["subcategory"] = c
            used.add(c)
    if "subcategory" in cols and "category" not in cols:
        cols["category"] = cols.pop("subcategory")


_POINTS_CELL = re.compile(r"^[+-]?\d+(?:\.\d+)?\s*分$")


def _missing_columns(
    data: SheetData, header_row: int, cols: dict[str, int], where: str, items: int
) -> list[Finding]:
    """Notes for a table read without its 牵头部门 column, or without a 分值 column it has.

    A header the reader did not understand must not score silently: with no 牵头部门 no
    department is told anything, and a column of 「2分」 cells left unread makes every
    item worth nothing. (A table without any 分值 column is normal: seeds 000 and 003.)
    """
    if not items:
        return []
    out = []
    loc = data.location(header_row, 1)
    if "departments" not in cols:
        effect = "所有条目都没有牵头部门，部门得分、部门台账和督办提醒都无法按部门进行"
        out.append(F.make("column-missing", location=loc, where=where, what="牵头部门",
                          words="牵头部门/牵头科室/责任部门/责任处室", effect=effect))  # fmt: skip
    if "points" not in cols:
        used = set(cols.values())
        for c in range(1, data.ncols + 1):
            if c in used:
                continue
            vals = [
                normalize(data.value(r, c)).strip() for r in range(header_row + 1, data.nrows + 1)
            ]
            vals = [v for v in vals if v]
            if vals and sum(bool(_POINTS_CELL.match(v)) for v in vals) * 2 >= len(vals):
                effect = (
                    f"第 {col_letter(c)} 列的内容像是分值，但表头没有认出，各条目都按没有分值计"
                )
                out.append(F.make("column-missing", location=data.location(header_row, c),
                                  where=where, what="分值", words="分值/分数/标准分", effect=effect))  # fmt: skip
                break
    return out


#: Rows looked at for the header: first these, then (no sheet had one) the deeper rows.
HEADER_ROWS, DEEP_HEADER_ROWS = 30, 500


def _task_header(
    data: SheetData, max_rows: int = HEADER_ROWS
) -> Optional[tuple[int, dict[str, int]]]:
    return find_header(data, ROLE_WORDS, max_rows=max_rows, min_roles=2, ignore=IGNORED_HEADERS)


def _title(data: SheetData, header_row: int) -> Optional[str]:
    for r in range(1, header_row):
        for v in data.rows[r - 1]:
            if _is_blank(v):
                continue
            t = one_line(v)
            if _ATTACHMENT_RE.match(squash(t)):
                break
            return t
    return None


def _no_text_error(
    path: Path, sheet: str, header_row: int, cols: dict[str, int]
) -> HeaderNotFoundError:
    found = "、".join(
        f"{_ROLE_LABELS[role]}（{cell_ref(header_row, c)}）"
        for role, c in sorted(cols.items(), key=lambda x: x[1])
    )
    return HeaderNotFoundError(
        f"{path.name} 工作表「{sheet}」第{header_row}行像是任务表的表头（认出了：{found}），"
        "但缺少条目内容列：表头中没有「工作清单」「测评内容」「责任内容」「工作任务」「考核内容」等词。",
        path=str(path),
        hint="请把写任务内容的那一列的表头改成「工作清单」或「测评内容」后再运行。",
    )


def _not_found_error(path: Path, looked: list[str], named: bool = False) -> HeaderNotFoundError:
    sheets = "、".join(f"「{n}」" for n in looked) or "（没有工作表）"
    depth = "整张表的每一行" if named else f"每张表的前{DEEP_HEADER_ROWS}行"
    hint = "请确认任务表在这个工作簿里、表头行写有「工作清单」「测评内容」等列名"
    hint += "。" if named else "；任务表不在第一张工作表时可用 --sheet 指定工作表名。"
    return HeaderNotFoundError(
        f"在 {path.name} 中找不到任务分工表的表头（查看了工作表：{sheets}，{depth}）。"
        f"表头应包含这些词：{HEADER_HELP}。",
        path=str(path),
        hint=hint,
    )


#: The two sheets of a department kit's ledger workbook (outputs.workbooks.kits).
_KIT_SHEETS = ("任务清单", "佐证台账")


def _refuse_a_kit(p: Path, names: list[str]) -> None:
    """A department's kit ledger given where the task table belongs: say so, don't score it."""
    if [n for n in names if not n.startswith("_")][:2] != list(_KIT_SHEETS):
        return
    stem = p.stem.split("-佐证台账")[0] if "-佐证台账" in p.stem else ""
    who = f"部门「{stem}」的" if stem else "部门的"
    raise WorkbookError(
        f"{p.name} 是{who}佐证台账（由 wenming kits 生成），不是任务表，不能用来评分。",
        path=str(p),
        hint=f"请把任务表放在第一个参数，台账用 --ledger {p.name} 或把台账所在文件夹用 --ledger-dir 读取，"
        "例如：wenming check 任务分工.xlsx --ledger-dir 台账/",
    )


def load_rubric(
    path: PathLike,
    sheet: Optional[str] = None,
    *,
    known_departments: Optional[Iterable[str]] = None,
    password: Optional[str] = None,
) -> Rubric:
    """Read a task table into a `Rubric`.

    ``sheet=None`` takes the first sheet whose header looks like a task table (ledgers,
    contacts and this tool's own output sheets are looked at last). ``known_departments``
    (e.g. the 通讯录 or the unit profile's departments) helps split run-together names;
    ``password`` opens a password-protected workbook (decrypted in memory). Raises
    `WorkbookError` if unreadable, `HeaderNotFoundError` if no sheet has a task table.
    """
    wb = open_workbook(p := Path(path), password=password)
    try:
        _refuse_a_kit(p, wb.sheet_names)
        visibility = {m.name: str(m.visible).rsplit(".", 1)[-1] for m in wb.sheets_metadata}
        if sheet is not None:  # the sheet named: its header may be anywhere in it
            data = read_sheet(p, sheet, workbook=wb, formulas=True, password=password)
            found = _task_header(data, max(data.nrows, HEADER_ROWS))
            if found is None:
                raise _not_found_error(p, [sheet], named=True)
            if "text" not in found[1]:
                raise _no_text_error(p, sheet, *found)
        else:
            looked: list[str] = []
            partial: Optional[tuple[str, int, dict[str, int]]] = None
            chosen: Optional[str] = None
            order = sheet_probe_order(wb, later=_LATER_SHEETS)
            for depth in (HEADER_ROWS, DEEP_HEADER_ROWS):
                for name in order:
                    if depth == HEADER_ROWS:
                        looked.append(name)
                    try:
                        head = wb.get_sheet_by_name(name).to_python(
                            skip_empty_area=False, nrows=depth
                        )
                    except Exception:  # an unreadable extra sheet is not the task table
                        continue
                    probe = _task_header(SheetData(str(path), name, head), depth)
                    if probe and "text" in probe[1]:
                        chosen = name
                        break
                    if probe and partial is None and len(probe[1]) >= 3:
                        partial = (name, *probe)
                if chosen is not None or partial is not None:
                    break
            if chosen is None:
                if partial is not None:
                    raise _no_text_error(p, *partial)
                raise _not_found_error(p, looked)
            data = read_sheet(p, chosen, workbook=wb, formulas=True, password=password)
            found = _task_header(data, DEEP_HEADER_ROWS)
            if found is None or "text" not in found[1]:  # pragma: no cover - probed above
                raise _not_found_error(p, looked)
    finally:
        wb.close()
    header_row, cols = found[0], dict(found[1])
    _detect_heading_columns(data, header_row, cols)
    reader = _Reader(data, header_row, cols, known_departments or ())
    shown = visibility.get(data.name, "Visible")
    if shown != "Visible":  # people score what they cannot see: say so
        how = (
            "深度隐藏，在 Excel/WPS 的「取消隐藏」里也看不到，只能用 VBA 取消"
            if shown == "VeryHidden"
            else "隐藏，可在工作表标签上右键「取消隐藏」"
        )
        reader.notes.append(
            F.make(
                "sheet-hidden", location=data.location(1, 1), path=p.name, sheet=data.name, how=how
            )  # fmt: skip
        )
    top, groups = data.header_tops.get(header_row, (header_row, []))
    if top > HEADER_ROWS:
        reader.notes.append(
            F.make(
                "header-low",
                location=data.location(top, 1),
                where=reader.where,
                row=top,
                above=top - 1,
            )  # fmt: skip
        )
    if groups:
        reader.notes.append(
            F.make(
                "header-combined",
                location=data.location(top, 1),
                where=reader.where,
                top=top,
                row=header_row,
                groups="」「".join(groups),
            )  # fmt: skip
        )
    reader.walk()
    categories, items = reader.finish()
    if reader.style != "deduction":  # a 考核 table of deductions scores one unit, no departments
        reader.notes += _missing_columns(data, header_row, cols, reader.where, len(items))
    return Rubric(
        path=str(path),
        sheet=data.name,
        title=_title(data, top),
        categories=categories,
        items=items,
        header_row=header_row,
        columns=dict(cols),
        style=reader.style,
        notes=reader.notes,
    )
