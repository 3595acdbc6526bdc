"""``wenming doctor``: a Chinese checklist of the environment and a task workbook."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("doctor")
@click.argument("workbook", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    help="单位配置 wenming.toml（默认取工作簿旁边的）。",
)
@click.option("--password", envvar="WENMING_PASSWORD", help="任务工作簿的打开密码（如有）。")
def doctor(workbook, config, password) -> None:
    """检查运行环境和任务工作簿，列出需要处理的问题。

    \b
    检查 Python 和依赖包、LibreOffice（生成 PDF）、中文字体、wenming.toml
    和邮件服务器能否连通（只连接不登录）；给出任务工作簿时还检查它能否打开、
    任务表、条目和部门数、需要人工确认的材料要求、是否正在 Excel/WPS 中打开。
    全部正常时退出码为 0，否则为 1。

    \b
    例：
      wenming doctor
      wenming doctor 任务分工.xlsx
    """
    from wenming_xl.runs.doctor import FAIL, render, run_doctor

    checks = run_doctor(workbook, config=config, password=password)
    click.echo(render(checks))
    if any(c.status == FAIL for c in checks):
        raise SystemExit(1)


COMMANDS = [doctor]
