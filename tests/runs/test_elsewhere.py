"""Files made elsewhere (issue 18): GBK names, other programs' workbooks, odd zips, broken files.

Every test builds the file the way the office gets it (a Windows zip's GBK names on
Linux, a workbook another program wrote, a damaged database) and runs the real check.
"""

from __future__ import annotations

import json
import os
import re
import sys
import unicodedata
from pathlib import Path

import pytest
from badfiles import task_book
from click.testing import CliRunner
from imgs import Link, jpeg, ledger

from wenming_xl.cli import cli

posix_bytes = pytest.mark.skipif(
    sys.platform in ("win32", "darwin"), reason="names as raw bytes need a Linux file system"
)


def gbk(folder: Path, name: str) -> str:
    """The real path of ``name`` inside ``folder`` stored as its GBK bytes (a str, as os lists it)."""
    return os.fsdecode(os.path.join(os.fsencode(folder), name.encode("gbk")))


def check(*args: str) -> tuple[int, str, dict]:
    """Run ``wenming check`` with a JSON report; (exit code, terminal text, report)."""
    args = tuple(str(a) for a in args)
    where = Path(args[0]).parent / "report.json"
    res = CliRunner().invoke(cli, ["check", *args, "--json", str(where)])
    report = json.loads(where.read_text(encoding="utf-8")) if where.exists() else {}
    return res.exit_code, res.output, report


def codes(report: dict) -> list[str]:
    """Every finding code of a JSON report: the run's, the table's notes, each item's."""
    found = report.get("findings", []) + report.get("notes", [])
    for item in report.get("items", []):
        found += item.get("findings", [])
    return [f["code"] for f in found]


@posix_bytes
def test_gbk_named_photo_works_with_the_cache(tmp_path):
    book = task_book(tmp_path / "任务.xlsx")
    folder = tmp_path / "材料" / "03 志愿服务"
    folder.mkdir(parents=True)
    for i in range(3):
        jpeg(folder / f"p{i}.jpg", seed=i)
    jpeg(gbk(folder, "活动.jpg"), seed=9)
    jpeg(gbk(folder, "活动副本.jpg"), seed=9)  # an exact copy: a finding naming the GBK file
    for _run in range(2):  # the second run reads the names back from the cache
        code, out, report = check(book, "--evidence", tmp_path / "材料")
        assert code == 0, out
        assert "\\udc" not in out and "活动副本.jpg" in out
        assert "duplicate-image" in codes(report)
    [item3] = [i for i in report["items"] if i["no"] == 3]
    assert item3["evidence"]["counts"] == {"image": 4}  # three photos, 活动.jpg, not the copy
    assert (tmp_path / "任务-评分.xlsx").is_file() and (tmp_path / "任务-看板.xlsx").is_file()


@posix_bytes
def test_gbk_named_ledger_and_its_gbk_folder_are_read(tmp_path):
    book = task_book(tmp_path / "任务.xlsx")
    ledgers = tmp_path / "台账"
    ledgers.mkdir()
    from urllib.parse import quote_from_bytes

    typed = {
        "条目": 3,
        "部门": "团委",
        "日期": "2022-05-03",
        "类型": "照片",
        "路径": "活动照片/门诊.jpg",
    }
    # a hyperlink made on Chinese Windows: its %xx are GBK bytes; the file's name is UTF-8
    linked = {
        "条目": 3,
        "部门": "团委",
        "类型": "照片",
        "路径": Link(quote_from_bytes("病房.jpg".encode("gbk"))),
    }
    jpeg(ledgers / "病房.jpg", seed=8)
    nfd = unicodedata.normalize("NFD", "护理部Ⅱ（一）Café.jpg")  # as a Mac's zip writes it
    jpeg(ledgers / nfd, seed=9)  # full-width （一） and Ⅱ, as typed in the ledger
    typed_nfc = dict(typed, 路径=unicodedata.normalize("NFC", "护理部Ⅱ（一）Café.jpg"))
    made = ledger(ledgers / "x.xlsx", [typed, linked, typed_nfc])
    os.rename(made, gbk(ledgers, "团委台账.xlsx"))
    os.mkdir(gbk(ledgers, "活动照片"))
    jpeg(gbk(ledgers, "活动照片/门诊.jpg"), seed=4)
    code, out, report = check(book, "--ledger-dir", ledgers)
    assert code == 0, out
    assert "unreadable-file" not in codes(report) and "ledger-path-missing" not in codes(report)
    [item3] = [i for i in report["items"] if i["no"] == 3]
    assert item3["evidence"]["counts"] == {"image": 3}


@posix_bytes
def test_gbk_named_task_workbook_is_read_and_outputs_get_readable_names(tmp_path):
    book = gbk(tmp_path, "任务分工.xlsx")
    task_book(Path(book))
    res = CliRunner().invoke(cli, ["check", book])
    assert res.exit_code == 0, res.output
    assert "\\udc" not in res.output and "损坏" not in res.output
    assert (tmp_path / "任务分工-评分.xlsx").is_file() and (
        tmp_path / "任务分工-看板.xlsx"
    ).is_file()
    res = CliRunner().invoke(cli, ["check", book, "--record", "--month", "2022-05"])
    assert res.exit_code == 0 and "已记入历史" in res.output, res.output
    res = CliRunner().invoke(cli, ["monthly", book, "--month", "2022-06"])
    assert res.exit_code == 0 and "\\udc" not in res.output, res.output
    assert (tmp_path / "督查" / "2022-06" / "2022-06-督查通报.docx").is_file()


def test_nul_in_a_ledger_path_is_a_finding_not_a_traceback(tmp_path):
    book = task_book(tmp_path / "任务.xlsx")
    ledgers = tmp_path / "台账"
    jpeg(ledgers / "x.jpg", seed=1)
    ledger(
        ledgers / "团委.xlsx",
        [
            {"条目": 3, "部门": "团委", "类型": "照片", "路径": "a_x0000_b.jpg"},
            {"条目": 3, "部门": "团委", "类型": "照片", "路径": Link("x%00.jpg", "照片")},
            {"条目": 3, "部门": "团委", "类型": "照片", "路径": "x.jpg"},
        ],
    )
    code, out, report = check(book, "--ledger-dir", ledgers)
    assert code == 0, out
    assert codes(report).count("path-invalid") == 2
    [item3] = [i for i in report["items"] if i["no"] == 3]
    assert item3["evidence"]["counts"] == {"image": 1}  # the good row still counts


def test_a_web_link_in_the_path_column_is_said_to_be_a_link(tmp_path):
    book = task_book(tmp_path / "任务.xlsx")
    ledgers = tmp_path / "台账"
    rows = [
        {
            "条目": 3,
            "部门": "团委",
            "类型": "照片",
            "数量": 4,
            "路径": "https://pan.baidu.com/s/1x",
        },
        {"条目": 2, "部门": "办公室", "类型": "照片", "路径": Link("http://example.com/a", "网盘")},
    ]
    ledger(ledgers / "团委.xlsx", rows)
    code, out, report = check(book, "--ledger-dir", ledgers)
    assert code == 0, out
    found = codes(report)
    assert found.count("path-is-link") == 2
    assert "declared-only" not in found and "declared-no-count" not in found


def _history_with_a_corrupt_page(tmp_path: Path) -> tuple[Path, Path]:
    """A task table and its history file recorded once, then one page overwritten with junk."""
    book = task_book(tmp_path / "任务.xlsx")
    res = CliRunner().invoke(cli, ["check", str(book), "--record", "--month", "2022-05"])
    assert res.exit_code == 0, res.output
    db = tmp_path / "wenming.sqlite"
    import sqlite3

    with sqlite3.connect(db) as conn:
        page = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    assert pages > 4
    with open(db, "r+b") as fh:
        fh.seek(page * 3)
        fh.write(b"\xde\xad\xbe\xef" * (page // 4))
    return book, db


def test_a_history_file_with_a_corrupt_page_is_said_and_the_outputs_are_written(tmp_path):
    book, db = _history_with_a_corrupt_page(tmp_path)
    before = db.read_bytes()
    res = CliRunner().invoke(cli, ["check", str(book), "--record", "--month", "2022-06"])
    assert res.exit_code == 1 and isinstance(res.exception, SystemExit)
    assert "已损坏" in res.output and "没有记入历史" in res.output
    assert (tmp_path / "任务-评分.xlsx").is_file() and (tmp_path / "任务-看板.xlsx").is_file()
    assert db.read_bytes() == before  # the damaged file is kept for a person to look at
    res = CliRunner().invoke(cli, ["monthly", str(book), "--month", "2022-06"])
    assert res.exit_code == 1 and isinstance(res.exception, SystemExit)  # no traceback
    assert "已损坏" in res.output and "没有记入历史" in res.output
    month = (
        tmp_path / "督查" / "2022-06"
    )  # the month's documents and drafts are written all the same
    assert (month / "2022-06-督查通报.docx").is_file() and (month / "邮件草稿").is_dir()
    assert db.read_bytes() == before
    (tmp_path / "wenming.toml").write_text(  # a server nobody reaches: nothing may be tried
        '[smtp]\nhost = "127.0.0.1"\nport = 9\ntls = "none"\nfrom = "wmb@example.org"\n', "utf-8"
    )
    res = CliRunner().invoke(cli, ["monthly", str(book), "--month", "2022-06", "--send"])
    assert res.exit_code == 1 and isinstance(res.exception, SystemExit)
    assert "没有发送任何邮件" in res.output  # the mail log is in the damaged file


def test_a_corrupt_history_file_turns_the_cache_off_and_says_so(tmp_path):
    book, db = _history_with_a_corrupt_page(tmp_path)
    jpeg(tmp_path / "材料" / "03 志愿服务" / "a.jpg", seed=2)
    code, out, report = check(book, "--evidence", tmp_path / "材料")
    assert code == 0, out
    assert "cache-unusable" in codes(report)


@pytest.mark.parametrize(
    "schema",
    ["CREATE TABLE runs (id INTEGER, note TEXT)",  # one of our names, another program's table
     "CREATE TABLE notes (id INTEGER); PRAGMA user_version = 7"],  # its own schema version
)  # fmt: skip
def test_another_programs_database_is_refused_with_its_own_words(tmp_path, schema):
    import sqlite3

    book = task_book(tmp_path / "任务.xlsx")
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.executescript(schema)
    before = other.read_bytes()
    res = CliRunner().invoke(cli, ["check", str(book), "--record", "--db", str(other)])
    assert res.exit_code == 1 and "不是 wenming 的历史文件" in res.output
    assert "磁盘空间" not in res.output
    assert other.read_bytes() == before


def test_an_encoded_word_address_is_refused_and_the_other_mails_go_on(tmp_path):
    import openpyxl

    from wenming_xl.outputs.mail.messages import valid_address

    contacts = [["部门", "邮箱"], ["团委", "x"], ["办公室", "ok@x.com"], ["党建办", "a@b.cn"]]
    book = task_book(tmp_path / "任务.xlsx", extra_sheets=(("通讯录", contacts),))
    wb = openpyxl.load_workbook(book)
    cell = wb["通讯录"]["B2"]
    cell.value, cell.data_type = "=?utf-8?q?evil?=@x.com", "s"  # as text, the way a user types it
    wb.save(book)
    assert not valid_address("=?utf-8?q?evil?=@x.com") and valid_address("ok@x.com")
    res = CliRunner().invoke(cli, ["mail", str(book), "--month", "2022-06", "--dry-run"])
    assert res.exit_code == 0 and res.exception is None, res.output
    assert "格式不正确" in res.output
    drafts = sorted(p.name for p in (tmp_path / "邮件草稿" / "2022-06").glob("*.eml"))
    assert len(drafts) == 3


def backslashed(src: Path, dst: Path, style: str = "backslash") -> Path:
    """A copy of a package whose entry names use backslashes, as some Windows programs
    write (or, ``style="dot"``, begin with ``./`` as some zip tools write)."""
    import zipfile

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            name = info.filename
            name = "./" + name if style == "dot" else name.replace("/", "\\")
            zout.writestr(name, zin.read(info))
    src.unlink()
    return dst


@pytest.mark.parametrize("style", ["backslash", "dot"])
def test_backslash_entry_names_are_read_and_the_scored_copy_is_written(tmp_path, style):
    import zipfile

    import openpyxl

    book = backslashed(task_book(tmp_path / "src.xlsx"), tmp_path / "任务.xlsx", style)
    ledgers = tmp_path / "台账"
    jpeg(ledgers / "a.jpg", seed=1)
    made = ledger(
        ledgers / "src.xlsx", [{"条目": 3, "部门": "团委", "类型": "照片", "路径": "a.jpg"}]
    )
    backslashed(made, ledgers / "团委台账.xlsx", style)
    odd = "xl\\workbook.xml" if style == "backslash" else "./xl/workbook.xml"
    assert odd in zipfile.ZipFile(book).namelist()
    code, out, report = check(book, "--ledger-dir", ledgers)
    assert code == 0, out
    [item3] = [i for i in report["items"] if i["no"] == 3]
    assert item3["evidence"]["counts"] == {"image": 1}
    scored = tmp_path / "任务-评分.xlsx"
    names = zipfile.ZipFile(scored).namelist()
    assert not any("\\" in n for n in names) and "xl/workbook.xml" in names
    assert "问题清单" in openpyxl.load_workbook(scored).sheetnames


def soffice_saved(src: Path, folder: Path) -> Path:
    """``src`` opened and saved again by LibreOffice (``--convert-to xlsx``), as an office does."""
    import shutil
    import subprocess

    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.skip("未安装 LibreOffice（soffice）")
    folder.mkdir(parents=True, exist_ok=True)
    profile = (folder / "_lo_profile").as_uri()
    subprocess.run(
        [exe, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx",
         "--outdir", str(folder), str(src)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return folder / (src.stem + ".xlsx")


def two_row_header_book(path: Path, merged: bool = True) -> Path:
    """A task table whose group cell 「考核」 is merged over 分值 and 牵头部门 in the row below
    (or, ``merged=False``, stands over them unmerged, as WPS's 「跨列居中」 leaves it)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务分工"
    ws.append(["2022年度文明单位创建工作任务及责任分工"])
    ws.append(["创建项目", "工作清单", "考核", None, "材料上传及说明"])
    ws.append([None, None, "分值", "牵头部门", None])
    for row in (
        ["一、组织领导", "1.成立创建工作领导小组", "2分", "党建办", "上传文件1份"],
        ["一、组织领导", "2.召开创建推进会", "3分", "办公室", "上传会议照片不少于2张"],
        ["二、宣传教育", "3.开展志愿服务活动", "4分", "团委", "上传活动照片不少于4张"],
    ):
        ws.append(row)
    for rng in ("C2:D2", "A2:A3", "B2:B3", "E2:E3") if merged else ():
        ws.merge_cells(rng)
    wb.save(path)
    return path


@pytest.mark.parametrize("saved_by", ["openpyxl", "LibreOffice", "unmerged"])
def test_a_two_row_header_with_a_group_cell_is_read_whole(tmp_path, saved_by):
    import openpyxl

    book = two_row_header_book(tmp_path / "made.xlsx", merged=saved_by != "unmerged")
    if saved_by == "LibreOffice":
        book = soffice_saved(book, tmp_path / "lo")
    code, out, report = check(book)
    assert code == 0, out
    scored = openpyxl.load_workbook(book.with_name(f"{book.stem}-评分.xlsx"))
    assert {"任务分工", "问题清单", "汇总"} <= set(scored.sheetnames)
    assert report["max_total"] == 9
    assert {i["no"]: i["departments"] for i in report["items"]} == {
        1: ["党建办"], 2: ["办公室"], 3: ["团委"]
    }  # fmt: skip
    assert "header-combined" in codes(report) and "column-missing" not in codes(report)


def test_a_header_the_reader_cannot_place_is_said_everywhere(tmp_path):
    import openpyxl

    book = task_book(
        tmp_path / "任务.xlsx", header=["创建项目", "工作清单", "考核", "负责", "材料上传及说明"]
    )
    code, out, report = check(book)
    assert code == 0, out
    assert codes(report).count("column-missing") == 2  # no 牵头部门; a column of 「2分」 unread
    assert "任务表缺少列" in out  # the terminal summary
    scored = openpyxl.load_workbook(tmp_path / "任务-评分.xlsx")
    listed = [r[2] for r in scored["问题清单"].iter_rows(values_only=True)]
    assert listed.count("任务表缺少列") == 2
    board = openpyxl.load_workbook(tmp_path / "任务-看板.xlsx")
    texts = [c for ws in board for row in ws.iter_rows(values_only=True) for c in row if c]
    assert any("任务表本身有提醒" in str(t) for t in texts)
    assert sum(t == "任务表缺少列" for t in texts) == 2
    res = CliRunner().invoke(cli, ["doctor", str(book)])
    assert "任务表缺少列" in res.output and "一切正常" not in res.output


def table_with_every_warning(path: Path) -> Path:
    """A task table written by a program: formulas without values, 「3-5分」, 「'3」, a hidden
    row, a 分值 merged over two items, ``#DIV/0!``, points not adding up to the cap."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务分工"
    ws.append(["2022年度任务分工"])
    ws.append(["创建项目", "工作清单", "分值", "牵头部门", "材料上传及说明"])
    for row in (
        ["一、组织领导（12分）", "1.成立领导小组", "=3+1", "党建办", "上传文件1份"],
        ["一、组织领导（12分）", "2.召开推进会", "3-5分", "办公室", "上传会议照片不少于2张"],
        ["一、组织领导（12分）", "3.开展活动", "2", "团委", "上传活动照片不少于4张"],
        ["一、组织领导（12分）", "4.隐藏的条目", "1", "团委", "上传文件1份"],
        ["二、宣传教育", "5.宣传一", "4", "宣传科", "上传文件1份"],
        ["二、宣传教育", "6.宣传二", None, "宣传科", "上传文件1份"],
        ["二、宣传教育", "7.宣传三", "#DIV/0!", "宣传科", "上传文件1份"],
        ["二、宣传教育", "8.宣传四", "'3", "宣传科", "上传文件1份"],
    ):
        ws.append(row)
    for cell in ws._cells.values():
        if isinstance(cell.value, str) and not cell.value.startswith("="):
            cell.data_type = "s"
    ws["C9"].data_type = "e"
    ws.row_dimensions[6].hidden = True
    ws.merge_cells("C7:C8")
    wb.save(path)
    return path


def test_every_task_table_warning_reaches_terminal_issue_list_and_dashboard(tmp_path):
    import openpyxl

    book = table_with_every_warning(tmp_path / "任务.xlsx")
    code, out, report = check(book)
    assert code == 0, out
    want = {
        "formula-no-value": "C3",
        "cell-unreadable": "C4",  # 「3-5分」 (「'3」 too, C10)
        "hidden-row-skipped": "A6",
        "points-merged": "C7",
        "cell-error": "C9",
        "points-mismatch": None,
    }
    notes = {(n["code"], n["location"]["cell"]) for n in report["notes"]}
    for code_, cell in want.items():
        assert any(c == code_ and (cell is None or got == cell) for c, got in notes), code_
    assert ("cell-unreadable", "C10") in notes
    labels = {
        "公式没有保存结果",
        "单元格内容无效",
        "隐藏行已跳过",
        "分值合并跨了几个条目",
        "单元格是错误值",
    }
    for label in labels:
        assert f"【{label}】" in out
    [total] = [line for line in out.splitlines() if line.startswith("总分")]
    assert "分值没有读出" in total  # said on the 总分 line itself
    scored = openpyxl.load_workbook(tmp_path / "任务-评分.xlsx")["问题清单"]
    listed = {(r[2], r[3]) for r in scored.iter_rows(min_row=2, values_only=True)}
    assert ("单元格是错误值", "任务.xlsx 任务分工!C9") in listed and (
        "分值合并跨了几个条目",
        "任务.xlsx 任务分工!C7",
    ) in listed
    data = openpyxl.load_workbook(tmp_path / "任务-看板.xlsx")["数据"]
    shown = {c for row in data.iter_rows(values_only=True) for c in row if c}
    assert labels <= shown


@pytest.mark.parametrize("named", [False, True])
def test_a_header_below_row_30_is_found_and_said(tmp_path, named):
    import openpyxl
    from badfiles import HEADER, ROWS

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务分工"
    for i in range(40):
        ws.append([f"填表说明第{i + 1}条：请按要求填写"])
    ws.append(HEADER)
    for row in ROWS:
        ws.append(row)
    wb.save(book := tmp_path / "任务.xlsx")
    code, out, report = check(book, *(["--sheet", "任务分工"] if named else []))
    assert code == 0, out
    assert len(report["items"]) == 3 and report["max_total"] == 9
    assert [n["location"]["cell"] for n in report["notes"] if n["code"] == "header-low"] == ["A41"]


def test_absurd_points_and_counts_are_refused_with_their_cell(tmp_path):
    rows = [
        ["一、组织领导", "1.成立领导小组", "99999999999", "党建办", "上传文件1份"],
        ["一、组织领导", "2.召开推进会", "3分", "办公室", "上传会议照片不少于2张"],
        ["二、宣传教育（1e308分）", "3.开展活动", "4分", "团委", "上传活动照片不少于4张"],
    ]
    book = task_book(tmp_path / "任务.xlsx", rows)
    ledgers = tmp_path / "台账"
    counts = [1e308, -5, "-5", "3张"]
    ledger(
        ledgers / "团委.xlsx",
        [{"条目": 3, "部门": "团委", "类型": "照片", "数量": n} for n in counts],
    )
    code, out, report = check(book, "--ledger-dir", ledgers)
    assert code == 0, out
    assert report["max_total"] == 7  # 3 + 4: the absurd 分值 is not a maximum
    assert ("cell-unreadable", "C3") in {
        (n["code"], n["location"]["cell"]) for n in report["notes"]
    }
    [item3] = [i for i in report["items"] if i["no"] == 3]
    assert item3["evidence"]["counts"] == {"image": 3}
    bad = [f for f in item3["findings"] if f["code"] == "declared-no-count"]
    assert [f["location"]["cell"] for f in bad] == ["A2", "A3", "A4"]
    assert "1e+308" in out and "-5」是负数" in out and "1e+11" not in out
    assert not re.search(r"\d{16}", out)  # no 309-digit number anywhere


def _docx_with(src: Path, dst: Path, document: bytes) -> Path:
    """A copy of a real .docx whose word/document.xml is ``document``."""
    import zipfile

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = document if info.filename == "word/document.xml" else zin.read(info)
            zout.writestr(info.filename, data)
    return dst


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
)


def test_only_documents_that_open_as_documents_count(tmp_path):
    import os
    import zlib

    from imgs import docx, pdf

    rows = [["一、组织领导", "1.成立领导小组", "2分", "党建办", "上传文件6份"]]
    book = task_book(tmp_path / "任务.xlsx", rows)
    folder = tmp_path / "材料" / "01 领导小组"
    good_docx, good_pdf = docx(folder / "通知.docx"), pdf(folder / "方案.pdf")
    body = b"<w:document><w:body>" + b" " * (20 * 1024 * 1024) + b"</w:body></w:document>"
    _docx_with(good_docx, folder / "炸弹.docx", body)
    _docx_with(good_docx, folder / "实体.docx", LAUGHS)
    (folder / "乱码.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(30000))
    whole = good_pdf.read_bytes()
    (folder / "半截.pdf").write_bytes(whole[: len(whole) // 2])
    # A PDF 1.5 whose only page object sits in a compressed object stream: it counts.
    packed = zlib.compress(b"3 0 <</Type /Page /Parent 2 0 R>>")
    head = (
        b"<</Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length " + str(len(packed)).encode()
    )
    (folder / "对象流.pdf").write_bytes(
        b"%PDF-1.5\n1 0 obj\n" + head + b">>\nstream\n" + packed
        + b"\nendstream\nendobj\nstartxref\n9\n%%EOF\n"
    )  # fmt: skip
    code, out, report = check(book, "--evidence", tmp_path / "材料")
    assert code == 0, out
    [item] = report["items"]
    assert item["evidence"]["counts"] == {"document": 3}  # 通知.docx, 方案.pdf, 对象流.pdf
    bad = sorted(f["location"]["path"] for f in item["findings"] if f["code"] == "unreadable-file")
    assert [p.rsplit("/", 1)[-1] for p in bad] == sorted(
        ["炸弹.docx", "实体.docx", "乱码.pdf", "半截.pdf"]
    )


def test_a_task_table_on_a_very_hidden_sheet_is_said(tmp_path):
    import openpyxl

    book = task_book(tmp_path / "任务.xlsx", extra_sheets=(("封面", [["2022年度创建材料"]]),))
    wb = openpyxl.load_workbook(book)
    wb["任务分工"].sheet_state = "veryHidden"
    wb.active = 1
    wb.save(book)
    code, out, report = check(book)
    assert code == 0, out
    assert [n["code"] for n in report["notes"]] == ["sheet-hidden"]
    assert "任务表在隐藏的工作表中" in out


STRICT = [
    ("http://schemas.openxmlformats.org/spreadsheetml/2006/main",
     "http://purl.oclc.org/ooxml/spreadsheetml/main"),
    ("http://schemas.openxmlformats.org/officeDocument/2006/relationships",
     "http://purl.oclc.org/ooxml/officeDocument/relationships"),
    ("http://schemas.openxmlformats.org/drawingml/2006/main",
     "http://purl.oclc.org/ooxml/drawingml/main"),
]  # fmt: skip


def test_a_strict_ooxml_workbook_keeps_its_namespace_in_the_scored_copy(tmp_path):
    import zipfile

    src = task_book(tmp_path / "src.xlsx")
    book = tmp_path / "任务.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.endswith((".xml", ".rels")):
                text = data.decode("utf-8")
                for old, new in STRICT:
                    text = text.replace(old, new)
                if info.filename == "xl/workbook.xml":
                    text = text.replace("<workbook ", '<workbook conformance="strict" ', 1)
                data = text.encode("utf-8")
            zout.writestr(info, data)
    code, out, report = check(book)
    assert code == 0, out
    with zipfile.ZipFile(tmp_path / "任务-评分.xlsx") as zf:
        parts = {
            n: zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith((".xml", ".rels"))
        }
    assert len([n for n in parts if n.startswith("xl/worksheets/")]) == 3  # 问题清单 and 汇总 added
    for name, text in parts.items():
        for transitional, _strict in STRICT:
            assert transitional not in text, name
    from python_calamine import CalamineWorkbook

    assert "问题清单" in CalamineWorkbook.from_path(str(tmp_path / "任务-评分.xlsx")).sheet_names


@pytest.mark.skipif(sys.platform == "win32", reason="kill -9 is POSIX")
def test_temp_files_left_by_kill_9_are_removed_by_the_next_run_and_only_ours(tmp_path):
    import signal
    import subprocess
    import time

    book = task_book(tmp_path / "任务.xlsx")
    target = tmp_path / "任务-评分.xlsx"
    code = (
        "import sys, time\n"
        "from wenming_xl.files.writing import atomic_write\n"
        "with atomic_write(sys.argv[1]) as tmp:\n"
        "    tmp.write_bytes(b'half written')\n"
        "    print(tmp, flush=True)\n"
        "    time.sleep(60)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(target)], stdout=subprocess.PIPE)
    left = Path(proc.stdout.readline().decode().strip())
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    proc.stdout.close()
    assert left.is_file() and left.name.startswith(".~wenming-") and not target.exists()
    mine_too = tmp_path / ".~wenming-笔记.txt"  # a user's file that only looks like ours
    mine_too.write_text("keep me", encoding="utf-8")
    old = time.time() - 7 * 24 * 3600
    os.utime(mine_too, (old, old))
    res = CliRunner().invoke(cli, ["check", str(book)])
    assert res.exit_code == 0, res.output
    assert not left.exists() and target.is_file()
    assert mine_too.read_text(encoding="utf-8") == "keep me"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".~wenming-") and p != mine_too]


def test_the_scored_workbook_and_dashboard_name_their_run_and_a_mixed_pair_is_said(tmp_path):
    import shutil

    book = task_book(tmp_path / "任务.xlsx")
    from wenming_xl.runs.check import run_id_of

    scored, board = tmp_path / "任务-评分.xlsx", tmp_path / "任务-看板.xlsx"
    code, out, first = check(book)
    assert run_id_of(scored) == run_id_of(board) == first["run_id"]
    shutil.copy(board, tmp_path / "old.xlsx")
    code, out, second = check(book)
    assert run_id_of(scored) == second["run_id"] != first["run_id"]
    shutil.copy(tmp_path / "old.xlsx", board)  # what a kill between the two renames leaves
    res = CliRunner().invoke(cli, ["doctor", str(book)])
    assert "不是同一次运行写出的" in res.output
    res = CliRunner().invoke(cli, ["check", str(book)])
    assert res.exit_code == 0 and "不是同一次运行写出的" in res.output
    assert run_id_of(scored) == run_id_of(board)


def test_a_failed_dashboard_leaves_the_old_scored_workbook_in_place(tmp_path):
    book = task_book(tmp_path / "任务.xlsx")
    scored = tmp_path / "任务-评分.xlsx"
    code, out, _report = check(book)
    before = scored.read_bytes()
    board = tmp_path / "任务-看板.xlsx"
    board.unlink()
    (board / "任务-看板.xlsx").mkdir(parents=True)  # the dashboard cannot be written
    res = CliRunner().invoke(cli, ["check", str(book)])
    assert res.exit_code != 0 and isinstance(res.exception, SystemExit)
    assert scored.read_bytes() == before  # not a new 评分表 beside a missing 看板
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".~wenming-")]


def test_full_width_names_in_ledger_paths_find_their_files(tmp_path):
    book = task_book(tmp_path / "任务.xlsx")
    ledgers = tmp_path / "台账"
    jpeg(ledgers / "活动（一）" / "现场：１.jpg", seed=1)
    jpeg(ledgers / "活动（一）" / "现场：2.jpg", seed=2)
    rows = [{"条目": 3, "部门": "团委", "类型": "照片", "路径": "活动（一）"}]
    rows.append({"条目": 3, "部门": "团委", "类型": "照片", "路径": "活动（一）\\现场：１.jpg"})
    ledger(ledgers / "团委.xlsx", rows)
    code, out, report = check(book, "--ledger-dir", ledgers)
    assert code == 0, out
    assert "ledger-path-missing" not in codes(report)
    [item3] = [i for i in report["items"] if i["no"] == 3]
    assert item3["evidence"]["counts"] == {"image": 2}  # the folder's two, the named one once
