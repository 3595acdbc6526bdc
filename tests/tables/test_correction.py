"""The office corrects a parse: the 「规则修正」 column is read instead of 材料要求, and shown beside it."""

from __future__ import annotations

import json

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from imgs import jpeg

from wenming_xl.cli import cli
from wenming_xl.runs.check import run_check
from wenming_xl.runs.summary import render_summary

ORIGINAL = "上传活动照片，注明时间地点"
CORRECTION = "不少于2次活动，每次3张照片"


@pytest.fixture
def table(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务分工"
    ws.append(["创建项目", "工作清单", "分值", "牵头部门", "材料上传及说明", "规则修正"])
    ws.append(["一、基础工作（6分）", "1.开展志愿服务活动", 4, "团委", ORIGINAL, CORRECTION])
    ws.append([None, "2.设置宣传栏", 2, "团委", "上传宣传栏照片2张", None])
    path = tmp_path / "任务分工.xlsx"
    wb.save(path)
    for k in range(3):
        jpeg(tmp_path / "材料" / "01 志愿服务" / "2022-05-03 社区 义诊" / f"{k}.jpg", seed=k)
    return path


def test_the_correction_is_parsed_instead_and_said(table):
    report = run_check(table, evidence=table.parent / "材料", period="2022")
    first, second = report.items
    assert first.item.correction == CORRECTION and first.item.requirement_text == ORIGINAL
    assert first.requirement.summary["min_groups"] == 2  # the original asks no activities
    assert first.status == "partial"  # one activity of the two the office wrote
    [said] = [f for f in first.findings if f.code == "rule-corrected"]
    assert CORRECTION in said.message and ORIGINAL in said.message
    assert not second.item.correction and "rule-corrected" not in {f.code for f in second.findings}
    assert f"第1项按「规则修正」计分：{CORRECTION}" in render_summary(report)
    assert report.to_dict()["items"][0]["correction"] == CORRECTION


def test_the_correction_reaches_the_scored_workbook_rules_and_kits(table, tmp_path):
    res = CliRunner().invoke(cli, ["check", str(table), "--evidence", str(table.parent / "材料"),
                                   "--period", "2022", "--out", str(tmp_path / "输出")])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "规则修正" in res.output
    ws = openpyxl.load_workbook(tmp_path / "输出" / "任务分工-评分.xlsx")["任务分工"]
    head = [c.value for c in ws[1]]
    assert head[5] == "规则修正"  # the office's column stays where it was
    assert CORRECTION in ws.cell(2, head.index("问题说明") + 1).value

    res = CliRunner().invoke(cli, ["rules", "--workbook", str(table)])
    assert res.exit_code == 0, res.output
    assert f"修正：{CORRECTION}" in res.output and "至少2次活动" in res.output
    res = CliRunner().invoke(cli, ["rules", "--workbook", str(table), "--json"])
    first = json.loads(res.output)[0]
    assert first["correction"] == CORRECTION and first["summary"]["min_groups"] == 2

    res = CliRunner().invoke(cli, ["kits", str(table), "--out", str(tmp_path / "台账")])
    assert res.exit_code == 0, res.output
    tasks = openpyxl.load_workbook(tmp_path / "台账" / "团委-佐证台账.xlsx")["任务清单"]
    plain, original = tasks.cell(2, 4).value, tasks.cell(2, 5).value
    assert "至少2次活动" in plain and CORRECTION in original and ORIGINAL in original
    guide = "\n".join(
        p.text for p in docx.Document(tmp_path / "台账" / "团委-填报说明.docx").paragraphs
    )
    assert "规则修正" in guide and CORRECTION in guide
