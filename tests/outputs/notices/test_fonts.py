"""The PDF conversion's own font substitutes (wenming_xl/data/fonts.conf) and doctor's word on them.

Rendered without the test suite's private fontconfig: what a user's ``--pdf`` gets.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys

import pytest

from wenming_xl.outputs.notices.gongwen import FONT_FS, FONT_HEI, FONT_KAI, FONT_XBS
from wenming_xl.outputs.notices.notice import Notice, write_notice
from wenming_xl.outputs.notices.pdf import (
    FONTS_CONF,
    convert_to_pdf,
    find_soffice,
    soffice_environment,
)
from wenming_xl.runs.doctor import HINT, check_fonts, font_substitutes

pdfplumber = pytest.importorskip("pdfplumber", reason="未安装 pdfplumber")
LINUX_FC = sys.platform.startswith("linux") and shutil.which("fc-match") is not None


def _installed() -> set[str]:
    out = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
    return {name.strip() for line in out.splitlines() for name in line.split(",")}


def test_conf_is_package_data_and_includes_the_system_config():
    assert FONTS_CONF.is_file()
    assert FONTS_CONF.parent.name == "data"  # setup.cfg ships wenming_xl/data/*
    assert "<include" in FONTS_CONF.read_text(encoding="utf-8")


@pytest.mark.skipif(not LINUX_FC, reason="fontconfig 只在 Linux 上检查")
def test_environment_names_the_conf_unless_the_user_set_one(monkeypatch, tmp_path):
    monkeypatch.delenv("FONTCONFIG_FILE", raising=False)
    assert soffice_environment()["FONTCONFIG_FILE"] == str(FONTS_CONF)
    own = str(tmp_path / "mine.conf")
    assert soffice_environment({"FONTCONFIG_FILE": own})["FONTCONFIG_FILE"] == own
    monkeypatch.setenv("FONTCONFIG_FILE", own)
    assert soffice_environment()["FONTCONFIG_FILE"] == own


@pytest.mark.skipif(not LINUX_FC, reason="fontconfig 只在 Linux 上检查")
def test_doctor_names_each_missing_official_font_and_its_substitute(monkeypatch):
    monkeypatch.delenv("FONTCONFIG_FILE", raising=False)
    installed = _installed()
    missing = [f for f in (FONT_XBS, FONT_FS, FONT_HEI, FONT_KAI) if f not in installed]
    subs = font_substitutes()
    assert sorted(subs) == sorted(missing)
    checks = check_fonts()
    if not missing:
        assert all(c.status != HINT for c in checks)
        return
    hint = next(c for c in checks if c.status == HINT)
    for name in missing:
        assert name in hint.title
        assert subs[name] and subs[name] in hint.title
    env = soffice_environment()
    for name in missing:  # what doctor says is what fontconfig gives LibreOffice
        got = subprocess.run(
            ["fc-match", "-f", "%{family[0]}", f"{name}:lang=zh-cn"],
            capture_output=True, text=True, env=env,
        ).stdout  # fmt: skip
        assert subs[name].startswith(got)
    if FONT_FS in missing:  # a serif body, never the default sans
        assert "Serif" in subs[FONT_FS] or "宋" in subs[FONT_FS]
    if FONT_XBS in missing:
        assert subs[FONT_XBS].endswith("Bold")


@pytest.mark.libreoffice
@pytest.mark.skipif(find_soffice() is None or not LINUX_FC, reason="需要 LibreOffice 和 fontconfig")
def test_pdf_uses_serif_title_and_body_and_sans_headings(monkeypatch, tmp_path):
    monkeypatch.delenv("FONTCONFIG_FILE", raising=False)
    installed = _installed()
    if "Noto Serif CJK SC" not in installed or "Noto Sans CJK SC" not in installed:
        pytest.skip("未安装 Noto CJK SC 字体")
    if {FONT_XBS, FONT_FS, FONT_HEI} & installed:
        pytest.skip("本机装有公文字体，不需要代用")
    notice = Notice(
        title="绍兴市中医院关于文明单位创建工作的通知",
        body=[
            "为推进文明单位创建工作，现将有关事项通知如下：",
            "一、工作目标",
            "全面提升职工文明素养。",
        ],
        mark="绍兴市中医院文件",
        number="绍市中医〔2022〕5号",
        main_to="各科室",
        signer="绍兴市中医院",
        date=dt.date(2022, 3, 1),
    )
    pdf = convert_to_pdf(write_notice(notice, tmp_path / "n.docx"), tmp_path)
    fonts: dict[str, set[str]] = {}
    with pdfplumber.open(str(pdf)) as doc:
        for c in doc.pages[0].chars:
            fonts.setdefault(c["text"], set()).add(c["fontname"])
    (title,) = fonts["于"]  # 「关于」 in the title only
    assert "Serif" in title and "Bold" in title
    (heading,) = fonts["目"]  # 「工作目标」
    assert "Sans" in heading
    (body,) = fonts["职"]  # 「职工」
    assert "Serif" in body and "Bold" not in body
