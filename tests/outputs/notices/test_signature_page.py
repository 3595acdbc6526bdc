"""GB/T 9704 §7.3.5: the page with the 署名 and 成文日期 also holds body text.

Notices whose body ends 0, 2 or 4 lines above the bottom of page 2 leave no room for
「附件：…」, 署名 and 成文日期 (five lines with the blank lines); rendered with LibreOffice,
the signature page must still carry the end of the body.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sys

import pytest
from where import FONTCONFIG

from wenming_xl.outputs.notices.layout import page_one_lines
from wenming_xl.outputs.notices.notice import Notice, break_title, write_notice
from wenming_xl.outputs.notices.pdf import convert_to_pdf, find_soffice

pdfplumber = pytest.importorskip("pdfplumber", reason="未安装 pdfplumber")
pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(
        find_soffice() is None
        or not sys.platform.startswith("linux")
        or not shutil.which("fc-list"),
        reason="需要 LibreOffice 和 fontconfig",
    ),
]

TITLE = "绍兴市中医院关于文明单位创建工作督查情况的通报"
LINES_PER_PAGE = 22
#: The closing paragraph: three lines at 28 characters a line (the first indented by two).
LAST = ("请各部门对照附件所列问题补齐佐证材料完成整改并及时更新佐证台账" * 3)[:77] + "督查结束。"


def _notice(free: int) -> Notice:
    """A notice whose body ends ``free`` lines above the bottom of page 2."""
    page1 = LINES_PER_PAGE - page_one_lines(len(break_title(TITLE, 20)))
    short = page1 + LINES_PER_PAGE - free - 3
    body = [f"（{i}）第{i}项工作已按计划完成。" for i in range(1, short + 1)]
    body.append(LAST)
    return Notice(
        title=TITLE,
        body=body,
        mark="绍兴市中医院文件",
        number="绍市中医〔2022〕5号",
        main_to="各科室",
        attachments=["2022年6月各部门创建任务存在问题清单"],
        signer="绍兴市中医院",
        date=dt.date(2022, 3, 1),
    )


@pytest.mark.parametrize("free", [0, 2, 4])
def test_signature_page_holds_body_text(tmp_path, free):
    notice = _notice(free)
    docx = write_notice(notice, tmp_path / f"n{free}.docx")
    pdf = convert_to_pdf(docx, tmp_path, env={"FONTCONFIG_FILE": str(FONTCONFIG)})
    with pdfplumber.open(str(pdf)) as doc:
        pages = [re.sub(r"\s", "", p.extract_text() or "") for p in doc.pages]
    assert len(pages) >= 2
    signed = [i for i, text in enumerate(pages) if "2022年3月1日" in text]
    assert signed, pages
    page = pages[signed[-1]]
    assert "附件：" in page and "绍兴市中医院" in page
    assert "督查结束。" in page, page  # the body's end came over with the signature
    assert "".join(pages).count("项工作已按计划完成") == len(notice.body) - 1  # nothing lost
