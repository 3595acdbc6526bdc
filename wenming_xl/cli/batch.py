"""``wenming batch``: check every unit of a folder at once and write one roll-up workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import click

from wenming_xl.cli import progress_bar


@click.command("batch")
@click.argument("units_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--out",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="汇总工作簿（默认为单位文件夹旁的「<文件夹名>-汇总.xlsx」）。",
)
@click.option(
    "--workers", "-j", type=click.IntRange(1, 61), help="同时检查的进程数（默认用满所有 CPU 核）。"
)
@click.option("--period", help="考核期：2022、2022-01..2022-06；期外的照片不计入。")
@click.option(
    "--no-cache", is_flag=True, help="不使用扫描缓存（每个单位文件夹中的 wenming.sqlite）。"
)
@click.option("--quiet", "-q", is_flag=True, help="不显示进度。")
def batch(
    units_dir: Path,
    out: Optional[Path],
    workers: Optional[int],
    period: Optional[str],
    no_cache: bool,
    quiet: bool,
) -> None:
    """批量检查多个单位（市文明办用）：每个子文件夹是一个单位，写出排名和常见问题汇总表。

    \b
    每个单位文件夹中放：任务分工表（.xlsx），可选的佐证台账工作簿或「台账」文件夹、
    「材料」佐证材料文件夹、wenming.toml。某个单位读不了时，汇总表中写明原因，其余照常检查。

    \b
    例：
      wenming batch 各单位/ --out 全市汇总.xlsx --period 2022
      wenming batch 各单位/ --workers 2
    """
    from wenming_xl.judge.frames import ranking_order, unit_places
    from wenming_xl.runs.batch import batch_rollup

    progress, close = progress_bar(quiet, "检查各单位")
    try:
        result, path = batch_rollup(
            units_dir, out, workers=workers, period=period, progress=progress, cache=not no_cache
        )
    finally:
        close()
    scored = [u for u in result.units if u.ok and not u.unranked]
    parts = [f"评分 {len(scored)} 个"]
    parts += [f"未能评分 {len(result.unranked)} 个"] if result.unranked else []
    parts += [f"未能检查 {len(result.failed)} 个"] if result.failed else []
    click.echo(f"共 {len(result.units)} 个单位：{'，'.join(parts)}。")
    places = unit_places(result)
    for i in ranking_order(result)[:10]:
        u = result.units[i]
        if u.ok and not u.unranked:
            line = f"  {places[i]:>3}. {u.name}  {u.total:g} / {u.max_total:g}（{u.rate:.1%}）"
            if u.unreadable:
                line += f"；无法读取、未计入：{'、'.join(u.unreadable)}"
            click.echo(line)
    for u in result.unranked:
        click.echo(f"  未能评分：{u.name}：{u.unranked}")
    for u in result.failed:
        first = (u.error or "").splitlines()[0]
        click.echo(f"  未能检查：{u.name}：{first}")
    click.echo(f"汇总表：{path}", err=True)
    if not scored:
        raise click.exceptions.Exit(1)  # no unit could be scored: a scheduler must see it


COMMANDS = [batch]
