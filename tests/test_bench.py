"""Smoke test of scripts/bench.py (no timing is asserted anywhere)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "scripts" / "bench.py"


def test_bench_parser_case_runs_quickly():
    res = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--case", "parser"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    assert "要求解析" in res.stdout


def test_bench_ready_case_runs_at_quick_size():
    """Case 5 (binder and pack beside their check) runs end to end on the small tree."""
    res = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--case", "ready"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert res.returncode == 0, res.stderr[-3000:]
    for label in ("binder 首次", "binder 再次", "pack 首次", "pack 再次"):
        assert label in res.stdout
