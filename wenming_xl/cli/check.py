"""Core commands: ``wenming check`` and ``wenming demo``."""

from __future__ import annotations

from pathlib import Path

import click

from wenming_xl.cli import echo_err, progress_bar
from wenming_xl.cli.options import config_option, evidence_options

COMMANDS: list = []


def _command(fn):
    COMMANDS.append(fn)
    return fn


def _policy(value: str) -> str:
    """--policy in English or Chinese; a wrong one is a usage error in Chinese."""
    from wenming_xl.errors import ConfigError
    from wenming_xl.judge.scoring import check_policy

    try:
        return check_policy(value)
    except ConfigError as exc:
        raise click.BadParameter(f"{exc.message}{exc.hint or ''}") from exc


@_command
@click.command("check")
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@evidence_options
@config_option
@click.option(
    "--policy",
    default="proportional",
    callback=lambda _ctx, _param, value: _policy(value),
    help="评分方式：按比例（proportional，按完成比例给分）、全有或全无（all-or-nothing，"
    "全部达到才给分）、分档（grade，A/B/C/C# 档 = 100%/66%/33%/0%）；默认按比例。",
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
@click.option("--month", help="记入历史的月份 YYYY-MM（默认本月）；给出时只统计到该月底的材料。")
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
    from wenming_xl.runs.check import check_workbook
    from wenming_xl.runs.process import end_own_process, tune_gc_for_one_large_run

    tune_gc_for_one_large_run()  # before the ledger loader starts
    progress, close = progress_bar(quiet)
    try:
        run = check_workbook(
            workbook,
            evidence=evidence,
            ledgers=ledgers,
            ledger_dir=ledger_dir,
            period=period,
            policy=policy,
            sheet=sheet,
            config=config,
            out=out,
            outputs=not no_outputs,
            record=record,
            month=month,
            db=db,
            cache=not no_cache,
            password=password,
            json_path=json_out if json_out and json_out != "-" else None,
            progress=progress,
            echo=echo_err,
        )
    finally:
        close()
    from wenming_xl.runs.summary import json_text, render_summary

    if json_out == "-":
        click.echo(json_text(run.report.to_dict()))
    else:
        click.echo(render_summary(run.report))
    for label, path, notes in run.written:
        echo_err(f"{label}：{path}")
        for note in notes:
            echo_err(f"  注意：{note}")
    if run.problems:  # written what could be written; a scheduled run must still see it failed
        raise click.exceptions.Exit(run.problems[0].exit_code)
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
    from wenming_xl.runs.demo import run_demo

    run_demo(out, echo=click.echo)
