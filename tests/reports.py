"""A realistic `Report` built by hand, and the task workbook it was "checked" from.

For tests of the writers (scored workbook, dashboard, notices, mail) that need a full
report without running the reader, parser and scorer. Use::

    from reports import sample_report, write_task_workbook

    src = write_task_workbook(tmp_path / "任务分工.xlsx", extras=True)
    report = sample_report(src)

The table mirrors seed 001 (sheet 「任务分工」, title merged over row 1, header on row 2,
columns 创建项目 / 工作清单 / 分值 / 牵头部门 / 材料上传及说明 / 人工确认) and holds:

- category 一 (cap 16, items 1–4 on rows 3–6, sum 20): met, partial, missing, review;
- category 二 (cap 8, items 5–7 on rows 7–9, sum 10, scored 9 → capped at 8);
- 加分项目 (cap 3, items 8–9, bonus 3) and 扣分项目 (items 10–11, one occurrence: −3);
- departments 党建办, 工会, 团委, 医务科, 护理部, 办公室; findings of many codes with
  sheet!cell and file locations, one not tied to an item, texts with ``& < >`` and a newline.

Totals: total 15 of max_total 24 (7 + 8 + bonus 3 − deductions 3). ``ROWS`` maps each item
number to its worksheet row. ``extras=True`` adds an image, a comment, a data-validation
list on 人工确认 and a ``ledger_rows``-row 佐证台账 sheet.
"""

from __future__ import annotations

import io
from fractions import Fraction
from pathlib import Path
from typing import Optional

from wenming_xl.model import (
    BASE,
    BONUS,
    DEDUCTION,
    MET,
    MISSING,
    NA,
    PARTIAL,
    REVIEW,
    Category,
    CategoryResult,
    DepartmentResult,
    Finding,
    Item,
    ItemResult,
    Location,
    Report,
    Rubric,
)

SHEET = "任务分工"
LEDGER = "佐证台账"
HEADER_ROW = 2
HEADERS = ["创建项目", "工作清单", "分值", "牵头部门", "材料上传及说明", "人工确认"]
CAT1 = "一、年度精神文明建设重点任务（16分）"
CAT2 = "二、文明单位创建常态化工作（8分）"
CAT_BONUS = "三、加分项目（3分）"
CAT_DEDUCT = "四、扣分项目"

#: (no, category, text, points, departments, requirement, kind, status, score)
# fmt: off
ITEMS = [
    (1, CAT1, "学习贯彻习近平新时代中国特色社会主义思想，开展理论宣讲活动。", 4, ["党建办"],
     "上传学习实践照片（2张）、主题宣讲活动照片（2张）。", BASE, MET, 4),
    (2, CAT1, "积极参与属地文明城市创建。", 4, ["党建办"],
     "不少于2次活动，每次活动3张图片，注明时间地点及活动主题。", BASE, PARTIAL, 3),
    (3, CAT1, "深入开展“礼让斑马线、聚餐用公筷”等十大文明行动。", 6, ["党建办", "工会", "团委"],
     "不少于3类活动，每类活动不少于3张图片。", BASE, MISSING, 0),
    (4, CAT1, "推进家庭家教家风建设。", 6, ["党建办", "工会"],
     "上报市文明办有关材料pdf版本（红头）。", BASE, REVIEW, 0),
    (5, CAT2, "常态化开展志愿服务活动。", 4, ["团委"], "上传活动照片不少于4张。", BASE, MET, 4),
    (6, CAT2, "举办道德讲堂。", 4, ["工会"], "上传活动照片不少于2张。", BASE, MET, 4),
    (7, CAT2, "开展文明科室创建。", 2, ["医务科", "护理部"], "上传创建照片不少于4张。", BASE, PARTIAL, 1),
    (8, CAT_BONUS, "承办市级以上文明创建活动。", 3, ["党建办"], "承办3分、协办1分。", BONUS, MET, 3),
    (9, CAT_BONUS, "志愿服务项目获奖。", 2, ["团委"], "上传获奖文件。", BONUS, PARTIAL, 1),
    (10, CAT_DEDUCT, "发生违反社会公德行为。", -3, ["办公室"], "每次扣3分。", DEDUCTION, NA, -3),
    (11, CAT_DEDUCT, "被媒体曝光负面事件。", -2, ["办公室"], "每次扣2分。", DEDUCTION, NA, 0),
]
# fmt: on
#: item number → worksheet row.
ROWS = {no: HEADER_ROW + i for i, (no, *_rest) in enumerate(ITEMS, 1)}
CATEGORIES = [  # name, cap, kind, score
    (CAT1, 16, BASE, 7),
    (CAT2, 8, BASE, 8),
    (CAT_BONUS, 3, BONUS, 3),
    (CAT_DEDUCT, None, DEDUCTION, -3),
]


def write_task_workbook(
    path: Path, *, extras: bool = False, ledger_rows: int = 0, sheet: str = SHEET
) -> Path:
    """Write the sample task table with openpyxl; ``extras`` adds image, comment, validation."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    last = len(HEADERS)
    ws.cell(1, 1, "绍兴市中医院2022年度文明单位创建工作任务及责任分工").font = Font(
        bold=True, size=16
    )
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    thin = Side(style="thin")
    for c, h in enumerate(HEADERS, 1):
        cell = ws.cell(HEADER_ROW, c, h)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="BDD7EE")
        cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for no, cat, text, points, depts, req, *_ in ITEMS:
        r = ROWS[no]
        ws.cell(r, 1, cat)
        ws.cell(r, 2, f"{no}.{text}").alignment = Alignment(wrap_text=True)
        ws.cell(r, 3, f"{points}分")
        ws.cell(r, 4, "\n".join(depts))
        ws.cell(r, 5, req)
    for cat, *_ in CATEGORIES:
        rows = [ROWS[no] for no, c, *_ in ITEMS if c == cat]
        if len(rows) > 1:
            ws.merge_cells(start_row=min(rows), start_column=1, end_row=max(rows), end_column=1)
    for col, width in zip("ABCDEF", (22, 40, 8, 12, 40, 10)):
        ws.column_dimensions[col].width = width
    if extras:
        from openpyxl.drawing.image import Image
        from PIL import Image as PILImage

        buf = io.BytesIO()
        PILImage.new("RGB", (40, 30), (200, 30, 30)).save(buf, format="PNG")
        buf.seek(0)
        ws.add_image(Image(buf), f"B{ROWS[ITEMS[-1][0]] + 3}")
        ws["C3"].comment = Comment("分值以市文明办通知为准", "党建办")
        dv = DataValidation(type="list", formula1='"已确认,未确认"', allow_blank=True)
        ws.add_data_validation(dv)
        dv.add(f"F{HEADER_ROW + 1}:F{ROWS[ITEMS[-1][0]]}")
    if ledger_rows:
        led = wb.create_sheet(LEDGER)
        led.append(["条目", "部门", "日期", "地点", "主题", "类型", "数量", "路径", "备注"])
        for i in range(ledger_rows):
            led.append(
                [
                    i % 9 + 1,
                    "党建办",
                    f"2022-05-{i % 28 + 1:02d}",
                    "东双桥社区",
                    f"活动{i}",
                    "照片",
                    3,
                    "",
                    "已核对" if i % 7 == 0 else None,
                ]
            )
    wb.save(path)
    return path


def _finding(
    code: str,
    message: str,
    no=None,
    dept: Optional[str] = None,
    where: Optional[Location] = None,
    severity: str = "error",
) -> Finding:
    return Finding(
        code=code, message=message, item_no=no, department=dept, location=where, severity=severity
    )


def sample_findings(path: str) -> dict:
    """Findings by item number (None: not tied to an item); locations point into ``path``."""
    ledger = Location(path, LEDGER, "H12")
    return {
        2: [
            _finding(
                "group-too-few-images",
                "第2项：第2次活动（2022-05-03 东双桥社区）只有2张图片，要求每次3张，缺1张。",
                2,
                "党建办",
                ledger,
            ),
            _finding(
                "missing-annotation",
                "第2项：材料/02/活动二 未注明时间&地点<主题>，\n请在文件夹名中写明。",
                2,
                "党建办",
                Location("材料/02 文明城市创建/活动二"),
            ),
        ],
        3: [_finding("missing-evidence", "第3项：尚未上传任何佐证材料。", 3)],
        4: [
            _finding(
                "needs-review",
                "第4项：需人工确认红头；确认后在「人工确认」列填写“已确认”。",
                4,
                severity="warning",
            )
        ],
        5: [
            _finding(
                "near-duplicate-image",
                "第5项：IMG_2.jpg 与 IMG_1.jpg 疑似同一张照片，已计入，请人工确认。",
                5,
                "团委",
                Location("材料/05/IMG_2.jpg"),
                "warning",
            )
        ],
        6: [
            _finding(
                "declared-only",
                "第6项：台账第5行没有附文件路径，按填报数量2计入。",
                6,
                "工会",
                Location(path, LEDGER, "G5"),
                "info",
            )
        ],
        7: [_finding("too-few-images", "第7项：图片只有2张，要求至少4张，缺2张。", 7, "医务科")],
        9: [_finding("too-few-items", "第9项：获奖文件只有0份，要求至少1份，缺1份。", 9)],
        10: [
            _finding(
                "deduction-recorded",
                "第10项：记录扣分1次，扣3分。",
                10,
                "办公室",
                Location(path, SHEET, "F12"),
                "warning",
            )
        ],
        None: [
            _finding(
                "path-outside-root",
                "台账第9行：路径「../私人/照片.jpg」指向佐证材料目录之外，已拒绝读取。",
                None,
                None,
                Location("../私人/照片.jpg"),
            )
        ],
    }


def sample_report(path: Path, *, sheet: str = SHEET) -> Report:
    """The report of a check of the workbook written by `write_task_workbook`."""
    spath = str(path)
    found = sample_findings(spath)
    rubric = Rubric(
        path=spath,
        sheet=sheet,
        title="绍兴市中医院2022年度文明单位创建工作任务及责任分工",
        header_row=HEADER_ROW,
        columns={"category": 1, "text": 2, "points": 3, "departments": 4, "requirement": 5},
    )
    cats = {name: Category(name=name, cap=cap, kind=kind) for name, cap, kind, _ in CATEGORIES}
    results = []
    for no, cat, text, points, depts, req, kind, status, score in ITEMS:
        item = Item(
            no=no,
            text=text,
            category=cat,
            points=points,
            departments=list(depts),
            requirement_text=req,
            kind=kind,
            row=ROWS[no],
            location=Location(spath, sheet, f"B{ROWS[no]}"),
            occurrences=1 if no == 10 else (0 if kind == DEDUCTION else None),
        )
        cats[cat].items.append(item)
        rubric.items.append(item)
        res = ItemResult(
            item=item, findings=found.get(no, []), score=Fraction(score), status=status
        )
        if status == REVIEW:
            res.at_stake_review = Fraction(points)
        results.append(res)
    rubric.categories = list(cats.values())
    categories = [
        CategoryResult(
            name=name,
            kind=kind,
            cap=None if cap is None else Fraction(cap),
            points_sum=Fraction(cats[name].points_sum),
            score=Fraction(score),
        )
        for name, cap, kind, score in CATEGORIES
    ]
    depts: dict[str, DepartmentResult] = {}
    for res in results:
        for name in res.item.departments:
            d = depts.setdefault(name, DepartmentResult(name=name))
            d.items.append(res.item.no)
            d.findings += len(res.findings)
            if res.item.kind == DEDUCTION:
                continue
            d.base += 1
            d.met += res.status == MET
            d.score += res.score
            d.max += res.max_points
            d.at_stake += res.points_at_stake
    return Report(
        rubric=rubric,
        items=results,
        categories=categories,
        departments=list(depts.values()),
        findings=found[None],
        bonus=Fraction(3),
        deductions=Fraction(3),
        total=Fraction(15),
        max_total=Fraction(24),
        period="2022-05",
        generated_at="2022-05-31T09:00:00",
    )


def sample_history() -> list[dict]:
    """Three earlier months of totals, oldest first, in the shape `write_dashboard` takes."""
    return [
        {"month": "2022-03", "total": 8, "departments": {"党建办": 5, "工会": 2, "团委": 1}},
        {"month": "2022-04", "total": 11.5, "departments": {"党建办": 7, "工会": 4, "团委": 3}},
        {"month": "2022-05", "total": 15, "departments": {"党建办": 10, "工会": 6, "团委": 5}},
    ]
