"""The requirement parser on other units' wording: bounds, nesting, numerals, units, notes,
scoring, noise — each phrase with its rules and summary (helpers in test_parser.py)."""

from __future__ import annotations

import pytest
from test_parser import NONE, TDZ, case, check_phrase

from wenming_xl.rules.parser import parse_requirement, review_attributes

BOUNDS = [
    case("bound-ge", "上传活动照片不少于5张", ["count 照片 image 5.. 张"], (5, 0, 0, 0, "")),
    case("bound-range", "提供照片3-5张", ["count 照片 image 3..5 张"], (3, 0, 0, 0, "")),
    case(
        "bound-range-wide",
        "提供会议记录2－3份",
        ["count 会议记录 document 2..3 份"],
        (0, 0, 0, 2, ""),
    ),
    case("bound-approx", "活动照片10张左右", ["count 照片 image 10.. 张 ~"], (10, 0, 0, 0, "")),
    case("bound-approx-pre", "上传照片约5张", ["count 照片 image 5.. 张 ~"], (5, 0, 0, 0, "")),
    case("bound-more", "提供10余张活动照片", ["count 照片 image 10.. 张 ~"], (10, 0, 0, 0, "")),
    case("bound-at-least", "上传照片至少3张", ["count 照片 image 3.. 张"], (3, 0, 0, 0, "")),
    case("bound-and-above", "上传照片3张及以上", ["count 照片 image 3.. 张"], (3, 0, 0, 0, "")),
    case("bound-above", "上传照片二十张以上", ["count 照片 image 20.. 张"], (20, 0, 0, 0, "")),
    case("bound-gt", "上传照片超过3张", ["count 照片 image 4.. 张"], (4, 0, 0, 0, "")),
    case("bound-sign-ge", "上传照片≥4张", ["count 照片 image 4.. 张"], (4, 0, 0, 0, "")),
    case("bound-sign-gt", "上传照片＞4张", ["count 照片 image 5.. 张"], (5, 0, 0, 0, "")),
    case("bound-not-below", "上传照片不低于6张", ["count 照片 image 6.. 张"], (6, 0, 0, 0, "")),
    case("bound-within", "上传照片6张以内", ["count 照片 image 1..6 张"], (1, 0, 0, 0, "")),
    case("bound-le", "上传照片不超过8张", ["count 照片 image 1..8 张"], (1, 0, 0, 0, "")),
    case("bound-lt", "上传照片少于10张", ["count 照片 image 1..9 张"], (1, 0, 0, 0, "")),
    case("bound-reach", "照片达到5张", ["count 照片 image 5.. 张"], (5, 0, 0, 0, "")),
    case("bound-bracket", "照片（2张）", ["count 照片 image 2.. 张"], (2, 0, 0, 0, "")),
    case(
        "bound-bracket-cn",
        "上传现场照片（不少于两张）",
        ["count 照片 image 2.. 张"],
        (2, 0, 0, 0, ""),
    ),
]

NESTING = [
    case(
        "nest-activity",
        "上传不少于2次活动的照片，每次活动不少于3张，注明时间、地点、主题。",
        [f"groups 活动 2 [count 照片 image 3.. 张; annotation {TDZ}]"],
        (6, 2, 3, 0, TDZ),
    ),
    case(
        "nest-festival",
        "上传不少于3个传统节日的活动图片，每个节日不少于2张",
        ["groups 节日 3 [count 图片 image 2.. 张]"],
        (6, 3, 2, 0, ""),
    ),
    case(
        "nest-each-only",
        "每类活动不少于3张图片",
        ["groups 类 1 [count 图片 image 3.. 张]"],
        (3, 1, 3, 0, ""),
    ),
    case(
        "nest-quarter",
        "每季度开展1次活动，每次上传照片不少于2张",
        ["groups 活动 4 [count 照片 image 2.. 张] freq=1季度×1"],
        (8, 4, 2, 0, ""),
        True,
    ),
    case(
        "nest-month",
        "每月开展一次主题活动，每次活动照片不少于3张",
        ["groups 活动 12 [count 照片 image 3.. 张] freq=1月×1"],
        (36, 12, 3, 0, ""),
        True,
    ),
    case(
        "nest-items",
        "开展2项主题活动，每项活动照片不少于2张",
        ["groups 活动 2 [count 照片 image 2.. 张]"],
        (4, 2, 2, 0, ""),
    ),
    case(
        "nest-cn",
        "上传不少于三次活动的照片，每次不少于两张",
        ["groups 活动 3 [count 照片 image 2.. 张]"],
        (6, 3, 2, 0, ""),
    ),
    case(
        "nest-circled",
        "①活动方案；②活动照片不少于3张；③活动总结",
        ["count 活动方案 document 1.. 份", "count 照片 image 3.. 张", "count 总结 document 1.. 份"],
        (3, 0, 0, 2, ""),
    ),
    case(
        "nest-numbered-lines",
        "1.活动方案\n2.实景照片不少于2张\n3.总结",
        ["count 活动方案 document 1.. 份", "count 照片 image 2.. 张", "count 总结 document 1.. 份"],
        (2, 0, 0, 2, ""),
    ),
    case("nest-outline-bracket", "（3）上传照片2张", ["count 照片 image 2.. 张"], (2, 0, 0, 0, "")),
    case(
        "nest-per-place",
        "每處張貼照片1張，注明具體位置",
        ["groups 处 1 [count 照片 image 1.. 张; annotation 位置]"],
        (1, 1, 1, 0, "位置"),
    ),
]

NUMBERS_AND_UNITS = [
    case("num-liang", "上传照片两张", ["count 照片 image 2.. 张"], (2, 0, 0, 0, "")),
    case("num-shi", "上传照片十张", ["count 照片 image 10.. 张"], (10, 0, 0, 0, "")),
    case("num-shier", "上传照片不少于十二张", ["count 照片 image 12.. 张"], (12, 0, 0, 0, "")),
    case("num-fullwidth", "上传照片１２张", ["count 照片 image 12.. 张"], (12, 0, 0, 0, "")),
    case("num-fraction", "党员参与率达三分之一以上", ["threshold 党员参与率 >= 33.33 %"]),
    case("num-percent-cn", "志愿者注册率百分之八十以上", ["threshold 志愿者注册率 >= 80 %"]),
    case("num-percent-sign", "注册志愿者比例≧50%", ["threshold 注册志愿者比例 >= 50 %"]),
    case("num-percent-above", "志愿者注册率80%以上", ["threshold 志愿者注册率 >= 80 %"]),
    case("unit-hours", "服务时长不少于24小时", ["threshold 服务时长 >= 24 小时"]),
    case("unit-minutes", "培训时长不少于30分钟", ["threshold 培训时长 >= 30 分钟"]),
    case("unit-area", "宣传栏面积不少于2平方米", ["threshold 宣传栏面积 >= 2 平方米"]),
    case("unit-chars", "心得体会不少于800字", ["threshold 心得体会字数 >= 800 字"]),
    case("unit-people", "组织职工参加，参加人数不少于50人", ["threshold 参加人数 >= 50 人"]),
    case("unit-rooms", "设置心理咨询室不少于 4 间", ["count 心理咨询室 other 4.. 间"]),
    case("unit-places", "设置宣传点不少于3处", ["count 宣传点 other 3.. 处"]),
    case("unit-items", "上传项目清单，不少于5项", ["count 清单 list 5.. 项"], (0, 0, 0, 5, "")),
    case("unit-pieces", "上传信息不少于3条", ["count 信息 document 3.. 条"], (0, 0, 0, 3, "")),
    case("unit-articles", "上传宣传报道2篇", ["count 报道 document 2.. 篇"], (0, 0, 0, 2, "")),
    case(
        "unit-video",
        "上传视频1段、照片3张",
        ["count 视频 video 1.. 段", "count 照片 image 3.. 张"],
        (3, 0, 0, 0, ""),
    ),
]

NOTES = [
    case(
        "annot-bracket",
        "上传活动照片（不少于3张），并注明活动时间、地点及主题",
        ["count 照片 image 3.. 张", f"annotation {TDZ}"],
        (3, 0, 0, 0, TDZ),
    ),
    case(
        "annot-title",
        "上传截图，显示作品标题及制作单位",
        ["count 截图 image 1.. 张", "annotation 标题,制作单位"],
        (1, 0, 0, 0, "标题,制作单位"),
    ),
    case(
        "annot-position",
        "上传宣传栏照片，标明具体位置",
        ["count 照片 image 1.. 张", "annotation 位置"],
        (1, 0, 0, 0, "位置"),
    ),
    case(
        "annot-people",
        "上传照片2张，注明时间、地点、参加人员",
        ["count 照片 image 2.. 张", "annotation 时间,地点,人员"],
        (2, 0, 0, 0, "时间,地点,人员"),
    ),
    case(
        "annot-shot-time",
        "上传照片，注明拍摄时间和地点",
        ["count 照片 image 1.. 张", "annotation 地点", "attribute 拍摄时间"],
        (1, 0, 0, 0, "地点"),
    ),
    case(
        "attr-unit-name",
        "上传照片，能体现单位名称",
        ["count 照片 image 1.. 张", "attribute 单位名称"],
        (1, 0, 0, 0, ""),
    ),
    case(
        "attr-doc-no",
        "上传会议纪要，要有文号",
        ["count 会议纪要 document 1.. 份", "attribute 文号"],
        (0, 0, 0, 1, ""),
    ),
    case(
        "attr-seal",
        "上传文件扫描件，需加盖单位公章",
        ["count 扫描件 document 1.. 份", "attribute 公章"],
        (0, 0, 0, 1, ""),
    ),
    case(
        "attr-stamp",
        "上传方案，须加盖印章",
        ["count 方案 document 1.. 份", "attribute 印章"],
        (0, 0, 0, 1, ""),
    ),
    case(
        "attr-this-year",
        "照片需为当年度拍摄，显示拍摄时间",
        ["attribute 当年", "attribute 拍摄时间"],
    ),
    case(
        "attr-red-head",
        "上传红头文件",
        ["attribute 红头", "count 文件 document 1.. 份"],
        (0, 0, 0, 1, ""),
    ),
    case(
        "attr-pdf",
        "提交PDF格式的总结报告",
        ["attribute pdf版本", "count 报告 document 1.. 份"],
        (0, 0, 0, 1, ""),
    ),
    case(
        "attr-scan",
        "上传工作计划（扫描件或图片）",
        ["count 工作计划 document 1.. 份", "attribute 扫描件"],
        (0, 0, 0, 1, ""),
    ),
    case(
        "attr-sign",
        "需附负责人签字的承诺书",
        ["attribute 签字", "count 承诺书 document 1.. 份"],
        (0, 0, 0, 1, ""),
    ),
]

SCORING = [
    case(
        "score-shortfall",
        "每年开展不少于4次志愿服务活动，每少一次扣0.5分",
        ["groups 活动 4 [] freq=1年×4", "deduction 0.5 per=次 req=4"],
        (0, 4, 0, 0, ""),
    ),
    case("score-bonus-cap", "每次加1分，最多不超过3分", ["bonus 1 per=次 cap=3"]),
    case("score-floor", "少一条扣4分，扣完为止", ["deduction 4 per=条 req=None floor"]),
    case(
        "score-articles",
        "上传党建信息不少于4篇，少一篇扣1分",
        ["count 信息 document 4.. 篇", "deduction 1 per=篇 req=4"],
        (0, 0, 0, 4, ""),
    ),
    case("score-levels", "承办5分、协办2分", ["bonus 5,2 per=None cap=None highest"]),
    case("score-found", "每发现一次扣2分", ["deduction 2 per=次 req=None"]),
    case("score-bare", "（2分）", ["points 2 covers="]),
    case(
        "score-segments",
        "上传照片3张（2分）；上传情况说明（1分）",
        [
            "count 照片 image 3.. 张",
            "points 2 covers=0",
            "count 情况说明 document 1.. 份",
            "points 1 covers=2",
        ],
        (3, 0, 0, 1, ""),
    ),
    case("score-range", "视情况扣1-3分", ["deduction 1..3 per=None req=None"], NONE, True),
    case(
        "score-deduction-cap", "每次扣1分，最多扣5分", ["deduction 1 per=次 req=None"], NONE, True
    ),
]

NOISE = [
    case(
        "noise-traditional",
        "上傳活動照片不少於3張，註明時間地點",
        ["count 照片 image 3.. 张", "annotation 时间,地点"],
        (3, 0, 0, 0, "时间,地点"),
    ),
    case("noise-spaces", "上传照片 不少于 4 张", ["count 照片 image 4.. 张"], (4, 0, 0, 0, "")),
    case("noise-doubled", "上传照片照片不少于于3张", ["count 照片 image 3.. 张"], (3, 0, 0, 0, "")),
    case(
        "noise-punct",
        "上传活动照片,不少于3张;注明时间",
        ["count 照片 image 3.. 张", "annotation 时间"],
        (3, 0, 0, 0, "时间"),
    ),
    case(
        "noise-brackets", "上传活动照片（不少于3张)", ["count 照片 image 3.. 张"], (3, 0, 0, 0, "")
    ),
    case(
        "noise-image-nouns",
        "上传实景图2张、封面图1张、截图3张",
        ["count 实景图 image 2.. 张", "count 封面图 image 1.. 张", "count 截图 image 3.. 张"],
        (6, 0, 0, 0, ""),
    ),
    case("noise-scan-image", "上传扫描图2张", ["count 扫描图 image 2.. 张"], (2, 0, 0, 0, "")),
    case(
        "noise-idioms",
        "上传照片，一次性上传，格式统一，一些细节一致",
        ["count 照片 image 1.. 张"],
        (1, 0, 0, 0, ""),
    ),
    case("noise-year", "2022年度上传照片3张", ["count 照片 image 3.. 张"], (3, 0, 0, 0, "")),
    case(
        "noise-year-range",
        "上传2021-2023年度规划",
        ["count 规划 document 1.. 份"],
        (0, 0, 0, 1, ""),
    ),
    case("noise-outline", "2.实景照片不少于2张", ["count 照片 image 2.. 张"], (2, 0, 0, 0, "")),
    case(
        "alt-or-provide",
        "上传照片2张，或提供情况说明1份",
        ["alternative [count 照片 image 2.. 张] | [count 情况说明 document 1.. 份]"],
        (0, 0, 0, 1, ""),
    ),
    case(
        "alt-or-upload",
        "上传活动照片不少于3张或上传新闻报道截图",
        ["alternative [count 照片 image 3.. 张] | [count 截图 image 1.. 张]"],
        (1, 0, 0, 0, ""),
    ),
    case("unparsed-bare", "3", [], NONE, True),
    case("unparsed-bound", "不少于3", [], NONE, True),
    case("unparsed-verb-only", "上传", [], NONE, True),
    case("evidence-generic", "上传相关佐证", ["count 佐证 document 1.. 份"], (0, 0, 0, 1, "")),
]

OTHER_UNITS = [
    case(
        "other-school-summary",
        "上传学校开展文明校园创建的总结1份、照片6张",
        ["count 总结 document 1.. 份", "count 照片 image 6.. 张"],
        (6, 0, 0, 1, ""),
    ),
    case(
        "other-class-groups",
        "上传班级文明公约照片，每个班级1张，不少于10个班级",
        ["groups 班级 10 [count 照片 image 1.. 张]"],
        (10, 10, 1, 0, ""),
    ),
    case(
        "other-branch",
        "每个支部上传照片不少于2张",
        ["groups 支部 1 [count 照片 image 2.. 张]"],
        (2, 1, 2, 0, ""),
    ),
    case(
        "other-each-then-total",
        "上传活动照片每次不少于3张，全年不少于4次",
        ["groups 活动 4 [count 照片 image 3.. 张] freq=1年×4"],
        (12, 4, 3, 0, ""),
    ),
    case(
        "other-lecture-hall",
        "开展道德讲堂活动不少于4次，每次上传照片2张并附简报",
        ["groups 活动 4 [count 照片 image 2.. 张]", "count 简报 document 1.. 份"],
        (8, 4, 2, 1, ""),
    ),
    case(
        "other-quarterly",
        "组织文明交通劝导志愿服务，每季度至少1次，上传活动照片及新闻报道",
        [
            "groups 活动 4 [] freq=1季度×1",
            "count 照片 image 1.. 张",
            "count 报道 document 1.. 份",
        ],
        (1, 4, 0, 1, ""),
        True,
    ),
    case(
        "other-each-listed",
        "上传宣传栏、公示牌照片各1张",
        ["count 照片 image 2.. 张"],
        (2, 0, 0, 0, ""),
    ),
    case(
        "other-each-nouns",
        "上传签到表、会议记录、照片各一份",
        ["count 签到表 list 1.. 份", "count 会议记录 document 1.. 份", "count 照片 image 1.. 份"],
        (1, 0, 0, 2, ""),
    ),
    case(
        "other-recent-years",
        "上传近三年获得的荣誉证书",
        ["count 证书 document 1.. 份"],
        (0, 0, 0, 1, ""),
    ),
    case("other-set", "上传相关制度文件1套", ["count 文件 document 1.. 套"], (0, 0, 0, 1, "")),
    case(
        "other-red-scan",
        "上传创建工作领导小组成立文件（红头文件扫描件）",
        ["count 文件 document 1.. 份", "attribute 红头"],
        (0, 0, 0, 1, ""),
    ),
    case(
        "other-video-length",
        "上传视频（时长不少于3分钟）",
        ["count 视频 video 1.. 段", "threshold 时长 >= 3 分钟"],
    ),
    case(
        "other-notes-words",
        "上传学习笔记不少于1万字",
        ["count 笔记 document 1.. 份", "threshold 学习笔记字数 >= 1 万字"],
        (0, 0, 0, 1, ""),
    ),
    case("other-range-cn", "上传照片两到三张", ["count 照片 image 2..3 张"], (2, 0, 0, 0, "")),
    case(
        "other-head-noun", "上传至少2篇信息稿件", ["count 稿件 document 2.. 篇"], (0, 0, 0, 2, "")
    ),
    case(
        "other-month-note",
        "上传学雷锋活动照片（3月份）",
        ["count 照片 image 1.. 张"],
        (1, 0, 0, 0, ""),
    ),
    case(
        "other-posted-places",
        "在显著位置张贴公益广告不少于5处，上传照片",
        ["count 公益广告 other 5.. 处", "count 照片 image 1.. 张"],
        (1, 0, 0, 0, ""),
    ),
    case(
        "other-yearly-plan",
        "上传本年度工作计划及总结",
        ["attribute 当年", "count 工作计划 document 1.. 份", "count 总结 document 1.. 份"],
        (0, 0, 0, 2, ""),
    ),
    case(
        "other-with-sign-in",
        "上传会议记录（含签到表）",
        ["count 会议记录 document 1.. 份"],
        (0, 0, 0, 1, ""),
    ),
    case(
        "other-video-material",
        "上传活动照片及视频资料",
        ["count 照片 image 1.. 张", "count 视频 video 1.. 段"],
        (1, 0, 0, 0, ""),
    ),
    case("other-image-material", "上传图片资料", ["count 图片 image 1.. 张"], (1, 0, 0, 0, "")),
    case(
        "other-quarter-bracket",
        "上传社区结对共建协议书、活动照片（每季度不少于1次活动）",
        ["count 协议书 document 1.. 份", "groups 活动 4 [count 照片 image 1.. 张] freq=1季度×1"],
        (4, 4, 1, 1, ""),
        True,
    ),
    case(
        "other-subset",
        "需上传照片不少于6张，其中室外3张",
        ["count 照片 image 6.. 张"],
        (6, 0, 0, 0, ""),
        True,
    ),
    case(
        "other-subset-groups",
        "上传活动照片（每次活动不少于3张，不少于2次），其中1次为户外活动",
        ["groups 活动 2 [count 照片 image 3.. 张]"],
        (6, 2, 3, 0, ""),
        True,
    ),
    case(
        "other-listing",
        "材料包括：照片3张、总结1份",
        ["count 照片 image 3.. 张", "count 总结 document 1.. 份"],
        (3, 0, 0, 1, ""),
    ),
    case(
        "other-bracket-each-first",
        "上传活动照片（每次活动不少于3张，不少于2次）",
        ["groups 活动 2 [count 照片 image 3.. 张]"],
        (6, 2, 3, 0, ""),
    ),
    case(
        "other-training",
        "上传培训签到表及培训照片（不少于2次培训，每次不少于2张）",
        ["count 签到表 list 1.. 份", "groups 培训 2 [count 照片 image 2.. 张]"],
        (4, 2, 2, 1, ""),
    ),
    case(
        "other-or-video",
        "上传照片不少于4张，或上传视频1段",
        ["alternative [count 照片 image 4.. 张] | [count 视频 video 1.. 段]"],
    ),
    case("other-vague", "按要求上传", [], NONE, True),
    case(
        "other-verb-then-note",
        "上传活动照片需注明时间地点",
        ["count 照片 image 1.. 张", "annotation 时间,地点"],
        (1, 0, 0, 0, "时间,地点"),
    ),
    case(
        "other-topic-note",
        "上传活动照片不少于3张，照片需注明时间",
        ["count 照片 image 3.. 张", "annotation 时间"],
        (3, 0, 0, 0, "时间"),
    ),
]

WORDING = BOUNDS + NESTING + NUMBERS_AND_UNITS + NOTES + SCORING + NOISE + OTHER_UNITS
#: The texts alone (for scripts/bench: average parse time per phrase).
PHRASES = [p.values[0] for p in WORDING]


@pytest.mark.parametrize("text,rules,summary,review", WORDING)
def test_wording(text, rules, summary, review):
    check_phrase(text, rules, summary, review)


# --------------------------------------------------------------------------- the API


def test_to_dict_shape():
    d = parse_requirement(
        "上传本单位参与文明城市创建的情况说明、参与活动现场图片（不少于2次活动，每次活动3张图片，注明时间地点及活动主题）。"
    ).to_dict()
    assert set(d) == {"text", "rules", "summary", "needs_review", "unparsed"}
    assert d["summary"] == {
        "min_images": 6,
        "min_groups": 2,
        "per_group_min_images": 3,
        "min_documents": 1,
        "annotations": ["时间", "地点", "主题"],
    }
    count, groups = d["rules"]
    assert {
        k: count[k] for k in ("kind", "object", "category", "min", "max", "unit", "approx")
    } == {
        "kind": "count",
        "object": "情况说明",
        "category": "document",
        "min": 1,
        "max": None,
        "unit": "份",
        "approx": False,
    }
    assert groups["kind"] == "groups" and groups["group"] == "活动" and groups["min"] == 2
    assert groups["points_each"] is None
    assert groups["each"][0]["kind"] == "count" and groups["each"][0]["min"] == 3
    assert groups["each"][1] == {
        "kind": "annotation",
        "fields": ["时间", "地点", "主题"],
        "source": "注明时间地点及活动主题",
    }


def test_review_attributes_need_a_person():
    req = parse_requirement(
        "上传单位年度精神文明建设工作计划等文件（扫描件或图片），需有单位的红头，加盖公章。"
    )
    assert review_attributes(req) == ["红头", "公章"]
    assert review_attributes(parse_requirement("上传活动照片不少于4张")) == []


def test_text_is_kept_as_given():
    text = "上傳照片 不少於 3 張"
    assert parse_requirement(text).text == text
    assert parse_requirement(None).text == ""


def test_long_text_is_handled():
    text = "上传活动照片不少于3张，注明时间地点；" * 400
    req = parse_requirement(text)
    assert req.summary["min_images"] == 1200
    assert not req.needs_review


@pytest.mark.parametrize(
    "text", ["1" * 5000, "一二三" * 2000, "1、" * 3000, "（" * 4000, "每少一次扣1分，" * 600]
)
def test_huge_and_repetitive_inputs_are_reported_not_raised(text):
    req = parse_requirement(text)
    assert not any("解析出错" in u for u in req.unparsed)
    assert req.needs_review == bool(req.unparsed)


@pytest.mark.parametrize(
    "text",
    [
        "加12345678901234567分",
        "承办（12345678901234567分）、协办（2分）",
        "扣12345678901234567分",
        "照片12345678901234567张",
        "每少一次扣12345678901234567分",
        "注册率达12345678901234567%",
    ],
)
def test_a_number_too_long_to_be_a_quantity_is_reported(text):
    req = parse_requirement(text)
    assert req.needs_review
    assert any("12345678901234567" in u for u in req.unparsed)
    assert not any("解析出错" in u for u in req.unparsed)
