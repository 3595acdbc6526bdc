"""Convert a Word document to PDF with LibreOffice headless, in a private profile.

Each conversion starts its own ``soffice`` with a throw-away user profile
(``-env:UserInstallation=file:///…``) so several runs can go in parallel and a user's
open LibreOffice is never disturbed. The PDF is produced in a temporary folder and
then moved into place through :func:`wenming_xl.files.writing.atomic_write`.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Callable, Optional, Union

from wenming_xl.errors import OutputError, os_reason
from wenming_xl.files.writing import atomic_write

#: Environment variable naming the soffice executable explicitly.
SOFFICE_ENV = "WENMING_SOFFICE"
#: The fontconfig file mapping the official 公文 fonts to installed substitutes.
FONTS_CONF = Path(__file__).resolve().parents[2] / "data" / "fonts.conf"

_INSTALL_HINT = (
    "请安装 LibreOffice（免费，https://zh-cn.libreoffice.org/ ），安装后重新运行；"
    "或设置环境变量 WENMING_SOFFICE 指向 soffice 程序。Word 文件已正常生成，"
    "也可以用 Word/WPS 打开后“另存为 PDF”。"
)


def _windows_candidates() -> list[Path]:
    out = []
    for var in ("PROGRAMFILES", "PROGRAMFILES(X86)", "PROGRAMW6432"):
        base = os.environ.get(var)
        if base:
            out.append(Path(base) / "LibreOffice" / "program" / "soffice.exe")
    return out


def _mac_candidates() -> list[Path]:
    return [Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")]


def find_soffice() -> Optional[str]:
    """Return the path of LibreOffice's ``soffice`` program, or None when it is not installed."""
    explicit = os.environ.get(SOFFICE_ENV)
    if explicit:
        return explicit if Path(explicit).is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    extra = _windows_candidates() if sys.platform.startswith("win") else _mac_candidates()
    for cand in extra:
        if cand.is_file():
            return str(cand)
    return None


def _kill(proc: subprocess.Popen) -> None:
    """Stop the soffice we started, with its children (oosplash → soffice.bin)."""
    try:
        if sys.platform.startswith("win"):
            proc.kill()
        else:
            os.killpg(proc.pid, signal.SIGKILL)
    except (OSError, ProcessLookupError):
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover - a process that ignores SIGKILL
        pass


_OVERFLOW = re.compile(rb"<w:overflowPunct(?: w:val=\"(\w+)\")?\s*/>")


def _flip_overflow(match: re.Match) -> bytes:
    on = match.group(1) in (None, b"1", b"true", b"on")
    return b'<w:overflowPunct w:val="%s"/>' % (b"0" if on else b"1")


def soffice_environment(extra: Optional[Mapping[str, str]] = None) -> dict[str, str]:
    """The environment for soffice: ours, with the 公文 font substitutes, then ``extra``.

    Where LibreOffice reads fonts through fontconfig (Linux, BSD), ``FONTCONFIG_FILE``
    names :data:`FONTS_CONF`, which includes the system configuration and maps missing
    official fonts (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312) to the closest installed
    faces. A ``FONTCONFIG_FILE`` already set by the user or in ``extra`` is kept.
    """
    run_env = dict(os.environ)
    uses_fontconfig = not sys.platform.startswith(("win", "darwin"))
    if uses_fontconfig and "FONTCONFIG_FILE" not in run_env and FONTS_CONF.is_file():
        run_env["FONTCONFIG_FILE"] = str(FONTS_CONF)
    if extra:
        run_env.update(extra)
    return run_env


def lo_compatible_copy(src: Path, folder: Path) -> Path:
    """A copy of ``src`` that LibreOffice lays out the way Word does, or ``src`` itself.

    LibreOffice (writerfilter, up to at least 7.6) reads ``w:overflowPunct`` inverted:
    ``w:val="0"`` (Word: punctuation may not hang past the margin) turns hanging
    punctuation *on*. The copy flips the value so the PDF keeps every character inside
    the type area, as Word and WPS do with the original file.
    """
    if src.suffix.lower() != ".docx" or not zipfile.is_zipfile(src):
        return src
    with zipfile.ZipFile(src) as zin:
        names = zin.namelist()
        parts = {n: zin.read(n) for n in names}
    xml_parts = [n for n in names if n.startswith("word/") and n.endswith(".xml")]
    if not any(b"overflowPunct" in parts[n] for n in xml_parts):
        return src
    for n in xml_parts:
        parts[n] = _OVERFLOW.sub(_flip_overflow, parts[n])
    copy = folder / src.name
    with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as zout:
        for n in names:
            zout.writestr(n, parts[n])
    return copy


def _convert_command(exe: str, profile: Path, outdir: Path, sources: list) -> list[str]:
    """soffice converting ``sources`` to PDF in ``outdir``, with its own throw-away profile."""
    return [
        exe,
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--headless",
        "--invisible",
        "--norestore",
        "--nologo",
        "--nodefault",
        "--nolockcheck",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        *(str(src) for src in sources),
    ]


def convert_to_pdf(
    src: Union[str, os.PathLike],
    outdir: Union[str, os.PathLike, None] = None,
    timeout: float = 180,
    *,
    env: Optional[Mapping[str, str]] = None,
    soffice: Optional[str] = None,
) -> Path:
    """Convert ``src`` (.docx) to ``outdir/<stem>.pdf`` and return that path.

    ``outdir`` defaults to the source's folder. ``env`` adds or overrides environment
    variables for LibreOffice (tests pass ``FONTCONFIG_FILE``). Raises `OutputError` with a
    Chinese message when LibreOffice is missing, times out or produces no PDF.
    """
    src = Path(src)
    if not src.is_file():
        raise OutputError(f"找不到要转换的文件：{src}", path=str(src))
    exe = soffice or find_soffice()
    if not exe:
        raise OutputError("无法生成 PDF：本机没有安装 LibreOffice。", hint=_INSTALL_HINT)
    target_dir = Path(outdir) if outdir is not None else src.parent
    target = target_dir / (src.stem + ".pdf")

    run_env = soffice_environment(env)
    work = Path(tempfile.mkdtemp(prefix="wenming-soffice-"))
    try:
        profile = work / "profile"
        out_tmp = work / "out"
        out_tmp.mkdir()
        (work / "src").mkdir()
        run_src = lo_compatible_copy(src, work / "src")
        run_env.setdefault("HOME", str(work))
        cmd = _convert_command(exe, profile, out_tmp, [run_src.resolve()])
        popen_kw: dict = {}
        if not sys.platform.startswith("win"):
            popen_kw["start_new_session"] = True
        try:
            proc = subprocess.Popen(
                cmd,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                stdin=subprocess.DEVNULL,
                env=run_env,
                **popen_kw,
            )
        except OSError as exc:
            raise OutputError(
                f"无法启动 LibreOffice（{exe}）：{os_reason(exc)}",
                hint=_INSTALL_HINT,
            ) from exc
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            _kill(proc)
            raise OutputError(
                f"LibreOffice 转换 {src.name} 超过 {int(timeout)} 秒仍未完成，已停止。",
                path=str(src),
                hint="请关闭正在运行的 LibreOffice 后重试；文件很大时可稍后再试。",
            ) from exc
        produced = out_tmp / (src.stem + ".pdf")
        if proc.returncode != 0 or not produced.is_file():
            detail = (err or out or b"").decode("utf-8", "replace").strip().splitlines()
            tail = detail[-1] if detail else f"退出码 {proc.returncode}"
            raise OutputError(
                f"LibreOffice 未能把 {src.name} 转换成 PDF（{tail}）。",
                path=str(src),
                hint="请确认该文件能用 Word/WPS 正常打开；如仍失败，可在 Word/WPS 中“另存为 PDF”。",
            )
        with atomic_write(target, protect=src) as tmp:
            shutil.copyfile(produced, tmp)
        return target
    finally:
        shutil.rmtree(work, ignore_errors=True)


def convert_many(
    sources: list[str],
    outdir: Union[str, os.PathLike],
    *,
    key: Optional[Callable[[str], str]] = None,
    timeout: float = 120,
    env: Optional[Mapping[str, str]] = None,
    soffice: Optional[str] = None,
) -> dict[str, Union[Path, str]]:
    """Convert many Word/Excel/PowerPoint files to PDF in one LibreOffice run.

    Returns, for each source, the PDF in ``outdir`` or a Chinese reason it failed.
    ``key(source)`` names each PDF (default: its position); a PDF already in ``outdir``
    under that name is reused, so a rerun converts only what changed. The sources are
    copied under plain names first: two files of the same name, or names LibreOffice
    cannot take, do not collide. The run may take ``timeout`` seconds per file.
    """
    exe = soffice or find_soffice()
    target_dir = Path(outdir)
    target_dir.mkdir(parents=True, exist_ok=True)
    names = {src: (key(src) if key else f"{i:05d}") for i, src in enumerate(sources)}
    out: dict[str, Union[Path, str]] = {}
    todo = []
    for src in sources:
        done = target_dir / f"{names[src]}.pdf"
        if done.is_file():
            out[src] = done
        else:
            todo.append(src)
    if not todo:
        return out
    if not exe:
        return {**out, **dict.fromkeys(todo, "本机没有安装 LibreOffice")}
    work = Path(tempfile.mkdtemp(prefix="wenming-soffice-"))
    try:
        (work / "src").mkdir()
        (work / "out").mkdir()
        runs = []
        for src in todo:
            plain = work / "src" / f"{names[src]}{Path(src).suffix.lower()}"
            try:
                shutil.copyfile(src, plain)
            except OSError as exc:
                out[src] = f"无法读取：{os_reason(exc)}"
                continue
            runs.append((src, plain))
        run_env = dict(os.environ)
        if env:
            run_env.update(env)
        run_env.setdefault("HOME", str(work))
        cmd = _convert_command(exe, work / "profile", work / "out", [p for _s, p in runs])
        popen_kw: dict = {}
        if not sys.platform.startswith("win"):
            popen_kw["start_new_session"] = True
        try:
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    stdin=subprocess.DEVNULL, env=run_env, **popen_kw)  # fmt: skip
        except OSError as exc:
            return {**out, **{s: f"无法启动 LibreOffice（{os_reason(exc)}）" for s, _p in runs}}
        try:
            proc.communicate(timeout=timeout * max(1, len(runs)))
        except subprocess.TimeoutExpired:
            _kill(proc)
        for src, plain in runs:
            made = work / "out" / f"{plain.stem}.pdf"
            if made.is_file() and made.stat().st_size > 0:
                final = target_dir / f"{names[src]}.pdf"
                part = target_dir / f"{names[src]}.part"
                shutil.copyfile(made, part)
                os.replace(part, final)
                out[src] = final
            else:
                out[src] = "LibreOffice 未能转换（文件可能已损坏或设有密码）"
        return out
    finally:
        shutil.rmtree(work, ignore_errors=True)
