"""``wenming rules``: show how a requirement text is understood (rules, or a plain explanation)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import click


@click.command("rules")
@click.argument("texts", nargs=-1)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="输出解析结果（JSON）：一条要求输出一个对象，多条输出一个列表。",
)
@click.option(
    "--period",
    help="考核期，例如 2022 或 2022-01..2022-06：「每月1次」等按考核期折算成次数（默认按一年）。",
)
@click.option(
    "--workbook",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="任务工作簿：逐条列出每个条目的材料要求、「规则修正」列的修正和理解结果。",
)
def rules(
    texts: tuple[str, ...], as_json: bool, period: Optional[str], workbook: Optional[Path]
) -> None:
    """看一条「材料上传及说明」被理解成什么规则。

    \b
    每条要求输出原文和一句中文说明：要上传什么、至少几张几份、需注明什么、
    哪些要人工确认（红头、印章等）。没能理解的部分会单独列出，请人工核对。
    材料要求写成 - 时，从标准输入逐行读取要求（每行一条）。
    用 --workbook 时逐条核对整张任务表；某条理解得不对，在任务表中加一列「规则修正」，
    用同样的白话写出正确的要求（如「不少于2次活动，每次3张照片」），检查时即按修正计分。

    \b
    示例：
      wenming rules "上传活动现场图片（不少于2次活动，每次活动3张图片，注明时间地点及活动主题）"
      wenming rules "上传照片不少于4张" "上传情况说明" --json
      wenming rules "每月开展1次志愿服务，上传活动照片" --period 2022-01..2022-06
      wenming rules --workbook 任务分工.xlsx
    """
    from wenming_xl.evidence.period import parse_period, period_months
    from wenming_xl.rules.explain import explain
    from wenming_xl.rules.parser import parse_requirement

    if workbook is not None:
        from wenming_xl.config import load_profile

        period = period or load_profile(None, workbook).unit.period
    months = period_months(parse_period(period)) if period else None
    if workbook is not None:
        _table(workbook, months, as_json)
        return
    items: list[str] = []
    for t in texts:
        if t == "-":
            items.extend(line for line in sys.stdin.read().splitlines() if line.strip())
        else:
            items.append(t)
    if not items:
        raise click.UsageError("没有要解析的要求：请在命令后写上要求原文，或用 - 从标准输入读取。")
    parsed = [parse_requirement(t, months) for t in items]
    if as_json:
        data = [p.to_dict() for p in parsed]
        out = data[0] if len(data) == 1 else data
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    for k, p in enumerate(parsed):
        if k:
            click.echo("")
        click.echo(f"原文：{p.text}")
        click.echo(f"理解：{explain(p)}")


def _table(workbook: Path, months: Optional[int], as_json: bool) -> None:
    """Every item of a task table: its requirement, the office's correction, what is read."""
    from wenming_xl.config import load_profile
    from wenming_xl.rules.explain import explain
    from wenming_xl.rules.parser import parse_requirement
    from wenming_xl.tables.rubric import load_rubric

    known = list(load_profile(None, workbook).departments)
    rubric = load_rubric(workbook, known_departments=known)
    out: list = []
    for item in rubric.items:
        text = item.rule_text
        if not text.strip():
            continue
        parsed = parse_requirement(text, months)
        if as_json:
            out.append({"no": item.no, "requirement_text": item.requirement_text,
                        "correction": item.correction or None, **parsed.to_dict()})  # fmt: skip
            continue
        if out:
            click.echo("")
        out.append(item.no)
        click.echo(f"第{item.no}项")
        click.echo(f"  原文：{item.requirement_text.strip() or '（空）'}")
        if item.correction.strip():
            click.echo(f"  修正：{item.correction.strip()}（按「规则修正」列计分）")
        click.echo(f"  理解：{explain(parsed)}")
    if as_json:
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))


COMMANDS = [rules]
