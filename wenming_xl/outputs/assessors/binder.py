"""The 迎检资料 binder: one Word file per box (category), a 总目录 and the spine labels.

`write_binder` takes a `Report` and writes, into a folder, for each category a box
(`box.write_box`: cover, 卷内目录, per item a 测评材料提交表 and its counted photos and
documents), a 总目录 of every box and item (`write_total`: with the period the materials
were chosen for, or that none was given, and the items with nothing counted), and
`spine.write_spines`. The pages are
planned first (`plan_box`), so the 卷内目录 knows each item's pages. Photos go in as print
copies and documents as pictures of their pages, made once into ``cache``
(`images`); Word and Excel documents are converted to PDF with LibreOffice first,
all in one run (`notices.pdf.convert_many`).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from wenming_xl.errors import OutputError, os_reason
from wenming_xl.files.writing import atomic_write
from wenming_xl.model import DOCUMENT, Report
from wenming_xl.outputs.assessors import box as B
from wenming_xl.outputs.assessors import images
from wenming_xl.outputs.assessors import pages as P
from wenming_xl.outputs.assessors.box import page_range
from wenming_xl.outputs.assessors.contents import Box, Entry, Piece, boxes
from wenming_xl.outputs.workbooks.kits import safe_name

#: Formats LibreOffice turns into PDF for the binder and the pack.
OFFICE_EXTS = {".doc", ".docx", ".wps", ".xls", ".xlsx", ".et", ".ppt", ".pptx", ".dps",
               ".odt", ".ods", ".odp", ".rtf"}  # fmt: skip
TOTAL_NAME = "00 总目录.docx"
SPINE_NAME = "盒脊标签.docx"


@dataclass
class Shown:
    """What one item's pages hold, and where they start in its box."""

    photo_pages: list[list[tuple[Piece, Any]]] = field(default_factory=list)
    #: (piece, page picture, page number, page count, pages not shown after it)
    doc_pages: list[tuple[Piece, Path, int, int, int]] = field(default_factory=list)
    list_pages: list[list[tuple[Piece, str]]] = field(default_factory=list)
    start: int = 0

    @property
    def pages(self) -> int:
        return 1 + len(self.photo_pages) + len(self.doc_pages) + len(self.list_pages)


@dataclass
class BoxPlan:
    """A box's pages: the cover and 卷内目录 first, then each item's."""

    entries: list[Shown]
    toc_pages: int
    pages: int


@dataclass
class BinderResult:
    """What `write_binder` wrote: the files, the boxes and notes for the person."""

    files: list[Path] = field(default_factory=list)
    boxes: list[tuple[Box, BoxPlan, Path]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def plan_box(box: Box, copies: dict, rendered: dict, per_page: int) -> BoxPlan:
    """Lay out ``box``: which photos and document pages go on which page, and page numbers.

    ``copies`` maps a photo to its print copy; ``rendered`` maps a document to
    (page pictures, page count) or a reason it cannot be shown.
    """
    toc_pages = max(1, math.ceil(len(box.entries) / B.TOC_ROWS))
    page = 1 + toc_pages + 1
    plans = []
    for entry in box.entries:
        shown = Shown(start=page)
        photos = [(p, copies.get(p.file)) for p in entry.photos]
        shown.photo_pages = [photos[i : i + per_page] for i in range(0, len(photos), per_page)]
        unshown: list[tuple[Piece, str]] = []
        for piece in entry.documents:
            got = rendered.get(piece.file)
            if isinstance(got, str) or got is None:
                unshown.append((piece, got or "不能显示，请查看原文件"))
                continue
            pictures, count = got
            for k, pic in enumerate(pictures):
                more = count - len(pictures) if k == len(pictures) - 1 else 0
                shown.doc_pages.append((piece, pic, k + 1, count, more))
        chunk: list[tuple[Piece, str]] = []
        for item in unshown:
            if chunk and B.list_line_count(chunk + [item]) > B.LIST_LINES:
                shown.list_pages.append(chunk)
                chunk = []
            chunk.append(item)
        if chunk:
            shown.list_pages.append(chunk)
        plans.append(shown)
        page += shown.pages
    return BoxPlan(plans, toc_pages, page - 1)


def _render_documents(
    entries: list[Entry], cache: Path, max_pages: int, echo: Callable[[str], Any]
) -> dict[str, Any]:
    """Each counted document → (page pictures, page count), or why it cannot be shown."""
    from wenming_xl.outputs.notices.pdf import convert_many, find_soffice

    out: dict[str, Any] = {}
    pdfs: dict[str, str] = {}
    office: list[str] = []
    for entry in entries:
        for piece in entry.documents:
            if piece.kind != DOCUMENT:
                out[piece.file] = "视频或其他材料，不能印出，请查看原文件"
            elif _is_pdf(piece.file):
                pdfs[piece.file] = piece.file
            elif os.path.splitext(piece.file)[1].lower() in OFFICE_EXTS:
                office.append(piece.file)
            else:
                out[piece.file] = "这种格式不能印出，请查看原文件"
    if office:
        if find_soffice() is None:
            for src in office:
                out[src] = "本机没有安装 LibreOffice，Word/Excel 文件无法印出，请另行打印"
        else:
            echo(f"正在用 LibreOffice 把 {len(office)} 个 Word/Excel 文件转成 PDF …")
            folder = cache / "pdf"
            for src, got in convert_many(office, folder, key=images.cache_key).items():
                if isinstance(got, Path):
                    pdfs[src] = str(got)
                else:
                    out[src] = f"转换失败（{got}），请另行打印"
    for src, pdf in pdfs.items():
        count = images.pdf_page_count(pdf)
        pictures = images.pdf_pages(pdf, cache / "pages", min(max_pages, count or 0))
        if not count or not pictures:
            out[src] = "无法读取这个 PDF 的页面（可能已加密或损坏），请另行打印"
        else:
            out[src] = (pictures, count)
    return out


def _is_pdf(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            return b"%PDF-" in fh.read(1024)
    except OSError:
        return False


def photo_side(px: int, per_page: int) -> int:
    """The print copy's long side for ``per_page`` photos a page."""
    return {1: px, 2: px * 3 // 4}.get(per_page, px // 2)


def write_binder(
    report: Report,
    out: Path,
    *,
    unit: str,
    year: str,
    settings: Any,
    cache: Path,
    per_page: Optional[int] = None,
    workers: Optional[int] = None,
    echo: Callable[[str], Any] = lambda message: None,
) -> BinderResult:
    """Write the boxes, the 总目录 and the spine labels of ``report`` into ``out``.

    ``settings`` is the profile's `config.BinderSettings`; ``per_page`` (1, 2 or 4)
    overrides its photos per page. Print copies and page pictures are kept in ``cache``.
    """
    from wenming_xl.outputs.assessors.spine import write_spines

    per_page = per_page or settings.photos_per_page
    try:
        (cache / "print").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"无法在 {out} 中写入迎检资料（{os_reason(exc)}）。", path=str(out),
                          hint="请检查该文件夹是否只读、磁盘是否已满，或用 --out 换一个文件夹。") from exc  # fmt: skip
    all_boxes = boxes(report)
    entries = [e for b in all_boxes for e in b.entries]
    photos = [p.file for e in entries for p in e.photos]
    result = BinderResult()
    echo(f"正在准备 {len(photos)} 张照片的打印副本（原图不改动）…")
    copies = images.print_copies(photos, cache / "print", photo_side(settings.photo_px, per_page),
                                 workers)  # fmt: skip
    bad = [src for src, got in copies.items() if got is None]
    if bad:
        result.notes.append(f"{len(bad)} 张照片无法打开，页面上已注明：{bad[0]} 等")
    rendered = _render_documents(entries, cache, settings.document_pages, echo)
    out.mkdir(parents=True, exist_ok=True)
    for b in all_boxes:
        plan = plan_box(b, copies, rendered, per_page)
        path = out / f"{b.number:02d} {safe_name(b.category, 40)}.docx"
        with atomic_write(path) as tmp:
            B.write_box(b, plan, tmp, unit=unit, year=year, retention=settings.retention,
                        total_boxes=len(all_boxes), per_page=per_page)  # fmt: skip
        echo(f"已生成：{path}（{plan.pages} 页）")
        result.files.append(path)
        result.boxes.append((b, plan, path))
    total = write_total(report, result.boxes, out / TOTAL_NAME, unit=unit, year=year)
    result.files.insert(0, total)
    echo(f"已生成：{total}")
    spines = write_spines(result.boxes, out / SPINE_NAME, unit=unit, year=year,
                          width=settings.spine_mm, notes=result.notes)  # fmt: skip
    result.files.append(spines)
    echo(f"已生成：{spines}")
    empty = [e for e in entries if not e.pieces]
    if empty:
        result.notes.append(
            f"{len(empty)} 个条目没有计入的材料文件（提交表上已注明）：第"
            + "、".join(e.no for e in empty[:10])
            + ("…" if len(empty) > 10 else "")
            + "项"
        )
    return result


def write_total(report: Report, written: list[tuple[Any, Any, Path]], path: Path, *,
                unit: str, year: str) -> Path:  # fmt: skip
    """Write the 总目录 of the boxes ``written`` (box, plan, file) to ``path``."""
    doc = P.new_document(f"{unit} 迎检资料总目录")
    P.line(doc, f"{unit}迎检资料总目录", size=18, height=30, bold=True, align=P.CENTER,
           font=P.HEAD_FONT)  # fmt: skip
    period = report.period or "未指定考核期（所有日期的材料都已收入）"
    P.line(doc, f"年度：{year}　考核期：{period}", height=18, align=P.CENTER)
    total_pages = sum(plan.pages for _b, plan, _p in written)
    P.line(doc, f"共 {len(written)} 盒，{total_pages} 页；只收入自评检查计入的材料"
           "（重复上传的照片、考核期外的照片不收入）。", height=18, before=6)  # fmt: skip
    t = P.table(doc, len(written) + 1, [1.4, 8.2, 1.6, 1.6, 1.6, 1.6])
    heads = ["盒号", "类别", "条目数", "页数", "照片", "文件"]
    for cell, head in zip(t.rows[0].cells, heads):
        P.cell_text(cell, head, size=10, bold=True, align=P.CENTER)
    for row, (box, plan, _file) in zip(t.rows[1:], written):
        values = [str(box.number), box.category, str(len(box.entries)), str(plan.pages),
                  str(box.photos), str(box.documents)]  # fmt: skip
        for k, (cell, value) in enumerate(zip(row.cells, values)):
            P.cell_text(cell, value, size=10, align=P.LEFT if k == 1 else P.CENTER)
    P.line(doc, "各条目所在位置", size=12, height=22, bold=True, before=12)
    rows = [(box, entry, shown) for box, plan, _f in written
            for entry, shown in zip(box.entries, plan.entries)]  # fmt: skip
    t = P.table(doc, len(rows) + 1, [1.6, 6.6, 1.2, 1.8, 2.2, 2.6])
    heads = ["条目", "题名", "盒号", "页号", "状态", "材料"]
    for cell, head in zip(t.rows[0].cells, heads):
        P.cell_text(cell, head, size=10, bold=True, align=P.CENTER)
    _repeat_header(t.rows[0])
    for row, (box, entry, shown) in zip(t.rows[1:], rows):
        values = [entry.no, entry.title, str(box.number), page_range(shown.start, shown.pages),
                  entry.status, entry.short_provided()]  # fmt: skip
        for k, (cell, value) in enumerate(zip(row.cells, values)):
            P.cell_text(cell, value, size=10, align=P.LEFT if k == 1 else P.CENTER)
    empty = [entry for _b, entry, _s in rows if not entry.pieces]
    if empty:
        P.line(doc, "没有计入材料的条目：第" + "、".join(e.no for e in empty) + "项"
               "（提交表上已注明，请在迎检前补齐或准备说明）。", height=18, before=10)  # fmt: skip
    with atomic_write(path) as tmp:
        P.save(doc, tmp)
    return path


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
