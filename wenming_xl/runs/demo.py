"""``wenming demo``: the whole job on the embedded sample, printing what it did and where."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Callable

from wenming_xl.runs.sample import PERIOD, prepare_demo

DEMO_MONTH = "2022-06"
#: The day the demo's June bulletin and mails are dated: their deadline is 2022-07-15.
ISSUED = _dt.date(2022, 7, 1)


def run_demo(out: Path, echo: Callable[[str], None] = print) -> dict[str, Path]:
    """Build the sample in ``out``, check it, and write every output; return the paths."""
    from wenming_xl.config import load_profile
    from wenming_xl.runs.check import month_check, run_check, write_outputs
    from wenming_xl.runs.summary import render_summary

    out = Path(out).resolve()
    table, evidence = prepare_demo(out)
    echo(f"样例任务表：{table}")
    echo(f"样例佐证材料：{evidence}（按条目编号分文件夹，含几处故意留下的缺漏）")
    echo(f'同样的检查自己运行：wenming check "{table}" --evidence "{evidence}" --period {PERIOD}')
    report = run_check(table, evidence=evidence, period=PERIOD)
    echo("")
    echo(render_summary(report))
    echo("")
    paths: dict[str, Path] = {"任务表": table, "佐证材料": evidence}
    for label, path, notes in write_outputs(report, table, out / "输出"):
        paths[label] = path
        for note in notes:
            echo(f"  注意：{note}")
    profile = load_profile(None, table)
    # The June bulletin and mail count what a June run counts: 2022 up to the end of June.
    june = month_check(table, DEMO_MONTH, profile=profile, period=PERIOD, evidence=evidence)
    paths.update(_notices(report, june, profile, out / "输出"))
    paths.update(_mail(june, table, profile, out / "输出"))
    echo("生成的文件：")
    for label, path in paths.items():
        echo(f"  {label}：{path}")
    return paths


def _notices(report, june, profile, folder: Path) -> dict[str, Path]:
    from wenming_xl.outputs.notices.notice import bulletin_notice, publish_notice, write_notice

    unit = profile.unit.with_defaults(report.rubric.title)
    profile.unit = unit
    pub = write_notice(
        publish_notice(report.rubric, profile, number=23, date=_dt.date(2022, 2, 25)),
        folder / "印发通知.docx",
    )
    bul = write_notice(
        bulletin_notice(june, profile, month=DEMO_MONTH, number=56, date=ISSUED),
        folder / f"{DEMO_MONTH}-督查通报.docx",
    )
    return {"印发通知": Path(pub), "督查通报": Path(bul)}


def _mail(report, table: Path, profile, folder: Path) -> dict[str, Path]:
    from wenming_xl.outputs.mail.contacts import load_contacts
    from wenming_xl.outputs.mail.messages import build_messages, write_outbox

    contacts = load_contacts(table, profile)
    plan = build_messages(
        report,
        contacts,
        profile,
        month=DEMO_MONTH,
        sender=profile.smtp.sender or "wmb@example.org",
        now=_dt.datetime.combine(
            ISSUED, _dt.time(9)
        ).astimezone(),  # the bulletin's day and deadline
    )
    outbox = folder / "发件箱"
    write_outbox(plan, outbox)
    return {"督办邮件（未发送，.eml）": outbox}
