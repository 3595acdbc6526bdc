"""The monthly run: check, record, scored workbook, dashboard, 督查通报 and mails in one call.

Safe to run twice: recording a month replaces that month, outputs are rewritten
atomically, and the mail log in the history database keeps a department from getting
the same month's mail twice.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional, Union

from wenming_xl.errors import WenmingError
from wenming_xl.model import Report

PathLike = Union[str, Path]


@dataclass
class MonthlyResult:
    """What one monthly run did: the report, the files written, the mail outcome."""

    month: str
    report: Report
    files: dict[str, Path] = field(default_factory=dict)
    mail: Any = None  # SendResult when sent, MailPlan when only drafted
    sent: bool = False
    #: Why the month was not recorded (a damaged history file), in Chinese; "" when it was.
    unrecorded: str = ""

    @property
    def complete(self) -> bool:
        """False while some mail failed or is still pending (the next run sends it)."""
        return not self.sent or bool(getattr(self.mail, "complete", True))


def current_month(today: Optional[_dt.date] = None) -> str:
    """``YYYY-MM`` of today (or of ``today``)."""
    return (today or _dt.date.today()).strftime("%Y-%m")


def default_month(
    workbook: Path, period: Optional[str], profile: Any, password: Optional[str] = None
) -> str:
    """The month a run without ``--month`` reports: this month, or the period's last month.

    A campaign's year is over when its report is made (a cron run on 1 January, an office
    catching up in spring): then the period's last month is reported, not a month of
    another year in which nothing of this table can count.
    """
    from wenming_xl.evidence.period import resolve_period
    from wenming_xl.tables.rubric import load_rubric

    now = current_month()
    try:
        title = load_rubric(workbook, password=password).title
    except Exception:  # noqa: BLE001 — the check itself will say what is wrong with the table
        title = None
    base, _source = resolve_period(period, profile.unit.period, title)
    if base is not None and f"{base.end:%Y-%m}" < now:
        return f"{base.end:%Y-%m}"
    return now


def run_monthly(
    workbook: PathLike,
    *,
    evidence: Optional[PathLike] = None,
    ledgers: Iterable[PathLike] = (),
    ledger_dir: Optional[PathLike] = None,
    month: Optional[str] = None,
    period: Optional[str] = None,
    out: Optional[PathLike] = None,
    db: Optional[PathLike] = None,
    config: Optional[PathLike] = None,
    deadline: Optional[_dt.date] = None,
    send: bool = False,
    password: Optional[Callable[[str], str]] = None,
    workbook_password: Optional[str] = None,
    progress: Optional[Callable[[int, int], Any]] = None,
    echo: Callable[[str], None] = lambda _m: None,
) -> MonthlyResult:
    """Run the whole month for one task workbook and return what was done.

    Outputs go to ``out`` (default: a folder 「督查/<month>」 beside the workbook). With
    ``send`` the mails go over SMTP (``password(user)`` supplies the 授权码 when the
    profile has a ``user``); without it they are written as ``.eml`` drafts.
    ``workbook_password`` opens an encrypted task workbook (the scored copy is encrypted too).
    """
    from wenming_xl.config import load_profile
    from wenming_xl.evidence.period import parse_month, settle_deadline
    from wenming_xl.outputs.mail.messages import DRAFT_SENDER, plan_month, write_outbox
    from wenming_xl.outputs.notices.kinds import bulletin_notice
    from wenming_xl.outputs.notices.notice import write_notice
    from wenming_xl.runs.check import month_check, write_outputs
    from wenming_xl.runs.history import default_db_path, open_history

    workbook = Path(workbook)
    profile = load_profile(config, workbook)
    if month is None:
        month = default_month(workbook, period, profile, workbook_password)
        echo(f"未指定 --month，按 {month} 统计。")
    month = parse_month(month)
    folder = Path(out) if out else workbook.resolve().parent / "督查" / month
    deadline, note = settle_deadline(month, deadline, _dt.date.today())
    if note:
        echo(note)
    echo(f"正在检查 {workbook.name}（{month}）…")
    report = month_check(
        workbook,
        month,
        profile=profile,
        evidence=evidence,
        ledgers=ledgers,
        ledger_dir=ledger_dir,
        period=period,
        config=config,
        progress=progress,
        password=workbook_password,
    )
    result = MonthlyResult(month=month, report=report)
    history_path = Path(db) if db else default_db_path(workbook)
    try:
        opened = open_history(history_path)
    except WenmingError as exc:
        if send:  # the mail log is in it: without it a month's mail could go out twice
            raise WenmingError(
                f"{exc.message} 没有发送任何邮件：历史文件里记着本月已发出的邮件，读不到就可能重复发送。",
                path=str(history_path),
                hint=(exc.hint or "")
                + " 修复或移走该文件后再运行；也可以先去掉 --send，只生成草稿。",
            ) from exc
        echo(f"注意：{exc.message} 本月没有记入历史，督查通报没有“较上月”；邮件只写成草稿。")
        opened = None
    result.unrecorded = (
        "" if opened is not None else f"{history_path.name} 无法使用，本月没有记入历史"
    )
    with opened if opened is not None else contextlib.nullcontext() as history:
        previous = history.previous(month) if history is not None else None
        if history is not None:
            history.record(report, month)
            echo(f"已记入历史：{month}")
        trend = history.trend() if history is not None else None
        for label, path, notes in write_outputs(
            report, workbook, folder, history=trend, password=workbook_password
        ):
            result.files[label] = path
            for note in notes:
                echo(f"  注意：{note}")
        bulletin = bulletin_notice(
            report, profile, month=month, previous=previous, deadline=deadline
        )
        result.files["督查通报"] = Path(write_notice(bulletin, folder / f"{month}-督查通报.docx"))
        sender = profile.smtp.sender or ("" if send else DRAFT_SENDER)
        plan = plan_month(
            report,
            workbook=workbook,
            profile=profile,
            history=history,
            month=month,
            deadline=deadline,
            sender=sender,
        )
        drafts = folder / "邮件草稿"
        write_outbox(plan, drafts)
        result.files["邮件草稿"] = drafts
        result.mail = plan
        if send:
            from wenming_xl.outputs.mail.sender import send_plan

            secret = password(profile.smtp.user) if (password and profile.smtp.user) else None
            result.mail = send_plan(
                plan, profile.smtp, password=secret, history=history, month=month
            )
            result.sent = True
    return result
