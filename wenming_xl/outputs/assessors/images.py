"""Pictures for the assessors: print copies of photos, JPEGs under a size limit, PDF pages.

The originals are only read. Every picture made is written into a cache folder under a
name made of the source's path, size and mtime and the settings, so a rerun on an
unchanged tree makes nothing again. The work is spread over a process pool (one
process per core); where no pool can start it is done in this process.
HEIC photos open through pillow-heif (`evidence.kinds.heif_opener`).
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Callable, Optional

from wenming_xl.evidence.kinds import heif_opener

#: JPEG quality of print copies and converted photos.
QUALITY = 85


def cache_key(source: str, *settings: object) -> str:
    """A file name stem for what is made from ``source`` with ``settings`` (stat-based)."""
    try:
        st = os.stat(source)
        stamp = f"{st.st_size}:{st.st_mtime_ns}"
    except OSError:
        stamp = "missing"
    text = "|".join([os.path.realpath(source), stamp, *map(str, settings)])
    return hashlib.sha1(text.encode("utf-8", "surrogateescape")).hexdigest()[:24]


def open_upright(path: str):
    """Open an image as RGB, turned the way the camera held it (EXIF orientation)."""
    from PIL import Image, ImageOps

    heif_opener()
    im = Image.open(path)
    upright = ImageOps.exif_transpose(im)
    if upright.mode != "RGB":
        upright = upright.convert("RGB")
    return upright


def _reduced(path: str, side: int):
    """The image upright and scaled so its long side is at most ``side`` (draft decode)."""
    from PIL import Image, ImageOps

    heif_opener()
    im = Image.open(path)
    try:
        im.draft("RGB", (side, side))  # JPEG decodes at 1/2, 1/4, 1/8 directly
    except (AttributeError, ValueError, OSError):
        pass
    im = ImageOps.exif_transpose(im)
    if im.mode != "RGB":
        im = im.convert("RGB")
    im.thumbnail((side, side), Image.Resampling.LANCZOS)
    return im


def print_copy(args: tuple[str, str, int]) -> Optional[tuple[int, int]]:
    """Write a print copy of ``source`` to ``target`` (long side ``side`` px); its size, or None."""
    source, target, side = args
    try:
        im = _reduced(source, side)
        _save_jpeg(im, target)
        return im.size
    except Exception:  # a photo that will not open: the page says so, the others go on
        return None


def _save_jpeg(im, target: str, quality: int = QUALITY, exif: bytes = b"") -> None:
    tmp = f"{target}.part{os.getpid()}"
    im.save(tmp, "JPEG", quality=quality, optimize=False, exif=exif)
    os.replace(tmp, target)


def under_limit(args: tuple[str, str, int]) -> tuple[str, int, int, str]:
    """Write ``source`` as a JPEG under ``limit`` bytes to ``target``: (action, w, h, error).

    A photo is re-encoded at full size first and scaled down (by the square root of
    the size ratio, a little more each try) until it fits; the EXIF date is kept. The
    action says what was done, in Chinese; ``error`` is set when it could not be done.
    """
    source, target, limit = args
    from PIL import Image

    try:
        base = open_upright(source)
    except Exception as exc:  # unreadable: copied as it is by the caller
        return "", 0, 0, f"无法打开图片（{exc}）"
    exif = _date_exif(base)
    im = base
    w0, h0 = im.size
    size = _encoded_size(im, exif)
    scale = 1.0
    tries = 0
    while size > limit and tries < 8 and min(im.size) > 64:
        scale *= max(0.3, min(0.95, (limit / size) ** 0.5 * 0.95))
        box = (max(1, int(w0 * scale)), max(1, int(h0 * scale)))
        im = base.resize(box, Image.Resampling.LANCZOS)
        size = _encoded_size(im, exif)
        tries += 1
    _save_jpeg(im, target, exif=exif)
    w, h = im.size
    action = "转为JPEG" if (w, h) == (w0, h0) else f"缩小为 {w}×{h}"
    return action, w, h, ""


def _encoded_size(im, exif: bytes) -> int:
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=QUALITY, exif=exif)
    return buf.tell()


def _date_exif(im) -> bytes:
    """EXIF keeping only the dates (orientation is applied already, so it is dropped)."""
    try:
        from PIL import Image

        src = im.getexif()
        out = Image.Exif()
        for tag in (0x0132,):
            if tag in src:
                out[tag] = src[tag]
        ifd = src.get_ifd(0x8769)
        for tag in (0x9003, 0x9004):
            if tag in ifd:
                out.get_ifd(0x8769)[tag] = ifd[tag]
        return out.tobytes() if len(out) or out.get_ifd(0x8769) else b""
    except Exception:
        return b""


def run_many(fn: Callable, jobs: list, workers: Optional[int] = None) -> list:
    """``fn`` over ``jobs`` in a process pool (in order); in this process when small or no pool."""
    workers = workers or os.cpu_count() or 1
    if workers < 2 or len(jobs) < 8:
        return [fn(j) for j in jobs]
    from concurrent.futures import ProcessPoolExecutor

    try:
        with ProcessPoolExecutor(max_workers=min(workers, 61)) as pool:
            return list(pool.map(fn, jobs, chunksize=max(1, min(16, len(jobs) // (workers * 4)))))
    except Exception:  # no pool here (sandbox, daemonic parent): do it in this process
        return [fn(j) for j in jobs]


def print_copies(
    sources: Iterable[str], cache: Path, side: int, workers: Optional[int] = None
) -> dict[str, Optional[tuple[Path, int, int]]]:
    """Print copies of photos in ``cache``: source → (copy, width, height), None if unreadable.

    Copies already in the cache are reused (their size read from the file header).
    """
    from PIL import Image

    cache.mkdir(parents=True, exist_ok=True)
    out: dict[str, Optional[tuple[Path, int, int]]] = {}
    todo: list[tuple[str, str, int]] = []
    for src in dict.fromkeys(sources):
        target = cache / f"p{cache_key(src, side)}.jpg"
        if target.is_file():
            try:
                with Image.open(target) as im:
                    out[src] = (target, *im.size)
                continue
            except Exception:
                target.unlink(missing_ok=True)
        todo.append((src, str(target), side))
    for job, size in zip(todo, run_many(print_copy, todo, workers)):
        out[job[0]] = (Path(job[1]), *size) if size else None
    return out


def pdf_page_count(pdf: str) -> Optional[int]:
    """Pages of a PDF (poppler's ``pdfinfo``), None when it cannot be read or poppler is absent."""
    exe = shutil.which("pdfinfo")
    if not exe:
        return None
    try:
        res = subprocess.run([exe, pdf], capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return None
    for line in res.stdout.decode("utf-8", "replace").splitlines():
        if line.startswith("Pages:"):
            try:
                return int(line.split()[1])
            except (IndexError, ValueError):
                return None
    return None


def pdf_pages(pdf: str, cache: Path, pages: int, dpi: int = 110) -> list[Path]:
    """The first ``pages`` pages of ``pdf`` as JPEG pictures (poppler's ``pdftoppm``), cached.

    Empty when poppler is not installed or the PDF cannot be rendered.
    """
    exe = shutil.which("pdftoppm")
    if not exe or pages < 1:
        return []
    key = cache_key(pdf, pages, dpi)
    folder = cache / f"d{key}"
    done = folder / ".done"
    if not done.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".pages-", dir=cache))
        cmd = [exe, "-r", str(dpi), "-jpeg", "-jpegopt", "quality=80", "-f", "1", "-l", str(pages)]
        try:
            subprocess.run([*cmd, pdf, str(work / "p")], capture_output=True, timeout=300,
                           stdin=subprocess.DEVNULL, check=True)  # fmt: skip
        except (OSError, subprocess.SubprocessError):
            shutil.rmtree(work, ignore_errors=True)
            return []
        for page in work.glob("p-*.jpg"):
            _frame(page)
        (work / ".done").write_text("ok")
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(work, folder)
    return sorted(folder.glob("p-*.jpg"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def _frame(path: Path) -> None:
    """Draw a thin grey frame round a page picture (a white page on white paper shows its edge)."""
    from PIL import Image, ImageDraw

    with Image.open(path) as opened:
        im = opened.convert("RGB")
    ImageDraw.Draw(im).rectangle(
        (0, 0, im.width - 1, im.height - 1), outline=(150, 150, 150), width=2
    )
    im.save(path, "JPEG", quality=80)
