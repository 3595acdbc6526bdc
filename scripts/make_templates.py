#!/usr/bin/env python3
"""Rebuild the 公文 (GB/T 9704-2012) Word templates from code.

Writes the default template shipped in the package (wenming_xl/templates/gongwen.docx)
and the editable copy users may change and pass with --template (docx_templates/gongwen.docx).
Run from the repository root:  .venv/bin/python scripts/make_templates.py
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wenming_xl.outputs.notices.template import build_template  # noqa: E402


def main() -> int:
    package_copy = build_template(ROOT / "wenming_xl" / "templates" / "gongwen.docx")
    editable = ROOT / "docx_templates" / "gongwen.docx"
    editable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(package_copy, editable)
    print(f"已生成：{package_copy}")
    print(f"已生成：{editable}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
