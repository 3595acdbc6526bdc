"""The kits handed out to the departments: a ledger workbook, an evidence folder, a guide.

A department kit is what one department fills in: 「党建办-佐证台账.xlsx」 with a 任务清单
sheet (only its items, the requirement in plain words, the deadline) and an empty
佐证台账 sheet in the columns of DESIGN §4.2 with dropdowns and checks; an evidence folder
「党建办-佐证材料」 with one folder per item (「03 学习贯彻绍兴市文明行为促进条例」); and a
one-page 「党建办-填报说明.docx」. A folder of kits is what ``wenming check --ledger-dir``
reads back. The task workbook ``wenming import`` writes (:mod:`.tasks`) shares the
formats and print setup defined here.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Union

from wenming_xl.errors import ConfigError, OutputError, WenmingError, os_reason
from wenming_xl.files.writing import atomic_write
from wenming_xl.model import DEDUCTION, Item, Rubric
from wenming_xl.outputs.workbooks.cells import write_text
from wenming_xl.outputs.workbooks.sheetxml import fit_height
from wenming_xl.text import cn_date, find_date, normalize, one_line

PathLike = Union[str, Path]

LEDGER_SHEET = "佐证台账"
LIST_SHEET = "任务清单"
#: DESIGN §4.2: the ledger's columns, with their widths.
LEDGER_COLUMNS = [
    ("条目", 8),
    ("部门", 12),
    ("日期", 12),
    ("地点", 18),
    ("主题", 28),
    ("类型", 9),
    ("数量", 7),
    ("路径", 48),
    ("备注", 20),
]
EVIDENCE_TYPES = ["照片", "图片", "截图", "视频", "文件", "扫描件", "名单", "说明"]
#: Rows of the ledger prepared with dropdowns and checks.
LEDGER_ROWS = 500
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{i}" for p in ("COM", "LPT") for i in range(1, 10)}


# --------------------------------------------------------------------------- names


def safe_name(name: str, limit: int = 60) -> str:
    """A file or folder name Windows accepts: no <>:"/\\|?*, no trailing dot or space."""
    s = _FORBIDDEN.sub("_", str(name).replace("\n", " "))
    s = re.sub(r"\s+", " ", s).strip().rstrip(". ")[:limit].rstrip(". ")
    if s.split(".")[0].upper() in _RESERVED:
        s = "_" + s
    return s or "_"


#: Where a title may end when its first clause is too long: after these characters …
_END_AFTER = "的等中"
#: … or before these (a new phrase starts there).
_END_BEFORE = "和与及或并在对为把向从"


def short_title(text: str, limit: int = 20, most: int = 28) -> str:
    """A few words naming an item: its first clause, quotes, brackets and （2分） dropped.

    A clause of up to ``most`` characters is kept whole; a longer one ends where a phrase
    does (at a 、, after 的/等, before 和/与/及…, never inside a number or a Latin word) at
    ``limit`` characters or more, so that no name stops mid-word (「…占单位在编人」).
    """
    s = normalize(text).split("\n")[0]
    s = re.sub(r"[（(][^（()）]*[)）]", "", s)  # （5分）, （社区）, （不少于2次）
    s = re.sub(r"[“”\"'‘’《》「」『』【】]", "", s)
    s = re.split(r"[，,。；;：:！!？?（(]", s, maxsplit=1)[0].strip()
    if len(s) > most:
        s = _cut_at_phrase(s, limit, most)
    return s.rstrip("、，, ") or "条目"


def _cut_at_phrase(s: str, limit: int, most: int) -> str:
    """``s`` cut to at most ``most`` characters where a phrase ends (at ``limit//2`` or later)."""
    low = max(1, limit // 2)
    for end in range(most, low - 1, -1):  # the longest piece that ends a phrase
        head, nxt = s[:end], s[end]
        if head[-1] == "、" or head[-1] in _END_AFTER or nxt in _END_BEFORE:
            return head
    end = most
    while end > low and s[end - 1].isascii() and s[end].isascii() and s[end].isalnum():
        end -= 1  # not inside 2021 or 80%
    return s[:end]


def item_folder(item: Item, width: int = 2) -> str:
    """The folder name of an item: 「03 学习贯彻绍兴市文明行为促进条例」 (the reader accepts it)."""
    no = f"{item.no:0{width}d}" if isinstance(item.no, int) else str(item.no)
    return safe_name(f"{no} {short_title(item.text)}")


@dataclass
class Kit:
    """One department's share of the task table."""

    department: str
    items: list[Item]

    @property
    def stem(self) -> str:
        return safe_name(self.department, 30)

    @property
    def workbook_name(self) -> str:
        return f"{self.stem}-佐证台账.xlsx"

    @property
    def folder_name(self) -> str:
        return f"{self.stem}-佐证材料"

    @property
    def guide_name(self) -> str:
        return f"{self.stem}-填报说明.docx"


def plan_kits(rubric: Rubric) -> list[Kit]:
    """One `Kit` per department, in the order departments first appear, with its items."""
    kits: dict[str, Kit] = {}
    for item in rubric.items:
        for dept in item.departments:
            kits.setdefault(dept, Kit(dept, [])).items.append(item)
    return list(kits.values())


def items_without_department(rubric: Rubric) -> list[Item]:
    """Items that need evidence and that no kit will hold (no real department leads them).

    Deduction items need no evidence; an item whose 牵头部门 is only a placeholder
    (「相关职能科」) is in this list too, and `Item.placeholders` says which words.
    """
    return [i for i in rubric.items if not i.departments and _needs_evidence(i)]


def load_task_rubric(path: PathLike, sheet: Optional[str] = None) -> Rubric:
    """Read the task table as ``wenming check`` does (department names of wenming.toml help)."""
    from wenming_xl.config import load_profile
    from wenming_xl.tables.rubric import load_rubric

    known = list(load_profile(None, path).departments)
    return load_rubric(path, sheet, known_departments=known)


def parse_deadline(value: Union[None, str, _dt.date]) -> Optional[_dt.date]:
    """``--deadline``: a date, or text such as 2022-11-30 / 2022年11月30日."""
    if value is None or isinstance(value, _dt.date):
        return value
    found = find_date(str(value))
    if found is None:
        raise ConfigError(
            f"截止日期「{value}」不是有效日期。",
            hint="请写成 年-月-日，例如 --deadline 2022-11-30。",
        )
    return found


# --------------------------------------------------------------------------- task table

# --------------------------------------------------------------------------- make kits


def make_kits(
    rubric_or_path: Union[Rubric, PathLike],
    out_dir: PathLike,
    *,
    deadline: Union[None, str, _dt.date] = None,
    overwrite: bool = False,
    months: Optional[int] = None,
) -> list[Path]:
    """Write a kit for every department into ``out_dir``; return the ledger workbooks.

    Each kit is a 佐证台账 workbook, an evidence folder skeleton and a 填报说明 document.
    Existing evidence folders and the files in them are left as they are; a ledger
    workbook already there (perhaps filled in) is never replaced unless ``overwrite``.
    ``months`` is the assessment period's length, so that 「每月1次」 reads as ``check``
    counts it (see `evidence.period.period_months`; None: a year, said so).
    """
    if isinstance(rubric_or_path, Rubric):
        rubric = rubric_or_path
    else:
        rubric = load_task_rubric(rubric_or_path)
    due = parse_deadline(deadline)
    kits = plan_kits(rubric)
    if not kits:
        raise WenmingError(
            f"{Path(rubric.path).name}：任务表中没有任何牵头部门，无法按部门生成台账。",
            path=rubric.path,
            hint="请在任务表的「牵头部门」（或牵头科室、责任处室）列填写各条目的负责部门后再运行。",
        )
    out = Path(out_dir)
    existing = [k.workbook_name for k in kits if (out / k.workbook_name).exists()]
    if existing and not overwrite:
        raise OutputError(
            f"文件夹 {out} 中已有部门台账：{'、'.join(existing[:5])}"
            + (f" 等{len(existing)}个" if len(existing) > 5 else "")
            + "，其中可能已经填写了内容，没有覆盖。",
            path=str(out),
            hint="请用 --out 换一个新文件夹；确实要重新生成时，先把旧台账移走，或加 --overwrite。",
        )
    width = max(2, len(str(max((i.no for i in rubric.items if isinstance(i.no, int)), default=1))))
    paths = []
    for kit in kits:
        folders = _keep_existing(
            out / kit.folder_name, {str(i.no): item_folder(i, width) for i in kit.items}
        )
        _make_folders(
            out / kit.folder_name, [folders[str(i.no)] for i in kit.items if _needs_evidence(i)]
        )
        paths.append(_write_kit(kit, out / kit.workbook_name, folders, due, rubric, months))
        _write_guide(kit, out / kit.guide_name, folders, due, rubric)
    return paths


def _keep_existing(root: Path, folders: dict[str, str]) -> dict[str, str]:
    """Item folders a department already has (「24 在志愿浙江平台注册…」 of an earlier kit,
    perhaps with files in it) kept under their own names instead of made again beside."""
    try:
        have = {p.name.split(" ", 1)[0]: p.name for p in root.iterdir() if p.is_dir()}
    except OSError:
        return folders
    return {no: have.get(name.split(" ", 1)[0], name) for no, name in folders.items()}


def _needs_evidence(item: Item) -> bool:
    return item.kind != DEDUCTION


def _make_folders(root: Path, names: list[str]) -> None:
    try:
        for name in names:
            (root / name).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"无法创建文件夹 {root}（{os_reason(exc)}）。",
            path=str(root),
            hint="请检查输出文件夹是否可写，或用 --out 换一个文件夹。",
        ) from exc


def _plain(item: Item, months: Optional[int] = None) -> str:
    """The requirement in plain words (the parser's explanation), else as written."""
    if not item.rule_text.strip():
        return (
            "扣分项目：无需上传材料，注意避免发生。"
            if item.kind == DEDUCTION
            else "（任务表未写材料要求）"
        )
    from wenming_xl.judge.report import item_requirement
    from wenming_xl.rules.explain import explain

    req = item_requirement(item, months)
    if req is None or not req.rules:
        return f"未写明具体材料，请按原文准备：{item.rule_text}"
    return explain(req)


def _original(item: Item) -> str:
    """The requirement as written, and the office's correction beside it when there is one."""
    if not item.correction.strip():
        return item.requirement_text
    return f"{item.requirement_text}\n【规则修正，按此准备】{item.correction.strip()}"


def cell_formats(wb) -> dict:
    """The cell formats every workbook written here uses (宋体, borders, wrapped text)."""
    base = {
        "font_name": "宋体",
        "font_size": 11,
        "border": 1,
        "text_wrap": True,
        "valign": "vcenter",
    }
    return {
        "title": wb.add_format({"font_name": "黑体", "font_size": 16, "bold": True, "align": "center", "valign": "vcenter", "text_wrap": True}),
        "head": wb.add_format(base | {"bold": True, "align": "center", "bg_color": "#D9D9D9"}),
        "left": wb.add_format(base),
        "center": wb.add_format(base | {"align": "center"}),
        "date": wb.add_format(base | {"align": "center", "num_format": "yyyy-mm-dd"}),
        # The 日期 column's own format: no border, or 500 empty rows print as a bordered strip.
        "date_column": wb.add_format({"font_name": "宋体", "font_size": 11, "align": "center", "num_format": "yyyy-mm-dd"}),
        "small": wb.add_format(base | {"font_color": "#595959", "font_size": 9}),
        "note": wb.add_format({"font_name": "宋体", "font_size": 10, "font_color": "#595959", "text_wrap": True, "valign": "vcenter"}),
    }  # fmt: skip


def print_setup(ws, header_rows: int) -> None:
    """A4 landscape, one page wide, header rows repeated and frozen."""
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0, header_rows - 1)
    ws.freeze_panes(header_rows, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.set_footer("&C第 &P 页，共 &N 页")


def _write_kit(
    kit: Kit,
    target: Path,
    folders: dict[str, str],
    due: Optional[_dt.date],
    rubric: Rubric,
    months: Optional[int] = None,
) -> Path:
    import xlsxwriter

    with atomic_write(target, protect=rubric.path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp))
        wb.set_properties({"title": f"{kit.department}佐证台账", "author": kit.department})
        f = cell_formats(wb)
        n = _write_task_list(wb.add_worksheet(LIST_SHEET), kit, folders, due, f, months)
        _write_ledger(wb.add_worksheet(LEDGER_SHEET), kit, n, f)
        wb.close()
    return target


def _write_task_list(ws, kit: Kit, folders: dict[str, str], due, f, months=None) -> int:
    """The department's items; returns how many (the 条目 dropdown reads this sheet)."""
    heads = [("条目", 8), ("工作任务", 46), ("分值", 7), ("材料要求（说明）", 46),
             ("材料要求（原文）", 36), ("材料文件夹", 30), ("截止日期", 12), ("共同负责部门", 16)]  # fmt: skip
    for c, (label, width) in enumerate(heads):
        write_text(ws, 0, c, label, f["head"])
        ws.set_column(c, c, width)
    for r, item in enumerate(kit.items, 1):
        folder = folders[str(item.no)]
        values = [
            item.no,
            item.text,
            item.points,
            _plain(item, months),
            _original(item),
            f"{kit.folder_name}\\{folder}" if _needs_evidence(item) else "（无需材料）",
            None,
            "、".join(d for d in item.departments if d != kit.department) or "—",
        ]
        for c, value in enumerate(values):
            fmt = f["center"] if c in (0, 2, 7) else f["left"]
            if c == 6 and due is not None:
                ws.write_datetime(r, c, _dt.datetime.combine(due, _dt.time()), f["date"])
            elif c == 6:
                write_text(ws, r, c, "见办公室通知", f["center"])
            else:
                write_text(ws, r, c, value, fmt)
        height = fit_height(zip(values, (w for _l, w in heads)))
        if height:
            ws.set_row(r, height)  # printed rows must not run into each other
    print_setup(ws, 1)
    ws.autofilter(0, 0, len(kit.items), len(heads) - 1)
    return len(kit.items)


def _write_ledger(ws, kit: Kit, n_items: int, f) -> None:
    """The empty 佐证台账: title, header, dropdowns and checks on the first rows."""
    last = len(LEDGER_COLUMNS) - 1
    ws.merge_range(0, 0, 0, last, "", f["title"])
    write_text(ws, 0, 0, f"{kit.department} 佐证台账（每次活动或每份材料填一行）", f["title"])
    ws.set_row(0, 28)
    for c, (label, width) in enumerate(LEDGER_COLUMNS):
        write_text(ws, 1, c, label, f["head"])
        ws.set_column(c, c, width, f["date_column"] if label == "日期" else None)
    first, end = 2, 2 + LEDGER_ROWS - 1
    col = {label: c for c, (label, _w) in enumerate(LEDGER_COLUMNS)}
    dept = kit.department.replace('"', '""')
    for r in range(first, end + 1):
        cell = f"A{r + 1}"
        ws.write_formula(r, col["部门"], f'=IF({cell}="","","{dept}")', None, "")
    items_ref = f"='{LIST_SHEET}'!$A$2:$A${n_items + 1}"
    checks = {
        "条目": {"validate": "list", "source": items_ref,
                 "input_title": "条目", "input_message": "从下拉列表中选择本部门的条目编号",
                 "error_title": "条目不在本部门清单中", "error_message": "请从下拉列表中选择「任务清单」里的条目编号。"},
        "日期": {"validate": "date", "criteria": "between",
                 "minimum": _dt.date(2000, 1, 1), "maximum": _dt.date(2099, 12, 31),
                 "input_title": "日期", "input_message": "活动或材料的日期，如 2022-05-03",
                 "error_title": "日期格式不对", "error_message": "请按 年-月-日 填写，例如 2022-05-03。"},
        "类型": {"validate": "list", "source": EVIDENCE_TYPES,
                 "input_title": "类型", "input_message": "照片、截图、文件、扫描件、名单等",
                 "error_title": "类型不在列表中", "error_message": "请从下拉列表中选择材料类型。"},
        "数量": {"validate": "integer", "criteria": ">=", "value": 0,
                 "input_title": "数量", "input_message": "没有填写路径时，按这里的数量计入（张、份）",
                 "error_title": "数量应为整数", "error_message": "请填写 0 或正整数，例如 3。"},
        "路径": {"validate": "any", "input_title": "路径",
                 "input_message": f"材料所在的文件夹或文件，从本台账所在文件夹算起，如 {kit.folder_name}\\03 …\\2022-05-03 地点 主题"},
    }  # fmt: skip
    for label, opts in checks.items():
        c = col[label]
        ws.data_validation(first, c, end, c, opts)
    print_setup(ws, 2)
    ws.autofilter(1, 0, end, last)


def _write_guide(kit: Kit, target: Path, folders: dict[str, str], due, rubric: Rubric) -> Path:
    """The one-page 填报说明: what to fill, how to name folders, where files go, the deadline."""
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    d = docx.Document()
    sec = d.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.top_margin = sec.bottom_margin = Cm(2.2)
    sec.left_margin = sec.right_margin = Cm(2.4)
    normal = d.styles["Normal"]
    normal.font.name, normal.font.size = "仿宋", Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋")
    title = d.add_paragraph()
    title.alignment = 1
    run = title.add_run(f"{kit.department}佐证材料填报说明")
    run.bold, run.font.size = True, Pt(18)
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "黑体")
    nos = "、".join(str(i.no) for i in kit.items)
    sample = next((folders[str(i.no)] for i in kit.items if _needs_evidence(i)), "03 条目名称")
    when = cn_date(due) if due else "办公室通知的日期"
    paras = [
        ("一、本部门的任务", f"共{len(kit.items)}项（条目 {nos}），见《{kit.workbook_name}》的"
         "「任务清单」工作表；“材料要求（说明）”一列写明了每项要交哪些材料、要注明什么。"),
        ("二、材料放在哪里", f"「{kit.folder_name}」文件夹里每项任务有一个文件夹，如「{sample}」，"
         "文件夹名开头的编号不要改。每开展一次活动，在该任务的文件夹里新建一个文件夹，名称写成"
         "「日期 地点 主题」，例如「2022-05-03 东双桥社区 礼让斑马线」，把这次活动的照片放进去；"
         "文件夹名里的日期、地点、主题就是“注明时间、地点及活动主题”。情况说明、文件、扫描件、"
         "名单可直接放在任务文件夹里。"),
        ("三、怎样填台账", "在「佐证台账」工作表中，每次活动或每份材料填一行：条目（下拉选择）、"
         "日期、地点、主题、类型（下拉选择）、数量、路径、备注；部门一栏会自动填写。路径写材料"
         f"所在的文件夹或文件，从台账所在文件夹算起，例如「{kit.folder_name}\\{sample}\\2022-05-03 "
         "东双桥社区 礼让斑马线」。填了路径的行按文件夹里的实际文件计数；没有路径的行按“数量”"
         "计入并标为“仅填报”，原件请留存备查。"),
        ("四、注意事项", "照片请用原图（不要截图转发，以保留拍摄日期）；同一张照片不要放进多个"
         "任务；文件和文件夹名中不要用 \\ / : * ? \" < > | 等字符；一个活动的照片放在同一个文件夹。"),
        ("五、截止日期", f"请于{when}前，把《{kit.workbook_name}》和「{kit.folder_name}」文件夹一起"
         "交回办公室（放到共享盘的台账文件夹中）。"),
    ]  # fmt: skip
    corrected = [i for i in kit.items if i.correction.strip()]
    if corrected:
        said = "；".join(f"第{i.no}项按「{one_line(i.correction)}」准备（原文：「{one_line(i.requirement_text)}」）"
                        for i in corrected)  # fmt: skip
        paras.append(
            ("六、规则修正", f"办公室已修正以下条目的材料要求，请按修正后的要求准备材料：{said}。")
        )
    for head, body in paras:
        p = d.add_paragraph()
        p.paragraph_format.space_before = Pt(6)
        p.paragraph_format.first_line_indent = Pt(24)
        r = p.add_run(head + "　")
        r.bold = True
        p.add_run(body)
    with atomic_write(target, protect=rubric.path) as tmp:
        d.save(str(tmp))
    return target
