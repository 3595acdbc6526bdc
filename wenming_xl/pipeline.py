"""The whole check in one call: rubric → rules → evidence → checks → scores → `Report`."""

from __future__ import annotations

import datetime as _dt
import itertools
import operator
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional, Union

from .model import BONUS, Evidence, Finding, ItemResult, Report, Requirement, Rubric

PathLike = Union[str, Path]

if TYPE_CHECKING:
    from .ledger_load import SheetLoader


def _known_departments(workbook: PathLike, config: Optional[PathLike]) -> list[str]:
    from .config import load_profile

    profile = load_profile(config, workbook)
    return list(profile.departments)


def parse_requirements(rubric: Rubric) -> dict[int, Optional[Requirement]]:
    """Each item's parsed requirement by its index in ``rubric.items`` (None: none written).

    A bonus item's levels (承办（5分）、协办（2分）) are often written in its own text;
    they join its requirement's rules.
    """
    from .requirements import parse_requirement

    out: dict[int, Optional[Requirement]] = {}
    for n, item in enumerate(rubric.items):
        req = parse_requirement(item.requirement_text) if item.requirement_text else None
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
) -> Report:
    """Parse every item's requirement, check it against its evidence and score the report.

    ``requirements`` (from `parse_requirements`) skips parsing them again.
    """
    from .checks import check_item
    from .scoring import check_policy, score_item, score_report

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
    report = Report(
        rubric=rubric,
        policy=policy,
        period=period,
        evidence_root=evidence_root,
        findings=loose,
        generated_at=_dt.datetime.now().replace(microsecond=0).isoformat(),
    )
    for n, item in enumerate(rubric.items):
        req = requirements[n]
        result = ItemResult(item=item, requirement=req, evidence=by_item.get(str(item.no), []))
        result.findings.extend(item_findings.get(str(item.no), []))
        checks = check_item(result)
        score_item(result, checks, policy)
        report.items.append(result)
    score_report(report)
    return report


def _encrypted_ledger_sheets(workbook: PathLike, password: Optional[str]) -> list[Finding]:
    """A finding for each 台账 sheet of a password-protected task workbook (not read as a ledger)."""
    from . import findings as F
    from .model import Location
    from .xlsx_read import decrypted_bytes, sheet_names

    if decrypted_bytes(workbook, password) is None:
        return []
    return [
        F.make(
            "unreadable-file",
            path=f"{Path(workbook).name}「{name}」",
            reason="任务工作簿设有打开密码，其中的台账工作表不作为佐证台账读取；"
            "请把台账另存为无密码的工作簿，用 --ledger 指定",
            location=Location(str(workbook), name),
        )
        for name in sheet_names(workbook, password=password)
        if "台账" in name
    ]


def run_check(
    workbook: PathLike,
    *,
    evidence: Optional[PathLike] = None,
    ledgers: Iterable[PathLike] = (),
    ledger_dir: Optional[PathLike] = None,
    period: Optional[str] = None,
    policy: str = "proportional",
    sheet: Optional[str] = None,
    config: Optional[PathLike] = None,
    progress: Optional[Callable[[int, int], Any]] = None,
    db: Optional[PathLike] = None,
    workers: Optional[int] = None,
    password: Optional[str] = None,
    meanwhile: Optional[Callable[[], Any]] = None,
    loader: Optional[SheetLoader] = None,
) -> Report:
    """Read the task table and the evidence, check and score everything, return the `Report`.

    ``evidence`` is an evidence folder (item folders named by number); ``ledgers`` and
    ``ledger_dir`` name department ledger workbooks; the task workbook's own 佐证台账
    sheet is read too. ``period`` (「2022」, 「2022-01..2022-06」) drops dated photos outside it.
    ``db`` is the SQLite history file whose scan cache skips files unchanged since an
    earlier run (None: no cache); ``workers`` sizes the file probe's process pool.
    ``password`` opens a password-protected task workbook (decrypted in memory only).
    ``meanwhile`` is called once while the ledgers are still being parsed (the CLI
    imports its output writers there). ``loader`` is a `ledger_load.SheetLoader`
    already started on `ledger_paths.ledger_files` of the same arguments (the CLI starts
    it before anything else); by default one is started here.
    """
    from .ledger_load import SheetLoader
    from .ledger_paths import ledger_files

    # The ledgers' cells are parsed on a background thread (calamine releases the GIL)
    # while the modules below are imported, the task table read and its requirements parsed.
    own = loader is None
    if loader is None:
        loader = SheetLoader(ledger_files(workbook, ledgers, ledger_dir))
    cache = None
    try:
        from . import checks, scoring  # noqa: F401  (used by build_report, loaded while waiting)
        from .evidence import collect_evidence, parse_period
        from .rubric import load_rubric

        rubric = load_rubric(
            workbook,
            sheet,
            known_departments=_known_departments(workbook, config),
            password=password,
        )
        requirements = parse_requirements(rubric)
        if meanwhile is not None:
            meanwhile()
        per = parse_period(period) if period else None
        if db is not None:
            from .cache import ScanCache

            cache = ScanCache(db)
        ev, found = collect_evidence(
            rubric.items,
            evidence_dir=evidence,
            ledgers=tuple(ledgers),
            ledger_dir=ledger_dir,
            workbook=workbook,
            period=per,
            progress=progress,
            workers=workers,
            cache=cache,
            loader=loader,
        )
    finally:
        if own:
            loader.close()
        if cache is not None:
            cache.close()
    found = list(found) + _encrypted_ledger_sheets(workbook, password)
    return build_report(
        rubric,
        ev,
        found,
        policy=policy,
        period=per.label if per else None,
        evidence_root=str(evidence) if evidence else None,
        requirements=requirements,
    )
