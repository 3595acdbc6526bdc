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


def _monthly_table(folder):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务分工"
    ws.append(["创建项目", "工作清单", "分值", "牵头部门", "材料上传及说明"])
    ws.append(["一、志愿服务（3分）", "1.常态化开展志愿服务", 3, "团委",
               "每月开展1次志愿服务活动，上传活动照片"])  # fmt: skip
    path = folder / "任务分工.xlsx"
    wb.save(path)
    return path


def _kit_plain(kits):
    import openpyxl

    ws = openpyxl.load_workbook(kits / "团委-佐证台账.xlsx")["任务清单"]
    head = [c.value for c in ws[1]]
    return ws.cell(2, head.index("材料要求（说明）") + 1).value


def test_kits_read_frequencies_over_the_period_as_check_counts_them(tmp_path):
    """「每月1次」 in the kit's 任务清单: 6 times over wenming.toml's half year, 12 with --period 2022."""
    table = _monthly_table(tmp_path)
    (tmp_path / "wenming.toml").write_text('[unit]\nperiod = "2022-01..2022-06"\n', "utf-8")
    res = CliRunner().invoke(cli, ["kits", str(table), "--out", str(tmp_path / "半年")])
    assert res.exit_code == 0, res.output
    assert "至少6次" in _kit_plain(tmp_path / "半年")
    res = CliRunner().invoke(
        cli, ["kits", str(table), "--out", str(tmp_path / "全年"), "--period", "2022"]
    )
    assert res.exit_code == 0, res.output
    plain = _kit_plain(tmp_path / "全年")
    assert "至少12次" in plain and "考核期未知" not in plain
