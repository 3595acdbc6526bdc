"""Regex passes of the requirement parser: scores, bonuses, deductions, notes, thresholds.

Each pass reads the working copy of a `State`, turns what it recognises into a `Rule`
placed at its position, marks the numbers it used and masks what it consumed, so that the
count pass that runs last only sees the rest. Order matters and is fixed in `run_passes`.
"""

from __future__ import annotations

import re
from typing import Optional

from wenming_xl.model import Rule
from wenming_xl.rules.asides import asides
from wenming_xl.rules.lexicon import (
    BOUND_POST,
    BOUND_PRE,
    COUNT_UNITS,
    FILL,
    GNOUN,
    GROUP_UNITS,
    INVERT,
    MEASURE_UNITS,
    NOUN_RX,
    NUM,
    OPS,
    POST_BOUNDS,
    PRE_BOUNDS,
    Number,
    State,
    _alt,
    value_of,
)

UNITS = f"(?:{_alt(set(COUNT_UNITS) | set(GROUP_UNITS) | set(MEASURE_UNITS) | {'例', '起'})})"
_RANGE = f"(?:[-~至到](?P<n2>{NUM}))?"
_PTS = re.compile(f"({NUM})分")
_PER_HEAD = re.compile("^每[一1]?")
_PER_TAIL = re.compile("[者的,]+$")
_PER_MEASURE = re.compile("^[个位名]")
_PER_VERB = re.compile("^每[\u4e00-\u9fff]{1,4}?(?=[一1])")
_WORD_AFTER = re.compile("[\u4e00-\u9fff]{1,8}")

# ----------------------------------------------------------------------------- helpers


def _clause_text(st: State, a: int, b: int) -> str:
    return st.clause(a, b, stops=";。\n").strip(" ,、:")


def _per_word(text: Optional[str]) -> Optional[str]:
    """「每一活动者」 → 活动, 「每个」 → 个, 「每次」 → 次; None when there is no 每."""
    if not text:
        return None
    w = _PER_HEAD.sub("", text)
    w = _PER_TAIL.sub("", w)
    if w in ("个", "位", "名") or not w:
        return w or None
    return _PER_MEASURE.sub("", w)


def _num(st: State, m: re.Match, group: str) -> Optional[Number]:
    if m.group(group) is None:
        return None
    vals = st.use(m.start(group), m.end(group))
    return vals[0] if vals else None


def _sentence_of(st: State, pos: int) -> tuple[int, int]:
    for a, b in st.sentences:
        if a <= pos < b:
            return a, b
    return pos, pos


# ----------------------------------------------------------------------------- 测评方法 and notes

_METHODS = re.compile(
    "材料审核|实地考察|问卷调查|数据分析|查阅资料|查阅台账|查看资料|现场查看|实地查看|座谈了解|个别访谈|"
    "听取汇报|网上测评|暗访|\\(含[^()]{0,20}\\)"
)


def _methods(st: State) -> None:
    for m in _METHODS.finditer(st.buf):
        st.mask(m.start(), m.end())


# ----------------------------------------------------------------------------- bonus

_LEVEL = (
    f"(?:承办|主办|协办|参与|参加|国家级|全国|省级|市级|县级|区级|[{FILL}一二三特]等奖|金奖|银奖|铜奖|优秀奖"
    "|[省市县区局院])"
)
_LEVEL_ITEM = f"{_LEVEL}\\(?{NUM}分\\)?"
_LEVEL_RX = re.compile(f"{_LEVEL_ITEM}(?:[、,和及或]{_LEVEL_ITEM})+")
_PT = f"{NUM}(?:[-~至到]{NUM})?分(?!钟)"
#: The points of a bonus: 「2分」, 「1-3分」, 「8分、6分、4分」, 「8、6、4分」.
_PT_LIST = f"{_PT}(?:[、,;和及]加?{_PT})*|{NUM}(?:[、,]{NUM})+分(?!钟)"
_BONUS_RX = re.compile(
    f"(?P<per>每[一1]?(?:个|位|名)?(?P<pu>{UNITS})?(?:{GNOUN}|{NOUN_RX})?(?:者|的)?,?)?(?P<fb>分别)?可?"
    f"(?:另加|追加|奖励|加|奖(?![励金状品项杯]))(?P<list>{_PT_LIST})"
    f"(?:/(?P<su>{UNITS}))?"
)
_CAP_WORD_BEFORE = re.compile("(?:最多|最高|至多|累计|合计|总计|上限为?|封顶|不超过|不得超过)可?$")
_CAP_RX = re.compile(
    "(?:(?:最多|最高|至多|累计|合计|总计|上限为?|封顶)(?:不超过|不得超过|不高于|可加|加至|加|为)?"
    f"|不超过|不得超过|加满|以)(?P<n>{NUM})分(?:封顶|为限|为止)?|(?P<m>{NUM})分封顶"
)
#: 「超过的按15分计算」, 「超出部分按10分计」: the cap said again (or said only so).
_CAP_AGAIN_RX = re.compile(
    f"超(?:过|出)(?:{NUM}分)?(?:部分|的|者)?,?(?:按|以|计)(?P<n>{NUM})分(?:计算|计|为准|为限)?"
)
_BONUS_WORD = re.compile("加分|奖励分|奖分|附加分")
_HIGHEST_RX = re.compile(
    "按照?最高(?:分|级别|等次)?(?:计算|计分|计|算|为准)|不重复(?:计分|加分|计算|累计)|就高不就低|"
    "取最高分?|只计最高分?|以最高(?:分|级别)?为准"
)
_LIST_NUM = re.compile(f"(?P<a>{NUM})(?:[-~至到](?P<b>{NUM}))?")
_ENUM_SEP = re.compile("[、/]|和|及|或")
RANGE_REASON = "分值是一个范围，由考核人员在范围内评定"


def _bonus_rule(points: list[Number], per: Optional[str], highest: bool) -> Rule:
    pts: object = None if not points else points[0] if len(points) == 1 else points
    return Rule("bonus", {"points": pts, "per": per, "cap": None, "highest_only": highest})


def _point_list(st: State, m: re.Match, group: str) -> tuple[list[Number], Optional[list]]:
    """The points of a list of points (marked used), and the range when it is one."""
    a, out, rng = m.start(group), [], None
    for p in _LIST_NUM.finditer(m.group(group)):
        lo = st.use(a + p.start("a"), a + p.end("a"))
        if p.group("b"):
            hi = st.use(a + p.start("b"), a + p.end("b"))
            if lo and hi:
                rng = [lo[0], hi[0]]
                out.append(hi[0])
            continue
        out.extend(lo)
    return out, rng


def _levels(st: State, at: int) -> int:
    """How many levels a 分别 list names before it: 「国家、省、市级…分别」 → 3."""
    a = max(st.s.rfind(c, 0, at) for c in ",;。\n:") + 1
    return len(_ENUM_SEP.findall(st.s[a:at])) + 1


def _unmapped(st: State, m: re.Match, points: list[Number], verb: str) -> None:
    levels = _levels(st, m.start())
    if 1 < len(points) < levels:
        st.note_review(
            _clause_text(st, m.start(), m.end()),
            f"列出{levels}个级别，分值只有{len(points)}个，对应关系不明",
        )


_PER_BEFORE = re.compile(f"每[一1]?(?:个|位|名)?(?P<u>{UNITS})")


def _per_before(st: State, m: re.Match) -> Optional[str]:
    """「每条信息被采用加0.2分」: the 每-unit earlier in the clause of a bonus."""
    a = max(st.s.rfind(c, 0, m.start()) for c in ",;。\n") + 1
    found = list(_PER_BEFORE.finditer(st.s, a, m.start()))
    return found[-1].group("u") if found else None


def _bonus(st: State) -> None:
    for m in _LEVEL_RX.finditer(st.buf):
        pts = [
            v
            for p in _PTS.finditer(m.group(0))
            for v in st.use(m.start() + p.start(1), m.start() + p.end(1))
        ]
        r = _bonus_rule(pts, None, True)
        r.source = _clause_text(st, m.start(), m.end())
        st.add(m.start(), m.end(), r)
        st.mask(m.start(), m.end())
    for m in _BONUS_RX.finditer(st.buf):
        if _CAP_WORD_BEFORE.search(st.buf, max(0, m.start() - 5), m.start()):
            continue  # 「最高加5分」: a cap, read below
        pts, rng = _point_list(st, m, "list")
        if m.group("per"):
            st.use(m.start("per"), m.end("per"))
        per = m.group("pu") or _per_word(m.group("per")) or m.group("su") or _per_before(st, m)
        r = _bonus_rule(pts, per, bool(m.group("fb")) and len(pts) > 1)
        r.source = _clause_text(st, m.start(), m.end())
        if rng is not None and len(pts) == 1:
            r.data["range"] = rng
            st.note_review(st.s[m.start() : m.end()], RANGE_REASON)
        if m.group("fb"):
            _unmapped(st, m, pts, "加")
        st.add(m.start(), m.end(), r)
        st.mask(m.start(), m.end())
    bonuses = [p for p in st.placed if p.rule.kind == "bonus"]
    caps = []
    for m in _CAP_RX.finditer(st.buf):
        before = [p for p in bonuses if p.pos < m.start()]
        if not before:
            if not _BONUS_WORD.search(st.clause(m.start(), m.end(), stops=";。\n")):
                continue
            r = Rule("bonus", {"points": None, "per": None, "cap": None, "highest_only": False})
            r.source = _clause_text(st, m.start(), m.end())
            before = [st.add(m.start(), m.end(), r)]
            bonuses.append(before[0])
        g = "n" if m.group("n") else "m"
        before[-1].rule.data["cap"] = _num(st, m, g)
        caps.append(before[-1])
        st.mask(m.start(), m.end())
    for m in _CAP_AGAIN_RX.finditer(st.buf):
        n = value_of(m.group("n"))
        known = [p for p in caps if p.pos < m.start() and p.rule.data["cap"] == n]
        if known or bonuses:
            st.use(m.start(), m.end())
            st.mask(m.start(), m.end())
            if not known:
                bonuses[-1].rule.data["cap"] = n
    for m in _HIGHEST_RX.finditer(st.buf):
        st.mask(m.start(), m.end())
        for p in bonuses:
            p.rule.data["highest_only"] = True
        if not bonuses:
            r = Rule("bonus", {"points": None, "per": None, "cap": None, "highest_only": True})
            r.source = _clause_text(st, m.start(), m.end())
            bonuses.append(st.add(m.start(), m.end(), r))


# ----------------------------------------------------------------------------- deductions

_DED_CAP_RX = re.compile(
    f"(?:最多|最高|累计|合计|总计)(?:扣|扣除|减)(?:不超过)?{NUM}分"
    f"|扣分(?:累计|合计|总计)?(?:不超过|不得超过|上限为?|最多|最高){NUM}分"
)
_FLOOR_RX = re.compile(
    "扣完(?:本[项类]分?值?)?(?:为止|即止)|扣(?:至|到)(?P<z>[0〇零])分(?:为止)?|扣满为止|直至扣完|扣光为止|"
    "不得为负|扣完"
)
_DEDUCT = f"(?:扣(?:除|减)?|减)(?P<n>{NUM}){_RANGE}分(?!钟)(?:不等)?"
#: 「分别扣3、2、1分」, 「分别扣3分、2分、1分」: one deduction per level.
_DED_LIST_RX = re.compile(
    f"分别(?:扣(?:除|减)?|减)(?P<list>{NUM}(?:[、,]{NUM})+分(?!钟)|{NUM}分(?:[、,]{NUM}分)+)"
)
_SHORT_RX = re.compile(
    f"每?(?<![至最不])(?:少|缺少?|欠)(?P<one>[一1])?(?P<u>{UNITS})的?,?(?:扣(?:除|减)?)?(?P<n>{NUM}){_RANGE}分(?!钟)"
)
_PER_RX = re.compile(
    f"(?P<per>每(?:[\u4e00-\u9fff]{{1,4}}?[一1]|[一1])?(?:个|位|名)?(?:{UNITS}|{GNOUN})(?:者|的)?,?){_DEDUCT}"
)
_PLAIN_RX = re.compile(f"{_DEDUCT}(?:/(?P<u>{UNITS}))?")
#: 「换届程序不规范-1分」, 「未按要求召开-1分/项」: a minus sign after words is a deduction.
_MINUS_RX = re.compile(f"(?<=[\u4e00-\u9fff])-(?P<n>{NUM})(?P<n2>)分(?!钟)(?:/(?P<u>{UNITS}))?")


def _deduction(st: State, m: re.Match, per: Optional[str], shortfall: bool) -> None:
    low = _num(st, m, "n")
    points = _num(st, m, "n2") if m.group("n2") else low
    r = Rule("deduction", {"points": points, "per": per, "required": None, "floor_zero": False})
    r.source = _clause_text(st, m.start(), m.end())
    if m.group("n2") and low is not None and points is not None:
        r.data["range"] = [low, points]
        st.note_review(st.s[m.start() : m.end()], RANGE_REASON)
    st.add(m.start(), m.end(), r, shortfall=shortfall)
    st.mask(m.start(), m.end())


def _deductions(st: State) -> None:
    for m in _DED_CAP_RX.finditer(st.buf):
        st.mask(m.start(), m.end())  # no field for a cap: its number stays unused → unparsed
    floor = False
    for m in _FLOOR_RX.finditer(st.buf):
        floor = True
        if m.group("z"):
            st.use(m.start("z"), m.end("z"))
        st.mask(m.start(), m.end())
        floor_at = m.start()
    for m in _DED_LIST_RX.finditer(st.buf):
        pts, _ = _point_list(st, m, "list")
        if not pts:
            continue
        r = Rule(
            "deduction", {"points": max(pts), "per": None, "required": None, "floor_zero": False}
        )
        r.data["levels"] = pts
        r.source = _clause_text(st, m.start(), m.end())
        st.add(m.start(), m.end(), r)
        st.mask(m.start(), m.end())
        st.note_review(r.source, "按级别分别扣分，须确认适用哪一级")
        _unmapped(st, m, pts, "扣")
    for m in _SHORT_RX.finditer(st.buf):
        if m.group("one"):
            st.use(m.start("one"), m.end("one"))
        _deduction(st, m, m.group("u"), True)
    for m in _PER_RX.finditer(st.buf):
        st.use(m.start("per"), m.end("per"))
        _deduction(
            st,
            m,
            _per_word(_PER_VERB.sub("每", m.group("per"))),
            False,
        )
    for m in _PLAIN_RX.finditer(st.buf):
        _deduction(st, m, m.group("u"), False)
    for m in _MINUS_RX.finditer(st.buf):
        _deduction(st, m, m.group("u"), False)
    if floor:
        deds = [p for p in st.placed if p.rule.kind == "deduction"]
        for p in deds:
            p.rule.data["floor_zero"] = True
        if not deds:
            r = Rule(
                "deduction", {"points": None, "per": None, "required": None, "floor_zero": True}
            )
            r.source = _clause_text(st, floor_at, floor_at)
            st.add(floor_at, floor_at + 1, r)


# ----------------------------------------------------------------------------- attributes

_ATTRS = [
    ("(?:需|须|要|应)?(?:有|带有?|为|是|加盖|盖有?)?(?:本?单位的?)?红头", "红头"),
    ("(?i:pdf)(?:版本|版|格式)?", "pdf版本"),
    ("\\((?:需为|须为|为)?扫描件(?:或者?|/|、)?(?:图片|照片)?\\)", "扫描件"),
    ("(?:需|须|应)?为扫描件(?:或者?(?:图片|照片))?", "扫描件"),
    ("(?:加盖|盖有?|盖上|有|带有?)(?:本?单位的?)?(?P<seal>公章|印章|骑缝章|电子章|党委章)", None),
    ("(?:需|须|要)?盖章", "印章"),
    ("(?:需|须|要)?(?:有|带有?|注明|标注|标明|含)?(?:发文)?文号", "文号"),
    (
        "(?:能|可|需|须|要|应)?(?:体现|显示|看出|看到|反映|看清)出?(?:本|所在)?单位的?名称",
        "单位名称",
    ),
    ("(?:需|须|要|应)?(?:为|是)?(?:当年度?|本年度)", "当年"),
    ("拍摄(?:时间|日期)", "拍摄时间"),
    ("签字|签名", "签字"),
]
_ATTR_RXS = [(re.compile(p), n) for p, n in _ATTRS]


def _attributes(st: State) -> None:
    seen: set[str] = set()
    for rx, name in _ATTR_RXS:
        for m in rx.finditer(st.buf):
            nm = name or ("公章" if m.group("seal") == "公章" else "印章")
            st.mask(m.start(), m.end())
            if nm in seen:
                continue
            seen.add(nm)
            st.add(m.start(), m.end(), Rule("attribute", {"name": nm}, st.s[m.start() : m.end()]))


# ----------------------------------------------------------------------------- annotations

_TRIGGER_RX = re.compile(
    "(?:需|须|要|应|并|且|能|可)?(?:注明|标注|标明|写明|注上|标出|显示|体现|反映|载明|备注|附注|包含|包括|含有)"
)
_FIELDS = {
    "活动时间": "时间",
    "传播时间": "时间",
    "时间": "时间",
    "日期": "时间",
    "活动地点": "地点",
    "地点": "地点",
    "地址": "地点",
    "活动主题": "主题",
    "活动名称": "主题",
    "主题": "主题",
    "具体位置": "位置",
    "设置位置": "位置",
    "位置": "位置",
    "载体": "载体",
    "作品标题": "标题",
    "标题": "标题",
    "制作单位": "制作单位",
    "单位名称": "单位名称",
    "参加人员": "人员",
    "参与人员": "人员",
    "参会人员": "人员",
    "人员": "人员",
    "参加人数": "人数",
    "人数": "人数",
    "活动内容": "内容",
    "内容": "内容",
    "来源": "来源",
    "出处": "来源",
    "作者": "作者",
    "姓名": "姓名",
    "部门": "部门",
    "科室": "部门",
}
_FIELD_RX = re.compile(_alt(_FIELDS))
_CONN_RX = re.compile(
    f"具体|设置|活动|传播|作品|发布|所在|以及|及|和|与|、|,|/|或|等|的|其|{FILL}+"
    # 「注明培训时间」, 「标明会议地点」: a word naming whose time or place it is
    "|[\u4e00-\u9fff]{1,3}?(?=时间|日期|地点|主题|内容|人员|人数)"
)


def _annotations(st: State) -> None:
    for m in _TRIGGER_RX.finditer(st.buf):
        pos, last, fields = m.end(), None, []
        for _ in range(40):
            f = _FIELD_RX.match(st.buf, pos)
            if f:
                name = _FIELDS[f.group(0)]
                if name not in fields:
                    fields.append(name)
                pos = last = f.end()
                continue
            c = _CONN_RX.match(st.buf, pos)
            if not c:
                break
            pos = c.end()
        if fields and last is not None:
            st.add(m.start(), last, Rule("annotation", {"fields": fields}, st.s[m.start() : last]))
            st.mask(m.start(), last)


# ----------------------------------------------------------------------------- thresholds

_MEASURE = _alt(MEASURE_UNITS)
#: Words between a bound and its number: 「不超过学生数5%」, 「只能推荐1人」.
_GAP = f"(?P<gap>(?:(?!{BOUND_PRE})[\u4e00-\u9fff]){{1,8}}?)?"
_BOUND_TAIL = re.compile(f"(?:{BOUND_PRE})+$")
_WORDS = ("字", "万字", "千字")
_THRESHOLD_RXS = [
    re.compile(f"(?P<pre>{BOUND_PRE})?百分之(?P<n>{NUM})(?P<post>{BOUND_POST})?"),
    re.compile(f"(?P<pre>{BOUND_PRE})?(?P<d>{NUM})分之(?P<n>{NUM})(?P<post>{BOUND_POST})?"),
    re.compile(f"(?:(?P<pre>{BOUND_PRE}){_GAP})?(?P<n>{NUM})%(?P<post>{BOUND_POST})?"),
    re.compile(
        f"(?:(?P<pre>{BOUND_PRE}){_GAP})?(?<!每)(?P<n>{NUM})(?:[-~至到](?P<n2>{NUM}))?(?P<more>多|余)?"
        f"(?P<u>{_MEASURE})(?P<post>{BOUND_POST}|内)?"
    ),
    re.compile(f"(?P<pre>{BOUND_PRE})(?P<n>{NUM})(?P<u>分)(?![钟之])(?P<post>{BOUND_POST})?"),
    re.compile(f"(?P<n>{NUM})(?P<u>分)(?![钟之])(?P<post>{BOUND_POST})"),
]
_METRIC_TRIM = re.compile(
    "^(?:[\\s,、:;()]|[0-9]{1,2}[.、)](?![0-9])|上传|提供|提交)+|[的为达占要需应须在是,、]+$"
)
_NOUN_SEARCH = re.compile(NOUN_RX)


def _metric(st: State, a: int, b: int, m: re.Match) -> str:
    """What a threshold measures: the words before it (and between its bound and number)."""
    stops = ",;。\n:(、"
    start = max(st.s.rfind(c, 0, a) for c in stops) + 1
    text = _METRIC_TRIM.sub("", st.s[start:a])
    text = _BOUND_TAIL.sub("", text)  # 「时长最长不超过3小时」: 最长 says the bound again
    gap = (m.groupdict().get("gap") or "").rstrip("的")
    if gap:
        text += ("占" if m.group(0).endswith("%") and "占" not in text else "") + gap
    unit = m.groupdict().get("u")
    if unit in _WORDS:  # 「心得体会1篇，300字以上」: the words of the document named before
        sa, _ = _sentence_of(st, a)
        nouns = list(_NOUN_SEARCH.finditer(st.s, sa, a))
        if nouns:
            text = nouns[-1].group(0)
        text = (text if text and not text.endswith("字数") else text[:-2]) + "字数"
        return text[-40:]
    if not text:
        m2 = _WORD_AFTER.match(st.s, b)
        text = m2.group(0) if m2 else ""
    return text[-40:]


def _op(m: re.Match) -> str:
    gd = m.groupdict()
    pre, post = gd.get("pre"), gd.get("post")
    if pre:
        return OPS[PRE_BOUNDS[pre]]
    if post == "内":
        return "<="
    if post:
        return OPS[POST_BOUNDS[post]]
    return ">="


def _thresholds(st: State) -> None:
    deds = [p.pos for p in st.placed if p.rule.kind == "deduction"]
    for i, rx in enumerate(_THRESHOLD_RXS):
        for m in rx.finditer(st.buf):
            gd = m.groupdict()
            n = value_of(m.group("n"))
            hi = value_of(gd["n2"]) if gd.get("n2") else None
            if n is None or (gd.get("n2") and hi is None):
                continue  # its numbers stay unused: reported as not understood
            value: Optional[Number] = n
            unit = gd.get("u") or "%"
            if i == 1:  # 三分之一 → 33.33 %
                d = value_of(m.group("d"))
                if not d:
                    continue
                value = round(100 * n / d, 2)
            st.use(m.start(), m.end())  # every number of the match (百 of 百分之, 三 of 三分之一)
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            op = _op(m)
            _, sb = _sentence_of(st, m.start())
            if any(m.end() <= p < sb for p in deds):
                op = INVERT[op]
            metric = _metric(st, m.start(), m.end(), m)
            src = st.s[m.start() : m.end()]
            st.add(
                m.start(),
                m.end(),
                Rule("threshold", {"metric": metric, "op": op, "value": value, "unit": unit}, src),
            )
            if hi is not None:
                rule = Rule(
                    "threshold", {"metric": metric, "op": "<=", "value": hi, "unit": unit}, src
                )
                st.add(m.start(), m.end(), rule)
            st.mask(m.start(), m.end())


# ----------------------------------------------------------------------------- points

_POINTS_RX = re.compile(f"(?P<lp>\\()?(?P<sign>[-+])?(?P<n>{NUM})分(?![钟之制数值])(?P<rp>\\))?")
_EACH_TAIL = re.compile(f"每[一1]?(?:个|次|类|项|场|期|种)?(?:{GNOUN})?$")
_OUTLINE_HEAD = re.compile(
    "^(?:[0-9]{1,2}[.、)](?![0-9])|\\([0-9]{1,2}\\)|[一二三四五六七八九十]{1,3}[、.])"
)
_SEG_TRIM = " ,、;。:\n()" + FILL


def _points(st: State) -> None:
    seg_start = 0
    for m in _POINTS_RX.finditer(st.buf):
        if m.group("lp") and m.group("rp"):
            a, b = m.start(), m.end()
        else:
            a = m.start("sign") if m.group("sign") else m.start("n")
            b = m.end("n") + 1
        if _EACH_TAIL.search(st.buf[max(0, a - 12) : a]):
            continue
        value = _num(st, m, "n")
        if value is None:
            continue
        if m.group("sign") == "-":
            value = -value
        applies = _OUTLINE_HEAD.sub("", st.s[seg_start:a].strip(_SEG_TRIM)).strip(_SEG_TRIM)
        rule = Rule("points", {"points": value, "applies_to": applies, "covers": []}, st.s[a:b])
        st.add(a, b, rule, marker=True, seg_start=seg_start)
        st.mask(a, b)
        seg_start = b


def run_passes(st: State) -> None:
    """Every regex pass, in the order that keeps them from stealing each other's words."""
    _methods(st)
    asides(st)
    _bonus(st)
    _deductions(st)
    _attributes(st)
    _annotations(st)
    _thresholds(st)
    _points(st)
