"""Score items, categories and the whole table the way assessors do (DESIGN §6).

Arithmetic is exact (`Fraction`): 3 × 2/3 is 2, not 1.5. An item's score under the
default ``proportional`` policy is its points × the lowest rule completion, rounded
down to 0.5. Explicit sub-scores (「（2分）」 segments) are scored segment by segment.
Categories are capped; bonus sections count alternatives at the highest level only and
are capped at their points; recorded deductions apply after the caps; the total is
never below 0. Deduction-style tables (seed 004) start each section at its base points.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from wenming_xl import findings as F
from wenming_xl.errors import ConfigError
from wenming_xl.judge.checks import ONE, ZERO, RuleCheck
from wenming_xl.model import (
    BASE,
    BONUS,
    DEDUCTION,
    MET,
    MISSING,
    NA,
    PARTIAL,
    REVIEW,
    CategoryResult,
    DepartmentResult,
    Finding,
    Item,
    ItemResult,
    Report,
    num,
)

POLICIES = ("proportional", "all-or-nothing", "grade")
#: grade policy: completion thresholds and the share of points they earn (A/B/C/C#).
GRADES = (
    (ONE, ONE),
    (Fraction(2, 3), Fraction(66, 100)),
    (Fraction(1, 3), Fraction(33, 100)),
    (ZERO, ZERO),
)


#: The policies by their Chinese names, as the help and README write them.
POLICY_NAMES = {"按比例": "proportional", "按完成比例": "proportional", "比例": "proportional",
                "全有或全无": "all-or-nothing", "全部达到": "all-or-nothing",
                "分档": "grade", "按档": "grade", "档次": "grade"}  # fmt: skip


def check_policy(policy: str) -> str:
    """A policy's name (English or Chinese, 「按比例」) → its code, or a Chinese error."""
    policy = POLICY_NAMES.get(str(policy).strip(), str(policy).strip())
    if policy not in POLICIES:
        raise ConfigError(
            f"未知的评分方式「{policy}」。",
            hint="可选：按比例（proportional）、全有或全无（all-or-nothing）、"
            "分档（grade，A/B/C/C# = 100%/66%/33%/0%）。",
        )
    return policy


def round_down_half(value: Fraction) -> Fraction:
    """Round a non-negative score down to a multiple of 0.5 (exact)."""
    return Fraction(math.floor(value * 2), 2)


def earned(points: Fraction, completion: Fraction, policy: str) -> Fraction:
    """Points earned for a completion in [0, 1] under a policy."""
    if policy == "all-or-nothing":
        return points if completion >= ONE else ZERO
    if policy == "grade":
        for threshold, share in GRADES:
            if completion >= threshold:
                return points * share
        return ZERO
    return points * completion


def _points(value) -> Fraction:
    return Fraction(str(value)) if value is not None else ZERO


def score_item(result: ItemResult, checks: list[RuleCheck], policy: str = "proportional") -> None:
    """Set an item's completions, score and status from its rule checks."""
    item = result.item
    real = [c for c in checks if not c.scoring_only]
    result.completions = [c.completion for c in real]
    for c in real:
        for f in c.findings:
            if f not in result.findings:
                result.findings.append(f)
    if item.kind == DEDUCTION or not real:
        # Nothing checkable: a person must read an unparsed requirement; else there is nothing to check.
        unread = (
            item.kind != DEDUCTION
            and result.requirement is not None
            and result.requirement.needs_review
        )
        result.status = REVIEW if unread else NA
        result.score = ZERO if item.kind != DEDUCTION and item.points is not None else None
        if result.status == REVIEW and item.confirmed:
            result.status, result.score = MET, _points(item.points)
        return
    points = _points(item.points)
    segments = [
        c for c in checks if c.scoring_only and c.rule.kind == "points" and c.rule.get("covers")
    ]
    if segments and points:
        score, before, short = _segment_score(
            result.requirement.rules, checks, segments, points, policy
        )
        if short and round_down_half(max(ZERO, score)) < round_down_half(before):
            # Said, not silent: what is missing outside the 每类N分 parts scales them all.
            result.findings.append(
                _item_finding(
                    item,
                    "scaled-by-missing",
                    what=short,
                    before=num(round_down_half(before)),
                    after=num(round_down_half(max(ZERO, score))),
                )
            )
    else:
        score = earned(points, min(result.completions), policy)
        _say_zeroed(result, real, points, policy)
    result.score = round_down_half(max(ZERO, score))
    pending_review = [c for c in real if c.review]
    result.at_stake_review = points - result.score if pending_review else ZERO
    countable = any(e.count and e.counted for e in result.evidence)
    if all(c.completion >= ONE for c in real):
        result.status = MET
    elif pending_review and all(c.completion >= ONE for c in real if not c.review):
        result.status = REVIEW
    elif countable:
        result.status = PARTIAL
    else:
        result.status = MISSING
        if not any(f.code in ("missing-evidence", "nothing-counted") for f in result.findings):
            # Files were given but none counts (outside the period, copies, a path that
            # finds nothing): 「尚未上传」 would tell the department it did nothing.
            why = _not_counted(result)
            later = why.get("after-month", 0)
            if later and len(why) == 1:
                # Only later-dated files: nothing to correct, they count in their month.
                code, extra = "counted-later", {"count": later, "end": _end(result)}
            elif why:
                code, extra = "nothing-counted", {"reasons": _reasons_text(why)}
            else:
                code, extra = "missing-evidence", {}
            result.findings.insert(0, _item_finding(item, code, **extra))
    if result.status != MET and not any(f.code == "counted-later" for f in result.findings):
        later = sum(1 for f in result.findings if f.code == "after-month")
        if later:
            # Told to the department (the per-file notes are 提示, left out of its mail):
            # the photos it sent are not lost, only not yet due.
            result.findings.append(_item_finding(item, "also-later", count=later, end=_end(result)))


def _item_finding(item: Item, code: str, **params: Any) -> Finding:
    """A finding on the item as a whole: its one department, or None on a shared item
    (every one of its departments must act), at the item's own cell."""
    dept = item.departments[0] if len(item.departments) == 1 else None
    return F.make(code, item=item.no, department=dept, location=item.location, **params)


def _end(result: ItemResult) -> str:
    """The month's end the item's 「after-month」 notes name (「2022-06-30」)."""
    later = next(f for f in result.findings if f.code == "after-month")
    return str(later.params.get("end", "本次统计截止日"))


#: Findings that say why a file or a ledger row of an item did not count.
_NOT_COUNTED = (
    "after-month", "outside-period", "duplicate-image", "not-an-image", "empty-file",
    "unreadable-file", "ledger-path-missing", "path-outside-root", "path-invalid",
    "path-is-link", "row-in-other-item-folder", "heic-no-decoder",
)  # fmt: skip


def _not_counted(result: ItemResult) -> dict[str, int]:
    """Why what was given for an item did not count: finding code → how many ({} if none)."""
    counts: dict[str, int] = {}
    for f in result.findings:
        if f.code in _NOT_COUNTED:
            counts[f.code] = counts.get(f.code, 0) + 1
    if not counts and any(not ev.counted for ev in result.evidence):
        counts["other"] = sum(1 for ev in result.evidence if not ev.counted)
    return counts


def _reasons_text(counts: dict[str, int]) -> str:
    """「晚于本月统计截止日1处、台账路径找不到1处」."""
    return "、".join(f"{F.LABELS.get(code, '其他原因')}{n}处" for code, n in counts.items())


def _say_zeroed(result: ItemResult, real: list[RuleCheck], points: Fraction, policy: str) -> None:
    """Say when one missing piece (a 情况说明 not sent) takes the whole item to 0.

    The item scores by its least complete requirement: with nothing for one of them, what
    was sent for the others counts for nothing, and 「缺少情况说明」 alone does not tell
    that. The finding says what the rest would earn once the piece is there.
    """
    missing = [c for c in real if c.completion == 0]
    rest = [c.completion for c in real if c.completion > 0]
    if not missing or not rest or any(c.rule.kind != "count" for c in missing):
        return
    # 「其余材料」 must be material: a count or activities rule that files or rows fill
    # (a 「扫描件或图片」 attribute is met with nothing sent at all).
    sent = any(c.completion > 0 and c.rule.kind in ("count", "groups") for c in real)
    if not sent or not any(ev.counted for ev in result.evidence):
        return
    before = round_down_half(earned(points, min(rest), policy))
    if before <= 0:
        return
    what = "、".join(dict.fromkeys(str(c.rule.get("object") or "材料") for c in missing))
    result.findings.append(
        _item_finding(result.item, "scaled-by-missing", what=what, before=num(before), after=0)
    )


def _segment_score(
    rules: list, checks: list[RuleCheck], segments: list[RuleCheck], points: Fraction, policy: str
) -> tuple[Fraction, Fraction, str]:
    """Score explicit sub-scores segment by segment; rules outside any segment scale the whole.

    A points rule's ``covers`` indexes the requirement's rules; checks are matched to rules
    by identity (a groups rule's annotation checks belong to the groups rule's segment).
    Returns the score, the score before that scaling, and what the unmet rules outside
    the segments ask for (「情况说明」), '' when nothing scaled it down.
    """
    by_rule: dict[int, list[RuleCheck]] = {}
    for c in checks:
        by_rule.setdefault(id(c.rule), []).append(c)
    for r in rules:
        if r.kind == "groups":
            for sub in r.get("each") or []:
                by_rule.setdefault(id(r), []).extend(by_rule.get(id(sub), []))
    covered: set[int] = set()
    seg_total = ZERO
    seg_points = ZERO
    for seg in segments:
        pts = _points(seg.rule.get("points"))
        comps = []
        for idx in seg.rule.get("covers") or []:
            if isinstance(idx, int) and 0 <= idx < len(rules):
                rule = rules[idx]
                covered.add(id(rule))
                comps.extend(c.completion for c in by_rule.get(id(rule), []) if not c.scoring_only)
        seg_points += pts
        seg_total += earned(pts, min(comps) if comps else ZERO, policy)
    if seg_points and seg_points != points:
        seg_total = seg_total * points / seg_points
    covered_checks = {id(c) for rid in covered for c in by_rule.get(rid, [])}
    outside = [c for c in checks if not c.scoring_only and id(c) not in covered_checks]
    before = seg_total
    if outside:
        seg_total = seg_total * min(c.completion for c in outside)
    short = "、".join(
        dict.fromkeys(str(c.rule.get("object") or "其他要求") for c in outside if c.completion < 1)
    )
    return seg_total, before, short


def _bonus_levels(result: ItemResult) -> list[Fraction]:
    req = result.requirement
    if req is None:
        return []
    for r in req.rules_of("bonus"):
        pts = r.get("points")
        if isinstance(pts, list) and len(pts) > 1:
            return [_points(p) for p in pts]
    return []


def _ask_level(result: ItemResult, low: Fraction, high: Fraction) -> None:
    """A bonus item whose level a machine cannot tell waits for a person, scored at its lowest."""
    from wenming_xl.judge.checks import confirm_file

    item = result.item
    what = (f"达到的档次（目前按最低一档{num(low)}分计；达到最高一档{num(high)}分的，确认后按"
            f"{num(high)}分计，只达到最低一档的不必确认）")  # fmt: skip
    result.findings.append(
        F.make(
            "needs-review",
            item=item.no,
            what=what,
            file=confirm_file(item),
            location=item.location,
            department=item.departments[0] if len(item.departments) == 1 else None,
        )  # fmt: skip
    )
    if result.status == MET:
        result.status = REVIEW


def _occurrence_deduction(result: ItemResult) -> Fraction:
    """Points deducted for an item from the occurrences the office recorded."""
    item = result.item
    times = item.occurrences or 0
    if times <= 0:
        return ZERO
    per = None
    if result.requirement is not None:
        ded = result.requirement.rules_of("deduction")
        if ded:
            per = _points(ded[0].get("points"))
    if per is None:
        per = abs(_points(item.points))
    return per * times


def _record_deductions(members: list[ItemResult], *, set_score: bool) -> Fraction:
    """Total the recorded deductions of some items, noting each on its item (and scoring it)."""
    total = ZERO
    for r in members:
        d = _occurrence_deduction(r)
        if not d:
            continue
        total += d
        if set_score:
            r.score = -d
        r.findings.append(
            F.make(
                "deduction-recorded",
                item=r.item.no,
                location=r.item.location,
                times=r.item.occurrences,
                points=num(d),
            )
        )
    return total


def score_report(report: Report) -> None:
    """Fill categories, bonus, deductions, total, max_total and departments of a scored report."""
    rubric = report.rubric
    results = {id(r.item): r for r in report.items}
    cats: list[CategoryResult] = []
    bonus = ZERO
    deductions = ZERO
    total = ZERO
    max_total = ZERO
    deduction_style = rubric.style == "deduction"
    for cat in rubric.categories:
        members = [results[id(i)] for i in cat.items if id(i) in results]
        cap = _points(cat.cap) if cat.cap is not None else None
        psum = cat.points_sum
        cr = CategoryResult(cat.name, cat.kind, cap, _points(psum) if psum is not None else None)
        if cat.kind == DEDUCTION:
            ded = _record_deductions(members, set_score=True)
            cr.score = -ded
            deductions += ded
        elif cat.kind == BONUS:
            got = ZERO
            for r in members:
                levels = _bonus_levels(r)
                if r.score and levels and not r.item.confirmed:
                    # 承办5分、协办2分: only the highest level reached counts; a person says
                    # which. Until then the lowest counts, and the item waits, saying so.
                    low, high = min(levels), max(levels)
                    if r.score > low:
                        r.score = low
                        _ask_level(r, low, high)
                got += r.score or ZERO
            cr.score = min(cap, got) if cap is not None else got
            bonus += cr.score
        elif deduction_style:
            ded = _record_deductions(members, set_score=False)
            base = cap if cap is not None else ZERO
            cr.score = max(ZERO, base - ded)
            total += cr.score
            max_total += base
        else:
            got = sum((r.score or ZERO for r in members), ZERO)
            cr.score = min(cap, got) if cap is not None else got
            total += cr.score
            max_total += cap if cap is not None else (cr.points_sum or ZERO)
        cats.append(cr)
    # Items that belong to no category (tables without sections).
    # (by identity: comparing Item dataclasses field by field made this quadratic and slow)
    placed = {id(it) for c in rubric.categories for it in c.items}
    loose = [r for r in report.items if id(r.item) not in placed]
    for r in loose:
        if r.item.kind == BASE:
            total += r.score or ZERO
            max_total += r.max_points
    report.categories = cats
    report.bonus = bonus
    report.deductions = deductions
    report.max_total = max_total
    report.total = max(ZERO, total + bonus - deductions)
    report.departments = department_results(report)


def department_results(report: Report) -> list[DepartmentResult]:
    """Per lead department: the items it leads; of its base items how many are met, score,
    max and points at stake; the bonus points its bonus items earned.

    达标 counts base items only, as 得分/满分 do: a met bonus item beside 0 / 75 read as
    「达标 1」 for a department that had scored nothing.
    """
    deps: dict[str, DepartmentResult] = {}
    for r in report.items:
        names = r.item.departments
        if not names and r.item.kind != DEDUCTION and r.status != NA:
            names = ["（未指定部门）"]  # points nobody is told about: a row that shows it
        for name in names:
            d = deps.setdefault(name, DepartmentResult(name))
            d.items.append(r.item.no)
            d.findings += sum(1 for f in r.findings if f.severity == "error")
            points = r.item.points
            if r.item.kind == BASE and r.status != NA and (points is None or points > 0):
                d.base += 1
                d.met += r.status == MET
            if r.item.kind == BASE and points is not None and points > 0:
                d.score += r.score or ZERO
                d.max += r.max_points
                d.at_stake += r.points_at_stake
            elif r.item.kind == BONUS:
                d.bonus += r.score or ZERO
    return list(deps.values())
