"""人工确认: what a person confirmed about an item, kept only while its evidence stays the same.

A machine cannot see a 红头 or a 公章, read a requirement it did not understand, or tell
承办 from 协办. The office confirms such items in the 人工确认 workbook the tool writes
beside the task table (`confirm_name`); each confirmation carries the fingerprint of the
item's counted evidence when it was given. On the next run — next week, next month — a
confirmation whose fingerprint still matches makes the item count as confirmed; one
whose evidence has changed since has lapsed, and the item is told to be confirmed again.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Optional

from wenming_xl import findings as F
from wenming_xl.model import Evidence, Item, ItemResult

#: What a person writes in the 人工确认 column.
YES = "已确认"
NO = "不通过"
_YES_WORDS = {"已确认", "确认", "是", "通过", "已核实", "yes", "y", "√", "✓", "ok"}
_NO_WORDS = {"不通过", "否", "未通过", "不符合", "no", "n", "×", "✗"}


#: What the 人工确认 workbook's name adds to the task workbook's.
CONFIRM_SUFFIX = "-人工确认"


def confirm_name(workbook: str) -> str:
    """The 人工确认 workbook's file name for a task workbook: 「任务分工-人工确认.xlsx」."""
    stem = os.path.splitext(os.path.basename(workbook))[0]
    return f"{stem}{CONFIRM_SUFFIX}.xlsx"


def state_of(text: object) -> Optional[str]:
    """``YES``, ``NO`` or None (blank or not understood) for a 人工确认 cell."""
    s = "" if text is None else str(text).strip().lower().replace(" ", "")
    if s in _YES_WORDS:
        return YES
    if s in _NO_WORDS:
        return NO
    return None


@dataclass
class Confirmation:
    """One row of the 人工确认 workbook as the office left it."""

    item_no: str
    state: Optional[str] = None  # YES, NO or None
    text: str = ""  # the cell as written
    who: str = ""
    date: str = ""
    note: str = ""
    #: The evidence fingerprint the row showed when it was confirmed.
    fingerprint: str = ""
    #: Row in the workbook (for messages).
    row: Optional[int] = None


def fingerprint(item: Item, evidence: Iterable[Evidence]) -> str:
    """A short fingerprint of an item's requirement and counted evidence.

    It changes when a counted file is added, removed, replaced (its size) or re-dated,
    or a ledger row's count changes; not when the tool runs again on the same material.
    """
    h = hashlib.sha1(item.rule_text.encode("utf-8"))
    rows = sorted(
        f"{e.kind}|{e.path or e.group or ''}|{e.size}|{e.count}|{e.date}|{e.annotation}"
        for e in evidence
        if e.counted
    )
    for r in rows:
        h.update(b"\0" + r.encode("utf-8", "surrogateescape"))
    return h.hexdigest()[:12]


def apply_confirmations(
    results: list[ItemResult], confirmations: dict[str, Confirmation], source: str = ""
) -> None:
    """Mark items confirmed where a person confirmed them on the same evidence; note the rest.

    Call before the items are checked. A lapsed confirmation (the evidence changed since)
    and a 不通过 both leave the item unconfirmed, with a finding saying so.
    """
    for r in results:
        c = confirmations.get(str(r.item.no))
        if c is None or c.state is None:
            continue
        loc = r.item.location
        if c.state == NO:
            note = f"（{c.note}）" if c.note else ""
            who = c.who or "确认人"
            f = F.make(
                "review-rejected", item=r.item.no, location=loc, who=who, note=note, file=source
            )
            r.findings.append(f)
            continue
        now = fingerprint(r.item, r.evidence)
        if c.fingerprint and c.fingerprint != now:
            when = c.date or "此前"
            f = F.make("confirmation-stale", item=r.item.no, location=loc, date=when, file=source)
            r.findings.append(f)
            continue
        r.item.confirmed = True


#: Codes that ask a person about the requirement or an earlier confirmation: always actionable.
_ASK_CODES = ("requirement-unparsed", "confirmation-stale", "review-rejected")
#: Codes whose messages say what a person must confirm (the 人工确认 row's text).
REVIEW_CODES = ("needs-review", *_ASK_CODES)


def needs_person(r: ItemResult) -> bool:
    """Whether an item waits for a person this run (a row in the 人工确认 workbook).

    An item whose evidence needs a look (红头, 公章) waits only once something is counted
    for it: with nothing uploaded there is nothing to confirm yet, and the item is told
    as missing. A requirement the parser did not understand, or a lapsed or rejected
    confirmation, always waits.
    """
    if r.status == "review" or any(f.code in _ASK_CODES for f in r.findings):
        return True
    return any(f.code == "needs-review" for f in r.findings) and any(
        ev.counted for ev in r.evidence
    )


def waiting(items: Iterable[ItemResult]) -> list[ItemResult]:
    """The items waiting for a person's confirmation (not yet confirmed on this evidence).

    The one count of 「待人工确认」 on the terminal, the dashboard and the bulletin.
    """
    return [r for r in items if needs_person(r) and not r.item.confirmed]
