"""The README's task scripts work from the folder the user is in, with their own arguments."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from where import ROOT

from wenming_xl.runs.sample import prepare_demo

pytestmark = pytest.mark.skipif(
    shutil.which("bash") is None or not (ROOT / ".venv" / "bin" / "python").is_file(),
    reason="需要 bash 和 scripts/test 创建的 .venv（直接运行 pytest 时跳过）",
)


def _run(args: list[str], cwd) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    return subprocess.run(
        ["bash", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_monthly_script_runs_from_the_office_folder_with_relative_paths(tmp_path):
    """The cron line: ``cd /srv/创建 && …/scripts/monthly 任务分工.xlsx --evidence 材料/ …``."""
    table, evidence = prepare_demo(tmp_path / "创建")
    proc = _run(
        [
            str(ROOT / "scripts" / "monthly"),
            table.name,
            "--evidence",
            evidence.name + "/",
            "--month",
            "2022-06",
            "--dry-run",
        ],
        cwd=table.parent,
    )
    assert proc.returncode == 0, proc.stderr
    folder = table.parent / "督查" / "2022-06"
    assert (folder / "2022-06-督查通报.docx").is_file()
    assert any((folder / "邮件草稿").glob("*.eml"))


@pytest.mark.parametrize("script", ["demo", "monthly"])
def test_scripts_pass_help_through(script, tmp_path):
    proc = _run([str(ROOT / "scripts" / script), "--help"], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert f"wenming {script}" in proc.stdout
    assert "InvalidRequirement" not in proc.stderr
