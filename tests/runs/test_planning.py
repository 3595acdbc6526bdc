"""The start of the year: what `import` tells of the points it found, as `check` will count them."""

from __future__ import annotations

import docx
from click.testing import CliRunner

from wenming_xl.cli import cli
from wenming_xl.runs.planning import points_split

ROWS = [
    ("一、基础工作（9分）", "1", "组织学习文明行为促进条例", "5", "党办"),
    ("一、基础工作（9分）", "2", "开展文明交通劝导", "4", "团委"),
    ("二、加分项目", "3", "获评市级以上先进集体", "2", "党办"),
    ("二、加分项目", "4", "工作经验被省级媒体报道", "1.5", "宣传科"),
    ("三、扣分项目", "5", "发生不文明行为被曝光", "-3", "党办"),
]


def _plan(path):
    d = docx.Document()
    d.add_paragraph("某区人民医院2024年文明单位创建任务分工")
    t = d.add_table(rows=len(ROWS) + 1, cols=5)
    for c, text in enumerate(["创建项目", "序号", "工作任务", "分值", "牵头部门"]):
        t.cell(0, c).text = text
    for r, row in enumerate(ROWS, start=1):
        for c, text in enumerate(row):
            t.cell(r, c).text = text
    d.save(path)
    return path


def test_import_says_how_much_of_the_total_is_bonus(tmp_path):
    plan = _plan(tmp_path / "2024年创建方案.docx")
    out = tmp_path / "任务分工.xlsx"
    res = CliRunner().invoke(cli, ["import", str(plan), "--out", str(out)])
    assert res.exit_code == 0, res.output
    said = "分值合计 12.5 分：基本分 9 分，加分项目 3.5 分（另有扣分项目，最多扣 3 分）。"
    assert said in res.stdout, res.stdout
    assert points_split(out) in res.stdout


def test_points_split_without_bonus(tmp_path):
    plan = _plan(tmp_path / "方案.docx")
    d = docx.Document(plan)
    table = d.tables[0]
    for row in list(table.rows)[3:]:
        row._tr.getparent().remove(row._tr)
    d.save(plan)
    out = tmp_path / "t.xlsx"
    CliRunner().invoke(cli, ["import", str(plan), "--out", str(out)])
    assert points_split(out) == "分值合计 9 分，均为基本分。"
