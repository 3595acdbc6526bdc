"""The start of the year as jobs: a plan imported as a task table, then a kit per department.

:func:`import_plan_workbook` reads a plan, notice or 实施方案 (.docx / .txt) and writes
the task workbook ``load_rubric`` reads; :func:`make_department_kits` reads a task
workbook and writes every department's kit. Both return what a person is told next.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Union

PathLike = Union[str, Path]


def import_plan_workbook(plan: PathLike, out: Optional[PathLike] = None) -> tuple[Any, Path]:
    """Import ``plan`` and write its task workbook (default 「计划名-任务分工.xlsx」 beside it).

    Returns the `ImportResult` (tasks, departments, points, what was not placed) and the
    workbook written.
    """
    from wenming_xl.outputs.workbooks.tasks import write_task_workbook
    from wenming_xl.tables.plan import import_plan

    plan = Path(plan)
    result = import_plan(plan)
    target = Path(out) if out else plan.with_name(f"{plan.stem}-任务分工.xlsx")
    return result, write_task_workbook(result, target)


def points_split(workbook: PathLike) -> Optional[str]:
    """How the task workbook's points add up, as `check` will score them (None: no points).

    「分值合计 113 分：基本分 100 分，加分项目 13 分（另有扣分项目，最多扣 10 分）」 – read back
    from the workbook written, so that what ``import`` says is what ``check`` counts.
    """
    from wenming_xl.model import BASE, BONUS, DEDUCTION
    from wenming_xl.tables.rubric import load_rubric

    rubric = load_rubric(workbook)
    sums = dict.fromkeys((BASE, BONUS, DEDUCTION), 0.0)
    open_bonus = False  # a 加分 section whose points are in its rules, not in a column
    for c in rubric.categories:
        top = c.cap if c.cap is not None else c.points_sum
        if top is not None:
            sums[c.kind] = sums.get(c.kind, 0.0) + abs(top)
        open_bonus = open_bonus or (c.kind == BONUS and top is None)
    base, bonus, minus = sums[BASE], sums[BONUS], sums[DEDUCTION]
    if not base and not bonus:
        return None
    if bonus:
        text = f"分值合计 {base + bonus:g} 分：基本分 {base:g} 分，加分项目 {bonus:g} 分"
    elif open_bonus:
        text = f"分值合计 {base:g} 分，均为基本分；另有加分项目（分值按细则另计）"
    else:
        text = f"分值合计 {base:g} 分，均为基本分"
    if minus:
        text += f"（另有扣分项目，最多扣 {minus:g} 分）"
    return text + "。"


@dataclass
class KitsRun:
    """The kits written: the department kits (with their items), and what needs a person."""

    folder: Path
    #: (kit, ledger workbook written) per department, in table order.
    kits: list[tuple[Any, Path]] = field(default_factory=list)
    #: Items no department leads (in no kit).
    orphans: list[Any] = field(default_factory=list)
    deadline: Optional[_dt.date] = None


def make_department_kits(
    workbook: PathLike,
    out: Optional[PathLike] = None,
    *,
    deadline: Union[None, str, _dt.date] = None,
    sheet: Optional[str] = None,
    overwrite: bool = False,
    period: Optional[str] = None,
) -> KitsRun:
    """Write every department's kit of ``workbook`` into ``out`` (default 「部门台账」 beside it).

    ``period`` (default: wenming.toml's ``[unit] period``) sets how frequencies read
    (「每月1次」 over 2022-01..2022-06 is 6 times), as ``check`` will count them.
    """
    from wenming_xl.config import load_profile
    from wenming_xl.evidence.period import parse_period, period_months
    from wenming_xl.outputs.workbooks.kits import (
        items_without_department,
        load_task_rubric,
        make_kits,
        parse_deadline,
        plan_kits,
    )

    workbook = Path(workbook)
    rubric = load_task_rubric(workbook, sheet)
    due = parse_deadline(deadline)
    target = Path(out) if out else workbook.with_name("部门台账")
    period = period or load_profile(None, workbook).unit.period
    months = period_months(parse_period(period)) if period else None
    paths = make_kits(rubric, target, deadline=due, overwrite=overwrite, months=months)
    return KitsRun(
        folder=target,
        kits=list(zip(plan_kits(rubric), paths)),
        orphans=items_without_department(rubric),
        deadline=due,
    )
