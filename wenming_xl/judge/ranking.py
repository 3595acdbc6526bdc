"""Many units side by side (a city 文明办's batch): each unit's outcome, rankings, common gaps.

`UnitResult` is one unit's scores and gaps (or why it could not be checked);
`BatchResult` ranks the units and counts the gaps and unmet items they share. Plain data:
:mod:`wenming_xl.runs.batch` fills it, :mod:`wenming_xl.outputs.workbooks.rollup` writes it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Optional


@dataclass
class UnitResult:
    """One unit's outcome: its scores and gaps, or the Chinese reason it could not be checked."""

    name: str
    folder: str
    workbook: Optional[str] = None
    total: Optional[float] = None
    max_total: Optional[float] = None
    #: (category name, score, top) of each scored category, in table order.
    categories: list[tuple[str, float, float]] = field(default_factory=list)
    items: int = 0
    met: int = 0
    #: (code, item no, item text, example message) of every error-level finding.
    gaps: list[tuple[str, str, str, str]] = field(default_factory=list)
    #: (item no, item text) of every scored item that is not met.
    unmet: list[tuple[str, str]] = field(default_factory=list)
    error: Optional[str] = None
    #: Why a checked unit has no score to rank (its table lacks 分值 / 材料要求), in Chinese.
    unranked: Optional[str] = None
    #: Workbooks of the unit that could not be read and were left out (file names).
    unreadable: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def rate(self) -> float:
        """Score as a share of the maximum (0 when the unit failed or has no maximum)."""
        return (self.total or 0) / self.max_total if self.max_total else 0.0


@dataclass
class BatchResult:
    """Every unit's result, in folder order; ranking and common gaps are computed on demand."""

    folder: str
    units: list[UnitResult] = field(default_factory=list)
    period: Optional[str] = None

    def ranked(self) -> list[UnitResult]:
        """Scored units by score rate (then score, name), highest first; then the unranked
        (checked, but their table gives no score), then the failed."""
        ok = sorted(
            (u for u in self.units if u.ok and not u.unranked),
            key=lambda u: (-u.rate, -(u.total or 0), u.name),
        )
        unranked = [u for u in self.units if u.ok and u.unranked]
        return ok + unranked + [u for u in self.units if not u.ok]

    @property
    def unranked(self) -> list[UnitResult]:
        return [u for u in self.units if u.ok and u.unranked]

    @property
    def failed(self) -> list[UnitResult]:
        return [u for u in self.units if not u.ok]

    def category_names(self) -> list[str]:
        """Category names across units, in order of first appearance."""
        seen: dict[str, None] = {}
        for u in self.units:
            for name, _s, _t in u.categories:
                seen.setdefault(name, None)
        return list(seen)

    def common_gaps(self, limit: int = 20) -> list[dict[str, Any]]:
        """Finding codes by how many units have them: code, units, occurrences, an example."""
        units: Counter = Counter()
        times: Counter = Counter()
        example: dict[str, str] = {}
        for u in self.units:
            codes = [g[0] for g in u.gaps]
            times.update(codes)
            units.update(set(codes))
            for code, _no, _text, message in u.gaps:
                example.setdefault(code, message)
        rows = [
            {"code": c, "units": n, "count": times[c], "example": example[c]}
            for c, n in units.items()
        ]
        rows.sort(key=lambda r: (-r["units"], -r["count"], r["code"]))
        return rows[:limit]

    def common_items(self, limit: int = 20) -> list[dict[str, Any]]:
        """Items most often not met across units: item no, text, number of units."""
        units: Counter = Counter()
        text: dict[str, str] = {}
        for u in self.units:
            for no, t in set(u.unmet):
                units[no] += 1
                text.setdefault(no, t)
        rows = [{"item": no, "text": text[no], "units": n} for no, n in units.items()]
        rows.sort(key=lambda r: (-r["units"], _no_key(r["item"])))
        return rows[:limit]


def _no_key(no: str) -> tuple:
    return (0, int(no), "") if no.isdigit() else (1, 0, no)
