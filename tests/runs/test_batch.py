"""Tests of `wenming batch`: three units in tmp_path, one broken; roll-up contents and charts."""

from __future__ import annotations

import shutil
import zipfile

import openpyxl
import xlsxwriter
from click.testing import CliRunner

from wenming_xl.cli import cli
from wenming_xl.outputs.workbooks.rollup import write_rollup
from wenming_xl.runs.batch import run_batch, unit_files
from wenming_xl.runs.sample import prepare_demo, sample_table

HEADER = ["条目", "部门", "日期", "地点", "主题", "类型", "数量"]


def _ledger(path, rows):
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("佐证台账")
    ws.write_row(0, 0, HEADER)
    for r, row in enumerate(rows, start=1):
        ws.write_row(r, 0, row)
    wb.close()


def make_units(root):
    good = root / "甲医院"
    good.mkdir(parents=True)
    shutil.copyfile(sample_table(), good / "任务分工.xlsx")
    rows = [[4, "党建办", f"2022-05-0{d}", "门诊大厅", "迎亚运", "照片", 2] for d in (1, 2)]
    rows += [[12, "党建办", "2022-06-01", "院内", "文明劝导", "照片", 3]]
    _ledger(good / "佐证台账.xlsx", rows)
    other = root / "乙学校"
    other.mkdir()
    shutil.copyfile(sample_table(), other / "任务分工.xlsx")
    (other / "台账").mkdir()
    _ledger(
        other / "台账" / "党建办.xlsx", [[4, "党建办", "2022-05-01", "操场", "=SUM(1)", "照片", 1]]
    )
    broken = root / "丙单位"
    broken.mkdir()
    (broken / "任务分工.xlsx").write_text("not a workbook", encoding="utf-8")
    return good, other, broken


def test_unit_files_sorts_out_a_unit_folder(tmp_path):
    good, other, _broken = make_units(tmp_path)
    files = unit_files(good)
    assert [p.name for p in files.books] == ["任务分工.xlsx", "佐证台账.xlsx"]
    assert unit_files(other).ledger_dir == other / "台账"


def test_run_batch_ranks_units_and_keeps_the_broken_one(tmp_path):
    make_units(tmp_path / "units")
    seen = []
    result = run_batch(tmp_path / "units", workers=1, progress=lambda d, t: seen.append((d, t)))
    assert [u.name for u in result.units] == ["丙单位", "乙学校", "甲医院"]
    assert seen[-1] == (3, 3)
    ranked = result.ranked()
    assert [u.name for u in ranked] == ["甲医院", "乙学校", "丙单位"]
    assert ranked[0].total > ranked[1].total
    broken = ranked[-1]
    assert not broken.ok and "Excel" in broken.error
    assert ranked[0].categories and ranked[0].items >= ranked[0].met
    codes = [g["code"] for g in result.common_gaps()]
    assert "too-few-images" in codes
    assert result.common_items()[0]["units"] == 2

    out = write_rollup(result, tmp_path / "汇总.xlsx")
    with zipfile.ZipFile(out) as zf:
        charts = [n for n in zf.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 3
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["排名", "分类完成度", "常见问题"]
    names = [wb["排名"].cell(r, 2).value for r in range(4, 7)]
    assert names == ["甲医院", "乙学校", "丙单位"]
    assert wb["排名"].cell(6, 9).value.startswith("未能检查：")
    cats = [c.value for c in wb["分类完成度"][3]][1:]
    assert cats and all(cats)
    gaps = wb["常见问题"]
    head = [c.value for c in gaps[3]]
    assert head[0] == "问题" and head[-1] == "代码"  # the code last, for filtering
    shown = {r[0]: r[4] for r in gaps.iter_rows(min_row=4, values_only=True) if r[4]}
    assert shown["图片数量不够"] == "too-few-images"
    assert not any(label.isascii() for label in shown)


def test_batch_command_with_a_pool(tmp_path):
    make_units(tmp_path / "units")
    out = tmp_path / "out" / "全市汇总.xlsx"
    res = CliRunner().invoke(
        cli, ["batch", str(tmp_path / "units"), "--out", str(out), "--workers", "2", "--quiet"]
    )
    assert res.exit_code == 0, res.output
    assert "共 3 个单位：评分 2 个，未能检查 1 个" in res.stdout
    assert "未能检查：丙单位" in res.stdout
    assert out.exists()
    with zipfile.ZipFile(out) as zf:
        assert any(n.startswith("xl/charts/") for n in zf.namelist())


def test_batch_command_errors_in_chinese(tmp_path):
    res = CliRunner().invoke(cli, ["batch", str(tmp_path), "--period", "明年"])
    assert res.exit_code != 0
    assert "考核期" in res.output


def test_rollup_keeps_formula_like_unit_names_as_text(tmp_path):
    units = tmp_path / "units"
    good, _other, _broken = make_units(units)
    hostile = units / "=SUM(1)+@cmd 单位"
    shutil.copytree(good, hostile)
    result = run_batch(units, workers=1)
    out = write_rollup(result, tmp_path / "汇总.xlsx")
    with zipfile.ZipFile(out) as zf:
        sheets = [
            zf.read(n).decode("utf-8") for n in zf.namelist() if n.startswith("xl/worksheets/sheet")
        ]
    assert not any("SUM(1)" in s.split("<f>", 1)[1] for s in sheets if "<f>" in s)
    wb = openpyxl.load_workbook(out)
    names = [wb["排名"].cell(r, 2).value for r in range(4, 8)]
    assert "=SUM(1)+@cmd 单位" in names
    cell = next(
        wb["排名"].cell(r, 2)
        for r in range(4, 8)
        if wb["排名"].cell(r, 2).value == "=SUM(1)+@cmd 单位"
    )
    assert cell.data_type == "s"


def _plain_table(path):
    """A task table someone typed without 分值 and 材料要求 columns."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("任务分工")
    ws.write_row(0, 0, ["2023年文明单位创建任务分工"])
    ws.write_row(1, 0, ["序号", "工作清单", "牵头部门"])
    ws.write_row(2, 0, [1, "开展文明交通志愿服务", "团委"])
    ws.write_row(3, 0, [2, "组织学习文明行为促进条例", "党办"])
    wb.close()


def test_a_wrong_folder_is_an_error_and_writes_no_rollup(tmp_path):
    """A folder whose subfolders hold no task table (or a unit folder itself) is refused."""
    runner = CliRunner()
    wrong = tmp_path / "材料"
    (wrong / "01 学习").mkdir(parents=True)
    (wrong / "01 学习" / "a.jpg").write_bytes(b"\xff\xd8\xff")
    unit = tmp_path / "甲医院"
    unit.mkdir()
    shutil.copyfile(sample_table(), unit / "任务分工.xlsx")
    for folder, says in (
        (wrong, "「01 学习」里没有任务分工表"),
        (unit, "wenming check 任务分工.xlsx"),
    ):
        res = runner.invoke(cli, ["batch", str(folder), "-q"])
        assert res.exit_code == 1, res.output
        assert "没有可检查的单位，未写汇总表" in res.stderr and says in res.stderr, res.stderr
        assert not (tmp_path / f"{folder.name}-汇总.xlsx").exists()
    # an evidence folder: item-numbered subfolders, some with spreadsheets (a name list
    # read as a task table), none of them a unit that can be scored
    _table, evidence = prepare_demo(tmp_path / "演示")
    (next(evidence.glob("26 *")) / "报送信息清单.xlsx").write_bytes(b"")
    _plain_table(next(evidence.glob("24 *")) / "志愿者名单.xlsx")
    res = runner.invoke(cli, ["batch", str(evidence), "-q"])
    assert res.exit_code == 1, res.output
    assert "像是一个单位的佐证材料文件夹" in res.stderr and "未写汇总表" in res.stderr, res.stderr
    assert "wenming check 任务分工.xlsx --evidence" in res.stderr
    assert not (evidence.parent / f"{evidence.name}-汇总.xlsx").exists()
    # every unit failing still writes the roll-up (it lists why) but exits non-zero
    bad = tmp_path / "各单位" / "丙"
    bad.mkdir(parents=True)
    (bad / "任务分工.xlsx").write_text("not a workbook", encoding="utf-8")
    res = runner.invoke(cli, ["batch", str(tmp_path / "各单位"), "-q"])
    assert res.exit_code == 1 and "未能检查：丙" in res.stdout
    assert (tmp_path / "各单位-汇总.xlsx").exists()


def test_a_table_without_points_and_requirements_is_not_ranked_silently(tmp_path):
    units = tmp_path / "units"
    good, _other, _broken = make_units(units)
    plain = units / "丁单位"
    plain.mkdir()
    _plain_table(plain / "任务分工.xlsx")
    result = run_batch(units, workers=1)
    unit = next(u for u in result.units if u.name == "丁单位")
    assert unit.ok and "「分值」和「材料要求」" in unit.unranked
    assert [u.name for u in result.ranked()][:3] == ["甲医院", "乙学校", "丁单位"]
    out = write_rollup(result, tmp_path / "汇总.xlsx")
    ws = openpyxl.load_workbook(out)["排名"]
    row = next(r for r in range(4, 8) if ws.cell(r, 2).value == "丁单位")
    assert ws.cell(row, 1).value == "—" and ws.cell(row, 3).value is None
    assert ws.cell(row, 9).value.startswith("未能评分：")
    assert "1 个未能评分" in ws.cell(1, 1).value
    res = CliRunner().invoke(cli, ["batch", str(units), "-q", "-j", "1"])
    assert "未能评分：丁单位" in res.stdout and "丁单位  0 / 0" not in res.stdout
    alone = tmp_path / "只有丁"
    shutil.copytree(plain, alone / "丁单位")
    res = CliRunner().invoke(cli, ["batch", str(alone), "-q", "-j", "1"])
    assert res.exit_code == 1 and "共 1 个单位：评分 0 个，未能评分 1 个" in res.stdout, res.output
    res = CliRunner().invoke(cli, ["doctor", str(plain / "任务分工.xlsx")])
    assert res.exit_code == 1 and "没有「分值」和「材料要求」列" in res.stdout, res.stdout


def test_an_unranked_units_categories_are_not_in_the_category_sheet(tmp_path):
    """分值 but no 材料要求: unranked; its 类别 gets no column of blanks and no mean of its zeros."""
    units = tmp_path / "units"
    make_units(units)
    plain = units / "丁单位"
    plain.mkdir()
    wb = xlsxwriter.Workbook(str(plain / "任务分工.xlsx"))
    ws = wb.add_worksheet("任务分工")
    ws.write_row(0, 0, ["2023年文明单位创建任务分工"])
    ws.write_row(1, 0, ["类别", "序号", "工作清单", "分值", "牵头部门"])
    ws.write_row(2, 0, ["志愿服务专项", 1, "开展文明交通志愿服务", 3, "团委"])
    ws.write_row(3, 0, ["志愿服务专项", 2, "组织学习文明行为促进条例", 2, "党办"])
    wb.close()
    result = run_batch(units, workers=1)
    unit = next(u for u in result.units if u.name == "丁单位")
    assert unit.unranked and [c[0] for c in unit.categories] == ["志愿服务专项"]
    assert "志愿服务专项" not in result.category_names()
    ws = openpyxl.load_workbook(write_rollup(result, tmp_path / "汇总.xlsx"))["分类完成度"]
    cells = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert "志愿服务专项" not in cells and "丁单位" not in cells
    assert any("不列入" in str(c) and "丁单位" in str(c) for c in cells)  # said, not dropped
    ranked = [u for u in result.units if u.ok and not u.unranked]
    assert {str(ws.cell(r, 1).value) for r in range(4, 4 + len(ranked))} == {u.name for u in ranked}


def test_one_corrupt_copy_beside_the_table_does_not_fail_the_unit(tmp_path):
    """「副本.xlsx」 cut short (a copy interrupted) is reported; the unit is scored without it."""
    units = tmp_path / "units"
    good, _other, _broken = make_units(units)
    whole = (good / "佐证台账.xlsx").read_bytes()
    (good / "佐证台账 - 副本.xlsx").write_bytes(whole[: len(whole) // 2])
    result = run_batch(units, workers=1)
    unit = next(u for u in result.units if u.name == "甲医院")
    assert unit.ok and unit.unreadable == ["佐证台账 - 副本.xlsx"]
    assert any(g[0] == "unreadable-file" and "副本" in g[3] for g in unit.gaps)
    clean = run_batch(units, workers=1)  # the same score as without the broken copy
    (good / "佐证台账 - 副本.xlsx").unlink()
    without = next(u for u in run_batch(units, workers=1).units if u.name == "甲医院")
    assert next(u for u in clean.units if u.name == "甲医院").total == without.total
    assert without.total and without.total > 0


def test_batch_frames_one_row_per_unit_and_per_unit_item(tmp_path):
    from wenming_xl.judge import frames
    from wenming_xl.tables.rubric import load_rubric

    make_units(tmp_path / "units")
    result = run_batch(tmp_path / "units", workers=1)
    n_items = len(load_rubric(sample_table()).items)

    units = frames.units_frame(result)
    assert units["name"].tolist() == ["丙单位", "乙学校", "甲医院"]  # folder order
    ranked = units.dropna(subset=["rank"])
    assert dict(zip(ranked["name"], ranked["rank"])) == {"甲医院": 1, "乙学校": 2}
    assert units["rank"].isna().tolist() == [True, False, False]
    assert units.loc[0, "error"] and units["error"].isna().tolist() == [False, True, True]
    assert units.loc[2, "total"] == result.units[2].total
    assert units["gaps"].tolist() == [len(u.gaps) for u in result.units]

    items = frames.unit_items_frame(result)
    assert len(items) == 2 * n_items  # every item of each checked unit, none of the broken one
    assert items.groupby("unit").size().to_dict() == {"乙学校": n_items, "甲医院": n_items}
    scored = items[items["status"] != "n/a"]
    assert scored.groupby("unit").size().to_dict() == {
        u.name: u.items for u in result.units if u.ok
    }
    met = scored["status"].eq("met").groupby(scored["unit"]).sum()
    assert met.to_dict() == {u.name: u.met for u in result.units if u.ok}
    # the roll-up's unmet items are the unit × item rows neither met nor n/a
    unmet = scored[scored["status"] != "met"].groupby("no")["unit"].nunique()
    assert {r["item"]: r["units"] for r in result.common_items(1000)} == unmet.to_dict()

    gaps = frames.unit_gaps_frame(result)
    assert "too-few-images" in set(gaps["code"])
    assert gaps.groupby("unit").size().to_dict() == {
        u.name: len(u.gaps) for u in result.units if u.gaps
    }
    cats = frames.unit_categories_frame(result)
    assert set(cats["unit"]) == {"乙学校", "甲医院"}
    assert ((cats["completion"] >= 0) & (cats["completion"] <= 1)).all()

    zh = frames.units_frame(result, labels="zh")
    assert list(zh.columns[:3]) == ["名次", "单位", "文件夹"]
    assert list(frames.unit_items_frame(result, labels="zh").columns[:3]) == [
        "单位",
        "条目",
        "内容",
    ]


def test_a_unit_that_has_done_its_confirmations_is_still_scored(tmp_path):
    """The 「任务分工-人工确认.xlsx」 check writes beside the table is not a task table candidate."""
    from wenming_xl.outputs.workbooks.confirm import write_confirmations
    from wenming_xl.runs.check import run_check

    good, _other, _broken = make_units(tmp_path / "units")
    report = run_check(good / "任务分工.xlsx", period="2022")
    report.items[0].status = "review"  # an item waiting for a person: the file is written
    assert write_confirmations(report, good / "任务分工-人工确认.xlsx") is not None
    assert "任务分工-人工确认.xlsx" not in [p.name for p in unit_files(good).books]
    result = run_batch(tmp_path / "units", workers=1, period="2022")
    unit = next(u for u in result.units if u.name == "甲医院")
    assert unit.error is None and unit.unranked is None and unit.total is not None
    assert unit.workbook.endswith("任务分工.xlsx")


def test_units_with_the_same_score_share_a_place(tmp_path):
    """Two copies of one unit are 并列第1 (1, 1, 3), in the sheet, the frame and on screen."""
    units = tmp_path / "units"
    good, other, _broken = make_units(units)
    shutil.copytree(good, units / "丁医院")
    result = run_batch(units, workers=1)
    ws = openpyxl.load_workbook(write_rollup(result, tmp_path / "汇总.xlsx"))["排名"]
    places = {ws.cell(r, 2).value: ws.cell(r, 1).value for r in range(4, 8)}
    assert (places["丁医院"], places["甲医院"], places["乙学校"]) == (1, 1, 3), places
    assert places["丙单位"] == "—"
    res = CliRunner().invoke(cli, ["batch", str(units), "-q", "-j", "1"])
    assert (
        "    1. 丁医院" in res.stdout
        and "    1. 甲医院" in res.stdout
        and "    3. 乙学校" in res.stdout
    )
