"""``wenming rules``: show how a requirement text is understood (rules, or a plain explanation)."""

from __future__ import annotations

import json
import sys

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
def rules(texts: tuple[str, ...], as_json: bool, period: str | None) -> None:
    """看一条「材料上传及说明」被理解成什么规则。

    \b
    每条要求输出原文和一句中文说明：要上传什么、至少几张几份、需注明什么、
    哪些要人工确认（红头、印章等）。没能理解的部分会单独列出，请人工核对。
    材料要求写成 - 时，从标准输入逐行读取要求（每行一条）。

    \b
    示例：
      wenming rules "上传活动现场图片（不少于2次活动，每次活动3张图片，注明时间地点及活动主题）"
      wenming rules "上传照片不少于4张" "上传情况说明" --json
      wenming rules "每月开展1次志愿服务，上传活动照片" --period 2022-01..2022-06
    """
    from wenming_xl.evidence.period import parse_period, period_months
    from wenming_xl.rules.explain import explain
    from wenming_xl.rules.parser import parse_requirement

    months = period_months(parse_period(period)) if period else None

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


COMMANDS = [rules]
