"""Bench case ``ready`` (issue 20): the binder and the upload pack beside the check they use.

On the evidence case's tree (2,000 distinct 1600×1200 photos, 40 exact copies, 40
resized copies: 2,080 files), whole processes, run alternately:

- ``wenming check`` with the scan cache warm (what both commands run first);
- ``wenming binder`` first (no earlier binder: every print copy made) and again (the
  print copies reused), one photo a page;
- ``wenming pack --max-image-kb 200`` first (every photo scaled under 200 KB) and again
  (the previous pack's files taken over).

The scan cache is the one beside the task table, as a user's is; it is filled once first.
`bench.py` imports this module and calls `case_ready` with itself as ``bench``.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

#: The image limit of the pack run (the tree's photos are about 320 KB).
PACK_LIMIT_KB = 200


def case_ready(size: dict, repeat: int, bench) -> None:
    """Time check, binder and pack on the 2,080-photo tree; rows into ``bench``'s tables."""
    folder = bench.cached_dir("tree", {"photos": size["photos"]}, bench.build_tree_case)
    wb, root = folder / "任务分工.xlsx", folder / "材料"
    work = Path(tempfile.mkdtemp(prefix="wenming-bench-ready-"))
    binder, pack = work / "迎检资料", work / "报送包"
    base = bench.wenming_cmd()
    shared = [str(wb), "--evidence", str(root), "--period", "2022", "--quiet"]
    bench.run(base + ["check", *shared, "--no-outputs"])  # fills the scan cache beside the table
    cmds = {
        "check": base + ["check", *shared, "--no-outputs"],
        "binder1": base + ["binder", *shared, "--out", str(binder)],
        "binder2": base + ["binder", *shared, "--out", str(binder)],
        "pack1": base + ["pack", *shared, "--out", str(pack), "--max-image-kb", str(PACK_LIMIT_KB)],
        "pack2": base + ["pack", *shared, "--out", str(pack), "--max-image-kb", str(PACK_LIMIT_KB)],
    }

    def before(name: str) -> None:
        if name == "binder1":
            shutil.rmtree(binder, ignore_errors=True)
        if name == "pack1":
            shutil.rmtree(pack, ignore_errors=True)

    res = bench.alternate(cmds, max(1, min(repeat, 3)), before)
    n = sum(1 for _ in root.rglob("*.jpg"))
    pages = _pages(binder)
    packed = sum(1 for p in pack.rglob("*") if p.is_file()) - 2  # less 报送清单 and the record
    mb = sum(p.stat().st_size for p in binder.glob("*.docx")) / 1e6
    shutil.rmtree(work, ignore_errors=True)
    name = f"5 迎检资料与上传包 {n} 张"
    labels = {
        "check": "check（缓存，两者先做的检查）",
        "binder1": f"binder 首次（{pages} 页，Word {mb:.0f} MB）",
        "binder2": "binder 再次（打印副本沿用）",
        "pack1": f"pack 首次（{packed} 个文件，≤{PACK_LIMIT_KB} KB）",
        "pack2": "pack 再次（沿用上次的文件）",
    }
    bench.record(name, res, labels)
    med = {k: v["median"] for k, v in res.items()}
    per = (med["binder1"] - med["check"]) / max(1, n) * 1000
    bench.TABLE.append((name, "binder 首次每张照片（毫秒，减去 check）", per, 0))
    bench.target(name, "binder 再次 ÷ 首次", med["binder2"] / med["binder1"], 0.5, False, "{:.1%}")
    bench.target(name, "pack 再次 ÷ 首次", med["pack2"] / med["pack1"], 0.10, False, "{:.1%}")
    peak = max(res["binder1"]["mem"], res["binder2"]["mem"])
    bench.target(name, "binder 峰值内存 MB", peak, 500, False, "{:.0f}")


def _pages(folder: Path) -> int:
    """Pages of the boxes the binder wrote, from the 总目录's own count (0 when absent)."""
    import re

    try:
        import docx
    except ImportError:
        return 0
    total = folder / "00 总目录.docx"
    if not total.is_file():
        return 0
    text = "\n".join(p.text for p in docx.Document(str(total)).paragraphs)
    m = re.search(r"共 \d+ 盒，(\d+) 页", text)
    return int(m.group(1)) if m else 0
