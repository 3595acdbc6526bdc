"""Plain data objects of the pipeline: rubric, rules, evidence, findings, results.

This module imports no file library. Every object that came from a file knows where
(`Location`), so any message can point at a file, sheet and cell. Each object has a
``to_dict()`` giving the JSON shape documented in DESIGN.md.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import operator
import sys
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, NamedTuple, Optional, Union

ItemNo = Union[int, str]

#: Item kinds.
BASE, BONUS, DEDUCTION = "base", "bonus", "deduction"

#: Item statuses (DESIGN §6).
MET, PARTIAL, MISSING, REVIEW, NA = "met", "partial", "missing", "review", "n/a"
STATUS_LABELS = {
    MET: "达标",
    PARTIAL: "部分完成",
    MISSING: "缺材料",
    REVIEW: "待人工确认",
    NA: "不适用",
}

#: Evidence kinds (decided from file content, or from a ledger's 类型 column).
IMAGE, DOCUMENT, VIDEO, OTHER = "image", "document", "video", "other"


def num(value: Any) -> Any:
    """Return a JSON-friendly number: ints stay ints, whole floats/fractions become ints."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, Fraction):
        value = float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


class Location(NamedTuple):
    """Where something came from: a file, and optionally a sheet and a cell (``C5``).

    Immutable and light (a ledger of 20,000 rows makes 20,000 of them).
    """

    path: str
    sheet: Optional[str] = None
    cell: Optional[str] = None

    def __str__(self) -> str:
        parts = [self.path]
        if self.sheet:
            parts.append(f"工作表「{self.sheet}」")
        if self.cell:
            parts.append(f"单元格 {self.cell}")
        return " ".join(parts)

    def short(self) -> str:
        """「工会-佐证台账.xlsx 佐证台账!A6」 when there is a cell, else the path.

        The file's name comes first: every department's ledger has a 「佐证台账」 sheet.
        """
        if self.sheet and self.cell:
            name = str(self.path or "").replace("\\", "/").rsplit("/", 1)[-1]
            return f"{name} {self.sheet}!{self.cell}" if name else f"{self.sheet}!{self.cell}"
        return self.path

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "sheet": self.sheet, "cell": self.cell}


# --------------------------------------------------------------------------- rubric


@dataclass
class Item:
    """One numbered task of the table (条目)."""

    no: ItemNo
    text: str
    category: Optional[str] = None
    points: Optional[float] = None
    departments: list[str] = field(default_factory=list)
    leaders: list[str] = field(default_factory=list)
    requirement_text: str = ""
    kind: str = BASE
    location: Optional[Location] = None
    #: 1-based worksheet row of the item (for write-back); None when not from a sheet.
    row: Optional[int] = None
    #: Deduction occurrences the office recorded (扣分次数 / 是否发生 column), None if no column.
    occurrences: Optional[int] = None
    #: True when a person wrote 已确认 in the 人工确认 column.
    confirmed: bool = False
    #: Words in the department cell that stand for several offices (「相关职能科」, 「各科室」):
    #: not a department — nobody's kit, mail or bulletin paragraph.
    placeholders: list[str] = field(default_factory=list)
    #: The office's own wording of the requirement (the 「规则修正」 column): parsed instead
    #: of ``requirement_text`` where given, and shown beside it.
    correction: str = ""

    @property
    def rule_text(self) -> str:
        """The text the rules come from: the office's correction, else the requirement."""
        return self.correction.strip() or self.requirement_text

    def to_dict(self) -> dict[str, Any]:
        return {
            "no": self.no,
            "category": self.category,
            "text": self.text,
            "points": num(self.points),
            "departments": list(self.departments),
            "placeholders": list(self.placeholders),
            "leaders": list(self.leaders),
            "requirement_text": self.requirement_text,
            "correction": self.correction or None,
            "kind": self.kind,
            "location": self.location.to_dict() if self.location else None,
        }


@dataclass
class Category:
    """A section of the table (创建项目 / 测评指标 一级), often with a cap 「（44分）」."""

    name: str
    cap: Optional[float] = None
    kind: str = BASE
    location: Optional[Location] = None
    items: list[Item] = field(default_factory=list)

    @property
    def points_sum(self) -> Optional[float]:
        pts = [i.points for i in self.items if i.points is not None]
        return sum(pts) if pts else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "cap": num(self.cap),
            "kind": self.kind,
            "points_sum": num(self.points_sum),
        }


@dataclass
class Rubric:
    """The whole task table as read from one sheet."""

    path: str
    sheet: str
    title: Optional[str] = None
    categories: list[Category] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    #: 1-based row of the header.
    header_row: int = 1
    #: role -> 1-based column index, e.g. {"text": 2, "points": 3, "departments": 4}.
    columns: dict[str, int] = field(default_factory=dict)
    #: "points" (分值 per item) or "deduction" (seed 004: base points per section, 扣分细则).
    style: str = "points"
    #: Problems found while reading (hidden rows skipped, …); Finding objects.
    notes: list[Finding] = field(default_factory=list)

    def item(self, no: ItemNo) -> Optional[Item]:
        for it in self.items:
            if it.no == no or str(it.no) == str(no):
                return it
        return None

    def lacking(self) -> list[str]:
        """The columns a score needs that no item fills: 「分值」, 「材料要求」 (in that order).

        A deduction-style table (扣分细则, base points per section) needs neither per item.
        """
        if self.style == "deduction" or not self.items:
            return []
        out = []
        if not any(it.points for it in self.items):
            out.append("分值")
        if not any(it.requirement_text.strip() for it in self.items):
            out.append("材料要求")
        return out

    @property
    def departments(self) -> list[str]:
        seen: dict[str, None] = {}
        for it in self.items:
            for d in it.departments:
                seen.setdefault(d, None)
        return list(seen)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "sheet": self.sheet,
            "title": self.title,
            "style": self.style,
            "items": [i.to_dict() for i in self.items],
            "categories": [c.to_dict() for c in self.categories],
        }


# --------------------------------------------------------------------------- rules


@dataclass
class Rule:
    """One checkable rule parsed from a requirement text.

    ``kind`` is one of count, groups, annotation, attribute, threshold, points,
    alternative, deduction, bonus. ``data`` holds the kind's fields exactly as the
    JSON contract names them (DESIGN §5 and issue 3), e.g. for ``count``:
    ``{"object": "图片", "category": "image", "min": 2, "max": None, "unit": "张"}``;
    for ``groups``: ``{"group": "活动", "min": 2, "each": [Rule(count…)], "points_each": None}``;
    for ``alternative``: ``{"options": [[Rule…], [Rule…]]}``. ``source`` is the text segment
    the rule came from.
    """

    kind: str
    data: dict[str, Any] = field(default_factory=dict)
    source: str = ""

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def to_dict(self) -> dict[str, Any]:
        def conv(v: Any) -> Any:
            if isinstance(v, Rule):
                return v.to_dict()
            if isinstance(v, list):
                return [conv(x) for x in v]
            if isinstance(v, dict):
                return {k: conv(x) for k, x in v.items()}
            return num(v)

        out: dict[str, Any] = {"kind": self.kind}
        out.update({k: conv(v) for k, v in self.data.items()})
        if self.source:
            out["source"] = self.source
        return out


@dataclass
class Requirement:
    """The parse of one requirement text: rules, a summary, and what was not understood."""

    text: str
    rules: list[Rule] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    needs_review: bool = False
    unparsed: list[str] = field(default_factory=list)
    #: The entries of ``unparsed`` that are understood but need a person, each with its
    #: reason (「加1-3分（分值是一个范围，由考核人员评定）」); the others were not understood.
    reasons: list[str] = field(default_factory=list)

    def rules_of(self, kind: str) -> list[Rule]:
        return [r for r in self.rules if r.kind == kind]

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "rules": [r.to_dict() for r in self.rules],
            "summary": {k: num(v) for k, v in self.summary.items()},
            "needs_review": self.needs_review,
            "unparsed": list(self.unparsed),
        }


# --------------------------------------------------------------------------- evidence

#: Evidence objects are numerous (a row each of a 20,000-row ledger): ``__slots__`` makes
#: them smaller and their attributes quicker to read. ``dataclass(slots=)`` needs 3.10.
_SLOTS: dict[str, Any] = {"slots": True} if sys.version_info >= (3, 10) else {}


@dataclass(**_SLOTS)
class Evidence:
    """One piece of evidence: a file found on disk, or a ledger row's declared count.

    ``group`` is the key of the activity it belongs to (a group folder's relative path,
    or ``ledger:<file>:<row>``), None for ungrouped files. ``annotation`` is the text
    that annotates it (the group folder name, or a ledger row's 日期/地点/主题 joined).
    ``count`` is 1 for a file; a declared ledger row carries its 数量 and ``declared``.
    """

    item_no: ItemNo
    kind: str
    path: Optional[str] = None
    group: Optional[str] = None
    group_name: Optional[str] = None
    group_date: Optional[_dt.date] = None
    annotation: str = ""
    date: Optional[_dt.date] = None
    declared: bool = False
    count: int = 1
    #: The object as the ledger names it (照片, 名单, 文件…), or the file extension.
    object: Optional[str] = None
    department: Optional[str] = None
    location: Optional[Location] = None
    size: Optional[int] = None
    #: Path of the first copy when this file is an exact duplicate (then it is not counted).
    duplicate_of: Optional[str] = None
    #: Path of a similar image (perceptual hash) — still counted, reported for a person.
    near_duplicate_of: Optional[str] = None
    #: False when the file is excluded from counting (duplicate, outside period, not an image…).
    counted: bool = True
    #: The file on disk as the scan read it (``path`` is how people see it); None for a
    #: declared ledger row. The binder and the upload pack copy from here.
    source: Optional[str] = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "item_no": self.item_no,
            "kind": self.kind,
            "path": self.path,
            "group": self.group,
            "group_name": self.group_name,
            "group_date": self.group_date.isoformat() if self.group_date else None,
            "annotation": self.annotation,
            "date": self.date.isoformat() if self.date else None,
            "declared": self.declared,
            "count": self.count,
            "object": self.object,
            "department": self.department,
            "counted": self.counted,
            "duplicate_of": self.duplicate_of,
            "near_duplicate_of": self.near_duplicate_of,
        }


# --------------------------------------------------------------------------- findings & results


@dataclass
class Finding:
    """One problem in the data: a stable code, where it is, and a Chinese message."""

    code: str
    message: str
    item_no: Optional[ItemNo] = None
    department: Optional[str] = None
    location: Optional[Location] = None
    #: The template's parameters, for tests and machine readers.
    params: dict[str, Any] = field(default_factory=dict)
    severity: str = "error"  # "error" | "warning" | "info"

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "item_no": self.item_no,
            "department": self.department,
            "location": self.location.to_dict() if self.location else None,
            "message": self.message,
            "params": {
                k: num(v) if not isinstance(v, (list, dict)) else v for k, v in self.params.items()
            },
        }


#: How many groups an item's evidence summary lists (`ItemResult.evidence_summary`).
GROUPS_SHOWN = 50

_KIND = operator.attrgetter("kind")
_COUNT = operator.attrgetter("count")
_GROUP = operator.attrgetter("group")
_PATH = operator.attrgetter("path")
_DECLARED = operator.attrgetter("declared")
_COUNTED = operator.attrgetter("counted")


@dataclass
class ItemResult:
    """An item with its parsed requirement, its evidence, findings and score."""

    item: Item
    requirement: Optional[Requirement] = None
    evidence: list[Evidence] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    score: Optional[Fraction] = None
    status: str = NA
    #: completion of each checked rule, in rule order (0..1).
    completions: list[Fraction] = field(default_factory=list)
    #: points that a person's confirmation would add (review rules).
    at_stake_review: Fraction = Fraction(0)

    @property
    def max_points(self) -> Fraction:
        return Fraction(str(self.item.points)) if self.item.points is not None else Fraction(0)

    @property
    def points_at_stake(self) -> Fraction:
        """Points not yet earned (max − score) for base and bonus items; 0 otherwise."""
        if self.item.kind == DEDUCTION or self.item.points is None or self.score is None:
            return Fraction(0)
        return max(Fraction(0), self.max_points - self.score)

    def evidence_summary(self) -> dict[str, Any]:
        """Counts by kind, the counted groups (activities) and how many files, for the JSON.

        ``groups`` lists the first `GROUPS_SHOWN` groups in evidence order and
        ``group_count`` says how many there are: a ledger of thousands of declared rows
        is in its own workbook, and the JSON stays a report, not a copy of it.
        """
        # Column by column with C-level passes: an item may hold 20,000 ledger rows.
        evidence = self.evidence
        declared = list(map(_DECLARED, evidence))
        files = sum(
            map(bool, itertools.compress(map(_PATH, evidence), map(operator.not_, declared)))
        )
        counted = list(itertools.compress(evidence, map(_COUNTED, evidence)))
        kinds, ns = list(map(_KIND, counted)), list(map(_COUNT, counted))
        counts = {
            k: sum(itertools.compress(ns, map(operator.eq, kinds, itertools.repeat(k))))
            for k in dict.fromkeys(kinds)
        }
        keyed = list(map(_GROUP, counted))
        grouped = list(itertools.compress(counted, keyed))
        keys = dict.fromkeys(filter(None, keyed))  # in evidence order
        if len(keys) > GROUPS_SHOWN:
            shown = set(itertools.islice(keys, GROUPS_SHOWN))
            grouped = list(
                itertools.compress(grouped, map(shown.__contains__, map(_GROUP, grouped)))
            )
        groups: dict[str, dict[str, Any]] = {}
        for e in grouped:
            g = groups.get(e.group)  # type: ignore[arg-type]
            if g is None:
                day = e.group_date
                groups[e.group] = {  # type: ignore[index]
                    "name": e.group_name or e.group,
                    "date": day.isoformat() if day else None,
                    "counts": {e.kind: e.count},
                    "declared": e.declared,
                }
            else:
                g["counts"][e.kind] = g["counts"].get(e.kind, 0) + e.count
        return {
            "counts": counts,
            "groups": list(groups.values()),
            "group_count": len(keys),
            "files": files,
            "declared": any(declared),
        }

    def to_dict(self) -> dict[str, Any]:
        out = self.item.to_dict()
        out["requirement"] = self.requirement.to_dict() if self.requirement else None
        out["evidence"] = self.evidence_summary()
        out["findings"] = [f.to_dict() for f in self.findings]
        out["score"] = num(self.score) if self.score is not None else None
        out["status"] = self.status
        out["points_at_stake"] = num(self.points_at_stake)
        return out


@dataclass
class CategoryResult:
    """A category's cap and score (sum of its items, capped)."""

    name: str
    kind: str
    cap: Optional[Fraction]
    points_sum: Optional[Fraction]
    score: Fraction = Fraction(0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "cap": num(self.cap),
            "points_sum": num(self.points_sum),
            "score": num(self.score),
        }


@dataclass
class DepartmentResult:
    """One department's share: items it leads, how many are met, score, max, findings."""

    name: str
    items: list[ItemNo] = field(default_factory=list)
    #: Of ``items``, the base items with points: what 达标, 得分 and 满分 are counted over.
    base: int = 0
    met: int = 0
    score: Fraction = Fraction(0)
    max: Fraction = Fraction(0)
    at_stake: Fraction = Fraction(0)
    #: Points its bonus items earned (not in ``score``: bonus is counted apart, capped).
    bonus: Fraction = Fraction(0)
    findings: int = 0

    @property
    def completion(self) -> float:
        return float(self.score / self.max) if self.max else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "items": list(self.items),
            "base_items": self.base,
            "met": self.met,
            "score": num(self.score),
            "max": num(self.max),
            "points_at_stake": num(self.at_stake),
            "bonus": num(self.bonus),
            "completion": round(self.completion, 4),
            "findings": self.findings,
        }


@dataclass
class Report:
    """Everything a check produced; the outputs are all made from this."""

    rubric: Rubric
    items: list[ItemResult] = field(default_factory=list)
    categories: list[CategoryResult] = field(default_factory=list)
    departments: list[DepartmentResult] = field(default_factory=list)
    #: Findings not tied to one item (unreadable files, paths outside the root…).
    findings: list[Finding] = field(default_factory=list)
    bonus: Fraction = Fraction(0)
    deductions: Fraction = Fraction(0)
    total: Fraction = Fraction(0)
    max_total: Fraction = Fraction(0)
    policy: str = "proportional"
    period: Optional[str] = None
    #: Where the period came from: "--period", "wenming.toml", "title", "--month" or "".
    period_source: str = ""
    evidence_root: Optional[str] = None
    generated_at: Optional[str] = None
    #: Names this run in every output it writes (评分表 and 看板 of one run show the same).
    run_id: Optional[str] = None

    @property
    def base_score(self) -> Fraction:
        """The score of the base items alone (no bonus, no deduction): what 完成率 measures."""
        return max(Fraction(0), min(self.max_total, self.total - self.bonus + self.deductions))

    @property
    def completion(self) -> float:
        """Base score ÷ 满分 (bonus points are not completion of the tasks)."""
        return float(self.base_score / self.max_total) if self.max_total else 0.0

    def all_findings(self) -> list[Finding]:
        out = [f for r in self.items for f in r.findings]
        return out + list(self.findings)

    def table_notes(self) -> list[Finding]:
        """What the reader noted about the task table itself (formulas without values,
        unreadable points, hidden or merged rows, points that do not add up, an unusual
        header, a hidden sheet): every output shows these, apart from the items' problems."""
        return list(self.rubric.notes)

    def result(self, no: ItemNo) -> Optional[ItemResult]:
        for r in self.items:
            if r.item.no == no or str(r.item.no) == str(no):
                return r
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": {
                "path": self.rubric.path,
                "sheet": self.rubric.sheet,
                "title": self.rubric.title,
            },
            "style": self.rubric.style,
            "policy": self.policy,
            "period": self.period,
            "period_source": self.period_source or None,
            "evidence_root": self.evidence_root,
            "generated_at": self.generated_at,
            "run_id": self.run_id,
            "items": [r.to_dict() for r in self.items],
            "categories": [c.to_dict() for c in self.categories],
            "departments": [d.to_dict() for d in self.departments],
            "findings": [f.to_dict() for f in self.findings],
            "notes": [f.to_dict() for f in self.rubric.notes],
            "bonus": num(self.bonus),
            "deductions": num(self.deductions),
            "total": num(self.total),
            "max_total": num(self.max_total),
        }
