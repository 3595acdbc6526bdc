"""Tests of the SQLite history: months recorded, replaced, rolled back, trend, 较上月."""

from __future__ import annotations

import sqlite3
from fractions import Fraction
from pathlib import Path

import pytest
from mailhelp import june_rows, make_report

from wenming_xl.errors import ConfigError, OutputError
from wenming_xl.evidence.period import month_label, parse_month
from wenming_xl.files.database import MIGRATIONS, SENT
from wenming_xl.judge.trend import compare, report_snapshot
from wenming_xl.model import MET, MISSING, PARTIAL
from wenming_xl.runs.history import default_db_path, open_history


def may_rows():
    rows = june_rows()
    rows[0] = (1, "学习文明行为促进条例", 4, ["党建办"], MISSING, 0, [])
    rows[2] = (3, "道德讲堂", 2, ["工会"], MISSING, 0, [])
    return rows


@pytest.fixture
def hist(tmp_path):
    with open_history(tmp_path / "wenming.sqlite") as h:
        yield h


def test_two_months_trend_and_previous(hist):
    may, june = make_report(may_rows()), make_report(june_rows())
    hist.record(june, "2022-06")
    hist.record(may, "2022年5月")
    assert hist.months() == ["2022-05", "2022-06"]

    m = hist.month("2022-06")
    assert m["month"] == "2022-06"
    assert (m["total"], m["max_total"]) == (8, 16)
    assert m["departments"]["党建办"] == {
        "score": 5,
        "max": 8,
        "met": 1,
        "items": [1, 2, 4],
        "at_stake": 3,
        "findings": 2,
    }
    assert m["items"]["1"]["score"] == 2 and m["items"]["1"]["status"] == PARTIAL
    assert m["items"]["2"] == {
        "score": 3,
        "status": MET,
        "max": 3,
        "at_stake": 0,
        "text": "志愿服务活动",
        "departments": ["党建办", "工会"],
    }
    assert len(hist.findings("2022-06")) == 6
    assert hist.findings("2022-05") == [
        {
            "item_no": "6",
            "code": "missing-evidence",
            "severity": "error",
            "department": None,
            "message": "第6项：尚未上传任何佐证材料。",
        },
        *hist.findings("2022-05")[1:],
    ]

    assert hist.trend() == [
        {
            "month": "2022-05",
            "total": 6,
            "max_total": 16,
            "departments": {"党建办": 3, "工会": 3, "团委": 2, "宣传科": 0, "纪检监察室": 1},
        },
        {
            "month": "2022-06",
            "total": 8,
            "max_total": 16,
            "departments": {"党建办": 5, "工会": 3, "团委": 2, "宣传科": 0, "纪检监察室": 1},
        },
    ]
    assert hist.previous("2022-06")["month"] == "2022-05"
    assert hist.previous("2022-07")["month"] == "2022-06"
    assert hist.previous("2022-05") is None
    assert hist.month("2022-04") is None

    # 较上月: from the stored months, and from a fresh report against the stored previous
    diff = compare(hist.month("2022-06"), hist.previous("2022-06"))
    assert diff["total_delta"] == 2
    assert diff["departments"]["党建办"] == {"score": 5, "previous": 3, "delta": 2}
    assert diff["departments"]["工会"]["delta"] == 0
    assert diff["items"] == {"1": {"from": MISSING, "to": PARTIAL}}
    fresh = compare(report_snapshot(june, "2022-06"), hist.previous("2022-06"))
    assert fresh["departments"] == diff["departments"] and fresh["items"] == diff["items"]
    assert compare(hist.month("2022-05"), None)["total_delta"] is None


def test_recording_a_month_again_replaces_it(hist):
    hist.record(make_report(may_rows()), "2022-06")
    hist.record(make_report(june_rows()), "2022-06")
    assert hist.months() == ["2022-06"]
    assert hist.month("2022-06")["total"] == 8
    assert len(hist.findings("2022-06")) == 6
    assert hist.conn.execute("SELECT COUNT(*) FROM run_items").fetchone()[0] == 7
    assert hist.conn.execute("SELECT COUNT(*) FROM run_departments").fetchone()[0] == 5


def test_a_failing_record_leaves_no_half_written_month(hist):
    hist.record(make_report(may_rows()), "2022-06")
    before = hist.month("2022-06")
    broken = make_report(june_rows())
    broken.departments[-1].score = "not a number"  # fails after runs/items/findings rows
    with pytest.raises(TypeError):
        hist.record(broken, "2022-06")
    assert hist.month("2022-06") == before
    with pytest.raises(TypeError):
        hist.record(broken, "2022-07")
    assert hist.months() == ["2022-06"]
    for table in ("run_items", "run_findings", "run_departments"):
        sql = f"SELECT COUNT(*) FROM {table} WHERE month = '2022-07'"
        assert hist.conn.execute(sql).fetchone()[0] == 0
    assert not hist.conn.in_transaction


def test_history_survives_reopening(tmp_path):
    path = tmp_path / "sub" / "h.sqlite"
    with open_history(path) as h:
        h.record(make_report(june_rows()), "2022-06")
        h.log_mail("2022-06", "党建办", ["djb@example.org"], status=SENT, message_id="<1@x>")
    with open_history(path) as h:
        assert h.months() == ["2022-06"]
        assert h.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert h.mail_accepted("2022-06")["党建办"]["message_id"] == "<1@x>"
        assert h.mail_accepted("2022-07") == {}


def test_mail_log_keeps_every_attempt(hist):
    hist.log_mail("2022-06", "工会", ["gh@example.org"], status="pending", answer="451 later")
    hist.log_mail("2022-06", "工会", ["gh@example.org"], status="failed", answer="550 no")
    assert hist.mail_accepted("2022-06") == {}
    hist.log_mail("2022-06", "工会", ["gh@example.org", "cc@example.org"], status=SENT)
    assert hist.mail_accepted("2022-06")["工会"]["recipients"] == "gh@example.org, cc@example.org"
    assert [r["status"] for r in hist.mail_log("2022-06")] == ["pending", "failed", SENT]
    assert hist.mail_log("2022-05") == []


def test_migration_is_additive_and_versions_are_checked(tmp_path):
    path = tmp_path / "h.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE scan_cache (path TEXT PRIMARY KEY, digest TEXT)")
    conn.execute("INSERT INTO scan_cache VALUES ('a.jpg', 'abc')")
    conn.commit()
    conn.close()
    with open_history(path) as h:
        assert h.conn.execute("SELECT digest FROM scan_cache").fetchone() == ("abc",)
        h.conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    with pytest.raises(OutputError) as err:
        open_history(path)
    assert "更新版本" in str(err.value)


def test_not_a_database(tmp_path):
    path = tmp_path / "wenming.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(OutputError) as err:
        open_history(path)
    assert "历史记录文件" in str(err.value) and "--db" in str(err.value)


def test_months_and_paths():
    assert parse_month("2022-6") == "2022-06"
    assert parse_month("2022/06") == "2022-06"
    assert parse_month("2022年6月") == "2022-06"
    assert month_label("2022-06") == "2022年6月"
    for bad in ("2022-13", "六月", "", "2022-06-01"):
        with pytest.raises(ConfigError):
            parse_month(bad)
    book = Path("/data/创建/任务分工.xlsx")
    assert default_db_path(book) == book.parent / "wenming.sqlite"


def test_scores_keep_halves(hist):
    rows = june_rows()
    rows[0] = (1, "学习", 4, ["党建办"], PARTIAL, Fraction(5, 2), [])
    hist.record(make_report(rows), "2022-06")
    m = hist.month("2022-06")
    assert m["items"]["1"]["score"] == 2.5
    assert m["departments"]["党建办"]["score"] == 5.5


def test_history_as_frames_month_by_month(hist):
    from wenming_xl.judge.frames import trend_frame

    may, june = make_report(may_rows()), make_report(june_rows())
    hist.record(june, "2022-06")
    hist.record(may, "2022-05")
    n = len(june.items)

    items = hist.items_frame()
    assert len(items) == 2 * n
    assert items["month"].tolist() == ["2022-05"] * n + ["2022-06"] * n
    scores = items.pivot(index="no", columns="month", values="score")
    for month in ("2022-05", "2022-06"):
        stored = hist.month(month)["items"]
        assert scores[month].to_dict() == {no: it["score"] for no, it in stored.items()}
    status = items.pivot(index="no", columns="month", values="status")
    assert (status.loc["1"].tolist(), status.loc["3"].tolist()) == (
        [MISSING, PARTIAL],
        [MISSING, MISSING],
    )
    assert items.loc[
        (items["month"] == "2022-06") & (items["no"] == "2"), "departments"
    ].item() == [
        "党建办",
        "工会",
    ]

    deps = hist.departments_frame()
    assert len(deps) == 2 * len(june.departments)
    wide = deps.pivot(index="name", columns="month", values="score")
    assert wide.loc["党建办"].tolist() == [3, 5]
    assert (wide["2022-06"] - wide["2022-05"]).to_dict() == {
        name: d["delta"]
        for name, d in compare(hist.month("2022-06"), hist.month("2022-05"))["departments"].items()
    }
    assert (
        deps.loc[(deps["month"] == "2022-06") & (deps["name"] == "党建办"), "at_stake"].item() == 3
    )

    trend = hist.trend_frame()
    assert list(trend.columns) == [
        "month",
        "total",
        "党建办",
        "工会",
        "团委",
        "宣传科",
        "纪检监察室",
    ]
    assert trend["total"].tolist() == [6, 8]
    # the trend's department columns are the department frame pivoted
    for name in ("党建办", "工会", "宣传科"):
        assert trend[name].tolist() == wide.loc[name].tolist()
    zh = hist.trend_frame(labels="zh")
    assert list(zh.columns[:2]) == ["月份", "总分"]
    assert list(hist.items_frame(labels="zh").columns[:3]) == ["月份", "条目", "内容"]
    # a department missing from one month is empty there
    partial = trend_frame([{"month": "2022-05", "departments": {"甲": 1}}, {"month": "2022-06"}])
    assert partial["甲"].isna().tolist() == [False, True]


def test_an_empty_history_gives_empty_frames(hist):
    assert hist.items_frame().empty and list(hist.items_frame().columns)[:2] == ["month", "no"]
    assert hist.departments_frame().empty and hist.trend_frame().empty
