"""Shared fixtures: paths to the sample workbooks and seeds, small workbook builders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# The same examples on every run: CI on a clean clone must not turn red on a new random
# case. A property a new case breaks is found by running with HYPOTHESIS_PROFILE=explore.
settings.register_profile("ci", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parent.parent
WORKBOOKS = ROOT / "workbooks"
FILES = Path(__file__).resolve().parent / "files"


@pytest.fixture
def workbooks_dir() -> Path:
    return WORKBOOKS


@pytest.fixture
def table_2022() -> Path:
    """The 2022 task table of seed 001 as an office keeps it."""
    return WORKBOOKS / "2022年度文明单位创建工作任务及责任分工.xlsx"


@pytest.fixture
def table_2023() -> Path:
    """The 2023 测评内容分工 of seed 000."""
    return WORKBOOKS / "2023年度文明单位测评内容分工.xlsx"


@pytest.fixture
def table_2012() -> Path:
    """The 2012 党支部 目标责任制考核 table of seed 004 (deduction style)."""
    return WORKBOOKS / "2012年党支部党建工作目标责任制考核.xlsx"
