"""The scored copy: columns beside the items, 问题清单, 汇总, and nothing of the source lost."""

from __future__ import annotations

import hashlib
import re
import zipfile
from fractions import Fraction
from pathlib import Path
from xml.etree import ElementTree as ET

import openpyxl
import pytest
from reports import HEADER_ROW, LEDGER, ROWS, SHEET, sample_report, write_task_workbook
from textfit import cjk_font, lines_measured

from wenming_xl import findings as F
from wenming_xl.errors import OutputError
from wenming_xl.model import (
    MET,
    PARTIAL,
    STATUS_LABELS,
    Finding,
    Item,
    ItemResult,
    Location,
    Report,
    Rubric,
)
from wenming_xl.outputs.workbooks.scored import (
    HEADERS,
    ISSUE_HEADERS,
    STATUS_FILLS,
    write_scored_workbook,
)

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
NEW_COLS = ("G", "H", "I")  # after A–F of the sample table


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sheet_parts(path: Path) -> dict[str, str]:
    """Sheet name → zip part, read from workbook.xml and its relationships."""
    with zipfile.ZipFile(path) as z:
        wb = ET.fromstring(z.read("xl/workbook.xml"))
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    out = {}
    for s in wb.iter(f"{MAIN}sheet"):
        rid = next(v for k, v in s.attrib.items() if k.endswith("}id"))
        t = targets[rid]
        out[s.get("name")] = t.lstrip("/") if t.startswith("/") else "xl/" + t
    return out


def assert_parts_kept(src: Path, out: Path, changed: set[str]) -> None:
    """Every part of the source is in the output; those not in ``changed`` byte for byte."""
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(out) as b:
        names = set(b.namelist())
        for name in a.namelist():
            assert name in names, name
            if name not in changed:
                assert a.read(name) == b.read(name), name
        assert b.testzip() is None


@pytest.fixture
def scored(tmp_path: Path):
    src = write_task_workbook(tmp_path / "任务分工.xlsx", extras=True, ledger_rows=30)
    before = sha(src)
    report = sample_report(src)
    result = write_scored_workbook(report, tmp_path / "out" / "任务分工-评分.xlsx")
    assert sha(src) == before
    return src, report, result


def test_item_rows_get_score_status_and_findings_with_fills(scored):
    src, report, result = scored
    assert result.path.name == "任务分工-评分.xlsx"
    assert any("G–I" in n for n in result.notes)
    errors = sum(f.severity == "error" for f in report.all_findings())
    assert any(f"列出 问题 {errors} 条" in n for n in result.notes), result.notes
    ws = openpyxl.load_workbook(result.path)[SHEET]
    assert [ws[f"{c}{HEADER_ROW}"].value for c in NEW_COLS] == list(HEADERS)
    assert ws[f"J{HEADER_ROW}"].value is None
    for res in report.items:
        row = ROWS[res.item.no]
        score, status, text = (ws[f"{c}{row}"] for c in NEW_COLS)
        assert score.value == float(res.score)
        assert status.value == STATUS_LABELS[res.status]
        assert (text.value or "") == "\n".join(f.message for f in res.findings)
        for cell in (score, status, text):
            assert cell.fill.fgColor.rgb == "FF" + STATUS_FILLS[res.status]
        assert text.alignment.wrap_text
    # the user's own cells are untouched
    assert ws["B3"].value.startswith("1.学习贯彻")
    assert ws["C3"].value == "4分"
    assert ws.column_dimensions["I"].width == 50
    assert ws.column_dimensions["B"].width == 40


def test_issue_sheet_lists_every_finding(scored):
    _src, report, result = scored
    wb = openpyxl.load_workbook(result.path)
    assert wb.sheetnames == [SHEET, LEDGER, "问题清单", "汇总"]
    ws = wb["问题清单"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ISSUE_HEADERS
    findings = report.all_findings()
    assert len(rows) == len(findings) + 1
    depts = {r.item.no: "、".join(r.item.departments) for r in report.items}
    for f, row in zip(findings, rows[1:]):
        no, dept, label, where, message, _level, code = row
        assert no == f.item_no
        assert (dept or "") == (f.department or depts.get(f.item_no, ""))
        assert code == f.code  # the code only in the last column, for filtering
        assert label == F.label(f.code) and not label.isascii()
        assert (where or "") == (f.location.short() if f.location else "")
        assert message == f.message
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:G{len(rows)}"
    assert ISSUE_HEADERS[-1] == "代码" and "代码" not in ISSUE_HEADERS[:-1]
    assert (
        rows[1][3] == "任务分工.xlsx 佐证台账!H12"
    )  # file, sheet!cell: every ledger has that sheet
    assert rows[2][3] == "材料/02 文明城市创建/活动二"  # a file path


def _summary(ws) -> dict[str, tuple]:
    return {row[0]: row[1:] for row in ws.iter_rows(values_only=True) if row[0] is not None}


def test_summary_totals_equal_the_report(scored):
    _src, report, result = scored
    rows = _summary(openpyxl.load_workbook(result.path)["汇总"])
    assert rows["总分"][1] == float(report.max_total) and rows["总分"][3] == float(report.total)
    assert rows["加分合计"][3] == float(report.bonus)
    assert rows["扣分合计"][3] == float(report.deductions)
    for c in report.categories:
        _kind, cap, points_sum, score = rows[c.name][:4]
        assert cap == (None if c.cap is None else float(c.cap))
        assert points_sum == float(c.points_sum)
        assert score == float(c.score)
    for d in report.departments:
        items, met, score, mx, stake, completion, findings = rows[d.name][:7]
        assert (items, met, findings) == (d.base, d.met, d.findings)
        assert (score, mx, stake) == (float(d.score), float(d.max), float(d.at_stake))
        assert completion == pytest.approx(d.completion, abs=1e-4)
    assert rows["达标"][0] == sum(1 for r in report.items if r.status == MET)
    assert rows["部分完成"][0] == sum(1 for r in report.items if r.status == PARTIAL)


def test_image_comment_validation_merges_and_ledger_survive(scored):
    src, _report, result = scored
    wb = openpyxl.load_workbook(result.path)
    ws = wb[SHEET]
    assert len(ws._images) == 1
    assert ws["C3"].comment is not None and "分值" in ws["C3"].comment.text
    dvs = ws.data_validations.dataValidation
    assert len(dvs) == 1 and dvs[0].formula1 == '"已确认,未确认"'
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A1:F1" in merged and "A3:A6" in merged
    parts = sheet_parts(src)
    changed = {
        parts[SHEET],
        "xl/styles.xml",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "[Content_Types].xml",
    }
    assert_parts_kept(src, result.path, changed)
    with zipfile.ZipFile(result.path) as z:
        sheet = z.read(parts[SHEET]).decode()
    assert "<drawing " in sheet and "<legacyDrawing " in sheet and "<dataValidations" in sheet


def test_user_text_that_looks_like_a_formula_stays_text(tmp_path: Path):
    src = write_task_workbook(tmp_path / "t.xlsx")
    report = sample_report(src)
    evil = '=HYPERLINK("http://x","y")'
    report.items[0].findings.append(
        Finding("too-few-images", evil, item_no=1, department="-党建办")
    )
    out = write_scored_workbook(report, tmp_path / "o.xlsx").path
    with zipfile.ZipFile(out) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                assert not re.search(r"<(\w+:)?f[\s>]", z.read(name).decode()), name
    wb = openpyxl.load_workbook(out)
    cell = wb[SHEET][f"I{ROWS[1]}"]
    assert cell.value == evil and cell.data_type == "s" and cell.quotePrefix
    row = next(r for r in wb["问题清单"].iter_rows() if r[4].value == evil)
    assert row[4].data_type == "s" and row[4].quotePrefix
    assert row[1].value == "-党建办" and row[1].quotePrefix


def test_a_5000_row_extra_sheet_is_copied_byte_for_byte(tmp_path: Path):
    src = write_task_workbook(tmp_path / "big.xlsx", ledger_rows=5000)
    out = write_scored_workbook(sample_report(src), tmp_path / "big-评分.xlsx").path
    part = sheet_parts(src)[LEDGER]
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(out) as b:
        assert a.read(part) == b.read(part)
        assert a.getinfo(part).compress_size == b.getinfo(part).compress_size  # not recompressed
    assert openpyxl.load_workbook(out, read_only=True)[LEDGER].max_row == 5001


def test_second_scoring_reuses_columns_and_sheets(tmp_path: Path):
    src = write_task_workbook(tmp_path / "t.xlsx", extras=True)
    first = write_scored_workbook(sample_report(src), tmp_path / "5月.xlsx").path
    again = sample_report(first)
    res3 = again.items[2]
    res3.status, res3.score, res3.findings = MET, Fraction(6), []
    result = write_scored_workbook(again, tmp_path / "6月.xlsx")
    assert any("沿用" in n for n in result.notes)
    wb = openpyxl.load_workbook(result.path)
    assert wb.sheetnames == [SHEET, "问题清单", "汇总"]
    ws = wb[SHEET]
    assert [ws[f"{c}{HEADER_ROW}"].value for c in NEW_COLS] == list(HEADERS)
    assert ws.max_column == 9  # (reading J2 first would create it)
    assert [ws[f"{c}{ROWS[3]}"].value for c in NEW_COLS] == [6, "达标", None]
    assert ws[f"G{ROWS[3]}"].fill.fgColor.rgb == "FF" + STATUS_FILLS[MET]
    assert len(list(wb["问题清单"].iter_rows())) == len(again.all_findings()) + 1

    def xf_count(path: Path) -> str:
        with zipfile.ZipFile(path) as z:
            return re.search(r'<cellXfs count="(\d+)"', z.read("xl/styles.xml").decode()).group(1)

    assert xf_count(result.path) == xf_count(first)  # no new styles each month
    with zipfile.ZipFile(result.path) as z:
        names = re.findall(r'<definedName name="([^"]+)"', z.read("xl/workbook.xml").decode())
    assert sorted(names) == ["_xlnm.Print_Titles", "_xlnm._FilterDatabase"]


SST_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def to_shared_strings(src: Path, dst: Path) -> None:
    """Store every inline string as a shared string, as Excel and WPS do when they save.

    Non-ASCII text is written as character references (``&#24471;``), 得分 as rich-text
    runs with a phonetic run, and entry 0 is an unrelated rich string.
    """
    strings = ["<si><r><t>前</t></r><r><rPr><b/></rPr><t>缀</t></r></si>"]

    def refs(text: str) -> str:
        return "".join(ch if ord(ch) < 128 else f"&#{ord(ch)};" for ch in text)

    def repl(m: re.Match) -> str:
        text = m.group(3)
        if text == "得分":
            strings.append(
                '<si><r><t>得</t></r><r><t>分</t></r><rPh sb="0" eb="1"><t>とく</t></rPh></si>'
            )
        else:
            strings.append(f'<si><t xml:space="preserve">{refs(text)}</t></si>')
        return f'<c {m.group(1)}{m.group(2)} t="s"><v>{len(strings) - 1}</v></c>'

    cell = re.compile(r'<c ([^>]*?)t="inlineStr"([^>]*)><is><t[^>]*>(.*?)</t></is></c>', re.S)
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as b:
        for info in a.infolist():
            data = a.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = cell.sub(repl, data.decode()).encode()
            elif info.filename == "[Content_Types].xml":
                override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST_CT}"/>'
                data = data.replace(b"</Types>", override.encode() + b"</Types>")
            elif info.filename == "xl/_rels/workbook.xml.rels":
                rel = f'<Relationship Id="rIdSst" Type="{SST_REL}" Target="sharedStrings.xml"/>'
                data = data.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            b.writestr(info.filename, data)
        sst = (
            '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
            f'spreadsheetml/2006/main" count="{len(strings)}" uniqueCount="{len(strings)}">'
            + "".join(strings)
            + "</sst>"
        )
        b.writestr("xl/sharedStrings.xml", sst)


def test_rescoring_a_copy_resaved_by_a_spreadsheet_program(tmp_path: Path):
    """Excel/WPS turn our inline strings into shared strings; the columns are still found."""
    src = write_task_workbook(tmp_path / "t.xlsx")
    first = write_scored_workbook(sample_report(src), tmp_path / "a.xlsx").path
    resaved = tmp_path / "resaved.xlsx"
    to_shared_strings(first, resaved)
    wb = openpyxl.load_workbook(resaved)
    assert wb[SHEET][f"G{HEADER_ROW}"].value == "得分"  # the conversion is sound
    assert wb["问题清单"]["A1"].value == "条目"
    out = write_scored_workbook(sample_report(resaved), tmp_path / "b.xlsx")
    assert any("沿用" in n for n in out.notes)
    wb = openpyxl.load_workbook(out.path)
    assert wb.sheetnames == [SHEET, "问题清单", "汇总"]
    assert wb[SHEET].max_column == 9
    assert wb[SHEET][f"H{ROWS[3]}"].value == "缺材料"


def test_user_sheets_named_like_ours_are_kept(tmp_path: Path):
    src = tmp_path / "t.xlsx"
    write_task_workbook(src)
    wb = openpyxl.load_workbook(src)
    wb.create_sheet("问题清单")["A1"] = "我们科室自己记的问题"
    wb.create_sheet("汇总")["A1"] = "上级检查汇总"
    wb.save(src)
    result = write_scored_workbook(sample_report(src), tmp_path / "o.xlsx")
    wb = openpyxl.load_workbook(result.path)
    assert wb.sheetnames == [SHEET, "问题清单", "汇总", "问题清单(2)", "汇总(2)"]
    assert wb["问题清单"]["A1"].value == "我们科室自己记的问题"
    assert wb["汇总"]["A1"].value == "上级检查汇总"
    assert wb["问题清单(2)"]["A1"].value == "条目"
    assert sum("保留原表" in n for n in result.notes) == 2


def test_refuses_to_overwrite_the_source(tmp_path: Path):
    src = write_task_workbook(tmp_path / "t.xlsx")
    before = sha(src)
    with pytest.raises(OutputError):
        write_scored_workbook(sample_report(src), src)
    assert sha(src) == before
    assert [p.name for p in tmp_path.iterdir()] == ["t.xlsx"]


def test_output_folder_gets_the_default_name(tmp_path: Path):
    src = write_task_workbook(tmp_path / "任务分工.xlsx")
    (tmp_path / "out").mkdir()
    result = write_scored_workbook(sample_report(src), tmp_path / "out")
    assert result.path == tmp_path / "out" / "任务分工-评分.xlsx"


def test_cells_without_references_and_a_prefixed_namespace(tmp_path: Path):
    """A sheet written by another tool: ``x:`` prefix, rows and cells without ``r``, cols."""
    src = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "表"
    wb.save(src)

    def c(text: str) -> str:
        return f'<x:c t="inlineStr"><x:is><x:t>{text}</x:t></x:is></x:c>'

    rows = "".join(
        f"<x:row>{c(a)}<x:c><x:v>{b}</x:v></x:c></x:row>"
        for a, b in [("工作清单", 0), ("1.学习", 4)]
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="http://schemas.openxmlformats'
        '.org/spreadsheetml/2006/main"><x:dimension ref="A1:B3"/><x:cols><x:col min="1" max="16384" '
        f'width="12" customWidth="1"/></x:cols><x:sheetData>{rows}<x:row>{c("2.宣讲")}'
        "<x:c><x:v>2</x:v></x:c></x:row></x:sheetData></x:worksheet>"
    )
    patched = tmp_path / "patched.xlsx"
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as b:
        for info in a.infolist():
            data = xml.encode() if info.filename == "xl/worksheets/sheet1.xml" else a.read(info)
            b.writestr(info.filename, data)
    rubric = Rubric(path=str(patched), sheet="表", header_row=1, columns={"text": 1, "points": 2})
    items = [
        Item(no=n, text=t, points=p, row=n + 1) for n, t, p in [(1, "学习", 4), (2, "宣讲", 2)]
    ]
    rubric.items = items
    results = [
        ItemResult(items[0], score=Fraction(4), status=MET),
        ItemResult(
            items[1],
            score=Fraction(1),
            status=PARTIAL,
            findings=[
                Finding("too-few-images", "第2项：缺1张。", item_no=2, location=Location("a.jpg"))
            ],
        ),
    ]
    out = write_scored_workbook(Report(rubric=rubric, items=results), tmp_path / "o.xlsx").path
    ws = openpyxl.load_workbook(out)["表"]
    assert [[cell.value for cell in row] for row in ws.iter_rows()] == [
        ["工作清单", 0, "得分", "状态", "问题说明"],
        ["1.学习", 4, 4, "达标", None],
        ["2.宣讲", 2, 1, "部分完成", "第2项：缺1张。"],
    ]
    with zipfile.ZipFile(out) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert '<x:dimension ref="A1:E3"/>' in sheet
    cols = [
        (int(m[0]), int(m[1]), float(m[2]))
        for m in re.findall(r'<x:col min="(\d+)" max="(\d+)" width="([\d.]+)"', sheet)
    ]
    assert cols == [(1, 2, 12), (3, 3, 8), (4, 4, 11), (5, 5, 50), (6, 16384, 12)]


def test_several_items_in_one_row_share_the_cells(tmp_path: Path):
    """Seed 004 numbers several duties inside one cell: one row, several items."""
    src = write_task_workbook(tmp_path / "t.xlsx")
    report = sample_report(src)
    report.items[1].item.row = ROWS[1]  # items 1 and 2 now on row 3
    out = write_scored_workbook(report, tmp_path / "o.xlsx").path
    ws = openpyxl.load_workbook(out)[SHEET]
    score, status, text = (ws[f"{c}{ROWS[1]}"].value for c in NEW_COLS)
    assert score == 7 and status == "部分完成"
    assert text == "\n".join(f.message for f in report.items[1].findings)


def test_macro_workbook_stays_macro_enabled(tmp_path: Path):
    src = write_task_workbook(tmp_path / "t.xlsx")
    xlsm = tmp_path / "宏.xlsm"
    vba = bytes(range(256)) * 4
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(xlsm, "w", zipfile.ZIP_DEFLATED) as b:
        for info in a.infolist():
            data = a.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                )
                data = data.replace(
                    b"</Types>",
                    b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
                )
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/'
                    b'relationships/vbaProject" Target="vbaProject.bin"/></Relationships>',
                )
            b.writestr(info.filename, data)
        b.writestr("xl/vbaProject.bin", vba)
    report = sample_report(xlsm)
    result = write_scored_workbook(report, tmp_path / "out.xlsx")
    assert result.path == tmp_path / "out.xlsm"
    assert any("宏" in n for n in result.notes)
    with zipfile.ZipFile(result.path) as z:
        assert z.read("xl/vbaProject.bin") == vba
        assert b"macroEnabled.main+xml" in z.read("[Content_Types].xml")
    openpyxl.load_workbook(result.path, keep_vba=True)


def test_a_file_that_is_not_xlsx_gets_a_results_only_workbook(tmp_path: Path):
    src = tmp_path / "旧格式.xlsx"
    src.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 2000)  # an OLE (.xls / .et) header
    before = sha(src)
    report = sample_report(src)
    result = write_scored_workbook(report, tmp_path / "o.xlsx")
    assert sha(src) == before
    assert "不是 .xlsx" in result.notes[0]
    wb = openpyxl.load_workbook(result.path)
    assert wb.sheetnames == ["评分结果", "问题清单", "汇总"]
    rows = list(wb["评分结果"].iter_rows(values_only=True))
    assert rows[0][-3:] == HEADERS
    assert [r[0] for r in rows[1:]] == [r.item.no for r in report.items]
    assert [r[-2] for r in rows[1:]] == [STATUS_LABELS[r.status] for r in report.items]


def _pdf(path: Path, outdir: Path) -> Path:
    from wenming_xl.outputs.notices.pdf import convert_to_pdf, find_soffice

    if not find_soffice():
        pytest.skip("未安装 LibreOffice（soffice），跳过 PDF 转换检查")
    return convert_to_pdf(path, outdir)


@pytest.mark.libreoffice
def test_libreoffice_converts_the_scored_copy(scored, tmp_path: Path):
    pdfplumber = pytest.importorskip("pdfplumber")
    _src, _report, result = scored
    pdf = _pdf(result.path, tmp_path / "pdf")
    with pdfplumber.open(pdf) as doc:
        text = "".join(page.extract_text() or "" for page in doc.pages)
    assert "问题说明" in text and "group-too-few-images" in text and "评分汇总" in text


def write_excel_like(path: Path) -> Path:
    """The sample table as Excel writes it (shared strings, spans), with more features.

    Task sheet: merged title, comment, hyperlink, conditional format, a chart, frozen
    panes and a print area; 佐证台账: an Excel table (ListObject) and a validation list.
    """
    import xlsxwriter
    from reports import CATEGORIES, ITEMS
    from reports import HEADERS as TABLE_HEADERS

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet(SHEET)
    bold = wb.add_format({"bold": True, "bg_color": "#BDD7EE", "border": 1})
    ws.merge_range(0, 0, 0, len(TABLE_HEADERS) - 1, "2022年度文明单位创建工作任务及责任分工", bold)
    ws.write_row(HEADER_ROW - 1, 0, TABLE_HEADERS, bold)
    for no, cat, text, points, depts, req, *_ in ITEMS:
        r = ROWS[no] - 1
        ws.write_row(r, 0, [cat, f"{no}.{text}", points, "\n".join(depts), req])
    for cat, *_ in CATEGORIES:
        rows = [ROWS[no] - 1 for no, c, *_ in ITEMS if c == cat]
        if len(rows) > 1:
            ws.merge_range(min(rows), 0, max(rows), 0, cat)
    ws.write_comment("C3", "分值以市文明办通知为准")
    ws.write_url("E4", "https://www.wenming.cn/", string="不少于2次活动，每次活动3张图片")
    ws.conditional_format("C3:C13", {"type": "cell", "criteria": ">", "value": 4, "format": bold})
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"values": [SHEET, 2, 2, 12, 2], "categories": [SHEET, 2, 1, 12, 1]})
    ws.insert_chart("B16", chart)
    ws.freeze_panes(HEADER_ROW, 0)
    ws.print_area(0, 0, 12, 5)
    ws.set_column(0, 5, 16)
    led = wb.add_worksheet(LEDGER)
    data = [[i % 9 + 1, "党建办", "2022-05-03", f"活动{i}", 3] for i in range(100)]
    columns = [{"header": h} for h in ("条目", "部门", "日期", "主题", "数量")]
    led.add_table(0, 0, len(data), 4, {"data": data, "columns": columns})
    led.data_validation(1, 1, 100, 1, {"validate": "list", "source": ["党建办", "工会"]})
    wb.close()
    return path


def test_a_workbook_written_like_excel_keeps_everything(tmp_path: Path):
    src = write_excel_like(tmp_path / "excel.xlsx")
    before = sha(src)
    report = sample_report(src)
    out = write_scored_workbook(report, tmp_path / "out.xlsx").path
    assert sha(src) == before
    parts = sheet_parts(src)
    changed = {parts[SHEET], "xl/styles.xml", "xl/workbook.xml"}
    changed |= {"xl/_rels/workbook.xml.rels", "[Content_Types].xml"}
    assert_parts_kept(src, out, changed)
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        wbxml = z.read("xl/workbook.xml").decode()
        sheet = z.read(parts[SHEET]).decode()
    assert any(n.startswith("xl/charts/") for n in names)
    assert any(n.startswith("xl/tables/") for n in names)
    assert "<hyperlinks>" in sheet and "<conditionalFormatting" in sheet and "<drawing " in sheet
    assert "spans=" not in re.search(rf'<row r="{ROWS[1]}"[^>]*>', sheet).group(0)
    assert f"{SHEET}!$A$1:$I$13" in wbxml  # the print area now takes the new columns
    assert re.search(r'<sheet name="问题清单" sheetId="\d+" r:id="rIdWm\d"/>', wbxml)
    wb = openpyxl.load_workbook(out)
    ws = wb[SHEET]
    assert ws.freeze_panes == "A3"
    assert [ws[f"{c}{HEADER_ROW}"].value for c in NEW_COLS] == list(HEADERS)
    assert ws[f"H{ROWS[3]}"].value == "缺材料"
    assert ws["E4"].hyperlink.target == "https://www.wenming.cn/"
    assert wb[LEDGER].tables and wb[LEDGER].max_row == 101
    assert wb.sheetnames == [SHEET, LEDGER, "问题清单", "汇总"]


@pytest.mark.libreoffice
def test_libreoffice_converts_an_excel_written_copy(tmp_path: Path):
    pdfplumber = pytest.importorskip("pdfplumber")
    src = write_excel_like(tmp_path / "excel.xlsx")
    out = write_scored_workbook(sample_report(src), tmp_path / "out.xlsx").path
    pdf = _pdf(out, tmp_path / "pdf")
    with pdfplumber.open(pdf) as doc:
        text = "".join(page.extract_text() or "" for page in doc.pages)
    assert "待人工确认" in text and "评分汇总" in text


def test_rescoring_a_copy_whose_issue_sheet_had_the_code_first(tmp_path: Path):
    """A 问题清单 written when 代码 was the third column is ours: replaced, not kept beside."""
    src = write_task_workbook(tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(src)
    old = wb.create_sheet("问题清单")
    old.append(["条目", "部门", "代码", "位置", "说明", "级别"])
    old.append([1, "办公室", "too-few-images", "材料/01", "第1项：图片只有1张", "问题"])
    wb.save(src)
    out = write_scored_workbook(sample_report(src), tmp_path / "o.xlsx")
    wb = openpyxl.load_workbook(out.path)
    assert wb.sheetnames == [SHEET, "问题清单", "汇总"]
    assert tuple(c.value for c in wb["问题清单"][1]) == ISSUE_HEADERS


def test_rows_are_tall_enough_for_the_wrapped_issue_text(tmp_path: Path):
    """Source rows set to one line (as offices do) grow to fit a long 问题说明; others stay."""
    src = write_task_workbook(tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(src)
    for r in ROWS.values():
        wb[SHEET].row_dimensions[r].height = 15
    wb[SHEET].row_dimensions[ROWS[1]].height = 90  # a tall row of the source's own
    wb.save(src)
    report = sample_report(src)
    report.items[1].findings[:] = [
        F.make(
            "group-too-few-images",
            item=2,
            index=i,
            group_unit="次",
            group_name=f"2022-05-0{i} 东双桥社区 礼让斑马线志愿服务",
            have=1,
            need=3,
            short=2,
        )
        for i in range(1, 7)
    ]
    out = write_scored_workbook(report, tmp_path / "o.xlsx").path
    ws = openpyxl.load_workbook(out)[SHEET]
    font = cjk_font()
    width = ws.column_dimensions["I"].width
    for res in report.items:
        text = ws[f"I{res.item.row}"].value
        if not text:
            continue
        lines = lines_measured(text, width, font, 11)
        height = ws.row_dimensions[res.item.row].height or 15
        # Noto/等线 CJK lines are ~1.45 em: 16 pt at 11 pt
        assert height >= lines * 11 * 1.45, (res.item.no, lines, height, text)
    assert ws.row_dimensions[ROWS[1]].height == 90  # never made smaller
    assert lines_measured(ws[f"I{ROWS[2]}"].value, width, font, 11) >= 12
