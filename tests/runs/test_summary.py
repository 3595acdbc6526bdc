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
        assert f"【{F.label(f.code)}】{f.message}" in text
    # no kebab-case code anywhere (paths in messages hold no such words)
    assert not any(code in text for code in F.CATALOGUE), text
    assert not re.search(r"\[[a-z]+(?:-[a-z]+)+\]", text)
