"""The terminal summary: figures and problems in Chinese, finding codes never shown."""

from __future__ import annotations

import re

from wenming_xl import findings as F
from wenming_xl.runs.check import run_check
from wenming_xl.runs.sample import PERIOD, prepare_demo
from wenming_xl.runs.summary import render_summary


def test_summary_shows_chinese_labels_not_codes(tmp_path):
    table, evidence = prepare_demo(tmp_path / "demo")
    report = run_check(table, evidence=evidence, period=PERIOD)
    text = render_summary(report)
    errors = [f for f in report.all_findings() if f.severity == "error"]
    assert errors
    for f in errors[:10]:
        if f.code == "missing-evidence":  # items with nothing at all: one line naming them
            line = next(x for x in text.splitlines() if f"【{F.label(f.code)}】第" in x)
            assert str(f.item_no) in line.split("项（")[0].split("、") or f"第{f.item_no}" in line
            continue
        if f.code in ("too-few-images", "missing-document", "missing-annotation"):
            continue  # the first shortfall of an item only
        assert f"【{F.label(f.code)}】{f.message}" in text


def test_the_summary_tells_each_short_item_once_and_every_file_problem():
    """Ten lines name ten things to do: an item's shortfalls once, every ledger/file problem."""
    from wenming_xl.model import Finding, Item, ItemResult, Report, Rubric

    item = Item(3, "学习", points=4, departments=["团委"])
    same = [Finding("too-few-images", "第3项：图片只有1张", item_no=3, severity="error"),
            Finding("missing-document", "第3项：缺少说明", item_no=3, severity="error"),
            Finding("declared-no-count", "第3项：第5行数量「1e+308」大得不合理", item_no=3,
                    severity="error")]  # fmt: skip
    empty = [ItemResult(Item(n, "x", points=2), findings=[
        Finding("missing-evidence", f"第{n}项：尚未上传任何佐证材料。", item_no=n, severity="error")
    ]) for n in (5, 6, 7)]  # fmt: skip
    report = Report(
        Rubric("t.xlsx", "t", items=[item]), items=[ItemResult(item, findings=same), *empty]
    )
    text = render_summary(report)
    assert "图片只有1张" in text and "缺少说明" not in text and "1e+308" in text
    assert "第5、6、7项（共 3 项）尚未上传任何佐证材料" in text
    # no kebab-case code anywhere (paths in messages hold no such words)
    assert not any(code in text for code in F.CATALOGUE), text
    assert not re.search(r"\[[a-z]+(?:-[a-z]+)+\]", text)
