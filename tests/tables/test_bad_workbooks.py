"""Bad workbooks and bad output places (issue 9): a clear Chinese message, nothing lost.

Every case uses a real file: a genuine OLE2 ``.xls``, an ``.xlsx`` encrypted with
msoffcrypto-tool, a truncated zip, a real tmpfs mount for the full disk. Each CLI case
checks that the source and any earlier outputs are byte-identical afterwards.
"""

from __future__ import annotations

import errno
import os
import subprocess
import zipfile
from pathlib import Path

import olefile
import pytest
from badfiles import decrypt, encrypt, ole2_xls, snapshot, task_book
from click.testing import CliRunner

from wenming_xl.cli import cli
from wenming_xl.errors import HeaderNotFoundError, OutputError, WorkbookError
from wenming_xl.files.writing import lock_file_of
from wenming_xl.outputs.workbooks.scored import write_scored_workbook
from wenming_xl.runs.check import run_check
from wenming_xl.tables.rubric import load_rubric

PASSWORD = "创建2022"


def run(args: list[str]):
    """Run the CLI; a traceback is always a failure of the test."""
    res = CliRunner().invoke(cli, args)
    assert "Traceback" not in (res.output + (res.stderr or ""))
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise res.exception
    return res


def check_fails_cleanly(folder: Path, args: list[str], *words: str) -> str:
    """``wenming check`` exits 1 with 「错误：」 and ``words``, and changes nothing in ``folder``."""
    before = snapshot(folder)
    res = run(["check", *args, "--no-cache"])
    assert res.exit_code == 1, res.output
    assert "错误：" in res.stderr
    for w in words:
        assert w in res.stderr, res.stderr
    assert snapshot(folder) == before
    return res.stderr


# --------------------------------------------------------------------------- formats


def test_real_xls_file_says_how_to_save_as_xlsx(tmp_path):
    xls = ole2_xls(tmp_path / "任务分工.xls")
    assert olefile.isOleFile(str(xls)) and olefile.OleFileIO(str(xls)).exists("Workbook")
    with pytest.raises(WorkbookError) as exc:
        load_rubric(xls)
    msg = str(exc.value)
    assert "旧版 Excel（.xls）" in msg and "另存为" in msg and "Excel 工作簿（*.xlsx）" in msg
    assert "WPS" in msg
    check_fails_cleanly(tmp_path, [str(xls)], "任务分工.xls", "另存为")


def test_xls_content_named_xlsx_and_wps_et(tmp_path):
    ole2_xls(tmp_path / "改了扩展名.xlsx")
    ole2_xls(tmp_path / "任务分工.et")
    with pytest.raises(WorkbookError, match=r"旧版 Excel（\.xls）"):
        load_rubric(tmp_path / "改了扩展名.xlsx")
    check_fails_cleanly(tmp_path, [str(tmp_path / "任务分工.et")], "WPS 表格（.et）", "另存为")


def test_password_protected_workbook_is_detected(tmp_path):
    src = encrypt(task_book(tmp_path / "plain.xlsx"), tmp_path / "加密任务表.xlsx", PASSWORD)
    (tmp_path / "plain.xlsx").unlink()
    with pytest.raises(WorkbookError, match="设置了打开密码") as exc:
        load_rubric(src)
    assert "--password" in str(exc.value)
    err = check_fails_cleanly(tmp_path, [str(src)], "加密任务表.xlsx", "打开密码")
    assert PASSWORD not in err
    err = check_fails_cleanly(tmp_path, [str(src), "--password", "wrong"], "密码不正确")
    assert "wrong" not in err


def test_password_opens_in_memory_and_scored_copy_is_encrypted_again(tmp_path):
    plain = task_book(tmp_path / "plain.xlsx")
    src = encrypt(plain, tmp_path / "加密任务表.xlsx", PASSWORD)
    expected = load_rubric(plain)
    rubric = load_rubric(src, password=PASSWORD)
    assert [(i.no, i.text, i.points) for i in rubric.items] == [
        (i.no, i.text, i.points) for i in expected.items
    ]
    report = run_check(src, password=PASSWORD)
    assert len(report.items) == 3
    source_bytes = src.read_bytes()
    out = tmp_path / "out"
    res = run(["check", str(src), "--password", PASSWORD, "--out", str(out), "--no-cache"])
    assert res.exit_code == 0, res.output
    assert PASSWORD not in res.output
    assert src.read_bytes() == source_bytes
    scored = out / "加密任务表-评分.xlsx"
    assert scored.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # still encrypted
    dashboard = out / "加密任务表-看板.xlsx"  # every score is on it too
    assert dashboard.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    with zipfile.ZipFile(__import__("io").BytesIO(decrypt(dashboard, PASSWORD))) as zf:
        assert any(n.startswith("xl/charts/") for n in zf.namelist())
    assert "同一密码加密" in res.stderr
    with zipfile.ZipFile(__import__("io").BytesIO(decrypt(scored, PASSWORD))) as zf:
        assert any("评分结果" in n or n.startswith("xl/worksheets/") for n in zf.namelist())
    assert load_rubric(scored, password=PASSWORD).items  # opens like the source did
    # no decrypted copy anywhere on disk
    for p in tmp_path.rglob("*"):
        if p.is_file() and p.name != "plain.xlsx":
            assert not p.read_bytes().startswith(b"PK") or p.parent == out
    assert not any(p.name.startswith(".~wenming") for p in tmp_path.rglob("*"))


def test_password_via_environment(tmp_path):
    src = encrypt(task_book(tmp_path / "p.xlsx"), tmp_path / "加密.xlsx", PASSWORD)
    res = CliRunner(env={"WENMING_PASSWORD": PASSWORD}).invoke(
        cli, ["check", str(src), "--no-outputs", "--no-cache"]
    )
    assert res.exit_code == 0, res.output


def test_truncated_zip(tmp_path):
    good = task_book(tmp_path / "good.xlsx").read_bytes()
    for cut in (len(good) // 2, len(good) - 30, 100):
        bad = tmp_path / "截断.xlsx"
        bad.write_bytes(good[:cut])
        with pytest.raises(WorkbookError, match="损坏"):
            load_rubric(bad)
    check_fails_cleanly(tmp_path, [str(bad)], "截断.xlsx", "损坏")


def test_corrupt_member_inside_a_valid_zip(tmp_path):
    good = task_book(tmp_path / "good.xlsx")
    bad = tmp_path / "坏表.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]  # XML cut in the middle
            zout.writestr(info, data)
    with pytest.raises(WorkbookError) as exc:
        load_rubric(bad)
    assert "坏表.xlsx" in str(exc.value)


@pytest.mark.parametrize(
    "content",
    [
        b"<html><body><table><tr><td>1</td></tr></table></body></html>",
        "序号,工作清单\n1,成立领导小组\n".encode("gbk"),
        b"\x89PNG\r\n\x1a\n" + bytes(100),
        b"%PDF-1.4\n" + bytes(100),
    ],
)
def test_non_excel_file_named_xlsx(tmp_path, content):
    bad = tmp_path / "任务表.xlsx"
    bad.write_bytes(content)
    check_fails_cleanly(tmp_path, [str(bad)], "不是 Excel 工作簿", "另存为")


def test_empty_workbook(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"
    wb.save(tmp_path / "空表.xlsx")
    with pytest.raises(HeaderNotFoundError, match="「Sheet1」"):
        load_rubric(tmp_path / "空表.xlsx")
    check_fails_cleanly(tmp_path, [str(tmp_path / "空表.xlsx")], "找不到任务分工表的表头")


def test_workbook_without_any_sheet(tmp_path):
    good = task_book(tmp_path / "good.xlsx")
    bad = tmp_path / "无工作表.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w") as zout:
        for info in zin.infolist():
            if info.filename.startswith("xl/worksheets/"):
                continue
            data = zin.read(info)
            if info.filename == "xl/workbook.xml":
                import re

                data = re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", data)
            zout.writestr(info, data)
    with pytest.raises(WorkbookError) as exc:
        load_rubric(bad)
    assert "无工作表.xlsx" in str(exc.value)


def test_sheets_without_a_task_table_are_listed_with_the_words(tmp_path):
    book = task_book(
        tmp_path / "名单.xlsx",
        [["张三", "党建办"]],
        header=["姓名", "科室"],
        sheet="职工名单",
        extra_sheets=(("通讯录", [["部门", "电话"]]), ("说明", [["本表用于…"]])),
        title=None,
    )
    with pytest.raises(HeaderNotFoundError) as exc:
        load_rubric(book)
    msg = str(exc.value)
    for name in ("职工名单", "通讯录", "说明"):
        assert f"「{name}」" in msg
    for word in ("工作清单", "测评内容", "分值", "牵头部门"):
        assert word in msg
    assert "--sheet" in msg


# --------------------------------------------------------------------------- open in Excel/WPS


@pytest.mark.parametrize("lock_name", ["~$任务表.xlsx", ".~任务表.xlsx#", ".~lock.任务表.xlsx#"])
def test_workbook_open_in_excel_or_wps_warns_and_is_still_read(tmp_path, lock_name):
    book = task_book(tmp_path / "任务表.xlsx")
    lock = tmp_path / lock_name
    lock.write_bytes(b"\x08zhangsan" + b"\0" * 100)
    assert lock_file_of(book) == lock
    before = {book.name: book.read_bytes(), lock.name: lock.read_bytes()}
    res = run(["check", str(book), "--no-cache"])
    assert res.exit_code == 0, res.output
    assert "可能正在 Excel/WPS 中编辑" in res.stderr and lock_name in res.stderr
    assert {book.name: book.read_bytes(), lock.name: lock.read_bytes()} == before
    written = {p.name for p in tmp_path.iterdir()} - {book.name, lock.name}
    assert written >= {"任务表-评分.xlsx", "任务表-看板.xlsx"}
    assert not any(n.startswith(("~$", ".~")) for n in written)


def test_no_warning_without_a_lock_file(tmp_path):
    book = task_book(tmp_path / "任务表.xlsx")
    res = run(["check", str(book), "--no-outputs", "--no-cache"])
    assert res.exit_code == 0 and "锁文件" not in res.stderr


# --------------------------------------------------------------------------- output places


def test_unwritable_output_folder(tmp_path):
    """Root ignores chmod, so the target is a folder "inside" a regular file (ENOTDIR)."""
    book = task_book(tmp_path / "任务表.xlsx")
    blocker = tmp_path / "输出.txt"
    blocker.write_text("not a folder", encoding="utf-8")
    err = check_fails_cleanly(tmp_path, [str(book), "--out", str(blocker / "结果")], "无法")
    assert "--out" in err or "文件夹" in err


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_output_folder_for_ordinary_users(tmp_path):
    book = task_book(tmp_path / "任务表.xlsx")
    out = tmp_path / "只读"
    out.mkdir()
    out.chmod(0o555)
    try:
        check_fails_cleanly(tmp_path, [str(book), "--out", str(out)], "只读")
    finally:
        out.chmod(0o755)


def test_output_onto_the_source_is_refused(tmp_path):
    book = task_book(tmp_path / "任务表.xlsx")
    report = run_check(book)
    with pytest.raises(OutputError, match="拒绝覆盖源文件"):
        write_scored_workbook(report, book)
    with pytest.raises(OutputError, match="拒绝覆盖源文件"):
        from wenming_xl.outputs.workbooks.dashboard import write_dashboard

        write_dashboard(report, book)


@pytest.fixture
def small_disk(tmp_path):
    """A real 192 KiB tmpfs; skipped where mounting is not allowed."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    res = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=192k", "tmpfs", str(mnt)], capture_output=True
    )
    if res.returncode != 0:
        pytest.skip("cannot mount a tmpfs here: " + res.stderr.decode(errors="replace"))
    try:
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


def _fill(folder: Path) -> None:
    fd = os.open(folder / "filler.bin", os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 1024)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)


def test_full_disk_keeps_earlier_outputs(tmp_path, small_disk):
    book = task_book(tmp_path / "任务表.xlsx")
    res = run(["check", str(book), "--out", str(small_disk), "--no-cache"])
    assert res.exit_code == 0, res.output
    _fill(small_disk)
    before = snapshot(small_disk)
    src = book.read_bytes()
    res = run(["check", str(book), "--out", str(small_disk), "--no-cache"])
    assert res.exit_code == 1
    assert "错误：" in res.stderr and "原有文件未改动" in res.stderr, res.stderr
    assert snapshot(small_disk) == before
    assert book.read_bytes() == src
    assert not any(p.name.startswith(".~wenming") for p in small_disk.iterdir())


def test_injected_enospc_on_write_keeps_earlier_output(tmp_path, monkeypatch):
    """Where no mount is possible: the real writer, with the disk "full" at fsync time."""
    book = task_book(tmp_path / "任务表.xlsx")
    report = run_check(book)
    out = tmp_path / "任务表-评分.xlsx"
    write_scored_workbook(report, out)
    before = snapshot(tmp_path)

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OutputError, match="原有文件未改动"):
        write_scored_workbook(report, out)
    assert snapshot(tmp_path) == before
