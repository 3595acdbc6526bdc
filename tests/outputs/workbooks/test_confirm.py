"""The 人工确认 workbook: written beside the task table, filled by the office, read back."""

from __future__ import annotations

import shutil

import openpyxl
from click.testing import CliRunner
from imgs import jpeg

from wenming_xl.cli import cli
from wenming_xl.outputs.workbooks.confirm import confirm_path, read_confirmations
from wenming_xl.runs.check import check_workbook
from wenming_xl.runs.sample import prepare_demo


def _rows(path):
    ws = openpyxl.load_workbook(path)["人工确认"]
    head = [c.value for c in ws[3]]
    return {
        str(r[0]): dict(zip(head, r)) for r in ws.iter_rows(min_row=4, values_only=True) if r[0]
    }


def _fill(path, no, state, who="李明", date="2022-06-20", note=None):
    """The office fills the row in Excel: 已确认, its name and the date."""
    wb = openpyxl.load_workbook(path)
    ws = wb["人工确认"]
    head = [c.value for c in ws[3]]
    for row in ws.iter_rows(min_row=4):
        if str(row[0].value) == str(no):
            row[head.index("人工确认")].value = state
            row[head.index("确认人")].value = who
            row[head.index("确认日期")].value = date
            if note:
                row[head.index("备注")].value = note
    wb.save(path)


def _item(report, no):
    return next(r for r in report.items if r.item.no == no)


def test_a_confirmation_scores_lasts_and_lapses_when_the_evidence_changes(tmp_path):
    table, evidence = prepare_demo(tmp_path / "demo")
    out = tmp_path / "out"
    first = check_workbook(table, evidence=evidence, period="2022", out=out)
    review = [r.item.no for r in first.report.items if r.status == "review"]
    assert review, "the demo has items a person must confirm"
    no = review[0]
    path = confirm_path(table)
    assert path.parent == table.parent and path.name.endswith("-人工确认.xlsx")
    assert ("人工确认表", path) in [(label, p) for label, p, _n in first.written]
    rows = _rows(path)
    assert set(rows) >= {str(n) for n in review}
    assert rows[str(no)]["程序状态"] == "待确认" and rows[str(no)]["材料指纹"]
    message = next(f for f in _item(first.report, no).findings if f.code == "needs-review").message
    assert path.name in message  # the message names the file people confirm in

    _fill(path, no, "已确认", note="红头文件已核对")
    second = check_workbook(table, evidence=evidence, period="2022", out=out)
    item = _item(second.report, no)
    assert item.status == "met" and item.score == item.item.points
    assert second.report.total > first.report.total
    rows = _rows(path)  # rewritten, and nothing the office wrote is lost
    assert (rows[str(no)]["人工确认"], rows[str(no)]["确认人"], rows[str(no)]["备注"]) == (
        "已确认",
        "李明",
        "红头文件已核对",
    )
    assert rows[str(no)]["程序状态"].startswith("已确认")

    # next month, same evidence: still confirmed
    third = check_workbook(table, evidence=evidence, period="2022", out=out)
    assert _item(third.report, no).status == "met"

    # a new file in the item's folder: the confirmation lapses, the row says why
    folder = next(p for p in evidence.iterdir() if p.name.startswith(f"{no:02d} "))
    jpeg(folder / "2022-07-01 会议室 补充材料" / "a.jpg", seed=77, taken="2022-07-01")
    fourth = check_workbook(table, evidence=evidence, period="2022", out=out)
    item = _item(fourth.report, no)
    assert item.status == "review"
    assert "confirmation-stale" in [f.code for f in item.findings]
    row = _rows(path)[str(no)]
    assert row["人工确认"] in (None, "") and "原确认失效" in row["备注"]
    assert "红头文件已核对" in row["备注"] and "李明" in row["备注"]
    assert row["程序状态"] == "材料有变化，请重新确认"


def test_not_passed_and_an_unreadable_confirm_workbook(tmp_path):
    table, evidence = prepare_demo(tmp_path / "demo")
    first = check_workbook(table, evidence=evidence, period="2022", out=tmp_path / "out")
    no = next(r.item.no for r in first.report.items if r.status == "review")
    path = confirm_path(table)
    _fill(path, no, "不通过", note="没有盖章")
    second = check_workbook(table, evidence=evidence, period="2022", out=tmp_path / "out")
    item = _item(second.report, no)
    assert item.status == "review"
    [rejected] = [f for f in item.findings if f.code == "review-rejected"]
    assert "没有盖章" in rejected.message
    assert "needs-review" not in [f.code for f in item.findings]  # no 「请填写已确认」 beside it
    saved = path.read_bytes()
    path.write_bytes(b"not a workbook")
    third = check_workbook(table, evidence=evidence, period="2022", out=tmp_path / "out")
    assert "confirm-unreadable" in [f.code for f in third.report.findings]
    assert path.read_bytes() == b"not a workbook"  # never overwritten: the office may mend it
    label = [n for lab, _p, n in third.written if lab == "人工确认表"]
    assert label and "没有更新" in label[0][0]
    path.write_bytes(saved)
    assert read_confirmations(path)[str(no)].state == "不通过"


def test_check_prints_the_items_waiting_and_doctor_lists_them(tmp_path):
    table, evidence = prepare_demo(tmp_path / "demo")
    runner = CliRunner()
    res = runner.invoke(
        cli, ["check", str(table), "--evidence", str(evidence), "--period", "2022",
              "--out", str(tmp_path / "out")],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "人工确认表" in res.output and "待人工确认" in res.output
    res = runner.invoke(cli, ["doctor", str(table)])
    assert "待人工确认" in res.output and confirm_path(table).name in res.output


def test_no_confirm_file_without_items_to_confirm(tmp_path):
    from wenming_xl.runs.check import run_check, write_confirm_workbook

    table, evidence = prepare_demo(tmp_path / "demo")
    report = run_check(table, evidence=evidence, period="2022")
    for r in report.items:
        r.status = "met" if r.status == "review" else r.status
        r.findings = [f for f in r.findings if f.code != "needs-review"]
    plain = tmp_path / "plain" / table.name
    plain.parent.mkdir()
    shutil.copy(table, plain)
    assert write_confirm_workbook(report, plain) is None
    assert not confirm_path(plain).exists()
