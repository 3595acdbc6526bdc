"""Many units side by side (a city 文明办's batch): each unit's outcome, rankings, common gaps.

`UnitResult` is one unit's scores, items and gaps (or why it could not be checked);
`BatchResult` ranks the units and counts the gaps and unmet items they share, on the
pandas tables of :mod:`wenming_xl.judge.frames` (pandas loads on the first such call).
:mod:`wenming_xl.runs.batch` fills it, :mod:`wenming_xl.outputs.workbooks.rollup` writes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple, Optional

from wenming_xl.model import MET, NA


class UnitItem(NamedTuple):
    """One item of a unit as it was scored (a row of the batch's unit × item table)."""

    no: str
    text: str
    category: Optional[str]
    kind: str
    points: Optional[float]
    score: Optional[float]
    status: str
    points_at_stake: float
    departments: tuple[str, ...] = ()


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
    #: Every item as scored, in table order (n/a items too).
    results: list[UnitItem] = field(default_factory=list)
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
    def unmet(self) -> list[tuple[str, str]]:
        """(item no, item text) of every scored item that is not met."""
        return [(r.no, r.text) for r in self.results if r.status not in (MET, NA)]

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
        from wenming_xl.judge.frames import ranking_order

        return [self.units[i] for i in ranking_order(self)]

    @property
    def unranked(self) -> list[UnitResult]:
        return [u for u in self.units if u.ok and u.unranked]

    @property
    def failed(self) -> list[UnitResult]:
        return [u for u in self.units if not u.ok]

    def category_names(self) -> list[str]:
        """Category names across the ranked units, in order of first appearance.

        A unit without a score (failed, or `unranked`) adds none: a column only it would
        fill is a column of blanks, and its zeros would pull every category's mean down.
        """
        seen: dict[str, None] = {}
        for u in self.units:
            if not u.ok or u.unranked:
                continue
            for name, _s, _t in u.categories:
                seen.setdefault(name, None)
        return list(seen)

    def common_gaps(self, limit: int = 20) -> list[dict[str, Any]]:
        """Finding codes by how many units have them: code, units, occurrences, an example."""
        from wenming_xl.judge.frames import common_gaps_frame

        return common_gaps_frame(self, limit).to_dict("records")

    def common_items(self, limit: int = 20) -> list[dict[str, Any]]:
        """Items most often not met across units: item no, text, number of units."""
        from wenming_xl.judge.frames import common_items_frame

        return common_items_frame(self, limit).to_dict("records")
