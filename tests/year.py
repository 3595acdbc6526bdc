"""A year of a real office, filled the way busy departments fill their kits.

`fill_year(kits)` takes the folder `wenming kits` wrote for the 2022 table and fills it as
people do by June: 党建办 keeps its ledger and folders tidy; 工会 shares item 3, types 32 for
21, writes dates as 「5月3日」, 「2022年13月5日」 and 「昨天」, drops photos into its kit folder
without a ledger row and leaves a Windows copy 「工会-佐证台账 - 副本.xlsx」 behind; 团委 sends
its kit back untouched; 总务科 names its photos by place and has one activity from 2021.
It returns what each department did, for the test to compare the mail and scores with.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
from imgs import docx, jpeg

#: The contacts of the year: wenming.toml's [departments], as DESIGN §7a writes them.
CONTACTS = {
    "党建办": ("李主任", "djb@example.org"),
    "工会": ("王主席", "gh@example.org"),
    "团委": ("赵书记", "tw@example.org"),
    "总务科": ("钱科长", "zwk@example.org"),
    "护理部": ("孙主任", "hlb@example.org"),
    "门诊办": ("周主任", "mzb@example.org"),
    "纪检监察室": ("吴主任", "jjs@example.org"),
    "科教科": ("郑科长", "kjk@example.org"),
    "医务科": ("冯科长", "ywk@example.org"),
    "党政办": ("陈主任", "dzb@example.org"),
}


def write_profile(folder: Path) -> Path:
    """wenming.toml beside the task table: the unit, the period and every department's address."""
    lines = [
        "[unit]",
        'name = "绍兴市中医院"',
        'code = "绍市中医"',
        'period = "2022"',
        "",
        "[departments]",
    ]
    lines += [f'"{d}" = {{ head = "{h}", email = "{e}" }}' for d, (h, e) in CONTACTS.items()]
    path = folder / "wenming.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _folder(kits: Path, department: str, no: int) -> Path:
    """The kit's own folder for item ``no`` (「03 学习贯彻…」) in ``department``'s 佐证材料."""
    root = kits / f"{department}-佐证材料"
    [hit] = [p for p in root.iterdir() if p.is_dir() and p.name.split(" ")[0] == f"{no:02d}"]
    return hit


def _rows(book: Path, rows: list[tuple]) -> None:
    """Type ``rows`` (条目, 日期, 地点, 主题, 类型, 数量, 路径) into the kit's 佐证台账 from row 3."""
    wb = openpyxl.load_workbook(book)
    ws = wb["佐证台账"]
    for r, values in enumerate(rows, start=3):
        for col, value in zip("ACDEFGH", values):
            if value is not None:
                ws[f"{col}{r}"] = value
    wb.save(book)


def _photos(folder: Path, names: list[str], seed: int, taken: str | None) -> list[Path]:
    return [
        jpeg(folder / name, seed=seed + i, taken=taken, size=(64, 48))
        for i, name in enumerate(names)
    ]


def fill_year(kits: Path) -> dict[str, str]:
    """Fill the kits in ``kits`` as the departments did by the end of June 2022."""
    # 党建办: tidy. Item 3 one activity with 3 photos and a 情况说明; item 4 four photos; item 1
    # has a September photo that a June run must not count.
    f3 = _folder(kits, "党建办", 3)
    _photos(
        f3 / "2022-05-03 门诊楼 文明行为促进条例学习", ["1.jpg", "2.jpg", "3.jpg"], 10, "2022-05-03"
    )
    docx(f3 / "情况说明.docx", "党建办学习贯彻文明行为促进条例情况说明")
    f4 = _folder(kits, "党建办", 4)
    _photos(f4 / "2022-04-12 广场 迎亚运主题活动", ["a.jpg", "b.jpg", "c.jpg", "d.jpg"], 20, None)
    f1 = _folder(kits, "党建办", 1)
    _photos(f1 / "2022-03-01 会议室 学习实践", ["1.jpg", "2.jpg"], 30, "2022-03-01")
    _photos(f1 / "2022-09-08 礼堂 主题宣讲", ["1.jpg", "2.jpg"], 40, "2022-09-08")
    _rows(
        kits / "党建办-佐证台账.xlsx",
        [
            (3, "2022-05-03", "门诊楼", "文明行为促进条例学习", "照片", 3, None),
            (4, "2022-04-12", "广场", "迎亚运主题活动", "照片", 4, None),
        ],
    )

    # 工会: busy. Item 3 one activity with only 2 photos; the 关爱员工 photos of item 21 typed as
    # 32 (党建办's bonus item); dates without a year, impossible or in words; photos of item 22
    # put into the kit folder with no ledger row; a Windows copy of the ledger left behind.
    g3 = _folder(kits, "工会", 3)
    _photos(g3 / "读书会", ["1.jpg", "2.jpg"], 50, "2022-05-03")
    g21 = _folder(kits, "工会", 21)
    care = _photos(g21 / "慰问", ["慰问1.jpg", "慰问2.jpg"], 60, "2022-04-20")
    g22 = _folder(kits, "工会", 22)
    _photos(g22, ["职工书屋.jpg", "健身房.jpg"], 70, "2022-02-15")
    g23 = _folder(kits, "工会", 23)
    _photos(g23 / "健步走", ["1.jpg", "2.jpg", "3.jpg"], 80, None)
    _rows(
        kits / "工会-佐证台账.xlsx",
        [
            (
                3,
                "5月3日",
                "工会活动室",
                "读书会",
                "照片",
                2,
                "工会-佐证材料/" + f"{g3.name}/读书会",
            ),
            (
                32,
                "2022-04-20",
                "病区",
                "关爱员工慰问",
                "照片",
                2,
                str(care[0].parent.relative_to(kits)),
            ),
            (
                23,
                "2022年13月5日",
                "体育场",
                "健步走",
                "照片",
                3,
                str(g23.relative_to(kits)) + "/健步走",
            ),
            (23, "昨天", "工会活动室", "职工书画展", "照片", 1, None),
        ],
    )
    shutil.copy(kits / "工会-佐证台账.xlsx", kits / "工会-佐证台账 - 副本.xlsx")

    # 总务科: photos named by place (the name annotates them); item 31's activity is from 2021.
    z15 = _folder(kits, "总务科", 15)
    _photos(z15, ["食堂一楼.jpg", "食堂二楼.jpg", "职工餐厅.jpg"], 90, "2022-03-10")
    z31 = _folder(kits, "总务科", 31)
    _photos(z31 / "2021-12-20 爱心驿站", ["1.jpg", "2.jpg"], 100, "2021-12-20")
    # 团委 sends its kit back untouched; the others did nothing yet.
    return {"copy": "工会-佐证台账 - 副本.xlsx"}
