"""Who must act on what: each department's gaps, for its mail, 督查清单 and bulletin paragraph.

In: a `Report`. Out: per department, the `Gap`s it must act on — the items it leads that
are not met (with the findings that concern it), and the items of others where its own
ledger rows have problems. One rule, used by every output that tells a department.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from wenming_xl.model import MET, NA, STATUS_LABELS, Finding, ItemResult, Report, num

#: Severities a department is told about (info notes are not gaps).
GAP_SEVERITIES = ("error", "warning")


@dataclass
class Gap:
    """One item a department leads that is not met: its result and the department's findings."""

    result: ItemResult
    findings: list[Finding] = field(default_factory=list)
    #: False for another department's item where this department's ledger rows have problems.
    leads: bool = True

    @property
    def at_stake(self) -> Any:
        """The points still to gain on the item, when this department leads it (else 0)."""
        return self.result.points_at_stake if self.leads else 0

    @property
    def no(self) -> Any:
        return self.result.item.no

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.result.status, self.result.status)

    @property
    def messages(self) -> list[str]:
        """What is missing, one line each: the finding messages, else a plain explanation."""
        if self.findings:
            return [f.message for f in self.findings]
        r = self.result
        if r.status == "review":
            return [f"第{r.item.no}项：材料需人工确认，确认后在「人工确认」列填写“已确认”。"]
        if r.points_at_stake:
            return [f"第{r.item.no}项：尚未得满分，差{fmt_points(r.points_at_stake)}分。"]
        return [f"第{r.item.no}项：尚未达标。"]


def fmt_points(value: Any) -> str:
    """Points as people write them: 4, 2.5, ''."""
    if value is None:
        return ""
    if isinstance(value, Fraction):
        value = float(value)
    v = num(value)
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def department_items(report: Report, department: str) -> list[ItemResult]:
    """The item results a department leads, in table order."""
    return [r for r in report.items if department in r.item.departments]


def _concerns(f: Any, department: str, leads: list[str]) -> bool:
    """Whether a finding on an item led by ``leads`` is for ``department`` to act on.

    A finding with no department is every lead's; one a lead's own; one written by a
    department that does not lead the item (its ledger row) both that department's and
    every lead's, so the row is caught from both sides.
    """
    return f.department is None or f.department == department or f.department not in leads


def department_gaps(report: Report, department: str) -> list[Gap]:
    """What ``department`` must act on: its items not met, and its rows on others' items.

    The items it leads that are not met, with their findings or points at stake; then
    the items it does not lead where a finding names it (a row of its ledger written
    for another department's item), with just those findings.
    """
    gaps: list[Gap] = []
    for r in report.items:
        leads = list(r.item.departments)
        if department in leads:
            if r.status in (MET, NA):
                findings = [
                    f
                    for f in r.findings
                    if f.severity in GAP_SEVERITIES and f.department not in (None, *leads)
                ]
                if findings:
                    gaps.append(Gap(r, findings))
                continue
            findings = [
                f
                for f in r.findings
                if f.severity in GAP_SEVERITIES and _concerns(f, department, leads)
            ]
            if findings or r.points_at_stake > 0 or r.status == "review":
                gaps.append(Gap(r, findings))
        else:
            own = [
                f for f in r.findings if f.severity in GAP_SEVERITIES and f.department == department
            ]
            if own:
                gaps.append(Gap(r, own, leads=False))
    return gaps


def departments_of(report: Report) -> list[str]:
    """Every department the report names: its department results, then the items' leads."""
    seen: dict[str, None] = {}
    for d in report.departments:
        seen.setdefault(d.name, None)
    for r in report.items:
        for d in r.item.departments:
            seen.setdefault(d, None)
    return list(seen)
