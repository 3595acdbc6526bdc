"""The requirement parser on real phrases: every requirement of the seeds (2022 table, 2023
测评方法, 2012 扣分细则) and the item texts' own sub-scores; other units' wording is in
test_parser_wording.py.

Each case gives the text, its rules in a compact signature and its summary
(min_images, min_groups, per_group_min_images, min_documents, annotations).
"""

from __future__ import annotations

import pytest

from wenming_xl.model import Rule
from wenming_xl.rules.parser import parse_requirement


def _freq(d: dict) -> str:
    f = d.get("frequency")
    return f" freq={f['every']}{f['per']}×{f['times']}" if f else ""


def _pts(d: dict) -> str:
    if d.get("range"):
        lo, hi = d["range"]
        return f"{lo}..{hi}"
    p = d["points"]
    return ",".join(map(str, p)) if isinstance(p, list) else str(p)


def sig(r: Rule) -> str:
    d = r.data
    if r.kind == "count":
        mx = "" if d["max"] is None else d["max"]
        return (
            f"count {d['object']} {d['category']} {d['min']}..{mx} {d['unit']}"
            + (" ~" if d["approx"] else "")
            + _freq(d)
        )
    if r.kind == "groups":
        each = "; ".join(sig(x) for x in d["each"])
        pts = f" pts={d['points_each']}" if d["points_each"] is not None else ""
        return f"groups {d['group']} {d['min']} [{each}]{pts}" + _freq(d)
    if r.kind == "annotation":
        return "annotation " + ",".join(d["fields"])
    if r.kind == "attribute":
        return "attribute " + d["name"]
    if r.kind == "threshold":
        return f"threshold {d['metric']} {d['op']} {d['value']} {d['unit']}"
    if r.kind == "points":
        return f"points {d['points']} covers={','.join(map(str, d['covers']))}"
    if r.kind == "alternative":
        return "alternative " + " | ".join(
            "[" + "; ".join(sig(x) for x in o) + "]" for o in d["options"]
        )
    if r.kind == "deduction":
        levels = f" levels={','.join(map(str, d['levels']))}" if d.get("levels") else ""
        return f"deduction {_pts(d)} per={d['per']} req={d['required']}{levels}" + (
            " floor" if d["floor_zero"] else ""
        )
    if r.kind == "bonus":
        return f"bonus {_pts(d)} per={d['per']} cap={d['cap']}" + (
            " highest" if d["highest_only"] else ""
        )
    raise AssertionError(r.kind)


NONE = (0, 0, 0, 0, "")
TDZ = "时间,地点,主题"
C = pytest.param


def case(id, text, rules, summary=NONE, review=False):
    return C(text, rules, summary, review, id=id)


SEED_001 = [
    case(
        "001-01",
        "上传本单位进行学习实践（2张）、并进行主题宣讲活动的照片（2张）。",
        ["count 照片 image 2.. 张", "count 照片 image 2.. 张"],
        (4, 0, 0, 0, ""),
    ),
    case(
        "001-02",
        "上传本单位参与文明城市创建的情况说明、参与活动现场图片（不少于2次活动，每次活动3张图片，注明时间地点及活动主题）。",
        [
            "count 情况说明 document 1.. 份",
            f"groups 活动 2 [count 图片 image 3.. 张; annotation {TDZ}]",
        ],
        (6, 2, 3, 1, TDZ),
    ),
    case(
        "001-03",
        "上传单位开展活动的情况说明、活动图片（不少于3类活动，每类活动2分，每类活动不少于3张图片，注明时间地点及活动主题）。",
        [
            "count 情况说明 document 1.. 份",
            f"groups 类 3 [count 图片 image 3.. 张; annotation {TDZ}] pts=2",
        ],
        (9, 3, 3, 1, TDZ),
    ),
    case("001-04", "上传主题活动照片不少于4张。", ["count 照片 image 4.. 张"], (4, 0, 0, 0, "")),
    case(
        "001-05",
        "上传活动照片、上报市文明办有关材料pdf版本。",
        ["count 照片 image 1.. 张", "count 材料 document 1.. 份", "attribute pdf版本"],
        (1, 0, 0, 1, ""),
    ),
    case(
        "001-06",
        "上传结对共建文件（扫描件或图片）、活动现场图片（不少于2张）。",
        ["count 文件 document 1.. 份", "attribute 扫描件", "count 图片 image 2.. 张"],
        (2, 0, 0, 1, ""),
    ),
    case(
        "001-07",
        "上传被采用短视频截图（显示作品标题及制作单位）、传播截图（注明传播时间及载体）（2分）；上传家书录用截图佐证图片（2分）；上传传播文明理念、弘扬文明风尚相关活动照片（2分）。",
        [
            "count 截图 image 1.. 张",
            "annotation 标题,制作单位",
            "count 截图 image 1.. 张",
            "annotation 时间,载体",
            "points 2 covers=0,1,2,3",
            "count 图片 image 1.. 张",
            "points 2 covers=5",
            "count 照片 image 1.. 张",
            "points 2 covers=7",
        ],
        (4, 0, 0, 0, "标题,制作单位,时间,载体"),
    ),
    case(
        "001-08",
        "上传单位在不少于3个传统节日开展主题活动的现场图片（每个节日不少于2张图片）。",
        ["groups 节日 3 [count 图片 image 2.. 张]"],
        (6, 3, 2, 0, ""),
    ),
    case(
        "001-09",
        "上传单位开展活动的情况说明、活动图片（不少于2类活动，每类不少于2张，注明时间地点及活动主题）。",
        [
            "count 情况说明 document 1.. 份",
            f"groups 类 2 [count 图片 image 2.. 张; annotation {TDZ}]",
        ],
        (4, 2, 2, 1, TDZ),
    ),
    case(
        "001-10",
        "上传照片，并标注位置。",
        ["count 照片 image 1.. 张", "annotation 位置"],
        (1, 0, 0, 0, "位置"),
    ),
    case(
        "001-11",
        "上传创建公示牌或宣传栏现场图片（注明设置位置地点）。",
        ["count 图片 image 1.. 张", "annotation 位置,地点"],
        (1, 0, 0, 0, "位置,地点"),
    ),
    case("001-12", "上传活动现场照片不少于3张。", ["count 照片 image 3.. 张"], (3, 0, 0, 0, "")),
    case(
        "001-13",
        "上传公益广告照片2张，景观小品照片1张。注明具体位置。",
        ["count 照片 image 2.. 张", "count 照片 image 1.. 张", "annotation 位置"],
        (3, 0, 0, 0, "位置"),
    ),
    case(
        "001-14",
        "上传现场图片（不少于2张，注明具体位置）",
        ["count 图片 image 2.. 张", "annotation 位置"],
        (2, 0, 0, 0, "位置"),
    ),
    case(
        "001-15",
        "上传现场图片（不少于3张，注明具体位置）。",
        ["count 图片 image 3.. 张", "annotation 位置"],
        (3, 0, 0, 0, "位置"),
    ),
    case(
        "001-16",
        "上传2类活动每类不少于2张照片，并注明位置。",
        ["groups 类 2 [count 照片 image 2.. 张; annotation 位置]"],
        (4, 2, 2, 0, "位置"),
    ),
    case(
        "001-17",
        "上传单位年度精神文明建设工作计划等文件（扫描件或图片），需有单位的红头。",
        ["count 文件 document 1.. 份", "attribute 扫描件", "attribute 红头"],
        (0, 0, 0, 1, ""),
    ),
    case(
        "001-18",
        "上传单位发布相关工作计划等文件（扫描件或图片），需有单位的红头；有关活动以及场所相关照片。",
        [
            "count 文件 document 1.. 份",
            "attribute 扫描件",
            "attribute 红头",
            "count 照片 image 1.. 张",
        ],
        (1, 0, 0, 1, ""),
    ),
    case(
        "001-19",
        "上传活动照片不少于每次2张，并附活动简要说明。",
        ["groups 活动 1 [count 照片 image 2.. 张]", "count 说明 document 1.. 份"],
        (2, 1, 2, 1, ""),
    ),
    case(
        "001-20",
        "上传单位开展活动的情况说明、活动图片（不少于2张，注明时间地点及活动主题）。",
        ["count 情况说明 document 1.. 份", "count 图片 image 2.. 张", f"annotation {TDZ}"],
        (2, 0, 0, 1, TDZ),
    ),
    case(
        "001-21",
        "上传单位开展的关爱员工工作说明材料，需附相关证明材料（图片）。",
        ["count 说明材料 document 1.. 份", "count 图片 image 1.. 张"],
        (1, 0, 0, 1, ""),
    ),
    case(
        "001-22",
        "上传单位设立的文体设施的实景图片（不少于2张）。",
        ["count 图片 image 2.. 张"],
        (2, 0, 0, 0, ""),
    ),
    case(
        "001-23",
        "上传单位积极开展活动的文字记录和活动现场图片（不少于3张，注明活动时间及活动主题）。",
        ["count 文字记录 document 1.. 份", "count 图片 image 3.. 张", "annotation 时间,主题"],
        (3, 0, 0, 1, "时间,主题"),
    ),
    case(
        "001-24",
        "上传注册志愿者情况说明、注册志愿者人员名单。",
        ["count 情况说明 document 1.. 份", "count 名单 list 1.. 份"],
        (0, 0, 0, 2, ""),
    ),
    case(
        "001-25",
        "上传现场图片（不少于3张，注明具体位置）。",
        ["count 图片 image 3.. 张", "annotation 位置"],
        (3, 0, 0, 0, "位置"),
    ),
    case(
        "001-26",
        "上传报送创建工作信息说明，附报送信息清单、相关媒体截图。",
        ["count 说明 document 1.. 份", "count 清单 list 1.. 份", "count 截图 image 1.. 张"],
        (1, 0, 0, 2, ""),
    ),
    case(
        "001-27",
        "上传单位组织干部职工参与活动的文字记录和现场图片。",
        ["count 文字记录 document 1.. 份", "count 图片 image 1.. 张"],
        (1, 0, 0, 1, ""),
    ),
    case(
        "001-28",
        "上传单位组织干部职工参与活动的文字记录和现场图片（不少于2类活动，每类活动不少于3张图片），或上传献血办开具的相关证明材料。",
        [
            "alternative [count 文字记录 document 1.. 份; groups 类 2 [count 图片 image 3.. 张]]"
            " | [count 证明材料 document 1.. 份]"
        ],
        (0, 0, 0, 1, ""),
    ),
    case(
        "001-29",
        "上传活动方案以及活动现场照片。",
        ["count 活动方案 document 1.. 份", "count 照片 image 1.. 张"],
        (1, 0, 0, 1, ""),
    ),
    case(
        "001-30",
        "上传单位承办、协办市文明办的活动或项目情况说明。",
        ["count 情况说明 document 1.. 份"],
        (0, 0, 0, 1, ""),
    ),
    case(
        "001-31",
        "上传单位参与爱心驿站等活动现场图片（不少于2张）。",
        ["count 图片 image 2.. 张"],
        (2, 0, 0, 0, ""),
    ),
    case(
        "001-32",
        "上传媒体报道版面扫描件（网络媒体上传截图）。",
        ["alternative [count 扫描件 document 1.. 份] | [count 截图 image 1.. 张]"],
        (0, 0, 0, 1, ""),
    ),
    case("001-33", "上传相关材料。", ["count 材料 document 1.. 份"], (0, 0, 0, 1, "")),
    case("001-34", "", []),
    case("001-35", "", []),
    case("001-36", "", []),
    case("001-37", "  \n", []),
]

ITEM_TEXTS = [
    case(
        "item-01",
        "学习贯彻习近平新时代中国特色社会主义思想，积极开展理论宣讲活动，为党的二十大和省第十五次党代会召开营造浓厚社会氛围。",
        [],
    ),
    case(
        "item-03",
        "学习贯彻《绍兴市文明行为促进条例》，深入开展“绍兴好家风、礼让斑马线、聚餐用公筷、随手做志愿、重信守承诺、垃圾要分类、办酒不铺张、带走半瓶水”等十大文明行动。",
        [],
    ),
    case(
        "item-05",
        "推进家庭家教家风建设，组织开展“写家书、诵家训、扬家风”活动（2分），开展文明家庭创建活动（2分），积极培育选树在家庭家教家风上的基层先进典型（2分）。",
        ["points 2 covers=", "points 2 covers=", "points 2 covers="],
    ),
    case(
        "item-05-numbered",
        "5.推进家庭家教家风建设，组织开展“写家书、诵家训、扬家风”活动（2分），开展文明家庭创建活动（2分），积极培育选树在家庭家教家风上的基层先进典型（2分）。",
        ["points 2 covers=", "points 2 covers=", "points 2 covers="],
    ),
    case(
        "item-06",
        "精心组织“双千结对、共建文明”活动，积极参与结对村（社区）星级文明户创建（2分）、移风易俗（3分）等活动，每年开展慰问困难户活动2次以上（2分）。",
        [
            "points 2 covers=",
            "points 3 covers=",
            "groups 活动 2 [] freq=1年×2",
            "points 2 covers=2",
        ],
        (0, 2, 0, 0, ""),
    ),
    case(
        "item-13",
        "利用本单位电子显示屏、固定广告牌等播出、展示公益广告（2分）；在显著位置设置公益广告景观小品（其中省级以上文明社区要求位置一般设在室外，门口前或门前广场处，长度至少3米，高度至少2米）（3分）。",
        [
            "points 2 covers=",
            "threshold 长度 >= 3 米",
            "threshold 高度 >= 2 米",
            "points 3 covers=1,2",
        ],
    ),
    case(
        "item-17",
        "创建工作有机构、有计划、有举措、有制度、有人员，领导班子每年定期（不少于2次）研究精神文明建设工作。",
        ["groups 活动 2 [] freq=1年×2"],
        (0, 2, 0, 0, ""),
    ),
    case(
        "item-19",
        "与2021-2023年度规划创建文明单位或业务工作、员工规范、服务对象相类似的文明单位结对共建，定期开展“走亲”交流活动（不少于2次）。",
        ["groups 活动 2 []"],
        (0, 2, 0, 0, ""),
    ),
    case(
        "item-23",
        "每年定期组织开展各类群众性文体活动（不少于3次），员工文化生活内涵丰富。",
        ["groups 活动 3 [] freq=1年×3"],
        (0, 3, 0, 0, ""),
    ),
    case(
        "item-24",
        "在“志愿浙江”平台注册志愿者人数占单位在编人数80%以上，每年志愿服务人均时长超过20小时以上。",
        [
            "threshold 在“志愿浙江”平台注册志愿者人数占单位在编人数 >= 80 %",
            "threshold 每年志愿服务人均时长 > 20 小时",
        ],
    ),
    case(
        "item-30",
        "承办（5分）、协办（2分）市文明办的活动或项目。",
        ["bonus 5,2 per=None cap=None highest"],
    ),
    case(
        "item-34",
        "单位创建工作主要负责人、分管负责人、工作负责人调整后，相关信息未在绍兴市文明创建动态管理系统更新。",
        [],
    ),
    case(
        "item-26",
        "积极向市文明办报送创建工作信息，并被录用刊登在“越文明越风尚”专栏、绍兴文明网、绍兴文明微信公众号上。",
        [],
    ),
]

SEED_000 = [
    case("000-method-1", "材料审核", []),
    case("000-method-2", "材料审核数据分析", []),
    case("000-method-3", "材料审核 实地考察", []),
    case("000-method-4", "材料审核 问卷调查", []),
    case("000-method-5", "材料审核 实地考察 问卷调查", []),
    case("000-method-6", "材料审核  实地考察   ", []),
    case("000-method-7", "材料审核实地考察", []),
    case(
        "000-volunteers",
        "1.建立学雷锋志愿服务队伍，注册志愿者人数占员工总人数的比例≧50 %（社区比例≧10%）,注册志愿者参加志愿服务活动的人数占注册志愿者总人数的比例＞90%。",
        [
            "threshold 注册志愿者人数占员工总人数的比例 >= 50 %",
            "threshold 社区比例 >= 10 %",
            "threshold 注册志愿者参加志愿服务活动的人数占注册志愿者总人数的比例 > 90 %",
        ],
    ),
    case(
        "000-hours",
        "2.常态化开展学雷锋志愿服务活动，注册志愿者每年服务时长不少于24小时。",
        ["threshold 注册志愿者每年服务时长 >= 24 小时"],
    ),
    case(
        "000-slogans",
        "1.深入学习贯彻习近平新时代中国特色社会主义思想，引导干部群众深刻领悟和把握“两个确立”的决定性意义，增强“四个意识”、坚定“四个自信”、做到“两个维护”。",
        [],
    ),
    case(
        "000-three-one",
        "3.健全完善党委(党组)理论学习中心组学习制度，严格落实“三会一课”制度，定期开展党员集中学习教育。",
        [],
    ),
    case(
        "000-dates",
        "4.深化“双万结对、共建文明”。3月到东双桥社区慰问，为清扫员点亮“微心愿”；5月底，到结对乡村坝头山村义诊，开展健康科普；7月底，进军营慰问。",
        [],
    ),
]

SEED_004 = [
    case(
        "004-study-cell",
        "1．党员干部学习教育无计划的扣1分，不及时组织学习贯彻上级重大会议精神每次扣1分，党员受教育率低于95%的扣1分。\n2.不开展大讨论每一活动者扣2分（讨论以记录为准），。\n\n3．无正当理由不参加上级组织的会议每次扣1分。\n\n4、领导干部不参加双重组织生活制度每人扣1分，不带头上党课的每人扣1分。",
        [
            "deduction 1 per=None req=None",
            "deduction 1 per=次 req=None",
            "threshold 党员受教育率 >= 95 %",
            "deduction 1 per=None req=None",
            "deduction 2 per=活动 req=None",
            "deduction 1 per=次 req=None",
            "deduction 1 per=人 req=None",
            "deduction 1 per=人 req=None",
        ],
    ),
    case(
        "004-org-1",
        "1.不组织开展建设学习型服务型党支部（小组）活动的扣2分。",
        ["deduction 2 per=None req=None"],
    ),
    case("004-org-2", "2.创先争优活动环节不到位的每次扣1分。", ["deduction 1 per=次 req=None"]),
    case("004-org-3", "3.党的基本组织生活每少一次1分。", ["deduction 1 per=次 req=None"]),
    case("004-org-4", "4.发展党员不规范的扣1分。", ["deduction 1 per=None req=None"]),
    case(
        "004-org-5",
        "5.不按要求实行党费管理的扣2分。\n\n不按要求实行党内统计管理的，扣2分。",
        ["deduction 2 per=None req=None", "deduction 2 per=None req=None"],
    ),
    case(
        "004-org-6",
        "6.不按要求实行党务公开的扣2分；不召开党员大会，听取支部负责人通报工作情况的扣2分；党员评议党组织及领导班子成员满意率低于85%的扣3分。",
        [
            "deduction 2 per=None req=None",
            "deduction 2 per=None req=None",
            "threshold 党员评议党组织及领导班子成员满意率 >= 85 %",
            "deduction 3 per=None req=None",
        ],
    ),
    case("004-org-7", "7.不支持群团组织开展活动的扣2分。", ["deduction 2 per=None req=None"]),
    case(
        "004-org-8",
        "8.不落实党内谈心谈话、探访慰问和扶贫帮困三大制度的扣2分。",
        ["deduction 2 per=None req=None"],
    ),
    case("004-org-9", "9.党建信息上报少一篇扣1分。", ["deduction 1 per=篇 req=None"]),
    case(
        "004-style-1",
        "1.不开展党员干部宗旨意识、岗位职责、廉洁诚信、文明行医教育的扣2分。",
        ["deduction 2 per=None req=None"],
    ),
    case(
        "004-style-2", "2.不深入基层、群众开展走访服务的扣2分。", ["deduction 2 per=None req=None"]
    ),
    case(
        "004-style-3", "3.不按要求做好社区党建结对共建的扣2分.", ["deduction 2 per=None req=None"]
    ),
    case(
        "004-style-4", "4.不配合党委开展志愿服务活动的扣2分/次。", ["deduction 2 per=次 req=None"]
    ),
    case(
        "004-style-5",
        "5.支部内科室和成员在文明城市创建中被上级检查扣分或曝光的扣2分。",
        ["deduction 2 per=None req=None"],
    ),
    case(
        "004-bonus-1",
        "1.党组织获全国、省、市级荣誉称号分别加8分、6分、4分。",
        ["bonus 8,6,4 per=None cap=None highest"],
    ),
    case(
        "004-bonus-2",
        "2.党建工作受到市级以上肯定、推广（以文字为准），经审核确认的加4分。",
        ["bonus 4 per=None cap=None"],
    ),
    case(
        "004-bonus-3",
        "3．核心价值观核心词被市委宣传部、局机关党委、院党委征集录用的每条分别加4分、2分、1分。",
        ["bonus 4,2,1 per=条 cap=None highest"],
    ),
    case(
        "004-bonus-4",
        "4．被市直机关工委评为学习型服务型党支部（小组）示范点的，每个加4分；被评为省、市级服务型党组织示范点的分别加5分、3分；入选省创先争优群英谱的加4分。",
        [
            "bonus 4 per=个 cap=None",
            "bonus 5,3 per=None cap=None highest",
            "bonus 4 per=None cap=None",
        ],
    ),
    case(
        "004-bonus-5",
        "5、价值观征文和演讲等比赛获市、局、院一、二、三等奖的分别加8分、6分、4分；6分、4分、2分；4分、2分、1分。",
        ["bonus 8,6,4,6,4,2,4,2,1 per=None cap=None highest"],
    ),
    case(
        "004-bonus-6",
        "6.挖掘医务人员先进典型事迹有成效、获得领导肯定、引起社会反响的加4分。",
        ["bonus 4 per=None cap=None"],
    ),
    case(
        "004-bonus-7",
        "7.党建信息被市直机关工委、局机关工委、院党委录用的每篇分别加2分、1分、0.5分。",
        ["bonus 2,1,0.5 per=篇 cap=None highest"],
    ),
    case("004-bonus-8", "8.在上级党委工作检查中获得肯定的加1分。", ["bonus 1 per=None cap=None"]),
    case(
        "004-bonus-9",
        "9、在七一、学雷锋等活动中支部负责组织开展活动的每次加1分。",
        ["bonus 1 per=次 cap=None"],
    ),
    case(
        "004-bonus-note",
        "在上述加分项中，同一项工作分别被不同层面表彰或报道的，按最高分计算，不重复计分。",
        ["bonus None per=None cap=None highest"],
    ),
    case(
        "004-bonus-cell",
        "8.在上级党委工作检查中获得肯定的加1分。\n9、在七一、学雷锋等活动中支部负责组织开展活动的每次加1分。\n在上述加分项中，同一项工作分别被不同层面表彰或报道的，按最高分计算，不重复计分。",
        ["bonus 1 per=None cap=None highest", "bonus 1 per=次 cap=None highest"],
    ),
    case("004-section", "学习教育30分", ["points 30 covers="]),
    case(
        "004-note",
        "说明：考核基本分为100分，考核采取倒扣分制，按照平时检查了解和年终统一考核相结合的方式进行。",
        ["points 100 covers="],
    ),
    case(
        "004-duty-4",
        "4.坚持领导干部参加双重组织生活制度，每位班子成员联系一个支部（小组），为支部上党课至少1次。",
        ["count 支部 other 1.. 个", "groups 党课 1 []"],
        (0, 1, 0, 0, ""),
    ),
    case(
        "004-duty-6",
        "6.实行党务公开；建立党员评议党组织及领导班子成员制度，每年至少召开一次党员大会，听取支部负责人通报工作情况。",
        ["groups 大会 1 [] freq=1年×1"],
        (0, 1, 0, 0, ""),
    ),
    case(
        "004-duty-9",
        "9.做好党建信息（含图片）报送工作，支部每季报送1篇以上。",
        ["count 信息 document 4.. 篇 freq=1季度×1"],
        (0, 0, 0, 4, ""),
        True,
    ),
    case(
        "004-style-duty-4",
        "4.健全志愿服务机制，配合党委全年开展志愿服务活动2次以上。",
        ["groups 活动 2 [] freq=1年×2"],
        (0, 2, 0, 0, ""),
    ),
    case(
        "004-plan-class",
        "领导干部要参加支部活动和组织生活，为支部上党课至少一年一次。",
        ["groups 党课 1 []"],
        (0, 1, 0, 0, ""),
    ),
    case(
        "004-plan-months",
        "切实转变作风，集中5个月时间开展“进村企促医改送健康”为主题的下基层大走访活动，重点做好三进三送和对口支援工作。",
        ["threshold 集中 >= 5 个月"],
    ),
    case("004-date", "二Ο一二年四月二日", []),
]

ALL = SEED_001 + ITEM_TEXTS + SEED_000 + SEED_004
#: The texts alone (for scripts/bench: average parse time per phrase).
PHRASES = [p.values[0] for p in ALL]


def test_table_is_large_enough():
    from test_parser_wording import WORDING

    assert len(ALL) + len(WORDING) >= 120


def check_phrase(text, rules, summary, review):
    """Assert a phrase's rule signatures, summary, and review flag (shared by both phrase tables)."""
    req = parse_requirement(text)
    assert [sig(r) for r in req.rules] == rules
    s = req.summary
    got = (
        s["min_images"],
        s["min_groups"],
        s["per_group_min_images"],
        s["min_documents"],
        ",".join(s["annotations"]),
    )
    assert got == summary
    assert req.needs_review is review
    assert bool(req.unparsed) is review


@pytest.mark.parametrize("text,rules,summary,review", ALL)
def test_phrase(text, rules, summary, review):
    check_phrase(text, rules, summary, review)


@pytest.mark.parametrize(
    "text,obj", [("名单一", "名单"), ("合同一份", "合同"), ("清单一份", "清单")]
)
def test_a_one_after_dan_or_tong_is_a_count_not_an_idiom(text, obj):
    # 「单一」「同一」 are idioms, but the 一 of 名单一 / 合同一份 asks for one.
    [rule] = parse_requirement(text).rules_of("count")
    assert (rule["object"], rule["min"]) == (obj, 1)


def test_dan_yi_and_tong_yi_stay_idioms():
    assert parse_requirement("单一来源").rules == []
    [rule] = parse_requirement("同一活动照片不少于3张").rules_of("count")
    assert rule["min"] == 3
