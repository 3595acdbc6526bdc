"""``wenming mail``: check, then mail every department its own gaps (or write .eml drafts)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

import click

from wenming_xl.cli import echo_err
from wenming_xl.cli.options import config_option, evidence_options
from wenming_xl.config import PASSWORD_ENV
from wenming_xl.errors import ConfigError, MailError
from wenming_xl.text import find_date


def _deadline(text: Optional[str]):
    if not text:
        return None
    day = find_date(text)
    if day is None:
        raise ConfigError(
            f"截止日期「{text}」无法识别。", hint="请写成 年-月-日，例如 --deadline 2022-06-25。"
        )
    return day


def _password(user: str) -> str:
    """The password or 授权码: from the environment, else a hidden prompt on a terminal."""
    secret = os.environ.get(PASSWORD_ENV, "")
    if secret:
        return secret
    if not sys.stdin.isatty():
        raise MailError(
            f"登录邮件服务器需要 {user} 的密码或授权码。",
            hint=f"计划任务中运行时，请把授权码放在环境变量 {PASSWORD_ENV} 中。",
        )
    return click.prompt(f"请输入 {user} 的邮箱授权码（输入时不显示）", hide_input=True, err=True)


@click.command("mail")
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@evidence_options
@click.option("--month", required=True, help="督查月份，例如 2022-06。")
@click.option(
    "--dry-run",
    is_flag=True,
    help="不发送，只把每封邮件写成 .eml 文件，可双击用 Outlook/Foxmail 打开。",
)
@click.option(
    "--outbox",
    type=click.Path(file_okay=False, path_type=Path),
    help="存放 .eml 文件的文件夹；默认为工作簿旁的「邮件草稿/年-月」。",
)
@config_option
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    help="历史记录文件；默认为工作簿旁的 wenming.sqlite。",
)
@click.option("--deadline", help="整改截止日期，写进邮件，例如 2022-06-25。")
def mail_command(
    workbook: Path,
    evidence: Optional[Path],
    ledgers: tuple,
    ledger_dir: Optional[Path],
    period: Optional[str],
    password: Optional[str],
    month: str,
    dry_run: bool,
    outbox: Optional[Path],
    config: Optional[Path],
    db: Optional[Path],
    deadline: Optional[str],
) -> None:
    """检查佐证材料，给每个有问题的部门发一封督查提醒邮件（附本部门督查清单）。

    \b
    邮件服务器写在 wenming.toml 的 [smtp] 中；通讯录来自工作簿中的「通讯录」工作表
    或 wenming.toml 的 [departments]。授权码放在环境变量 WENMING_SMTP_PASSWORD 中，
    或运行时按提示输入，不会保存。同一个月重复运行只补发尚未发出的邮件。

    \b
    示例：
      wenming mail 任务分工.xlsx --evidence 材料/ --month 2022-06 --dry-run
      wenming mail 任务分工.xlsx --evidence 材料/ --month 2022-06 --deadline 2022-06-25
    """
    from wenming_xl.outputs.mail.sender import STATUS_TEXT
    from wenming_xl.runs.mailing import mail_month

    run = mail_month(
        workbook,
        month=month,
        evidence=evidence,
        ledgers=ledgers,
        ledger_dir=ledger_dir,
        period=period,
        password=password,
        dry_run=dry_run,
        outbox=outbox,
        config=config,
        db=db,
        deadline=_deadline(deadline),
        smtp_password=_password,
        on_sent=lambda row: echo_err(f"  {row.department}：{STATUS_TEXT[row.status]}"),
        echo=echo_err,
    )
    if dry_run:
        click.echo(render_plan(run.plan))
        return
    click.echo(run.sent.render())
    if not run.sent.complete:
        click.get_current_context().exit(1)


def render_plan(plan) -> str:
    """The dry run's table: who would get a message, who has gaps but no address."""
    from wenming_xl.outputs.mail.sender import render_table

    rows = [["部门", "收件人", "待整改条目", "说明"]]
    for m in plan.messages:
        rows.append([m.department, ", ".join(m.recipients), str(len(m.gaps)), m.attachment_name])
    for u in plan.no_address:
        rows.append([u.department, "", str(u.gaps), f"无法发送：{u.reason}"])
    summary = f"{plan.month}：{len(plan.messages)} 封邮件待发送"
    if plan.no_address:
        summary += (
            f"；{len(plan.no_address)} 个部门缺少邮箱，它们的邮件草稿（「…-无邮箱.eml」，没有收件人）"
            "也已写出，可以转发或打印；在通讯录或 wenming.toml 的 [departments] 中填好邮箱后即可发送"
        )
    summary += "。"
    if len(rows) == 1:
        return summary + "\n所有部门本月均已达标，无需发送。"
    return render_table(rows) + "\n" + summary


COMMANDS = [mail_command]
