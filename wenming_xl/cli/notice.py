"""``wenming notice …`` (红头文件: publish, bulletin, from-text) and ``wenming init``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import click

from wenming_xl.cli import echo_err
from wenming_xl.cli.options import evidence_options
from wenming_xl.config import CONFIG_NAME
from wenming_xl.errors import ConfigError
from wenming_xl.text import find_date


def _date(text: Optional[str], what: str = "成文日期"):
    if not text:
        return None
    day = find_date(text)
    if day is None:
        raise ConfigError(f"{what}「{text}」无法识别。", hint="请写成 年-月-日，例如 2022-02-25。")
    return day


def _out_path(out: Optional[Path], default: Path) -> Path:
    """The .docx to write: ``--out`` (a file or an existing folder) or ``default``."""
    if out is None:
        return default
    if out.is_dir():
        return out / default.name
    if out.suffix.lower() != ".docx":
        raise ConfigError(
            f"输出文件「{out.name}」应以 .docx 结尾。",
            hint="例如 --out 印发通知.docx（加 --pdf 会在旁边再生成同名 PDF）。",
        )
    return out


def _common(fn):
    """Options every notice command takes."""
    fn = click.option("--pdf", is_flag=True, help="同时生成 PDF（需要安装 LibreOffice）。")(fn)
    fn = click.option(
        "--template",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="公文模板 .docx（默认用内置模板；可复制 docx_templates/gongwen.docx 修改字体后使用）。",
    )(fn)
    fn = click.option(
        "--config",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help=f"单位配置文件 {CONFIG_NAME}（默认读取工作簿或文稿旁边的）。",
    )(fn)
    fn = click.option("--date", "date_text", help="成文日期，例如 2022-02-25（默认今天）。")(fn)
    fn = click.option(
        "--number",
        help="发文字号的序号，如 23（与 wenming.toml 中的 code 组成「绍市中医〔2022〕23号」），"
        "也可写完整文号。不写则文号留空待填。",
    )(fn)
    fn = click.option(
        "--out",
        "-o",
        type=click.Path(dir_okay=True, path_type=Path),
        help="输出的 Word 文件（.docx）或文件夹。",
    )(fn)
    return fn


@click.group("notice")
def notice_group() -> None:
    """生成红头文件（GB/T 9704-2012 格式的 Word 文档）：印发通知、月度督查通报、自拟通知。

    \b
    发文机关标志、机关代字、主送、抄送、印发机关写在 wenming.toml 的 [unit] 中
    （用 wenming init 生成示例）；没有配置时，单位名称取自任务表标题。

    \b
    示例：
      wenming notice publish 任务分工.xlsx --number 23 --date 2022-02-25 --out 印发通知.docx
      wenming notice bulletin 任务分工.xlsx --evidence 材料/ --month 2022-06 --pdf
      wenming notice from-text 通知草稿.txt --out 通知.docx
    """


@notice_group.command("publish")
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--sheet", help="任务表所在工作表（默认自动查找）。")
@_common
def publish_cmd(workbook, sheet, out, number, date_text, config, template, pdf) -> None:
    """生成印发任务分工表的通知：「…关于印发…的通知」，整张任务表作为附件。

    \b
    示例：
      wenming notice publish 2022年度任务分工.xlsx --number 23 --date 2022-02-25 --out 印发通知.docx
    """
    from wenming_xl.runs.documents import publish_document
    from wenming_xl.text import readable

    publish_document(
        workbook,
        _out_path(out, workbook.with_name(f"{readable(workbook.stem)}-印发通知.docx")),
        sheet=sheet,
        number=number,
        date=_date(date_text),
        config=config,
        template=template,
        pdf=pdf,
        echo=echo_err,
    )


@notice_group.command("bulletin")
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@evidence_options
@click.option("--month", required=True, help="通报的月份，例如 2022-06。")
@click.option(
    "--deadline",
    help="整改截止日期，例如 2022-07-15（默认下月15日；已过或不足7天时为成文日期后14天）。",
)
@click.option("--sheet", help="任务表所在工作表（默认自动查找）。")
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    help="历史库（默认工作簿旁的 wenming.sqlite），有上月记录时写出“较上月”。",
)
@_common
def bulletin_cmd(
    workbook,
    evidence,
    ledgers,
    ledger_dir,
    period,
    password,
    month,
    deadline,
    sheet,
    db,
    out,
    number,
    date_text,
    config,
    template,
    pdf,
) -> None:
    """检查佐证材料并生成月度督查通报：总体得分、完成较好的方面、各部门问题清单、整改时限。

    \b
    示例：
      wenming notice bulletin 任务分工.xlsx --evidence 材料/ --month 2022-06 --out 6月督查通报.docx
    """
    from wenming_xl.evidence.period import parse_month
    from wenming_xl.runs.documents import bulletin_document

    month = parse_month(month)
    bulletin_document(
        workbook,
        _out_path(out, workbook.with_name(f"{month}-督查通报.docx")),
        month=month,
        evidence=evidence,
        ledgers=ledgers,
        ledger_dir=ledger_dir,
        period=period,
        password=password,
        deadline=_date(deadline, "整改截止日期"),
        sheet=sheet,
        db=db,
        number=number,
        date=_date(date_text),
        config=config,
        template=template,
        pdf=pdf,
        echo=echo_err,
    )


@notice_group.command("from-text")
@click.argument("draft", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_common
def from_text_cmd(draft, out, number, date_text, config, template, pdf) -> None:
    """把纯文本文稿排成红头文件：第一行标题，第二行主送（如「各科室：」），然后是正文。

    \b
    正文中以「一、」「（一）」「1.」「（1）」开头的段落按四级标题排版；末尾可写
    「附件：…」、落款单位、日期（2022年3月1日）、（附注）和「抄送：…」。

    \b
    示例：
      wenming notice from-text 通知草稿.txt --number 5 --out 通知.docx --pdf
    """
    from wenming_xl.runs.documents import text_document

    text_document(
        draft,
        _out_path(out, draft.with_suffix(".docx")),
        number=number,
        date=_date(date_text),
        config=config,
        template=template,
        pdf=pdf,
        echo=echo_err,
    )


@click.command("init")
@click.argument("where", required=False, type=click.Path(path_type=Path))
def init_cmd(where: Optional[Path]) -> None:
    """在文件夹中生成带说明的单位配置 wenming.toml（已有的不会被覆盖）。

    \b
    给出任务工作簿时，wenming.toml 写在它旁边，单位名称取自任务表标题；
    其余本单位信息（机关代字、抄送、印发机关、发件邮箱）留作「请填写」的说明行。

    \b
    示例：
      wenming init                 在当前文件夹生成 wenming.toml
      wenming init 任务分工.xlsx    在任务表旁生成，单位名称取自任务表标题
      wenming init D:\\文明创建\\2022
    """
    from wenming_xl.runs.documents import write_profile

    workbook = where if where is not None and where.is_file() else None
    folder = workbook.parent if workbook is not None else (where or Path("."))
    if where is not None and workbook is None and where.suffix.lower() in (".xlsx", ".xlsm"):
        raise click.UsageError(f"找不到任务工作簿：{where}")
    target = write_profile(folder, workbook)
    if target is None:
        click.echo(
            f"{folder / CONFIG_NAME} 已存在，未做改动。如需重新生成，请先改名或删除它。",
            err=True,
        )
        return
    click.echo(f"已生成：{target}", err=True)
    click.echo(
        "请用记事本打开，填写写着「请填写」的项（机关代字、抄送、印发机关、发件邮箱），"
        "删掉行首的 # 启用；填好后运行 wenming doctor 检查。",
        err=True,
    )


COMMANDS = [notice_group, init_cmd]
