"""``wenming import`` (plan → task workbook) and ``wenming kits`` (task workbook → department kits)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import click


def _short_list(values: list, limit: int = 12) -> str:
    text = "、".join(str(v) for v in values[:limit])
    return text + (f" 等{len(values)}个" if len(values) > limit else "")


@click.command("import")
@click.argument("plan", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="要写出的任务表（.xlsx）；默认在计划旁边，名为「计划名-任务分工.xlsx」。",
)
def import_command(plan: Path, out: Optional[Path]) -> None:
    """把工作计划、实施方案或印发通知（.docx 或 .txt）变成任务分工表（.xlsx）。

    \b
    读取文件中的任务表（分值、牵头部门、材料要求、测评方法、分管领导等列），
    没有任务表时按“一、（一）1、”编号找出各项任务及其后的「责任处室：……」。
    每项任务注明来自原文哪一段；没能列为任务的文字放在「待确认」工作表，不会丢失。
    原文件不会被修改。

    \b
    示例：
      wenming import 2022年创建实施方案.docx --out 任务分工.xlsx
      wenming import 印发通知.txt
    """
    from wenming_xl.runs.planning import import_plan_workbook, points_split

    result, written = import_plan_workbook(plan, out)
    where = "任务表" if result.shape == "table" else "编号段落"
    click.echo(f"已读取 {plan.name}：从{where}中找到 {len(result.tasks)} 项任务。")
    if result.departments:
        click.echo(f"牵头部门 {len(result.departments)} 个：{_short_list(result.departments)}")
    if result.placeholders:
        click.echo(
            f"「{'、'.join(result.placeholders)}」泛指多个部门，不作为一个部门"
            "（不生成台账、不发提醒）；请在任务表中写明具体部门。"
        )
    split = points_split(written)
    if split:
        click.echo(split)
    for f in result.warnings:
        click.echo(f"注意：{f.message}", err=True)
    if result.unplaced:
        counts: dict[str, int] = {}
        for u in result.unplaced:
            counts[u.reason] = counts.get(u.reason, 0) + 1
        click.echo(f"待确认 {len(result.unplaced)} 段，已放入「待确认」工作表：")
        for reason, n in counts.items():
            click.echo(f"  {reason}：{n} 段")
    click.echo(f"已写出 {written}")
    if result.departments:
        click.echo(f'下一步：wenming kits "{written}" --out 部门台账')
    else:
        click.echo("下一步：在任务表的「牵头部门」列填好各项任务的负责部门，再运行 wenming kits。")


@click.command("kits")
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="存放各部门台账的文件夹；默认在任务表旁边，名为「部门台账」。",
)
@click.option("--deadline", help="材料提交截止日期，写进任务清单和填报说明，例如 2022-11-30。")
@click.option("--sheet", help="任务表所在的工作表名（默认自动查找）。")
@click.option(
    "--overwrite", is_flag=True, help="覆盖文件夹中已有的部门台账（其中已填写的内容会丢失）。"
)
@click.option(
    "--period",
    help="考核期，例如 2022 或 2022-01..2022-06：「每月1次」等按考核期折算成次数；"
    "默认取 wenming.toml 的 period。",
)
def kits_command(
    workbook: Path,
    out: Optional[Path],
    deadline: Optional[str],
    sheet: Optional[str],
    overwrite: bool,
    period: Optional[str],
) -> None:
    """按部门生成佐证台账：每个部门一个「部门-佐证台账.xlsx」、材料文件夹和填报说明。

    \b
    台账的「任务清单」只列本部门的条目（材料要求写成白话、截止日期），「佐证台账」
    带下拉选择和日期、数量检查；材料文件夹里每个条目一个文件夹（如「03 …」）。
    各部门填好交回后，放在同一个文件夹里即可检查：
      wenming check 任务分工.xlsx --ledger-dir 部门台账

    \b
    示例：
      wenming kits 任务分工.xlsx --out 部门台账 --deadline 2022-11-30
    """
    from wenming_xl.runs.planning import make_department_kits

    run = make_department_kits(
        workbook, out, deadline=deadline, sheet=sheet, overwrite=overwrite, period=period
    )
    target, due, paths, orphans = run.folder, run.deadline, run.kits, run.orphans
    for kit, path in run.kits:
        nos = _short_list([i.no for i in kit.items])
        click.echo(f"{kit.department}：{len(kit.items)} 项（条目 {nos}）→ {path.name}")
    click.echo(f"已在 {target} 中生成 {len(paths)} 个部门的台账、材料文件夹和填报说明。")
    if orphans:
        nos = _short_list([i.no for i in orphans])
        click.echo(
            f"注意：{len(orphans)} 项任务没有牵头部门（条目 {nos}），没有放进任何部门的台账；"
            "请在任务表中补填牵头部门后重新生成。",
            err=True,
        )
    if due is None:
        click.echo("提示：没有指定 --deadline，台账中截止日期写的是“见办公室通知”。")
    click.echo(f'各部门填好交回后运行：wenming check "{workbook}" --ledger-dir "{target}"')


COMMANDS = [import_command, kits_command]
