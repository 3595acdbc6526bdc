"""Core commands: ``wenming check`` and ``wenming demo``."""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import click

from . import end_own_process
from .options import config_option, evidence_options

if TYPE_CHECKING:
    from ..model import Report

COMMANDS: list = []


def _command(fn):
    COMMANDS.append(fn)
    return fn


def _fmt(value: Any) -> str:
    from ..model import num

    v = num(value)
    return "—" if v is None else f"{float(v):g}"


def _width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    """Pad (or cut) ``text`` to ``width`` terminal columns."""
    while _width(text) > width:
        text = text[:-1]
    fill = " " * (width - _width(text))
    return fill + text if right else text + fill


def render_summary(report: Report) -> str:
    """A short Chinese summary table of a report for the terminal."""
    from ..model import STATUS_LABELS

    lines = [report.rubric.title or Path(report.rubric.path).name]
    extra = []
    if report.bonus:
        extra.append(f"加分 {_fmt(report.bonus)}")
    if report.deductions:
        extra.append(f"扣分 {_fmt(report.deductions)}")
    scored = bool(report.max_total) or any(r.item.points for r in report.items)
    if scored:
        total = f"总分 {_fmt(report.total)} / {_fmt(report.max_total)}"
        lines.append(total + (f"（{'，'.join(extra)}）" if extra else ""))
        lines += ["", _pad("类别", 44) + "得分 / 满分"]
    else:
        lines.append("此任务表没有分值列，只统计各条目的完成状态。")
    for c in report.categories if scored else []:
        if c.kind == "deduction":
            shown = f"扣 {_fmt(-c.score)}"
        else:
            top = c.cap if c.cap is not None else c.points_sum
            shown = f"{_fmt(c.score)} / {_fmt(top)}"
        lines.append("  " + _pad(c.name, 42) + shown)
    counts: dict[str, int] = {}
    for r in report.items:
        counts[r.status] = counts.get(r.status, 0) + 1
    lines += [
        "",
        "条目状态：" + "，".join(f"{STATUS_LABELS[s]} {n}" for s, n in counts.items()),
        "",
    ]
    lines.append(
        _pad("部门", 16)
        + _pad("条目", 6, True)
        + _pad("达标", 6, True)
        + (_pad("得分 / 满分", 16, True) + _pad("待补分", 10, True) if scored else "")
    )
    for d in sorted(report.departments, key=lambda d: (-float(d.at_stake), d.name)):
        lines.append(
            "  "
            + _pad(d.name, 14)
            + _pad(str(len(d.items)), 6, True)
            + _pad(str(d.met), 6, True)
            + (
                _pad(f"{_fmt(d.score)} / {_fmt(d.max)}", 16, True)
                + _pad(_fmt(d.at_stake), 10, True)
                if scored
                else ""
            )
        )
    errors = [f for f in report.all_findings() if f.severity == "error"]
    if errors:
        lines += [
            "",
            f"问题 {len(errors)} 条"
            + ("（前 10 条，全部见评分表「问题清单」）：" if len(errors) > 10 else "："),
        ]
        lines += [f"  [{f.code}] {f.message}" for f in errors[:10]]
    return "\n".join(lines)


def _progress_factory(quiet: bool, label: str = "扫描佐证材料"):
    """A progress callback drawing a bar (``label``) on stderr when it is a terminal."""
    if quiet or not sys.stderr.isatty():
        return None, lambda: None
    state: dict[str, Any] = {}

    def progress(done: int, total: int) -> None:
        if "bar" not in state and total:
            state["bar"] = click.progressbar(length=total, label=label, file=sys.stderr)
            state["bar"].__enter__()
            state["n"] = 0
        if "bar" in state:
            state["bar"].update(done - state["n"])
            state["n"] = done

    def close() -> None:
        if "bar" in state:
            state["bar"].__exit__(None, None, None)

    return progress, close


def json_text(data: Any, depth: int = 4) -> str:
    """Report JSON indented by two spaces down to ``depth`` levels, each deeper value on one line.

    ``json.dumps(indent=…)`` runs in pure Python; below ``depth`` the C encoder writes each
    value (one finding, one piece of evidence) compactly, which keeps a 20,000-row ledger's
    report fast while people can still read it.
    """
    enc = json.JSONEncoder(ensure_ascii=False).encode
    parts: list[str] = []

    def walk(value: Any, level: int) -> None:
        if level >= depth or not isinstance(value, (dict, list)) or not value:
            parts.append(enc(value))
            return
        pad = "\n" + "  " * (level + 1)
        opening, closing = ("{", "}") if isinstance(value, dict) else ("[", "]")
        parts.append(opening)
        pairs = value.items() if isinstance(value, dict) else ((None, v) for v in value)
        for n, (key, sub) in enumerate(pairs):
            parts.append(("," if n else "") + pad)
            if key is not None:
                parts.append(enc(str(key)) + ": ")
            walk(sub, level + 1)
        parts.append("\n" + "  " * level + closing)

    walk(data, 0)
    return "".join(parts)


def _import_writers() -> None:
    """Import the output writers and xlsxwriter while a large ledger parses.

    The writers import xlsxwriter when they run; importing it here takes it off the
    time between the end of the parse and the end of the run.
    """
    import xlsxwriter  # noqa: F401

    from ..outputs import dashboard, scored_xlsx  # noqa: F401


def default_outputs(workbook: Path, out: Optional[Path]) -> tuple[Path, Path]:
    """Paths of the scored copy and the dashboard: ``<name>-评分.xlsx``, ``<name>-看板.xlsx``."""
    folder = out if out is not None else workbook.resolve().parent
    return folder / f"{workbook.stem}-评分.xlsx", folder / f"{workbook.stem}-看板.xlsx"


def write_outputs(
    report: Report, workbook: Path, out: Optional[Path], *, history=None, password=None
) -> list[tuple[str, Path, list[str]]]:
    """Write the scored workbook and the dashboard; return (label, path, notes) for each."""
    from ..outputs.dashboard import write_dashboard
    from ..outputs.scored_xlsx import write_scored_workbook

    scored_path, dash_path = default_outputs(workbook, out)
    res = write_scored_workbook(report, scored_path, password=password)
    dash = write_dashboard(report, dash_path, history=history)
    return [("评分表", Path(res.path), list(res.notes)), ("看板", Path(dash), [])]


@_command
@click.command("check")
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@evidence_options
@config_option
@click.option(
    "--policy",
    type=click.Choice(["proportional", "all-or-nothing", "grade"]),
    default="proportional",
    show_default=True,
    help="评分方式。",
)
@click.option("--sheet", help="任务表所在工作表（默认自动查找）。")
@click.option(
    "--out",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    help="输出文件夹（默认与工作簿同一文件夹）。",
)
@click.option(
    "--json",
    "json_out",
    metavar="FILE",
    help="把报告写成 JSON；用 - 表示输出到屏幕（此时屏幕只有 JSON）。",
)
@click.option("--no-outputs", is_flag=True, help="只检查评分，不写评分表和看板。")
@click.option("--record", is_flag=True, help="把本月结果记入历史库（用于看板趋势和“较上月”）。")
@click.option("--month", help="记入历史的月份 YYYY-MM（默认本月）。")
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    help="历史库和扫描缓存文件（默认工作簿旁的 wenming.sqlite）。",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="不使用扫描缓存（每个文件都重新读取；默认只读取有变动的文件）。",
)
@click.option("--quiet", "-q", is_flag=True, help="不显示进度。")
def check_cmd(
    workbook,
    evidence,
    ledgers,
    ledger_dir,
    period,
    policy,
    sheet,
    config,
    out,
    json_out,
    no_outputs,
    record,
    month,
    db,
    no_cache,
    password,
    quiet,
):
    """检查佐证材料并按考核方式评分，写出评分表和看板。

    \b
    例：
      wenming check 任务分工.xlsx --evidence 材料/ --period 2022
      wenming check 任务分工.xlsx --ledger-dir 台账/ --json -
    """
    from ..ledger_load import SheetLoader
    from ..ledger_paths import ledger_files
    from . import tune_gc_for_one_large_run

    tune_gc_for_one_large_run()
    # A large ledger starts parsing now, in the background, while the rest loads.
    loader = SheetLoader(ledger_files(workbook, ledgers, ledger_dir))
    close = None
    try:
        from ..fileio import lock_warning
        from ..history import default_db_path
        from ..pipeline import run_check

        warning = lock_warning(workbook)
        if warning:
            click.echo(warning, err=True)
        db = db or default_db_path(workbook)
        progress, close = _progress_factory(quiet)
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
            db=None if no_cache else db,
            password=password,
            meanwhile=None if no_outputs else _import_writers,
            loader=loader,
        )
    finally:
        loader.close()
        if close is not None:
            close()
    history = None
    if record:
        from ..history import open_history
        from ..monthly import current_month

        month = month or current_month()
        hist = open_history(db)
        try:
            hist.record(report, month)
            history = hist.trend()
        finally:
            hist.close()
        click.echo(f"已记入历史：{month}（{db}）", err=True)
    written = (
        []
        if no_outputs
        else write_outputs(report, workbook, out, history=history, password=password)
    )
    data = report.to_dict()
    if json_out == "-":
        click.echo(json_text(data))
    else:
        if json_out:
            from ..fileio import atomic_write

            with atomic_write(json_out, protect=workbook) as tmp:
                tmp.write_text(json_text(data), encoding="utf-8")
            click.echo(f"JSON 报告：{json_out}", err=True)
        click.echo(render_summary(report))
    for label, path, notes in written:
        click.echo(f"{label}：{path}", err=True)
        for note in notes:
            click.echo(f"  注意：{note}", err=True)
    end_own_process()  # everything is written: skip freeing the report object by object


@_command
@click.command("demo")
@click.option(
    "--out",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("wenming-demo"),
    show_default=True,
    help="演示输出文件夹。",
)
def demo_cmd(out: Path):
    """用内置样例（2022 年任务分工表 + 佐证材料文件夹）跑一遍完整流程。

    \b
    例：
      wenming demo --out 演示
    """
    from ..demo import run_demo

    run_demo(out, echo=click.echo)
