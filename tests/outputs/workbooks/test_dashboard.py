"""The dashboard workbook: native charts that point at the tables they draw."""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from reports import sample_history, sample_report, write_task_workbook

from wenming_xl.errors import OutputError
from wenming_xl.model import DEDUCTION, STATUS_LABELS, DepartmentResult
from wenming_xl.outputs.workbooks.dashboard import (
    DASHBOARD_SHEET,
    DATA_SHEET,
    FONT,
    write_dashboard,
)


@pytest.fixture
def report(tmp_path: Path):
    return sample_report(write_task_workbook(tmp_path / "任务分工.xlsx"))


def charts(path: Path) -> dict[str, dict]:
    """Chart title → {"type", "bar_dir", "series": [{"name", "cat", "val"} as <c:f> refs]}."""
    out = {}
    with zipfile.ZipFile(path) as z:
        for name in sorted(n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)):
            xml = z.read(name).decode()
            title = "".join(re.findall(r"<a:t>([^<]*)</a:t>", xml.split("</c:title>")[0]))
            series = []
            for ser in re.findall(r"<c:ser>(.*?)</c:ser>", xml, re.S):

                def ref(tag: str, ser: str = ser) -> str | None:
                    m = re.search(rf"<c:{tag}>.*?<c:f>([^<]*)</c:f>", ser, re.S)
                    return m.group(1) if m else None

                series.append({"name": ref("tx"), "cat": ref("cat"), "val": ref("val")})
            kind = re.search(r"<c:(\w+Chart)>", xml).group(1)
            bar_dir = re.search(r'<c:barDir val="(\w+)"/>', xml)
            out[title] = {
                "type": kind,
                "bar_dir": bar_dir.group(1) if bar_dir else None,
                "series": series,
                "xml": xml,
            }
    return out


def values(wb, ref: str) -> list:
    """The cell values a chart reference such as ``数据!$A$3:$A$7`` points at."""
    sheet, _, rng = ref.partition("!")
    ws = wb[sheet.strip("'")]
    rng = rng.replace("$", "")
    if ":" not in rng:
        return [ws[rng].value]
    return [row[0].value for row in ws[rng]]  # the charts draw single columns


def test_charts_point_at_the_data_they_show(report, tmp_path: Path):
    out = write_dashboard(report, tmp_path / "看板.xlsx", history=sample_history())
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [DASHBOARD_SHEET, DATA_SHEET]
    found = charts(out)
    assert len(found) == 5

    charted = sorted((d for d in report.departments if d.max), key=lambda d: (d.completion, d.name))
    completion = found["各部门完成率（得分 ÷ 满分）"]
    assert (completion["type"], completion["bar_dir"]) == ("barChart", "bar")
    (ser,) = completion["series"]
    assert ser["cat"].startswith(f"{DATA_SHEET}!$A$")
    assert values(wb, ser["cat"]) == [d.name for d in charted]
    assert values(wb, ser["val"]) == pytest.approx([d.completion for d in charted], abs=1e-4)

    stake = found["各部门待补分值（尚未得到的分数）"]
    assert values(wb, stake["series"][0]["cat"]) == [d.name for d in charted]
    assert values(wb, stake["series"][0]["val"]) == [float(d.at_stake) for d in charted]

    cats = [c for c in report.categories if c.kind != DEDUCTION]
    by_cat = found["各类别得分与分值上限"]
    assert (by_cat["type"], by_cat["bar_dir"]) == ("barChart", "col")
    score, cap = by_cat["series"]
    assert values(wb, score["name"]) == ["得分"] and values(wb, cap["name"]) == ["分值上限"]
    assert values(wb, score["cat"]) == [c.name for c in cats]
    assert values(wb, score["val"]) == [float(c.score) for c in cats]
    assert values(wb, cap["val"]) == [float(c.cap) for c in cats]

    pie = found["条目状态分布"]
    assert pie["type"] == "pieChart"
    labels = values(wb, pie["series"][0]["cat"])
    assert labels == list(STATUS_LABELS.values())
    counts = {STATUS_LABELS[s]: sum(r.status == s for r in report.items) for s in STATUS_LABELS}
    assert values(wb, pie["series"][0]["val"]) == [counts[label] for label in labels]

    trend = found["月度得分趋势"]
    assert trend["type"] == "lineChart"
    history = sample_history()
    names = [values(wb, s["name"])[0] for s in trend["series"]]
    assert names == ["总分", "党建办", "工会", "团委"]
    assert values(wb, trend["series"][0]["cat"]) == [h["month"] for h in history]
    assert values(wb, trend["series"][0]["val"]) == [h["total"] for h in history]
    assert values(wb, trend["series"][2]["val"]) == [h["departments"]["工会"] for h in history]


def test_no_trend_before_two_months(report, tmp_path: Path):
    out = write_dashboard(report, tmp_path / "看板.xlsx")
    found = charts(out)
    assert len(found) == 4
    assert all(c["type"] != "lineChart" for c in found.values())
    notes = [c.value for row in openpyxl.load_workbook(out)[DASHBOARD_SHEET] for c in row]
    assert any(isinstance(v, str) and "两个月" in v for v in notes)


def test_the_current_month_joins_its_history(report, tmp_path: Path):
    out = write_dashboard(report, tmp_path / "看板.xlsx", history=sample_history()[:2])
    trend = charts(out)["月度得分趋势"]
    wb = openpyxl.load_workbook(out)
    assert values(wb, trend["series"][0]["cat"]) == ["2022-03", "2022-04", "2022-05"]
    assert values(wb, trend["series"][0]["val"]) == [8, 11.5, float(report.total)]


def test_print_setup_and_chinese_font(report, tmp_path: Path):
    out = write_dashboard(report, tmp_path / "看板.xlsx", history=sample_history())
    with zipfile.ZipFile(out) as z:
        for sheet in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"):
            xml = z.read(sheet).decode()
            assert '<pageSetUpPr fitToPage="1"/>' in xml
            setup = re.search(r"<pageSetup [^>]*/>", xml).group(0)
            for attr in ('paperSize="9"', 'orientation="landscape"', 'fitToHeight="0"'):
                assert attr in setup
        assert f'<name val="{FONT}"/>' in z.read("xl/styles.xml").decode()
        assert f'typeface="{FONT}"' in z.read("xl/charts/chart1.xml").decode()
    ws = openpyxl.load_workbook(out)[DASHBOARD_SHEET]
    assert "看板" in ws["A1"].value and ws["A3"].value == float(report.total)


def test_names_that_look_like_formulas_are_text(report, tmp_path: Path):
    evil = '=HYPERLINK("http://x","y")'
    report.departments.append(DepartmentResult(name=evil, items=[1], score=1, max=2))
    out = write_dashboard(report, tmp_path / "看板.xlsx")
    with zipfile.ZipFile(out) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(r"<f[\s>]", z.read(name).decode())
    ws = openpyxl.load_workbook(out)[DATA_SHEET]
    assert evil in [c.value for row in ws for c in row]


def test_never_overwrites_the_source_and_names_the_file_in_a_folder(report, tmp_path: Path):
    src = Path(report.rubric.path)
    digest = hashlib.sha256(src.read_bytes()).hexdigest()
    with pytest.raises(OutputError):
        write_dashboard(report, src)
    assert hashlib.sha256(src.read_bytes()).hexdigest() == digest
    folder = tmp_path / "输出"
    folder.mkdir()
    assert write_dashboard(report, folder) == folder / "任务分工-看板.xlsx"


@pytest.mark.libreoffice
def test_libreoffice_converts_the_dashboard(report, tmp_path: Path):
    pdfplumber = pytest.importorskip("pdfplumber")
    from wenming_xl.outputs.notices.pdf import convert_to_pdf, find_soffice

    if not find_soffice():
        pytest.skip("未安装 LibreOffice（soffice），跳过 PDF 转换检查")
    out = write_dashboard(report, tmp_path / "看板.xlsx", history=sample_history())
    pdf = convert_to_pdf(out, tmp_path / "pdf")
    with pdfplumber.open(pdf) as doc:
        first = doc.pages[0]
        assert first.width > first.height  # landscape
        text = "".join(page.extract_text() or "" for page in doc.pages)
    assert "各部门完成率" in text and "月度趋势" in text


def test_figures_use_the_terminals_words(report, tmp_path: Path):
    """达标条目 leaves deduction items out; 问题 are errors, as on the terminal and 问题清单."""
    path = write_dashboard(report, tmp_path / "看板.xlsx")
    ws = openpyxl.load_workbook(path)[DASHBOARD_SHEET]
    figures = {ws.cell(2, c).value: ws.cell(3, c).value for c in range(1, 17, 2)}
    scorable = [r for r in report.items if r.item.kind != DEDUCTION and r.status != "na"]
    met = sum(1 for r in scorable if r.status == "met")
    assert figures["达标条目"] == f"{met}/{len(scorable)}"
    assert len(scorable) < len(report.items)  # the sample has deduction items
    errors = sum(1 for f in report.all_findings() if f.severity == "error")
    review = sum(1 for r in report.items if r.status == "review")
    assert figures["问题 / 待人工确认"] == f"{errors} / {review}"


def data_tables(path: Path) -> dict[str, list[list]]:
    """The 数据 sheet's tables: section title → rows under its header (header first)."""
    ws = openpyxl.load_workbook(path)[DATA_SHEET]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    out: dict[str, list[list]] = {}
    r = 0
    while r < len(rows):
        title = rows[r][0]
        if isinstance(title, str) and all(v is None for v in rows[r][1:]):
            body = []
            r += 1
            while r < len(rows) and any(v is not None for v in rows[r]):
                width = sum(1 for v in rows[r] if v is not None) if not body else len(body[0])
                body.append(rows[r][:width])
                r += 1
            out[title.split("（")[0]] = body
        r += 1
    return out


def test_data_tables_are_the_frames(report, tmp_path: Path):
    """按部门, 按状态 and 月度趋势 hold what the pandas tables of the report and history give."""
    import pandas as pd

    from wenming_xl.judge import frames

    history = sample_history()[:2] + [
        {"month": "2022-05", "total": 15, "departments": {"党建办": 10, "宣传科": 1}}
    ]
    report.period = "2022-06"
    out = write_dashboard(report, tmp_path / "看板.xlsx", history=history)
    tables = data_tables(out)

    deps = frames.departments_frame(report)
    deps["items"] = deps["items"].map(len)
    raw = pd.Series([d.completion for d in report.departments], index=deps.index)
    charted = deps[deps["max"] > 0].assign(_c=raw).sort_values(["_c", "name"], kind="stable")
    want = pd.concat([charted.drop(columns="_c"), deps[~(deps["max"] > 0)]])
    cols = ["name", "score", "max", "completion", "points_at_stake", "met", "items", "findings"]
    assert tables["按部门"][0] == [
        "部门",
        "得分",
        "满分",
        "完成率",
        "待补分值",
        "达标条目",
        "牵头条目",
        "问题数",
    ]
    assert tables["按部门"][1:] == want[cols].values.tolist()
    assert len(want) > len(charted)  # the sample has a department with no points

    counts = frames.items_frame(report)["status"].value_counts()
    counts = counts.reindex(list(STATUS_LABELS), fill_value=0)
    assert tables["按状态"][1:] == [[STATUS_LABELS[s], n] for s, n in counts.items()]

    current = {
        "month": "2022-06",
        "total": float(report.total),
        "departments": {d.name: float(d.score) for d in report.departments if d.max},
    }
    trend = frames.trend_frame(history + [current], labels="zh").astype(object)
    trend = trend.where(trend.notna(), None)
    assert tables["月度趋势"][0] == list(trend.columns)
    assert tables["月度趋势"][1:] == trend.values.tolist()
    assert (
        "宣传科" in trend.columns and tables["月度趋势"][1][trend.columns.get_loc("宣传科")] is None
    )
