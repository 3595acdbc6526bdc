"""The task workbook ``wenming import`` writes from a plan: 任务分工 and 待确认 sheets.

In: an `ImportResult` of :func:`wenming_xl.tables.plan.import_plan` (tasks found in a plan,
notice or 实施方案, and what could not be placed). Out: an .xlsx that `load_rubric`
reads, with a 来源 column saying where each task came from, and a 待确认 sheet listing
for a person everything the document held that is not a task. Formats and print setup
are the kits' (:mod:`.kits`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Union

from wenming_xl.errors import OutputError
from wenming_xl.files.writing import atomic_write
from wenming_xl.outputs.workbooks.cells import write_text
from wenming_xl.outputs.workbooks.kits import cell_formats, print_setup
from wenming_xl.outputs.workbooks.sheetxml import fit_height

if TYPE_CHECKING:
    from wenming_xl.tables.plan import ImportResult

PathLike = Union[str, Path]

TASK_SHEET = "任务分工"
REVIEW_SHEET = "待确认"
_WIDTHS = {"no": 6, "category": 18, "text": 56, "points": 7, "departments": 12,
           "requirement": 44, "leaders": 10, "extra": 16, "source": 26}  # fmt: skip


def write_task_workbook(result: ImportResult, out: PathLike) -> Path:
    """Write the tasks as a task workbook (任务分工 + 待确认 sheets) and return its path.

    The 任务分工 sheet has a title row, a header row (序号, 类别, 工作任务, 分值, 牵头部门,
    材料要求 or the source's 测评方法 / 扣分细则, 分管领导 — those the source has), one row per
    task with its category cells merged down, and a 来源 column. `load_rubric` reads it.
    """
    out = Path(out)
    import xlsxwriter

    if not out.suffix:
        out = out.with_suffix(".xlsx")
    if out.suffix.lower() != ".xlsx":
        raise OutputError(
            f"输出文件 {out.name} 不是 .xlsx 工作簿。",
            path=str(out),
            hint="请用 --out 指定一个以 .xlsx 结尾的文件名，例如 任务分工.xlsx。",
        )
    columns = list(result.columns) + [("source", "来源")]
    with atomic_write(out, protect=result.source) as tmp:
        wb = xlsxwriter.Workbook(str(tmp))
        wb.set_properties(
            {"title": result.title or "任务分工", "comments": f"由 {result.source.name} 导入"}
        )
        f = cell_formats(wb)
        ws = wb.add_worksheet(TASK_SHEET)
        last = len(columns) - 1
        ws.merge_range(0, 0, 0, last, "", f["title"])
        write_text(ws, 0, 0, result.title or f"{result.source.stem} 任务分工", f["title"])
        ws.set_row(0, 30)
        for c, (role, label) in enumerate(columns):
            write_text(ws, 1, c, label, f["head"])
            ws.set_column(c, c, _WIDTHS.get(role, 14))
        rows = [_row_values(t, columns) for t in result.tasks]
        widths = [_WIDTHS.get(role, 14) for role, _ in columns]
        for r, values in enumerate(rows):
            cells = [
                (v, w) for (role, _), v, w in zip(columns, values, widths) if role != "category"
            ]
            height = fit_height(cells)
            if height:
                ws.set_row(r + 2, height)
        for c, (role, _) in enumerate(columns):
            if role == "category":
                _merge_down(ws, [v[c] for v in rows], c, f["center"])
                continue
            centred = role in ("no", "points", "departments", "leaders")
            fmt = f["small"] if role == "source" else f["center" if centred else "left"]
            for r, values in enumerate(rows):
                write_text(ws, r + 2, c, values[c], fmt)
        print_setup(ws, 2)
        ws.autofilter(1, 0, max(1, len(rows) + 1), last)
        _write_review(wb, result, f)
        wb.close()
    return out


def _row_values(task, columns: list[tuple[str, str]]) -> list[object]:
    level = 0
    values: list[object] = []
    for role, label in columns:
        if role == "category":
            values.append(task.categories[level] if level < len(task.categories) else "")
            level += 1
            continue
        values.append(
            {
                "no": task.number,
                "text": task.text,
                "points": task.points if task.points is not None else (task.points_text or None),
                "departments": task.departments_text or "\n".join(task.departments),
                "leaders": task.leaders_text or "\n".join(task.leaders),
                "requirement": task.requirement,
                "extra": task.extra.get(label, ""),
                "source": task.source + (f"（{task.outline}）" if task.outline else ""),
            }[role]
        )
    return values


def _merge_down(ws, values: list[object], col: int, fmt) -> None:
    """Write a category column with runs of the same value merged, as offices lay them out."""
    r = 0
    while r < len(values):
        end = r
        while end + 1 < len(values) and values[end + 1] == values[r]:
            end += 1
        if end > r and values[r]:
            ws.merge_range(r + 2, col, end + 2, col, "", fmt)
        write_text(ws, r + 2, col, values[r] or None, fmt)
        r = end + 1


def _write_review(wb, result, f: dict) -> None:
    """The 待确认 sheet: the import's warnings, then everything not made a task, and why."""
    ws = wb.add_worksheet(REVIEW_SHEET)
    heads = [("编号", 6), ("位置", 26), ("原文", 70), ("原因", 34), ("处理意见", 20)]
    for c, (label, width) in enumerate(heads):
        write_text(ws, 0, c, label, f["head"])
        ws.set_column(c, c, width)
    lines = [(result.source.name, w.message, "导入时的提醒") for w in result.warnings]
    lines += [(u.where, u.text, u.reason) for u in result.unplaced]
    for r, (where, text, reason) in enumerate(lines, 1):
        height = fit_height([(where, 26), (text, 70), (reason, 34)])
        if height:
            ws.set_row(r, height)
        write_text(ws, r, 0, r, f["center"])
        write_text(ws, r, 1, where, f["small"])
        write_text(ws, r, 2, text, f["left"])
        write_text(ws, r, 3, reason, f["left"])
        write_text(ws, r, 4, None, f["left"])
    if not lines:
        write_text(ws, 1, 2, "（没有需要确认的内容：文件中的文字都已列为任务。）", f["left"])
    print_setup(ws, 1)
