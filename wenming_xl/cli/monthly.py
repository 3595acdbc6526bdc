"""``wenming monthly``: the whole month in one command, safe to run twice."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import click

from wenming_xl.cli import echo_err
from wenming_xl.cli.options import config_option, evidence_options
from wenming_xl.config import load_profile
from wenming_xl.errors import ConfigError


@click.command("monthly")
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@evidence_options
@click.option("--month", help="督查月份 YYYY-MM（默认本月；考核期已结束时为考核期的最后一个月）。")
@click.option(
    "--out",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    help="输出文件夹（默认工作簿旁的「督查/年-月」）。",
)
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    help="历史库文件（默认工作簿旁的 wenming.sqlite）。",
)
@config_option
@click.option("--deadline", help="整改截止日期，例如 2022-06-25。")
@click.option(
    "--send/--dry-run",
    default=False,
    help="--send 通过邮件服务器发送；默认 --dry-run 邮件只生成 .eml 草稿、不发送（本月结果照常记入历史）。",
)
@click.option("--quiet", "-q", is_flag=True, help="不显示进度。")
def monthly_command(
    workbook: Path,
    evidence: Optional[Path],
    ledgers: tuple,
    ledger_dir: Optional[Path],
    period: Optional[str],
    password: Optional[str],
    month: Optional[str],
    out: Optional[Path],
    db: Optional[Path],
    config: Optional[Path],
    deadline: Optional[str],
    send: bool,
    quiet: bool,
) -> None:
    """每月一次：检查评分、记入历史、写评分表和看板、生成督查通报、给有问题的部门发督办邮件。

    同一个月重复运行是安全的：历史按月覆盖，已发出的邮件不会再发。

    \b
    例：
      wenming monthly 任务分工.xlsx --evidence 材料/ --dry-run
      wenming monthly 任务分工.xlsx --evidence 材料/ --month 2022-06 --send
    """
    from wenming_xl.cli import progress_bar
    from wenming_xl.cli.mail import _deadline, _password, render_plan
    from wenming_xl.runs.monthly import run_monthly
    from wenming_xl.runs.summary import render_summary

    if send and not load_profile(config, workbook).smtp.configured:
        raise ConfigError(
            "没有配置邮件服务器，无法发送。",
            hint="请在 wenming.toml 的 [smtp] 中填写 host、port、tls、from；或用 --dry-run 只生成邮件草稿。",
        )
    progress, close = progress_bar(quiet)
    try:
        result = run_monthly(
            workbook,
            evidence=evidence,
            ledgers=ledgers,
            ledger_dir=ledger_dir,
            month=month,
            period=period,
            out=out,
            db=db,
            config=config,
            deadline=_deadline(deadline),
            send=send,
            workbook_password=password,
            password=_password,
            progress=progress,
            echo=echo_err,
        )
    finally:
        close()
    click.echo(render_summary(result.report))
    click.echo("")
    click.echo(result.mail.render() if result.sent else render_plan(result.mail))
    click.echo("")
    for label, path in result.files.items():
        click.echo(f"{label}：{path}")
    if result.unrecorded:
        click.echo(f"注意：{result.unrecorded}；其余文件已写出。", err=True)
        click.get_current_context().exit(1)
    if not result.complete:
        click.echo("有邮件未发出，下次运行会补发（已发出的不会重复）。", err=True)
        click.get_current_context().exit(1)


COMMANDS = [monthly_command]
