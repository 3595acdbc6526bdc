"""The whole check in one call: rubric → rules → evidence → checks → scores → `Report`.

:func:`run_check` reads the task table and the evidence and returns the `Report`;
:func:`check_workbook` is one standalone check as ``wenming check`` runs it: the report,
the history month, the scored workbook, the dashboard and the JSON file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional, Union

from wenming_xl.errors import WenmingError
from wenming_xl.evidence.period import period_months  # noqa: F401  (part of this module's API)
from wenming_xl.model import Location

PathLike = Union[str, Path]

if TYPE_CHECKING:
    from wenming_xl.evidence.loader import SheetLoader
    from wenming_xl.model import Finding, Report


def _profile(workbook: PathLike, config: Optional[PathLike]) -> Any:
    from wenming_xl.config import load_profile

    return load_profile(config, workbook)


def _encrypted_ledger_sheets(workbook: PathLike, password: Optional[str]) -> list[Finding]:
    """A finding for each 台账 sheet of a password-protected task workbook (not read as a ledger)."""
    from wenming_xl import findings as F
    from wenming_xl.model import Location
    from wenming_xl.tables.sheets import decrypted_bytes, sheet_names

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
    confirm: Union[bool, PathLike] = True,
    month: Optional[str] = None,
) -> Report:
    """Read the task table and the evidence, check and score everything, return the `Report`.

    ``evidence`` is an evidence folder (item folders named by number); ``ledgers`` and
    ``ledger_dir`` name department ledger workbooks; the task workbook's own 佐证台账
    sheet is read too. ``period`` (「2022」, 「2022-01..2022-06」) drops dated photos outside it.
    ``db`` is the SQLite history file whose scan cache skips files unchanged since an
    earlier run (None: no cache); ``workers`` sizes the file probe's process pool.
    Without ``period`` the period is wenming.toml's ``[unit] period``, else the year of the
    table's title, else ``month``'s year; with ``month`` evidence counts up to that month's
    end (`evidence.period.resolve_period`, DESIGN §4.4).
    ``password`` opens a password-protected task workbook (decrypted in memory only).
    ``meanwhile`` is called once while the ledgers are still being parsed (the CLI
    imports its output writers there). ``loader`` is a `ledger_load.SheetLoader`
    already started on `ledger_paths.ledger_files` of the same arguments (the CLI starts
    it before anything else); by default one is started here. ``confirm`` is the 人工确认
    workbook whose confirmations count (True: the one beside the task workbook, see
    `outputs.workbooks.confirm.confirm_path`; False: none).
    """
    from wenming_xl.evidence.loader import SheetLoader
    from wenming_xl.evidence.paths import ledger_files

    # The ledgers' cells are parsed on a background thread (calamine releases the GIL)
    # while the modules below are imported, the task table read and its requirements parsed.
    own = loader is None
    if loader is None:
        loader = SheetLoader(ledger_files(workbook, ledgers, ledger_dir))
    cache = None
    try:
        from wenming_xl.evidence.collect import collect_evidence
        from wenming_xl.evidence.period import resolve_period
        from wenming_xl.judge import checks, scoring  # noqa: F401  (used by build_report, loaded while waiting)
        from wenming_xl.judge.report import build_report, parse_requirements
        from wenming_xl.tables.rubric import load_rubric

        profile = _profile(workbook, config)
        rubric = load_rubric(
            workbook, sheet, known_departments=list(profile.departments), password=password
        )
        # DESIGN §4.4: --period, else wenming.toml, else the title's year, else --month's.
        per, period_source = resolve_period(period, profile.unit.period, rubric.title, month)
        requirements = parse_requirements(rubric, period_months(per))
        if meanwhile is not None:
            meanwhile()
        if db is not None:
            from wenming_xl.evidence.cache import ScanCache

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
            skip=own_outputs(Path(workbook)),
        )
    finally:
        if own:
            loader.close()
        if cache is not None:
            cache.close()
    found = list(found) + _encrypted_ledger_sheets(workbook, password)
    if cache is not None and cache.error:
        from wenming_xl import findings as F

        found.append(F.make("cache-unusable", reason=cache.error, location=Location(str(db))))
    confirmations, source = _confirmations(workbook, confirm, found)
    report = build_report(
        rubric,
        ev,
        found,
        policy=policy,
        period=per.label if per else None,
        evidence_root=str(evidence) if evidence else None,
        requirements=requirements,
        confirmations=confirmations,
        confirm_source=source,
    )
    report.period_source = period_source
    return report


def _confirmations(workbook: PathLike, confirm: Union[bool, PathLike], found: list) -> tuple:
    """The office's confirmations and the file's name; a file that cannot be read is a finding."""
    from wenming_xl import findings as F
    from wenming_xl.outputs.workbooks.confirm import confirm_path, read_confirmations

    if confirm is False:
        return {}, ""
    path = confirm_path(workbook) if confirm is True else Path(confirm)
    try:
        return read_confirmations(path), path.name
    except WenmingError as exc:
        found.append(F.make("confirm-unreadable", path=path.name, reason=exc.message,
                            location=Location(str(path))))  # fmt: skip
        return {}, path.name


def month_check(
    workbook: PathLike, month: str, *, profile: Any, period: Optional[str] = None, **options: Any
) -> Report:
    """`run_check` as a month's documents count: the one period rule of every monthly run.

    The assessment period is ``period``, else the profile's ``[unit] period``, else the
    table title's year, else the month's year, cut at the month's end
    (:func:`wenming_xl.evidence.period.resolve_period`).
    ``options`` are `run_check`'s.
    """
    return run_check(workbook, period=period, month=month, **options)


# --------------------------------------------------------------------------- a standalone check


def import_writers() -> None:
    """Import the output writers and xlsxwriter while a large ledger parses.

    The writers import xlsxwriter when they run; importing it here takes it off the
    time between the end of the parse and the end of the run.
    """
    import xlsxwriter  # noqa: F401

    from wenming_xl.outputs.workbooks import dashboard, scored  # noqa: F401


def default_outputs(workbook: Path, out: Optional[Path]) -> tuple[Path, Path]:
    """Paths of the scored copy and the dashboard: ``<name>-评分.xlsx``, ``<name>-看板.xlsx``."""
    from wenming_xl.text import readable

    folder = out if out is not None else workbook.resolve().parent
    stem = readable(workbook.stem)  # a GBK-named table's outputs get a name people can read
    return folder / f"{stem}-评分.xlsx", folder / f"{stem}-看板.xlsx"


def own_outputs(workbook: Path) -> list[Path]:
    """What this tool writes beside ``workbook`` by default and finds there now.

    The scored copy, dashboard, 人工确认 workbook, 印发通知 and month bulletins, the
    ``督查`` and ``邮件草稿`` folders: when the workbook sits inside the evidence folder,
    none of them is a department's evidence (nor a misplaced file to report).
    """
    from wenming_xl.judge.confirm import CONFIRM_SUFFIX
    from wenming_xl.text import readable

    folder = workbook.resolve().parent
    found: list[Path] = []
    for stem in dict.fromkeys((workbook.stem, readable(workbook.stem))):
        for tail in ("-评分.xlsx", "-看板.xlsx", f"{CONFIRM_SUFFIX}.xlsx", "-印发通知.docx"):
            found.append(folder / f"{stem}{tail}")
    found += folder.glob("[0-9][0-9][0-9][0-9]-[0-9][0-9]-督查通报.docx")
    found += [folder / "督查", folder / "邮件草稿"]
    return [p for p in found if os.path.lexists(p)]


#: One written output: its Chinese label, its path and notes for the person who reads it.
Written = tuple[str, Path, list[str]]


def write_outputs(
    report: Report, workbook: Path, out: Optional[Path], *, history=None, password=None
) -> list[Written]:
    """Write the scored workbook and the dashboard; return (label, path, notes) for each."""
    from wenming_xl.files.writing import together
    from wenming_xl.outputs.workbooks.dashboard import write_dashboard
    from wenming_xl.outputs.workbooks.scored import write_scored_workbook

    scored_path, dash_path = default_outputs(Path(workbook), out)
    before = pair_note(scored_path, dash_path)
    with together():  # both complete before either is renamed into place
        res = write_scored_workbook(report, scored_path, password=password)
        dash = write_dashboard(report, dash_path, history=history, password=password)
    notes = list(res.notes) + ([before] if before else [])
    written = [("评分表", Path(res.path), notes), ("看板", Path(dash), [])]
    confirm = write_confirm_workbook(report, workbook)
    return written + ([confirm] if confirm else [])


_RUN_ID = re.compile(r"运行编号[：:]?\s*(\d{8}-\d{6}-[0-9a-f]+)")


def run_id_of(path: PathLike) -> Optional[str]:
    """The run that wrote an output workbook (its 运行编号 on 汇总 or 看板), else None."""
    from wenming_xl.files.native import open_calamine

    try:
        book = open_calamine(path)
        names = [n for n in book.sheet_names if n.startswith(("汇总", "看板"))]
        for name in names:
            for row in book.get_sheet_by_name(name).to_python(nrows=8):
                m = _RUN_ID.search(" ".join(str(v) for v in row if v not in (None, "")))
                if m:
                    return m.group(1)
    except Exception:  # an old output (no id), a file being replaced: nothing to compare
        return None
    return None


def pair_note(scored: PathLike, dash: PathLike) -> Optional[str]:
    """A note when the 评分表 and 看板 already there were written by different runs."""
    if not (Path(scored).is_file() and Path(dash).is_file()):
        return None
    a, b = run_id_of(scored), run_id_of(dash)
    if a is None or b is None or a == b:
        return None
    return (
        f"原有的评分表（运行编号 {a}）和看板（运行编号 {b}）不是同一次运行写出的，"
        "上次运行可能在写出时被中断；本次已重新写出两者，编号一致。"
    )


def write_confirm_workbook(report: Report, workbook: PathLike) -> Optional[Written]:
    """Rewrite the 人工确认 workbook beside the task table (keeping what the office wrote).

    None when no item needs a person; a file that cannot be written or read is a note,
    never a lost confirmation.
    """
    from wenming_xl.outputs.workbooks.confirm import (
        confirm_path,
        read_confirmations,
        waiting,
        write_confirmations,
    )

    path = confirm_path(workbook)
    try:
        written = write_confirmations(report, path, read_confirmations(path))
    except WenmingError as exc:
        return ("人工确认表", path, [f"没有更新：{exc.message}"])
    if written is None:
        return None
    n = len(waiting(report.items))
    note = f"{n} 项待人工确认：核对后在「人工确认」列填写“已确认”" if n else "没有待确认的条目"
    return ("人工确认表", written, [note])


@dataclass
class CheckRun:
    """What one standalone check did: its report and the files it wrote."""

    report: Report
    #: The scored workbook and the dashboard (empty with ``outputs=False``).
    written: list[Written] = field(default_factory=list)
    #: The month recorded in the history file, or None.
    recorded_month: Optional[str] = None
    #: The history file (and scan cache) used.
    db: Optional[Path] = None
    #: The JSON report written to a file, or None.
    json_path: Optional[Path] = None
    #: What could not be done while the rest went on (the history file was damaged…);
    #: the CLI exits with the first one's code after writing everything else.
    problems: list[WenmingError] = field(default_factory=list)


def check_workbook(
    workbook: PathLike,
    *,
    evidence: Optional[PathLike] = None,
    ledgers: Iterable[PathLike] = (),
    ledger_dir: Optional[PathLike] = None,
    period: Optional[str] = None,
    policy: str = "proportional",
    sheet: Optional[str] = None,
    config: Optional[PathLike] = None,
    out: Optional[PathLike] = None,
    outputs: bool = True,
    record: bool = False,
    month: Optional[str] = None,
    db: Optional[PathLike] = None,
    cache: bool = True,
    password: Optional[str] = None,
    json_path: Optional[PathLike] = None,
    progress: Optional[Callable[[int, int], Any]] = None,
    echo: Callable[[str], Any] = lambda message: None,
) -> CheckRun:
    """Check and score ``workbook`` and write what ``wenming check`` writes; return a `CheckRun`.

    The ledgers start parsing at once, in the background (see :func:`run_check`). With
    ``record`` the month (default: this month) goes into the history file ``db``
    (default: ``wenming.sqlite`` beside the workbook), and the dashboard shows the trend.
    ``outputs`` writes the scored workbook and the dashboard (into ``out``, default the
    workbook's folder); ``json_path`` writes the report as JSON. ``cache`` keeps the scan
    cache in ``db``. ``echo`` gets the lines a person should read while it runs (a lock
    file's warning, the month recorded, the JSON file written).
    """
    from wenming_xl.evidence.loader import SheetLoader
    from wenming_xl.evidence.paths import ledger_files

    workbook = Path(workbook)
    loader = SheetLoader(ledger_files(workbook, ledgers, ledger_dir))
    try:
        from wenming_xl.files.writing import lock_warning
        from wenming_xl.runs.history import default_db_path

        warning = lock_warning(workbook)
        if warning:
            echo(warning)
        db = Path(db) if db else default_db_path(workbook)
        report = run_check(
            workbook,
            evidence=evidence,
            ledgers=ledgers,
            ledger_dir=ledger_dir,
            period=period,
            policy=policy,
            sheet=sheet,
            config=config,
            progress=progress,
            db=db if cache else None,
            password=password,
            meanwhile=import_writers if outputs else None,
            loader=loader,
            # A month recorded in the history counts as every month's run does (DESIGN §4.4).
            month=month,
        )
    finally:
        loader.close()
    run = CheckRun(report=report, db=db)
    if evidence is None and not tuple(ledgers) and ledger_dir is None:
        if not any(r.evidence for r in report.items):
            echo(
                "提示：没有指定 --evidence（佐证材料文件夹）或 --ledger-dir（各部门台账文件夹），"
                "任务表里也没有佐证台账，所以每个条目都按没有材料计分。例如：wenming check "
                f'"{workbook.name}" --evidence 材料/ 或 --ledger-dir 台账/'
            )
    history = None
    if record:
        from wenming_xl.runs.history import open_history
        from wenming_xl.runs.monthly import current_month

        month = month or current_month()
        try:
            hist = open_history(db)
            try:
                hist.record(report, month)
                history = hist.trend()
            finally:
                hist.close()
        except WenmingError as exc:  # the scores and outputs still count: say what was left out
            run.problems.append(exc)
            echo(f"注意：本次结果没有记入历史（{month}），评分表和看板照常写出。{exc}")
        else:
            run.recorded_month = month
            echo(f"已记入历史：{month}（{db}）")
    if outputs:
        run.written = write_outputs(
            report, workbook, Path(out) if out else None, history=history, password=password
        )
    if json_path:
        from wenming_xl.files.writing import atomic_write
        from wenming_xl.runs.summary import json_text

        run.json_path = Path(json_path)
        with atomic_write(json_path, protect=workbook) as tmp:
            tmp.write_text(json_text(report.to_dict()), encoding="utf-8")
        echo(f"JSON 报告：{json_path}")
    return run
