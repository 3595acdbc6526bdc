"""Ready for the assessors: ``wenming binder`` and ``wenming pack`` as library calls.

Both run the same check as ``wenming check`` (`runs.check.run_check`, with the same
scan cache beside the workbook) and build from exactly what it counted. The period is
the one rule of every command (DESIGN §4.4, `evidence.period.resolve_period` inside
`run_check`): ``period``, else ``[unit] period``, else the year of the table's title;
without any, every date counts and the run says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional, Union

PathLike = Union[str, Path]
Echo = Callable[[str], Any]

#: The binder's cache of print copies and page pictures, inside its folder (may be deleted).
CACHE_NAME = ".缓存-可删除"


@dataclass
class ReadyRun:
    """What `make_binder` or `make_pack` did: the report it was built from and the files."""

    report: Any
    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: `outputs.assessors.binder.BinderResult` or `outputs.assessors.pack.PackResult`.
    detail: Any = None


def checked(
    workbook: PathLike,
    *,
    evidence: Optional[PathLike] = None,
    ledgers: Iterable[PathLike] = (),
    ledger_dir: Optional[PathLike] = None,
    period: Optional[str] = None,
    config: Optional[PathLike] = None,
    sheet: Optional[str] = None,
    password: Optional[str] = None,
    progress: Optional[Callable[[int, int], Any]] = None,
    echo: Echo = lambda message: None,
) -> tuple[Any, Any]:
    """The check both outputs are built from, and the unit profile: (`Report`, `Profile`)."""
    from wenming_xl.config import load_profile
    from wenming_xl.runs.check import run_check
    from wenming_xl.runs.history import default_db_path

    profile = load_profile(config, workbook)
    report = run_check(  # the period by the one rule of every command (run_check resolves it)
        workbook,
        evidence=evidence,
        ledgers=ledgers,
        ledger_dir=ledger_dir,
        period=period,
        sheet=sheet,
        config=config,
        progress=progress,
        db=default_db_path(Path(workbook)),
        password=password,
    )
    if report.period is None:
        echo("提示：没有考核期（--period、wenming.toml 的 [unit] period、任务表标题的年份都没有），"
             "所有日期的材料都收入。")  # fmt: skip
    if not any(e.counted for r in report.items for e in r.evidence):
        echo(
            "提示：没有任何计入的材料；请用 --evidence 指定佐证材料文件夹或 --ledger-dir 指定台账文件夹。"
        )
    return report, profile


def outside_inputs(out: PathLike, folders: Iterable[Optional[PathLike]], what: str) -> None:
    """Refuse an output folder inside the evidence (or ledger) folder: the next check would read it."""
    from wenming_xl.errors import OutputError

    target = Path(out).resolve()
    for folder in folders:
        if folder is None:
            continue
        root = Path(folder).resolve()
        if target == root or root in target.parents:
            raise OutputError(
                f"{what}不能放在 {root} 里面：那里的文件下次检查时会被当作佐证材料。",
                path=str(target),
                hint="请用 --out 指定这个文件夹以外的地方，例如任务表旁边的「迎检资料」「报送包」。",
            )


def _unit_and_year(report: Any, profile: Any) -> tuple[str, str]:
    unit = profile.unit.with_defaults(report.rubric.title).name
    label = report.period or ""
    year = label[:4] + "年度" if label[:4].isdigit() else (label or "（未指定考核期）")
    return unit, year


def make_binder(
    workbook: PathLike,
    *,
    out: PathLike,
    evidence: Optional[PathLike] = None,
    ledgers: Iterable[PathLike] = (),
    ledger_dir: Optional[PathLike] = None,
    period: Optional[str] = None,
    config: Optional[PathLike] = None,
    sheet: Optional[str] = None,
    password: Optional[str] = None,
    photos_per_page: Optional[int] = None,
    pdf: bool = False,
    workers: Optional[int] = None,
    progress: Optional[Callable[[int, int], Any]] = None,
    echo: Echo = lambda message: None,
) -> ReadyRun:
    """Check ``workbook`` and write the 迎检资料 binder into ``out``; with ``pdf`` the PDFs too."""
    from wenming_xl.outputs.assessors.binder import write_binder

    outside_inputs(out, [evidence, ledger_dir], "迎检资料文件夹")
    report, profile = checked(workbook, evidence=evidence, ledgers=ledgers, ledger_dir=ledger_dir,
                              period=period, config=config, sheet=sheet, password=password,
                              progress=progress, echo=echo)  # fmt: skip
    unit, year = _unit_and_year(report, profile)
    out = Path(out)
    result = write_binder(report, out, unit=unit, year=year, settings=profile.binder,
                          cache=out / CACHE_NAME, per_page=photos_per_page, workers=workers,
                          echo=echo)  # fmt: skip
    run = ReadyRun(report, list(result.files), list(result.notes), result)
    if pdf:
        run.files += _pdfs(result.files, out, echo, run.notes)
    return run


def _pdfs(files: list[Path], out: Path, echo: Echo, notes: list[str]) -> list[Path]:
    """Convert the written Word files to PDF beside them, in one LibreOffice run."""
    from wenming_xl.errors import OutputError
    from wenming_xl.outputs.notices.pdf import convert_many, find_soffice

    if find_soffice() is None:
        raise OutputError("无法生成 PDF：本机没有安装 LibreOffice（Word 文件已生成）。",
                          hint="安装 LibreOffice 后重新运行，或用 Word/WPS 打开后“另存为 PDF”。")  # fmt: skip
    echo("正在用 LibreOffice 转换 PDF（照片多时需要几分钟）…")
    work = out / CACHE_NAME / "pdf-out"
    import shutil

    shutil.rmtree(work, ignore_errors=True)
    got = convert_many([str(f) for f in files], work, timeout=600)
    done = []
    for src, pdf in got.items():
        if isinstance(pdf, Path):
            target = Path(src).with_suffix(".pdf")
            from wenming_xl.files.writing import atomic_write

            with atomic_write(target) as tmp:
                shutil.copyfile(pdf, tmp)
            echo(f"已生成：{target}")
            done.append(target)
        else:
            notes.append(f"{Path(src).name} 没有转成 PDF：{pdf}")
    shutil.rmtree(work, ignore_errors=True)
    return done


def make_pack(
    workbook: PathLike,
    *,
    out: PathLike,
    evidence: Optional[PathLike] = None,
    ledgers: Iterable[PathLike] = (),
    ledger_dir: Optional[PathLike] = None,
    period: Optional[str] = None,
    config: Optional[PathLike] = None,
    sheet: Optional[str] = None,
    password: Optional[str] = None,
    max_image_kb: Optional[int] = None,
    max_file_mb: Optional[int] = None,
    workers: Optional[int] = None,
    progress: Optional[Callable[[int, int], Any]] = None,
    echo: Echo = lambda message: None,
) -> ReadyRun:
    """Check ``workbook`` and build the upload pack in ``out`` (built beside it, moved in whole)."""
    from wenming_xl.outputs.assessors.pack import write_pack

    outside_inputs(out, [evidence, ledger_dir], "报送包文件夹")
    report, profile = checked(workbook, evidence=evidence, ledgers=ledgers, ledger_dir=ledger_dir,
                              period=period, config=config, sheet=sheet, password=password,
                              progress=progress, echo=echo)  # fmt: skip
    settings = profile.pack
    result = write_pack(
        report,
        Path(out),
        template=settings.name,
        max_image=(max_image_kb or settings.max_image_kb) * 1024,
        max_file=(max_file_mb or settings.max_file_mb) * 1024 * 1024,
        workers=workers,
        protect=Path(workbook),
        echo=echo,
    )
    return ReadyRun(report, [result.manifest], list(result.notes), result)
