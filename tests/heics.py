"""Real HEIC photos (as an iPhone writes them) for tests, encoded with pillow-heif.

    from heics import heic_photo
    heic_photo(root / "03 …/2022-05-03 活动/IMG_0001.HEIC", seed=3, taken="2022-05-03")

Tests that need one skip with a plain reason when pillow-heif cannot encode here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import pytest
from imgs import _exif_bytes, photo

from wenming_xl.evidence.kinds import heif_opener


def heic_photo(
    path: Path, *, seed: int = 0, size: tuple[int, int] = (800, 600), taken: Optional[str] = None
) -> Path:
    """Write a real HEIC photo of ``photo(seed, size)`` with EXIF DateTimeOriginal ``taken``."""
    if not heif_opener():
        pytest.skip("未安装 pillow-heif，无法生成 HEIC 照片")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        photo(seed, size).save(path, "HEIF", quality=80, exif=_exif_bytes(taken))
    except (KeyError, OSError, ValueError) as exc:
        pytest.skip(f"pillow-heif 在本机不能写 HEIC（{exc}）")
    return path
