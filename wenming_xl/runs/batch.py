"""Check many units at once (a city 文明办): one subfolder per unit, a process pool, a roll-up.

Each subfolder of the units folder is one unit: its task workbook (the ``.xlsx`` whose
sheets hold a task table), and optionally department ledger workbooks beside it, a
ledger folder (named 台账…), an evidence folder (named 材料/佐证…, or the only other
subfolder) and a ``wenming.toml``. `run_batch` checks every unit in a process pool
(each unit's own file scan in one process) and returns a `BatchResult` that the
roll-up workbook (`outputs.workbooks.rollup`) is written from. A unit that cannot be checked is
kept with its Chinese error; the others go on.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional, Union

from wenming_xl.errors import ConfigError, WenmingError, WorkbookError
from wenming_xl.evidence.tree import leading_number
from wenming_xl.judge.confirm import CONFIRM_SUFFIX
from wenming_xl.judge.ranking import BatchResult, UnitItem, UnitResult
from wenming_xl.model import DEDUCTION, MET, NA, num

PathLike = Union[str, "os.PathLike[str]"]

#: Files this tool writes beside a task workbook: never a unit's task table.
_OUTPUT_SUFFIXES = ("-评分", "-看板", "-汇总", CONFIRM_SUFFIX)
_LEDGER_WORDS = ("台账", "ledger")
_EVIDENCE_WORDS = ("材料", "佐证", "证据", "evidence")


# --------------------------------------------------------------------------- one unit


@dataclass
class UnitFiles:
    """What a unit folder holds: task workbook candidates, ledgers, folders, profile."""

    books: list[Path]
    ledger_dir: Optional[Path] = None
    evidence: Optional[Path] = None
    config: Optional[Path] = None


def _visible(p: Path) -> bool:
    return not p.name.startswith(("~$", ".", ".~"))


def unit_files(folder: Path) -> UnitFiles:
    """Sort out a unit folder: workbooks (task table candidates first), ledger/evidence folders."""
    entries = sorted((p for p in folder.iterdir() if _visible(p)), key=lambda p: p.name)
    books = [
        p
        for p in entries
        if p.is_file()
        and p.suffix.lower() in (".xlsx", ".xlsm")
        and not p.stem.endswith(_OUTPUT_SUFFIXES)
    ]
    books.sort(key=lambda p: (any(w in p.stem.lower() for w in _LEDGER_WORDS), p.name))
    dirs = [p for p in entries if p.is_dir()]
    found = UnitFiles(books)
    for d in dirs:
        low = d.name.lower()
        if found.ledger_dir is None and any(w in low for w in _LEDGER_WORDS):
            found.ledger_dir = d
        elif found.evidence is None and any(w in low for w in _EVIDENCE_WORDS):
            found.evidence = d
    others = [d for d in dirs if d not in (found.ledger_dir, found.evidence)]
    if found.evidence is None and len(others) == 1:
        found.evidence = others[0]
    profile = folder / "wenming.toml"
    found.config = profile if profile.is_file() else None
    return found


def _summarise(res: UnitResult, report: Any) -> None:
    from wenming_xl.judge.report import lacking_text

    res.total, res.max_total = num(report.total), num(report.max_total)
    lacking = report.rubric.lacking()
    if lacking or not report.max_total:
        res.unranked = (
            lacking_text(lacking) if lacking else "任务表各条目的分值合计为 0"
        ) + "，未参加排名"
    for c in report.categories:
        if c.kind == DEDUCTION:
            continue
        top = c.cap if c.cap is not None else c.points_sum
        if top:
            res.categories.append((c.name, float(c.score), float(top)))
    for r in report.items:
        it = r.item
        res.results.append(
            UnitItem(
                no=str(it.no),
                text=it.text,
                category=it.category,
                kind=it.kind,
                points=num(it.points),
                score=None if r.score is None else num(r.score),
                status=r.status,
                points_at_stake=num(r.points_at_stake),
                departments=tuple(it.departments),
            )
        )
        if r.status == NA:
            continue
        res.items += 1
        if r.status == MET:
            res.met += 1
    for f in report.all_findings():
        if f.severity == "error":
            no = "" if f.item_no is None else str(f.item_no)
            item = report.rubric.item(f.item_no) if f.item_no is not None else None
            res.gaps.append((f.code, no, item.text if item else "", f.message))


def check_unit(
    folder: PathLike,
    period: Optional[str] = None,
    policy: str = "proportional",
    cache: bool = True,
    background: bool = True,
) -> UnitResult:
    """Check one unit folder (never raises for the unit's own problems: see ``error``).

    ``background`` parses the unit's ledgers on a thread beside the rest of its check
    (as ``wenming check`` does); False parses them in turn, for a pool whose workers
    already keep every core busy.
    """
    from wenming_xl.evidence.loader import LedgerError, SheetLoader
    from wenming_xl.findings import make
    from wenming_xl.model import Location
    from wenming_xl.runs.check import run_check
    from wenming_xl.runs.history import default_db_path

    start = time.perf_counter()
    folder = Path(folder)
    res = UnitResult(name=folder.name, folder=str(folder))
    try:
        files = unit_files(folder)
        if not files.books:
            raise WorkbookError(
                f"单位文件夹「{folder.name}」中没有任务分工表（.xlsx）。",
                path=str(folder),
                hint="请把本单位的任务分工表放进该文件夹。",
            )
        report, first_error = None, None
        bad: dict[str, LedgerError] = {}  # workbooks beside the table that cannot be read
        for book in files.books:
            if str(book) in bad:
                continue
            while True:
                ledgers = [b for b in files.books if b != book and str(b) not in bad]
                try:
                    report = run_check(
                        book,
                        evidence=files.evidence,
                        ledgers=ledgers,
                        ledger_dir=files.ledger_dir,
                        period=period,
                        policy=policy,
                        config=files.config,
                        db=default_db_path(book) if cache and files.evidence else None,
                        workers=1,
                        loader=None if background else SheetLoader(()),
                    )
                except LedgerError as exc:
                    # One broken workbook beside the table (a stray 「副本.xlsx」) does not
                    # fail the unit: it is reported and the rest are read again without it.
                    if exc.path not in map(str, ledgers):
                        raise
                    bad[str(exc.path)] = exc
                    continue
                except WorkbookError as exc:
                    first_error = first_error or exc  # maybe a ledger workbook: try the next one
                break
            if report is not None:
                res.workbook = str(book)
                break
        if report is None:
            assert first_error is not None
            raise first_error
        res.unreadable = [os.path.basename(p) for p in bad]
        for path, exc in bad.items():
            reason = f"{exc.reason}；{exc.hint}" if exc.hint else exc.reason
            where = Location(os.path.relpath(path, folder))
            report.findings.append(
                make("unreadable-file", path=where.path, reason=reason, location=where)
            )
        _summarise(res, report)
    except WenmingError as exc:
        res.error = str(exc)
    except Exception as exc:  # one unit's unexpected failure must not stop the others
        res.error = f"检查时出错（{type(exc).__name__}：{exc}）；请把该单位的文件交给技术人员查看。"
    res.seconds = time.perf_counter() - start
    return res


# --------------------------------------------------------------------------- all units


def unit_folders(units_dir: PathLike) -> list[Path]:
    """The unit subfolders of ``units_dir`` (hidden folders skipped), by name."""
    root = Path(units_dir)
    if not root.is_dir():
        raise ConfigError(
            f"单位文件夹 {root} 不存在或不是文件夹。",
            path=str(root),
            hint="请指定一个文件夹，其中每个子文件夹是一个单位（内含任务分工表）。",
        )
    return sorted((p for p in root.iterdir() if p.is_dir() and _visible(p)), key=lambda p: p.name)


def _holds_workbook(folder: Path) -> bool:
    try:
        return bool(unit_files(folder).books)
    except OSError:
        return False


def _no_units_error(root: Path, folders: list[Path]) -> ConfigError:
    """No subfolder of ``root`` holds a task workbook: most likely the wrong folder."""
    try:
        own = [p.name for p in unit_files(root).books]
    except OSError:
        own = []
    if own:
        hint = (
            f"这个文件夹本身像是一个单位的文件夹（其中有 {own[0]}）：检查一个单位请用 "
            f"wenming check {own[0]}；批量检查请指定它的上一级文件夹。"
        )
    else:
        hint = "请指定一个文件夹，其中每个子文件夹是一个单位，放着该单位的任务分工表（.xlsx）。"
    if len(folders) > 1:
        found = f"其中的 {len(folders)} 个子文件夹里都没有任务分工表（.xlsx）"
    elif folders:
        found = f"其中的子文件夹「{folders[0].name}」里没有任务分工表（.xlsx）"
    else:
        found = "其中没有子文件夹"
    return ConfigError(
        f"{root} 不像是各单位的总文件夹：{found}，没有可检查的单位，未写汇总表。",
        path=str(root),
        hint=hint,
    )


def run_batch(
    units_dir: PathLike,
    *,
    workers: Optional[int] = None,
    period: Optional[str] = None,
    progress: Optional[Callable[[int, int], Any]] = None,
    policy: str = "proportional",
    cache: bool = True,
) -> BatchResult:
    """Check every unit under ``units_dir`` in ``workers`` processes (default: every core).

    ``progress(done, total)`` follows the units; results keep folder order. ``cache``
    keeps each unit's scan cache in its own folder (``wenming.sqlite``).
    """
    if period:
        from wenming_xl.evidence.collect import parse_period

        parse_period(period)  # a bad period fails once, here, not in every unit
    folders = unit_folders(units_dir)
    if not any(_holds_workbook(f) for f in folders):
        raise _no_units_error(Path(units_dir), folders)
    result = BatchResult(folder=str(units_dir), period=period)
    total = len(folders)
    out: list[Optional[UnitResult]] = [None] * total
    if progress:
        progress(0, total)
    workers = max(1, min(workers or os.cpu_count() or 1, total or 1, 61))
    args = [(str(f), period, policy, cache) for f in folders]
    done = 0
    pending = list(range(total))
    if workers > 1 and total > 1:
        pending = _pool_run(args, workers, out, progress)
        done = total - len(pending)
    for i in pending:  # one process, or what a broken pool left
        out[i] = check_unit(*args[i])
        done += 1
        if progress:
            progress(done, total)
    result.units = [u for u in out if u is not None]
    if not any(u.ok and not u.unranked for u in result.units):
        numbered = [f.name for f in folders if leading_number(f.name) is not None]
        if len(numbered) * 2 >= len(folders):
            raise _evidence_folder_error(Path(units_dir), numbered, result)
    return result


def _evidence_folder_error(root: Path, numbered: list[str], result: BatchResult) -> ConfigError:
    """No unit scored, and the subfolders are named by item number: an evidence folder."""
    return ConfigError(
        f"{root} 像是一个单位的佐证材料文件夹，不是各单位的总文件夹：{len(numbered)} 个子文件夹"
        f"按条目编号命名（如「{numbered[0]}」），{len(result.units)} 个都不能评分"
        f"（未能检查 {len(result.failed)} 个，未能评分 {len(result.unranked)} 个），未写汇总表。",
        path=str(root),
        hint="检查一个单位的材料请用 wenming check 任务分工.xlsx --evidence 这个文件夹；"
        "批量检查请指定放着各单位文件夹的那一级，每个单位文件夹里放该单位的任务分工表。",
    )


def _pool_run(
    args: list[tuple], workers: int, out: list, progress: Optional[Callable[[int, int], Any]]
) -> list[int]:
    """Fill ``out`` from a process pool; return the indices still to do (pool unavailable)."""
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # Forked workers inherit what is imported here instead of each importing it again.
    import python_calamine  # noqa: F401

    from wenming_xl.evidence import collect  # noqa: F401
    from wenming_xl.judge import checks, scoring  # noqa: F401
    from wenming_xl.rules import parser  # noqa: F401
    from wenming_xl.runs import check, history  # noqa: F401
    from wenming_xl.tables import rubric  # noqa: F401

    try:
        pool = ProcessPoolExecutor(max_workers=workers)
    except Exception:  # no process pool here (sandbox, daemonic parent)
        return list(range(len(args)))
    done = 0
    try:
        # Every core runs a unit: a unit's own background parse would only compete.
        futures = {pool.submit(check_unit, *a, False): i for i, a in enumerate(args)}
        for fut in as_completed(futures):
            i = futures[fut]
            try:
                out[i] = fut.result()
            except Exception:  # a worker died: this unit is redone in this process
                continue
            done += 1
            if progress:
                progress(done, len(args))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return [i for i, u in enumerate(out) if u is None]


def batch_rollup(
    units_dir: PathLike,
    out: Optional[PathLike] = None,
    *,
    workers: Optional[int] = None,
    period: Optional[str] = None,
    progress: Optional[Callable[[int, int], Any]] = None,
    cache: bool = True,
) -> tuple[BatchResult, Path]:
    """Check every unit (:func:`run_batch`) and write the roll-up workbook; return both.

    The roll-up goes to ``out``, by default 「<文件夹名>-汇总.xlsx」 beside the units folder.
    """
    from wenming_xl.outputs.workbooks.rollup import write_rollup

    result = run_batch(units_dir, workers=workers, period=period, progress=progress, cache=cache)
    folder = Path(units_dir).resolve()
    target = Path(out) if out else folder.parent / f"{folder.name}-汇总.xlsx"
    return result, write_rollup(result, target)
