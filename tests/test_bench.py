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
