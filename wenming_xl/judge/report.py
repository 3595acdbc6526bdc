"""From a rubric and its evidence to a scored `Report`: each item checked, then scored.

:func:`build_report` parses every item's requirement (:func:`parse_requirements`), groups
the evidence by item, runs the checks and the scoring policy, and totals the categories.
It reads no file: the rubric, the evidence and the findings found while reading come in.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import operator
import os
import secrets
from collections.abc import Iterable
from typing import Optional

from wenming_xl.judge.confirm import Confirmation
from wenming_xl.model import (
    BASE,
    BONUS,
    Evidence,
    Finding,
    Item,
    ItemResult,
    Report,
    Requirement,
    Rubric,
)


def parse_requirements(
    rubric: Rubric, months: Optional[int] = None
) -> dict[int, Optional[Requirement]]:
    """Each item's parsed requirement by its index in ``rubric.items`` (None: none written).

    A bonus item's levels (承办（5分）、协办（2分）) are often written in its own text;
    they join its requirement's rules. ``months`` is the assessment period's length, for
    frequencies (「每月1次」 over 6 months is 6).
    """
    return {n: item_requirement(item, months) for n, item in enumerate(rubric.items)}


def item_requirement(item: Item, months: Optional[int] = None) -> Optional[Requirement]:
    """An item's requirement as checked: its 材料要求 (or 规则修正) with what its own text adds.

    A bonus item's levels (承办（5分）、协办（2分）) are often written in its text, not its
    requirement. So is a number of activities: 「定期开展“走亲”交流活动（不少于2次）」 beside
    「上传活动照片不少于每次2张」 asks for two activities, not one; the larger count of the
    two is checked, and the explanation says where it came from. An office correction
    (规则修正) is taken as written.
    """
    from wenming_xl.rules.parser import parse_requirement, summarize

    text = item.rule_text
    req = parse_requirement(text, months) if text else None
    if not item.text:
        return req
    own = parse_requirement(item.text, months) if item.kind == BONUS or "次" in item.text else None
    if own is None:
        return req
    extra = own.rules_of("bonus") if item.kind == BONUS else []
    if extra:
        if req is None:
            req = parse_requirement("")
        req.rules.extend(extra)
    if req is None or item.correction.strip() or item.kind != BASE:
        return req
    wanted = max((g.get("min") or 0 for g in own.rules_of("groups")),
                 default=0)  # fmt: skip
    # Only a requirement that already counts activities (「每次2张」) takes the text's number:
    # 「领导班子每年定期（不少于2次）研究」 beside 「上传工作计划」 asks for a plan, not meetings.
    have = req.rules_of("groups")
    if wanted <= 1 or not have or max(g.get("min") or 0 for g in have) >= wanted:
        return req
    source = next(g.source for g in own.rules_of("groups") if (g.get("min") or 0) == wanted)
    for g in have:
        if (g.get("min") or 0) < wanted:
            g.data["min"] = wanted
            g.source = f"{g.source}（工作清单：{source}）"
    req.summary = summarize(req.rules)
    return req


def unscorable(rubric: Rubric, requirements: dict[int, Optional[Requirement]]) -> Optional[Finding]:
    """A finding when the table cannot be scored from evidence at all, saying why.

    No 分值 column, no 材料要求 column, or a 材料要求 column in which no item says what to
    upload (the 2023 table's 测评方法 「材料审核」): every item would read 「不适用」 with
    no problem found, which looks like a clean result and is not one.
    """
    from wenming_xl import findings as F
    from wenming_xl.model import DEDUCTION, Location

    if rubric.style == "deduction" or not rubric.items:
        return None
    lacking = rubric.lacking()
    where = Location(rubric.path, rubric.sheet)
    name = os.path.basename(rubric.path)
    scored = [n for n, it in enumerate(rubric.items) if it.kind != DEDUCTION]
    checkable = any(requirements[n] is not None and requirements[n].rules for n in scored)
    vague = "任务表的「材料要求」列没有一条写明要上传什么材料（例如只写了「材料审核」）"
    if lacking:
        what = lacking_text(lacking)
        if "材料要求" not in lacking and scored and not checkable:
            what += f"；{vague}"
            lacking = [*lacking, "材料要求"]
    elif scored and not checkable:
        what, lacking = f"{vague}：无法核对佐证材料", ["材料要求"]
    else:
        return None
    return F.make("table-unscorable", path=name, what=what, hint=lacking_hint(lacking),
                  location=where)  # fmt: skip


def lacking_text(lacking: list[str]) -> str:
    """「任务表没有「分值」列和「材料要求」列（或这些列都是空的）」 and what follows from it."""
    cols = "和".join(f"「{c}」" for c in lacking)
    text = f"任务表没有{cols}列（或{'这些列' if len(lacking) > 1 else '该列'}都是空的）"
    if "材料要求" in lacking and "分值" in lacking:
        return text + "：无法评分，也无法核对佐证材料"
    if "分值" in lacking:
        return text + "：无法评分，只能统计各条目是否完成"
    return text + "：不知道每条要上传什么材料，无法核对佐证材料"


def lacking_hint(lacking: list[str]) -> str:
    """What to add to the table for each missing column."""
    hints = {
        "分值": "在表头加「分值」列并逐条填写分值",
        "材料要求": "加「材料上传及说明」（或「材料要求」「规则修正」）列，逐条写明要上传的材料，"
        "例如「上传活动照片不少于3张」",
    }
    return "；".join(hints[c] for c in lacking) + "。如果表头用的是别的名称，请改成这些名称。"


def evidence_by_item(evidence: Iterable[Evidence]) -> dict[str, list[Evidence]]:
    """Evidence grouped by ``str(item_no)`` (3 and "3" are one item), in the given order."""
    by_item: dict[str, list[Evidence]] = {}
    # Runs of one item at a time: evidence usually comes in item order, thousands a run.
    for no, run in itertools.groupby(evidence, key=_ITEM_NO):
        key = str(no)
        same = by_item.get(key)
        if same is None:
            by_item[key] = list(run)
        else:
            same.extend(run)
    return by_item


_ITEM_NO = operator.attrgetter("item_no")


def build_report(
    rubric: Rubric,
    evidence: Iterable[Evidence] = (),
    findings: Iterable[Finding] = (),
    *,
    policy: str = "proportional",
    period: Optional[str] = None,
    evidence_root: Optional[str] = None,
    requirements: Optional[dict[int, Optional[Requirement]]] = None,
    confirmations: Optional[dict[str, Confirmation]] = None,
    confirm_source: str = "",
) -> Report:
    """Parse every item's requirement, check it against its evidence and score the report.

    ``requirements`` (from `parse_requirements`) skips parsing them again.
    ``confirmations`` (the 人工确认 workbook's rows by item number, read from
    ``confirm_source``) confirm the items whose evidence has not changed since.
    """
    from wenming_xl.judge.checks import check_item
    from wenming_xl.judge.confirm import apply_confirmations
    from wenming_xl.judge.scoring import check_policy, score_item, score_report

    policy = check_policy(policy)
    if requirements is None:
        requirements = parse_requirements(rubric)
    by_item = evidence_by_item(evidence)
    loose: list[Finding] = []
    item_findings: dict[str, list[Finding]] = {}
    known = {str(it.no) for it in rubric.items}  # rubric.item() per finding: items × rows
    for f in findings:
        if f.item_no is not None and str(f.item_no) in known:
            item_findings.setdefault(str(f.item_no), []).append(f)
        else:
            loose.append(f)
    now = _dt.datetime.now().replace(microsecond=0)
    report = Report(
        rubric=rubric,
        policy=policy,
        period=period,
        evidence_root=evidence_root,
        findings=loose,
        generated_at=now.isoformat(),
        run_id=f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(2)}",
    )
    said = unscorable(rubric, requirements)
    if said is not None:
        report.findings.insert(0, said)
    for n, item in enumerate(rubric.items):
        req = requirements[n]
        result = ItemResult(item=item, requirement=req, evidence=by_item.get(str(item.no), []))
        result.findings.extend(item_findings.get(str(item.no), []))
        if confirmations:
            apply_confirmations([result], confirmations, confirm_source)
        checks = check_item(result)
        score_item(result, checks, policy)
        if any(f.code == "review-rejected" for f in result.findings):
            # 「不通过」 says what comes next; 「请…填写“已确认”」 beside it would contradict it.
            result.findings = [f for f in result.findings if f.code != "needs-review"]
        report.items.append(result)
    score_report(report)
    return report
