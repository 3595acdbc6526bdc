"""Spine labels (盒脊) of the archive boxes, all in one printable Word file.

A box is 310 × 220 mm with a spine of 20, 30, 40 or 50 mm. Each label is a strip of
that width and `LABEL_MM` high carrying 单位、年度、类别、盒号, the characters stacked
top to bottom, cut out along its border. Labels stand side by side on A4 pages. The
width is chosen from the box's page count (a sheet is about 0.1 mm) unless the unit
profile sets one.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from docx.enum.text import WD_LINE_SPACING
from docx.shared import Cm, Pt

from wenming_xl.files.writing import atomic_write
from wenming_xl.outputs.assessors import pages as P

WIDTHS = (20, 30, 40, 50)
#: Height of a label, and the usable width of an A4 page for labels (mm).
LABEL_MM, ROW_MM = 250, 186
#: Paper thickness per printed page and the room a box needs besides (mm).
SHEET_MM, SPARE_MM = 0.1, 4


def spine_width(pages: int, fixed: int = 0) -> int:
    """The spine (mm) a box of ``pages`` needs: the narrowest that holds it, at most 50."""
    if fixed:
        return fixed
    need = pages * SHEET_MM + SPARE_MM
    return next((w for w in WIDTHS if w >= need), WIDTHS[-1])


def _stacked(text: str) -> str:
    """Characters one under another; a run of digits stays together (2022)."""
    out, run = [], ""
    for ch in text.replace(" ", ""):
        if ch.isascii() and ch.isalnum():
            run += ch
            continue
        if run:
            out.append(run)
            run = ""
        out.append(ch)
    if run:
        out.append(run)
    return "\n".join(out)


def label_lines(unit: str, year: str, category: str, number: int) -> list[tuple[str, float]]:
    """The label's blocks (stacked text) and the share of the font size each takes."""
    category = re.sub(
        r"^([一二三四五六七八九十]+)[、.．]\s*", r"\1 ", category
    )  # 「一、」 stands badly
    return [(_stacked(unit), 1.0), (_stacked(year), 0.9), (_stacked(category), 1.0),
            (_stacked(f"第{number}盒"), 1.1)]  # fmt: skip


def _font_size(blocks: list[tuple[str, float]], width_mm: int) -> float:
    """The largest size (pt) at which the stacked blocks fit the label's height and width."""
    lines = sum(b.count("\n") + 1 for b, _s in blocks) + 3 * len(blocks)  # gaps
    by_height = (LABEL_MM - 16) / 25.4 * 72 / lines / 1.25
    by_width = (width_mm - 6) / 25.4 * 72 * 0.8
    return max(7.0, min(22.0, by_height, by_width))


def write_spines(written: list[tuple[Any, Any, Path]], path: Path, *, unit: str, year: str,
                 width: int = 0, notes: list[str]) -> Path:  # fmt: skip
    """Write one label per box (box, plan, file) to ``path``; a box too thick is a note."""
    doc = P.new_document(f"{unit} 盒脊标签")
    sec = doc.sections[0]
    sec.top_margin = sec.bottom_margin = Cm(1.5)
    sec.left_margin = sec.right_margin = Cm(1.2)
    labels = []
    for box, plan, _file in written:
        w = spine_width(plan.pages, width)
        labels.append((box, w))
        need = plan.pages * SHEET_MM + SPARE_MM
        if need > w:
            boxes = math.ceil(need / w)
            notes.append(f"第{box.number}盒（{box.category}）共 {plan.pages} 页，约 {need:.0f} 毫米厚，"
                         f"超过 {w} 毫米的盒脊：建议分装 {boxes} 盒，或用 --photos-per-page 2/4 减少页数")  # fmt: skip
    rows, current, used = [], [], 0
    for box, w in labels:
        if current and used + w > ROW_MM:
            rows.append(current)
            current, used = [], 0
        current.append((box, w))
        used += w
    if current:
        rows.append(current)
    P.line(doc, "盒脊标签（沿边框剪下，贴于档案盒脊背）", size=9, height=12, align=P.CENTER)
    for k, row in enumerate(rows):
        if k:
            P.line(doc, "盒脊标签（续）", size=9, height=12, align=P.CENTER, new_page=True)
        t = P.table(doc, 1, [w / 10 for _b, w in row])
        P.row_height(t.rows[0], LABEL_MM / 25.4 * 72)
        for cell, (box, w) in zip(t.rows[0].cells, row):
            blocks = label_lines(unit, year, box.category, box.number)
            size = _font_size(blocks, w)
            first = True
            for text, share in blocks:
                for part in text.split("\n"):
                    p = cell.paragraphs[0] if first else cell.add_paragraph()
                    first = False
                    fmt = p.paragraph_format
                    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
                    fmt.line_spacing = Pt(size * share * 1.25)
                    p.alignment = P.CENTER
                    run = p.add_run(part)
                    run.font.size = Pt(size * share)
                    run.bold = True
                gap = cell.add_paragraph()
                gap.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
                gap.paragraph_format.line_spacing = Pt(size * 2)
            cell.vertical_alignment = 0
        P.line(doc, "　".join(f"第{b.number}盒 {w} 毫米" for b, w in row), size=9, height=12,
               align=P.CENTER)  # fmt: skip
    with atomic_write(path) as tmp:
        P.save(doc, tmp)
    return path
