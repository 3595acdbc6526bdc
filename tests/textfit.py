"""Whether wrapped text fits its row: lines measured with a real CJK font's glyph widths."""

from __future__ import annotations

from pathlib import Path

import pytest


def cjk_font() -> str:
    """The file of the CJK sans face LibreOffice renders with (skips the test if none)."""
    import subprocess

    path = subprocess.run(
        ["fc-match", "-f", "%{file}", "sans:lang=zh-cn"], capture_output=True, text=True
    ).stdout
    if not path or not Path(path).is_file():
        pytest.skip("no CJK font to measure with")
    return path


def lines_measured(text: str, width_chars: float, font_path: str, size_pt: float) -> int:
    """Lines ``text`` wraps to, measured with a real CJK font's glyph widths (Pillow)."""
    from PIL import ImageFont

    px = size_pt * 96 / 72
    font = ImageFont.truetype(font_path, round(px * 10))  # ×10 for sub-pixel widths
    room = (width_chars * 7 + 5) * 10 - 2 * 20  # column pixels less the cell's padding
    lines = 0
    for para in text.split("\n"):
        line = ""
        for ch in para:
            if line and font.getlength(line + ch) > room:
                lines += 1
                line = ch
            else:
                line += ch
        lines += 1
    return lines
