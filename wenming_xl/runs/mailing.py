"""``wenming mail`` as a job: check, plan each department's message, write drafts or send.

:func:`mail_month` checks the workbook, plans the month's messages from the report, the
通讯录 and the history (what was already accepted this month is not sent again), writes
them as .eml drafts (``dry_run`` or ``outbox``) and, unless ``dry_run``, sends them over
the profile's SMTP server, logging each delivery. It returns a `MailRun` to show.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional, Union

from wenming_xl.config import load_profile
from wenming_xl.errors import ConfigError

PathLike = Union[str, Path]


@dataclass
class MailRun:
    """What a mail run did: the plan, the drafts written, and the send result (if sent)."""

    plan: Any
    outbox: Optional[Path] = None
    drafts: list[Path] = field(default_factory=list)
    #: The `SendResult` of sending, or None on a dry run.
    sent: Any = None


def mail_month(
    workbook: PathLike,
    *,
    month: str,
    evidence: Optional[PathLike] = None,
    ledgers: Iterable[PathLike] = (),
    ledger_dir: Optional[PathLike] = None,
    period: Optional[str] = None,
    password: Optional[str] = None,
    dry_run: bool = False,
    outbox: Optional[PathLike] = None,
    config: Optional[PathLike] = None,
    db: Optional[PathLike] = None,
    deadline: Optional[_dt.date] = None,
    smtp_password: Optional[Callable[[str], str]] = None,
    on_sent: Optional[Callable[[Any], Any]] = None,
    echo: Callable[[str], Any] = lambda message: None,
) -> MailRun:
    """Check ``workbook`` and mail every department its own gaps (or write .eml drafts).

    ``smtp_password(user)`` supplies the 授权码 when the profile's SMTP server has a user;
    ``on_sent(row)`` is told of each department's delivery as it happens.
    """
    from wenming_xl.evidence.period import parse_month, settle_deadline
    from wenming_xl.outputs.mail.messages import DRAFT_SENDER, plan_month, write_outbox
    from wenming_xl.outputs.mail.sender import send_plan
    from wenming_xl.runs.check import month_check
    from wenming_xl.runs.history import default_db_path, open_history

    workbook = Path(workbook)
    month = parse_month(month)
    profile = load_profile(config, workbook)
    if not dry_run and not profile.smtp.configured:
        raise ConfigError(
            "没有配置邮件服务器，无法发送。",
            hint="请在 wenming.toml 的 [smtp] 中填写 host、port、tls、from；或加 --dry-run 只生成邮件文件。",
        )
    deadline, note = settle_deadline(month, deadline, _dt.date.today())
    if note:
        echo(note)
    echo(f"正在检查 {workbook.name} …")
    report = month_check(
        workbook,
        month,
        profile=profile,
        evidence=evidence,
        ledgers=ledgers,
        ledger_dir=ledger_dir,
        period=period,
        config=config,
        password=password,
    )
    with open_history(db or default_db_path(workbook)) as history:
        sender = profile.smtp.sender or (DRAFT_SENDER if dry_run else "")
        plan = plan_month(
            report,
            workbook=workbook,
            profile=profile,
            history=history,
            month=month,
            deadline=deadline,
            sender=sender,
        )
        run = MailRun(plan=plan)
        if dry_run or outbox:
            run.outbox = Path(outbox) if outbox else workbook.resolve().parent / "邮件草稿" / month
            run.drafts = list(write_outbox(plan, run.outbox))
            echo(f"已生成 {len(run.drafts)} 封邮件：{run.outbox}")
            if plan.no_address:
                echo(
                    f"其中 {len(plan.no_address)} 封（文件名带“无邮箱”）没有收件人：可打开后填写收件人转发；"
                    "在任务表的「通讯录」工作表（部门、负责人、邮箱）或 wenming.toml 的 [departments] "
                    "中填写邮箱后，即可直接发送。"
                )
        if dry_run:
            return run
        secret = None
        if profile.smtp.user and smtp_password is not None:
            secret = smtp_password(profile.smtp.user)
        run.sent = send_plan(
            plan,
            profile.smtp,
            password=secret,
            history=history,
            month=month,
            progress=on_sent,
        )
    return run
