"""The families of rubric wording the parser used to misread (issue 19), as a measured corpus.

Each case is a sentence written for this file in the style of other units' rubrics (文明单位,
文明校园, 党支部考核 tables, volunteer rules; several taken from public 考核细则), with the rules
it must give, its summary and whether it needs a person (`needs_review`). The whole table is
the corpus measured in the issue's closing note: exact matches, and "wrong and not flagged"
(a case whose rules differ and whose parse does not say it needs a person), which must be none.
"""

from __future__ import annotations

import pytest
from test_parser import case, check_phrase, sig

from wenming_xl.rules.explain import explain
from wenming_xl.rules.parser import parse_requirement

CAPS = [
    case("cap-bracket", "获市级表彰的奖2分（封顶2分）", ["bonus 2 per=None cap=2"]),
    case("cap-top-word", "每篇稿件加0.5分，封顶2分", ["bonus 0.5 per=篇 cap=2"]),
    case("cap-highest", "获评先进集体的奖励3分，最高加5分", ["bonus 3 per=None cap=5"]),
    case(
        "cap-alone",
        "本项加分累计最多不超过10分，超出部分按10分计算",
        ["bonus None per=None cap=10"],
    ),
    case("cap-limit", "加分上限为6分", ["bonus None per=None cap=6"]),
    case(
        "cap-over-counted-as",
        "加分最多不超过15分，超过的按15分计算",
        ["bonus None per=None cap=15"],
    ),
    case("cap-full", "每人次加1分，加满3分为止", ["bonus 1 per=人次 cap=3"]),
]

RANGES = [
    case("range-bonus", "视工作成效加1-3分", ["bonus 1..3 per=None cap=None"], review=True),
    case(
        "range-per-person",
        "成绩优秀或受到表扬人员，每人次加1-5分",
        ["bonus 1..5 per=人次 cap=None"],
        review=True,
    ),
    case("range-deduct", "每发现一例扣1-2分", ["deduction 1..2 per=例 req=None"], review=True),
    case(
        "range-deduct-half",
        "记录不规范的扣0.5-1分",
        ["deduction 0.5..1 per=None req=None"],
        review=True,
    ),
    case(
        "range-unequal", "台账缺失的扣2至3分不等", ["deduction 2..3 per=None req=None"], review=True
    ),
    case("range-tilde", "未按时报送的扣3~5分", ["deduction 3..5 per=None req=None"], review=True),
]

FREQUENCIES = [
    case(
        "freq-three-meetings",
        "每年召开党员大会4次；每月召开支委会1次；每季度一次党课",
        [
            "groups 大会 4 [] freq=1年×4",
            "groups 支委会 12 [] freq=1月×1",
            "groups 党课 4 [] freq=1季度×1",
        ],
        (0, 20, 0, 0, ""),
        True,
    ),
    case(
        "freq-study-and-seminar",
        "每月至少1次集中学习、每季度1次专题研讨",
        ["groups 集中学习 12 [] freq=1月×1", "groups 专题研讨 4 [] freq=1季度×1"],
        (0, 16, 0, 0, ""),
        True,
    ),
    case(
        "freq-subject-first",
        "党员大会每季度至少一次，支委会每月一次，党课每季度一次",
        [
            "groups 大会 4 [] freq=1季度×1",
            "groups 支委会 12 [] freq=1月×1",
            "groups 党课 4 [] freq=1季度×1",
        ],
        (0, 20, 0, 0, ""),
        True,
    ),
    case(
        "freq-two-years",
        "每两年开展1次党员轮训",
        ["groups 党员轮训 1 [] freq=2年×1"],
        (0, 1, 0, 0, ""),
        True,
    ),
    case(
        "freq-year",
        "每年至少组织一次学习交流",
        ["groups 交流 1 [] freq=1年×1"],
        (0, 1, 0, 0, ""),
    ),
    case(
        "freq-half-year",
        "每半年上一次党课",
        ["groups 党课 2 [] freq=1半年×1"],
        (0, 2, 0, 0, ""),
        True,
    ),
    case(
        "freq-photos",
        "每月开展一次志愿服务活动，每次活动照片不少于2张",
        ["groups 活动 12 [count 照片 image 2.. 张] freq=1月×1"],
        (24, 12, 2, 0, ""),
        True,
    ),
    case(
        "freq-documents",
        "每季度报送工作信息不少于2篇",
        ["count 信息 document 8.. 篇 freq=1季度×2"],
        (0, 0, 0, 8, ""),
        True,
    ),
]

ALTERNATIVES = [
    case(
        "alt-districts",
        "各区开展宣讲不少于30场，各开发区不少于20场",
        ["alternative [groups 宣讲 30 []] | [groups 活动 20 []]"],
        (0, 20, 0, 0, ""),
        True,
    ),
    case(
        "alt-towns",
        "各县（市、区）每年举办培训不少于4次；各乡镇（街道）每年不少于2次",
        ["alternative [groups 培训 4 [] freq=1年×4] | [groups 活动 2 [] freq=1年×2]"],
        (0, 2, 0, 0, ""),
        True,
    ),
]

NOUNS = [
    case(
        "noun-after-unit",
        "提交3份读后感（附学习照片）",
        ["count 读后感 document 3.. 份", "count 照片 image 1.. 张"],
        (1, 0, 0, 3, ""),
    ),
    case(
        "noun-after-piece",
        "撰写观后感2篇，并附活动照片",
        ["count 观后感 document 2.. 篇", "count 照片 image 1.. 张"],
        (1, 0, 0, 2, ""),
    ),
    case("noun-before-posters", "在公示栏张贴公益广告2幅", ["count 公益广告 other 2.. 幅"]),
    case("noun-posters-alone", "宣传海报4幅", ["count 宣传海报 other 4.. 幅"]),
    case("noun-desk", "为志愿服务站配备一张办公桌", ["count 办公桌 other 1.. 张"]),
]

COPIES_AND_SIZES = [
    case(
        "copies-three",
        "报送典型案例3-5篇，书面材料一式三份",
        ["count 案例 document 3..5 篇", "attribute 一式3份"],
        (0, 0, 0, 3, ""),
    ),
    case(
        "copies-articles",
        "8-10篇书面文稿一式两份",
        ["count 书面文稿 document 8..10 篇", "attribute 一式2份"],
        (0, 0, 0, 8, ""),
    ),
    case(
        "size-inch",
        "上传一寸照片和三张生活照片",
        ["count 照片 image 1.. 张", "count 照片 image 3.. 张"],
        (4, 0, 0, 0, ""),
    ),
    case(
        "size-two-inch", "提供近期免冠二寸照片两张", ["count 照片 image 2.. 张"], (2, 0, 0, 0, "")
    ),
]

NOT_REQUIREMENTS = [
    case("weight-methods", "材料审核占60%，实地考察占40%", [], review=True),
    case("weight-of-total", "问卷调查结果按30%计入总分", [], review=True),
    case("score-rate", "上年度测评得分率为70.1%", [], review=True),
    case("reward-money", "对获评单位给予1万元至3万元奖励", [], review=True),
    case(
        "words-note",
        "提交心得体会1篇，300字以上",
        ["count 心得体会 document 1.. 篇", "threshold 心得体会字数 >= 300 字"],
        (0, 0, 0, 1, ""),
    ),
    case(
        "words-approx",
        "撰写读书笔记，1500字左右",
        ["count 笔记 document 1.. 份", "threshold 读书笔记字数 >= 1500 字"],
        (0, 0, 0, 1, ""),
    ),
    case(
        "age-in-metric",
        "35周岁以下青年志愿者占比不低于20%",
        ["threshold 35周岁以下青年志愿者占比 >= 20 %"],
    ),
    case("age-excluded", "16岁以下未成年人不参与评选", [], review=True),
    case("age-alone", "年满18周岁", [], review=True),
    case("score-rate-bare", "参评单位得分率92.5%", [], review=True),
    case("age-with-metric", "志愿者年龄不超过65周岁", ["threshold 志愿者年龄 <= 65 周岁"]),
]

UPPER_BOUNDS = [
    case(
        "upper-share",
        "获奖人数不超过学生数5%",
        ["threshold 获奖人数占学生数 <= 5 %"],
    ),
    case(
        "upper-longest",
        "每次志愿活动最长为2小时",
        ["threshold 每次志愿活动 <= 2 小时"],
    ),
    case("upper-only", "每个支部只能推荐1人", ["threshold 每个支部推荐 <= 1 人"]),
    case("upper-shortest", "每次培训最短为1小时", ["threshold 每次培训 >= 1 小时"]),
]

RESPECTIVELY = [
    case(
        "resp-short",
        "获国家、省、市级表彰的分别加8、6、4分",
        ["bonus 8,6,4 per=None cap=None highest"],
    ),
    case(
        "resp-two",
        "被评为省级、市级示范点的分别加5、3分",
        ["bonus 5,3 per=None cap=None highest"],
    ),
    case(
        "resp-deduct",
        "被国家、省、市通报批评的分别扣3、2、1分",
        ["deduction 3 per=None req=None levels=3,2,1"],
        review=True,
    ),
    case(
        "resp-unmapped",
        "获国家、省、市级表彰的分别加8、6分",
        ["bonus 8,6 per=None cap=None highest"],
        review=True,
    ),
]

STRAYS = [
    case(
        "stray-two-kinds",
        "上传两类活动的照片，每类活动照片不少于五张",
        ["groups 类 2 [count 照片 image 5.. 张]"],
        (10, 2, 5, 0, ""),
    ),
    case(
        "stray-listed-parts",
        "上传3-5张精选照片：①集体照②活动照③特写",
        ["count 照片 image 3..5 张"],
        (3, 0, 0, 0, ""),
    ),
    case(
        "stray-same-noun",
        "上传活动照片，照片不少于4张",
        ["count 照片 image 4.. 张"],
        (4, 0, 0, 0, ""),
    ),
]

FAMILIES = (
    CAPS
    + RANGES
    + FREQUENCIES
    + ALTERNATIVES
    + NOUNS
    + COPIES_AND_SIZES
    + NOT_REQUIREMENTS
    + UPPER_BOUNDS
    + RESPECTIVELY
    + STRAYS
)
#: The texts alone (for scripts/bench: average parse time per phrase).
PHRASES = [p.values[0] for p in FAMILIES]


@pytest.mark.parametrize("text,rules,summary,review", FAMILIES)
def test_family(text, rules, summary, review):
    check_phrase(text, rules, summary, review)


def measure(cases) -> tuple[int, int, int]:
    """(cases, exact, wrong and not flagged) of a table of cases."""
    exact = unflagged = 0
    for p in cases:
        text, rules, _summary, review = p.values
        req = parse_requirement(text)
        if [sig(r) for r in req.rules] == rules and req.needs_review is review:
            exact += 1
        elif [sig(r) for r in req.rules] != rules and not req.needs_review:
            unflagged += 1
    return len(cases), exact, unflagged


def test_no_wrong_rule_goes_unflagged():
    _n, _exact, unflagged = measure(FAMILIES)
    assert unflagged == 0


# --------------------------------------------------------------------------- explanations

EXPLAINED = [
    ("每篇稿件加0.5分，封顶2分", "每篇加0.5分，最多加2分"),
    ("本项加分累计最多不超过10分，超出部分按10分计算", "加分最多10分，超过按10分计"),
    ("视工作成效加1-3分", "加1至3分（由考核人员评定）"),
    ("台账缺失的扣2至3分不等", "扣2至3分（由考核人员评定）"),
    ("获国家、省、市级表彰的分别加8、6、4分", "加8分、6分、4分（按最高一项计）"),
    ("每半年上一次党课", "党课每半年1次，考核期内至少2次"),
    ("提交3份读后感（附学习照片）", "至少3份读后感；至少1张照片"),
    ("提交心得体会1篇，300字以上", "心得体会字数不少于300字"),
    ("获奖人数不超过学生数5%", "获奖人数占学生数不超过5%"),
    ("每个支部只能推荐1人", "每个支部推荐不超过1人"),
    ("最长为2小时", "时长不超过2小时"),
    ("不超过学生数5%", "占学生数不超过5%"),
    ("报送典型案例3-5篇，书面材料一式三份", "纸质材料一式3份"),
    (
        "各区开展宣讲不少于30场，各开发区不少于20场",
        "按单位类型分别要求：各区至少30次宣讲；各开发区",
    ),
]


@pytest.mark.parametrize("text,words", EXPLAINED)
def test_explanation_says_the_same_thing(text, words):
    assert words in explain(parse_requirement(text))


def _all_texts() -> list[str]:
    from test_parser import ALL
    from test_parser_wording import WORDING

    return [p.values[0] for p in ALL + WORDING + FAMILIES]


def test_the_explanation_asks_a_person_exactly_when_needs_review_is_set():
    for text in _all_texts():
        req = parse_requirement(text)
        said = explain(req)
        assert ("需人工确认" in said or "人工核对" in said) is req.needs_review, (text, said)


def test_explanations_have_no_doubled_units_or_empty_metrics():
    bad = re_compile(r"[0-9](个个|部部|张张|份份|篇篇|次次)|数值(不低于|超过|不超过|低于)")
    for text in _all_texts() + ["每位班子成员联系1个", "拍摄微电影1部", "300字以上"]:
        said = explain(parse_requirement(text))
        assert not bad.search(said), (text, said)


def re_compile(pattern: str):
    import re

    return re.compile(pattern)


# --------------------------------------------------------------------------- the period

PERIODS = [
    ("每月召开支委会1次", 12, 12, False),
    ("每月召开支委会1次", 6, 6, False),
    ("每季度一次党课", 6, 2, False),
    ("每年召开党员大会4次", 6, 2, False),
    ("每年召开党员大会3次", 6, 2, True),  # 1.5 over half a year: rounded up, for a person
    ("每两年开展1次党员轮训", 24, 1, False),
    ("每两年开展1次党员轮训", 12, 1, True),
    ("每周更新1次宣传栏内容", 12, 52, False),
]


@pytest.mark.parametrize("text,months,need,review", PERIODS)
def test_a_frequency_is_a_count_over_the_period(text, months, need, review):
    req = parse_requirement(text, months=months)
    [rule] = req.rules
    assert rule["min"] == need
    assert req.needs_review is review
