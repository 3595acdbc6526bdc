"""collect_evidence on real trees and ledgers: folders, groups, merges, and every finding code."""

from __future__ import annotations

import datetime as dt
import os
import sys

import pytest
from imgs import Link, docx, heic, jpeg, ledger, pdf, picture, png

from wenming_xl.errors import ConfigError, EvidenceError
from wenming_xl.evidence.collect import Period, collect_evidence, leading_number, parse_period
from wenming_xl.model import Item

ITEMS = [Item(no=n, text=f"第{n}项任务") for n in range(1, 13)]

needs_symlink = pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")


def collect(**kw):
    return collect_evidence(ITEMS, **kw)


def codes(findings):
    return [f.code for f in findings]


def by_path(evidence):
    return {e.path: e for e in evidence}


def _symlink(src, dst):
    try:
        os.symlink(src, dst)
    except OSError:
        pytest.skip("cannot create symlinks here")


# --------------------------------------------------------------------------- period


@pytest.mark.parametrize(
    "text, start, end, label",
    [
        ("2022", dt.date(2022, 1, 1), dt.date(2022, 12, 31), "2022年"),
        ("2022年", dt.date(2022, 1, 1), dt.date(2022, 12, 31), "2022年"),
        ("２０２２年度", dt.date(2022, 1, 1), dt.date(2022, 12, 31), "2022年"),
        ("2022-01..2022-06", dt.date(2022, 1, 1), dt.date(2022, 6, 30), "2022年1月至6月"),
        ("2022-11..2023-02", dt.date(2022, 11, 1), dt.date(2023, 2, 28), "2022年11月至2023年2月"),
        ("2022-05", dt.date(2022, 5, 1), dt.date(2022, 5, 31), "2022年5月"),
        (
            "2022-01-01..2022-06-30",
            dt.date(2022, 1, 1),
            dt.date(2022, 6, 30),
            "2022-01-01至2022-06-30",
        ),
        ("2022年1月1日至2022年6月30日", dt.date(2022, 1, 1), dt.date(2022, 6, 30), None),
        (2022, dt.date(2022, 1, 1), dt.date(2022, 12, 31), "2022年"),
    ],
)
def test_parse_period(text, start, end, label):
    p = parse_period(text)
    assert (p.start, p.end) == (start, end)
    if label:
        assert p.label == label
    assert start in p and end in p and start - dt.timedelta(days=1) not in p


@pytest.mark.parametrize(
    "text", ["", "去年", "2022-13", "22", "2022-06..2022-01", "2022..", "a..b"]
)
def test_parse_period_refuses_bad_input_in_chinese(text):
    with pytest.raises(ConfigError) as err:
        parse_period(text)
    assert "考核期" in str(err.value)


# --------------------------------------------------------------------------- folders


@pytest.mark.parametrize(
    "name, no",
    [
        ("3", 3),
        ("03", 3),
        ("第3项", 3),
        ("第 3 项 学习", 3),
        ("3-学习", 3),
        ("3.", 3),
        ("03 学习文明行为促进条例", 3),
        ("3.学习文明行为促进条例", 3),
        ("3、学习", 3),
        ("（3）学习", 3),
        ("第三项 学习", 3),
        ("12 志愿服务", 12),
        ("3.1 子项", None),
        ("学习 3", None),
        ("20220503 活动", None),
    ],
)
def test_item_folder_names(name, no):
    assert leading_number(name) == no


def test_folder_variants_map_to_their_items(tmp_path):
    root = tmp_path / "材料"
    names = ["1", "02", "第3项", "4-", "5.", "06 学习文明行为促进条例", "7.学习…", "第八项 志愿"]
    for seed, name in enumerate(names, 1):
        jpeg(root / name / "a.jpg", seed=seed)
    evidence, findings = collect(evidence_dir=root)
    assert sorted(e.item_no for e in evidence) == [1, 2, 3, 4, 5, 6, 7, 8]
    assert findings == []


def test_group_folders_files_and_annotations(tmp_path):
    root = tmp_path / "材料"
    item = root / "03 学习文明行为促进条例"
    jpeg(item / "2022-05-03 礼让斑马线 东双桥社区" / "IMG_2.jpg", seed=2)
    jpeg(item / "2022-05-03 礼让斑马线 东双桥社区" / "IMG_10.jpg", seed=3)
    jpeg(item / "2022-05-03 礼让斑马线 东双桥社区" / "现场" / "IMG_9.jpg", seed=4)
    jpeg(item / "城南社区 垃圾分类" / "a.jpg", seed=5, taken="2022-04-18")
    docx(item / "情况说明.docx")
    evidence, findings = collect(evidence_dir=root)
    assert findings == []
    ev = by_path(evidence)
    group = "03 学习文明行为促进条例/2022-05-03 礼让斑马线 东双桥社区"
    photo = ev[f"{group}/IMG_2.jpg"]
    assert (photo.group, photo.group_name, photo.group_date) == (
        group,
        "2022-05-03 礼让斑马线 东双桥社区",
        dt.date(2022, 5, 3),
    )
    assert photo.annotation == "礼让斑马线 东双桥社区"
    assert photo.date == dt.date(2022, 5, 3)  # no EXIF: the group folder's date
    assert photo.location.path == photo.path and photo.kind == "image" and photo.object == "jpg"
    deeper = ev[f"{group}/现场/IMG_9.jpg"]
    assert deeper.group == group  # deeper files belong to the group folder
    undated_group = ev["03 学习文明行为促进条例/城南社区 垃圾分类/a.jpg"]
    assert undated_group.group_date is None and undated_group.date == dt.date(2022, 4, 18)
    loose = ev["03 学习文明行为促进条例/情况说明.docx"]
    assert (loose.group, loose.annotation, loose.kind, loose.date) == (
        None,
        "情况说明",
        "document",
        None,
    )
    # natural order within a folder: IMG_2 before IMG_10
    paths = [e.path for e in evidence]
    assert paths.index(f"{group}/IMG_2.jpg") < paths.index(f"{group}/IMG_10.jpg")


def test_lock_and_system_files_are_skipped(tmp_path):
    item = tmp_path / "材料" / "1 学习"
    jpeg(item / "a.jpg")
    for name in ("~$情况说明.docx", ".~情况说明.docx", "Thumbs.db", ".DS_Store", "desktop.ini"):
        (item / name).write_bytes(b"junk")
    evidence, findings = collect(evidence_dir=tmp_path / "材料")
    assert [e.path for e in evidence] == ["1 学习/a.jpg"] and findings == []


def test_missing_evidence_folder_is_an_error(tmp_path):
    with pytest.raises(EvidenceError, match="不存在"):
        collect(evidence_dir=tmp_path / "无")


def test_progress_is_reported(tmp_path):
    for i in range(3):
        png(tmp_path / "材料" / "1" / f"{i}.png", seed=i)
    seen = []
    collect(evidence_dir=tmp_path / "材料", progress=lambda d, t: seen.append((d, t)))
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="needs byte file names")
def test_gbk_file_names_are_shown_readably(tmp_path):
    folder = tmp_path / "材料" / "1"
    folder.mkdir(parents=True)
    name = os.path.join(os.fsencode(folder), "活动照片".encode("gbk") + b".jpg")
    picture(1).save(name.decode("utf-8", "surrogateescape"), "JPEG")
    evidence, findings = collect(evidence_dir=tmp_path / "材料")
    assert [e.path for e in evidence] == ["1/活动照片.jpg"] and evidence[0].counted


# --------------------------------------------------------------------------- one test per code


def test_not_an_image(tmp_path):
    item = tmp_path / "材料" / "2"
    pdf(item / "扫描.jpg")
    (item / "说明.png").write_text("这不是图片", encoding="utf-8")
    evidence, findings = collect(evidence_dir=tmp_path / "材料")
    assert codes(findings) == ["not-an-image", "not-an-image"]
    assert all(not e.counted for e in evidence)
    assert by_path(evidence)["2/扫描.jpg"].kind == "document"
    assert findings[0].params["actual"] == "PDF文档" and findings[0].item_no == 2


def test_outside_period_by_exif_and_by_folder_date(tmp_path):
    item = tmp_path / "材料" / "3"
    jpeg(item / "2022-05-03 活动" / "in.jpg", seed=1, taken="2022-05-03")
    jpeg(item / "2022-05-03 活动" / "exif-out.jpg", seed=2, taken="2021-12-30")
    jpeg(item / "2021-11-11 旧活动" / "folder-out.jpg", seed=3)
    jpeg(item / "无日期" / "undated.jpg", seed=4)
    docx(item / "2021-01-01 方案" / "doc.docx")
    evidence, findings = collect(evidence_dir=tmp_path / "材料", period=parse_period("2022"))
    assert codes(findings) == ["outside-period", "outside-period"]
    flagged = {f.params["path"]: f.params for f in findings}
    assert flagged["3/2021-11-11 旧活动/folder-out.jpg"]["source"] == "文件夹日期"
    assert flagged["3/2022-05-03 活动/exif-out.jpg"]["date"] == "2021-12-30"
    ev = by_path(evidence)
    assert ev["3/无日期/undated.jpg"].counted  # undated: never flagged
    assert ev["3/2021-01-01 方案/doc.docx"].counted  # only photos are dated
    assert ev["3/2022-05-03 活动/in.jpg"].counted
    assert not ev["3/2022-05-03 活动/exif-out.jpg"].counted


def test_period_may_be_given_as_text(tmp_path):
    jpeg(tmp_path / "材料" / "3" / "a.jpg", taken="2021-05-03")
    _evidence, findings = collect(evidence_dir=tmp_path / "材料", period="2022")
    assert codes(findings) == ["outside-period"]


def test_duplicate_image_first_copy_is_in_the_lowest_item(tmp_path):
    root = tmp_path / "材料"
    original = jpeg(root / "10 宣传" / "a.jpg", seed=1)
    (root / "2 学习" / "活动").mkdir(parents=True)
    (root / "2 学习" / "活动" / "z.jpg").write_bytes(original.read_bytes())
    (root / "10 宣传" / "copy.jpg").write_bytes(original.read_bytes())
    jpeg(root / "10 宣传" / "other.jpg", seed=2)
    evidence, findings = collect(evidence_dir=root)
    assert codes(findings) == ["duplicate-image", "duplicate-image"]
    ev = by_path(evidence)
    assert ev["2 学习/活动/z.jpg"].counted
    assert ev["10 宣传/a.jpg"].duplicate_of == "2 学习/活动/z.jpg"
    assert not ev["10 宣传/a.jpg"].counted and not ev["10 宣传/copy.jpg"].counted
    assert ev["10 宣传/other.jpg"].counted
    assert {f.item_no for f in findings} == {10}


def test_near_duplicate_image_is_counted_and_reported(tmp_path):
    item = tmp_path / "材料" / "4"
    jpeg(item / "a.jpg", seed=5, size=(1600, 1200), taken="2022-05-03")
    picture(5, (1600, 1200)).resize((800, 600)).save(item / "b.jpg", quality=60)
    jpeg(item / "c.jpg", seed=6, size=(1600, 1200))
    evidence, findings = collect(evidence_dir=tmp_path / "材料")
    assert codes(findings) == ["near-duplicate-image"]
    ev = by_path(evidence)
    assert ev["4/b.jpg"].counted and ev["4/b.jpg"].near_duplicate_of == "4/a.jpg"
    assert ev["4/c.jpg"].near_duplicate_of is None
    assert findings[0].severity == "warning"


def test_unreadable_file(tmp_path):
    item = tmp_path / "材料" / "5"
    data = jpeg(item / "ok.jpg", seed=1, size=(640, 480)).read_bytes()
    (item / "cut.jpg").write_bytes(data[: len(data) // 3])
    if hasattr(os, "symlink"):
        _symlink(item / "gone.jpg", item / "dangling.jpg")  # points inside, at nothing
    evidence, findings = collect(evidence_dir=tmp_path / "材料")
    assert set(codes(findings)) == {"unreadable-file"}
    flagged = {f.params["path"] for f in findings}
    assert "5/cut.jpg" in flagged
    assert not by_path(evidence)["5/cut.jpg"].counted and by_path(evidence)["5/ok.jpg"].counted
    if hasattr(os, "symlink"):
        assert "5/dangling.jpg" in flagged


def test_empty_file(tmp_path):
    item = tmp_path / "材料" / "6"
    (item).mkdir(parents=True)
    (item / "空.docx").write_bytes(b"")
    evidence, findings = collect(evidence_dir=tmp_path / "材料")
    assert codes(findings) == ["empty-file"] and not evidence[0].counted


def test_unknown_item_folder_and_loose_files(tmp_path):
    root = tmp_path / "材料"
    jpeg(root / "99 不存在的条目" / "a.jpg")
    jpeg(root / "杂项" / "b.jpg", seed=2)
    jpeg(root / "c.jpg", seed=3)
    evidence, findings = collect(evidence_dir=root)
    assert evidence == []
    assert sorted(codes(findings)) == [
        "file-outside-item-folder",
        "unknown-item-folder",
        "unknown-item-folder",
    ]


def test_heic_no_decoder(tmp_path):
    pytest.importorskip("PIL")
    try:
        import pillow_heif  # noqa: F401

        pytest.skip("pillow-heif installed: HEIC decodes here")
    except ImportError:
        pass
    heic(tmp_path / "材料" / "7" / "2022-05-03 活动" / "IMG_0001.HEIC")
    evidence, findings = collect(evidence_dir=tmp_path / "材料", period="2022")
    assert codes(findings) == ["heic-no-decoder"]
    [photo] = evidence
    assert photo.kind == "image" and photo.counted and photo.date == dt.date(2022, 5, 3)


@needs_symlink
def test_symlink_out_of_the_tree_is_refused(tmp_path):
    outside = tmp_path / "外部"
    jpeg(outside / "a.jpg")
    item = tmp_path / "材料" / "8"
    jpeg(item / "ok.jpg", seed=2)
    _symlink(outside, item / "链接文件夹")
    _symlink(outside / "a.jpg", item / "链接.jpg")
    _symlink(outside, tmp_path / "材料" / "9")
    evidence, findings = collect(evidence_dir=tmp_path / "材料")
    assert codes(findings) == ["path-outside-root"] * 3
    assert [e.path for e in evidence] == ["8/ok.jpg"]


# --------------------------------------------------------------------------- ledgers


def test_declared_rows(tmp_path):
    book = ledger(
        tmp_path / "党建办台账.xlsx",
        [
            {
                "条目": 3,
                "部门": "党建办",
                "日期": "2022-05-03",
                "地点": "东双桥社区",
                "主题": "礼让斑马线",
                "类型": "照片",
                "数量": 3,
            },
            {"条目": "第4项", "部门": "党建办", "类型": "名单", "数量": "1份"},
            {"条目": 5, "部门": "工会", "类型": "视频", "数量": None, "主题": "宣传片"},
            {
                "条目": 5,
                "部门": "工会",
                "路径": Link("https://mp.weixin.qq.com/s/x"),
                "类型": "报道",
                "数量": 1,
            },
        ],
    )
    evidence, findings = collect(ledgers=[book])
    assert codes(findings) == [
        "declared-only",
        "declared-only",
        "declared-no-count",
        "path-is-link",  # a web link is no file path (issue 18)
    ]
    blank = next(f for f in findings if f.code == "declared-no-count")
    assert "没有填写数量" in blank.message and "「" not in blank.message.split("路径，")[1]
    photos, names, video, article = evidence
    assert (photos.kind, photos.count, photos.declared, photos.department) == (
        "image",
        3,
        True,
        "党建办",
    )
    assert photos.group == "ledger:党建办台账.xlsx:2"
    assert (photos.group_date, photos.date) == (dt.date(2022, 5, 3), dt.date(2022, 5, 3))
    assert photos.annotation == "东双桥社区 礼让斑马线"
    assert photos.group_name == "2022-05-03 东双桥社区 礼让斑马线"
    assert (photos.location.path, photos.location.sheet, photos.location.cell) == (
        str(book),
        "佐证台账",
        "A2",
    )
    assert (names.item_no, names.kind, names.object, names.count) == (4, "document", "名单", 1)
    assert (video.kind, video.count) == ("video", 0)
    assert (article.kind, article.path, article.declared) == (
        "document",
        "https://mp.weixin.qq.com/s/x",
        True,
    )
    assert findings[0].department == "党建办" and findings[0].location.cell == "A2"


def test_declared_photo_row_outside_period(tmp_path):
    book = ledger(
        tmp_path / "a.xlsx", [{"条目": 3, "日期": "2021-05-03", "类型": "照片", "数量": 3}]
    )
    evidence, findings = collect(ledgers=[book], period="2022")
    # one note, not 「按台账填报的数量3计入」 beside 「不在考核期…未计入」
    assert codes(findings) == ["outside-period"] and not evidence[0].counted


def test_unknown_item(tmp_path):
    book = ledger(
        tmp_path / "a.xlsx", [{"条目": 40, "数量": 3}, {"条目": None, "主题": "x", "数量": 1}]
    )
    evidence, findings = collect(ledgers=[book])
    assert evidence == [] and codes(findings) == ["unknown-item", "item-blank"]
    assert findings[0].location.cell == "A2"


def test_path_rows_outside_the_evidence_tree(tmp_path):
    books = tmp_path / "台账"
    jpeg(books / "照片" / "a.jpg", seed=1)
    jpeg(books / "照片" / "b.jpg", seed=2)
    docx(books / "方案.docx")
    book = ledger(
        books / "团委台账.xlsx",
        [
            {
                "条目": 9,
                "部门": "团委",
                "日期": dt.date(2022, 3, 5),
                "地点": "城南社区",
                "主题": "学雷锋",
                "路径": "照片",
            },
            {"条目": 9, "类型": "方案", "路径": Link("方案.docx")},
            {"条目": 9, "路径": "照片/无此文件.jpg"},
        ],
    )
    evidence, findings = collect(ledgers=[book])
    assert codes(findings) == ["ledger-path-missing"]
    assert findings[0].location.cell == "H4"
    ev = by_path(evidence)
    assert set(ev) == {"照片/a.jpg", "照片/b.jpg", "方案.docx"}
    a = ev["照片/a.jpg"]
    assert (a.group, a.group_date, a.annotation, a.department) == (
        "ledger:团委台账.xlsx:2",
        dt.date(2022, 3, 5),
        "城南社区 学雷锋",
        "团委",
    )
    assert a.date == dt.date(2022, 3, 5) and not a.declared and a.count == 1
    assert (ev["方案.docx"].kind, ev["方案.docx"].object) == ("document", "方案")


def test_a_count_above_the_files_at_its_path_is_told(tmp_path):
    """数量 3 with 2 photos in the folder: counted as 2, and the row is told why."""
    books = tmp_path / "台账"
    jpeg(books / "中秋" / "a.jpg", seed=1)
    jpeg(books / "中秋" / "b.jpg", seed=2)
    jpeg(books / "端午" / "c.jpg", seed=3)
    book = ledger(
        books / "护理部台账.xlsx",
        [
            {"条目": 9, "部门": "护理部", "日期": dt.date(2022, 9, 10), "主题": "中秋",
             "类型": "照片", "数量": 3, "路径": "中秋"},
            {"条目": 9, "部门": "护理部", "日期": dt.date(2022, 6, 3), "主题": "端午",
             "类型": "照片", "数量": 1, "路径": "端午"},
        ],
    )  # fmt: skip
    evidence, findings = collect(ledgers=[book])
    [said] = [f for f in findings if f.code == "count-above-files"]
    assert (said.params["count"], said.params["files"], said.location.cell) == (3, 2, "A2")
    assert said.department == "护理部" and "按2个计入" in said.message
    assert len([e for e in evidence if e.counted]) == 3


def test_ledger_path_escape_with_dots_is_refused(tmp_path):
    secret = tmp_path / "secret.jpg"
    jpeg(secret)
    root = tmp_path / "单位" / "材料"
    jpeg(root / "1" / "a.jpg", seed=2)
    book = ledger(
        tmp_path / "单位" / "台账" / "a.xlsx",
        [{"条目": 1, "路径": "../../secret.jpg"}, {"条目": 1, "路径": "..\\..\\secret.jpg"}],
    )
    evidence, findings = collect(evidence_dir=root, ledgers=[book])
    assert codes(findings) == ["path-outside-root", "path-outside-root"]
    assert [e.path for e in evidence] == ["1/a.jpg"]


@needs_symlink
def test_ledger_path_through_a_symlink_out_is_refused(tmp_path):
    outside = tmp_path / "外部"
    jpeg(outside / "a.jpg")
    books = tmp_path / "台账"
    books.mkdir()
    _symlink(outside, books / "照片")
    book = ledger(
        books / "a.xlsx", [{"条目": 1, "路径": "照片/a.jpg"}, {"条目": 1, "路径": "照片"}]
    )
    evidence, findings = collect(ledgers=[book])
    assert evidence == [] and codes(findings) == ["path-outside-root", "path-outside-root"]


def test_ledger_row_and_its_folder_are_one_group(tmp_path):
    root = tmp_path / "材料"
    group = root / "03 学习" / "礼让斑马线"
    jpeg(group / "1.jpg", seed=1)
    jpeg(group / "2.jpg", seed=2)
    docx(root / "03 学习" / "说明.docx")
    book = ledger(
        tmp_path / "台账.xlsx",
        [
            {
                "条目": 3,
                "部门": "文明办",
                "日期": "2022-05-03",
                "地点": "东双桥社区",
                "路径": "材料/03 学习/礼让斑马线",
                "数量": 2,
            },
            {"条目": 3, "类型": "说明", "路径": "03 学习/说明.docx"},
        ],
    )
    evidence, findings = collect(evidence_dir=root, ledgers=[book])
    assert findings == []
    assert len(evidence) == 3 and not any(e.declared for e in evidence)
    ev = by_path(evidence)
    one = ev["03 学习/礼让斑马线/1.jpg"]
    assert one.group == "03 学习/礼让斑马线" == ev["03 学习/礼让斑马线/2.jpg"].group
    assert one.annotation == "礼让斑马线 东双桥社区"
    assert one.group_date == dt.date(2022, 5, 3) and one.department == "文明办"
    note = ev["03 学习/说明.docx"]
    assert note.group == "ledger:台账.xlsx:3" and note.object == "说明"


def test_task_workbook_ledger_sheet_and_ledger_dir(tmp_path):
    import openpyxl

    table = tmp_path / "任务表.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "任务分工"
    wb.active.append(["序号", "工作任务", "分值"])
    wb.save(table)
    ledger(table, [{"条目": 1, "类型": "照片", "数量": 2}], workbook=table)
    folder = tmp_path / "各部门台账"
    ledger(folder / "团委.xlsx", [{"条目": 2, "部门": "团委", "类型": "文件", "数量": 1}])
    ledger(folder / "工会.xlsx", [{"条目": 3, "类型": "照片", "数量": 4}], sheet="台账")
    (folder / "~$团委.xlsx").write_bytes(b"lock file of Excel")
    ledger(folder / "通讯录.xlsx", [], header=["部门", "负责人", "邮箱"], sheet="通讯录")
    evidence, findings = collect(workbook=table, ledger_dir=folder)
    assert [(e.item_no, e.count) for e in evidence] == [(1, 2), (2, 1), (3, 4)]
    assert sorted(codes(findings)) == ["declared-only"] * 3 + ["ledger-not-found"]


def test_ledger_dir_keeps_going_past_a_broken_workbook(tmp_path):
    folder = tmp_path / "台账"
    folder.mkdir()
    (folder / "坏.xlsx").write_text("not a workbook", encoding="utf-8")
    ledger(folder / "好.xlsx", [{"条目": 1, "数量": 1}])
    evidence, findings = collect(ledger_dir=folder)
    assert len(evidence) == 1 and sorted(codes(findings)) == ["declared-only", "unreadable-file"]
    with pytest.raises(EvidenceError):
        collect(ledgers=[folder / "坏.xlsx"])


def test_string_item_numbers(tmp_path):
    items = [Item(no="一.(一).1", text="a"), Item(no="一.(一).2", text="b")]
    jpeg(tmp_path / "材料" / "一.(一).2 宣传" / "a.jpg")
    book = ledger(tmp_path / "a.xlsx", [{"条目": "一.（一）.1", "数量": 1}])
    evidence, findings = collect_evidence(items, evidence_dir=tmp_path / "材料", ledgers=[book])
    assert [e.item_no for e in evidence] == ["一.(一).1", "一.(一).2"]
    assert codes(findings) == ["declared-only"]


def test_period_dataclass_contains():
    p = Period(dt.date(2022, 1, 1), dt.date(2022, 6, 30), "上半年")
    assert dt.date(2022, 6, 30) in p and dt.date(2022, 7, 1) not in p and None not in p


def test_duplicate_across_ledger_and_tree_keeps_the_lower_item(tmp_path):
    root = tmp_path / "材料"
    first = jpeg(root / "3 学习" / "y.jpg", seed=1)
    books = tmp_path / "台账"
    (books / "0照片").mkdir(parents=True)
    (books / "0照片" / "x.jpg").write_bytes(first.read_bytes())  # sorts first by path
    book = ledger(books / "a.xlsx", [{"条目": 5, "路径": "0照片/x.jpg"}])
    evidence, findings = collect(evidence_dir=root, ledgers=[book])
    assert codes(findings) == ["duplicate-image"]
    ev = by_path(evidence)
    assert ev["3 学习/y.jpg"].counted
    assert ev["0照片/x.jpg"].duplicate_of == "3 学习/y.jpg" and findings[0].item_no == 5


def test_a_copied_ledger_is_counted_once_and_reported(tmp_path, table_2022):
    """「工会-佐证台账 - 副本.xlsx」 beside its original (and a re-saved 「(1)」) adds nothing."""
    import datetime as dt
    import shutil

    import openpyxl
    from imgs import ledger

    from wenming_xl.runs.check import run_check

    rows = [
        {"条目": n, "部门": "工会", "日期": dt.date(2022, 5, d), "地点": "工会活动室",
         "主题": f"活动{d}", "类型": "照片", "数量": 2}
        for n in (1, 3, 4) for d in (3, 9)
    ]  # fmt: skip
    one = tmp_path / "一份"
    one.mkdir()
    ledger(one / "工会-佐证台账.xlsx", rows)
    single = run_check(table_2022, ledger_dir=one, period="2022")

    two = tmp_path / "含副本"
    shutil.copytree(one, two)
    shutil.copy(two / "工会-佐证台账.xlsx", two / "工会-佐证台账 - 副本.xlsx")
    wb = openpyxl.load_workbook(two / "工会-佐证台账.xlsx")
    wb.save(two / "工会-佐证台账(1).xlsx")  # saved again by another program: same rows
    doubled = run_check(table_2022, ledger_dir=two, period="2022")

    assert doubled.total == single.total
    assert [ev.item_no for r in doubled.items for ev in r.evidence] == [
        ev.item_no for r in single.items for ev in r.evidence
    ]
    copies = [f for f in doubled.all_findings() if f.code == "ledger-copy"]
    assert sorted(f.location.path.rsplit("/", 1)[-1] for f in copies) == [
        "工会-佐证台账 - 副本.xlsx",
        "工会-佐证台账(1).xlsx",
    ]
    assert all(f.params["original"] == "工会-佐证台账.xlsx" for f in copies)


def test_looks_like_copy():
    from wenming_xl.evidence.ledger import looks_like_copy

    copies = ["台账 - 副本.xlsx", "台账 - 副本 (2).xlsx", "台账(1).xlsx", "台账（2）.xlsx",
              "台账 - Copy.xlsx", "Copy of 台账.xlsx", "台账 - 1.xlsx"]  # fmt: skip
    originals = ["工会-佐证台账.xlsx", "2022年台账.xlsx", "党建办-1.xlsx", "copyright.xlsx"]
    assert all(looks_like_copy(n) for n in copies)
    assert not any(looks_like_copy(n) for n in originals)


def test_dates_that_cannot_be_read_are_findings_with_their_cell(tmp_path, table_2022):
    """「5月3日」 takes the period's year; 「2022-02-30」, 「2022年7月」, 「昨天」 are reported."""
    import datetime as dt

    from imgs import ledger

    from wenming_xl.runs.check import run_check

    written = [
        "5月3日",
        "9月1日",
        "2022年7月",
        "2022年13月5日",
        "2022-02-30",
        "昨天",
        dt.date(2022, 5, 9),
    ]
    rows = [
        {"条目": 1, "部门": "党建办", "日期": d, "地点": "会议室", "主题": f"学习{k}",
         "类型": "照片", "数量": 1}
        for k, d in enumerate(written)
    ]  # fmt: skip
    folder = tmp_path / "台账"
    folder.mkdir()
    book = ledger(folder / "党建办-佐证台账.xlsx", rows)
    report = run_check(table_2022, ledger_dir=folder, period="2022-01..2022-06")
    found = [f for f in report.all_findings() if f.code.startswith("date-")]
    by_cell = {f.location.cell: f for f in found}
    assert {c: f.code for c, f in by_cell.items()} == {
        "C2": "date-year-assumed",
        "C3": "date-year-assumed",
        "C4": "date-unreadable",
        "C5": "date-unreadable",
        "C6": "date-unreadable",
        "C7": "date-unreadable",
    }
    assert all(f.location.path == str(book) and f.item_no == 1 for f in found)
    assert all(f.department == "党建办" for f in found)
    item1 = next(r for r in report.items if r.item.no == 1)
    dates = sorted(str(ev.date) for ev in item1.evidence if ev.counted)
    # 9月1日 became 2022-09-01: outside 2022-01..2022-06, not counted; unreadable dates still count
    assert dates == ["2022-05-03", "2022-05-09", "None", "None", "None", "None"]
    outside = [f for f in item1.findings if f.code == "outside-period"]
    assert len(outside) == 1


def test_a_row_for_another_departments_item_is_told_to_both(tmp_path, table_2022):
    """工会 typed 32 for 21: the row counts, and 工会 and item 32's own departments are told."""
    import datetime as dt

    from imgs import ledger

    from wenming_xl.outputs.mail.extract import department_gaps
    from wenming_xl.runs.check import run_check

    folder = tmp_path / "台账"
    folder.mkdir()
    rows = [{"条目": 32, "部门": "工会", "日期": dt.date(2022, 5, 3), "地点": "工会活动室",
             "主题": "承办活动", "类型": "照片", "数量": 3},
            # sheet row 3 holds item 3: the row number must not be mistaken for the item's
            {"条目": 3, "部门": "纪检监察室", "日期": dt.date(2022, 5, 4), "地点": "会议室",
             "主题": "廉政学习", "类型": "照片", "数量": 2}]  # fmt: skip
    ledger(folder / "工会-佐证台账.xlsx", rows)
    report = run_check(table_2022, ledger_dir=folder, period="2022")
    item = next(r for r in report.items if r.item.no == 32)
    assert "工会" not in item.item.departments
    [found] = [f for f in item.findings if f.code == "not-own-item"]
    assert found.department == "工会" and found.location.sheet == "佐证台账"
    gap = next(g for g in department_gaps(report, "工会") if g.no == 32)
    assert not gap.leads and gap.findings == [found]
    for lead in item.item.departments:
        assert any(found in g.findings for g in department_gaps(report, lead)), lead
    assert "「工会」填报" in found.message and "行行" not in found.message
    [row3] = [f for f in report.all_findings() if f.code == "not-own-item" and f.item_no == 3]
    assert row3.params["rows"] == 1 and "第3行由「纪检监察室」填报" in row3.message
    from wenming_xl.config import Profile
    from wenming_xl.outputs.notices.kinds import bulletin_notice

    notice = bulletin_notice(report, Profile(), month="2022-06")
    rows = [row for page in notice.attachment_pages if page.table for row in page.table.rows]
    for dep in ["工会", *item.item.departments]:
        assert any(row[0] == dep and str(row[1]) == "32" for row in rows), dep


def test_the_cache_file_beside_a_workbook_inside_the_evidence_folder_is_not_evidence(tmp_path):
    """The office keeps 任务分工.xlsx in 材料/ itself: wenming.sqlite appears there after a run."""
    import shutil

    from click.testing import CliRunner

    from wenming_xl.cli import cli
    from wenming_xl.runs.sample import prepare_demo

    table, evidence = prepare_demo(tmp_path / "demo")
    inside = evidence / table.name
    shutil.move(str(table), str(inside))
    args = ["check", str(inside), "--evidence", str(evidence), "--period", "2022", "--json", "-"]
    runner = CliRunner()
    for _ in range(2):  # the second run sees the first run's wenming.sqlite (and outputs)
        res = runner.invoke(cli, args + ["--out", str(tmp_path / "out")])
        assert res.exit_code == 0, res.output
    assert (evidence / "wenming.sqlite").is_file()
    assert "wenming.sqlite" not in res.stdout


def test_a_departments_own_ledger_problems_reach_its_mail_list_and_bulletin(tmp_path, table_2022):
    """A kit ledger filled by a program (部门 is the kit's formula, no cached value): an unknown
    item 「O3」, a refused path and a Windows copy are 工会's, in its mail, 督查清单 and bulletin rows."""
    import email
    import email.policy
    import shutil

    import openpyxl

    from wenming_xl.config import Contact, Profile
    from wenming_xl.outputs.mail.extract import department_gaps, write_extract
    from wenming_xl.outputs.mail.messages import build_messages, message_bytes
    from wenming_xl.outputs.notices.kinds import bulletin_notice
    from wenming_xl.outputs.workbooks.kits import make_kits
    from wenming_xl.runs.check import run_check

    kits = tmp_path / "部门台账"
    make_kits(table_2022, kits)
    book = kits / "工会-佐证台账.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["佐证台账"]
    filled = [
        ("3", "2022-05-03", "工会活动室", "读书会", "照片", 3, None),
        ("O3", "2022-05-09", "工会活动室", "健步走", "照片", 2, None),
        ("4", "2022-05-10", "会议室", "职工代表大会", "照片", None, "../../机密/名单.xlsx"),
    ]
    for r, (no, day, place, theme, kind, count, path) in enumerate(filled, start=3):
        for col, value in zip("ACDEFGH", (no, day, place, theme, kind, count, path)):
            ws[f"{col}{r}"] = value
    wb.save(book)
    assert ws["B3"].value.startswith("=IF(")  # the kit's formula stays, with no cached value
    shutil.copy(book, kits / "工会-佐证台账 - 副本.xlsx")

    report = run_check(table_2022, ledger_dir=kits, period="2022")
    by_code = {f.code: f for f in report.all_findings() if f.department == "工会"}
    assert {"unknown-item", "path-outside-root", "ledger-copy"} <= set(by_code)
    assert by_code["unknown-item"].location.cell and by_code["unknown-item"].item_no is None
    assert by_code["path-outside-root"].item_no == 4
    assert not [f for f in report.all_findings() if f.code == "ledger-no-department"]

    gaps = department_gaps(report, "工会")
    loose = [g for g in gaps if g.result is None]
    assert len(loose) == 1
    assert {f.code for f in loose[0].findings} >= {"unknown-item", "ledger-copy"}
    item4 = next(g for g in gaps if g.no == 4)
    assert by_code["path-outside-root"] in item4.findings
    assert all(f.department in ("工会", None) for g in gaps for f in g.findings if not g.leads)

    contacts = {"工会": Contact("工会", "王主席", "gh@example.org")}
    plan = build_messages(report, contacts, Profile(), month="2022-06", sender="wmb@example.org")
    [mail] = [m for m in plan.messages if m.department == "工会"]
    raw = email.message_from_bytes(message_bytes(mail.message), policy=email.policy.default)
    body = raw.get_body(preferencelist=("plain",)).get_content()
    for code in ("unknown-item", "ledger-copy", "path-outside-root"):
        assert by_code[code].message in body, code
    target = write_extract(report, "工会", tmp_path / "工会.xlsx", month_label="2022年6月")
    cells = [
        str(c.value) for row in openpyxl.load_workbook(target)["督查清单"].iter_rows() for c in row
    ]
    assert any(by_code["unknown-item"].message in c for c in cells)
    assert "台账" in cells

    notice = bulletin_notice(report, Profile(), month="2022-06")
    rows = [row for page in notice.attachment_pages if page.table for row in page.table.rows]
    assert any(row[0] == "工会" and str(row[1]) == "台账" for row in rows)
    # no other department is told about 工会's ledger rows not tied to one of its items
    for other in ("党建办", "团委"):
        assert not [g for g in department_gaps(report, other) if g.result is None]


def test_a_row_naming_files_for_another_departments_item_is_told_to_both(tmp_path, table_2022):
    """A row with a path (not only a declared 数量) for an item its department does not lead."""
    from imgs import ledger

    from wenming_xl.runs.check import run_check

    folder = tmp_path / "台账"
    photos = [jpeg(folder / "照片" / f"{k}.jpg", seed=k, taken="2022-05-03") for k in range(3)]
    ledger(folder / "工会-佐证台账.xlsx",
           [{"条目": 32, "部门": "工会", "类型": "照片", "路径": "照片"}])  # fmt: skip
    report = run_check(table_2022, ledger_dir=folder, period="2022")
    item = next(r for r in report.items if r.item.no == 32)
    assert sum(1 for ev in item.evidence if ev.counted) == len(photos)
    [found] = [f for f in item.findings if f.code == "not-own-item"]
    assert found.department == "工会" and found.location.sheet == "佐证台账"
    assert "第2行由「工会」填报" in found.message


def test_a_row_pointing_into_another_items_folder_counts_there_and_says_so(tmp_path, table_2022):
    """The folder says what the files are for: item 21's folder, a row typed 32."""
    from imgs import ledger

    from wenming_xl.runs.check import run_check

    kits = tmp_path / "部门台账"
    for k in range(2):
        jpeg(
            kits / "工会-佐证材料" / "21 关爱员工" / "慰问" / f"{k}.jpg", seed=k, taken="2022-04-20"
        )
    ledger(kits / "工会-佐证台账.xlsx",
           [{"条目": 32, "部门": "工会", "类型": "照片",
             "路径": "工会-佐证材料/21 关爱员工/慰问"}])  # fmt: skip
    report = run_check(table_2022, ledger_dir=kits, period="2022")
    by_no = {r.item.no: r for r in report.items}
    assert sum(1 for ev in by_no[21].evidence if ev.counted) == 2
    assert not [ev for ev in by_no[32].evidence if ev.counted]
    [found] = [f for f in by_no[32].findings if f.code == "row-in-other-item-folder"]
    assert found.department == "工会" and found.params["other"] == "第21项"
    assert not [f for f in report.all_findings() if f.code == "not-own-item"]
    assert not [f for f in by_no[21].findings if f.code == "kit-file-unlisted"]


@pytest.mark.parametrize(
    ("rows", "declared", "unlisted", "folders"),
    [
        # the row's date is the folder's: one activity
        ([{"日期": "2022-05-03", "主题": "读书会", "数量": 3}], 0, False, 1),
        # no date, but the theme is in the folder's name
        ([{"主题": "读书会", "数量": 3}], 0, False, 1),
        # another date: another activity, declared on its own; the folder is unlisted
        ([{"日期": "2022-06-01", "主题": "读书会", "数量": 3}], 1, True, 1),
        # two rows, one folder: the first that fits takes it
        ([{"日期": "2022-05-03", "主题": "读书会", "数量": 3},
          {"日期": "2022-05-03", "主题": "读书会", "数量": 3}], 1, False, 1),
        # no date, and two folders fit the theme alike: the row takes both, never counted apart
        ([{"主题": "读书会", "数量": 3}], 0, False, 2),
    ],
)  # fmt: skip
def test_a_ledger_row_without_a_path_takes_its_kit_folder(
    tmp_path, table_2022, rows, declared, unlisted, folders
):
    from imgs import ledger

    from wenming_xl.runs.check import run_check

    kits = tmp_path / "部门台账"
    names = ["2022-05-03 读书会", "2022-06-07 读书会"][:folders]
    for n, folder in enumerate(names):
        for k in range(3):
            jpeg(kits / "工会-佐证材料" / "23 文体活动" / folder / f"{k}.jpg", seed=10 * n + k)
    ledger(kits / "工会-佐证台账.xlsx",
           [{"条目": 23, "部门": "工会", "类型": "照片", **row} for row in rows])  # fmt: skip
    report = run_check(table_2022, ledger_dir=kits, period="2022")
    item = next(r for r in report.items if r.item.no == 23)
    assert sum(1 for ev in item.evidence if ev.declared and ev.counted) == declared
    assert sum(1 for ev in item.evidence if not ev.declared and ev.counted) == 3 * folders
    assert bool([f for f in item.findings if f.code == "kit-file-unlisted"]) is unlisted


def test_a_date_without_a_year_needs_a_period(tmp_path, table_2022):
    """No period: 「5月3日」 cannot be placed, and says why; a period across two years places it."""
    import openpyxl
    from imgs import ledger

    from wenming_xl.runs.check import run_check

    folder = tmp_path / "台账"
    ledger(folder / "工会-佐证台账.xlsx",
           [{"条目": 23, "部门": "工会", "日期": d, "类型": "照片", "数量": 1}
            for d in ("5月3日", "9月1日")])  # fmt: skip
    wb = openpyxl.load_workbook(table_2022)  # a title without a year: no period at all
    wb.active["A1"] = "文明单位创建工作任务及责任分工"
    untitled = tmp_path / "任务分工.xlsx"
    wb.save(untitled)
    first = run_check(untitled, ledger_dir=folder)
    assert first.period is None and first.period_source == ""
    found = {f.location.cell: f for f in first.all_findings() if f.code.startswith("date-")}
    assert {c: f.code for c, f in found.items()} == {"C2": "date-no-year", "C3": "date-no-year"}
    report = run_check(table_2022, ledger_dir=folder, period="2022-07..2023-06")
    dates = sorted(str(ev.date) for r in report.items for ev in r.evidence if ev.declared)
    assert dates == ["2022-09-01", "2023-05-03"]


def test_files_that_all_fail_to_count_are_not_called_missing(tmp_path, table_2022):
    """Photos of 2021 in a 2022 check: 「已有2个文件，但都没有计入」, not 「尚未上传」."""
    from wenming_xl.runs.check import run_check

    for k in range(2):
        jpeg(tmp_path / "材料" / "31 爱心驿站" / f"{k}.jpg", seed=k, taken="2021-12-20")
    report = run_check(table_2022, evidence=tmp_path / "材料", period="2022")
    item = next(r for r in report.items if r.item.no == 31)
    assert item.status == "missing"
    [said] = [f for f in item.findings if f.code == "nothing-counted"]
    assert "不在考核期内2处" in said.message  # the reason itself: a mail leaves 提示 out
    assert "missing-evidence" not in codes(item.findings)
    other = next(r for r in report.items if r.item.no == 30)
    assert "missing-evidence" in codes(other.findings)


def test_a_mistyped_path_is_not_called_nothing_uploaded(tmp_path, table_2022):
    from imgs import ledger

    from wenming_xl.runs.check import run_check

    folder = tmp_path / "台账"
    ledger(folder / "门诊办-佐证台账.xlsx",
           [{"条目": 25, "部门": "门诊办", "类型": "照片", "路径": "门诊办-佐证材料/25 导诊/照片1.jpg"}])  # fmt: skip
    report = run_check(table_2022, ledger_dir=folder, period="2022")
    item = next(r for r in report.items if r.item.no == 25)
    [said] = [f for f in item.findings if f.code == "nothing-counted"]
    assert "台账路径找不到1处" in said.message
    assert "missing-evidence" not in codes(item.findings)


def test_a_copy_filled_on_counts_its_old_rows_once(tmp_path, table_2022):
    """「工会-佐证台账 - 副本.xlsx」 with the original's rows and one more: that one row is added."""
    from imgs import ledger

    from wenming_xl.runs.check import run_check

    folder = tmp_path / "台账"
    rows = [{"条目": 23, "部门": "工会", "日期": f"2022-0{m}-10", "主题": f"活动{m}",
             "类型": "照片", "数量": 1} for m in (3, 4)]  # fmt: skip
    ledger(folder / "工会-佐证台账.xlsx", rows)
    extra = {
        "条目": 23,
        "部门": "工会",
        "日期": "2022-05-10",
        "主题": "活动5",
        "类型": "照片",
        "数量": 1,
    }
    ledger(folder / "工会-佐证台账 - 副本.xlsx", [*rows, extra])
    report = run_check(table_2022, ledger_dir=folder, period="2022")
    item = next(r for r in report.items if r.item.no == 23)
    counted = sorted(ev.group_name for ev in item.evidence if ev.counted)
    assert counted == ["2022-03-10 活动3", "2022-04-10 活动4", "2022-05-10 活动5"]
    [told] = [f for f in report.all_findings() if f.code == "ledger-copy-rows"]
    assert told.department == "工会" and told.params["rows"] == 2 and told.params["rest"] == 1
    assert "副本" in told.params["path"]


def test_a_path_copied_from_explorer_on_another_computer_is_found_beside_the_ledger(
    tmp_path, table_2022
):
    """「D:\\创建\\部门台账\\工会-佐证材料\\22 文体\\书屋」: the tail is found in the kit folder, and said."""
    from imgs import ledger

    from wenming_xl.runs.check import run_check

    kits = tmp_path / "部门台账"
    for k in range(2):
        jpeg(kits / "工会-佐证材料" / "22 文体" / "书屋" / f"{k}.jpg", seed=k, taken="2022-03-01")
    jpeg(tmp_path / "外面" / "书屋" / "x.jpg", seed=9)  # beside, not inside: never read
    ledger(kits / "工会-佐证台账.xlsx", [
        {"条目": 22, "部门": "工会", "类型": "照片", "路径": r"D:\创建\部门台账\工会-佐证材料\22 文体\书屋"},
        {"条目": 22, "部门": "工会", "类型": "照片", "路径": r"D:\创建\外面\书屋\x.jpg"},
    ])  # fmt: skip
    report = run_check(table_2022, ledger_dir=kits, period="2022")
    item = next(r for r in report.items if r.item.no == 22)
    assert sum(1 for ev in item.evidence if ev.counted) == 2
    assert item.status == "met"
    [moved] = [f for f in item.findings if f.code == "path-relocated"]
    assert moved.params["found"] == "工会-佐证材料/22 文体/书屋" and moved.department == "工会"
    assert "path-outside-root" in codes(item.findings)  # the other one stays refused
