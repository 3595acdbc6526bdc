"""Lexicon and number lexing for the requirement parser.

Cleans a requirement text (circled numbers, NFKC, traditional characters, stray spaces,
doubled words), finds every number in it and decides which numbers are not quantities at
all (outline numbers, dates and years, ordinals, idioms such as 统一/一些, names in quotes).
The parse state (`State`) keeps a working copy of the text in which consumed or exempt
characters are replaced by `FILL`, so that later passes cannot read them twice.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any, Optional, Union

from wenming_xl.text import cn_to_int, normalize

Number = Union[int, float]

#: Replaces consumed characters in the working copy; no pattern ever matches it.
FILL = "\x1f"

CN_CHARS = "〇零○Ο一二两三四五六七八九十百千万"
CN = f"[{CN_CHARS}]+"
AR = r"\d+(?:\.\d+)?"
# Numbers as whole runs only (never the middle of a run): keeps every pattern linear.
NUM = f"(?:(?<![0-9])(?<!\\d\\.){AR}(?![0-9])(?!\\.\\d)|(?<![{CN_CHARS}]){CN}(?![{CN_CHARS}]))"
HAN = "\u4e00-\u9fff"
CN_RUN = f"(?<![{CN_CHARS}]){CN}(?![{CN_CHARS}])"

# ----------------------------------------------------------------------------- bounds

#: Words before a number, mapped to an operator (ge, gt, le, lt, approx).
PRE_BOUNDS = {
    "不少于": "ge",
    "不得少于": "ge",
    "不低于": "ge",
    "不得低于": "ge",
    "不小于": "ge",
    "至少": "ge",
    "最少": "ge",
    "最低": "ge",
    "大于等于": "ge",
    "大于或等于": "ge",
    "达到": "ge",
    "≥": "ge",
    "超过": "gt",
    "多于": "gt",
    "大于": "gt",
    "高于": "gt",
    ">": "gt",
    "不超过": "le",
    "不得超过": "le",
    "不多于": "le",
    "不高于": "le",
    "不大于": "le",
    "小于等于": "le",
    "最多": "le",
    "至多": "le",
    "≤": "le",
    "少于": "lt",
    "小于": "lt",
    "低于": "lt",
    "不足": "lt",
    "<": "lt",
    "最多为": "le",
    "最高为": "le",
    "最长为": "le",
    "最长": "le",
    "只能": "le",
    "仅限": "le",
    "最少为": "ge",
    "最低为": "ge",
    "最短为": "ge",
    "最短": "ge",
    "大约": "approx",
    "约": "approx",
}
#: Words after a number (and its unit).
POST_BOUNDS = {
    "及以上": "ge",
    "或以上": "ge",
    "以上": "ge",
    "及以下": "le",
    "以下": "le",
    "以内": "le",
    "之内": "le",
    "左右": "approx",
    "上下": "approx",
}


def _alt(words: Any) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


BOUND_PRE = f"(?:{_alt(PRE_BOUNDS)})"
BOUND_POST = f"(?:{_alt(POST_BOUNDS)})"

#: Operators as the threshold rule writes them.
OPS = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<", "approx": ">="}
#: The requirement behind a deduction's condition (「低于95%的扣1分」 means ≥95% is required).
INVERT = {">=": "<", ">": "<=", "<=": ">", "<": ">="}

# ----------------------------------------------------------------------------- units

#: Units of things that are counted as evidence (files, pages, places, people named).
COUNT_UNITS = (
    "张 篇 份 个 件 幅 块 家 期 本 套 段 组 页 条 项 处 间 则 册 首 封 批 所 支 位 座 台 部 种 枚 帧 户 名 人"
).split()
#: Units that count groups (activities, kinds of activity).
GROUP_UNITS = ("次", "类", "场", "轮")
#: Units that only make a group when a group noun follows (「3个传统节日」, 「2项活动」).
GROUPISH_UNITS = ("个", "项", "种", "期", "届")
#: Units of measured quantities: a threshold, not a count of files.
MEASURE_UNITS = (
    "个百分点 个工作日 工作日 个小时 小时 分钟 个月 平方米 平米 公里 千米 学时 课时 万元 千元 万字 千字 "
    "万人次 万人 人次 周岁 天 日 周 年 米 字 元 岁 倍 人 名 户"
).split()
DEFAULT_UNIT = {"image": "张", "document": "份", "list": "份", "video": "段", "other": "个"}

# ----------------------------------------------------------------------------- nouns

_IMAGE_MOD = "实景|封面|扫描|效果|示意|现场|宣传|海报|活动|设计|平面|航拍"
_NOUN_TABLE: list[tuple[str, str, str]] = [
    # (word as written, object, category)
    ("截图", "截图", "image"),
    ("截屏", "截图", "image"),
    ("合影照", "合影照", "image"),
    ("合影", "合影", "image"),
    ("工作照", "工作照", "image"),
    ("集体照", "集体照", "image"),
    ("图像", "图像", "image"),
    ("短视频", "视频", "video"),
    ("音视频", "视频", "video"),
    ("视频", "视频", "video"),
    ("录像", "录像", "video"),
    ("名单", "名单", "list"),
    ("花名册", "花名册", "list"),
    ("名册", "名册", "list"),
    ("清单", "清单", "list"),
    ("台账", "台账", "list"),
    ("统计表", "统计表", "list"),
    ("汇总表", "汇总表", "list"),
    ("登记表", "登记表", "list"),
    ("签到表", "签到表", "list"),
    ("报名表", "报名表", "list"),
    ("申报表", "申报表", "document"),
    ("推荐表", "推荐表", "document"),
    ("审批表", "审批表", "document"),
    ("评分表", "评分表", "document"),
    ("考核表", "考核表", "document"),
    ("明细表", "明细表", "list"),
    ("览表", "一览表", "list"),
    ("情况说明", "情况说明", "document"),
    ("说明材料", "说明材料", "document"),
    ("证明材料", "证明材料", "document"),
    ("事迹材料", "事迹材料", "document"),
    ("佐证材料", "佐证材料", "document"),
    ("相关材料", "材料", "document"),
    ("有关材料", "材料", "document"),
    ("材料", "材料", "document"),
    ("简要说明", "说明", "document"),
    ("书面说明", "说明", "document"),
    ("文字说明", "说明", "document"),
    ("说明", "说明", "document"),
    ("文字记录", "文字记录", "document"),
    ("会议记录", "会议记录", "document"),
    ("活动记录", "活动记录", "document"),
    ("记录", "记录", "document"),
    ("工作计划", "工作计划", "document"),
    ("实施方案", "实施方案", "document"),
    ("活动方案", "活动方案", "document"),
    ("方案", "方案", "document"),
    ("计划", "计划", "document"),
    ("规划", "规划", "document"),
    ("工作总结", "总结", "document"),
    ("总结", "总结", "document"),
    ("报告", "报告", "document"),
    ("通知", "通知", "document"),
    ("文件", "文件", "document"),
    ("新闻稿", "新闻稿", "document"),
    ("报道", "报道", "document"),
    ("文章", "文章", "document"),
    ("稿件", "稿件", "document"),
    ("信息", "信息", "document"),
    ("荣誉证书", "证书", "document"),
    ("证书", "证书", "document"),
    ("奖状", "奖状", "document"),
    ("证明", "证明", "document"),
    ("扫描件", "扫描件", "document"),
    ("复印件", "复印件", "document"),
    ("原件", "原件", "document"),
    ("制度", "制度", "document"),
    ("文本", "文本", "document"),
    ("简报", "简报", "document"),
    ("会议纪要", "会议纪要", "document"),
    ("纪要", "纪要", "document"),
    ("档案", "档案", "document"),
    ("协议书", "协议书", "document"),
    ("协议", "协议", "document"),
    ("合同", "合同", "document"),
    ("责任书", "责任书", "document"),
    ("承诺书", "承诺书", "document"),
    ("倡议书", "倡议书", "document"),
    ("心得体会", "心得体会", "document"),
    ("讲稿", "讲稿", "document"),
    ("读书笔记", "笔记", "document"),
    ("学习笔记", "笔记", "document"),
    ("笔记", "笔记", "document"),
    ("课件", "课件", "document"),
    ("附件", "附件", "document"),
    ("资料", "资料", "document"),
    ("佐证", "佐证", "document"),
    ("案例", "案例", "document"),
    ("报表", "报表", "document"),
    ("版面", "版面", "document"),
    ("宣传册", "宣传册", "document"),
    ("手册", "手册", "document"),
    ("批复", "批复", "document"),
]
_NOUNS = {w: (o, c) for w, o, c in _NOUN_TABLE}
NOUN_RX = (
    f"(?:(?:{_IMAGE_MOD})?(?:图片|照片|相片)|(?:{_IMAGE_MOD})图(?![片像表书文纸标])|{_alt(_NOUNS)})"
)


def noun_info(word: str) -> tuple[str, str]:
    """The normalized object and category of a noun matched by `NOUN_RX`."""
    if word in _NOUNS:
        return _NOUNS[word]
    for tail in ("图片", "照片", "相片"):
        if word.endswith(tail):
            return ("照片" if tail == "相片" else tail), "image"
    return word, "image"


#: Group nouns (what one group is): an activity, a festival, a meeting…
GNOUN = (
    "(?:主题|传统|志愿服务|专题|集中|学习|党员|文体|走亲|公益|群众性)?"
    "(?:节日|活动|会议|大会|培训|讲座|宣讲|交流|比赛|党课|慰问|走访|演练|讨论)"
)
_GNOUN_KEY = re.compile("(节日|活动|会议|大会|培训|讲座|宣讲|交流|比赛|党课|慰问|走访|演练|讨论)$")
GNOUN_TAIL_RX = re.compile(f"{GNOUN}[(]?$")


def group_name(text: str) -> str:
    """The group word of a group noun: 传统节日 → 节日, 主题活动 → 活动."""
    m = _GNOUN_KEY.search(text)
    return m.group(1) if m else text


#: Verbs that ask for evidence: nouns after them are requested objects.
VERBS = "(?:上传|提供|提交|附上|附有|需附|并附|留存|收集|附(?![件近加属和]))"

# ----------------------------------------------------------------------------- cleaning

_CIRCLED = re.compile("[\u2460-\u249b\u24eb-\u24ff\u2776-\u2793\u3220-\u3229\u3280-\u3289]")
_HSPACE = re.compile(r"[^\S\n]+")
_PUNCT = str.maketrans({"—": "-", "–": "-", "−": "-", "〜": "~", "≧": "≥", "≦": "≤", "﹪": "%"})
_NOT_CN = f"(?![{CN_CHARS}])"
_DOUBLE = re.compile(f"((?:{_NOT_CN}[{HAN}]){{2,4}}?)\\1+|([于的])\\2+")


def clean(text: object) -> str:
    """Normalise a requirement text: circled numbers become line breaks, NFKC, simplified
    characters, no spaces, unified dashes and comparison signs, doubled words collapsed."""
    if text is None:
        return ""
    t = _CIRCLED.sub("\n", str(text))
    t = normalize(t)
    t = _HSPACE.sub("", t)
    t = t.translate(_PUNCT).replace(">=", "≥").replace("<=", "≤")
    t = _DOUBLE.sub(lambda m: m.group(1) or m.group(2), t)
    return t.strip("\n")


# ----------------------------------------------------------------------------- numbers that are not numbers

_IDIOMS = (
    "一次性 一致 统一 一些 一起 一同 一定 一直 一般 一律 一切 一系列 一体化 一体 进一步 一流 唯一 "
    "一线 一并 逐一 一旦 一方面 万一 一贯 一站式 一对一 一把手 一岗双责 一卡通 一览表 一览 "
    "一带一路 两学一做 三会一课 一老一小 一网通办 一网统管 一年一度 专一 第一 一手 一心一意 "
    "一如既往 一视同仁 一丝不苟 一以贯之 一马当先 一盘棋 一件事 一窗受理 一窗通办 一下 一点 一样 一番 "
    "一度 一概 一味 一向 一道 一齐 一举 一揽子 一门式 一张网 一张图 一张蓝图 一刀切 一肩挑 某一 任一 "
    "百姓 老百姓 百花 百年 百日 百佳 百强 百科 百度 百家 千方百计 千家万户 千秋 千万 万家 万众 万物 "
    "五湖四海 三番五次 四面八方 一五一十 四风 三农 三公 两会 两委 两新 两癌 三甲 二甲 三严三实 四史 "
    "四个意识 四个自信 两个维护 两个确立 两个责任 八项规定 九九 五水共治 三改一拆 四边三化 最多跑一次 "
    "十佳 十强 三进三送 三好一满意 三重一大 双万 双千 二维码 三维 十四五 十三五 十二五 半边天 "
    "上一轮 上一届 上一年度 上一年 上一期 下一步 下一轮 下一届 零距离 零容忍 零投诉 零差错 零事故 零缺陷 零星 零散 零售 零碎"
).split()

_Q = "{0,40}"
_EXEMPT_PATTERNS = [
    # names and titles in quotes
    f"“[^“”\\n]{_Q}”",
    f"《[^《》\\n]{_Q}》",
    f"「[^「」\\n]{_Q}」",
    f"『[^『』\\n]{_Q}』",
    f'"[^"\\n]{_Q}"',
    f"‘[^‘’\\n]{_Q}’",
    # dates and years
    r"(?<!\d)(?:19|20)\d{2}[-./年](?:1[0-2]|0?[1-9])[-./月](?:[12]\d|3[01]|0?[1-9])(?!\d)[日号]?",
    r"(?<!\d)(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)",
    r"(?<!\d)(?:19|20)\d{2}[-~至到](?:19|20)\d{2}(?!\d)",
    r"(?<!\d)(?:19|20)\d{2}[-~至到]\d{2}(?=年)",
    r"(?<!\d)(?:19|20)\d{2}年(?:1[0-2]|0?[1-9])月",
    r"(?<!\d)(?:19|20)\d{2}(?=年|届|级|版|学年)",
    "[〇零○Ο一二三四五六七八九]{4}(?=年)",
    r"(?<![\d个每第.])(?:1[0-2]|0?[1-9])月(?:(?:[12]\d|3[01]|0?[1-9])[日号])?",
    "(?<![个每第])(?:十[一二]?|[一二三四五六七八九])月(?:(?:[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])[日号])?",
    r"(?<!\d)\d{1,2}:\d{2}(?!\d)",
    # outline numbers: 「2.实景照片」, 「（3）」, 「一、」
    r"(?:^|(?<=[\n;。:,]))(?:\d{1,2}[.、)](?!\d)|[一二三四五六七八九十]{1,3}[、.](?!\d)|\([一二三四五六七八九十]{1,3}\))",
    r"\((?:\d{1,2}|[一二三四五六七八九十]{1,3})\)",
    # ordinals and levels: 第十五次, 一、二、三等奖, 十八大, 六中全会, 十七届, 三级, 三甲
    f"第{NUM}",
    f"(?:{NUM}[、,]){{0,4}}{NUM}等(?:奖|功)",
    f"{CN_RUN}(?=大(?!于|约|批|型|量|力|幅|部分|规模|会|家|多|概|小|致))",
    f"{CN_RUN}(?=中全会|届)",
    f"{NUM}(?=星级|级|甲)",
    # periods: 近三年, 近5年
    f"(?<=近){NUM}(?=年)",
    # festivals: 三八节, 七一前夕
    "(?:三八|五一|五四|六一|七一|八一)(?=节|妇女节|劳动节|青年节|儿童节|建党|建军|前|后|期间|当天|[、,”])",
    "十一(?=国庆|长假|黄金周)",
    # 「一年一次」: the 一 of the period
    f"[一1](?=(?:年|季度|季|月|周|学期)(?:至少|不少于|不低于)?{NUM}次)",
    # codes: A4, 5G, mp4
    r"(?<![A-Za-z0-9])(?i:[AB][345]|[345]G|[23]D|mp[34]|H5|[248]K)(?![A-Za-z0-9])",
    "百分(?=比|率|点)",
    "(?<!分)之一",
    f"(?<![{CN_CHARS}])十分(?=[{HAN}])(?![之以钟为])",
    "千分(?=比|率)",
    # 单一/同一 (single, same), but not the 一 of 「名单一份」「清单一」「合同一份」
    "(?<![名清菜账订表报传签保])单一",
    "(?<!合)同一",
    _alt(_IDIOMS),
]
_EXEMPT_RX = re.compile("|".join(_EXEMPT_PATTERNS), re.M)
_NUMERAL_CHAR = re.compile(f"[0-9{CN_CHARS}]")


def mask_exempt(s: str) -> str:
    """`s` with the numerals that are not quantities replaced by `FILL`."""
    out = list(s)
    for m in _EXEMPT_RX.finditer(s):
        for i in range(m.start(), m.end()):
            if _NUMERAL_CHAR.match(s[i]):
                out[i] = FILL
    return "".join(out)


def value_of(text: str) -> Optional[Number]:
    """The value of an Arabic or Chinese number; None when it is not one."""
    if not text or len(text) > 15:
        return None  # not a quantity anyone writes; the number is reported as not understood
    if text.isdigit():
        return int(text)
    try:
        f = float(text)
    except ValueError:
        n = cn_to_int(text)
        return n
    return int(f) if f.is_integer() else f


# Arabic numbers followed by 万/千/百 keep the multiplier in their unit (「5万元」).
_NUM_TOKEN = re.compile(f"(?P<ar>{AR})|(?<![0-9])(?P<cn>{CN})|(?<=[0-9])(?P<cnx>{CN})")


@dataclass
class NumTok:
    """One number of the text: where it is, its value, and whether a rule used it."""

    start: int
    end: int
    text: str
    value: Optional[Number]
    used: bool = False


@dataclass
class Placed:
    """A rule and where in the text it came from (for ordering, segments and nesting)."""

    pos: int
    end: int
    rule: Any
    tags: dict[str, Any] = field(default_factory=dict)


class State:
    """The parse of one text: the clean text, the working copy, its numbers and rules."""

    def __init__(self, s: str, months: Optional[int] = None) -> None:
        self.s = s
        #: The length of the assessment period in months, when known (frequencies need it).
        self.months = months
        self.buf = mask_exempt(s)
        self.nums: list[NumTok] = []
        for m in _NUM_TOKEN.finditer(self.buf):
            if m.group("cnx"):
                if m.group("cnx") in ("万", "千", "百", "亿"):
                    continue
            self.nums.append(NumTok(m.start(), m.end(), m.group(0), value_of(m.group(0))))
        self._starts = [t.start for t in self.nums]
        self.placed: list[Placed] = []
        self.unparsed: list[str] = []
        #: Entries of ``unparsed`` understood but left to a person, with their reason.
        self.reasons: list[str] = []
        self.sentences = sentence_spans(s)
        #: Where the first upload verb is (nouns after it are requested objects).
        self.first_verb: Optional[int] = None

    # -- working copy
    def mask(self, a: int, b: int) -> None:
        """Replace buf[a:b] by FILL so that no later pass reads it."""
        if b > a:
            self.buf = self.buf[:a] + FILL * (b - a) + self.buf[b:]

    def use(self, a: int, b: int) -> list[Number]:
        """Mark the numbers inside [a, b) as used by a rule; return their values."""
        vals: list[Number] = []
        for k in range(bisect_left(self._starts, a), len(self.nums)):
            t = self.nums[k]
            if t.start >= b:
                break
            if t.end <= b and not t.used and t.value is not None:
                t.used = True
                vals.append(t.value)
        return vals

    def add(self, pos: int, end: int, rule: Any, **tags: Any) -> Placed:
        p = Placed(pos, end, rule, dict(tags))
        self.placed.append(p)
        return p

    def note_unparsed(self, text: str) -> None:
        text = text.strip(" ,、;。:\n" + FILL)
        if text and text not in self.unparsed:
            self.unparsed.append(text[:80])

    def note_review(self, text: str, reason: str) -> None:
        """Say that `text` was understood but needs a person, and why (plain Chinese)."""
        text = text.strip(" ,、;。:\n" + FILL)[:60]
        entry = f"{text}（{reason}）" if text else reason
        if entry not in self.unparsed:
            self.unparsed.append(entry)
            self.reasons.append(entry)

    # -- text helpers
    def clause(self, pos: int, end: Optional[int] = None, stops: str = ",;。\n:") -> str:
        """The clause of the clean text around [pos, end)."""
        end = pos if end is None else end
        a = max(self.s.rfind(c, 0, pos) for c in stops) + 1
        bs = [i for i in (self.s.find(c, end) for c in stops) if i >= 0]
        b = min(bs) if bs else len(self.s)
        return self.s[a:b]

    def context(self, tok: NumTok) -> str:
        """The clause around a number, cut to about 60 characters around it when long."""
        text = self.clause(tok.start, tok.end)
        if len(text) <= 80:
            return text
        a = max(self.s.rfind(c, 0, tok.start) for c in ",;。\n:") + 1
        lo = max(a, tok.start - 30)
        return self.s[lo : tok.end + 30]

    def leftover_numbers(self) -> list[NumTok]:
        return [t for t in self.nums if not t.used]


_SENTENCE_END = re.compile(r"[。;!?\n]|(?<!\d)\.(?!\d)")


def sentence_spans(s: str) -> list[tuple[int, int]]:
    """Spans of the sentences of `s` (split at 。 ; ! ? line breaks and a lone full stop)."""
    spans: list[tuple[int, int]] = []
    a = 0
    for m in _SENTENCE_END.finditer(s):
        if m.start() > a:
            spans.append((a, m.start()))
        a = m.end()
    if a < len(s):
        spans.append((a, len(s)))
    return spans
