"""Monthly documents follow the reported month: what is counted, the 文号 year, the deadline."""

from __future__ import annotations

import datetime as _dt

from click.testing import CliRunner
from docx import Document

from wenming_xl.cli import cli
from wenming_xl.evidence.period import default_deadline, month_period, settle_deadline
from wenming_xl.runs.check import run_check
from wenming_xl.runs.sample import prepare_demo


def _text(path) -> str:
    doc = Document(str(path))
    return "\n".join(
        [p.text for p in doc.paragraphs]
        + [c.text for t in doc.tables for row in t.rows for c in row.cells]
    )


def test_june_bulletin_counts_to_the_end_of_june_and_is_dated_by_it(tmp_path):
    table, evidence = prepare_demo(tmp_path / "创建")
    out = tmp_path / "6月督查通报.docx"
    args = ["notice", "bulletin", str(table), "-e", str(evidence), "--month", "2022-06"]
    result = CliRunner().invoke(
        cli, args + ["--number", "56", "--date", "2022-07-02", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "提示：默认整改时限" not in result.output
    text = _text(out)
    june = run_check(table, evidence=evidence, period="2022-01..2022-06")
    year = run_check(table, evidence=evidence, period="2022")
    assert june.total < year.total  # photos of the second half-year exist, and are left out
    assert f"目前得分{float(june.total):g}分" in text
    assert "绍市中医〔2022〕56号" in text  # the reported month's year, not today's
    assert "2022年7月15日前" in text  # 默认下月15日


def test_a_late_bulletin_never_sets_a_deadline_before_or_just_after_its_own_date(tmp_path):
    """Dated 10 July, 下月15日 is five days off: the deadline is two weeks on, and the user is told."""
    table, evidence = prepare_demo(tmp_path / "创建")
    out = tmp_path / "6月督查通报.docx"
    args = ["notice", "bulletin", str(table), "-e", str(evidence), "--month", "2022-06"]
    result = CliRunner().invoke(
        cli, args + ["--number", "56", "--date", "2022-07-10", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "提示：默认整改时限" in result.output and "--deadline" in result.output
    text = _text(out)
    assert "2022年7月24日前" in text and "2022年7月15日" not in text
    given = CliRunner().invoke(
        cli,
        args + ["--date", "2022-07-10", "--deadline", "2022-07-18", "--out", str(out)],
    )
    assert given.exit_code == 0, given.output
    assert "提示：默认整改时限" not in given.output  # the user's own date is kept as given
    assert "2022年7月18日前" in _text(out)


def test_default_deadline_rule():
    day = _dt.date
    assert default_deadline("2022-06") == day(2022, 7, 15)
    assert default_deadline("2022-12") == day(2023, 1, 15)
    assert default_deadline("2022-06", day(2022, 7, 8)) == day(2022, 7, 15)  # 7 days: kept
    assert default_deadline("2022-06", day(2022, 7, 9)) == day(2022, 7, 23)
    assert default_deadline("2022-06", day(2026, 12, 7)) == day(2026, 12, 21)  # long past
    assert settle_deadline("2022-06", None, day(2022, 7, 1)) == (day(2022, 7, 15), "")
    kept = settle_deadline("2022-06", day(2022, 7, 2), day(2022, 7, 10))
    assert kept == (day(2022, 7, 2), "")  # a given --deadline is never moved
    due, note = settle_deadline("2022-06", None, day(2022, 8, 1))
    assert due == day(2022, 8, 15) and "已过" in note and "2022年8月15日" in note


def test_month_period_rule():
    assert (str(month_period("2022-06").start), str(month_period("2022-06").end)) == (
        "2022-01-01",
        "2022-06-30",
    )
    assert month_period("2022-12", "2022").label == "2022年"
    school_year = month_period("2022-03", "2021-09..2022-07")
    assert (str(school_year.start), str(school_year.end)) == ("2021-09-01", "2022-03-31")


def test_the_demo_bulletin_counts_what_a_june_run_counts(tmp_path):
    from wenming_xl.runs.demo import run_demo

    paths = run_demo(tmp_path / "演示", echo=lambda _m: None)
    text = _text(paths["督查通报"])
    table, evidence = paths["任务表"], paths["佐证材料"]
    june = run_check(table, evidence=evidence, period="2022-01..2022-06")
    assert f"目前得分{float(june.total):g}分" in text


def test_a_months_run_tells_later_photos_apart_from_wrong_year_ones(tmp_path):
    """In June, a July photo is not wrong, only not yet due (info); a 2021 photo is wrong."""
    from wenming_xl.config import Profile
    from wenming_xl.outputs.mail.extract import department_gaps
    from wenming_xl.runs.check import month_check

    table, evidence = prepare_demo(tmp_path / "创建")
    report = month_check(table, "2022-06", profile=Profile(), evidence=evidence)
    dated = {
        f.params["date"][:4] + ("-later" if f.code == "after-month" else ""): (f.code, f.severity)
        for f in report.all_findings()
        if f.code in ("after-month", "outside-period")
    }
    assert dated == {"2022-later": ("after-month", "info"), "2021": ("outside-period", "error")}
    told = [
        f.code
        for d in report.departments
        for g in department_gaps(report, d.name)
        for f in g.findings
    ]
    assert "after-month" not in told and "outside-period" in told
    # ... but the department is told once per item that its later photos are not lost
    items = {r.item.no: r for r in report.items}
    later = {f.code for r in items.values() for f in r.findings} & {"counted-later", "also-later"}
    assert later == {"counted-later", "also-later"}
    only_later = next(
        r for r in items.values() if any(f.code == "counted-later" for f in r.findings)
    )
    assert only_later.status == "missing"
    [said] = [f for f in only_later.findings if f.code == "counted-later"]
    assert "到相应月份的督查时计入" in said.message and "改正" not in said.message
    assert not any(f.code == "nothing-counted" for f in only_later.findings)
    assert "counted-later" in told and "also-later" in told
    met = [r for r in items.values() if r.status == "met"]
    assert not any(f.code == "also-later" for r in met for f in r.findings)
