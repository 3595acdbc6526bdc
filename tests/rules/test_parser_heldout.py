"""A second corpus for issue 19, written after the parser's families were fixed and measured
once before any change was made for it: sentences from public 党支部考核细则, 文明创建量化细则 and
volunteer rules (several quoted in their own wording), and new sentences of each family.

Its first measurement is reported in the issue's closing note; what it taught was fixed by
mechanism, and it stays here as a regression table (helpers in test_parser.py).
"""

from __future__ import annotations

import pytest
from test_parser import case, check_phrase

PUBLIC = [
    case(
        "pub-three-meetings",
        "原则上支部大会每季度一次、支委会和党小组会每月召开一次，每半年上一次党课。",
        [
            "groups 大会 4 [] freq=1季度×1",
            "groups 支委会 12 [] freq=1月×1",
            "groups 党小组会 12 [] freq=1月×1",
            "groups 党课 2 [] freq=1半年×1",
        ],
        (0, 30, 0, 0, ""),
        True,
    ),
    case(
        "pub-study-point",
        "每月至少进行一次学习、内容符合要求且记录清晰得1分，否则不得分。",
        ["groups 学习 12 [] freq=1月×1", "points 1 covers=0"],
        (0, 12, 0, 0, ""),
        True,
    ),
    case(
        "pub-contacts",
        "公司党委委员联系1-2个基层党支部",
        ["count 基层党支部 other 1..2 个"],
    ),
    case(
        "pub-member-monthly",
        "党员每月至少1次到联系岗位参加活动",
        ["groups 活动 12 [] freq=1月×1"],
        (0, 12, 0, 0, ""),
        True,
    ),
    case(
        "pub-levels",
        "院级奖励加1分，市级奖励加2分，省级奖励加3分",
        [
            "bonus 1 per=None cap=None",
            "bonus 2 per=None cap=None",
            "bonus 3 per=None cap=None",
        ],
    ),
    case(
        "pub-meetings-deduct",
        "党员大会每季度至少一次，支委会每月一次，党小组会每月一次，党课每季度一次，未按要求召开-1分/项。",
        [
            "groups 大会 4 [] freq=1季度×1",
            "groups 支委会 12 [] freq=1月×1",
            "groups 党小组会 12 [] freq=1月×1",
            "groups 党课 4 [] freq=1季度×1",
            "deduction 1 per=项 req=None",
        ],
        (0, 32, 0, 0, ""),
        True,
    ),
    case(
        "pub-yearly-lecture",
        "支部书记每年为支部党员讲一次党课",
        ["groups 党课 1 [] freq=1年×1"],
        (0, 1, 0, 0, ""),
    ),
    case(
        "pub-posters",
        "平面类公益广告（含电子显示屏）达到10处以上为合格，每少一处扣2分。",
        ["count 平面类公益广告 other 10.. 处", "deduction 2 per=处 req=10"],
    ),
    case(
        "pub-longest",
        "每次志愿活动最长为2小时，活动时长可累加",
        ["threshold 每次志愿活动 <= 2 小时"],
    ),
    case(
        "pub-highest-level",
        "获得国家级荣誉的，一次性加100分；获得省级荣誉的，一次性加70分；获得市级荣誉的，一次性加50分。同一殊荣不同级别颁发的奖项仅按照最高级别计算加分分值。",
        [
            "bonus 100 per=None cap=None highest",
            "bonus 70 per=None cap=None highest",
            "bonus 50 per=None cap=None highest",
        ],
    ),
    case(
        "pub-per-person-range",
        "成绩优秀或受到表扬人员，每人次加1-5分。",
        ["bonus 1..5 per=人次 cap=None"],
        review=True,
    ),
    case(
        "pub-notes",
        "每次学习要有学习笔记，缺一篇扣2分。",
        ["deduction 2 per=篇 req=None"],
    ),
]

OWN = [
    case(
        "own-cap-per-article",
        "新闻宣传稿件被省级媒体采用的每篇加1分，本项最高加3分",
        ["bonus 1 per=篇 cap=3"],
    ),
    case(
        "own-festival-quarter",
        "开展“我们的节日”主题活动每季度不少于1次",
        ["groups 活动 4 [] freq=1季度×1"],
        (0, 4, 0, 0, ""),
        True,
    ),
    case(
        "own-term",
        "每学期召开家长会不少于1次",
        ["groups 家长会 2 [] freq=1学期×1"],
        (0, 2, 0, 0, ""),
        True,
    ),
    case(
        "own-weekly",
        "每周开展一次升旗仪式",
        ["groups 升旗仪式 52 [] freq=1周×1"],
        (0, 52, 0, 0, ""),
        True,
    ),
    case(
        "own-unit-kinds",
        "各市级文明单位不少于5次，各县级文明单位不少于3次",
        ["alternative [groups 活动 5 []] | [groups 活动 3 []]"],
        (0, 3, 0, 0, ""),
        True,
    ),
    case(
        "own-report-words",
        "提交调研报告1篇（3000字以上）",
        ["count 报告 document 1.. 篇", "threshold 报告字数 >= 3000 字"],
        (0, 0, 0, 1, ""),
    ),
    case("own-boards", "制作宣传展板6块", ["count 宣传展板 other 6.. 块"]),
    case("own-banners", "悬挂横幅2条", ["count 横幅 other 2.. 条"]),
    case(
        "own-articles",
        "撰写学习体会文章不少于2篇",
        ["count 文章 document 2.. 篇"],
        (0, 0, 0, 2, ""),
    ),
    case(
        "own-copies",
        "上报先进典型事迹材料一式两份",
        ["count 事迹材料 document 1.. 份", "attribute 一式2份"],
        (0, 0, 0, 1, ""),
    ),
    case("own-inch", "上传近期两寸免冠照片1张", ["count 照片 image 1.. 张"], (1, 0, 0, 0, "")),
    case(
        "own-hours",
        "志愿服务时长人均不少于20小时",
        ["threshold 志愿服务时长人均 >= 20 小时"],
    ),
    case("own-weight", "测评总分中，材料审核占40%", [], review=True),
    case("own-result", "上一轮测评得分为85分", [], review=True),
    case("own-reward", "对表现突出的个人给予500元奖励", [], review=True),
    case(
        "own-age-qualifier",
        "18周岁以上职工参与率达到90%",
        ["threshold 18周岁以上职工参与率 >= 90 %"],
    ),
    case(
        "own-share-of",
        "推荐人数不超过职工总数的3%",
        ["threshold 推荐人数占职工总数 <= 3 %"],
    ),
    case(
        "own-longest-not-over",
        "每次活动时长最长不超过3小时",
        ["threshold 每次活动时长 <= 3 小时"],
    ),
    case(
        "own-resp-reward",
        "获区级、市级、省级表彰的，分别奖励1分、2分、3分",
        ["bonus 1,2,3 per=None cap=None highest"],
    ),
    case("own-deduct-cap", "扣分累计不超过5分", [], review=True),
    case(
        "own-short-range",
        "每缺一次扣0.5-1分",
        ["deduction 0.5..1 per=次 req=None"],
        review=True,
    ),
    case("own-bonus-range", "视情况加0.5～1分", ["bonus 0.5..1 per=None cap=None"], review=True),
    case(
        "own-sharing",
        "开展读书分享会2场，每场照片不少于3张",
        ["groups 读书分享会 2 [count 照片 image 3.. 张]"],
        (6, 2, 3, 0, ""),
    ),
    case(
        "own-two-kinds-total",
        "上传活动照片，每类活动不少于3张，共两类",
        ["groups 类 2 [count 照片 image 3.. 张]"],
        (6, 2, 3, 0, ""),
    ),
    case(
        "own-colon-parts",
        "上传照片（3张以上）：会场全景、主席台、参会人员",
        ["count 照片 image 3.. 张"],
        (3, 0, 0, 0, ""),
    ),
    case(
        "own-design",
        "提供宣传海报设计稿1份",
        ["count 宣传海报设计稿 document 1.. 份"],
        (0, 0, 0, 1, ""),
    ),
]

#: A third table, written after the second was fixed and measured once before any change
#: for it (17 of 20 exact; the three misses — a 每-unit apart from its 加, 「申报表」, 「注明培训
#: 时间」 — were fixed by mechanism).
THIRD = [
    case("t-cap", "每条信息被采用加0.2分，累计最高1分", ["bonus 0.2 per=条 cap=1"]),
    case("t-cap2", "此项加分封顶5分", ["bonus None per=None cap=5"]),
    case("t-range", "根据完成情况扣1～3分", ["deduction 1..3 per=None req=None"], review=True),
    case("t-range-bonus", "表现突出的加2至5分", ["bonus 2..5 per=None cap=None"], review=True),
    case(
        "t-freq-month",
        "每月开展“主题党日”活动1次",
        ["groups 活动 12 [] freq=1月×1"],
        (0, 12, 0, 0, ""),
        True,
    ),
    case(
        "t-freq-year",
        "每年组织应急演练不少于2次",
        ["groups 演练 2 [] freq=1年×2"],
        (0, 2, 0, 0, ""),
    ),
    case(
        "t-freq-quarter-docs",
        "每季度提交工作简报1期",
        ["count 简报 document 4.. 期 freq=1季度×1"],
        (0, 0, 0, 4, ""),
        True,
    ),
    case("t-noun", "撰写心得3篇", ["count 心得 document 3.. 篇"], (0, 0, 0, 3, "")),
    case("t-noun2", "张贴宣传标语5幅", ["count 宣传标语 other 5.. 幅"]),
    case(
        "t-copies",
        "申报表一式四份",
        ["count 申报表 document 1.. 份", "attribute 一式4份"],
        (0, 0, 0, 1, ""),
    ),
    case("t-weight", "日常考核占70%，年终考核占30%", [], review=True),
    case("t-money", "每人发放慰问金500元", [], review=True),
    case("t-words", "征文不少于2000字", ["threshold 征文字数 >= 2000 字"]),
    case("t-upper", "参评人数不超过在职职工的10%", ["threshold 参评人数占在职职工 <= 10 %"]),
    case(
        "t-resp", "获省、市、县级表彰的分别加3、2、1分", ["bonus 3,2,1 per=None cap=None highest"]
    ),
    case(
        "t-stray",
        "上传活动照片，每次活动照片不少于3张，不少于4次",
        ["groups 活动 4 [count 照片 image 3.. 张]"],
        (12, 4, 3, 0, ""),
    ),
    case(
        "t-alt",
        "各县（市、区）不少于10场，各乡镇不少于3场",
        ["alternative [groups 活动 10 []] | [groups 活动 3 []]"],
        (0, 3, 0, 0, ""),
        True,
    ),
    case("t-age", "60周岁以上老人参与率不低于30%", ["threshold 60周岁以上老人参与率 >= 30 %"]),
    case(
        "t-plain",
        "上传培训照片不少于5张，注明培训时间",
        ["count 照片 image 5.. 张", "annotation 时间"],
        (5, 0, 0, 0, "时间"),
    ),
    case("t-minus", "台账不完整-0.5分", ["deduction 0.5 per=None req=None"]),
]

HELD_OUT = PUBLIC + OWN + THIRD
PHRASES = [p.values[0] for p in HELD_OUT]


@pytest.mark.parametrize("text,rules,summary,review", HELD_OUT)
def test_held_out(text, rules, summary, review):
    check_phrase(text, rules, summary, review)
