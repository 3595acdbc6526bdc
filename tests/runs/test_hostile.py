"""Hostile content (issue 9): formula injection, XML entities, zip bombs, escaping paths, huge input.

Every output built from user text is opened as a zip afterwards and every worksheet is
searched for ``<f>`` elements: user text must come out as text, never as a formula.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from badfiles import task_book
from imgs import jpeg

from wenming_xl.errors import WenmingError, WorkbookError
from wenming_xl.evidence.collect import collect_evidence
from wenming_xl.outputs.mail.extract import departments_of, extract_bytes
from wenming_xl.outputs.workbooks.dashboard import write_dashboard
from wenming_xl.outputs.workbooks.scored import write_scored_workbook
from wenming_xl.runs.check import run_check
from wenming_xl.tables.rubric import load_rubric

EVIL = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3", "=1+1"]


def evil_book(path: Path) -> Path:
    """A task table whose category, item texts, departments and requirements are formulas."""
    rows = [
        [EVIL[0], "1." + EVIL[0], "2分", "=HYPERLINK(党建办)", EVIL[2]],
        [EVIL[0], "2." + EVIL[1], "3分", "+工会", "上传照片不少于2张"],
        ["二、宣传", "3.开展活动", "4分", "@团委", EVIL[4]],
        ["二、宣传", EVIL[3], "1分", "-办公室", EVIL[1]],
    ]
    return task_book(path, rows)


def string_ledger(path: Path, rows: list[list]) -> Path:
    """A ledger workbook whose cells are all stored as strings (no formulas in the input)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "佐证台账"
    ws.append(["条目", "部门", "日期", "主题", "类型", "数量", "路径", "备注"])
    for row in rows:
        ws.append(row)
    for cell in ws._cells.values():
        if isinstance(cell.value, str):
            cell.data_type = "s"
    wb.save(path)
    return path


def formulas_in(data: bytes) -> list[str]:
    """Every ``<f>`` element in the worksheets of an xlsx package (bytes)."""
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = zf.read(name).decode("utf-8")
                found += re.findall(r"<(?:\w+:)?f[ >][^<]*", xml)
    return found


def texts_in(data: bytes) -> str:
    """All the XML text of a package, to check the user text is there (as text)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return "".join(
            zf.read(n).decode("utf-8", "replace") for n in zf.namelist() if n.endswith(".xml")
        )


@pytest.fixture
def evil_report(tmp_path):
    book = evil_book(tmp_path / "任务表.xlsx")
    root = tmp_path / "材料"
    jpeg(root / "2" / f"{EVIL[0]}.jpg".replace("/", "_"), seed=1)
    jpeg(root / "3" / "+cmd 活动.jpg", seed=2)
    ledger = string_ledger(
        tmp_path / "=台账.xlsx",
        [["3", EVIL[2], "2022-05-03", EVIL[0], "照片", "2", "", EVIL[1]]],
    )
    report = run_check(book, evidence=root, ledgers=[ledger])
    return book, report


def test_formula_text_stays_text_in_the_scored_workbook(tmp_path, evil_report):
    book, report = evil_report
    out = write_scored_workbook(report, tmp_path / "评分.xlsx").path
    data = out.read_bytes()
    assert formulas_in(data) == []
    texts = texts_in(data)
    assert "HYPERLINK(&quot;http://x&quot;" in texts or 'HYPERLINK("http://x"' in texts
    wb = openpyxl.load_workbook(out)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)


def test_formula_text_stays_text_in_the_fallback_scored_workbook(tmp_path, evil_report):
    book, report = evil_report
    from wenming_xl.outputs.workbooks.scored import _results_only

    res = _results_only(report, tmp_path / "仅结果.xlsx", book, "测试")
    assert formulas_in(res.path.read_bytes()) == []


def test_formula_text_stays_text_in_the_dashboard(tmp_path, evil_report):
    _book, report = evil_report
    out = Path(write_dashboard(report, tmp_path / "看板.xlsx"))
    data = out.read_bytes()
    assert formulas_in(data) == []
    # chart titles and series names never carry the user's text as a formula reference
    with zipfile.ZipFile(out) as zf:
        for name in zf.namelist():
            if name.startswith("xl/charts/"):
                refs = re.findall(r"<c:f>([^<]*)</c:f>", zf.read(name).decode())
                assert not any("HYPERLINK" in r or "cmd" in r for r in refs), refs


def test_formula_text_stays_text_in_the_department_extracts(evil_report):
    _book, report = evil_report
    depts = departments_of(report)
    assert depts
    for dept in depts:
        data = extract_bytes(report, dept, month_label="2022年6月")
        assert formulas_in(data) == [], dept


def test_formula_text_stays_text_in_kits(tmp_path):
    """The ledger's own 部门 formula holds the name only as a quoted string literal."""
    from xml.sax.saxutils import unescape

    from wenming_xl.outputs.workbooks.kits import make_kits, plan_kits

    rows = [
        ["一、组织", "1." + EVIL[0], "2分", EVIL[0].replace(",", "，"), "上传照片1张"],
        ["一、组织", "2.开会", "2分", '党建"&HYPERLINK("http://x")&"办', "上传照片1张"],
        ["一、组织", "3.+cmd", "2分", "+工会", EVIL[1]],
    ]
    book = task_book(tmp_path / "任务表.xlsx", rows)
    depts = {k.department for k in plan_kits(load_rubric(book))}
    assert any('"' in d for d in depts)
    paths = make_kits(book, tmp_path / "台账包")
    assert len(paths) == len(depts)
    literal = re.compile(r'<f>IF\(A\d+="","","((?:[^"]|"")*)"\)</f>')
    for p in paths:
        with zipfile.ZipFile(p) as zf:
            for name in zf.namelist():
                if not name.startswith("xl/worksheets/"):
                    continue
                xml = zf.read(name).decode()
                for f in re.findall(r"<f>.*?</f>", xml):
                    m = literal.fullmatch(f)
                    assert m, f
                    assert unescape(m.group(1), {"&quot;": '"'}).replace('""', '"') in depts


def test_formula_text_stays_text_in_the_imported_task_workbook(tmp_path):
    from wenming_xl.outputs.workbooks.tasks import write_task_workbook
    from wenming_xl.tables.plan import import_plan

    plan = tmp_path / "计划.txt"
    plan.write_text(
        '一、组织领导\n1.=HYPERLINK("http://x","y")（2分）\n责任处室：+党建办\n'
        "2.@SUM(A1) 召开会议（3分）\n责任处室：-办公室\n",
        encoding="utf-8",
    )
    out = write_task_workbook(import_plan(plan), tmp_path / "任务表.xlsx")
    assert formulas_in(Path(out).read_bytes()) == []


# --------------------------------------------------------------------------- XML entities

_BOMB_DTD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<!DOCTYPE x [<!ENTITY a "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
    '<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
    '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">'
    '<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
)


def _rewrite(src: Path, dst: Path, part_pattern: str, fn) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if re.fullmatch(part_pattern, info.filename):
                data = fn(data.decode("utf-8")).encode("utf-8")
            zout.writestr(info.filename, data)
    return dst


def _with_dtd(xml: str, entity: str) -> str:
    body = re.sub(r"^<\?xml[^>]*\?>\s*", "", xml)
    body = body.replace("成立创建工作领导小组", entity, 1)
    return _BOMB_DTD + body


def _shared_strings_book(path: Path) -> Path:
    """The same task table written by xlsxwriter, whose text goes to sharedStrings.xml."""
    import xlsxwriter
    from badfiles import HEADER, ROWS

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("任务分工")
    for r, row in enumerate([HEADER, *ROWS]):
        for c, v in enumerate(row):
            ws.write_string(r, c, v)
    wb.close()
    return path


@pytest.mark.parametrize("entity", ["&e;", "&xxe;"])
@pytest.mark.parametrize("part", [r"xl/sharedStrings\.xml", r"xl/worksheets/sheet1\.xml"])
def test_xml_entities_in_a_workbook_are_not_expanded(tmp_path, part, entity):
    if "shared" in part:
        src = _shared_strings_book(tmp_path / "src.xlsx")
    else:
        src = task_book(tmp_path / "src.xlsx")  # openpyxl here: text inline in the sheet
    bad = _rewrite(src, tmp_path / "实体.xlsx", part, lambda x: _with_dtd(x, entity))
    with zipfile.ZipFile(bad) as zf:
        assert b"<!DOCTYPE" in zf.read(part.replace("\\", ""))
    with pytest.raises(WorkbookError) as exc:
        load_rubric(bad)  # python-calamine and defusedxml both refuse; nothing is expanded
    assert "实体.xlsx" in str(exc.value) and "XML 实体" in str(exc.value)
    assert "AAAAAAAAAA" not in str(exc.value) and "root:" not in str(exc.value)


def test_xml_entities_in_a_docx_plan_are_not_expanded(tmp_path):
    import docx

    from wenming_xl.tables.plan import import_plan

    d = docx.Document()
    d.add_paragraph("一、组织领导")
    d.add_paragraph("1.成立创建工作领导小组（2分）")
    d.add_paragraph("责任处室：党建办")
    d.save(tmp_path / "src.docx")
    bad = _rewrite(
        tmp_path / "src.docx",
        tmp_path / "计划.docx",
        r"word/document\.xml",
        lambda x: _with_dtd(x, "&e;&xxe;"),
    )
    try:
        result = import_plan(bad)
    except WenmingError as exc:
        assert "计划.docx" in str(exc)
        return
    text = repr(result)
    assert "AAAAAAAAAA" not in text and "root:" not in text


# --------------------------------------------------------------------------- zip bombs


def _bomb(path: Path, member: str, size: int) -> Path:
    """A package whose ``member`` inflates to ``size`` zero bytes (streamed, never in memory)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        with zf.open(member, "w", force_zip64=True) as fh:
            chunk = b"\0" * (1 << 20)
            for _ in range(size >> 20):
                fh.write(chunk)
    return path


def _declared(path: Path, member: str, size: int) -> Path:
    """Patch the sizes the zip declares for ``member`` (local header and central directory)."""
    import struct

    data = bytearray(path.read_bytes())
    raw = member.encode()
    for sig, off in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = 0
        while (at := data.find(sig, at)) >= 0:
            name_at = at + (30 if sig == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(raw)] == raw:
                data[at + off : at + off + 4] = struct.pack("<I", size)
            at += 4
    path.write_bytes(bytes(data))
    return path


def test_zip_bomb_workbook_is_refused_before_inflating(tmp_path):
    part = "xl/worksheets/sheet1.xml"
    bomb = _declared(_bomb(tmp_path / "炸弹.xlsx", part, 1 << 20), part, 600 << 20)
    with zipfile.ZipFile(bomb) as zf:
        assert zf.getinfo(part).file_size == 600 << 20
    with pytest.raises(WorkbookError, match="压缩炸弹"):
        load_rubric(bomb)


def test_zip_bomb_by_ratio_is_refused(tmp_path):
    bomb = _bomb(tmp_path / "炸弹.xlsx", "xl/sharedStrings.xml", 64 << 20)
    with pytest.raises(WorkbookError, match="压缩比"):
        load_rubric(bomb)


def test_zip_bomb_ledger_is_refused(tmp_path):
    from wenming_xl.evidence.ledger import read_ledger

    bomb = _bomb(tmp_path / "台账.xlsx", "xl/worksheets/sheet1.xml", 64 << 20)
    with pytest.raises(WenmingError) as exc:
        read_ledger(bomb)
    assert "台账.xlsx" in str(exc.value) and "压缩炸弹" in str(exc.value)


# --------------------------------------------------------------------------- paths


def test_absolute_ledger_paths_are_refused_and_never_read(tmp_path):
    secret = tmp_path / "外部" / "secret.jpg"
    jpeg(secret, seed=3)
    root = tmp_path / "单位" / "材料"
    jpeg(root / "1" / "a.jpg", seed=2)
    book = string_ledger(
        tmp_path / "单位" / "台账.xlsx",
        [
            ["1", "党建办", "", "", "照片", "", str(secret), ""],
            ["1", "党建办", "", "", "照片", "", "C:\\Windows\\win.ini", ""],
            ["1", "党建办", "", "", "照片", "", "\\\\server\\share\\a.jpg", ""],
        ],
    )
    items = load_rubric(task_book(tmp_path / "任务表.xlsx")).items
    evidence, findings = collect_evidence(items, evidence_dir=root, ledgers=[book])
    assert [e.path for e in evidence] == ["1/a.jpg"]
    codes = [f.code for f in findings]
    assert codes.count("path-outside-root") + codes.count("ledger-path-missing") == 3
    assert codes.count("path-outside-root") >= 1


# --------------------------------------------------------------------------- huge input


def test_10000_character_requirement_text(tmp_path):
    req = ("上传活动照片不少于4张，注明时间地点，" * 600)[:10000]
    book = task_book(tmp_path / "任务表.xlsx", [["一、组织", "1.开展活动", "2分", "党建办", req]])
    report = run_check(book)
    assert len(report.items[0].item.requirement_text) == 10000
    out = write_scored_workbook(report, tmp_path / "评分.xlsx").path
    assert formulas_in(out.read_bytes()) == []


def test_10000_row_task_table(tmp_path):
    import resource

    import xlsxwriter

    book = tmp_path / "大表.xlsx"
    wb = xlsxwriter.Workbook(str(book), {"constant_memory": True})
    ws = wb.add_worksheet("任务分工")
    ws.write_row(0, 0, ["创建项目", "工作清单", "分值", "牵头部门", "材料上传及说明"])
    for r in range(1, 10001):
        ws.write_row(
            r, 0, [f"第{r // 100 + 1}类", f"{r}.开展第{r}项工作", "1分", "党建办", "上传照片1张"]
        )
    wb.close()
    report = run_check(book)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    assert len(report.items) == 10000
    assert peak < 2 * 1024 * 1024 * 1024  # bounded: the whole test process under 2 GB
