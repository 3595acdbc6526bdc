"""The embedded sample: the 2022 task table and a realistic evidence folder built on demand.

The evidence tree is written from an explicit plan (`PLAN`) so that every number in the
demo's report can be traced by a person from the folder to the score: mostly complete
items, a few shortfalls, an unannotated folder, a duplicate photo, a photo from the
wrong year, files that need a person's confirmation. Photos are real JPEGs with EXIF
DateTimeOriginal; documents are real DOCX, PDF and XLSX files.
"""

from __future__ import annotations

import datetime as _dt
import random
import shutil
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

SAMPLE_TABLE = "2022年度文明单位创建工作任务及责任分工.xlsx"


@dataclass
class G:
    """A group folder (one activity): date, words, photo count, and odd cases."""

    date: str | None
    words: str
    photos: int = 0
    screenshots: int = 0
    #: indexes of photos whose EXIF date is a year earlier (outside the period)
    old: tuple = ()


@dataclass
class P:
    """What one item folder holds."""

    title: str
    groups: list[G] = field(default_factory=list)
    docs: tuple = ()  # file names: .docx .pdf .xlsx
    loose_photos: int = 0
    #: copy the first photo of this item number's first group into this item's first group
    duplicate_from: int | None = None


#: The plan of the demo evidence folder, by item number of the 2022 table.
PLAN: dict[int, P] = {
    1: P(
        "理论宣讲",
        [G("2022-03-15", "党建办会议室 理论学习", 2), G("2022-04-20", "门诊大厅 主题宣讲", 2)],
    ),
    2: P(
        "文明城市创建",
        [G("2022-05-03", "东双桥社区 礼让斑马线", 3), G("2022-06-18", "府山街道 垃圾分类宣传", 2)],
        ("情况说明.docx",),
    ),
    3: P(
        "十大文明行动",
        [
            G("2022-04-08", "院内 聚餐用公筷", 3),
            G("2022-05-12", "越城区 随手做志愿", 3),
            G("2022-07-01", "病区 带走半瓶水", 3),
        ],
        ("情况说明.docx",),
    ),
    4: P("迎亚运", [G("2022-08-08", "体育馆 迎亚运讲文明", 4)]),
    5: P(
        "家庭家教家风", [G("2022-03-08", "工会活动室 写家书诵家训", 2)], ("文明家庭申报材料.pdf",)
    ),
    6: P("双千结对", [G("2022-01-20", "坝头山村 慰问困难户", 2)], ("结对共建协议扫描件.pdf",)),
    7: P(
        "越文明越风尚",
        [G("2022-06-10", "微信公众号 短视频传播", 0, 2), G("2022-09-15", "院内 文明风尚活动", 2)],
    ),
    8: P(
        "我们的节日",
        [
            G("2022-02-01", "春节 写春联送祝福", 2),
            G("2022-06-03", "端午 包粽子", 2),
            G("2022-09-10", "中秋 猜灯谜", 1),
        ],
    ),
    9: P(
        "道德模范",
        [G("2022-03-05", "门诊大厅 学雷锋志愿服务", 2), G("2022-05-20", "报告厅 身边好人宣讲", 2)],
        ("情况说明.docx",),
    ),
    10: P("荣誉牌匾", [G(None, "门诊楼一楼大厅 文明单位牌匾", 1)]),
    11: P("创建公示牌", [G(None, "住院部一楼 创建宣传栏", 1)]),
    12: P("创建主题宣讲", [G("2022-04-12", "报告厅 文明单位创建宣讲", 3)]),
    13: P(
        "公益广告",
        [G(None, "门诊楼 电子显示屏公益广告", 2), G(None, "南门广场 公益广告景观小品", 1)],
    ),
    14: P("文明提示语", [], loose_photos=2),
    15: P("文明餐桌", [G(None, "职工食堂 公勺公筷提示牌", 3)]),
    16: P(
        "光瓶行动 垃圾分类", [G(None, "门诊楼 光瓶行动标识", 2), G(None, "住院部 垃圾分类标识", 2)]
    ),
    17: P("精神文明建设工作计划", [], ("2022年精神文明建设工作计划.pdf",)),
    18: P(
        "党建加文明创建", [G("2022-05-04", "党员活动室 党建+文明创建", 2)], ("党建工作计划.pdf",)
    ),
    19: P(
        "结对走亲",
        [G("2022-04-22", "市人民医院 走亲交流", 2), G("2022-10-14", "市妇保院 走亲交流", 2)],
        ("活动简要说明.docx",),
    ),
    20: P(
        "诚信建设",
        [G("2022-03-15", "会议室 诚信主题教育", 1)],
        ("情况说明.docx",),
        duplicate_from=12,
    ),
    21: P("关爱员工", [G("2022-09-28", "职工之家 关爱活动", 1)], ("关爱员工工作说明.docx",)),
    22: P("文体设施", [G(None, "职工之家 图书阅览室", 2)]),
    23: P(
        "群众性文体活动",
        [G("2022-10-20", "体育馆 职工运动会", 3, old=(2,))],
        ("活动文字记录.docx",),
    ),
    24: P("志愿者注册", [], ("注册志愿者情况说明.docx", "注册志愿者名单.xlsx")),
    26: P(
        "创建信息报送",
        [G(None, "绍兴文明网 录用截图", 0, 1)],
        ("报送情况说明.docx", "报送信息清单.xlsx"),
    ),
    27: P(
        "疫情防控", [G("2022-04-02", "东双桥社区 核酸采样支援", 2)], ("参与疫情防控文字记录.docx",)
    ),
    28: P("公益事业", [], ("献血办证明.pdf",)),
    29: P("为民办实事", [G("2022-07-16", "坝头山村 义诊", 2)], ("为民办实事活动方案.docx",)),
    30: P("承办协办", [], ("承办协办情况说明.docx",)),
    31: P("爱心驿站", [G("2022-07-25", "门诊楼 爱心驿站", 2)]),
}

#: The period the demo checks against (one photo in item 23 is dated a year earlier).
PERIOD = "2022"


def sample_table() -> Path:
    """Path of the 2022 task table shipped inside the package."""
    return Path(str(resources.files("wenming_xl") / "data" / "sample_2022.xlsx"))


def _photo(path: Path, seed: int, when: _dt.datetime | None, png: bool = False) -> None:
    """Write a distinct real photo (JPEG with EXIF DateTimeOriginal) or a PNG screenshot."""
    from PIL import Image, ImageDraw

    rnd = random.Random(seed)
    img = Image.new("RGB", (640, 480), tuple(rnd.randrange(40, 220) for _ in range(3)))
    draw = ImageDraw.Draw(img)
    for _ in range(12):
        x0, y0 = rnd.randrange(0, 600), rnd.randrange(0, 440)
        x1, y1 = x0 + rnd.randrange(30, 300), y0 + rnd.randrange(30, 240)
        colour = tuple(rnd.randrange(0, 256) for _ in range(3))
        (draw.ellipse if rnd.random() < 0.5 else draw.rectangle)((x0, y0, x1, y1), fill=colour)
    if png:
        img.save(path, "PNG")
        return
    exif = Image.Exif()
    if when is not None:
        stamp = when.strftime("%Y:%m:%d %H:%M:%S")
        exif[0x0132] = stamp  # DateTime
        exif.get_ifd(0x8769)[0x9003] = stamp  # DateTimeOriginal
    img.save(path, "JPEG", quality=70, exif=exif.tobytes())


def write_pdf(path: Path, title: str) -> Path:
    """Write a minimal valid one-page PDF (ASCII title) with a correct xref table."""
    text = title.encode("ascii", "replace").decode()
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def _docx(path: Path, title: str) -> None:
    from docx import Document

    doc = Document()
    doc.core_properties.title = title
    doc.add_heading(title, level=1)
    doc.add_paragraph("（示例材料）本文件由 wenming demo 生成，用于演示佐证材料检查。")
    doc.save(str(path))


def _xlsx(path: Path, title: str) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("名单")
    ws.write_row(0, 0, ["序号", "姓名", "科室", "备注"])
    for i in range(1, 6):
        ws.write_row(i, 0, [i, f"职工{i}", "党建办", title])
    wb.close()


def build_evidence(root: Path, plan: dict[int, P] | None = None) -> Path:
    """Write the sample evidence folder under ``root`` (replacing an earlier one) and return it."""
    plan = PLAN if plan is None else plan
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    first_photo: dict[int, Path] = {}
    first_group: dict[int, Path] = {}
    seed = 1000
    for no, spec in sorted(plan.items()):
        item_dir = root / f"{no:02d} {spec.title}"
        item_dir.mkdir()
        for gi, grp in enumerate(spec.groups):
            name = f"{grp.date} {grp.words}" if grp.date else grp.words
            gdir = item_dir / name
            gdir.mkdir()
            first_group.setdefault(no, gdir)
            day = (
                _dt.datetime.strptime(grp.date, "%Y-%m-%d")
                if grp.date
                else _dt.datetime(2022, 6, 1)
            )
            for k in range(grp.photos):
                seed += 1
                when = day.replace(hour=9 + k)
                if k in grp.old:
                    when = when.replace(year=when.year - 1)
                p = gdir / f"IMG_{seed:04d}.jpg"
                _photo(p, seed, when)
                if gi == 0:
                    first_photo.setdefault(no, p)
            for k in range(grp.screenshots):
                seed += 1
                _photo(gdir / f"截图{k + 1}.png", seed, None, png=True)
        for k in range(spec.loose_photos):
            seed += 1
            _photo(item_dir / f"IMG_{seed:04d}.jpg", seed, _dt.datetime(2022, 6, 1, 10 + k))
        for doc in spec.docs:
            target = item_dir / doc
            if doc.endswith(".pdf"):
                write_pdf(target, f"item {no}")
            elif doc.endswith(".docx"):
                _docx(target, f"第{no}项 {spec.title} {Path(doc).stem}")
            elif doc.endswith(".xlsx"):
                _xlsx(target, Path(doc).stem)
    for no, spec in plan.items():
        if spec.duplicate_from in first_photo and no in first_group:
            src = first_photo[spec.duplicate_from]
            shutil.copyfile(src, first_group[no] / f"复制_{src.name}")
    return root


DEMO_PROFILE = """\
[unit]
name = "绍兴市中医院"
mark = "绍兴市中医院文件"
code = "绍市中医"
main_to = "各科室"
cc = ["绍兴市中医院工会委员会", "共青团绍兴市中医院委员会"]
printer = "绍兴市中医院党政综合办公室"

[departments]
"党建办" = { head = "示例负责人", email = "djb@example.org" }
"工会" = { head = "示例负责人", email = "gh@example.org" }
"团委" = { head = "示例负责人", email = "tw@example.org" }
"总务科" = { head = "示例负责人", email = "zwk@example.org" }
"门诊办" = { head = "示例负责人", email = "mzb@example.org" }
"医务科" = { head = "示例负责人", email = "ywk@example.org" }
"护理部" = { head = "示例负责人", email = "hlb@example.org" }
"纪检监察室" = { head = "示例负责人", email = "jjjcs@example.org" }
"科教科" = { head = "示例负责人", email = "kjk@example.org" }
"""


def prepare_demo(folder: Path) -> tuple[Path, Path]:
    """Copy the sample table and a unit profile into ``folder`` and build its evidence folder."""
    folder.mkdir(parents=True, exist_ok=True)
    table = folder / SAMPLE_TABLE
    shutil.copyfile(sample_table(), table)
    (folder / "wenming.toml").write_text(DEMO_PROFILE, encoding="utf-8")
    evidence = build_evidence(folder / "材料")
    return table, evidence
