"""Benchmarks of issue 8: each case beside its baseline, whole processes, run alternately.

Usage (through ``scripts/bench``, which prepares the virtual environment)::

    scripts/bench                      # every case, full size
    scripts/bench --case evidence      # one case: ledger | evidence | camera | batch | parser | ready
    scripts/bench --quick              # sizes scaled down, fewer repeats (a smoke run)
    scripts/bench --case ledger --against main   # and `wenming check` of another commit beside it

Data are generated deterministically (fixed seeds) into a temp folder keyed by the
parameters, and reused by later runs. Each case and its baselines run alternately
``--repeat`` times; the table shows medians, ratios and peak memory (``ru_maxrss`` of
the process and its reaped children, from ``os.wait4``), and says per target 达标 or 未达标.
``--against REF`` adds, to the ledger, evidence, camera and batch cases, the same command run from the package
as it is at git commit REF (extracted with ``git archive``), both started the same way
(``python -m wenming_xl`` with PYTHONPATH on the tree), and to the ledger case a check
with pandas imported first: a change that made a check load pandas would show by that much.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
DATA = Path(tempfile.gettempdir()) / "wenming-bench"
AGAINST: dict[str, str] = {}  # --against: {"ref": REF, "tree": folder holding its package}

FULL = {"ledger_rows": 20000, "photos": 2000, "big": 16, "units": 300, "unit_rows": 300}
QUICK = {"ledger_rows": 2000, "photos": 120, "big": 3, "units": 12, "unit_rows": 60}


def wenming_cmd() -> list[str]:
    """The ``wenming`` command as users run it (the venv's entry point)."""
    exe = Path(PY).parent / "wenming"
    return [str(exe)] if exe.exists() else [PY, "-m", "wenming_xl"]


# --------------------------------------------------------------------------- running


#: Started once, small, before the bench grows: it runs each measured command as its child.
#: Linux carries a parent's resident size into a forked child's ``ru_maxrss`` (exec keeps
#: the high-water mark), so a child of the bench itself — holding generated data and
#: every run's output — would report the bench's size as its own peak.
_LAUNCHER = r"""
import json, os, subprocess, sys, time
def rchar(pid):
    try:
        with open(f"/proc/{pid}/io") as fh:
            return next(int(l.split()[1]) for l in fh if l.startswith("rchar:"))
    except (OSError, StopIteration, ValueError):
        return 0
for line in sys.stdin:
    cmd, cwd, out, err = json.loads(line)
    with open(out, "wb") as o, open(err, "wb") as e:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, cwd=cwd, stdout=o, stderr=e, stdin=subprocess.DEVNULL)
        if hasattr(os, "waitid"):  # exited, not reaped: its /proc/PID/io is still there
            os.waitid(os.P_PID, p.pid, os.WEXITED | os.WNOWAIT)
        t1 = time.perf_counter()
        read = rchar(p.pid)
        _pid, status, usage = os.wait4(p.pid, 0)
    print(json.dumps([t1 - t0, usage.ru_maxrss, read, os.waitstatus_to_exitcode(status)]), flush=True)
"""
_LAUNCH: list = []


def _launcher() -> subprocess.Popen:
    if not _LAUNCH:
        _LAUNCH.append(
            subprocess.Popen(
                [PY, "-c", _LAUNCHER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
            )
        )
    return _LAUNCH[0]


LAST_READ = [0]  # rchar of the last `run` (read before the process was reaped)


def run(cmd: list[str], cwd: Path | None = None) -> tuple[float, float, str]:
    """Run one whole process: (seconds, peak MB, stdout). Raises on a non-zero exit.

    The time is from start to exit (not reaping), the peak is the process's own
    ``ru_maxrss`` and `LAST_READ` its ``rchar`` with its reaped children's, all taken
    by the launcher (`_LAUNCHER`) whose child it is.
    """
    with tempfile.TemporaryDirectory() as tmp:
        out, err = Path(tmp) / "out", Path(tmp) / "err"
        launcher = _launcher()
        job = [[str(c) for c in cmd], str(cwd) if cwd else None, str(out), str(err)]
        launcher.stdin.write(json.dumps(job) + "\n")
        launcher.stdin.flush()
        elapsed, peak_kb, LAST_READ[0], code = json.loads(launcher.stdout.readline())
        text = out.read_bytes().decode("utf-8", "replace")
        if code != 0:
            sys.stderr.write(err.read_bytes().decode("utf-8", "replace")[-3000:])
            raise SystemExit(f"命令失败（退出码 {code}）：{' '.join(map(str, cmd))}")
    return elapsed, peak_kb / 1024.0, text


def alternate(cmds: dict[str, list[str]], repeat: int, before=None) -> dict[str, dict]:
    """Run every command once per round, ``repeat`` rounds; medians of time, max of memory."""
    times: dict[str, list[float]] = {k: [] for k in cmds}
    mems: dict[str, float] = dict.fromkeys(cmds, 0.0)
    outs: dict[str, list[str]] = {k: [] for k in cmds}
    reads: dict[str, list[int]] = {k: [] for k in cmds}
    for r in range(repeat):
        for name, cmd in cmds.items():
            if before:
                before(name)
            t, m, out = run(cmd)
            times[name].append(t)
            mems[name] = max(mems[name], m)
            outs[name].append(out)
            reads[name].append(LAST_READ[0])
        print(f"  第 {r + 1}/{repeat} 轮完成", file=sys.stderr)
    return {
        k: {
            "median": statistics.median(v),
            "mem": mems[k],
            "out": outs[k],
            "all": v,
            "read": statistics.median(reads[k]),
        }
        for k, v in times.items()
    }


# --------------------------------------------------------------------------- data


def cached_dir(name: str, params: dict, build) -> Path:
    """A folder of generated data, built once per parameter set (marked complete by .done)."""
    key = hashlib.sha1(repr(sorted(params.items())).encode()).hexdigest()[:10]
    folder = DATA / f"{name}-{key}"
    if (folder / ".done").exists():
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    t0 = time.perf_counter()
    print(f"==> 生成测试数据 {folder}", file=sys.stderr)
    # In a child process: this process must stay small, since a child's ru_maxrss starts
    # from its parent's high-water mark at fork.
    arg = json.dumps({"build": build.__name__, "folder": str(folder), "params": params})
    subprocess.run([PY, __file__, "--generate", arg], check=True)
    (folder / ".done").write_text("ok")
    print(f"    用时 {time.perf_counter() - t0:.1f} 秒", file=sys.stderr)
    return folder


PLACES = ["门诊大厅", "住院部", "党建办会议室", "东双桥社区", "府山街道", "工会活动室", "体育馆"]
THEMES = ["理论学习", "志愿服务", "文明劝导", "垃圾分类宣传", "主题宣讲", "义诊", "节日活动"]
DEPTS = ["党建办", "总务科", "工会", "医务科", "门诊办", "纪检监察室"]


def ledger_rows(n: int, seed: int) -> list[list]:
    """``n`` declared 佐证台账 rows (no paths) for items 1–33 of the 2022 table."""
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        day = f"2022-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
        kind = rnd.choice(["照片", "照片", "照片", "截图", "文件"])
        rows.append(
            [
                rnd.randint(1, 33),
                rnd.choice(DEPTS),
                day,
                rnd.choice(PLACES),
                f"{rnd.choice(THEMES)}（第{i + 1}次）",
                kind,
                rnd.randint(1, 4),
                "",
            ]
        )
    return rows


LEDGER_HEADER = ["条目", "部门", "日期", "地点", "主题", "类型", "数量", "备注"]


def build_ledger_case(folder: Path, rows: int) -> None:
    """The 2022 table with a ``rows``-row 佐证台账 sheet added (written once with openpyxl)."""
    import openpyxl

    from wenming_xl.runs.sample import sample_table

    wb = openpyxl.load_workbook(sample_table())
    ws = wb.create_sheet("佐证台账")
    ws.append(LEDGER_HEADER)
    for row in ledger_rows(rows, 8):
        ws.append(row)
    wb.save(folder / "任务分工-台账.xlsx")


def build_linked_ledger_case(folder: Path, rows: int) -> None:
    """The same ledger with a 路径 column whose every cell is a hyperlink (「点击查看」)."""
    import openpyxl

    from wenming_xl.runs.sample import sample_table

    wb = openpyxl.load_workbook(sample_table())
    ws = wb.create_sheet("佐证台账")
    ws.append(LEDGER_HEADER[:7] + ["路径"])
    for k, row in enumerate(ledger_rows(rows, 8)):
        ws.append(row[:7] + ["点击查看"])
        ws.cell(row=k + 2, column=8).hyperlink = f"https://pan.example.org/s/{k:06d}"
    wb.save(folder / "任务分工-台账链接.xlsx")


def _photo(args: tuple) -> None:
    """Write one distinct JPEG with EXIF DateTimeOriginal (textured like a real photo)."""
    from PIL import Image, ImageDraw

    path, seed, size, when, *camera = args
    w, h = size
    rnd = random.Random(seed)
    img = Image.new("RGB", (w, h), tuple(rnd.randrange(40, 220) for _ in range(3)))
    draw = ImageDraw.Draw(img)
    for _ in range(25):
        x0, y0 = rnd.randrange(0, w - 40), rnd.randrange(0, h - 40)
        x1, y1 = x0 + rnd.randrange(40, w // 2), y0 + rnd.randrange(40, h // 2)
        colour = tuple(rnd.randrange(0, 256) for _ in range(3))
        (draw.ellipse if rnd.random() < 0.5 else draw.rectangle)((x0, y0, x1, y1), fill=colour)
    sw, sh = w // 4, h // 4
    noise = Image.frombytes("RGB", (sw, sh), rnd.randbytes(sw * sh * 3))
    img = Image.blend(img, noise.resize((w, h), Image.Resampling.BILINEAR), 0.2)
    if camera:  # as a camera writes it: pixel size and a 160×120 thumbnail (issue 21)
        img.save(path, "JPEG", quality=85, exif=_camera_exif(when, img, img))
        return
    exif = Image.Exif()
    exif[0x0132] = when
    exif.get_ifd(0x8769)[0x9003] = when
    img.save(path, "JPEG", quality=85, exif=exif.tobytes())


def _camera_exif(when: str, img, shown) -> bytes:
    """A camera's EXIF for ``img``, whose thumbnail shows ``shown`` (stale when not ``img``)."""
    from PIL import Image

    sys.path.insert(0, str(ROOT / "tests"))
    from imgs import camera_exif

    small = shown.copy()
    small.thumbnail((160, 160), Image.Resampling.LANCZOS)
    return camera_exif(when, small, img.size)


def build_tree_case(folder: Path, photos: int, camera: bool = False) -> None:
    """Item/group evidence tree: ``photos`` distinct 1600×1200 JPEGs, 2 % copies, 2 % resized.

    ``camera``: the photos carry EXIF thumbnails, and besides the copies 1 % are resized
    by a phone (EXIF kept, thumbnail new), 1 % re-encoded without EXIF, and 0.25 %
    cropped by an editor that kept the original's thumbnail, each sent on again.
    """
    from PIL import Image

    from wenming_xl.runs.sample import sample_table

    shutil.copyfile(sample_table(), folder / "任务分工.xlsx")
    root = folder / "材料"
    rnd = random.Random(2)
    jobs, groups = [], []
    for k in range(photos):
        if k % 10 == 0:
            item = (k // 10) % 29 + 1
            day = f"2022-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
            g = root / f"{item:02d} 第{item}项" / f"{day} {rnd.choice(PLACES)} {rnd.choice(THEMES)}"
            g.mkdir(parents=True, exist_ok=True)
            groups.append(g)
        when = f"{day.replace('-', ':')} {9 + k % 10:02d}:00:00"
        jobs.append(
            (
                str(g / f"IMG_{k:05d}.jpg"),
                10_000 + k,
                (1600, 1200),
                when,
                *((True,) if camera else ()),
            )
        )
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(_photo, jobs, chunksize=8))
    extra = max(1, photos * 2 // 100)
    picks = rnd.sample(range(photos), 2 * extra)
    for n, k in enumerate(picks):
        src = Path(jobs[k][0])
        dst = rnd.choice(groups)
        if n < extra:  # exact copy elsewhere
            shutil.copyfile(src, dst / f"副本_{k:05d}.jpg")
            continue
        with Image.open(src) as opened:
            im = opened.copy()
        when = jobs[k][3]
        if not camera:  # resized copy
            im.resize((1200, 900)).save(dst / f"缩小_{k:05d}.jpg", "JPEG", quality=85)
        elif n < extra * 3 // 2:  # resized by a phone: EXIF kept, a new thumbnail
            small = im.resize((1200, 900))
            exif = _camera_exif(when, small, small)
            small.save(dst / f"缩小_{k:05d}.jpg", "JPEG", quality=85, exif=exif)
        elif n < extra * 15 // 8:  # sent through a chat program: re-encoded, no EXIF
            im.resize((1024, 768)).save(dst / f"转发_{k:05d}.jpg", "JPEG", quality=70)
        else:  # cropped, the original's thumbnail kept; the crop sent on without EXIF
            crop = im.crop((400, 300, 1600, 1200))
            exif = _camera_exif(when, crop, im)
            crop.save(dst / f"裁剪_{k:05d}.jpg", "JPEG", quality=85, exif=exif)
            crop.resize((800, 600)).save(dst / f"裁剪转发_{k:05d}.jpg", "JPEG", quality=80)


def build_camera_case(folder: Path, photos: int) -> None:
    """`build_tree_case` with camera photos (EXIF thumbnails) and more kinds of copies."""
    build_tree_case(folder, photos, camera=True)


def build_big_case(folder: Path, big: int) -> None:
    """``big`` phone-size photos (4000×3000) for the near-duplicate hashing comparison."""
    when = "2022:06:01 10:00:00"
    jobs = [(str(folder / f"big_{k}.jpg"), 50_000 + k, (4000, 3000), when) for k in range(big)]
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(_photo, jobs))


def build_units_case(folder: Path, units: int, rows: int) -> None:
    """``units`` unit folders, each the 2022 table + its own ``rows``-row ledger workbook."""
    import xlsxwriter

    from wenming_xl.runs.sample import sample_table

    for u in range(units):
        unit = folder / f"单位{u + 1:03d}"
        unit.mkdir()
        shutil.copyfile(sample_table(), unit / "任务分工.xlsx")
        wb = xlsxwriter.Workbook(str(unit / "佐证台账.xlsx"))
        ws = wb.add_worksheet("佐证台账")
        ws.write_row(0, 0, LEDGER_HEADER)
        for r, row in enumerate(ledger_rows(rows, 1000 + u), start=1):
            ws.write_row(r, 0, row)
        wb.close()


# --------------------------------------------------------------------------- cases

RESULTS: list[tuple[str, str, str, str]] = []  # (case, measure, value, target+verdict)
TABLE: list[tuple[str, str, float, float]] = []  # (case, run, median s, peak MB)
BYTES: list[tuple[str, str, float, float]] = []  # (case, run, median bytes read, share of tree)


def target(case: str, what: str, value: float, limit: float, higher: bool, fmt: str) -> None:
    """Record one target: ``value`` must be ≤ ``limit`` (or ≥ when ``higher``)."""
    ok = value >= limit if higher else value <= limit
    sign = "≥" if higher else "≤"
    RESULTS.append(
        (case, what, fmt.format(value), f"{sign} {fmt.format(limit)}  {'达标' if ok else '未达标'}")
    )


def record(case: str, res: dict, labels: dict[str, str]) -> None:
    for key, label in labels.items():
        TABLE.append((case, label, res[key]["median"], res[key]["mem"]))


def case_ledger(size: dict, repeat: int) -> None:
    folder = cached_dir("ledger", {"rows": size["ledger_rows"]}, build_ledger_case)
    wb = folder / "任务分工-台账.xlsx"
    linked = cached_dir("ledger-links", {"rows": size["ledger_rows"]}, build_linked_ledger_case)
    out = Path(tempfile.mkdtemp(prefix="wenming-bench-out-"))
    check = wenming_cmd() + ["check", "--out", str(out), "--json", "-", "--quiet"]
    cmds = {
        "check": check + [str(wb)],
        "links": check + [str(linked / "任务分工-台账链接.xlsx")],
        "calamine": [
            PY,
            "-c",
            "import sys\nfrom python_calamine import CalamineWorkbook\n"
            "wb = CalamineWorkbook.from_path(sys.argv[1])\n"
            "[wb.get_sheet_by_name(n).to_python() for n in wb.sheet_names]",
            str(wb),
        ],
        "openpyxl": [
            PY,
            "-c",
            "import sys, openpyxl\nwb = openpyxl.load_workbook(sys.argv[1])\nwb.save(sys.argv[2])",
            str(wb),
            str(out / "openpyxl-copy.xlsx"),
        ],
    }
    if AGAINST:
        args = ["check", "--out", str(out), "--json", "-", "--quiet", str(wb)]
        cmds["here"] = module_cmd(ROOT) + args
        cmds["ref"] = module_cmd(Path(AGAINST["tree"])) + args
        pre = "import sys, runpy, pandas\nsys.argv[0] = 'wenming'\nrunpy.run_module('wenming_xl', run_name='__main__', alter_sys=True)"
        cmds["pandas"] = module_cmd(ROOT)[:-2] + ["-c", pre] + args
    res = alternate(cmds, repeat)
    shutil.rmtree(out, ignore_errors=True)
    name = f"1 台账 {size['ledger_rows']} 行"
    if AGAINST:
        ref = AGAINST["ref"]
        record(
            name,
            res,
            {
                "here": "check（python -m，本分支）",
                "ref": f"check（python -m，{ref}）",
                "pandas": "check（先导入 pandas，参考）",
            },
        )
        here = res["here"]["median"]
        target(name, f"本分支 ÷ {ref}", here / res["ref"]["median"], 1.10, False, "{:.2f}×")
        target(
            name, "本分支 ÷ 先导入 pandas", here / res["pandas"]["median"], 1.0, False, "{:.2f}×"
        )
    record(
        name,
        res,
        {
            "check": "wenming check",
            "calamine": "calamine 读取",
            "openpyxl": "openpyxl 读写",
            "links": "check（每行一个超链接，参考）",
        },
    )
    chk = res["check"]["median"]
    target(name, "check ÷ calamine", chk / res["calamine"]["median"], 4.0, False, "{:.2f}×")
    target(name, "openpyxl ÷ check", res["openpyxl"]["median"] / chk, 8.0, True, "{:.2f}×")
    target(name, "峰值内存 MB", res["check"]["mem"], 300, False, "{:.0f}")


BASELINE_SCAN = """
import os, sys
from PIL import Image
for top, dirs, files in os.walk(sys.argv[1]):
    for name in files:
        with Image.open(os.path.join(top, name)) as im:
            date = im.getexif().get_ifd(0x8769).get(0x9003)
            im.draft("L", (64, 64))
            im.convert("L").resize((64, 64))
"""

HASH_SCRIPT = """
import sys, time
from PIL import Image
from wenming_xl.evidence.kinds import dhash
full = sys.argv[1] == "full"
t0 = time.perf_counter()
for path in sys.argv[2:]:
    with Image.open(path) as im:
        if full:
            im.load()  # whole-image decode: draft() then has nothing left to reduce
        dhash(im)
print(time.perf_counter() - t0)
"""


def case_evidence(size: dict, repeat: int) -> None:
    folder = cached_dir("tree", {"photos": size["photos"]}, build_tree_case)
    wb, root = folder / "任务分工.xlsx", folder / "材料"
    work = Path(tempfile.mkdtemp(prefix="wenming-bench-db-"))
    cold, warm = work / "cold.sqlite", work / "warm.sqlite"
    base = wenming_cmd() + ["check", str(wb), "--no-outputs", "--quiet", "--json", "-"]
    run(base + ["--evidence", str(root), "--db", str(warm)])  # fills the warm cache
    cmds = {
        "plain": base + ["--no-cache"],
        "first": base + ["--evidence", str(root), "--db", str(cold)],
        "rerun": base + ["--evidence", str(root), "--db", str(warm)],
        "baseline": [PY, "-c", BASELINE_SCAN, str(root)],
        "bare": [PY, "-c", "pass"],
    }
    if AGAINST:  # photos without EXIF thumbnails: the first scan beside the package at REF
        args = ["check", str(wb), "--no-outputs", "--quiet", "--json", "-", "--evidence"]
        cmds["here"] = module_cmd(ROOT) + args + [str(root), "--db", str(work / "cold-h.sqlite")]
        ref_db = str(work / "cold-r.sqlite")
        cmds["ref"] = module_cmd(Path(AGAINST["tree"])) + args + [str(root), "--db", ref_db]

    def before(name: str) -> None:
        for db in ("cold.sqlite", "cold-h.sqlite", "cold-r.sqlite"):
            (work / db).unlink(missing_ok=True)

    res = alternate(cmds, repeat, before)
    shutil.rmtree(work, ignore_errors=True)
    n = sum(1 for _ in root.rglob("*.jpg"))
    name = f"2 佐证文件夹 {n} 张"
    labels = {"plain": "check（无佐证）", "first": "check 首次", "rerun": "check 再次（缓存）"}
    record(name, res, labels | {"baseline": "基准脚本", "bare": "空解释器"})
    if AGAINST:
        ref = AGAINST["ref"]
        here = {"here": "check 首次（python -m，本分支）", "ref": f"check 首次（python -m，{ref}）"}
        record(name, res, here)
        ratio = res["here"]["median"] / res["ref"]["median"]
        target(name, f"首次用时：本分支 ÷ {ref}", ratio, 1.10, False, "{:.2f}×")
    med = {k: v["median"] for k, v in res.items()}
    scan, rescan = med["first"] - med["plain"], med["rerun"] - med["plain"]
    baseline = med["baseline"] - med["bare"]
    TABLE.append((name, "扫描成本：首次（check 首次 − 无佐证）", scan, 0))
    TABLE.append((name, "扫描成本：再次（check 再次 − 无佐证）", rescan, 0))
    TABLE.append((name, "扫描成本：基准（基准脚本 − 空解释器）", baseline, 0))
    target(name, "首次扫描 ÷ 基准", scan / baseline, 1.5, False, "{:.2f}×")
    target(name, "再次扫描 ÷ 首次扫描", max(rescan, 0) / scan, 0.10, False, "{:.1%}")
    target(name, "峰值内存 MB", max(res["first"]["mem"], res["rerun"]["mem"]), 200, False, "{:.0f}")

    big = cached_dir("big", {"big": size["big"]}, build_big_case)
    paths = sorted(str(p) for p in big.glob("*.jpg"))
    hashes = {
        "draft": [PY, "-c", HASH_SCRIPT, "draft"] + paths,
        "full": [PY, "-c", HASH_SCRIPT, "full"] + paths,
    }
    res = alternate(hashes, repeat)
    draft = statistics.median(float(x) for x in res["draft"]["out"])
    full = statistics.median(float(x) for x in res["full"]["out"])
    hname = f"2b 近似重复哈希 {len(paths)} 张 4000×3000"
    TABLE.append((hname, "缩小解码（draft）", draft, res["draft"]["mem"]))
    TABLE.append((hname, "完整解码", full, res["full"]["mem"]))
    target(hname, "完整 ÷ 缩小解码", full / draft, 2.0, True, "{:.2f}×")


def _findings(out: str) -> list[dict]:
    """Every finding of a ``check --json`` output: the report's and each item's."""
    doc = json.loads(out)
    return doc["findings"] + [f for item in doc["items"] for f in item.get("findings", [])]


def _planted(findings: list[dict]) -> tuple[int, int]:
    """(planted copies found against their own original, crops judged by their thumbnail)."""
    import re

    def key(path: str) -> tuple[str, str]:
        m = re.search(r"(副本|缩小|转发|裁剪转发|裁剪|IMG)_(\d+)", path or "")
        return (m.group(1), m.group(2)) if m else ("", "")

    found = wrong = 0
    for f in findings:
        if f["code"] not in ("duplicate-image", "near-duplicate-image"):
            continue
        (a, ka), (b, kb) = key(f["params"].get("path")), key(f["params"].get("original"))
        pair = {a, b}
        if ka == kb and pair in (
            {"副本", "IMG"},
            {"缩小", "IMG"},
            {"转发", "IMG"},
            {"裁剪", "裁剪转发"},
        ):
            found += 1
        elif ka == kb and pair == {"裁剪", "IMG"}:
            wrong += 1
    return found, wrong


def case_camera(size: dict, repeat: int) -> None:
    """Issue 21: bytes read and time of a first and a cached scan, beside a full-decode scan."""
    folder = cached_dir("camera", {"photos": size["photos"]}, build_camera_case)
    wb, root = folder / "任务分工.xlsx", folder / "材料"
    tree = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
    planted = sum(1 for p in root.rglob("*.jpg") if not p.name.startswith(("IMG", "裁剪_")))
    work = Path(tempfile.mkdtemp(prefix="wenming-bench-db-"))
    base = wenming_cmd() + ["check", str(wb), "--no-outputs", "--quiet", "--json", "-"]
    full = ["env", "WENMING_FULL_DECODE=1"]
    scan = base + ["--evidence", str(root), "--db"]
    run(scan + [str(work / "warm.sqlite")])  # fill the caches for the reruns
    run(full + scan + [str(work / "warm-full.sqlite")])
    cmds = {
        "plain": base + ["--no-cache"],
        "first": scan + [str(work / "cold.sqlite")],
        "rerun": scan + [str(work / "warm.sqlite")],
        "full-first": full + scan + [str(work / "cold-full.sqlite")],
        "full-rerun": full + scan + [str(work / "warm-full.sqlite")],
    }

    if AGAINST:  # the same first scan by the package at REF: "no slower than today's"
        args = ["check", str(wb), "--no-outputs", "--quiet", "--json", "-", "--evidence"]
        cmds["here"] = module_cmd(ROOT) + args + [str(root), "--db", str(work / "cold-h.sqlite")]
        ref_db = str(work / "cold-r.sqlite")
        cmds["ref"] = module_cmd(Path(AGAINST["tree"])) + args + [str(root), "--db", ref_db]

    def before(name: str) -> None:
        for cold in ("cold.sqlite", "cold-full.sqlite", "cold-h.sqlite", "cold-r.sqlite"):
            (work / cold).unlink(missing_ok=True)

    res = alternate(cmds, repeat, before)
    shutil.rmtree(work, ignore_errors=True)
    n = sum(1 for _ in root.rglob("*.jpg"))
    name = f"2c 相机照片 {n} 张（{tree / 1e9:.2f} GB）"
    labels = {
        "plain": "check（无佐证）",
        "first": "check 首次（缩略图）",
        "rerun": "check 再次（缓存）",
        "full-first": "check 首次（完整解码）",
        "full-rerun": "check 再次（完整解码，缓存）",
    }
    if AGAINST:
        labels |= {
            "here": "check 首次（python -m，本分支）",
            "ref": f"check 首次（python -m，{AGAINST['ref']}）",
        }
    record(name, res, labels)
    for key, label in labels.items():
        BYTES.append((name, label, res[key]["read"], res[key]["read"] / tree))
    if AGAINST:
        ratio = res["here"]["median"] / res["ref"]["median"]
        target(name, f"首次用时：本分支 ÷ {AGAINST['ref']}", ratio, 1.10, False, "{:.2f}×")
    med = {k: v["median"] for k, v in res.items()}
    target(name, "首次读取 ÷ 树字节", res["first"]["read"] / tree, 0.10, False, "{:.1%}")
    target(name, "再次读取 ÷ 树字节", res["rerun"]["read"] / tree, 0.01, False, "{:.2%}")
    target(name, "首次用时 ÷ 完整解码首次", med["first"] / med["full-first"], 1.0, False, "{:.2f}×")
    ratio = f"{med['rerun'] / med['full-rerun']:.2f}×"
    RESULTS.append((name, "再次用时 ÷ 完整解码再次", ratio, "—（无目标，仅供参考）"))
    quick = [_findings(o) for o in res["first"]["out"] + res["rerun"]["out"]]
    whole = [_findings(o) for o in res["full-first"]["out"]]
    same = all(json.dumps(q, sort_keys=True) == json.dumps(whole[0], sort_keys=True) for q in quick)
    RESULTS.append(
        (
            name,
            "结论与完整解码相同",
            "相同" if same else "不同",
            "相同  " + ("达标" if same else "未达标"),
        )
    )
    found, wrong = _planted(quick[0])
    target(name, "找到的预置副本", found, planted, True, "{:.0f}")
    target(name, "按过时缩略图误判的裁剪图", wrong, 0, False, "{:.0f}")


def case_batch(size: dict, repeat: int) -> None:
    params = {"units": size["units"], "rows": size["unit_rows"]}
    folder = cached_dir("units", params, build_units_case)
    out = Path(tempfile.mkdtemp(prefix="wenming-bench-batch-"))
    base = wenming_cmd() + ["batch", str(folder), "--quiet"]
    cmds = {
        "w2": base + ["--workers", "2", "--out", str(out / "汇总2.xlsx")],
        "w1": base + ["--workers", "1", "--out", str(out / "汇总1.xlsx")],
    }
    if AGAINST:
        args = ["batch", str(folder), "--quiet", "--workers", "2"]
        cmds["here"] = module_cmd(ROOT) + args + ["--out", str(out / "汇总h.xlsx")]
        cmds["ref"] = module_cmd(Path(AGAINST["tree"])) + args + ["--out", str(out / "汇总r.xlsx")]
    res = alternate(cmds, repeat)
    shutil.rmtree(out, ignore_errors=True)
    name = f"3 批量 {size['units']} 个单位"
    record(name, res, {"w2": "wenming batch 2 进程", "w1": "wenming batch 1 进程"})
    if AGAINST:
        ref = AGAINST["ref"]
        labels = {
            "here": "batch 2 进程（python -m，本分支）",
            "ref": f"batch 2 进程（python -m，{ref}）",
        }
        record(name, res, labels)
        here = res["here"]["median"]
        target(name, f"本分支 ÷ {ref}", here / res["ref"]["median"], 1.10, False, "{:.2f}×")
    target(name, "1 进程 ÷ 2 进程", res["w1"]["median"] / res["w2"]["median"], 1.7, True, "{:.2f}×")


def parser_phrases() -> list[str]:
    """Every phrase of the requirement tests' PHRASES lists (the phrase tables)."""
    sys.path[:0] = [str(ROOT / "tests" / "rules"), str(ROOT / "tests")]
    import test_parser
    import test_parser_families
    import test_parser_heldout
    import test_parser_wording

    return (
        list(test_parser.PHRASES)
        + list(test_parser_wording.PHRASES)
        + list(test_parser_families.PHRASES)
        + list(test_parser_heldout.PHRASES)
    )


def case_parser(size: dict, repeat: int) -> None:
    from wenming_xl.rules import parser as requirements

    phrases = parser_phrases()
    rounds, slowest = [], 0.0
    for _ in range(max(repeat, 3)):
        t0 = time.perf_counter()
        for text in phrases:
            t1 = time.perf_counter()
            requirements.parse_requirement(text)
            slowest = max(slowest, time.perf_counter() - t1)
        rounds.append((time.perf_counter() - t0) / len(phrases))
    per = statistics.median(rounds)
    TABLE.append((f"4 要求解析 {len(phrases)} 条", "平均每条（毫秒）", per * 1000, 0))
    target("4 要求解析", "平均每条", per * 1000, 1.0, False, "{:.3f} 毫秒")
    target("4 要求解析", "最慢一条", slowest * 1000, 50.0, False, "{:.1f} 毫秒")
    rnd = random.Random(19)
    long_texts = ["".join(rnd.choice(phrases) for _ in range(400))[:10_000] for _ in range(5)]
    t0 = time.perf_counter()
    for text in long_texts:
        requirements.parse_requirement(text)
    each = (time.perf_counter() - t0) / len(long_texts)
    TABLE.append(("4 要求解析 1万字", "每条（毫秒）", each * 1000, 0))
    RESULTS.append(("4 要求解析 1万字", "每条", f"{each * 1000:.0f} 毫秒", "—（不崩溃即可）"))


def case_ready(size: dict, repeat: int) -> None:
    """Case 5 (issue 20): ``binder`` and ``pack`` beside their check (module `bench_ready`)."""
    import bench_ready

    bench_ready.case_ready(size, repeat, sys.modules[__name__])


CASES = {
    "ledger": case_ledger,
    "evidence": case_evidence,
    "camera": case_camera,
    "batch": case_batch,
    "parser": case_parser,
    "ready": case_ready,
}


def _w(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _w(text))


def report() -> bool:
    print()
    print(_pad("用例", 34) + _pad("运行", 40) + _pad("中位数(秒)", 12) + "峰值内存(MB)")
    for case, label, sec, mem in TABLE:
        secs = f"{sec:.3f}" if sec else ""
        mems = f"{mem:.0f}" if mem else ""
        print(_pad(case, 34) + _pad(label, 40) + _pad(secs, 12) + mems)
    if BYTES:
        print()
        print(_pad("用例", 34) + _pad("运行", 40) + _pad("读取(MB)", 12) + "占树字节")
        for case, label, read, share in BYTES:
            print(_pad(case, 34) + _pad(label, 40) + _pad(f"{read / 1e6:.1f}", 12) + f"{share:.2%}")
    print()
    print(_pad("用例", 34) + _pad("指标", 26) + _pad("结果", 14) + "目标")
    for case, what, value, verdict in RESULTS:
        print(_pad(case, 34) + _pad(what, 26) + _pad(value, 14) + verdict)
    return all("未达标" not in r[3] for r in RESULTS)


def module_cmd(tree: Path) -> list[str]:
    """``python -m wenming_xl`` with the package of ``tree`` first on the path.

    Not ``PYTHONPATH=tree python -m``: ``-m`` puts the current folder before PYTHONPATH, so
    run from the project folder it would start this branch's package for every REF.
    """
    boot = (
        f"import runpy, sys; sys.path.insert(0, {str(tree)!r}); "
        "runpy.run_module('wenming_xl', run_name='__main__', alter_sys=True)"
    )
    return [PY, "-c", boot]


def checkout_ref(ref: str) -> Path:
    """The package as it is at git commit ``ref``, extracted once into the data folder."""
    git = ["git", "-C", str(ROOT)]
    sha = subprocess.run(
        [*git, "rev-parse", "--verify", f"{ref}^{{commit}}"], capture_output=True, text=True
    )
    if sha.returncode != 0:
        raise SystemExit(f"--against：找不到提交 {ref}（{sha.stderr.strip()}）")
    tree = DATA / f"src-{sha.stdout.strip()[:12]}"
    if not (tree / ".done").exists():
        shutil.rmtree(tree, ignore_errors=True)
        tree.mkdir(parents=True)
        archive = subprocess.run(
            [*git, "archive", sha.stdout.strip(), "wenming_xl"], capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
        (tree / ".done").write_text(ref)
    return tree


def compile_package() -> None:
    """Write the package's bytecode once, as ``pip install`` does on a user's machine.

    With PYTHONDONTWRITEBYTECODE set (CI images often set it) an editable install would
    otherwise recompile every module in every timed run.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    trees = [ROOT] + ([Path(AGAINST["tree"])] if AGAINST else [])
    cmd = [PY, "-m", "compileall", "-q", *(str(t / "wenming_xl") for t in trees)]
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)


class _ChineseHelp(argparse.HelpFormatter):
    """argparse's help with 「用法：」 instead of 「usage:」."""

    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, prefix or "用法：")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="wenming_xl 性能测试（与基准并排，交替运行）",
        formatter_class=_ChineseHelp,
        add_help=False,
    )
    ap._optionals.title = "选项"
    ap.add_argument("-h", "--help", action="help", help="显示本帮助并退出")
    ap.add_argument("--case", choices=[*CASES, "all"], default="all", help="只运行一个用例")
    ap.add_argument("--quick", action="store_true", help="缩小规模、减少轮数（冒烟测试）")
    ap.add_argument("--repeat", type=int, help="每个命令运行几轮（默认 5，--quick 为 1）")
    ap.add_argument(
        "--against",
        metavar="REF",
        help="台账、佐证、相机与批量用例中并排运行 git 提交 REF 的同一命令（如 main）",
    )
    ap.add_argument("--generate", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.generate:
        job = json.loads(args.generate)
        globals()[job["build"]](Path(job["folder"]), **job["params"])
        return 0
    _launcher()  # now, while this process is small (see _LAUNCHER)
    size = QUICK if args.quick else FULL
    repeat = args.repeat or (1 if args.quick else 5)
    print(
        f"机器：{os.cpu_count()} 核；Python {sys.version.split()[0]}；数据目录 {DATA}",
        file=sys.stderr,
    )
    if args.against:
        AGAINST.update(ref=args.against, tree=str(checkout_ref(args.against)))
    compile_package()
    for name, fn in CASES.items():
        if args.case in ("all", name):
            print(f"==> 用例 {name}", file=sys.stderr)
            fn(size, repeat)
    ok = report()
    if args.quick:
        print("\n--quick 是缩小规模的冒烟测试：目标按完整规模设定，上面的「达标/未达标」不作数。")
    else:
        print("\n全部达标。" if ok else "\n有未达标的目标。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
