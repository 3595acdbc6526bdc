"""A report as a month's snapshot, and what changed from the month before (较上月).

:func:`report_snapshot` gives a `Report` the shape the history stores for a month
(:meth:`wenming_xl.runs.history.History.month`); :func:`compare` tells the score deltas
and status changes between two such snapshots. Plain data in, plain data out.
"""

from __future__ import annotations

from typing import Any, Optional

from wenming_xl.evidence.period import parse_month
from wenming_xl.model import Report, num


def report_snapshot(report: Report, month: str) -> dict[str, Any]:
    """The report in the shape :meth:`History.month` returns, without storing it."""
    items: dict[str, dict[str, Any]] = {}
    for r in report.items:
        items[str(r.item.no)] = {
            "score": num(r.score) if r.score is not None else None,
            "status": r.status,
            "max": num(r.item.points),
            "at_stake": num(r.points_at_stake),
            "text": r.item.text,
            "departments": list(r.item.departments),
        }
    departments = {
        d.name: {
            "score": num(d.score),
            "max": num(d.max),
            "met": d.met,
            "items": list(d.items),
            "at_stake": num(d.at_stake),
            "findings": d.findings,
        }
        for d in report.departments
    }
    return {
        "month": parse_month(month),
        "total": num(report.total),
        "max_total": num(report.max_total),
        "departments": departments,
        "items": items,
    }


def compare(current: dict[str, Any], previous: Optional[dict[str, Any]]) -> dict[str, Any]:
    """What changed between two month dicts (较上月): total and per-department score deltas,
    and the items whose status changed. Empty deltas when there is no previous month."""
    out: dict[str, Any] = {
        "month": current.get("month"),
        "previous_month": previous.get("month") if previous else None,
        "total_delta": None,
        "departments": {},
        "items": {},
    }
    if not previous:
        return out
    out["total_delta"] = num((current.get("total") or 0) - (previous.get("total") or 0))
    prev_deps = previous.get("departments", {})
    for name, dep in current.get("departments", {}).items():
        before = prev_deps.get(name)
        out["departments"][name] = {
            "score": dep.get("score"),
            "previous": before.get("score") if before else None,
            "delta": num(dep.get("score", 0) - before.get("score", 0)) if before else None,
        }
    prev_items = previous.get("items", {})
    for no, item in current.get("items", {}).items():
        before = prev_items.get(no)
        if before and before.get("status") != item.get("status"):
            out["items"][no] = {"from": before.get("status"), "to": item.get("status")}
    return out
