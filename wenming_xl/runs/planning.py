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
) -> KitsRun:
    """Write every department's kit of ``workbook`` into ``out`` (default 「部门台账」 beside it)."""
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
    paths = make_kits(rubric, target, deadline=due, overwrite=overwrite)
    return KitsRun(
        folder=target,
        kits=list(zip(plan_kits(rubric), paths)),
        orphans=items_without_department(rubric),
        deadline=due,
    )
