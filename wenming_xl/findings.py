"""The catalogue of finding codes and their Chinese message templates.

Codes are stable kebab-case ASCII; tests assert codes, never wording. Build a
finding with :func:`make`, which fills the template from keyword parameters.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any, Optional

from wenming_xl.model import Finding, ItemNo, Location
from wenming_xl.text import readable

#: code -> (severity, template). Templates use str.format fields.
CATALOGUE = {
    # evidence vs rules
    "too-few-images": (
        "error",
        "第{item}项：{object}只有{have}张，要求至少{need}张，缺{short}张。",
    ),
    "too-few-groups": (
        "error",
        "第{item}项：只有{have}{group_unit}{noun}的材料，要求至少{need}{group_unit}，缺{short}{group_unit}。",
    ),
    "group-too-few-images": (
        "error",
        "第{item}项：第{index}{group_unit}（{group_name}）只有{have}张图片，要求每{group_unit}{need}张，缺{short}张。",
    ),
    "too-few-items": (
        "error",
        "第{item}项：{object}只有{have}{unit}，要求至少{need}{unit}，缺{short}{unit}。",
    ),
    "missing-document": ("error", "第{item}项：缺少{object}（文件、扫描件或说明材料），请上传。"),
    "missing-annotation": (
        "error",
        "第{item}项：{where}未注明{fields}，请在文件夹名、文件名或台账中写明（如「2022-05-03 东双桥社区 礼让斑马线」）。",
    ),
    "not-an-image": (
        "error",
        "第{item}项：「{path}」的扩展名是图片，但内容不是图片（实际为{actual}），未计入。请换成原始照片文件（JPG/PNG）。",
    ),
    "outside-period": (
        "error",
        "第{item}项：「{path}」的{source} {date} 不在考核期{period}内，未计入。请确认是否放错了年度的材料。",
    ),
    "after-month": (
        "info",
        "第{item}项：「{path}」的{source} {date} 在本次统计截止日 {end} 之后，本月不计入，到相应月份的督查时计入。",
    ),
    "duplicate-image": (
        "error",
        "第{item}项：「{path}」与「{original}」内容完全相同，重复文件只计一次。请删除重复文件或换成其他照片。",
    ),
    "near-duplicate-image": (
        "warning",
        "第{item}项：「{path}」与「{original}」疑似同一张照片（缩放或重新压缩），已计入，请人工确认。",
    ),
    "needs-review": (
        "warning",
        "第{item}项：需人工确认{what}；请核对材料后，在任务表旁的《{file}》中该项的「人工确认」列填写“已确认”。",
    ),
    "review-after-upload": (
        "info",
        "第{item}项：材料需满足「{what}」，上传后由办公室人工核对确认。",
    ),
    "confirm-unreadable": (
        "warning",
        "人工确认表 {path} 无法读取，本次没有按其中的确认计分（{reason}）。",
    ),
    "confirmation-stale": (
        "warning",
        "第{item}项：{date}的人工确认之后，该项的材料有了变化，原确认已失效。请重新核对后，"
        "在《{file}》中该项的「人工确认」列再次填写“已确认”。",
    ),
    "review-rejected": (
        "warning",
        "第{item}项：{who}在《{file}》中确认为“不通过”{note}，该项需人工确认的部分不计分。"
        "补齐材料后，请把「人工确认」改为“已确认”。",
    ),
    "requirement-unparsed": (
        "warning",
        "第{item}项：材料要求中有未能识别的内容「{text}」，请人工核对。",
    ),
    "table-unscorable": ("error", "{path}：{what}。{hint}"),
    "rule-corrected": (
        "info",
        "第{item}项：按任务表「规则修正」列计分：「{correction}」（原材料要求：「{original}」）。",
    ),
    "requirement-review": (
        "warning",
        "第{item}项：材料要求中{text}需人工确认（原因见括号），请核对本项的评分。",
    ),
    "declared-only": (
        "info",
        "第{item}项：{where}没有附文件路径，按台账填报的数量{count}计入，请备查原件。",
    ),
    "path-outside-root": (
        "error",
        "{where}：路径「{path}」指向佐证材料目录之外，已拒绝读取。请把文件放进材料目录后填写相对路径。",
    ),
    "path-invalid": (
        "error",
        "{where}：路径「{path}」含有看不见的控制字符（如空字符），不是有效的文件路径，该行未计入。"
        "请在 Excel 中删掉该单元格后重新输入路径（或重新插入超链接）。",
    ),
    "path-is-link": (
        "warning",
        "第{item}项：{where}的路径「{link}」是网址（网盘或网页链接），不是文件，无法核对其中的材料，"
        "{count}。请把材料下载后放进台账旁的文件夹，路径改填文件或文件夹的位置。",
    ),
    "cache-unusable": (
        "warning",
        "扫描缓存没有使用，本次每个文件都重新读取（结果不受影响，只是慢一些）：{reason}",
    ),
    "missing-evidence": ("error", "第{item}项：尚未上传任何佐证材料。"),
    "nothing-counted": (
        "error",
        "第{item}项：已提交的材料都没有计入（{reasons}），目前没有可计分的材料，请按本项的其他提示改正。",
    ),
    "scaled-by-missing": (
        "error",
        "第{item}项：缺少{what}，本项现计{after}分：本项按完成得最差的一项要求计分，其余材料已够{before}分，"
        "补齐{what}后即可得到。",
    ),
    "count-above-files": (
        "warning",
        "第{item}项：{where}的数量填的是{count}，但路径下只有{files}个文件，按{files}个计入。"
        "请把缺的文件补进该文件夹，或改正数量。",
    ),
    "counted-later": (
        "error",
        "第{item}项：已提交的{count}处材料日期都在本次统计截止日 {end} 之后，到相应月份的督查时计入；"
        "截至本次统计还没有可计分的材料。",
    ),
    "also-later": (
        "warning",
        "第{item}项：另有{count}处材料日期在本次统计截止日 {end} 之后，本次不计入，到相应月份的督查时计入。",
    ),
    "deduction-recorded": ("warning", "第{item}项：记录扣分{times}次，扣{points}分。"),
    "below-threshold": ("error", "第{item}项：{metric}为{have}，要求{op}{need}。"),
    # reading problems that are not fatal
    "hidden-row-skipped": (
        "info",
        "{where}：第{row}行为隐藏行{text}，已跳过，不作为条目计分；如果它是有效的条目，请取消隐藏。",
    ),
    "unreadable-file": ("error", "{path}：无法读取（{reason}），未计入。"),
    "ledger-path-missing": (
        "error",
        "{where}：台账填写的路径「{path}」找不到，该行未计入。请核对路径，或把文件放回该位置。",
    ),
    "declared-no-count": (
        "error",
        "第{item}项：{where}没有附文件路径，{what}，按0计入。请填写数量或附上文件路径。",
    ),
    "date-unreadable": (
        "warning",
        "{where}：日期「{value}」无法识别或不存在，该行按没有日期计入，无法核对是否在考核期内。"
        "请改成完整的日期，例如 2022-05-03。",
    ),
    "date-no-year": (
        "warning",
        "{where}：日期「{value}」没有写年份，又没有设置考核期间（--period 或 wenming.toml 中的 period），"
        "无法确定是哪一年，该行按没有日期计入。请写完整日期，例如 2022-05-03。",
    ),
    "date-year-assumed": (
        "info",
        "{where}：日期「{value}」没有写年份，按考核期间「{period}」计为 {date}。",
    ),
    "not-own-item": (
        "warning",
        "第{item}项：{where}由「{writer}」填报，但第{item}项由{leads}牵头，不是「{writer}」的任务。"
        "已按填报计入；如果条目编号填错了，请改成本部门的条目；如果是协办，请告知牵头部门。",
    ),
    "row-in-other-item-folder": (
        "warning",
        "第{item}项：{where}填的是第{item}项，但路径「{path}」中的文件放在{other}的文件夹里，"
        "已按{other}计入，没有计入第{item}项。如果条目编号填错了，请改正；"
        "如果这些材料也用于第{item}项，请在第{item}项的文件夹中另放一份。",
    ),
    "ledger-copy": (
        "warning",
        "{path}：与「{original}」的{rows}行台账内容完全相同，是同一份台账的副本，只按「{original}」计入一次。"
        "如果是误留的副本，请删除它；如果本应是另一部门的台账，请换成该部门填写的文件。",
    ),
    "path-relocated": (
        "info",
        "第{item}项：{where}的路径「{path}」是另一台电脑上的位置，已按台账文件夹中的「{found}」找到并计入。",
    ),
    "ledger-copy-rows": (
        "warning",
        "{path}：第{shown}行（共{rows}行）与「{original}」中的行完全相同，只按「{original}」计入一次；"
        "其余{rest}行已计入。这像是同一份台账的副本又接着填写：请把新填的行补进原台账，再删除副本。",
    ),
    "ledger-not-found": (
        "warning",
        "{path}：没有找到佐证台账（表头需有“条目”列，以及“路径”“数量”或“类型”列），已跳过。",
    ),
    "file-outside-item-folder": (
        "warning",
        "{path}：文件直接放在材料目录下，不属于任何条目，未计入。请放进对应条目的文件夹（如「03 学习文明行为促进条例」）。",
    ),
    "empty-file": ("error", "第{item}项：「{path}」是空文件（0字节），未计入。请重新拷贝该文件。"),
    "unknown-item-folder": (
        "warning",
        "{path}：文件夹名没有以任务表中的条目编号开头，其中的文件未计入任何条目。请按「03 主题」的格式命名文件夹。",
    ),
    "placeholder-department": (
        "warning",
        "第{item}项：牵头部门写的是「{names}」，不是一个具体部门，没有部门会收到该项的台账和督查提醒。"
        "请在任务表中写明具体负责的部门。",
    ),
    "placeholder-beside-departments": (
        "info",
        "第{item}项：牵头部门中的「{names}」不是一个具体部门，该项只通知{departments}。",
    ),
    "kit-file-unlisted": (
        "info",
        "第{item}项：「{folder}」{where}有{count}个文件台账中没有登记，已按所在文件夹计入本项。"
        "请在台账中为每次活动补填一行（日期、地点、主题），路径写该文件夹。",
    ),
    "kit-folder-unknown": (
        "warning",
        "台账文件夹中的「{path}」不是某个部门的材料文件夹（应为「部门-佐证材料」，部门名与任务表一致），"
        "其中的文件没有检查。请改名为对应部门的材料文件夹，或移出台账文件夹。",
    ),
    "item-blank": (
        "warning",
        "{where}：没有填写条目编号，该行未计入。请在「条目」列填写任务表中的条目编号（如 3）。",
    ),
    "unknown-item": (
        "warning",
        "{where}：条目「{typed}」在任务表中不存在，该行未计入。请填写任务表中的条目编号。",
    ),
    "heic-no-decoder": (
        "info",
        "第{item}项：「{path}」是 HEIC 照片，已按图片计入，但本机无法读取其拍摄日期。如需核对日期，请在手机上导出为JPG后上传。",
    ),
    "points-mismatch": (
        "warning",
        "{where}：「{category}」各条目分值合计{total}分，与类别分值{cap}分不一致；"
        "请核对各条目的分值，或类别名称中写的分值。",
    ),
    "no-departments": ("warning", "第{item}项：没有牵头部门。"),
    # task-table reader (rubric.py)
    "rules-unpaired": (
        "warning",
        "{where}：「{category}」的{items}条内容与{rules}条{column}编号对不上，每条都附上了整段{column}，请人工核对。",
    ),
    "points-unsplit": (
        "warning",
        "{where}：一个单元格里有{items}条编号条目，分值「{points}」无法分到各条，这些条目暂无分值；请把它们分行填写各自的分值。",
    ),
    "cell-unreadable": ("warning", "{where}：「{value}」不是有效的{what}，已按空白处理。"),
    "formula-no-value": (
        "warning",
        "{where}：公式没有保存计算结果（文件可能由程序生成、从未在 Excel 中保存过），已按空白处理；请用 Excel/WPS 打开该文件并保存一次。",
    ),
    "cell-error": (
        "warning",
        "{where}：单元格是错误值「{value}」（公式算不出结果），已按空白处理；请在 Excel/WPS 中修正公式或改填数值。",
    ),
    "points-merged": (
        "warning",
        "{where}：分值「{points}」是跨{rows}行的合并单元格，只算给了第一个条目，第{items}项没有分值；"
        "请取消合并，给每个条目分别填写分值。",
    ),
    "points-blank": (
        "warning",
        "{where}：第{item}项没有填写分值，按0分计；如果该项有分值，请补填。",
    ),
    "header-combined": (
        "info",
        "{where}：表头占两行（第{top}–{row}行，上一行的「{groups}」是合并的分组名），已合并读取。",
    ),
    "sheet-hidden": (
        "warning",
        "{path}：任务表在工作表「{sheet}」中，这张表是{how}；评分按它进行，但大家打开工作簿看不到它。"
        "请确认它就是本年度的任务表，并把它取消隐藏，或把任务表放到看得见的工作表里。",
    ),
    "header-low": (
        "warning",
        "{where}：表头在第{row}行，上面的{above}行没有作为任务条目读取；请确认其中没有任务条目。",
    ),
    "column-missing": (
        "warning",
        "{where}：没有找到{what}列（表头应有「{words}」等词），{effect}。请在表头行写上列名后再运行。",
    ),
    # plan import (plan_import.py)
    "plan-no-departments": (
        "warning",
        "{path}：没有找到任何“责任处室”“牵头部门”或“牵头科室”，{count}项任务都还没有牵头部门。请在任务表的「牵头部门」列补填后再生成部门台账。",
    ),
    "plan-unplaced": (
        "info",
        "{path}：有{count}段文字没有列为任务，已放入「待确认」工作表（{reasons}），请逐条核对。",
    ),
}


#: code -> the short Chinese label people read in place of the code (terminal, sheets).
LABELS = {
    "too-few-images": "图片数量不够",
    "too-few-groups": "活动次数不够",
    "group-too-few-images": "某次活动图片不够",
    "too-few-items": "材料份数不够",
    "missing-document": "缺少文件材料",
    "missing-annotation": "未注明时间地点等",
    "not-an-image": "不是真正的图片",
    "outside-period": "不在考核期内",
    "after-month": "晚于本月统计截止日",
    "duplicate-image": "重复图片",
    "near-duplicate-image": "疑似同一张照片",
    "needs-review": "需人工确认",
    "review-after-upload": "上传后需人工确认",
    "requirement-review": "材料要求需人工核对",
    "rule-corrected": "按规则修正计分",
    "table-unscorable": "任务表无法按材料评分",
    "requirement-unparsed": "材料要求未能识别",
    "declared-only": "只有台账数量、没有文件",
    "path-outside-root": "路径指向材料目录之外",
    "path-invalid": "路径含控制字符",
    "cache-unusable": "扫描缓存无法使用",
    "path-is-link": "路径是网址不是文件",
    "missing-evidence": "尚未上传材料",
    "nothing-counted": "材料均未计入",
    "counted-later": "材料晚于统计截止日",
    "count-above-files": "台账数量多于文件",
    "scaled-by-missing": "缺少的材料拉低全项得分",
    "also-later": "部分材料晚于统计截止日",
    "deduction-recorded": "有扣分记录",
    "below-threshold": "指标未达到要求",
    "hidden-row-skipped": "隐藏行已跳过",
    "unreadable-file": "文件无法读取",
    "ledger-path-missing": "台账路径找不到",
    "declared-no-count": "台账数量无效或未填",
    "date-unreadable": "日期无法识别",
    "date-year-assumed": "日期没写年份",
    "date-no-year": "日期缺年份且无考核期",
    "not-own-item": "填报了非本部门条目",
    "row-in-other-item-folder": "台账条目与文件夹不一致",
    "ledger-copy": "台账副本",
    "ledger-copy-rows": "台账副本中有重复行",
    "path-relocated": "路径按台账文件夹找到",
    "ledger-not-found": "不是佐证台账",
    "file-outside-item-folder": "文件不在条目文件夹中",
    "empty-file": "空文件",
    "unknown-item-folder": "文件夹名没有条目编号",
    "kit-file-unlisted": "材料未在台账登记",
    "kit-folder-unknown": "台账文件夹中有不明文件夹",
    "unknown-item": "条目编号不存在",
    "item-blank": "没有填写条目编号",
    "heic-no-decoder": "HEIC 照片无法读取日期",
    "points-mismatch": "分值合计不一致",
    "no-departments": "没有牵头部门",
    "rules-unpaired": "条目与材料要求对不上",
    "points-unsplit": "分值无法分到各条",
    "cell-unreadable": "单元格内容无效",
    "formula-no-value": "公式没有保存结果",
    "plan-no-departments": "计划中没有牵头部门",
    "cell-error": "单元格是错误值",
    "points-merged": "分值合并跨了几个条目",
    "points-blank": "条目没有分值",
    "header-combined": "表头占两行",
    "column-missing": "任务表缺少列",
    "header-low": "表头位置靠下",
    "sheet-hidden": "任务表在隐藏的工作表中",
    "plan-unplaced": "有文字未列为任务",
    "confirm-unreadable": "人工确认表无法读取",
    "confirmation-stale": "人工确认已失效",
    "review-rejected": "人工确认不通过",
    "placeholder-department": "牵头部门不具体",
    "placeholder-beside-departments": "牵头部门中有泛指",
}


def label(code: str) -> str:
    """The Chinese label of a finding code (never the code itself: people read Chinese)."""
    return LABELS.get(code) or "其他问题"


class _Default(dict):
    def __missing__(self, key: str) -> str:  # a missing field never crashes a message
        return "…"


def make(
    code: str,
    *,
    item: Optional[ItemNo] = None,
    department: Optional[str] = None,
    location: Optional[Location] = None,
    **params: Any,
) -> Finding:
    """Build a `Finding` from the catalogue, filling its template with ``params``."""
    severity, tmpl = CATALOGUE[code]
    params = {k: readable(v) if isinstance(v, str) else v for k, v in params.items()}
    fields = _Default(params)
    if item is not None:
        fields["item"] = item
    message = tmpl.format_map(fields)
    return Finding(
        code=code,
        message=message,
        item_no=item,
        department=department,
        location=location,
        params=dict(params),
        severity=severity,
    )


class DeclaredFold:
    """The `declared-only` rows of one item in one ledger sheet, folded into one note.

    A department that declares hundreds of rows without files needs one line per item
    saying which rows and how much was counted, not hundreds of identical lines. The
    fold stands in the findings list where its first row's note would be;
    `merge_declared` turns it into that one `Finding`.
    """

    __slots__ = ("item", "department", "location", "where", "rows", "count")

    def __init__(
        self,
        item: ItemNo,
        department: Optional[str],
        location: Location,
        where: str,
        rows: Sequence[int] = (),
        count: int = 0,
    ):
        self.item = item
        self.department = department
        self.location = location  # the first row's 条目 cell
        self.where = where  # the first row, for messages
        self.rows = list(rows)  # the sheet row numbers folded
        self.count = count  # their 数量 added up

    def finding(self) -> Finding:
        """The one `declared-only` finding of the folded rows."""
        common = {"item": self.item, "department": self.department, "location": self.location}
        if len(self.rows) == 1:
            return make("declared-only", count=self.count, where=self.where, **common)
        n = len(self.rows)
        shown = "、".join(str(r) for r in self.rows[:5])
        more = f"…（共{n}行）" if n > 5 else f"（共{n}行）"
        book = os.path.basename(self.location.path)
        where = f"台账 {book} 工作表「{self.location.sheet}」第{shown}行{more}"
        return make("declared-only", where=where, count=self.count, rows=n, **common)


def merge_declared(findings: list[Any]) -> list[Finding]:
    """The findings with each `DeclaredFold` turned into its one `declared-only` finding."""
    return [f.finding() if f.__class__ is DeclaredFold else f for f in findings]
