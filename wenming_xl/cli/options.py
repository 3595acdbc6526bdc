"""Options several commands share, declared once so every command reads evidence the same way."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import click

_EVIDENCE_OPTIONS = [
    click.option(
        "--evidence",
        "-e",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="佐证材料文件夹（按条目编号分文件夹）。",
    ),
    click.option(
        "--ledger",
        "ledgers",
        multiple=True,
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="部门填报的佐证台账工作簿，可重复。",
    ),
    click.option(
        "--ledger-dir",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="存放各部门佐证台账工作簿的文件夹。",
    ),
    click.option(
        "--period",
        help="考核期：2022、2022-01..2022-06 或 2022-01-01..2022-06-30；期外的照片不计入。",
    ),
    click.option(
        "--password",
        envvar="WENMING_PASSWORD",
        help="任务工作簿的打开密码（只在内存中解密；评分副本用同一密码加密）。"
        "也可用环境变量 WENMING_PASSWORD。",
    ),
]


#: --config, for commands that read the unit profile.
config_option = click.option(
    "--config",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="单位配置 wenming.toml（默认取工作簿旁边的）。",
)


def evidence_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Add --evidence/-e, --ledger, --ledger-dir, --period and --password to a command."""
    for option in reversed(_EVIDENCE_OPTIONS):
        fn = option(fn)
    return fn
