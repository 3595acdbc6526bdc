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
import math
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
    return rgb(ImageOps.exif_transpose(im))


def rgb(im):
    """``im`` as RGB; transparent parts (a PNG screenshot's) on white, not black."""
    from PIL import Image

    if im.mode == "RGB":
        return im
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        im = im.convert("RGBA")
        white = Image.new("RGB", im.size, (255, 255, 255))
        white.paste(im, mask=im.getchannel("A"))
        return white
    return im.convert("RGB")


#: A print copy's long side may be this much below the one asked for when the JPEG
#: decoder reaches it by scaling (1/2, 1/4, 1/8 while decoding: several times faster).
DRAFT_SLACK = 0.8


def _reduced(path: str, side: int):
    """The image upright, its long side at most ``side`` and at least ``DRAFT_SLACK × side``.

    A JPEG is decoded at the smallest scale that still gives that (draft mode), so a
    1600 × 1200 photo asked at 1000 px is decoded at 800 × 600 directly.
    """
    from PIL import Image, ImageOps

    heif_opener()
    im = Image.open(path)
    _draft(im, side * DRAFT_SLACK)
    im = rgb(ImageOps.exif_transpose(im))
    im.thumbnail((side, side), Image.Resampling.LANCZOS)
    return im


def _draft(im, long_side: float) -> None:
    """Let a JPEG decode at reduced scale, keeping its long side at least ``long_side``."""
    w, h = im.size
    big = max(w, h)
    if big <= long_side:
        return
    want = (math.ceil(w * long_side / big), math.ceil(h * long_side / big))
    try:
        im.draft("RGB", want)  # JPEG only; other formats ignore it
    except (AttributeError, ValueError, OSError):
        pass


#: JPEG quality of the print copies inside the Word files.
PRINT_QUALITY = 80


def print_copy(args: tuple[str, str, int]) -> Optional[tuple[int, int]]:
    """Write a print copy of ``source`` to ``target`` (long side ``side`` px); its size, or None."""
    source, target, side = args
    try:
        im = _reduced(source, side)
        _save_jpeg(im, target, PRINT_QUALITY)
        return im.size
    except Exception:  # a photo that will not open: the page says so, the others go on
        return None


def _save_jpeg(im, target: str, quality: int = QUALITY, exif: bytes = b"") -> None:
    tmp = f"{target}.part{os.getpid()}"
    im.save(tmp, "JPEG", quality=quality, optimize=False, exif=exif)
    os.replace(tmp, target)


def under_limit(args: tuple[str, str, int]) -> tuple[str, int, int, str]:
    """Write ``source`` as a JPEG under ``limit`` bytes to ``target``: (action, w, h, error).

    A JPEG over the limit is scaled at once by the square root of the size ratio (its
    bytes go with its pixels), decoded at reduced scale where that is enough; another
    format is encoded at full size first. Each try that is still over the limit scales
    down a little more. The EXIF dates are kept. The action says what was done, in
    Chinese; ``error`` is set when the photo could not be opened.
    """
    from PIL import Image, ImageOps

    source, target, limit = args
    try:
        heif_opener()
        opened = Image.open(source)
        w0, h0 = ImageOps.exif_transpose(opened).size if _turned(opened) else opened.size
        scale = 1.0
        if opened.format == "JPEG":
            scale = min(1.0, (limit / max(1, os.path.getsize(source))) ** 0.5 * 0.95)
            _draft(opened, max(w0, h0) * scale)
        base = rgb(ImageOps.exif_transpose(opened))
    except Exception as exc:  # unreadable: copied as it is by the caller
        return "", 0, 0, f"无法打开图片（{exc}）"
    exif = _date_exif(opened)
    for _try in range(8):
        box = (max(1, round(w0 * scale)), max(1, round(h0 * scale)))
        # Hamming: a downscaling filter as clean as Lanczos here at half its cost
        im = base if box == base.size else base.resize(box, Image.Resampling.HAMMING)
        data = _encoded(im, exif)
        if len(data) <= limit or min(box) <= 64:
            break
        scale *= max(0.3, min(0.92, (limit / len(data)) ** 0.5 * 0.95))
    tmp = f"{target}.part{os.getpid()}"
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(tmp, target)
    action = "转为JPEG" if (im.width, im.height) == (w0, h0) else f"缩小为 {im.width}×{im.height}"
    return action, im.width, im.height, ""


def _turned(im) -> bool:
    try:
        return im.getexif().get(0x0112, 1) in (5, 6, 7, 8)
    except Exception:
        return False


def _encoded(im, exif: bytes) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=QUALITY, exif=exif)
    return buf.getvalue()


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
        target = cache / f"p{cache_key(src, side, PRINT_QUALITY)}.jpg"
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
