"""Apply an item's parsed rules to its evidence: per-rule completion and findings.

Completion of a rule is ``min(1, have/need)`` as an exact `Fraction` (DESIGN §6). A
groups rule's completion is the mean, over the best ``min`` groups, of each group's own
completion; a missing group counts 0. Rules that only a person can confirm (红头, 印章,
单位名称, 文号, thresholds such as 注册志愿者占比) are `review` until the item is
confirmed in the workbook's 人工确认 column.
"""

from __future__ import annotations

import functools
import heapq
import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Optional

from wenming_xl import findings as F
from wenming_xl.judge.confirm import confirm_name
from wenming_xl.model import (
    DEDUCTION,
    DOCUMENT,
    IMAGE,
    VIDEO,
    Evidence,
    Finding,
    Item,
    ItemResult,
    Location,
    Requirement,
    Rule,
)
from wenming_xl.text import find_date, one_line, strip_date

#: Attributes a machine cannot see in a file: a person confirms them.
HUMAN_ATTRIBUTES = ("红头", "印章", "公章", "盖章", "单位名称", "文号", "签字", "签名")

ONE = Fraction(1)
ZERO = Fraction(0)


@dataclass
class RuleCheck:
    """The outcome of one rule: completion in [0, 1], findings, and whether a person must look."""

    rule: Rule
    completion: Fraction = ZERO
    review: bool = False
    findings: list[Finding] = field(default_factory=list)
    #: True for rules that say nothing checkable (scoring-only rules: points, bonus, deduction).
    scoring_only: bool = False


def _kind_of(category: str) -> str:
    """Map a count rule's category to the evidence kind that satisfies it."""
    if category == IMAGE:
        return IMAGE
    if category == "video":
        return VIDEO
    if category in ("document", "list"):
        return DOCUMENT
    return "any"


def _object(rule: Rule) -> str:
    return str(rule.get("object") or "材料")


def _paper_keys(obj: str) -> tuple[str, ...]:
    """Words that name a paper in a file name: 「工作清单」 → 工作清单, 清单."""
    return tuple(dict.fromkeys(w for w in (obj, obj[-2:]) if len(w) >= 2 and w != "材料"))


def _count(evidence: list[Evidence], kind: str) -> int:
    if len(evidence) == 1:  # a declared ledger row is a group of its own
        e = evidence[0]
        return e.count if e.counted and (kind == "any" or e.kind == kind) else 0
    return sum(e.count for e in evidence if e.counted and (kind == "any" or e.kind == kind))


@functools.lru_cache(maxsize=4096)
def _frac(have: int, need: Any) -> Fraction:
    """A count's completion, ``min(1, have/need)``; thousands of groups share a few pairs."""
    return min(ONE, Fraction(int(have)) / Fraction(str(need))) if need else ONE


#: A time written that the date reader could not read (「2022年13月5日」, 「昨天」): the time
#: *is* stated — its own finding (date-unreadable) asks for a readable date.
_WRITTEN_TIME = re.compile(
    r"\d{1,4}\s*[年月日号]|\d{1,4}[-/.]\d{1,2}|[昨今前]天|上周|本周|上月|本月"
)


@functools.lru_cache(maxsize=8192)
def _lacking(annotation: str, date_known: bool, fields: tuple[str, ...]) -> tuple[str, ...]:
    """The annotation fields an annotation text lacks (ledgers repeat the same texts)."""
    missing = []
    words = strip_date(annotation)
    has_date = (
        date_known
        or find_date(annotation) is not None
        or _WRITTEN_TIME.search(annotation) is not None
    )
    for fld in fields:
        if "时间" in fld or "日期" in fld:
            if not has_date:
                missing.append(fld)
        elif len(words.replace(" ", "")) < 2:
            missing.append(fld)
    return tuple(missing)


class ItemChecker:
    """Checks one item's rules against its evidence and collects findings."""

    def __init__(self, result: ItemResult):
        self.result = result
        self.item = result.item
        self.no = result.item.no
        # Who must act on what the checks find: the item's department, or — for an item
        # several departments share — None, meaning every one of them (mail, bulletin).
        deps = result.item.departments
        self.dept = deps[0] if len(deps) == 1 else None
        self.evidence = [e for e in result.evidence if e.counted]
        self.groups: dict[str, list[Evidence]] = {}  # in evidence order
        self.ungrouped: list[Evidence] = []
        keys = [e.group for e in self.evidence]
        if all(keys) and len(set(keys)) == len(keys):  # declared ledger rows: a group each
            self.groups = {key: [e] for key, e in zip(keys, self.evidence)}
        else:
            groups = self.groups
            for e in self.evidence:
                key = e.group
                if not key:
                    self.ungrouped.append(e)
                elif key in groups:
                    groups[key].append(e)
                else:
                    groups[key] = [e]
        # A ledger row for a 说明, 文件 or 名单 is a document, never an activity.
        papers = [
            k
            for k, m in self.groups.items()
            if k.startswith("ledger:") and all(e.kind == DOCUMENT for e in m)
        ]
        for k in papers:
            self.ungrouped.extend(self.groups.pop(k))

    @property
    def confirm_file(self) -> str:
        """The 人工确认 workbook people confirm this item in."""
        return confirm_file(self.item)

    # -- helpers -------------------------------------------------------------
    def finding(self, code: str, **params: Any) -> Finding:
        loc = self.item.location
        return F.make(code, item=self.no, department=self.dept, location=loc, **params)

    def finding_on(self, members: list[Evidence], code: str, **params: Any) -> Finding:
        """A finding about one activity or set of files, located where they were given.

        Its location is their one ledger row or folder when they share one (the item's
        cell otherwise). Every lead of a shared item still hears it (DESIGN §7); the
        message names the department whose files they are (`group_label` does).
        """
        places = {e.location for e in members if e.location is not None}
        if len(places) > 1 and all(p.sheet is None for p in places):  # files: their folder
            folders = {p.path.replace("\\", "/").rsplit("/", 1)[0] for p in places}
            places = {Location(folders.pop())} if len(folders) == 1 else places
        loc = next(iter(places)) if len(places) == 1 else self.item.location
        return F.make(code, item=self.no, department=self.dept, location=loc, **params)

    def group_owner(self, members: list[Evidence]) -> str:
        """「，团委」 when a shared item's group came from one department alone, else ''."""
        if len(self.item.departments) < 2:
            return ""
        deps = {e.department for e in members}
        if len(deps) != 1 or None in deps:
            return ""
        return f"，{next(iter(deps))}"

    @staticmethod
    def group_label(members: list[Evidence]) -> str:
        e = members[0]
        return e.group_name or e.annotation or e.group or "未命名"

    # -- rule kinds ------------------------------------------------------------
    def check_counts(
        self, rules: list[Rule], pool: list[Evidence], where: str = ""
    ) -> list[RuleCheck]:
        """Count rules of one kind: photos add up, documents are matched to what they are.

        照片2张 + 照片1张 need 3 photos in all, told once (naming every object). A 情况说明
        and a 工作清单 are two different papers: each document goes to the rule whose
        object its name, 类型 or annotation names (the rest fill the remaining needs), so
        the message says which one is missing.
        """
        by_kind: dict[str, list[Rule]] = {}
        for r in rules:
            by_kind.setdefault(_kind_of(r.get("category", "other")), []).append(r)
        done: dict[int, RuleCheck] = {}
        for k, same in by_kind.items():
            if k == DOCUMENT and len({_object(r) for r in same}) > 1:
                checks = self._check_papers(same, pool, where)
            else:
                checks = self._check_pooled(k, same, pool, where)
            done.update(zip(map(id, same), checks))
        return [done[id(r)] for r in rules]

    def _check_pooled(
        self, k: str, rules: list[Rule], pool: list[Evidence], where: str
    ) -> list[RuleCheck]:
        need = sum(int(r.get("min") or 1) for r in rules)
        have = _count(pool, k)
        checks = [RuleCheck(r, completion=_frac(have, need)) for r in rules]
        if have < need and not where:
            objects = "、".join(dict.fromkeys(_object(r) for r in rules))
            checks[0].findings.append(self._short(k, rules[0], objects, have, need))
        return checks

    def _check_papers(self, rules: list[Rule], pool: list[Evidence], where: str) -> list[RuleCheck]:
        papers = [e for e in pool if e.counted and e.kind == DOCUMENT]
        needs = [int(r.get("min") or 1) for r in rules]
        keys = [_paper_keys(_object(r)) for r in rules]
        have = [0] * len(rules)
        rest = []
        for e in papers:
            text = f"{e.path or ''} {e.object or ''} {e.annotation or ''} {e.group_name or ''}"
            hits = [i for i, ks in enumerate(keys) if any(w in text for w in ks)]
            open_hits = [i for i in hits if have[i] < needs[i]]
            if hits:
                have[(open_hits or hits)[0]] += e.count
            else:
                rest.append(e.count)
        for n in rest:  # papers that name none of them fill what is still missing, in order
            for i, need in enumerate(needs):
                if have[i] < need:
                    have[i] += n
                    break
        checks = []
        for r, h, need in zip(rules, have, needs):
            chk = RuleCheck(r, completion=_frac(h, need))
            if h < need and not where:
                chk.findings.append(self._short(DOCUMENT, r, _object(r), h, need))
            checks.append(chk)
        return checks

    def _short(self, k: str, r: Rule, objects: str, have: int, need: int) -> Finding:
        """The finding for a count short of its need."""
        if k == IMAGE:
            return self.finding(
                "too-few-images", have=have, need=need, short=need - have, object=objects
            )
        if have == 0 and k == DOCUMENT:
            return self.finding("missing-document", object=objects)
        unit = r.get("unit") or "份"
        return self.finding(
            "too-few-items", object=objects, have=have, need=need, short=need - have, unit=unit
        )

    def check_annotation(self, rule: Rule, units: list[tuple[str, list[Evidence]]]) -> RuleCheck:
        """Each unit of evidence (a group, or the loose files) must carry the annotation fields."""
        fields = tuple(rule.get("fields") or ())
        chk = RuleCheck(rule)
        if not units or not fields:
            chk.completion = ONE if not fields else ZERO
            return chk
        ok = 0
        for label, members in units:
            if members and members[0].group:
                e = members[0]
                if len(members) == 1:
                    ann = e.annotation
                else:
                    ann = " ".join(x for x in {m.annotation for m in members} if x)
                lacks = _lacking(ann or "", e.group_date is not None, fields)
                where = f"「{label}」"
            else:
                # Loose files: each one's own name is its annotation (「门诊楼大厅.jpg」).
                bare = [m for m in members if _lacking(m.annotation, False, fields)]
                lacks = _lacking(bare[0].annotation, False, fields) if bare else ()
                where = "直接放在条目文件夹中的文件" + (
                    f"「{bare[0].path.rsplit('/', 1)[-1]}」等{len(bare)}个"
                    if len(bare) > 1
                    else f"「{bare[0].path.rsplit('/', 1)[-1]}」"
                    if bare
                    else ""
                )
            if lacks:
                chk.findings.append(
                    self.finding_on(
                        members, "missing-annotation", where=where, fields="、".join(lacks)
                    )
                )
            else:
                ok += 1
        chk.completion = Fraction(ok, len(units))
        return chk

    def image_units(self) -> list[tuple[str, list[Evidence]]]:
        """Units an annotation applies to: each group holding photos, and the loose photos."""
        units = [
            (self.group_label(m), m)
            for m in self.groups.values()
            if m[0].kind == IMAGE or any(e.kind == IMAGE for e in m)
        ]
        loose = [e for e in self.ungrouped if e.kind == IMAGE]
        if loose:
            units.append(("", loose))
        return units

    def check_groups(self, rule: Rule) -> list[RuleCheck]:
        need_groups = int(rule.get("min") or 1)
        each = list(rule.get("each") or [])
        count_rules = [r for r in each if r.kind == "count"]
        ann_rules = [r for r in each if r.kind == "annotation"]
        group_word = rule.get("group") or "活动"
        unit = group_word[-1] if group_word else "次"
        unit = {"动": "次", "日": "个", "类": "类"}.get(unit, unit)
        specs = [
            (cr, _kind_of(cr.get("category", "other")), int(cr.get("min") or 1))
            for cr in count_rules
        ]
        members_of = list(self.groups.values())
        labels = [self.group_label(m) for m in members_of]
        # The best ``need_groups`` groups: highest completion first, then by label, as a
        # stable sort gives them.
        if len(specs) == 1:  # one count per group, the usual case: compare plain ints
            _cr, kind, need = specs[0]
            haves = [(_count(m, kind),) for m in members_of]
            comps = [_frac(h[0], need) for h in haves]
            short = [need - min(h[0], need) for h in haves]  # orders as -completion
            best = heapq.nsmallest(
                need_groups, range(len(comps)), key=lambda i: (short[i], labels[i])
            )
        else:
            haves = [tuple(_count(m, k) for _cr, k, _n in specs) for m in members_of]
            comps = [
                min((_frac(h, n) for h, (_cr, _k, n) in zip(hv, specs)), default=ONE)
                for hv in haves
            ]
            best = heapq.nsmallest(
                need_groups, range(len(comps)), key=lambda i: (-comps[i], labels[i])
            )
        total = sum((comps[i] for i in best), ZERO)
        chk = RuleCheck(rule, completion=total / need_groups)
        if len(comps) < need_groups:
            chk.findings.append(
                self.finding(
                    "too-few-groups",
                    have=len(comps),
                    need=need_groups,
                    short=need_groups - len(comps),
                    group=group_word,
                    group_unit=unit,
                    noun=group_word if len(group_word) > 1 and group_word[-1] != unit else "活动",
                )
            )
        for index, i in enumerate(best, start=1):
            for (cr, _k, need), have in zip(specs, haves[i]):
                if have < need:
                    chk.findings.append(
                        self.finding_on(
                            members_of[i],
                            "group-too-few-images",
                            index=index,
                            group_unit=unit,
                            group_name=labels[i] + self.group_owner(members_of[i]),
                            have=have,
                            need=need,
                            short=need - have,
                            object=cr.get("object"),
                        )
                    )
        checks = [chk]
        for ar in ann_rules:
            checks.append(self.check_annotation(ar, [(labels[i], members_of[i]) for i in best]))
        return checks

    def check_attribute(self, rule: Rule) -> RuleCheck:
        name = str(rule.get("name") or "")
        chk = RuleCheck(rule)
        if any(h in name for h in HUMAN_ATTRIBUTES):
            chk.review = not self.item.confirmed
            chk.completion = ONE if self.item.confirmed else ZERO
            if chk.review:
                chk.findings.append(self._review(name))
            return chk
        if "pdf" in name.lower():
            have = sum(
                1
                for e in self.evidence
                if e.kind == DOCUMENT and (e.path or "").lower().endswith(".pdf")
            )
            chk.completion = ONE if have else ZERO
            if not have:
                chk.findings.append(self.finding("missing-document", object="PDF版本的材料"))
            return chk
        # 扫描件, 当年 and similar are satisfied by the evidence kinds and the period check.
        chk.completion = ONE
        return chk

    def check_threshold(self, rule: Rule) -> RuleCheck:
        chk = RuleCheck(rule, review=not self.item.confirmed)
        chk.completion = ONE if self.item.confirmed else ZERO
        if chk.review:
            what = f"{rule.get('metric') or ''}{rule.get('op') or ''}{rule.get('value')}{rule.get('unit') or ''}"
            chk.findings.append(self._review(what))
        return chk

    def _review(self, what: str) -> Finding:
        """What a person must confirm; before anything is uploaded, that it will be looked at.

        The 人工确认 workbook has a row only for an item with something to look at, so an
        item with nothing counted is not sent there (`judge.confirm.needs_person`).
        """
        if any(e.counted for e in self.evidence):
            return self.finding("needs-review", file=self.confirm_file, what=what)
        return self.finding("review-after-upload", what=what)

    # -- entry ---------------------------------------------------------------
    def check_rules(self, rules: list[Rule]) -> list[RuleCheck]:
        """Check a flat list of rules (one alternative option, or the whole requirement)."""
        out: list[RuleCheck] = []
        counts = [r for r in rules if r.kind == "count"]
        if counts:
            out.extend(self.check_counts(counts, self.evidence))
        for r in rules:
            if r.kind == "groups":
                out.extend(self.check_groups(r))
            elif r.kind == "annotation":
                out.append(self.check_annotation(r, self.image_units()))
            elif r.kind == "attribute":
                out.append(self.check_attribute(r))
            elif r.kind == "threshold":
                out.append(self.check_threshold(r))
            elif r.kind == "alternative":
                out.append(self.check_alternative(r))
            elif r.kind in ("points", "bonus", "deduction"):
                out.append(RuleCheck(r, completion=ONE, scoring_only=True))
        return out

    def check_alternative(self, rule: Rule) -> RuleCheck:
        best: RuleCheck | None = None
        for option in rule.get("options") or []:
            checks = [c for c in self.check_rules(list(option)) if not c.scoring_only]
            comp = min((c.completion for c in checks), default=ONE)
            cand = RuleCheck(
                rule,
                completion=comp,
                review=any(c.review for c in checks),
                findings=[f for c in checks for f in c.findings],
            )
            if best is None or cand.completion > best.completion:
                best = cand
        return best or RuleCheck(rule, completion=ONE)


def asks_person(requirement: Optional[Requirement]) -> bool:
    """Whether a requirement needs a person: parts not understood, a 红头 to see, a threshold,
    bonus levels (承办5分、协办2分) a machine cannot tell apart (see `scoring._ask_level`)."""
    if requirement is None:
        return False
    if requirement.needs_review:
        return True
    stack = list(requirement.rules)
    while stack:
        r = stack.pop()
        if r.kind == "threshold":
            return True
        levels = r.get("points") if r.kind == "bonus" else None
        if isinstance(levels, list) and len(set(levels)) > 1:
            return True
        if r.kind == "attribute" and any(h in str(r.get("name") or "") for h in HUMAN_ATTRIBUTES):
            return True
        stack.extend(r.get("each") or [])
        for option in r.get("options") or []:
            stack.extend(option)
    return False


def confirm_file(item: Item) -> str:
    """The 人工确认 workbook's name for an item's task table."""
    return confirm_name(item.location.path if item.location else "任务表.xlsx")


def _placeholders(result: ItemResult) -> None:
    """Say when the department cell names 「相关职能科」 or 「各科室」 rather than a department."""
    item = result.item
    if not item.placeholders or item.kind == DEDUCTION:
        return  # a deduction item asks nobody for evidence
    names = "、".join(item.placeholders)
    loc = item.location
    if item.departments:
        deps = "、".join(item.departments)
        f = F.make("placeholder-beside-departments", item=item.no, location=loc, names=names,
                   departments=deps)  # fmt: skip
    else:
        f = F.make("placeholder-department", item=item.no, location=loc, names=names)
    result.findings.append(f)


def check_item(result: ItemResult) -> list[RuleCheck]:
    """Check every rule of an item; records `requirement-unparsed` where the parser gave up and
    `requirement-review` where it understood but a person decides (its reasons)."""
    _placeholders(result)
    item = result.item
    if item.correction.strip():
        result.findings.append(
            F.make(
                "rule-corrected",
                item=item.no,
                location=item.location,
                correction=one_line(item.correction),
                original=one_line(item.requirement_text) or "（空）",
            )  # fmt: skip
        )
    req = result.requirement
    if req is None:
        return []
    checker = ItemChecker(result)
    checks = checker.check_rules(req.rules)
    unread = [u for u in req.unparsed if u not in req.reasons]
    doubts = [u for u in req.unparsed if u in req.reasons]
    if req.needs_review and unread:
        result.findings.append(checker.finding("requirement-unparsed", text="；".join(unread)))
    if req.needs_review and doubts:  # understood, but a person decides (a range, a period…)
        text = "；".join(f"「{u}」" for u in doubts)
        result.findings.append(checker.finding("requirement-review", text=text))
    return checks
