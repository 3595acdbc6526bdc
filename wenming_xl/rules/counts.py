"""The count pass of the requirement parser: objects, counts and groups of evidence.

It reads one sentence (or one option of an alternative) of the working copy as a
stream of tokens — bounds, numbers with units, 每-phrases, evidence nouns, upload verbs,
brackets, separators — and builds `count` rules (「照片不少于4张」, 「照片（2张）」),
`groups` rules (「不少于2次活动，每次活动3张图片」) and the implicit counts of objects
named without a number (「上传活动照片」 → at least one 照片).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Optional

from wenming_xl.model import Rule
from wenming_xl.rules.frequency import (
    ACTIVITY_TAIL,
    activity_name,
    find_period,
    over_period,
    period_of,
)
from wenming_xl.rules.lexicon import (
    BOUND_POST,
    BOUND_PRE,
    COUNT_UNITS,
    DEFAULT_UNIT,
    FILL,
    GNOUN,
    GNOUN_TAIL_RX,
    GROUP_UNITS,
    GROUPISH_UNITS,
    NOUN_RX,
    NUM,
    POST_BOUNDS,
    PRE_BOUNDS,
    VERBS,
    Number,
    Placed,
    State,
    _alt,
    group_name,
    noun_info,
    value_of,
)

_UNITS_C = _alt(set(COUNT_UNITS) | set(GROUP_UNITS) | set(GROUPISH_UNITS) | {"分"})
_TOK_RX = re.compile(
    "(?P<period>每(?:[一1]|[两二三四五六2-6])?个?(?:年度?|季度?|半年|月|周|天|日|学期)|全年)"
    "|(?P<each>每(?P<eone>[一1])?(?P<eu>个|次|类|项|场|期|轮|种|位|名|人|篇|条|份|处|间|家|张|批|组)?"
    f"(?P<eg>{GNOUN})?)"
    f"|(?P<bound>{BOUND_PRE})"
    f"|(?P<num>{NUM})(?:(?P<rs>[-~至到])(?P<num2>{NUM}))?(?P<more>多|余)?(?P<unit>{_UNITS_C})?"
    f"(?P<gn>{GNOUN})?(?P<post>{BOUND_POST})?"
    f"|(?P<noun>{NOUN_RX})"
    f"|(?P<verb>{VERBS})"
    "|(?P<open>[(\\[【〔])|(?P<close>[)\\]】〕])"
    "|(?P<sep>[,、/]|以及|和|及|与|并|或者?)"
)
_SEP_CHARS = re.compile("[,、;。()和及与并或]")
#: Units whose object is rarely an evidence noun (「不少于4间」, 「联系一个支部」).
_GENERIC_UNITS = set("个 件 家 所 位 座 台 支 户 间 处 项 名 人 种 批 组 块 枚 首".split())
_UNIT_DEFAULT_OBJECT = {
    "张": ("图片", "image"),
    "幅": ("图片", "image"),
    "帧": ("图片", "image"),
    "份": ("材料", "document"),
    "页": ("材料", "document"),
    "篇": ("文章", "document"),
    "则": ("信息", "document"),
    "段": ("视频", "video"),
}
_WORD_AFTER = re.compile("[\u4e00-\u9fff]{1,6}")
_WORD_CUT = re.compile("[的和及等并与、]")
_LEADING_VERBS = re.compile(
    ".*(?:设置|设立|建立|配备|开展|组织|上传|提供|建有|拥有|配置|举办|参加|参与|张贴|悬挂|摆放|放置|"
    "开设|建设|打造|拍摄|制作|创作|撰写|编写|录制|印发|发放|发布|更新|报送|上报|提交|在|有)"
)
_EACH_WORD = re.compile(
    "(?:党小组|支部|科室|部门|班级|年级|学院|单位|社区|小组|窗口|网格|楼层|病区)"
    f"(?={VERBS}|[^\u4e00-\u9fff])"
)
_NOUN_SEARCH = re.compile(NOUN_RX)
#: What ends a list of parts after a colon (「照片3张：①…②…」).
_LIST_END = re.compile("[。;]")
#: A bracketed aside inside the words before a count (「公益广告（含电子显示屏）达到10处」).
_BRACKETED = re.compile("\\([^()]*\\)")
#: Units of written pieces: an unknown thing counted in them is a document (「3份读后感」).
_PAPER_UNITS = set("份 篇 本 册 页 则 部".split())
#: Units of things put up or shown: 「公益广告2幅」 counts the posters, not image files.
_SHOWN_UNITS = set("幅 张 块 面".split())
_NOT_OBJECT_START = re.compile(
    "以|上|左|及|或|并|需|须|注|每|的|其|等|内|共|为|均|且|要|应|含|包|合|分|即|可|能|作|用|备|存|留|"
    "报|交|发|传|提|附|和|与|同|在|于|由|对|按|经|已|后|前|中|时|到|至|不|没|无|次|是|有|就|都|也|又|再|"
    f"[{FILL}]"
)
#: 「其中…」 names a part of a count already given.
_SUBSET = re.compile("其中")
#: Umbrella nouns that take the kind of the evidence named before them.
_UMBRELLA = ("资料", "材料", "佐证", "佐证材料")
_NOT_HAN = re.compile("[^\u4e00-\u9fff]")
_LIST_SEPS = re.compile("[、和及与]")
_LEADING_OUTLINE = re.compile("^[0-9.、)(]+")
_GROUP_LOOKBACK_JUNK = re.compile(f"(?:{BOUND_PRE}|每年|全年|每季度?|每月|年|{FILL})+$")
_NON_HEAD_START = ("有", "无", "建立", "制定", "健全", "完善", "落实", "按", "以")


@dataclass
class Tok:
    """One token of the count pass."""

    kind: str
    start: int
    end: int
    m: Any
    quantified: bool = False
    absorbed: bool = False
    retype: Optional[Tok] = None
    idx: int = 0


@dataclass
class Frame:
    """An open bracket: the noun it belongs to and whether it produced any count."""

    owner: Optional[Tok]
    produced: bool = False
    groups: list[Placed] = field(default_factory=list)


def _tokens(buf: str, a: int, b: int) -> list[Tok]:
    out = []
    for m in _TOK_RX.finditer(buf, a, b):
        kind = (
            m.lastgroup
            if m.lastgroup in ("period", "bound", "noun", "verb", "open", "close", "sep")
            else None
        )
        if kind is None:
            for k in ("each", "num"):
                if m.group(k) is not None:
                    kind = k
                    break
        if kind == "each" and not (m.group("eu") or m.group("eg")):
            continue
        out.append(Tok(kind or "other", m.start(), m.end(), m, idx=len(out)))
    return out


def _adjacent(buf: str, a: int, b: int, limit: int = 4) -> bool:
    gap = buf[a:b].replace(FILL, "")
    return len(gap) <= limit and not _SEP_CHARS.search(gap)


class CountPass:
    """Parse the counts and groups of one span of the working copy."""

    def __init__(self, st: State, a: int, b: int, buf: Optional[str] = None) -> None:
        self.st = st
        self.buf = st.buf if buf is None else buf
        self.a, self.b = a, b
        self.toks = _tokens(self.buf, a, b)
        self.groups: list[Placed] = []

    # -- helpers
    def _bound(self, tok: Tok) -> Optional[str]:
        return PRE_BOUNDS.get(tok.m.group("bound")) if tok.kind == "bound" else None

    def _resolve(self, i: int, k0: int, frames: list[Frame]) -> tuple[str, str, Optional[Tok]]:
        toks, buf, t = self.toks, self.buf, self.toks[i]
        unit = t.m.group("unit")
        if i + 1 < len(toks) and toks[i + 1].kind == "noun" and not toks[i + 1].absorbed:
            if _adjacent(buf, t.end, toks[i + 1].start):
                return self._noun(self._head(i + 1))
        if (
            k0 > 0
            and toks[k0 - 1].kind == "noun"
            and _adjacent(buf, toks[k0 - 1].end, toks[k0].start)
        ):
            return self._noun(toks[k0 - 1])
        for f in reversed(frames):
            if f.owner is not None:
                return self._noun(f.owner)
        if unit not in _GENERIC_UNITS:
            # 「3份读后感」, 「一张办公桌」: a thing the lexicon does not know, named after its unit
            word = self._object_after(t.end)
            if word:
                return word, ("document" if unit in _PAPER_UNITS else "other"), None
            if unit in _SHOWN_UNITS or unit in _PAPER_UNITS:  # 「张贴公益广告2幅」, 「观后感2篇」
                word = self._word_before(toks[k0].start)
                if len(word) >= 2 and not _NOT_OBJECT_START.match(word):
                    return word, ("document" if unit in _PAPER_UNITS else "other"), None
        if unit in _GENERIC_UNITS:
            word = self._object_after(t.end)
            if word:
                return word, "other", None
            word = self._word_before(toks[k0].start)
            if word:
                return word, "other", None
        for j in range(k0 - 1, max(-1, k0 - 40), -1):
            if toks[j].kind == "noun" and not toks[j].absorbed:
                return self._noun(toks[j])
        for j in range(i + 1, min(len(toks), i + 40)):
            if toks[j].kind == "noun" and not toks[j].absorbed:
                return self._noun(toks[j])
        if unit in _UNIT_DEFAULT_OBJECT:
            obj, cat = _UNIT_DEFAULT_OBJECT[unit]
            return obj, cat, None
        return (self._word_before(toks[k0].start) or unit or "数量"), "other", None

    def _object_after(self, pos: int) -> str:
        """The word right after a unit when it names a thing (not 「以上」, 「注明」, 「并附」…)."""
        word = self._word_after(pos)
        if len(word) < 2 or _NOT_OBJECT_START.match(word) or _NOUN_SEARCH.search(word):
            return ""
        return word

    def _word_after(self, pos: int) -> str:
        w = _WORD_AFTER.match(self.buf, pos)
        return _WORD_CUT.split(w.group(0))[0] if w else ""

    def _word_before(self, pos: int) -> str:
        """The thing named in the clause before a quantity: 「张贴公益广告不少于5处」 → 公益广告."""
        whole = _BRACKETED.sub(lambda m: FILL * len(m.group(0)), self.st.s[self.a : pos])
        a = max(whole.rfind(c) + 1 for c in ",、;:(")
        text = whole[a:].replace(FILL, "")
        if _NOUN_SEARCH.search(text):
            return ""  # an evidence noun is there: the nearest-noun rule will take it
        text = _LEADING_VERBS.sub("", text)
        return _NOT_HAN.sub("", text)[-8:]

    def _head(self, k: int) -> Tok:
        """The head of the noun phrase starting at token k: 「信息稿件」 → 稿件."""
        toks = self.toks
        while (
            k + 1 < len(toks)
            and toks[k + 1].kind == "noun"
            and _adjacent(self.buf, toks[k].end, toks[k + 1].start, 6)
        ):
            k += 1
        return toks[k]

    def _noun_adjacent(self, i: int, k0: int) -> bool:
        toks, buf = self.toks, self.buf
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if nxt is not None and nxt.kind == "noun" and _adjacent(buf, toks[i].end, nxt.start, 0):
            return True
        prev = toks[k0 - 1] if k0 > 0 else None
        return (
            prev is not None and prev.kind == "noun" and _adjacent(buf, prev.end, toks[k0].start, 0)
        )

    def _noun(self, tok: Tok) -> tuple[str, str, Optional[Tok]]:
        src = tok.retype or tok
        obj, cat = noun_info(src.m.group("noun"))
        prev = self.toks[tok.idx - 1] if tok.idx > 0 else None
        if obj in _UMBRELLA and prev is not None and prev.kind == "noun":
            if _adjacent(self.buf, prev.end, tok.start, 6):
                pobj, pcat = noun_info(prev.m.group("noun"))
                if pcat in ("image", "video"):  # 「视频资料」 is a video, 「图片资料」 images
                    return pobj, pcat, tok
        return obj, cat, tok

    def _group_for(self, each: Tok) -> Placed:
        if self.groups:
            return self.groups[-1]
        earlier = [p for p in self.st.placed if p.rule.kind == "groups" and p.pos < each.start]
        if earlier:
            return earlier[-1]
        eu, eg = each.m.group("eu"), each.m.group("eg")
        word = _EACH_WORD.match(self.buf, each.end)
        if eu == "类":
            name = "类"
        elif eg:
            name = group_name(eg)
        elif eu in ("个", "位", "名") and word:
            name = word.group(0)  # 「每个支部」
        elif eu in ("次", "场", "轮"):
            name = "活动"
        elif eu in ("人", "位", "名"):
            name = "人"
        else:
            name = eu or "活动"
        rule = Rule("groups", {"group": name, "min": 1, "each": [], "points_each": None})
        rule.source = self.st.s[each.start : each.end]
        p = self.st.add(each.start, each.end, rule, implicit=True)
        self.groups.append(p)
        return p

    def _group_name(self, t: Tok, start: int) -> str:
        if t.m.group("unit") == "类":
            return "类"
        if t.m.group("gn"):
            return group_name(t.m.group("gn"))
        before = _GROUP_LOOKBACK_JUNK.sub("", self.buf[max(self.a, start - 16) : start])
        tail = GNOUN_TAIL_RX.search(before)
        if tail:
            return group_name(tail.group(0).rstrip("("))
        return activity_name(self.st, self.buf, t.end, start, self.a) or "活动"

    def _describe(self, owner: Tok, i: int) -> None:
        """「证明材料（图片）」, 「文件（红头文件扫描件）」: a bracket of nouns says what the owner is."""
        toks, k = self.toks, i + 1
        while k < len(toks) and toks[k].kind in ("noun", "sep"):
            k += 1
        inner = [t for t in toks[i + 1 : k] if t.kind == "noun"]
        if not inner or k >= len(toks) or toks[k].kind != "close":
            return
        for t in inner:
            t.absorbed = True
        head = inner[-1]
        if noun_info(head.m.group("noun"))[1] != noun_info(owner.m.group("noun"))[1]:
            owner.retype = head

    # -- the pass
    def run(self) -> None:
        toks = self.toks
        frames: list[Frame] = []
        for i, t in enumerate(toks):
            if t.kind == "open":
                owner = None
                if (
                    i > 0
                    and toks[i - 1].kind == "noun"
                    and _adjacent(self.buf, toks[i - 1].end, t.start, 0)
                ):
                    owner = toks[i - 1]
                    self._describe(owner, i)
                frames.append(Frame(owner))
            elif t.kind == "close" and frames:
                f = frames.pop()
                self._close(f)
                if f.produced and f.owner is not None:
                    f.owner.quantified = True
                if frames:
                    frames[-1].produced |= f.produced
            elif t.kind == "num":
                if self._number(i, frames) and frames:
                    frames[-1].produced = True
        for f in frames:
            self._close(f)
            if f.produced and f.owner is not None:
                f.owner.quantified = True
        self._implicit()

    def _close(self, f: Frame) -> None:
        """「活动照片（每季度不少于1次活动）」: groups without a count of their own hold the owner."""
        if f.owner is None:
            return
        obj, cat, _ = self._noun(f.owner)
        for g in f.groups:
            if not any(r.kind == "count" for r in g.rule.data["each"]):
                data = {"object": obj, "category": cat, "min": 1, "max": None}
                data.update(unit=DEFAULT_UNIT[cat], approx=False)
                g.rule.data["each"].append(
                    Rule("count", data, self.st.s[f.owner.start : f.owner.end])
                )

    def _number(self, i: int, frames: list[Frame]) -> bool:
        toks, st, t = self.toks, self.st, self.toks[i]
        value = value_of(t.m.group("num"))
        if value is None:
            return False
        unit, post = t.m.group("unit"), t.m.group("post")
        k0, bound, each = i, None, None
        j = i - 1
        if j >= 0 and toks[j].kind == "bound" and _adjacent(self.buf, toks[j].end, t.start, 0):
            bound, k0, j = self._bound(toks[j]), j, j - 1
        e = j
        for kind in ("noun", "verb"):  # 「每次上传照片不少于2张」: each, verb, noun, bound, number
            if (
                e >= 0
                and toks[e].kind == kind
                and _adjacent(self.buf, toks[e].end, toks[e + 1].start)
            ):
                e -= 1
        if (
            e >= 0
            and toks[e].kind == "each"
            and _adjacent(self.buf, toks[e].end, toks[e + 1].start)
        ):
            each = toks[e]
            if e == j:  # no noun between: the 每-phrase starts the quantity
                k0 = e
            j = e
            if bound is None and j - 1 >= 0 and toks[j - 1].kind == "bound":
                if _adjacent(self.buf, toks[j - 1].end, each.start, 0):
                    bound, k0 = self._bound(toks[j - 1]), j - 1
        if bound is None and post:
            bound = POST_BOUNDS[post]
        start = toks[k0].start
        if unit == "分":
            if each is None:
                return False
            self._group_for(each).rule.data["points_each"] = value
            st.use(t.m.start("num"), t.m.end("num"))
            st.use(each.start, each.end)
            return True
        if _SUBSET.search(self.st.clause(toks[k0].start, t.end, stops=",;。\n(")):
            return False  # 「其中室外3张」: a part of another count, left for a person
        is_group = unit in GROUP_UNITS or (unit in GROUPISH_UNITS and t.m.group("gn"))
        if is_group:
            if each is not None or bound in ("le", "lt"):
                return False
            low = value + 1 if bound == "gt" and isinstance(value, int) else value
            name = self._group_name(t, start)
            st.use(t.m.start("num"), t.m.end("num"))
            for g in self.groups:  # 「每次不少于3张，全年不少于4次」: the 每-phrase came first
                if g.tags.get("implicit") and g.rule.data["group"] in (name, "活动", "类"):
                    g.tags["implicit"] = False
                    g.rule.data["min"] = low
                    g.rule.source += "；" + st.s[start : t.end]
                    self._frequency(g.rule, start, t.end)
                    return True
            names = _split_activities(name)
            for k, one in enumerate(names):  # 「支委会和党小组会每月召开一次」: two kinds, each
                rule = Rule("groups", {"group": one, "min": low, "each": [], "points_each": None})
                rule.source = st.s[start : t.end]
                self._frequency(rule, start, t.end, quiet=k > 0)
                self.groups.append(st.add(start, t.end, rule))
            if frames:
                frames[-1].groups.append(self.groups[-1])
            return True
        if unit is None and not self._noun_adjacent(i, k0):
            return False  # a bare number: not understood, it goes to unparsed
        if unit in GROUPISH_UNITS and each is None and self._merge_group(t, value, bound):
            return True
        if self.buf[max(self.a, toks[k0].start - 1) : toks[k0].start] == "各":
            if self._each_listed(i, k0, value, bound):
                return True
        obj, cat, noun = self._resolve(i, k0, frames)
        data = self._bounds(value, bound, t)
        data = {"object": obj, "category": cat, **data}
        data["unit"] = unit or DEFAULT_UNIT[cat]
        end = t.end
        if noun is not None:
            noun.quantified = True
            if noun.start >= t.end and _adjacent(self.buf, t.end, noun.start):
                end = noun.end
            elif noun.end <= start and _adjacent(self.buf, noun.end, start):
                start = noun.start
        rule = Rule("count", data, st.s[start:end])
        st.use(t.start, t.end)
        if each is not None:
            st.use(each.start, each.end)
            self._group_for(each).rule.data["each"].append(rule)
        else:
            self._frequency(rule, start, end)
            st.add(start, end, rule)
        return True

    def _frequency(self, rule: Rule, start: int, end: int, quiet: bool = False) -> None:
        """「每月召开支委会1次」: the count per month becomes the count over the period."""
        m = find_period(self.st, self.buf, start, self.a)
        if m is None:
            return
        self.st.use(m.start(), m.end())
        every, unit = period_of(m)
        d = rule.data
        times, word = d["min"], d.get("unit") or "次"
        d["min"], doubt = over_period(times, every, unit, self.st.months, word)
        if d.get("max") is not None:
            d["max"], _ = over_period(d["max"], every, unit, self.st.months, word)
        d["frequency"] = {"every": every, "per": unit, "times": times}
        if doubt and not quiet:
            self.st.note_review(self.st.clause(m.start(), end, stops=",;。\n:、"), doubt)

    def _merge_group(self, t: Tok, value: Number, bound: Optional[str]) -> bool:
        """「每个班级1张，不少于10个班级」: the count of groups named by an earlier 每个."""
        word = self._word_after(t.end)
        for g in self.groups:
            if g.tags.get("implicit") and word and word == g.rule.data["group"]:
                if bound in ("le", "lt"):
                    return False
                g.tags["implicit"] = False
                g.rule.data["min"] = (
                    value + 1 if bound == "gt" and isinstance(value, int) else value
                )
                self.st.use(t.start, t.end)
                return True
        return False

    def _each_listed(self, i: int, k0: int, value: Number, bound: Optional[str]) -> bool:
        """「照片、视频各2个」: one count per listed noun; 「宣传栏、公示牌照片各1张」: 2 × 1."""
        toks, st, t = self.toks, self.st, self.toks[i]
        nouns, j = [], k0 - 1
        while j >= 0 and toks[j].kind in ("noun", "sep"):
            if toks[j].kind == "noun":
                nouns.append(toks[j])
            j -= 1
        if not nouns:
            return False
        items = len(nouns)
        if items == 1:
            lead = st.s[(toks[j].end if j >= 0 else self.a) : nouns[0].start]
            items = len(_LIST_SEPS.findall(lead)) + 1
        unit = t.m.group("unit")
        st.use(t.start, t.end)
        for n in reversed(nouns):
            n.quantified = True
            obj, cat, _ = self._noun(n)
            data = {"object": obj, "category": cat, **self._bounds(value, bound, t)}
            if len(nouns) == 1 and items > 1:
                data["min"] = data["min"] * items
                if data["max"] is not None:
                    data["max"] = data["max"] * items
            data["unit"] = unit or DEFAULT_UNIT[cat]
            st.add(n.start, t.end, Rule("count", data, st.s[n.start : t.end]))
        return True

    @staticmethod
    def _bounds(value: Number, bound: Optional[str], t: Tok) -> dict[str, Any]:
        hi = value_of(t.m.group("num2")) if t.m.group("num2") else None
        low, high, approx = value, hi, bool(t.m.group("more"))
        if bound == "gt":
            low = value + 1 if isinstance(value, int) else value
        elif bound in ("le", "lt"):
            high = value - 1 if bound == "lt" and isinstance(value, int) else value
            low = 1 if high and high >= 1 else 0
        elif bound == "approx":
            approx = True
        return {"min": low, "max": high, "unit": None, "approx": approx}

    def _requested(self, tok: Tok) -> bool:
        if self.st.first_verb is not None and self.st.first_verb < tok.start:
            return True
        if self.st.s.startswith("一式", tok.end) and not any(
            p.rule.kind == "count" and p.rule.data["category"] == "document" for p in self.st.placed
        ):
            return True  # 「事迹材料一式两份」: the copies are of a document asked for
        clause = self.st.clause(tok.start, tok.end, stops=",;。\n:、")
        clause = clause.strip(" ()" + FILL)
        clause = _LEADING_OUTLINE.sub("", clause)
        word = self.st.s[tok.start : tok.end]
        return (
            clause.endswith(word)
            and len(clause) - len(word) <= 4
            and not clause.startswith(_NON_HEAD_START)
        )

    def _implicit(self) -> None:
        toks, st = self.toks, self.st
        for i, t in enumerate(toks):
            if t.kind != "noun" or t.quantified or t.absorbed:
                continue
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if nxt is not None and nxt.kind == "noun" and _adjacent(self.buf, t.end, nxt.start, 6):
                continue  # a modifier: 「信息说明」, 「计划等文件」
            prev = toks[i - 1] if i > 0 else None
            asked = (
                prev is not None and prev.kind == "verb" and _adjacent(self.buf, prev.end, t.start)
            )
            if st.s[t.end : t.end + 1] in tuple("需须应要必能均都:") and not asked:
                continue  # the topic of a note (「照片需注明…」) or a label (「说明：」)
            if not self._requested(t):
                continue
            obj, cat, _ = self._noun(t)
            if self._counted_elsewhere(obj, cat, t.start):
                continue
            data = {
                "object": obj,
                "category": cat,
                "min": 1,
                "max": None,
                "unit": DEFAULT_UNIT[cat],
                "approx": False,
            }
            st.add(t.start, t.end, Rule("count", data, st.s[t.start : t.end]))

    def _counted_elsewhere(self, obj: str, cat: str, pos: int) -> bool:
        """An object named without a number that the text counts anyway: not a second count.

        「上传两类活动的照片，每类活动照片不少于五张」 and 「上传活动照片，照片不少于4张」
        count the same photos once; 「上传3-5张精选照片：①集体照②活动照」 lists the parts of
        the 3-5 photos after its colon.
        """
        for p in self.st.placed:
            r = p.rule
            counts = r.data["each"] if r.kind == "groups" else [r]
            if self.a <= p.pos < self.b and any(
                c.kind == "count" and c.data["object"] == obj and c.data["min"] != 1 for c in counts
            ):
                gap = self.st.s[min(pos, p.pos) : max(pos, p.pos)]
                if r.kind == "groups" and not _LIST_SEPS.search(gap):
                    return True  # 「两类活动的照片」: the photos the groups count
                if "," in gap or "(" in gap:  # said again in a clause of its own, not listed
                    return True
            if r.kind == "count" and r.data["category"] == cat and p.end <= pos:
                colon = self.st.s.find(":", p.end, p.end + 6)
                if colon >= 0 and not _LIST_END.search(self.st.s, colon, pos):
                    return True
        return False


def _split_activities(name: str) -> list[str]:
    """「支委会和党小组会」 → both kinds; a name that is one kind stays whole."""
    parts = [p for p in _LIST_SEPS.split(name) if p]
    if len(parts) > 1 and all(ACTIVITY_TAIL.search(p) for p in parts):
        return parts
    return [name]


def count_pass(st: State, a: int, b: int, buf: Optional[str] = None) -> None:
    """Run the count pass over [a, b) of the working copy (or of `buf`, a variant of it)."""
    CountPass(st, a, b, buf).run()
