"""Tests of the pandas tables: every frame of the demo's report, and the batch's tables
computed on frames against the hand-written roll-up they replace (same results)."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wenming_xl.judge import frames
from wenming_xl.judge.ranking import BatchResult, UnitItem, UnitResult
from wenming_xl.model import MET, MISSING, NA, PARTIAL, REVIEW
from wenming_xl.runs.check import run_check
from wenming_xl.runs.sample import PERIOD, prepare_demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return prepare_demo(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def report(demo):
    table, evidence = demo
    return run_check(table, evidence=evidence, period=PERIOD)


# --------------------------------------------------------------------------- a report


def values(s: pd.Series) -> list:
    """A column's values, every missing one (None, NaN) as None."""
    return [None if not isinstance(v, list) and pd.isna(v) else v for v in s.tolist()]


def records(df: pd.DataFrame) -> list[dict]:
    """The rows as dicts, every missing value as None."""
    cols = {c: values(df[c]) for c in df.columns}
    return [{c: cols[c][i] for c in df.columns} for i in range(len(df))]


def test_items_frame_is_the_json_items_flattened(report):
    js = report.to_dict()
    df = frames.items_frame(report)
    assert len(df) == len(report.items) == len(js["items"])
    flat = pd.json_normalize(js["items"])
    counts = {c for c in df.columns if c.startswith("evidence.counts.")}
    shared = [c for c in df.columns if c not in counts | {"findings"}]
    # every column is named as in the JSON (an evidence kind no item has is there too, 0)
    assert set(df.columns) - set(flat.columns) <= counts
    for col in shared:
        assert values(df[col]) == values(flat[col]), col
    assert df["findings"].tolist() == [len(i["findings"]) for i in js["items"]]
    for col in counts:
        kind = col.rsplit(".", 1)[1]
        assert df[col].tolist() == [i["evidence"]["counts"].get(kind, 0) for i in js["items"]]
    # departments hold lists: explode gives one row per item × department
    long = df.explode("departments")
    assert len(long) == sum(max(1, len(i["departments"])) for i in js["items"])
    # the scores add up as the report does
    assert df["score"].fillna(0).sum() == pytest.approx(
        sum(float(r.score or 0) for r in report.items)
    )


def test_findings_frame_holds_every_finding_with_its_place(report):
    js = report.to_dict()
    df = frames.findings_frame(report)
    in_items = [f for i in js["items"] for f in i["findings"]]
    assert len(df) == len(in_items) + len(js["findings"]) + len(js["notes"])
    assert df["code"].tolist() == [f["code"] for f in in_items + js["findings"] + js["notes"]]
    want = {"items": len(in_items), "findings": len(js["findings"]), "notes": len(js["notes"])}
    assert Counter(df["source"]) == +Counter(want)
    assert df.loc[df["source"] == "items", "item_no"].notna().all()
    located = [f["location"]["cell"] if f.get("location") else None for f in in_items]
    assert values(df.loc[df["source"] == "items", "location.cell"]) == located
    assert set(df["severity"]) <= {"error", "warning", "info"}
    assert df["message"].tolist() == [f["message"] for f in in_items + js["findings"] + js["notes"]]
    assert len(df) > 0


def test_departments_and_categories_frames_are_the_json_tables(report):
    js = report.to_dict()
    deps = frames.departments_frame(report)
    assert records(deps) == js["departments"]
    assert list(deps.columns) == list(js["departments"][0])
    cats = frames.categories_frame(report)
    assert records(cats) == [
        {k: c[k] for k in ("name", "kind", "cap", "points_sum", "score")} for c in js["categories"]
    ]
    # a department's score is the sum of the scores of the base items it leads
    items = frames.items_frame(report).explode("departments")
    base = items[(items["kind"] == "base") & (items["points"] > 0)]
    by_dep = base.groupby("departments")["score"].sum()
    for row in js["departments"]:
        assert by_dep.get(row["name"], 0) == pytest.approx(row["score"]), row["name"]


def test_chinese_labels_and_renaming(report):
    zh = frames.items_frame(report, labels="zh")
    assert list(zh.columns)[:5] == ["条目", "类别", "内容", "分值", "牵头部门"]
    assert set(zh["状态"]) <= {"达标", "部分完成", "缺材料", "待人工确认", "不适用"}
    assert set(zh["类型"]) <= {"基本项目", "加分项目", "扣分项目"}
    f = frames.findings_frame(report, labels="zh")
    assert {"问题代码", "级别", "问题说明", "单元格"} <= set(f.columns)
    assert set(f["级别"]) <= {"问题", "提醒", "提示"}
    # codes stay codes (they are what people search for)
    assert f["问题代码"].tolist() == frames.findings_frame(report)["code"].tolist()
    d = frames.departments_frame(report, labels={"name": "科室"})
    assert d.columns[0] == "科室" and "score" in d.columns
    with pytest.raises(ValueError, match="labels"):
        frames.items_frame(report, labels="en")
    # every Chinese label table names the columns of its frame, in order
    assert list(frames.departments_frame(report, "zh").columns) == list(
        frames.ZH_LABELS["departments"].values()
    )


def test_status_counts_are_the_items_frames_value_counts(report):
    counts = frames.status_counts(report)
    vc = frames.items_frame(report)["status"].value_counts()
    assert {s: n for s, n in counts.items() if n} == vc.to_dict()
    assert list(counts)[:5] == [MET, PARTIAL, MISSING, REVIEW, NA]


def test_a_check_never_imports_pandas(demo, tmp_path):
    """``wenming check`` (scored workbook, dashboard, JSON) runs without loading pandas."""
    table, evidence = demo
    code = (
        "import sys\n"
        "from wenming_xl.cli import cli\n"
        "try:\n"
        "    cli(sys.argv[1:], standalone_mode=False)\n"
        "finally:\n"
        "    print('PANDAS' if 'pandas' in sys.modules else 'NO-PANDAS')\n"
    )
    args = ["check", str(table), "--evidence", str(evidence), "--period", PERIOD]
    args += ["--out", str(tmp_path), "--json", str(tmp_path / "r.json"), "--quiet"]
    args += ["--record", "--month", "2022-06", "--db", str(tmp_path / "h.sqlite")]
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=300
    )
    assert out.stdout.strip().splitlines()[-1] == "NO-PANDAS", out.stderr[-2000:]
    assert any(p.name.endswith("-看板.xlsx") for p in Path(tmp_path).iterdir())


# --------------------------------------------------------------------------- a batch

# The roll-up's tables as they were computed by hand before the frames (commit 78c9bc6),
# kept here as the reference the frames must match.


def old_ranked(b: BatchResult) -> list[UnitResult]:
    ok = sorted((u for u in b.units if u.ok), key=lambda u: (-u.rate, -(u.total or 0), u.name))
    return ok + [u for u in b.units if not u.ok]


def old_common_gaps(b: BatchResult, limit: int = 20) -> list[dict]:
    units: Counter = Counter()
    times: Counter = Counter()
    example: dict[str, str] = {}
    for u in b.units:
        codes = [g[0] for g in u.gaps]
        times.update(codes)
        units.update(set(codes))
        for code, _no, _text, message in u.gaps:
            example.setdefault(code, message)
    rows = [
        {"code": c, "units": n, "count": times[c], "example": example[c]} for c, n in units.items()
    ]
    rows.sort(key=lambda r: (-r["units"], -r["count"], r["code"]))
    return rows[:limit]


def _no_key(no: str) -> tuple:
    return (0, int(no), "") if no.isdigit() else (1, 0, no)


def old_common_items(b: BatchResult, limit: int = 20) -> list[dict]:
    units: Counter = Counter()
    text: dict[str, str] = {}
    for u in b.units:
        for no, t in set(u.unmet):
            units[no] += 1
            text.setdefault(no, t)
    rows = [{"item": no, "text": text[no], "units": n} for no, n in units.items()]
    rows.sort(key=lambda r: (-r["units"], _no_key(r["item"])))
    return rows[:limit]


def old_completion(b: BatchResult) -> tuple[list[list], list[float]]:
    names = b.category_names()
    ok = [u for u in old_ranked(b) if u.ok]
    table = []
    for u in ok:
        got = {n: (s, t) for n, s, t in u.categories}
        row = [u.name]
        for name in names:
            s, t = got.get(name, (None, None))
            row.append(s / t if t else None)
        table.append(row)
    means = []
    for name in names:
        values = [s / t for u in ok for n, s, t in u.categories if n == name]
        means.append(sum(values) / len(values) if values else 0.0)
    return table, means


STATUSES = [MET, MET, PARTIAL, MISSING, REVIEW, NA]
CODES = ["missing-images", "group-too-few-images", "outside-period", "missing-annotation"]
CATS = ["一、重点任务", "二、常态化工作", "三、加分项目"]


@st.composite
def unit(draw, name: str):
    if draw(st.integers(0, 6)) == 0:
        return UnitResult(name=name, folder=name, error="不是工作簿")
    nos = draw(st.lists(st.sampled_from(["1", "2", "3", "10", "11", "2a"]), max_size=6))
    results = [
        UnitItem(no, f"条目{no}", CATS[0], "base", 4, 2, draw(st.sampled_from(STATUSES)), 2)
        for no in nos
    ]
    gaps = [
        (code, "1", "条目1", f"{name}：{code}")
        for code in draw(st.lists(st.sampled_from(CODES), max_size=5))
    ]
    cats = [
        (c, float(draw(st.integers(0, 8))), float(draw(st.sampled_from([4, 8]))))
        for c in draw(st.lists(st.sampled_from(CATS), unique=True, max_size=3))
    ]
    total = draw(st.sampled_from([0, 40, 45, 50]))
    return UnitResult(
        name=name,
        folder=name,
        total=total,
        max_total=draw(st.sampled_from([0, 50, 100])),
        items=len(results),
        met=sum(r.status == MET for r in results),
        gaps=gaps,
        categories=cats,
        results=results,
    )


@st.composite
def batch(draw):
    names = draw(st.lists(st.sampled_from("甲乙丙丁戊己庚辛"), unique=True, max_size=8))
    return BatchResult(folder="units", units=[draw(unit(n)) for n in names])


@settings(max_examples=150, deadline=None)
@given(batch(), st.sampled_from([None, 2, 20]))
def test_batch_tables_on_frames_match_the_hand_written_ones(b, limit):
    assert [u.name for u in b.ranked()] == [u.name for u in old_ranked(b)]
    n = limit or 1000
    assert b.common_gaps(n) == old_common_gaps(b, n)
    got = b.common_items(n)
    want = old_common_items(b, n)
    assert got == want
    table, means = frames.category_completion(b)
    want_table, want_means = old_completion(b)
    got_table = [
        [unit, *[None if v != v else v for v in row.tolist()]] for unit, row in table.iterrows()
    ]
    assert got_table == want_table
    assert [0.0 if v != v else v for v in means.tolist()] == pytest.approx(want_means)
    units = frames.units_frame(b)
    assert len(units) == len(b.units)
    ranked_names = units.dropna(subset=["rank"]).sort_values(["rank", "name"])["name"].tolist()
    assert ranked_names == [u.name for u in old_ranked(b) if u.ok]
    place = dict(zip(units["name"], units["rank"]))
    ok = [u for u in old_ranked(b) if u.ok]
    for n, (a, c) in enumerate(zip(ok, ok[1:]), start=2):  # 并列: same rate and score, same place
        tied = (a.rate, a.total or 0) == (c.rate, c.total or 0)
        assert place[c.name] == (place[a.name] if tied else n)
    assert len(frames.unit_items_frame(b)) == sum(len(u.results) for u in b.units)
    assert len(frames.unit_gaps_frame(b)) == sum(len(u.gaps) for u in b.units)


def test_the_readme_notebook_example_runs(demo, tmp_path, monkeypatch):
    """The README's pandas example, run as written on the demo (a history of two months, a
    batch of two units), each expression giving a non-empty table."""
    import ast
    import shutil

    from wenming_xl.runs.history import open_history

    table, evidence = demo
    shutil.copy(table, tmp_path / "任务分工.xlsx")
    shutil.copytree(evidence, tmp_path / "材料")
    for unit in ("甲", "乙"):
        (tmp_path / "各单位" / unit).mkdir(parents=True)
        shutil.copy(table, tmp_path / "各单位" / unit / "任务分工.xlsx")
    shutil.copytree(evidence, tmp_path / "各单位" / "甲" / "材料")
    rep = run_check(table, evidence=evidence, period="2022")
    with open_history(tmp_path / "wenming.sqlite") as h:
        h.record(rep, "2022-05")
        h.record(rep, "2022-06")
    monkeypatch.chdir(tmp_path)

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
    code = readme.split("### 在 notebook 里用 pandas 分析")[1].split("```python")[1].split("```")[0]
    ns: dict = {}
    shown = []
    for node in ast.parse(code).body:
        if isinstance(node, ast.Expr):
            shown.append(eval(compile(ast.Expression(node.value), "README", "eval"), ns))
        else:
            exec(compile(ast.Module([node], []), "README", "exec"), ns)
    assert len(shown) >= 6
    assert all(isinstance(v, (pd.DataFrame, pd.Series)) and len(v) for v in shown)
    assert ns["by_item"].shape == (len(rep.items), 2)
