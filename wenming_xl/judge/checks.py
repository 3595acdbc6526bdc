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
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from wenming_xl import findings as F
from wenming_xl.model import DOCUMENT, IMAGE, VIDEO, Evidence, Finding, ItemResult, Rule
from wenming_xl.text import find_date, strip_date

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


def _count(evidence: list[Evidence], kind: str) -> int:
    if len(evidence) == 1:  # a declared ledger row is a group of its own
        e = evidence[0]
        return e.count if e.counted and (kind == "any" or e.kind == kind) else 0
    return sum(e.count for e in evidence if e.counted and (kind == "any" or e.kind == kind))


@functools.lru_cache(maxsize=4096)
def _frac(have: int, need: Any) -> Fraction:
    """A count's completion, ``min(1, have/need)``; thousands of groups share a few pairs."""
    return min(ONE, Fraction(int(have)) / Fraction(str(need))) if need else ONE


@functools.lru_cache(maxsize=8192)
def _lacking(annotation: str, date_known: bool, fields: tuple[str, ...]) -> tuple[str, ...]:
    """The annotation fields an annotation text lacks (ledgers repeat the same texts)."""
    missing = []
    words = strip_date(annotation)
    has_date = date_known or find_date(annotation) is not None
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
            return
        groups = self.groups
        for e in self.evidence:
            key = e.group
            if not key:
                self.ungrouped.append(e)
            elif key in groups:
                groups[key].append(e)
            else:
                groups[key] = [e]

    # -- helpers -------------------------------------------------------------
    def finding(self, code: str, **params: Any) -> Finding:
        loc = self.item.location
        return F.make(code, item=self.no, department=self.dept, location=loc, **params)

    @staticmethod
    def group_label(members: list[Evidence]) -> str:
        e = members[0]
        return e.group_name or e.annotation or e.group or "未命名"

    # -- rule kinds ------------------------------------------------------------
    def check_counts(
        self, rules: list[Rule], pool: list[Evidence], where: str = ""
    ) -> list[RuleCheck]:
        """Count rules of one category add up: 照片2张 + 照片1张 need 3 photos in all."""
        checks = []
        need_by_kind: dict[str, int] = {}
        for r in rules:
            k = _kind_of(r.get("category", "other"))
            need_by_kind[k] = need_by_kind.get(k, 0) + int(r.get("min") or 1)
        for r in rules:
            k = _kind_of(r.get("category", "other"))
            need = need_by_kind[k]
            have = _count(pool, k)
            chk = RuleCheck(r, completion=_frac(have, need))
            if have < need and not where:
                obj = r.get("object") or "材料"
                if k == IMAGE:
                    f = self.finding(
                        "too-few-images", have=have, need=need, short=need - have, object=obj
                    )
                elif have == 0 and k == DOCUMENT:
                    f = self.finding("missing-document", object=obj)
                else:
                    unit = r.get("unit") or "份"
                    f = self.finding(
                        "too-few-items",
                        object=obj,
                        have=have,
                        need=need,
                        short=need - have,
                        unit=unit,
                    )
                if not any(
                    x.code == f.code and x.params == f.params for c in checks for x in c.findings
                ):
                    chk.findings.append(f)
            checks.append(chk)
        return checks

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
                    self.finding("missing-annotation", where=where, fields="、".join(lacks))
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
                )
            )
        for index, i in enumerate(best, start=1):
            for (cr, _k, need), have in zip(specs, haves[i]):
                if have < need:
                    chk.findings.append(
                        self.finding(
                            "group-too-few-images",
                            index=index,
                            group_unit=unit,
                            group_name=labels[i],
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
                chk.findings.append(self.finding("needs-review", what=name))
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
            chk.findings.append(self.finding("needs-review", what=what))
        return chk

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


def check_item(result: ItemResult) -> list[RuleCheck]:
    """Check every rule of an item; also records `requirement-unparsed` where the parser gave up."""
    req = result.requirement
    if req is None:
        return []
    checker = ItemChecker(result)
    checks = checker.check_rules(req.rules)
    if req.needs_review and req.unparsed:
        result.findings.append(
            checker.finding("requirement-unparsed", text="；".join(req.unparsed))
        )
    return checks
