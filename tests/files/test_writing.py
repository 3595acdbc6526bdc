"""fileio.py: outputs written through a temp file keep ordinary permissions."""

from __future__ import annotations

import os
import stat

import pytest

from wenming_xl.files.writing import atomic_write


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_written_files_are_as_readable_as_any_new_file(tmp_path):
    """The temp file is private (0600); the output gets a new file's mode, or keeps the
    mode of the file it replaces."""
    old = os.umask(0o022)
    try:
        target = tmp_path / "评分.xlsx"
        with atomic_write(target) as tmp:
            tmp.write_bytes(b"first")
        assert stat.S_IMODE(target.stat().st_mode) == 0o644
        os.chmod(target, 0o640)
        with atomic_write(target) as tmp:
            tmp.write_bytes(b"second")
        assert stat.S_IMODE(target.stat().st_mode) == 0o640
        assert target.read_bytes() == b"second"
    finally:
        os.umask(old)
