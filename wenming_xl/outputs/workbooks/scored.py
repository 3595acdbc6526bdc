"""The scored copy of the task workbook: 得分 / 状态 / 问题说明 beside each item, 问题清单, 汇总.

The copy is made by package surgery (`xlsx_package`): only the task sheet, styles.xml and
the workbook's own parts are rewritten; every other part — a 20,000-row 佐证台账, images,
comments, charts, VBA — is copied byte for byte, so nothing a department made is lost and
nothing large is parsed. The three columns go after the last used column of the table, or
into the columns an earlier scoring added (header cells reading exactly 得分, 状态 and
问题说明), so re-scoring a scored copy every month does not add columns. The 问题清单 and
汇总 sheets are appended; if the workbook already has sheets of those names that an
earlier scoring wrote (recognised by their first row), they are rewritten in place,
otherwise ours get a unique name such as 「问题清单(2)」 and the user's sheets stay.

When surgery is impossible (not an .xlsx, a part it cannot read), the results go into a
new workbook holding only 评分结果, 问题清单 and 汇总, and `WriteResult.notes` says so.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Union

from wenming_xl.errors import OutputError, os_reason
from wenming_xl.files.writing import atomic_write
from wenming_xl.findings import label as code_label
from wenming_xl.model import (
    BONUS,
    DEDUCTION,
    MET,
    MISSING,
    NA,
    PARTIAL,
    REVIEW,
    STATUS_LABELS,
    ItemResult,
    Report,
    num,
)
from wenming_xl.outputs.workbooks.cells import col_letter, looks_like_formula, sheet_name
from wenming_xl.outputs.workbooks.package import PackageError, SheetRef, XlsxPackage
from wenming_xl.outputs.workbooks.sheetxml import (
    LINE_HEIGHT,
    ROW_PAD,
    SheetXml,
    StyleBook,
    cell_xml,
    line_height,
    render_sheet,
    text_lines,
)
from wenming_xl.text import readable

__all__ = ["HEADERS", "ISSUE_HEADERS", "STATUS_FILLS", "WriteResult", "write_scored_workbook"]

#: Header cells of the three columns written beside the items.
HEADERS = ("得分", "状态", "问题说明")
#: Header row of the 问题清单 sheet.
ISSUE_HEADERS = ("条目", "部门", "问题", "位置", "说明", "级别", "代码")
#: The first headers of a 问题清单 written before the code moved to the last column.
_OLD_ISSUE_MARK = ("条目", "部门", "代码", "位置", "说明")
ISSUE_SHEET, SUMMARY_SHEET, RESULT_SHEET = "问题清单", "汇总", "评分结果"
#: The 汇总 row naming the run (the dashboard says the same words).
RUN_LABEL = "运行编号："
#: A1 of the 汇总 sheet; marks it as ours when a scored copy is scored again.
SUMMARY_MARK = "评分汇总"
#: Fill (RGB) of the three cells by item status.
STATUS_FILLS = {
    MET: "C6EFCE",
    PARTIAL: "FFEB9C",
    MISSING: "FFC7CE",
    REVIEW: "F8CBAD",
    NA: "D9D9D9",
}
SEVERITY_LABELS = {"error": "问题", "warning": "提醒", "info": "提示"}
KIND_LABELS = {BONUS: "加分项目", DEDUCTION: "扣分项目"}
_HEAD_FILL = "D9E1F2"
_WIDTHS = (8.0, 11.0, 50.0)


@dataclass
class WriteResult:
    """Where an output went and what the user should know about it (Chinese notes)."""

    path: Path
    notes: list[str] = field(default_factory=list)


def default_name(source: Path, tag: str) -> str:
    """``<name>-<tag>.xlsx`` beside the workbook, as the CLI names outputs."""
    return f"{readable(source.stem)}-{tag}.xlsx"


def write_scored_workbook(
    report: Report, out: Union[str, Path], *, password: Optional[str] = None
) -> WriteResult:
    """Write the scored copy of ``report.rubric.path`` to ``out`` (a file, or a folder).

    The source workbook is never modified nor overwritten (`OutputError`). Returns the
    path written — ``.xlsm`` when the source holds macros — and notes in Chinese. A
    password-protected source is decrypted in memory with ``password`` and its scored
    copy is encrypted again with the same password before it reaches the disk.
    """
    from wenming_xl.files.zips import encrypt_office
    from wenming_xl.tables.sheets import decrypted_bytes

    source = Path(report.rubric.path)
    out = Path(out)
    if out.is_dir():
        out = out / default_name(source, "评分")
    notes: list[str] = []
    try:
        plain = decrypted_bytes(source, password)
        pkg = XlsxPackage.open(source if plain is None else io.BytesIO(plain))
    except (OSError, zipfile.BadZipFile, PackageError, KeyError) as exc:
        return _results_only(report, out, source, _reason(exc))
    try:
        out = _keep_kind(pkg, out, notes)
        notes += _score_sheet(pkg, report)
        notes += _result_sheets(pkg, report)
        with atomic_write(out, protect=source) as tmp:
            pkg.save(tmp)
            if plain is not None:
                tmp.write_bytes(encrypt_office(tmp.read_bytes(), str(password)))
        if plain is not None:
            notes.append("源工作簿设有打开密码，评分副本和看板已用同一密码加密保存。")
    except PackageError as exc:
        return _results_only(report, out, source, _reason(exc))
    finally:
        pkg.close()
    return WriteResult(out, notes)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, zipfile.BadZipFile):
        return "源文件不是 .xlsx 格式（可能是 .xls、WPS .et 或已加密）"
    if isinstance(exc, OSError):
        return f"无法读取源文件（{os_reason(exc)}）"
    return f"工作簿结构无法安全改写（{exc}）"


def _keep_kind(pkg: XlsxPackage, out: Path, notes: list[str]) -> Path:
    """Keep macros (write .xlsm) and turn a template into a workbook."""
    main = pkg.main_type
    if "template" in main:
        plain = main.replace(".template.", ".sheet.")
        pkg.ct_text = pkg.ct_text.replace(main, plain)
        notes.append("源文件是模板（.xltx/.xltm），评分副本保存为普通工作簿。")
    if "macroEnabled" in main and out.suffix.lower() == ".xlsx":
        out = out.with_suffix(".xlsm")
        notes.append("源工作簿含宏（VBA），为保留宏，评分副本保存为 .xlsm 文件。")
    return out


# --------------------------------------------------------------------------- the task sheet


def _rows(report: Report) -> dict[int, list[ItemResult]]:
    rows: dict[int, list[ItemResult]] = {}
    for res in report.items:
        if res.item.row:
            rows.setdefault(res.item.row, []).append(res)
    return rows


def _combined(results: list[ItemResult]) -> tuple[Optional[float], str, str]:
    """Score, status and 问题说明 of one row (several items may share a row, as in seed 004)."""
    scores = [r.score for r in results if r.score is not None]
    score = num(sum(scores)) if scores else None
    statuses = [r.status for r in results if r.status != NA] or [NA]
    if len(set(statuses)) == 1:
        status = statuses[0]
    elif set(statuses) <= {MET, REVIEW}:
        status = REVIEW
    else:
        status = PARTIAL
    text = "\n".join(f.message for r in results for f in r.findings)
    return score, status, text


def _score_sheet(pkg: XlsxPackage, report: Report) -> list[str]:
    rubric = report.rubric
    ref = pkg.sheet(rubric.sheet)
    if ref is None:
        raise PackageError(f"工作簿中没有工作表「{rubric.sheet}」")
    sheet = SheetXml(pkg.read(ref.part), ref.part)
    rows = _rows(report)
    notes: list[str] = []
    head = rubric.header_row
    header = sheet.cells(head)
    shared = pkg.shared_texts({c.shared_index for c in header} - {None})
    found: dict[str, int] = {}
    for cell in header:
        text = (cell.text(shared) or "").strip()
        if text in HEADERS and text not in found:
            found[text] = cell.col
    styles = pkg.styles
    p = sheet.prefix
    new: dict[int, dict[int, str]] = {}
    widths: dict[int, float] = {}
    heights: dict[int, float] = {}
    size = styles.font_size()
    if len(found) == len(HEADERS):
        cols = [found[h] for h in HEADERS]
        notes.append(f"沿用上次评分的「得分/状态/问题说明」列（{_span(cols)}列），未新增列。")
    else:
        last = sheet.last_used_col(head, max([head] + list(rows)))
        cols = [last + 1, last + 2, last + 3]
        used = [c for c in header if c.has_value]
        hstyle = used[-1].style if used and used[-1].style else 0
        hstyle = hstyle or styles.xf(bold=True, fill=_HEAD_FILL, halign="center", wrap=True)
        new[head] = {c: cell_xml(head, c, h, hstyle, p) for c, h in zip(cols, HEADERS)}
        widths = dict(zip(cols, _WIDTHS))
        notes.append(f"在工作表「{ref.name}」第 {_span(cols)} 列写入 得分/状态/问题说明。")
    for row, results in sorted(rows.items()):
        if row == head:
            continue
        score, status, text = _combined(results)
        fill = STATUS_FILLS.get(status, STATUS_FILLS[NA])
        center = styles.xf(fill=fill, halign="center")
        wrap = styles.xf(fill=fill, wrap=True, quote=looks_like_formula(text))
        values = ((score, center), (STATUS_LABELS.get(status, status), center), (text, wrap))
        new[row] = {c: cell_xml(row, c, v, s, p) for c, (v, s) in zip(cols, values)}
        need = _height_for(text, widths.get(cols[2]) or sheet.col_width(cols[2]), size)
        if need > (sheet.row_height(row) or LINE_HEIGHT + ROW_PAD):
            heights[row] = need  # the source's height cut the 问题说明 off
    missing = [r for r in report.items if not r.item.row]
    if missing:
        notes.append(
            f"有 {len(missing)} 个条目没有对应的行号，未写入工作表，请查看「汇总」和问题清单。"
        )
    pkg.replace(ref.part, sheet.render(new, widths, heights))
    pkg.extend_print_area(ref, max(cols))
    return notes


def _height_for(text: str, width: Optional[float], font_size: float) -> float:
    """Points a wrapped 问题说明 needs in a column ``width`` characters wide (default 8.43)."""
    if not text:
        return 0.0
    lines = text_lines(text, (width or 8.43) * 11.0 / font_size)  # a bigger font fits fewer
    return lines * line_height(font_size) + ROW_PAD


def _span(cols: list[int]) -> str:
    return f"{col_letter(min(cols))}–{col_letter(max(cols))}"


# --------------------------------------------------------------------------- 问题清单 and 汇总


def _own_sheet(
    pkg: XlsxPackage, name: str, marks: tuple[tuple[str, ...], ...], task: str
) -> Optional[SheetRef]:
    """The sheet called ``name`` if an earlier scoring wrote it (its first row is one of ``marks``)."""
    ref = next((s for s in pkg.sheets if s.name.lower() == name.lower()), None)
    if ref is None or ref.name == task or not pkg.has(ref.part):
        return None
    sheet = SheetXml(pkg.read(ref.part), ref.part)
    for marker in marks:
        cells = sheet.cells(1)[: len(marker)]
        shared = pkg.shared_texts({c.shared_index for c in cells} - {None})
        texts = tuple((c.text(shared) or "").strip() for c in cells)
        if texts == marker and [c.col for c in cells] == list(range(1, len(marker) + 1)):
            return ref
    return None


def _put_sheet(
    pkg: XlsxPackage, name: str, marks: tuple[tuple[str, ...], ...], xml: bytes, task: str
) -> tuple[SheetRef, Optional[str]]:
    own = _own_sheet(pkg, name, marks, task)
    if own is not None:
        pkg.replace(own.part, xml)
        return own, None
    taken = {s.name for s in pkg.sheets}
    final = sheet_name(name, taken)
    note = None
    if final != name:
        note = f"工作簿中已有名为「{name}」的工作表（不是本工具生成的），保留原表，评分结果写入「{final}」。"
    return pkg.add_sheet(final, xml), note


def _result_sheets(pkg: XlsxPackage, report: Report) -> list[str]:
    styles = pkg.styles
    task = report.rubric.sheet
    issues, last = issue_rows(report, styles)
    xml = render_sheet(
        issues,
        [8, 16, 18, 26, 70, 8, 22],
        freeze_rows=1,
        autofilter=(1, last),
        wrap_cols=(2, 3, 4, 5),
    )
    marks = (ISSUE_HEADERS[:5], _OLD_ISSUE_MARK)
    ref, note = _put_sheet(pkg, ISSUE_SHEET, marks, xml, task)
    quoted = "'" + ref.name.replace("'", "''") + "'"
    end = col_letter(len(ISSUE_HEADERS))
    pkg.define_name(ref, "_xlnm._FilterDatabase", f"{quoted}!$A$1:${end}${max(last, 1)}")
    pkg.define_name(ref, "_xlnm.Print_Titles", f"{quoted}!$1:$1")
    xml = render_sheet(
        summary_rows(report, styles), [40, 12, 12, 12, 12, 12, 12, 10], wrap_cols=(1,)
    )
    ref2, note2 = _put_sheet(pkg, SUMMARY_SHEET, ((SUMMARY_MARK,),), xml, task)
    notes = [n for n in (note, note2) if n]
    # The same words as the terminal: 问题 are errors only, 提醒/提示 are counted apart.
    by_label = dict.fromkeys(SEVERITY_LABELS.values(), 0)
    for f in report.table_notes() + report.all_findings():
        label = SEVERITY_LABELS.get(f.severity, f.severity)
        by_label[label] = by_label.get(label, 0) + 1
    listed = "、".join(f"{label} {n} 条" for label, n in by_label.items() if n) or "0 条"
    notes.append(f"「{ref.name}」列出 {listed}；「{ref2.name}」为按类别、部门的得分汇总。")
    return notes


Row = list[tuple[Any, int]]


def _text_cell(value: Any, styles: StyleBook, **fmt: Any) -> tuple[Any, int]:
    return value, styles.xf(quote=looks_like_formula(value), **fmt)


def issue_rows(report: Report, styles: StyleBook) -> tuple[list[Row], int]:
    """Rows of the 问题清单 sheet (header first) and the number of the last row."""
    head = styles.xf(bold=True, fill=_HEAD_FILL, halign="center")
    rows: list[Row] = [[(h, head) for h in ISSUE_HEADERS]]
    depts = {str(r.item.no): "、".join(r.item.departments) for r in report.items}
    notes = report.table_notes()
    for n, f in enumerate(notes + report.all_findings()):  # the table's own notes first
        no = f.item_no
        who = f.department or depts.get(str(no), "") or ("（任务表）" if n < len(notes) else "")
        rows.append(
            [
                _text_cell(no, styles, halign="center"),
                _text_cell(who, styles, wrap=True),
                _text_cell(code_label(f.code), styles, wrap=True),
                _text_cell(f.location.short() if f.location else "", styles, wrap=True),
                _text_cell(f.message, styles, wrap=True),
                _text_cell(SEVERITY_LABELS.get(f.severity, f.severity), styles, halign="center"),
                _text_cell(f.code, styles),  # last: for filtering, not for reading
            ]
        )
    return rows, len(rows)


def _n(value: Any) -> Any:
    return None if value is None else num(value)


def summary_rows(report: Report, styles: StyleBook) -> list[Row]:
    """Rows of the 汇总 sheet: by category (with bonus, deductions, total) and by department."""
    title = styles.xf(bold=True, border=False)
    head = styles.xf(bold=True, fill=_HEAD_FILL, halign="center", wrap=True)
    cell = styles.xf(wrap=True)
    number = styles.xf(halign="center")
    pct = styles.xf(halign="center", numfmt=10)
    bold_num = styles.xf(bold=True, halign="center")
    name = report.rubric.title or Path(report.rubric.path).name
    rows: list[Row] = [[(SUMMARY_MARK, title), _text_cell(name, styles, border=False)]]
    if report.period:
        rows.append([("考核期", cell), _text_cell(report.period, styles)])
    if report.run_id:
        shown = f"{report.run_id}（生成时间 {report.generated_at}；同一次运行写出的看板编号相同）"
        rows.append([(RUN_LABEL.rstrip("："), cell), _text_cell(shown, styles)])
    rows += [[], [("按类别汇总", title)]]
    rows.append([(h, head) for h in ("类别", "类型", "分值上限", "条目分值合计", "得分")])
    for c in report.categories:
        kind = KIND_LABELS.get(c.kind, "基本项目")
        values = (_n(c.cap), _n(c.points_sum), _n(c.score))
        rows.append(
            [_text_cell(c.name, styles, wrap=True), (kind, cell)] + [(v, number) for v in values]
        )
    rows.append(
        [("加分合计", cell), (None, cell), (None, cell), (None, cell), (num(report.bonus), number)]
    )
    rows.append(
        [
            ("扣分合计", cell),
            (None, cell),
            (None, cell),
            (None, cell),
            (num(report.deductions), number),
        ]
    )
    rows.append(
        [
            ("总分", title),
            (None, cell),
            (num(report.max_total), bold_num),
            (None, cell),
            (num(report.total), bold_num),
        ]
    )
    rows += [[], [("按部门汇总", title)]]
    heads = (
        "部门",
        "计分条目数",
        "达标条目数",
        "得分",
        "满分",
        "待补分值",
        "完成率",
        "问题数",
        "加分",
    )
    rows.append([(h, head) for h in heads])
    for d in report.departments:
        values = (d.base, d.met, num(d.score), num(d.max), num(d.at_stake))
        rows.append(
            [_text_cell(d.name, styles, wrap=True)]
            + [(v, number) for v in values]
            + [(round(d.completion, 4), pct), (d.findings, number)]
            + [(num(d.bonus) if d.bonus else None, number)]
        )
    counts = {s: 0 for s in STATUS_LABELS}
    for r in report.items:
        counts[r.status] = counts.get(r.status, 0) + 1
    rows += [[], [("按状态统计", title)], [("状态", head), ("条目数", head)]]
    for status, n in counts.items():
        rows.append(
            [
                (STATUS_LABELS.get(status, status), styles.xf(fill=STATUS_FILLS.get(status))),
                (n, number),
            ]
        )
    # The terminal's, dashboard's and bulletin's 「N 项待人工确认」: items in the 人工确认 table,
    # whatever their status (a bonus level counted at its lowest is 部分完成 and waits too).
    from wenming_xl.judge.confirm import waiting

    rows.append(
        [
            ("其中有待人工确认的条目（不论状态，见人工确认表）", cell),
            (len(waiting(report.items)), number),
        ]
    )
    return rows


# --------------------------------------------------------------------------- fallback


def _results_only(report: Report, out: Path, source: Path, reason: str) -> WriteResult:
    """A new workbook with 评分结果, 问题清单 and 汇总 only, when the source cannot be copied."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.add_worksheet(RESULT_SHEET)
    wb.close()
    buf.seek(0)
    pkg = XlsxPackage.open(buf)
    styles = pkg.styles
    head = styles.xf(bold=True, fill=_HEAD_FILL, halign="center", wrap=True)
    heads = ("条目", "类别", "工作内容", "牵头部门", "分值") + HEADERS
    rows: list[Row] = [[(h, head) for h in heads]]
    for res in report.items:
        score, status, text = _combined([res])
        fill = STATUS_FILLS.get(status, STATUS_FILLS[NA])
        it = res.item
        rows.append(
            [
                _text_cell(it.no, styles, halign="center"),
                _text_cell(it.category or "", styles, wrap=True),
                _text_cell(it.text, styles, wrap=True),
                _text_cell("、".join(it.departments), styles, wrap=True),
                (_n(it.points), styles.xf(halign="center")),
                (score, styles.xf(fill=fill, halign="center")),
                (STATUS_LABELS.get(status, status), styles.xf(fill=fill, halign="center")),
                _text_cell(text, styles, fill=fill, wrap=True),
            ]
        )
    xml = render_sheet(rows, [8, 20, 50, 16, 8, *_WIDTHS], freeze_rows=1, wrap_cols=(2, 3, 4, 8))
    pkg.replace(pkg.sheets[0].part, xml)
    notes = [
        f"{reason}；评分结果另存为只含「评分结果」「问题清单」「汇总」的新工作簿，源文件未被复制或修改。"
    ]
    try:
        notes += _result_sheets(pkg, report)
        with atomic_write(out, protect=source) as tmp:
            pkg.save(tmp)
    except PackageError as exc:  # our own minimal package: a bug, not the user's file
        raise OutputError(f"无法写入评分结果：{exc}", path=str(out)) from exc
    finally:
        pkg.close()
    return WriteResult(out, notes)
