"""``wenming monthly`` end to end: check, record, outputs, bulletin, mail — and safe to run twice."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from docx import Document
from mailservers import SmtpServer  # tests/smtpd.py: aiosmtpd on 127.0.0.1

from wenming_xl.cli import cli
from wenming_xl.runs.check import run_check
from wenming_xl.runs.history import open_history
from wenming_xl.runs.sample import prepare_demo


def _setup(folder: Path, port: int) -> tuple[Path, Path]:
    table, evidence = prepare_demo(folder)
    with open(folder / "wenming.toml", "a", encoding="utf-8") as fh:
        fh.write(
            f'\n[smtp]\nhost = "127.0.0.1"\nport = {port}\ntls = "none"\nfrom = "wmb@example.org"\nrate_per_minute = 60000\n'
        )
    return table, evidence


def _text(docx: Path) -> str:
    doc = Document(str(docx))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def test_two_months_trend_and_no_mail_twice(tmp_path):
    runner = CliRunner()
    with SmtpServer() as server:
        table, evidence = _setup(tmp_path, server.port)
        # May: item 4's folder is not there yet.
        may_evidence = tmp_path / "五月材料"
        shutil.copytree(evidence, may_evidence)
        shutil.rmtree(next(may_evidence.glob("04 *")))
        base = ["monthly", str(table), "--period", "2022", "--send", "-q"]
        may = runner.invoke(cli, base + ["-e", str(may_evidence), "--month", "2022-05"])
        assert may.exit_code == 0, may.output
        sent_in_may = len(server.messages)
        assert sent_in_may > 0
        june = runner.invoke(cli, base + ["-e", str(evidence), "--month", "2022-06"])
        assert june.exit_code == 0, june.output
        sent_in_june = len(server.messages) - sent_in_may
        assert sent_in_june > 0
        again = runner.invoke(cli, base + ["-e", str(evidence), "--month", "2022-06"])
        assert again.exit_code == 0, again.output
        assert len(server.messages) == sent_in_may + sent_in_june  # nothing sent twice
        assert "已跳过" in again.output
    june_dir = tmp_path / "督查" / "2022-06"
    for name in ["2022-06-督查通报.docx", f"{table.stem}-评分.xlsx", f"{table.stem}-看板.xlsx"]:
        assert (june_dir / name).is_file(), name
    assert list((june_dir / "邮件草稿").glob("*.eml"))
    with open_history(tmp_path / "wenming.sqlite") as h:
        assert h.months() == ["2022-05", "2022-06"]
        trend = h.trend()
    # A month's run counts the period (here 2022) up to that month's end, and nothing after it.
    may_total = run_check(table, evidence=may_evidence, period="2022-01..2022-05").total
    june_total = run_check(table, evidence=evidence, period="2022-01..2022-06").total
    assert (trend[0]["total"], trend[1]["total"]) == (float(may_total), float(june_total))
    whole_year = run_check(table, evidence=evidence, period="2022").total
    assert june_total < whole_year  # the sample has photos from after June: not counted in June
    assert "较上月" in _text(june_dir / "2022-06-督查通报.docx")


def test_dry_run_without_smtp_writes_drafts(tmp_path):
    table, evidence = prepare_demo(tmp_path)
    res = CliRunner().invoke(
        cli, ["monthly", str(table), "-e", str(evidence), "--month", "2022-06", "-q"]
    )
    assert res.exit_code == 0, res.output
    assert "封邮件待发送" in res.stdout
    assert list((tmp_path / "督查" / "2022-06" / "邮件草稿").glob("*.eml"))


def test_a_late_month_gets_one_future_deadline_in_bulletin_and_mails(tmp_path):
    """June 2022 run today: 下月15日 has passed, so both say two weeks on, and the user is told."""
    import datetime as _dt
    import email
    import email.policy

    from wenming_xl.evidence.period import default_deadline

    table, evidence = prepare_demo(tmp_path)
    res = CliRunner().invoke(
        cli, ["monthly", str(table), "-e", str(evidence), "--month", "2022-06", "-q"]
    )
    assert res.exit_code == 0, res.output
    assert "提示：默认整改时限“下月15日”（2022年7月15日）已过" in res.output
    due = default_deadline("2022-06", _dt.date.today())
    text = f"{due.year}年{due.month}月{due.day}日"
    folder = tmp_path / "督查" / "2022-06"
    assert f"{text}前" in _text(folder / "2022-06-督查通报.docx")
    drafts = list((folder / "邮件草稿").glob("*.eml"))
    assert drafts
    for eml in drafts:
        msg = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
        body = msg.get_body(("plain",)).get_content()
        assert f"请于{text}前" in body and "2022年7月15日" not in body, eml.name


def test_send_without_smtp_is_a_clear_error(tmp_path):
    table, evidence = prepare_demo(tmp_path)
    res = CliRunner().invoke(cli, ["monthly", str(table), "-e", str(evidence), "--send"])
    assert res.exit_code == 1
    assert "[smtp]" in res.stderr and "Traceback" not in res.output


def test_without_month_an_ended_period_reports_its_last_month(tmp_path):
    """Run in 2026 for the 2022 table (title 「2022年度」): December 2022, not a month of 2026."""
    table, evidence = prepare_demo(tmp_path / "demo")
    res = CliRunner().invoke(
        cli, ["monthly", str(table), "--evidence", str(evidence), "--dry-run", "-q"]
    )
    assert res.exit_code == 0, res.output
    assert "未指定 --month，按 2022-12 统计" in res.output
    assert (table.parent / "督查" / "2022-12").is_dir()
    assert "考核期：2022年" in res.output


def test_the_summary_says_where_the_period_came_from(tmp_path):
    from wenming_xl.runs.summary import render_summary

    table, evidence = prepare_demo(tmp_path / "demo")
    (table.parent / "wenming.toml").unlink(missing_ok=True)
    by_title = run_check(table, evidence=evidence)
    assert by_title.period == "2022年" and by_title.period_source == "title"
    assert "考核期：2022年（按任务表标题中的年度" in render_summary(by_title)
    given = run_check(table, evidence=evidence, period="2022-01..2022-06")
    assert given.period_source == "--period"
    assert "考核期：2022年1月至6月\n" in render_summary(given)
    june = run_check(table, evidence=evidence, month="2022-06")
    assert june.period.endswith("（截至2022年6月底）")
