"""Files made elsewhere (issue 18): GBK names, other programs' workbooks, odd zips, broken files.

Every test builds the file the way the office gets it (a Windows zip's GBK names on
Linux, a workbook another program wrote, a damaged database) and runs the real check.
"""

from __future__ import annotations

import json
import os
import sys
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
    made = ledger(
        ledgers / "x.xlsx",
        [
            {
                "条目": 3,
                "部门": "团委",
                "日期": "2022-05-03",
                "类型": "照片",
                "路径": "活动照片/门诊.jpg",
            }
        ],
    )
    os.rename(made, gbk(ledgers, "团委台账.xlsx"))
    os.mkdir(gbk(ledgers, "活动照片"))
    jpeg(gbk(ledgers, "活动照片/门诊.jpg"), seed=4)
    code, out, report = check(book, "--ledger-dir", ledgers)
    assert code == 0, out
    assert "unreadable-file" not in codes(report) and "ledger-path-missing" not in codes(report)
    [item3] = [i for i in report["items"] if i["no"] == 3]
    assert item3["evidence"]["counts"] == {"image": 1}


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
    assert "已损坏" in res.output


def test_a_corrupt_history_file_turns_the_cache_off_and_says_so(tmp_path):
    book, db = _history_with_a_corrupt_page(tmp_path)
    jpeg(tmp_path / "材料" / "03 志愿服务" / "a.jpg", seed=2)
    code, out, report = check(book, "--evidence", tmp_path / "材料")
    assert code == 0, out
    assert "cache-unusable" in codes(report)


def test_another_programs_database_is_refused_with_its_own_words(tmp_path):
    import sqlite3

    book = task_book(tmp_path / "任务.xlsx")
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE runs (id INTEGER, note TEXT)")
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


def backslashed(src: Path, dst: Path) -> Path:
    """A copy of a package whose entry names use backslashes, as some Windows programs write."""
    import zipfile

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename.replace("/", "\\"), zin.read(info))
    src.unlink()
    return dst


def test_backslash_entry_names_are_read_and_the_scored_copy_is_written(tmp_path):
    import zipfile

    import openpyxl

    book = backslashed(task_book(tmp_path / "src.xlsx"), tmp_path / "任务.xlsx")
    ledgers = tmp_path / "台账"
    jpeg(ledgers / "a.jpg", seed=1)
    made = ledger(
        ledgers / "src.xlsx", [{"条目": 3, "部门": "团委", "类型": "照片", "路径": "a.jpg"}]
    )
    backslashed(made, ledgers / "团委台账.xlsx")
    assert "xl\\workbook.xml" in zipfile.ZipFile(book).namelist()
    code, out, report = check(book, "--ledger-dir", ledgers)
    assert code == 0, out
    [item3] = [i for i in report["items"] if i["no"] == 3]
    assert item3["evidence"]["counts"] == {"image": 1}
    scored = tmp_path / "任务-评分.xlsx"
    names = zipfile.ZipFile(scored).namelist()
    assert not any("\\" in n for n in names) and "xl/workbook.xml" in names
    assert "问题清单" in openpyxl.load_workbook(scored).sheetnames
