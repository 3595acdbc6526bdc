"""A real office's year through the CLI: kits → filled as busy departments do → check → mail.

The 2022 table, `wenming kits`, the kits filled by `year.fill_year` (a shared item, 32 typed
for 21, dates without a year or impossible, photos in kit folders without ledger rows, a
Windows copy of a ledger, a 2021 activity), then `wenming check --ledger-dir` and `wenming
mail --dry-run --outbox`. Every department's .eml is read back as its head would read it,
and the scores from the scored workbook the office opens.
"""

from __future__ import annotations

import datetime as _dt
import email
import email.policy
import io
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from year import CONTACTS, fill_year, write_profile

from wenming_xl.cli import cli
from wenming_xl.evidence.period import default_deadline


def _run(*args: str) -> str:
    res = CliRunner().invoke(cli, [str(a) for a in args])
    assert res.exit_code == 0, res.output
    return res.output


@pytest.fixture(scope="module")
def year(tmp_path_factory, request) -> Path:
    """The office folder: the task table, wenming.toml, the filled kits, outputs and drafts."""
    root = tmp_path_factory.mktemp("year")
    table = root / "任务分工.xlsx"
    shutil.copy(
        Path(request.config.rootpath) / "workbooks/2022年度文明单位创建工作任务及责任分工.xlsx",
        table,
    )
    write_profile(root)
    _run("kits", table, "--out", root / "部门台账", "--deadline", "2022-11-30")
    fill_year(root / "部门台账")
    _run("check", table, "--ledger-dir", root / "部门台账", "--out", root / "输出",
         "--json", root / "report.json")  # fmt: skip
    _run("mail", table, "--ledger-dir", root / "部门台账", "--month", "2022-06", "--dry-run",
         "--outbox", root / "草稿")  # fmt: skip
    return root


def _mail(year: Path, department: str) -> email.message.EmailMessage:
    raw = (year / "草稿" / f"2022-06-{department}.eml").read_bytes()
    return email.message_from_bytes(raw, policy=email.policy.default)


def _body(year: Path, department: str) -> str:
    return _mail(year, department).get_body(preferencelist=("plain",)).get_content()


def _sections(body: str) -> dict[str, str]:
    """The mail's paragraphs by heading: 「3」 → the lines under 「第3项 …」, 「台账」 the ledger's."""
    out: dict[str, str] = {}
    key = None
    for line in body.splitlines():
        if line.startswith("第") and "项 " in line[:6]:
            key = line[1 : line.index("项")]
            out[key] = ""
        elif line.startswith("本部门台账中的填写问题"):
            key = "台账"
            out[key] = ""
        elif key is not None:
            out[key] += line + "\n"
    return out


def _scores(year: Path) -> dict[int, tuple[str, str]]:
    """Item number → (得分, 状态) as the scored workbook shows them."""
    ws = openpyxl.load_workbook(year / "输出" / "任务分工-评分.xlsx")["任务分工"]
    head = [c.value for c in ws[2]]
    score, status = head.index("得分"), head.index("状态")
    out = {}
    for row in ws.iter_rows(min_row=3, values_only=True):
        text = str(row[1] or "")
        no = text.split(".")[0]
        if no.isdigit():
            out[int(no)] = (str(row[score]), row[status])
    return out


def test_every_department_gets_its_mail_at_its_address(year):
    drafts = sorted(p.name for p in (year / "草稿").glob("*.eml"))
    assert drafts == sorted(f"2022-06-{d}.eml" for d in CONTACTS)
    for department, (head, address) in CONTACTS.items():
        mail = _mail(year, department)
        assert address in mail["To"] and department in mail["Subject"]
        assert _body(year, department).startswith(f"{department} {head}同志")
        [sheet] = [p for p in mail.iter_attachments()]
        assert sheet.get_filename() == f"{department}-2022年6月-督查清单.xlsx"


def test_a_shared_item_tells_every_department_what_is_missing(year):
    """Item 3 (党建办、工会、团委): each of the three hears the same gaps, each with what to do."""
    parts = {d: _sections(_body(year, d)) for d in ("党建办", "工会", "团委")}
    for department, sections in parts.items():
        item3 = sections["3"]
        assert "要求至少3类，缺1类" in item3, department
        assert "（2022-05-03 工会活动室 读书会，工会）只有2张图片" in item3, (
            department
        )  # as the ledger names it, and whose
        assert "尚未得满分" not in item3, department
    # ... and the 问题清单 points at where that activity was given, not at the task table's cell
    report = json.loads((year / "report.json").read_text("utf-8"))
    item3 = next(i for i in report["items"] if i["no"] == 3)
    [short] = [f for f in item3["findings"] if f["code"] == "group-too-few-images"]
    assert "工会" in short["location"]["path"], short["location"]
    # 团委 did nothing: every item it shares that is not met is in its mail, each with a gap
    assert set(parts["团委"]) == {"3", "7", "18"}
    assert all("    - " in text for text in parts["团委"].values())


def test_a_row_for_another_item_is_told_to_the_writer_and_to_the_items_leads(year):
    """工会 typed 32 for 21, the path in item 21's folder: counted for 21, 32 untouched, both told."""
    report = json.loads((year / "report.json").read_text("utf-8"))
    item32 = next(i for i in report["items"] if i["no"] == 32)
    assert item32["score"] == 0 and item32["status"] == "missing"
    [row] = [f for f in item32["findings"] if f["code"] == "row-in-other-item-folder"]
    assert row["department"] == "工会" and row["item_no"] == 32
    assert row["location"]["cell"] == "A4"
    for department in ("工会", "党建办"):  # the writer and item 32's own department
        assert "第4行填的是第32项" in _sections(_body(year, department))["32"], department
    assert _scores(year)[32] == ("0", "缺材料")


def test_the_copy_is_counted_once_and_told_to_its_department(year):
    report = json.loads((year / "report.json").read_text("utf-8"))
    [copy] = [f for f in report["findings"] if f["code"] == "ledger-copy"]
    assert copy["department"] == "工会" and "副本" in copy["message"]
    assert "副本.xlsx" in _sections(_body(year, "工会"))["台账"]
    assert not [
        s for d in CONTACTS if d != "工会" for s in _sections(_body(year, d)) if s == "台账"
    ]
    attachment = next(_mail(year, "工会").iter_attachments()).get_content()
    cells = [
        str(c.value)
        for row in openpyxl.load_workbook(io.BytesIO(attachment))["督查清单"].iter_rows()
        for c in row
    ]
    assert any("副本.xlsx" in c for c in cells)


def test_dates_are_read_or_told_with_their_cell(year):
    """「5月3日」 takes the period's year; 「2022年13月5日」 and 「昨天」 are told, row and all."""
    report = json.loads((year / "report.json").read_text("utf-8"))
    found = {
        f["location"]["cell"]: f["code"]
        for i in report["items"]
        for f in i["findings"]
        if f["code"].startswith("date-") and f["department"] == "工会"
    }
    assert found == {"C3": "date-year-assumed", "C5": "date-unreadable", "C6": "date-unreadable"}
    item23 = _sections(_body(year, "工会"))["23"]
    assert "第5行：日期「2022年13月5日」" in item23 and "第6行：日期「昨天」" in item23
    assert "未注明时间" not in item23  # the time is written, only unreadable: told once
    item3 = next(i for i in report["items"] if i["no"] == 3)
    # the row's date (and place) annotate its folder 「读书会」, and name it as the row does
    reading = next(g for g in item3["evidence"]["groups"] if g["name"].endswith("读书会"))
    assert reading["date"] == "2022-05-03" and reading["name"] == "2022-05-03 工会活动室 读书会"


def test_a_ledger_row_and_its_kit_folder_are_one_activity(year):
    """党建办 described item 4's activity in the ledger and put its photos in the kit folder."""
    report = json.loads((year / "report.json").read_text("utf-8"))
    item4 = next(i for i in report["items"] if i["no"] == 4)
    assert item4["evidence"]["counts"] == {"image": 4}  # not 4 declared + 4 files
    assert item4["evidence"]["group_count"] == 1
    codes = {f["code"] for f in item4["findings"]}
    assert "kit-file-unlisted" not in codes and "declared-only" not in codes


def test_scores_follow_the_period_of_wenming_toml_and_of_the_month(year):
    """check uses wenming.toml's period (2022); the June mail counts up to June's end."""
    scores = _scores(year)
    assert scores[31] == ("0", "缺材料")  # 2021's activity is outside 2022
    assert scores[22] == ("3", "达标")  # photos in the kit folder without a ledger row
    assert scores[1] == ("4", "达标")  # March and September photos: the whole of 2022
    report = json.loads((year / "report.json").read_text("utf-8"))
    assert report["period"] == "2022年"
    item31 = _sections(_body(year, "总务科"))["31"]
    assert "不在考核期" in item31 and "尚未上传任何佐证材料" not in item31
    item1 = _sections(_body(year, "党建办"))["1"]  # in June the September photos do not count
    assert "照片只有2张，要求至少4张" in item1


def test_unlisted_kit_files_are_a_reminder_to_the_department(year):
    item22 = _sections(_body(year, "工会"))["22"]
    assert "2个文件台账中没有登记" in item22


def test_the_mail_gives_the_bulletins_default_deadline(year):
    """No --deadline: every mail and its 督查清单 say the bulletin's default date.

    That is 下月15日 (2022年7月15日), which has passed when June 2022 is mailed today: then
    both say two weeks from today, never a date already gone.
    """
    due = default_deadline("2022-06", _dt.date.today())
    assert due > _dt.date.today()
    text = f"{due.year}年{due.month}月{due.day}日"
    body = _body(year, "团委")
    assert f"请于{text}前" in body and "2022年7月15日" not in body
    attachment = next(_mail(year, "团委").iter_attachments()).get_content()
    ws = openpyxl.load_workbook(io.BytesIO(attachment))["督查清单"]
    assert ws["H4"].value == text
