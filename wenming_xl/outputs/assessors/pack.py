"""The upload pack: one folder per item holding what ``check`` counted, sized for the platform.

Each counted file is named by the ``[pack] name`` template (item, sequence, date,
theme…) and made to fit: photos that are not JPEG (HEIC, PNG, WebP…) become JPEG,
photos over the image limit are scaled down until they fit, Word/Excel files become
PDF (LibreOffice, one run for all). A file still too large is packed all the same and
reported; nothing is dropped silently. The pack is built in a temporary folder beside
``out`` and moved into place whole; a rerun links the files of the previous pack whose
source and settings are unchanged (`manifest.RECORD_NAME`) instead of making them again.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from wenming_xl.errors import OutputError, os_reason
from wenming_xl.evidence.kinds import sniff
from wenming_xl.files.writing import same_file
from wenming_xl.model import DOCUMENT, IMAGE, Report
from wenming_xl.outputs.assessors import images
from wenming_xl.outputs.assessors import manifest as M
from wenming_xl.outputs.assessors.binder import OFFICE_EXTS
from wenming_xl.outputs.assessors.contents import KIND_NAMES, Entry, Piece, boxes
from wenming_xl.outputs.workbooks.kits import item_folder, safe_name

#: Characters of the theme in a file name.
THEME_CHARS = 20


@dataclass
class PackResult:
    """What `write_pack` wrote: the folder, its 报送清单, every file and notes."""

    folder: Path
    manifest: Path
    packed: list[M.Packed] = field(default_factory=list)
    empty: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Files taken over from the previous pack unchanged.
    reused: int = 0


def file_stem(template: str, entry: Entry, piece: Piece) -> str:
    """The packed name of ``piece`` without extension, from the ``[pack] name`` template."""
    theme = re.sub(r"\s+", " ", piece.words).strip()[:THEME_CHARS].strip()
    values = {
        "item": f"{no:02d}" if isinstance(no := entry.result.item.no, int) else entry.no,
        "seq": piece.seq,
        "date": piece.date.strftime("%Y%m%d") if piece.date else "",
        "theme": theme,
        "name": os.path.splitext(piece.name)[0],
        "kind": KIND_NAMES.get(piece.kind, "材料"),
    }
    text = template.format(**values)
    text = re.sub(r"([-_ ])[-_ ]+", r"\1", text).strip("-_ ")  # an empty field leaves no "--"
    return safe_name(text, 80)


def _plan(piece: Piece, max_image: int) -> tuple[str, str]:
    """What to do with a file: ("copy" | "jpeg" | "pdf", the packed extension)."""
    ext = os.path.splitext(piece.file)[1].lower()
    try:
        with open(piece.file, "rb") as fh:
            kind, fmt = sniff(fh.read(512), ext)
        size = os.path.getsize(piece.file)
    except OSError:
        return "copy", ext
    if kind == IMAGE:
        if fmt == "jpeg" and size <= max_image:
            return "copy", ext if ext in (".jpg", ".jpeg") else ".jpg"
        return "jpeg", ".jpg"
    if piece.kind == DOCUMENT and ext in OFFICE_EXTS:
        return "pdf", ".pdf"
    return "copy", ext


def _unique(folder: Path, stem: str, ext: str, taken: set[str]) -> str:
    name, n = f"{stem}{ext}", 2
    while name.lower() in taken:
        name, n = f"{stem}_{n}{ext}", n + 1
    taken.add(name.lower())
    return name


def write_pack(
    report: Report,
    out: Path,
    *,
    template: str,
    max_image: int,
    max_file: int,
    workers: Optional[int] = None,
    protect: Optional[Path] = None,
    echo: Callable[[str], Any] = lambda message: None,
) -> PackResult:
    """Build the pack of ``report`` in a folder beside ``out`` and move it to ``out``."""
    out = Path(out).resolve()
    _check_target(out, protect)
    previous = M.read_record(out) if out.is_dir() else {}
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    except OSError as exc:
        raise OutputError(f"无法在 {out.parent} 中建立报送包（{os_reason(exc)}）。", path=str(out),
                          hint="请检查该文件夹是否只读、磁盘是否已满，或用 --out 换一个文件夹。") from exc  # fmt: skip
    try:
        result = _build(report, out, tmp, previous, template, max_image, max_file, workers, echo)
        _swap(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    result.folder, result.manifest = out, out / M.MANIFEST_NAME
    return result


def _check_target(out: Path, protect: Optional[Path]) -> None:
    if out.exists() and not out.is_dir():
        raise OutputError(f"--out 应是文件夹，但 {out} 是一个文件。", path=str(out),
                          hint="请换一个文件夹名，例如 --out 报送包。")  # fmt: skip
    if out.is_dir() and any(out.iterdir()) and not (out / M.RECORD_NAME).is_file():
        raise OutputError(
            f"文件夹 {out} 已有其他文件，不是 wenming pack 生成的报送包，不能覆盖。",
            path=str(out),
            hint="请用 --out 指定一个新的（或空的）文件夹；上次生成的报送包可以直接覆盖。",
        )
    if protect is not None and protect.exists():
        inside = os.path.commonpath([str(out), str(protect.resolve())]) == str(out)
        if inside or same_file(out, protect):
            raise OutputError(f"报送包文件夹 {out} 包含任务工作簿，不能覆盖。", path=str(out),
                              hint="请用 --out 指定另一个文件夹。")  # fmt: skip


def _swap(tmp: Path, out: Path) -> None:
    """Move the finished pack into place; the previous one is removed only after that."""
    old = None
    if out.exists():
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        os.replace(out, old)
    try:
        os.replace(tmp, out)
    except OSError as exc:
        if old is not None:
            os.replace(old, out)
        raise OutputError(f"无法把报送包移到 {out}（{os_reason(exc)}）。", path=str(out),
                          hint="请关闭打开着该文件夹中文件的程序后重试。") from exc  # fmt: skip
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _build(report, out, tmp, previous, template, max_image, max_file, workers, echo):
    result = PackResult(out, out / M.MANIFEST_NAME)
    record: dict[str, dict[str, Any]] = {}
    keyed: list[tuple[str, M.Packed]] = []
    jobs: list[tuple[M.Packed, Piece, str, Path, str]] = []  # (row, piece, how, target, key)
    for box in boxes(report):
        for entry in box.entries:
            if not entry.pieces:
                result.empty.append(_empty_row(entry))
                continue
            folder_name = item_folder(entry.result.item)
            folder = tmp / folder_name
            folder.mkdir(exist_ok=True)
            taken: set[str] = set()
            for piece in entry.pieces:
                how, ext = _plan(piece, max_image)
                name = _unique(folder, file_stem(template, entry, piece), ext, taken)
                row = M.Packed(entry.no, entry.title, piece.seq, piece.evidence.path or piece.file,
                               f"{folder_name}/{name}")  # fmt: skip
                result.packed.append(row)
                key = images.cache_key(piece.file, how, max_image, template)
                old = previous.get(key)
                target = folder / name
                if old and old.get("packed") == row.packed and _reuse(out / row.packed, target):
                    row.size, row.sha256 = int(old["size"]), str(old["sha256"])
                    row.action, row.problem = str(old["action"]), str(old.get("problem", ""))
                    result.reused += 1
                else:
                    jobs.append((row, piece, how, target, key))
                keyed.append((key, row))
    _make(jobs, max_image, workers, echo)
    for key, row in keyed:  # what was made; a limit is judged anew on every run
        record[key] = {"packed": row.packed, "size": row.size, "sha256": row.sha256,
                       "action": row.action, "problem": row.problem}  # fmt: skip
        _limits(row, max_image, max_file)
    M.write_record(tmp, record)
    limits = f"图片 ≤ {max_image // 1024} KB，文件 ≤ {max_file // (1024 * 1024)} MB"
    M.write_manifest(tmp / M.MANIFEST_NAME, result.packed, result.empty, limits=limits,
                     period=report.period)  # fmt: skip
    over = [r for r in result.packed if r.problem]
    if over:
        result.notes.append(f"{len(over)} 个文件有问题（超出大小限制或未能转换），已照样打包，"
                            f"见{M.MANIFEST_NAME}「问题」列")  # fmt: skip
    if result.empty:
        result.notes.append(
            f"{len(result.empty)} 个条目没有可上传的材料，见{M.MANIFEST_NAME}「无材料条目」"
        )
    return result


def _reuse(old: Path, target: Path) -> bool:
    if not old.is_file():
        return False
    try:
        M.link_or_copy(old, target)
    except OSError:
        return False
    return True


def _make(jobs, max_image: int, workers: Optional[int], echo) -> None:
    """Copy, convert and scale the files of ``jobs`` (photos in parallel, documents in one run)."""
    photos = [(row, piece, target) for row, piece, how, target, _k in jobs if how == "jpeg"]
    if photos:
        echo(f"正在转换或缩小 {len(photos)} 张照片（上限 {max_image // 1024} KB）…")
        args = [(piece.file, str(target), max_image) for _r, piece, target in photos]
        for (row, piece, target), (action, _w, _h, error) in zip(
            photos, images.run_many(images.under_limit, args, workers)
        ):
            if error:
                _copy(row, piece, target.with_suffix(os.path.splitext(piece.file)[1].lower()))
                row.problem = f"{error}，已原样打包"
                continue
            fmt = _fmt(piece.file)
            if action == "转为JPEG" and fmt == "jpeg":
                action = "重新压缩"
            elif fmt != "jpeg" and action != "转为JPEG":
                action = f"{fmt.upper()}转JPEG，{action}"
            elif fmt != "jpeg":
                action = f"{fmt.upper()}转JPEG"
            row.action = action
            row.size, row.sha256 = target.stat().st_size, M.sha256_of(target)
    docs = [(row, piece, target) for row, piece, how, target, _k in jobs if how == "pdf"]
    if docs:
        from wenming_xl.outputs.notices.pdf import convert_many

        echo(f"正在用 LibreOffice 把 {len(docs)} 个 Word/Excel 文件转成 PDF …")
        work = docs[0][2].parent.parent / ".pdf-work"
        got = convert_many([p.file for _r, p, _t in docs], work)
        for row, piece, target in docs:
            pdf = got.get(piece.file)
            if isinstance(pdf, Path):
                os.replace(pdf, target)
                row.action = f"{os.path.splitext(piece.file)[1].lstrip('.').upper()}转PDF"
                row.size, row.sha256 = target.stat().st_size, M.sha256_of(target)
            else:
                keep = target.with_suffix(os.path.splitext(piece.file)[1].lower())
                _copy(row, piece, keep)
                row.problem = f"未能转成 PDF（{pdf}），已原样打包"
        shutil.rmtree(work, ignore_errors=True)
    for row, piece, how, target, _k in jobs:
        if how == "copy":
            _copy(row, piece, target)


def _fmt(path: str) -> str:
    try:
        with open(path, "rb") as fh:
            return sniff(fh.read(512), os.path.splitext(path)[1])[1]
    except OSError:
        return "unknown"


def _copy(row: M.Packed, piece: Piece, target: Path) -> None:
    try:
        row.sha256 = M.copy_hashed(piece.file, target)
        row.size = target.stat().st_size
        row.packed = f"{target.parent.name}/{target.name}"
        if row.action != "原样复制" and not row.problem:
            row.action = "原样复制"
    except OSError as exc:
        row.packed, row.size, row.sha256 = "", 0, ""
        row.action, row.problem = "未打包", f"无法读取原文件：{os_reason(exc)}"


def _limits(row: M.Packed, max_image: int, max_file: int) -> None:
    """Say so when a packed file is still over a limit (it stays in the pack)."""
    if not row.packed or row.problem:
        return
    is_image = row.packed.lower().endswith((".jpg", ".jpeg"))
    if is_image and row.size > max_image:
        row.problem = f"仍大于图片上限 {max_image // 1024} KB，请手工处理"
    elif row.size > max_file:
        row.problem = f"大于文件上限 {max_file // (1024 * 1024)} MB，平台可能不收，请压缩或拆分"


def _empty_row(entry: Entry) -> tuple[str, str, str, str, str]:
    it = entry.result.item
    why = "没有计入的材料文件"
    if entry.declared_rows:
        why = f"只有台账登记 {entry.declared_rows} 条（部门自报数量），没有文件可上传"
    elif not it.requirement_text.strip():
        why = "任务表没有材料要求"
    return (entry.no, entry.title, "、".join(it.departments), entry.status, why)
