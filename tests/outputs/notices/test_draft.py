"""A notice from a plain-text draft (`outputs.notices.draft`): what each line of a draft becomes."""

from __future__ import annotations

import datetime as dt

import pytest

from wenming_xl.config import SAMPLE, UnitProfile, parse_profile, tomllib
from wenming_xl.errors import ConfigError
from wenming_xl.outputs.notices.draft import notice_from_text

PROFILE = parse_profile(tomllib.loads(SAMPLE))


DRAFT = """\
绍市中医〔2022〕7号
关于开展2022年度“文明科室”
评选活动的通知
各科室：
为深化文明单位创建，决定开展“文明科室”评选活动。现将有关事项通知如下：
一、评选范围
全院各临床、医技和职能科室。
（一）思想建设好。认真学习贯彻党的二十大精神。
附件：1.文明科室申报表
2.文明科室评分细则
绍兴市中医院
二Ο一二年四月二日
（此件公开发布）
抄送：院领导，工会。
"""


def test_notice_from_text():
    n = notice_from_text(DRAFT, PROFILE)
    assert n.number == "绍市中医〔2022〕7号"
    assert n.title == "关于开展2022年度“文明科室”评选活动的通知"
    assert n.main_to == "各科室"
    assert n.body[0].startswith("为深化") and n.body[-1].startswith("（一）")
    assert n.attachments == ["文明科室申报表", "文明科室评分细则"]
    assert n.signer == "绍兴市中医院"
    assert n.date == dt.date(2012, 4, 2) and n.chinese_date
    assert n.note == "（此件公开发布）"
    assert n.cc == ["院领导", "工会"]


def test_notice_from_text_minimal_and_empty():
    n = notice_from_text(
        "# 关于放假的通知\n\n各科室：\n国庆放假七天。\n", UnitProfile(name="某中学")
    )
    assert (n.title, n.main_to, n.body, n.signer) == (
        "关于放假的通知",
        "各科室",
        ["国庆放假七天。"],
        "某中学",
    )
    with pytest.raises(ConfigError, match="空"):
        notice_from_text("\n \n", PROFILE)
