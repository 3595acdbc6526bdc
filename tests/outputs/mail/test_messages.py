"""Tests of the monthly mail: contacts, messages, attachment names, extract, outbox, CLI."""

from __future__ import annotations

import datetime as dt
import re
from email.header import decode_header, make_header
from pathlib import Path
from urllib.parse import quote

import openpyxl
import pytest
import xlsxwriter
from click.testing import CliRunner
from mailhelp import (  # noqa: F401
    ATTACHMENT,
    CONTACTS,
    MONTH,
    NOW,
    SUBJECT,
    Row,
    _Table,
    html_table,
    june_rows,
    make_report,
    parsed,
    plan_of,
)

from wenming_xl.config import Contact, parse_profile
from wenming_xl.errors import ConfigError, WorkbookError
from wenming_xl.model import (
    MISSING,
    REVIEW,
)
from wenming_xl.outputs.mail.contacts import load_contacts, split_addresses
from wenming_xl.outputs.mail.extract import department_gaps
from wenming_xl.outputs.mail.messages import message_bytes, write_outbox
from wenming_xl.runs.history import open_history


@pytest.fixture
def june():
    return make_report(june_rows())


# --------------------------------------------------------------------------- contacts


def _contacts_workbook(path: Path) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("任务分工").write_row(0, 0, ["序号", "工作内容", "牵头部门"])
    ws = wb.add_worksheet("通讯录")
    ws.write(0, 0, "2022年各部门联系人")
    ws.write_row(2, 1, ["科室名称", "部门负责人", "电子邮箱", "抄送邮箱"])
    ws.write_row(3, 1, ["党建办", "张三", "djb@example.org", None])
    ws.write_row(4, 1, ["工 会", "李四", "gh＠example.org", "a@example.org；b@example.org"])
    ws.write_row(5, 1, ["团委", "王五", "mailto:tw@example.org", None])
    ws.write_row(6, 1, ["", "无名", "x@example.org", None])
    wb.close()
    return path


def test_contacts_from_sheet_and_profile(tmp_path):
    book = _contacts_workbook(tmp_path / "任务.xlsx")
    profile = parse_profile(
        {"departments": {"党建办": {"email": "new@example.org"}, "宣传科": "xc@example.org"}}
    )
    contacts = load_contacts(book, profile)
    assert set(contacts) == {"党建办", "工 会", "团委", "宣传科"}
    # the toml wins where both exist, the sheet fills what the toml leaves blank
    assert contacts["党建办"].email == "new@example.org"
    assert contacts["党建办"].head == "张三"
    # full-width ＠, mailto: and several cc addresses in one cell
    assert contacts["工 会"].email == "gh@example.org"
    assert contacts["工 会"].cc == ["a@example.org", "b@example.org"]
    assert contacts["团委"].email == "tw@example.org"
    assert contacts["宣传科"].email == "xc@example.org"


def test_contacts_without_sheet_and_unreadable_workbook(tmp_path):
    book = tmp_path / "t.xlsx"
    wb = xlsxwriter.Workbook(str(book))
    wb.add_worksheet("任务分工").write_row(0, 0, ["序号", "牵头部门", "邮件内容"])
    wb.close()
    profile = parse_profile({"departments": {"工会": {"email": "gh@example.org"}}})
    assert list(load_contacts(book, profile)) == ["工会"]
    assert load_contacts(None, profile)["工会"].email == "gh@example.org"
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(WorkbookError) as err:
        load_contacts(bad, profile)
    assert "通讯录" in str(err.value)


def test_split_addresses():
    assert split_addresses(" a@x.org；b@x.org，c@x.org、 d@x.org ") == [
        "a@x.org",
        "b@x.org",
        "c@x.org",
        "d@x.org",
    ]
    assert split_addresses(None) == []


# --------------------------------------------------------------------------- messages


def test_one_message_per_department_with_gaps(june):
    plan = plan_of(june)
    assert [m.department for m in plan.messages] == ["党建办", "工会"]
    missing = {u.department: u.reason for u in plan.no_address}
    assert set(missing) == {"宣传科", "纪检监察室"}
    assert "没有" in missing["宣传科"]
    assert "格式不正确" in missing["纪检监察室"]
    djb = plan.messages[0]
    assert djb.to == ["djb@example.org"]
    assert djb.recipients == ["djb@example.org", "sj@example.org"]
    # Items 1 and 4 are 党建办's; on item 7 (纪检监察室's) a finding names 党建办 (its own
    # ledger row): 党建办 is told that one, and its points are not 党建办's to gain.
    # Item 4 waits only for the office's own check (红头): told apart, not a to-do.
    assert [(g.no, g.leads) for g in djb.gaps] == [(1, True), (7, False)]
    assert [f.message for f in djb.gaps[1].findings] == ["第7项：这条属于别的部门。"]
    assert djb.gaps[1].at_stake == 0
    text = parsed(message_bytes(djb.message)).get_body(("plain",)).get_content()
    assert "另有第4项材料已收到，待办公室核对" in text and "贵部门无需处理" in text
    assert "以下 1 项工作尚未达标（待得分合计 2 分）" in text  # item 4's points are not in it


def test_subject_addresses_and_attachment_names(june):
    mail = plan_of(june).messages[0]
    raw = message_bytes(mail.message)
    msg = parsed(raw)
    assert msg["Subject"] == SUBJECT
    assert [a.addr_spec for a in msg["To"].addresses] == ["djb@example.org"]
    assert msg["To"].addresses[0].display_name == "党建办 张三"
    assert [a.addr_spec for a in msg["Cc"].addresses] == ["sj@example.org"]
    assert msg["From"].addresses[0].addr_spec == "wmb@example.org"
    # headers are encoded, never raw UTF-8
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert head.isascii()
    assert "党建办".encode() not in head
    # both attachment name forms survive serialisation
    assert b"filename*=utf-8''" + quote(ATTACHMENT, safe="").encode() in raw
    assert b'name="=?utf-8?b?' in raw
    name_param = raw.split(b'name="', 1)[1].split(b'"', 1)[0].decode()
    assert str(make_header(decode_header(name_param))) == ATTACHMENT
    (att,) = list(msg.iter_attachments())
    assert att.get_filename() == ATTACHMENT
    assert att.get_content_type() == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def test_long_department_name_keeps_both_forms():
    dep = "党委办公室第一党支部纪检监察室科教科宣传统战科"
    report = make_report(
        [(1, "学习", 4, [dep], MISSING, 0, [("missing-evidence", "第1项：尚未上传。", None)])]
    )
    mail = plan_of(report, contacts={dep: Contact(dep, email="d@example.org")}).messages[0]
    raw = message_bytes(mail.message)
    for line in raw.split(b"\r\n"):
        assert len(line) <= 998
    name_param = raw.split(b'name="', 1)[1].split(b'"', 1)[0].decode()
    assert name_param.count("=?utf-8?b?") >= 2
    for word in name_param.split():
        assert len(word) <= 75
    assert str(make_header(decode_header(name_param))) == mail.attachment_name
    assert parsed(raw).get_payload()[1].get_filename() == mail.attachment_name


def test_html_table_rows_equal_department_findings(june):
    plan = plan_of(june, deadline=dt.date(2022, 6, 25))
    for mail in plan.messages:
        table = html_table(parsed(message_bytes(mail.message)))
        assert table.heads == ["条目", "状态", "缺什么", "分值", "得分", "待得分", "截止日期"]
        gaps = [g for g in department_gaps(june, mail.department) if not g.office_only]
        assert [no for no, _ in table.rows] == [str(g.no) for g in gaps]
        for (_no, cells), gap in zip(table.rows, gaps):
            own = [re.sub(r"^第[^：:]{1,8}项[：:]", "", f.message) for f in gap.findings]
            if own:
                assert cells[2].split("\n") == own
            assert cells[-1] == "2022年6月25日"
    djb = html_table(parsed(message_bytes(plan.messages[0].message)))
    assert djb.rows[0][1][:2] == ["第1项 学习文明行为促进条例", "部分完成"]
    assert djb.rows[0][1][2].split("\n") == [  # under 「第1项 …」: no 「第1项：」 again
        "图片只有2张，要求至少4张，缺2张。",
        "2022-05-03 活动未注明地点。",
    ]
    assert djb.rows[0][1][3:6] == ["4", "2", "2"]
    # a finding that names 党建办 on 纪检监察室's item 7 (its own ledger row) is in its mail,
    # with no points of that item counted as 党建办's to gain
    assert djb.rows[1][0] == "7" and "别的部门" in djb.rows[1][1][2]
    assert djb.rows[1][1][5] in ("", "0")


def test_plain_text_carries_the_same(june):
    msg = parsed(message_bytes(plan_of(june, deadline="6月25日").messages[0].message))
    text = msg.get_body(preferencelist=("plain",)).get_content()
    assert "第1项 学习文明行为促进条例" in text
    assert "    - 图片只有2张，要求至少4张，缺2张。" in text and "- 第1项：" not in text
    assert "待得分：2" in text
    assert "请于6月25日前补齐材料" in text
    assert ATTACHMENT in text


def test_changes_since_last_month(june, tmp_path):
    may_rows = june_rows()
    may_rows[0] = (1, "学习文明行为促进条例", 4, ["党建办"], MISSING, 0, [])
    with open_history(tmp_path / "h.sqlite") as hist:
        hist.record(make_report(may_rows), "2022-05")
        previous = hist.previous(MONTH)
    plan = plan_of(june, previous=previous)
    gh = parsed(message_bytes(plan.messages[1].message)).get_body(preferencelist=("plain",))
    assert "本部门得分 3 分 → 3 分（持平）" in gh.get_content()
    assert "各条目状态与上月相同" in gh.get_content()
    msg = parsed(message_bytes(plan.messages[0].message))
    body = msg.get_body(preferencelist=("html",)).get_content()
    assert "较上月（2022年5月）" in body
    assert "本部门得分 3 分 → 5 分（+2）" in body
    assert "第1项：缺材料 → 部分完成" in body
    text = msg.get_body(preferencelist=("plain",)).get_content()
    assert "第1项：缺材料 → 部分完成" in text
    no_prev = parsed(message_bytes(plan_of(june).messages[0].message))
    assert "较上月" not in no_prev.get_body(preferencelist=("html",)).get_content()


def test_extract_attachment_lists_the_gaps(june, tmp_path):
    mail = plan_of(june).messages[0]
    (att,) = list(parsed(message_bytes(mail.message)).iter_attachments())
    path = tmp_path / att.get_filename()
    path.write_bytes(att.get_content())
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["督查清单", "全部条目"]
    ws = wb["督查清单"]
    assert [c.value for c in ws[3]] == [
        "条目",
        "工作内容",
        "状态",
        "缺什么",
        "分值",
        "得分",
        "待得分",
        "截止日期",
    ]
    assert ws["A4"].value == "1" and ws["C4"].value == "部分完成"
    assert ws["D4"].value.split("\n")[0] == "图片只有2张，要求至少4张，缺2张。"  # 条目 says 第1项
    assert ws["G4"].value == 2
    assert ws["A5"].value == "4" and ws["A6"].value == "7" and ws["G6"].value == 0
    assert ws["A7"].value is None
    assert ws["C5"].value == "待办公室核对"  # item 4: the office's own check, said as such
    assert [ws2.value for ws2 in wb["全部条目"]["A"][3:]] == ["1", "2", "4"]
    # 问题数 counts what 缺什么 lists, not the 提示 left out of it
    listed = {ws.cell(r, 1).value: len(ws.cell(r, 4).value.split("\n")) for r in range(4, 7)}
    counts = {r[0].value: r[6].value for r in wb["全部条目"].iter_rows(min_row=4)}
    assert counts == {"1": listed["1"], "2": 0, "4": listed["4"]}


def test_user_text_never_becomes_a_formula(tmp_path):
    report = make_report(
        [(1, "=HYPERLINK(\"http://x\")", 4, ["党建办"], MISSING, 0,
          [("missing-evidence", "=1+1 缺材料", None)])]
    )  # fmt: skip
    mail = plan_of(report).messages[0]
    (att,) = list(parsed(message_bytes(mail.message)).iter_attachments())
    path = tmp_path / "x.xlsx"
    path.write_bytes(att.get_content())
    ws = openpyxl.load_workbook(path)["督查清单"]
    assert ws["B4"].data_type == "s" and ws["B4"].value.startswith("=HYPERLINK")
    assert ws["D4"].data_type == "s"


def test_header_injection_through_department_name_and_address():
    evil = "党建办\r\nBcc: evil@example.org"
    report = make_report(
        [
            (1, "学习", 4, [evil], MISSING, 0, [("missing-evidence", "第1项：缺。", None)]),
            (2, "讲堂", 2, ["工会"], MISSING, 0, [("missing-evidence", "第2项：缺。", None)]),
        ]
    )
    contacts = {
        evil: Contact(evil, head="张三\nX-Evil: 1", email="djb@example.org"),
        "工会": Contact("工会", email="gh@example.org\r\nBcc: evil@example.org"),
    }
    plan = plan_of(report, contacts=contacts)
    assert [m.department for m in plan.messages] == [evil]
    assert [u.department for u in plan.no_address] == ["工会"]
    mail = plan.messages[0]
    assert mail.recipients == ["djb@example.org"]
    raw = message_bytes(mail.message)
    msg = parsed(raw)
    assert msg["Bcc"] is None and msg["X-Evil"] is None
    assert b"\r\nBcc:" not in raw and b"\nX-Evil" not in raw
    assert msg["Subject"] == "【文明创建】党建办 Bcc: evil@example.org 2022年6月 佐证材料督查提醒"
    assert [a.addr_spec for a in msg["To"].addresses] == ["djb@example.org"]
    assert "\n" not in mail.attachment_name and "\r" not in mail.attachment_name


def test_bad_sender_is_a_config_error(june):
    with pytest.raises(ConfigError) as err:
        plan_of(june, sender="wmb@example.org\r\nBcc: x@example.org")
    assert "from" in str(err.value)


def test_write_outbox(june, tmp_path):
    plan = plan_of(june)
    paths = write_outbox(plan, tmp_path / "发件箱")
    # then, without To, the drafts of those with no usable address
    assert [p.name for p in paths] == ["2022-06-党建办.eml", "2022-06-工会.eml"] + [
        f"2022-06-{u.department}-无邮箱.eml" for u in plan.no_address
    ]
    assert sorted(p.name for p in (tmp_path / "发件箱").iterdir()) == sorted(p.name for p in paths)
    raw = paths[0].read_bytes()
    assert raw.startswith(b"X-Unsent: 1\r\n")
    assert b'name="=?utf-8?b?' in raw and b"filename*=utf-8''" in raw
    msg = parsed(raw)
    assert msg["Subject"] == SUBJECT
    assert list(msg.iter_attachments())[0].get_filename() == ATTACHMENT
    # writing again replaces the files in place
    assert write_outbox(plan, tmp_path / "发件箱") == paths
    assert len(list((tmp_path / "发件箱").iterdir())) == len(paths)


def test_departments_without_an_address_still_get_a_draft(june, tmp_path):
    """No 通讯录 at all: every department's message is written, without To, to forward by hand."""
    from wenming_xl.config import Profile
    from wenming_xl.outputs.mail.messages import build_messages

    plan = build_messages(june, {}, Profile(), month=MONTH, sender="wmb@example.org")
    assert not plan.messages and plan.no_address
    paths = write_outbox(plan, tmp_path / "发件箱")
    assert sorted(p.name for p in paths) == sorted(
        f"2022-06-{u.department}-无邮箱.eml" for u in plan.no_address
    )
    msg = parsed(paths[0].read_bytes())
    assert msg["To"] is None and msg["Subject"].startswith("【文明创建】")
    body = msg.get_body(preferencelist=("plain",)).get_content()
    assert "第" in body and list(msg.iter_attachments())


# --------------------------------------------------------------------------- CLI


def test_cli_help_and_bad_month(tmp_path):
    from wenming_xl.cli import cli

    runner = CliRunner()
    res = runner.invoke(cli, ["mail", "--help"])
    assert res.exit_code == 0
    assert "--dry-run" in res.output and "wenming mail" in res.output
    book = _contacts_workbook(tmp_path / "任务.xlsx")
    res = runner.invoke(cli, ["mail", str(book), "--month", "六月", "--dry-run"])
    assert res.exit_code != 0
    assert "月份" in res.output and "Traceback" not in res.output


def test_write_extract_file(june, tmp_path):
    from wenming_xl.outputs.mail.extract import write_extract

    target = write_extract(june, "工会", tmp_path / "工会.xlsx", month_label="2022年6月")
    ws = openpyxl.load_workbook(target)["督查清单"]
    assert ws["A1"].value == "工会 2022年6月 佐证材料督查清单"
    assert (ws["A4"].value, ws["C4"].value) == ("3", "缺材料")
    assert ws["D4"].value == "尚未上传任何佐证材料。"
    assert ws["A5"].value is None
    empty = write_extract(june, "团委", tmp_path / "团委.xlsx", month_label="2022年6月")
    assert openpyxl.load_workbook(empty)["督查清单"]["A4"].value == "本月各条目均已达标。"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["团委.xlsx", "工会.xlsx"]


def test_every_department_of_a_shared_item_is_told_what_is_missing(tmp_path):
    """Item 3 is 党建办、工会、团委's: each one's mail and bulletin paragraph say what to do."""
    import shutil

    from wenming_xl.config import load_profile
    from wenming_xl.outputs.mail.contacts import load_contacts
    from wenming_xl.outputs.mail.extract import department_gaps
    from wenming_xl.outputs.mail.messages import build_messages, message_bytes
    from wenming_xl.runs.check import run_check
    from wenming_xl.runs.sample import prepare_demo

    table, evidence = prepare_demo(tmp_path / "demo")
    shutil.rmtree(next(evidence.glob("03 *")))  # item 3 has nothing now
    report = run_check(table, evidence=evidence, period="2022")
    item3 = next(r for r in report.items if r.item.no == 3)
    assert len(item3.item.departments) > 1 and item3.findings
    profile = load_profile(None, table)
    plan = build_messages(
        report, load_contacts(table, profile), profile, month=MONTH, sender="wmb@example.org"
    )
    for dep in item3.item.departments:
        gap = next(g for g in department_gaps(report, dep) if g.result.item.no == 3)
        assert gap.findings, dep
        mail = next(m for m in plan.messages if m.department == dep)
        body = parsed(message_bytes(mail.message)).get_body(preferencelist=("plain",)).get_content()
        assert re.sub(r"^第3项：", "", item3.findings[0].message) in body, dep
    from wenming_xl.outputs.notices.kinds import bulletin_notice

    notice = bulletin_notice(report, profile, month=MONTH)
    rows = [row for page in notice.attachment_pages if page.table for row in page.table.rows]
    for dep in item3.item.departments:
        assert any(row[0] == dep and str(row[1]) == "3" for row in rows), dep


def test_the_extract_prints_one_page_wide_with_every_text_whole():
    """The 督查清单 a department head prints: A4 landscape, one page wide, rows tall enough."""
    import io

    from wenming_xl.model import PARTIAL
    from wenming_xl.outputs.mail.extract import extract_bytes

    long = "；".join(["第1项：图片只有2张，要求至少4张，缺2张"] * 6)
    report = make_report(
        [(1, "学习" * 30, 4, ["党建办"], PARTIAL, 2, [("too-few-images", long, None)])]
    )
    wb = openpyxl.load_workbook(io.BytesIO(extract_bytes(report, "党建办", month_label="6月")))
    ws = wb["督查清单"]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
    assert ws.page_setup.fitToWidth in (None, 1)  # 1 is the default, not written
    assert ws.print_title_rows.replace("$", "") == "3:3"
    assert ws.row_dimensions[4].height and ws.row_dimensions[4].height >= 4 * 14


def test_a_department_whose_items_wait_only_for_the_office_gets_no_reminder():
    """团委's only open item is a 红头 the office checks: nothing for it to do, no mail."""
    rows = june_rows()
    rows[4] = (5, "团员活动", 2, ["团委"], REVIEW, 0, [])
    report = make_report(rows)
    (gap,) = department_gaps(report, "团委")
    assert gap.office_only and gap.status_label == "待办公室核对"
    plan = plan_of(report)
    assert "团委" not in [m.department for m in plan.messages]
    assert "团委" not in [u.department for u in plan.no_address]
    # a rejected confirmation asks the department for something: that is its to-do
    rows[4] = (5, "团员活动", 2, ["团委"], REVIEW, 0, [("review-rejected", "不通过", None)])
    (gap,) = department_gaps(make_report(rows), "团委")
    assert not gap.office_only
