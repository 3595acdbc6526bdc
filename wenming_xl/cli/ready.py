"""Commands for the assessment: ``wenming binder`` (迎检资料) and ``wenming pack`` (上传包)."""

from __future__ import annotations

from pathlib import Path

import click

from wenming_xl.cli import echo_err, progress_bar
from wenming_xl.cli.options import config_option, evidence_options

COMMANDS: list = []


def _command(fn):
    COMMANDS.append(fn)
    return fn


_out = click.option(
    "--out",
    "-o",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="输出文件夹。",
)


def _show(run, files: bool = True) -> None:
    """The check's summary, then (unless already said while it ran) the files, and the notes."""
    from wenming_xl.runs.summary import render_summary

    click.echo(render_summary(run.report))
    for path in run.files if files else ():
        echo_err(f"已生成：{path}")
    for note in run.notes:
        echo_err(f"  注意：{note}")


@_command
@click.command("binder")
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@evidence_options
@config_option
@_out
@click.option("--sheet", help="任务表所在工作表（默认自动查找）。")
@click.option(
    "--photos-per-page",
    type=click.Choice(["1", "2", "4"]),
    help="每页几张照片（默认 1，可在 wenming.toml 的 [binder] 一节设置）。",
)
@click.option("--pdf", is_flag=True, help="同时用 LibreOffice 生成 PDF。")
@click.option("--quiet", "-q", is_flag=True, help="不显示进度。")
def binder_cmd(workbook, evidence, ledgers, ledger_dir, period, password, config, out, sheet,
               photos_per_page, pdf, quiet):  # fmt: skip
    """按测评体系生成迎检资料（每个类别一盒 Word：封面、卷内目录、测评材料提交表、带说明的照片），另有总目录和盒脊标签。

    只收入自评检查计入的材料：重复的照片、考核期外的照片不收入；原图不改动。

    \b
    例：
      wenming binder 任务分工.xlsx --evidence 材料/ --period 2022 --out 迎检资料
      wenming binder 任务分工.xlsx --evidence 材料/ --out 迎检资料 --photos-per-page 2 --pdf
    """
    from wenming_xl.runs.ready import make_binder

    progress, close = progress_bar(quiet)
    try:
        run = make_binder(workbook, out=out, evidence=evidence, ledgers=ledgers,
                          ledger_dir=ledger_dir, period=period, config=config, sheet=sheet,
                          password=password, photos_per_page=int(photos_per_page or 0) or None,
                          pdf=pdf, progress=progress, echo=echo_err)  # fmt: skip
    finally:
        close()
    _show(run, files=False)  # each file was named as it was written


@_command
@click.command("pack")
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@evidence_options
@config_option
@_out
@click.option("--sheet", help="任务表所在工作表（默认自动查找）。")
@click.option(
    "--max-image-kb",
    type=click.IntRange(min=10),
    help="每张图片的上限（KB，默认 1024，可在 wenming.toml 的 [pack] 一节设置）；超过的缩小。",
)
@click.option(
    "--max-file-mb",
    type=click.IntRange(min=1),
    help="每个文件的上限（MB，默认 20，可在 wenming.toml 的 [pack] 一节设置）；仍超过的照样打包并在清单中标出。",
)
@click.option("--quiet", "-q", is_flag=True, help="不显示进度。")
def pack_cmd(workbook, evidence, ledgers, ledger_dir, period, password, config, out, sheet,
             max_image_kb, max_file_mb, quiet):  # fmt: skip
    """生成平台上传包：每个条目一个文件夹，文件按模板改名、照片转 JPEG 并压到上限以下、Word/Excel 转 PDF，附报送清单.xlsx（含 SHA-256）。

    只收入自评检查计入的材料。先在旁边的临时文件夹里生成，完成后整体换入；再次运行时没变的文件直接沿用。

    \b
    例：
      wenming pack 任务分工.xlsx --evidence 材料/ --period 2022 --out 报送包
      wenming pack 任务分工.xlsx --evidence 材料/ --out 报送包 --max-image-kb 500 --max-file-mb 10
    """
    from wenming_xl.runs.ready import make_pack

    progress, close = progress_bar(quiet)
    try:
        run = make_pack(workbook, out=out, evidence=evidence, ledgers=ledgers,
                        ledger_dir=ledger_dir, period=period, config=config, sheet=sheet,
                        password=password, max_image_kb=max_image_kb, max_file_mb=max_file_mb,
                        progress=progress, echo=echo_err)  # fmt: skip
    finally:
        close()
    _show(run)
    detail = run.detail
    echo_err(f"报送包：{detail.folder}（{len(detail.packed)} 个文件，沿用上次 {detail.reused} 个）")
