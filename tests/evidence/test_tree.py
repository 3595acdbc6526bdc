"""The departments' kit folders beside the ledgers, and what a file's own name says."""

from __future__ import annotations

import datetime as dt

import pytest
from imgs import jpeg, ledger

from wenming_xl.evidence.tree import name_annotation
from wenming_xl.outputs.workbooks.kits import make_kits
from wenming_xl.runs.check import run_check


def _kits(tmp_path, table):
    out = tmp_path / "部门台账"
    make_kits(table, out)
    return out


def _item(report, no):
    return next(r for r in report.items if r.item.no == no)


def test_photos_in_a_kit_folder_count_whether_or_not_the_ledger_lists_them(tmp_path, table_2022):
    """工会 put photos in its kit's item folders; one activity has a ledger row, one has not."""
    kits = _kits(tmp_path, table_2022)
    root = kits / "工会-佐证材料"
    listed = next(root.glob("04 *")) / "2022-05-03 工会活动室 迎亚运健步走"
    unlisted = next(root.glob("04 *")) / "2022-06-12 职工之家 文明礼仪讲座"
    for k in range(2):
        jpeg(listed / f"IMG_{k}.jpg", seed=k + 1, taken="2022-05-03")
        jpeg(unlisted / f"IMG_{k}.jpg", seed=k + 11, taken="2022-06-12")
    rel = f"工会-佐证材料/{listed.parent.name}/{listed.name}"
    ledger(kits / "工会-佐证台账.xlsx", [
        {"条目": 4, "部门": "工会", "日期": dt.date(2022, 5, 3), "地点": "工会活动室",
         "主题": "迎亚运健步走", "类型": "照片", "路径": rel}])  # fmt: skip
    report = run_check(table_2022, ledger_dir=kits, period="2022")

    item4 = _item(report, 4)
    counted = sorted(e.path for e in item4.evidence if e.counted)
    assert len(counted) == 4 and len(set(counted)) == 4  # each file once, listed or not
    assert all(e.department == "工会" for e in item4.evidence)
    notes = [f for f in report.all_findings() if f.code == "kit-file-unlisted"]
    assert len(notes) == 1  # once for the item, not per file
    [note] = notes
    assert note.item_no == 4 and note.department == "工会" and note.severity == "info"
    assert note.params["count"] == 2 and unlisted.name in note.location.path

    from wenming_xl.outputs.mail.extract import department_gaps

    gap = next(g for g in department_gaps(report, "工会") if g.no == 4)
    assert note in gap.findings  # the 提醒 reaches the department so the ledger can catch up

    # without the kit folder, the same ledger row counts only its own two photos
    only = run_check(table_2022, ledgers=[kits / "工会-佐证台账.xlsx"], period="2022")
    assert len([e for e in _item(only, 4).evidence if e.counted]) == 2


def test_a_folder_in_the_ledger_folder_that_is_nobodys_kit_is_reported(tmp_path, table_2022):
    kits = _kits(tmp_path, table_2022)
    jpeg(kits / "旧照片" / "04 活动" / "a.jpg", taken="2022-05-03")
    report = run_check(table_2022, ledger_dir=kits, period="2022")
    [found] = [f for f in report.all_findings() if f.code == "kit-folder-unknown"]
    assert found.location.path == "旧照片"
    assert not [e for e in _item(report, 4).evidence if e.counted]


def test_a_kit_folder_with_unknown_item_folders_tells_its_department(tmp_path, table_2022):
    kits = _kits(tmp_path, table_2022)
    jpeg(kits / "工会-佐证材料" / "新建文件夹" / "a.jpg", taken="2022-05-03")
    jpeg(kits / "工会-佐证材料" / "b.jpg", taken="2022-05-03")
    report = run_check(table_2022, ledger_dir=kits, period="2022")
    found = {f.code: f for f in report.all_findings() if f.department == "工会"}
    assert found["unknown-item-folder"].location.path == "工会-佐证材料/新建文件夹"
    assert found["file-outside-item-folder"].location.path == "工会-佐证材料/b.jpg"


@pytest.mark.parametrize(
    "name, words",
    [
        ("门诊楼大厅.jpg", "门诊楼大厅"),
        ("义诊现场-2.jpg", "义诊现场"),
        ("2022-05-03 东双桥社区 礼让斑马线.JPG", "2022-05-03 东双桥社区 礼让斑马线"),
        ("学雷锋志愿服务 (3).jpeg", "学雷锋志愿服务"),
        ("IMG_20220503_101010.jpg", ""),
        ("微信图片_20220503101010.jpg", ""),
        ("DSC01234.JPG", ""),
        ("mmexport1651234567890.jpg", ""),
        ("Screenshot_2022-05-03-10-10-10.png", ""),
        ("屏幕截图 2022-05-03 101010.png", ""),
        ("照片3.jpg", ""),
        ("001.jpg", ""),
        ("IMG_0001(1).jpg", ""),
    ],
)
def test_name_annotation(name, words):
    assert name_annotation(name) == words


def test_a_files_own_name_annotates_it_and_dates_it(tmp_path):
    """「门诊楼大厅.jpg」 says where; 「2022-05-03 义诊.png」 (no EXIF) says when, too."""
    from imgs import png

    from wenming_xl.evidence.collect import collect_evidence
    from wenming_xl.model import Item

    root = tmp_path / "材料"
    jpeg(root / "01 志愿服务" / "门诊楼大厅.jpg", taken="2022-05-03")
    png(root / "01 志愿服务" / "2022-05-09 东双桥社区 义诊.png")
    jpeg(root / "01 志愿服务" / "2022-06-01 礼让斑马线" / "现场-2.jpg", seed=3)
    jpeg(root / "01 志愿服务" / "IMG_0001.jpg", seed=4)
    evidence, _ = collect_evidence([Item(no=1, text="志愿服务")], evidence_dir=root)
    got = {e.path.rsplit("/", 1)[-1]: (e.annotation, e.date) for e in evidence}
    assert got["门诊楼大厅.jpg"] == ("门诊楼大厅", dt.date(2022, 5, 3))
    assert got["2022-05-09 东双桥社区 义诊.png"] == (
        "2022-05-09 东双桥社区 义诊",
        dt.date(2022, 5, 9),
    )
    assert got["现场-2.jpg"] == ("礼让斑马线 现场", dt.date(2022, 6, 1))
    assert got["IMG_0001.jpg"] == ("", None)
