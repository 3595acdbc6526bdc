"""Who must act on what: each department's gaps, for its mail, 督查清单 and bulletin paragraph.

In: a `Report`. Out: per department, the `Gap`s it must act on — the items it leads that
are not met (with the findings that concern it), the items (its own or others') where its
own ledger rows have problems, and the problems of its ledger that belong to no item. One
rule, used by every output that tells a department.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Optional

from wenming_xl.model import (
    BONUS,
    MET,
    NA,
    STATUS_LABELS,
    Finding,
    Item,
    ItemResult,
    Report,
    num,
)

#: Severities a department is told about (info notes are not gaps) …
GAP_SEVERITIES = ("error", "warning")
#: … and the 提醒 it is told all the same: they ask it to do something.
TOLD_NOTES = frozenset({"kit-file-unlisted"})


def _told(f: Finding) -> bool:
    return f.severity in GAP_SEVERITIES or f.code in TOLD_NOTES


#: The status shown for a department's ledger problems that belong to no item.
LEDGER_STATUS = "台账问题"
#: 「第3项：」 at the start of a message: said already by the heading it stands under.
_ITEM_PREFIX = re.compile(r"^第[^：:]{1,8}项[：:]")
#: The status of an item that waits only for the office's own check (`Gap.office_only`).
OFFICE_STATUS = "待办公室核对"
#: Finding codes of the office's own checks: nothing for a department to send or correct.
OFFICE_CODES = frozenset({"needs-review", "confirmation-stale", "requirement-unparsed"})


@dataclass
class Gap:
    """What one department must act on for one item, or for its ledger as a whole.

    ``result`` is the item's result; None for the problems found in the department's own
    ledger rows that belong to no item (an unknown 条目 「O3」, a copy of the ledger, a
    ledger that cannot be read): those are listed with their file, sheet and row.
    """

    result: Optional[ItemResult]
    findings: list[Finding] = field(default_factory=list)
    #: False for another department's item where this department's ledger rows have
    #: problems, and for ledger problems that belong to no item.
    leads: bool = True

    @property
    def item(self) -> Optional[Item]:
        return self.result.item if self.result is not None else None

    @property
    def at_stake(self) -> Any:
        """The points still to gain on the item, when this department leads it (else 0)."""
        return self.result.points_at_stake if self.leads and self.result is not None else 0

    @property
    def no(self) -> Any:
        return self.result.item.no if self.result is not None else None

    @property
    def no_label(self) -> str:
        """The item number as shown in a table's 条目 column (「台账」 for ledger problems)."""
        return str(self.result.item.no) if self.result is not None else "台账"

    @property
    def title(self) -> str:
        """The item's text, or what the ledger problems are."""
        if self.result is None:
            return "本部门台账中的填写问题（不属于某一条目）"
        return self.result.item.text

    @property
    def heading(self) -> str:
        """「第3项 …」 for an item, the ledger heading otherwise."""
        if self.result is None:
            return self.title
        return f"第{self.result.item.no}项 {self.result.item.text}"

    @property
    def points(self) -> Any:
        return self.result.item.points if self.result is not None else None

    @property
    def score(self) -> Any:
        return self.result.score if self.result is not None else None

    @property
    def office_only(self) -> bool:
        """Whether the item waits only for the office's own check (红头, 印章, 档次).

        The department has sent what was asked and has nothing to do: its mail says so
        apart and does not count the item among its to-dos, the bulletin does not list it
        among the department's problems.
        """
        r = self.result
        if r is None or not self.leads or r.status in (MET, NA):
            return False
        if self.findings:
            return all(f.code in OFFICE_CODES for f in self.findings)
        return r.status == "review"

    @property
    def bonus(self) -> bool:
        """Whether the item is a 加分项目 (its points are not in the department's 满分)."""
        return self.result is not None and self.result.item.kind == BONUS

    @property
    def status_label(self) -> str:
        if self.result is None:
            return LEDGER_STATUS
        if self.office_only:
            return OFFICE_STATUS
        return STATUS_LABELS.get(self.result.status, self.result.status)

    @property
    def lines(self) -> list[str]:
        """`messages` as they stand under the item's own heading or 条目 cell: no 「第3项：」."""
        return [_ITEM_PREFIX.sub("", m.strip()) for m in self.messages]

    @property
    def messages(self) -> list[str]:
        """What is missing, one line each, as the department reads it (mail, 督查清单, 通报).

        The finding messages, except that what the office itself must confirm is said as
        the office's step (`for_department`), not as the office's instruction.
        """
        if self.findings or self.result is None:
            return [for_department(f) for f in self.findings]
        r = self.result
        if r.status == "review":
            return [f"第{r.item.no}项：材料由办公室核对。"]
        if r.points_at_stake:
            return [f"第{r.item.no}项：尚未得满分，差{fmt_points(r.points_at_stake)}分。"]
        return [f"第{r.item.no}项：尚未达标。"]


#: What the office's own steps read as in a department's documents (code → template).
_DEPARTMENT_TEXT = {
    "needs-review": "第{item}项：{what}由办公室核对。",
    "confirmation-stale": "第{item}项：材料有了变化，待办公室重新确认。",
    "requirement-unparsed": "第{item}项：材料要求中「{text}」由办公室人工核对。",
    "review-rejected": "第{item}项：办公室核对为“不通过”{note}，请补齐材料。",
}


def for_department(f: Finding) -> str:
    """A finding's message as a department reads it.

    The office's instructions to itself (fill 「人工确认」 in 《任务分工-人工确认.xlsx》)
    mean nothing to a department: those say what the office will do, or what the
    department must still send. Every other message is the finding's own.
    """
    text = _DEPARTMENT_TEXT.get(f.code)
    if text is None:
        return f.message
    params = {"item": f.item_no, "what": "", "text": "", "note": "", **f.params}
    if not params["what"]:
        params["what"] = "材料"
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return f.message


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
                # A met item: only problems in ledger rows (its own or another's) remain.
                findings = [
                    f
                    for f in r.findings
                    if _told(f)
                    and f.department is not None
                    and (f.department == department or f.department not in leads)
                ]
                if findings:
                    gaps.append(Gap(r, findings))
                continue
            findings = [f for f in r.findings if _told(f) and _concerns(f, department, leads)]
            if findings or r.points_at_stake > 0 or r.status == "review":
                gaps.append(Gap(r, findings))
        else:
            own = [f for f in r.findings if _told(f) and f.department == department]
            if own:
                gaps.append(Gap(r, own, leads=False))
    loose = [f for f in report.findings if _told(f) and f.department == department]
    if loose:
        gaps.append(Gap(None, loose, leads=False))
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
