"""The task workbook `import` writes: rows tall enough to print every wrapped text whole."""

from __future__ import annotations

import openpyxl
from textfit import cjk_font, lines_measured
from where import SEEDS

from wenming_xl.outputs.workbooks.tasks import write_task_workbook
from wenming_xl.tables.plan import import_plan


def _check_rows(ws, first_row: int, font: str) -> int:
    """Rows from ``first_row`` whose wrapped text needs several lines; each must be tall enough."""
    letters = [c.column_letter for c in ws[first_row]]
    widths = [ws.column_dimensions[x].width or 8.43 for x in letters]
    merged = {c for rng in ws.merged_cells.ranges for row in ws[rng.coord] for c in row}
    tall = 0
    for row in ws.iter_rows(min_row=first_row):
        lines = max(
            [1]
            + [
                lines_measured(c.value, w, font, 11)
                for c, w in zip(row, widths)
                if isinstance(c.value, str) and c not in merged
            ]
        )
        if lines > 1:
            height = ws.row_dimensions[row[0].row].height or 15
            assert height >= lines * 11 * 1.45, (ws.title, row[0].row, lines, height)
            tall += 1
    return tall


def test_imported_task_rows_fit_their_text(tmp_path):
    font = cjk_font()
    for seed in ("001", "003"):
        result = import_plan(next(SEEDS.glob(f"{seed}_*.txt")))
        out = write_task_workbook(result, tmp_path / f"{seed}.xlsx")
        wb = openpyxl.load_workbook(out)
        assert _check_rows(wb["任务分工"], 3, font) >= 5
        _check_rows(wb["待确认"], 2, font)
