"""From a rubric and its evidence to a scored `Report`: each item checked, then scored.

:func:`build_report` parses every item's requirement (:func:`parse_requirements`), groups
the evidence by item, runs the checks and the scoring policy, and totals the categories.
It reads no file: the rubric, the evidence and the findings found while reading come in.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import operator
import secrets
from collections.abc import Iterable
from typing import Optional

from wenming_xl.judge.confirm import Confirmation
from wenming_xl.model import BONUS, Evidence, Finding, ItemResult, Report, Requirement, Rubric


def parse_requirements(
    rubric: Rubric, months: Optional[int] = None
) -> dict[int, Optional[Requirement]]:
    """Each item's parsed requirement by its index in ``rubric.items`` (None: none written).

    A bonus item's levels (承办（5分）、协办（2分）) are often written in its own text;
    they join its requirement's rules. ``months`` is the assessment period's length, for
    frequencies (「每月1次」 over 6 months is 6).
    """
    from wenming_xl.rules.parser import parse_requirement

    out: dict[int, Optional[Requirement]] = {}
    for n, item in enumerate(rubric.items):
        text = item.rule_text
        req = parse_requirement(text, months) if text else None
        if item.kind == BONUS and item.text:
            extra = parse_requirement(item.text).rules_of("bonus")
            if extra:
                if req is None:
                    req = parse_requirement("")
                req.rules.extend(extra)
        out[n] = req
    return out


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

    check_policy(policy)
    if requirements is None:
        requirements = parse_requirements(rubric)
    by_item = evidence_by_item(evidence)
    loose: list[Finding] = []
    item_findings: dict[str, list[Finding]] = {}
    for f in findings:
        if f.item_no is not None and rubric.item(f.item_no) is not None:
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
    for n, item in enumerate(rubric.items):
        req = requirements[n]
        result = ItemResult(item=item, requirement=req, evidence=by_item.get(str(item.no), []))
        result.findings.extend(item_findings.get(str(item.no), []))
        if confirmations:
            apply_confirmations([result], confirmations, confirm_source)
        checks = check_item(result)
        score_item(result, checks, policy)
        report.items.append(result)
    score_report(report)
    return report
