"""Parse a free-text evidence requirement into checkable rules (DESIGN §5, issue 3).

`parse_requirement` turns 「上传活动现场图片（不少于2次活动，每次活动3张图片，注明时间地点及
活动主题）」 into a `groups` rule (2 activities, each with a `count` of 3 图片 and an
`annotation`), a summary (6 images at least) and says plainly what it could not understand:
every number of the text is either used by a rule, or is not a quantity (an outline number,
a date, an ordinal, an idiom such as 统一), or is listed in ``unparsed`` with
``needs_review`` set. It never raises.

Rule data shapes (``Rule.data``), relied on by the checker and the scorer:

- count: object, category (image/document/video/list/other), min, max, unit, approx
- groups: group, min, each (rules per group: counts and annotations), points_each
- annotation: fields; attribute: name; threshold: metric, op, value, unit
- points: points, applies_to, covers (indexes into ``Requirement.rules``)
- alternative: options (lists of rules); deduction: points, per, required, floor_zero
- bonus: points (a number, a list, or None), per, cap, highest_only
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any, Optional

from wenming_xl.model import Requirement, Rule
from wenming_xl.rules.counts import count_pass
from wenming_xl.rules.lexicon import CN_CHARS, FILL, VERBS, Placed, State, clean
from wenming_xl.rules.passes import run_passes

#: Attributes only a person can confirm (the scorer marks them ``review``).
REVIEW_ATTRIBUTES = ("红头", "印章", "公章", "单位名称", "文号", "签字")
#: The category of image nouns — those ending in 图, 照 or 照片 (照片, 图片, 截图, 实景图…).
IMAGE = "image"

_VERB_RX = re.compile(VERBS)
_OR_RX = re.compile("[,]?或者?(?=(?:直接)?(?:上传|提供|附|出具|提交|由))|,或者?")
_BRACKET_ALT_RX = re.compile("\\([^()]{0,40}?(?:上传|提供)[^()]{0,40}\\)")
_ERROR_NOTE = "（解析出错，请人工核对）"


def empty_summary() -> dict[str, Any]:
    """The summary of a text with no rules."""
    return {
        "min_images": 0,
        "min_groups": 0,
        "per_group_min_images": 0,
        "min_documents": 0,
        "annotations": [],
    }


def parse_requirement(text: object, months: Optional[int] = None) -> Requirement:
    """Parse one requirement text into rules, a summary and what was not understood.

    ``months`` is the length of the assessment period in months (12 for a year), when known:
    a frequency (「每月1次」) is counted over it; without it, over one year, flagged.
    """
    raw = "" if text is None else str(text)
    try:
        return _parse(raw, months)
    except Exception:  # noqa: BLE001 - a parser bug must not stop a whole check
        return Requirement(raw, [], empty_summary(), True, [raw[:80] + _ERROR_NOTE])


def _parse(raw: str, months: Optional[int]) -> Requirement:
    s = clean(raw)
    if not s.strip(" \n" + FILL):
        return Requirement(raw, [], empty_summary(), False, [])
    st = State(s, months)
    run_passes(st)
    m = _VERB_RX.search(st.buf)
    st.first_verb = m.start() if m else None
    alts = []
    for a, b in st.sentences:
        options = _options(st, a, b)
        if len(options) == 1:
            count_pass(st, a, b)
            continue
        for oa, ob, buf, _ in options:
            count_pass(st, oa, ob, buf)
        alts.append((a, b, options))
    rules = _assemble(st, alts)
    for t in st.leftover_numbers():
        st.note_unparsed(st.context(t))
    if st.first_verb is not None and not any(
        r.kind in ("count", "groups", "alternative") for r in rules
    ):
        st.note_unparsed(st.clause(st.first_verb, st.first_verb, stops=";。\n"))
    summary = summarize(rules)
    _pretty_rules(rules)
    unparsed = [pretty(u) for u in st.unparsed]
    reasons = [pretty(u) for u in st.reasons]
    return Requirement(raw, rules, summary, bool(unparsed), unparsed, reasons)


_WIDE = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "?": "？", "!": "！"})


def pretty(text: str) -> str:
    """Text for people: the Chinese (full-width) punctuation the clean text had turned half-width."""
    return text.translate(_WIDE)


def _pretty_rules(rules: list[Rule]) -> None:
    for r in rules:
        r.source = pretty(r.source)
        for key in ("applies_to", "metric"):
            if isinstance(r.data.get(key), str):
                r.data[key] = pretty(r.data[key])
        if r.kind == "groups":
            _pretty_rules(r.data["each"])
        elif r.kind == "alternative":
            for option in r.data["options"]:
                _pretty_rules(option)


# ----------------------------------------------------------------------------- alternatives


def _options(st: State, a: int, b: int) -> list[tuple[int, int, Optional[str], Any]]:
    """The options of a sentence: (start, end, working-copy variant, membership test)."""
    cuts = [m for m in _OR_RX.finditer(st.buf, a, b) if m.start() > a]
    if cuts:
        out, start = [], a
        for m in cuts:
            out.append((start, m.start(), None, None))
            start = m.end()
        out.append((start, b, None, None))
        return [o for o in out if o[1] > o[0]]
    m = _BRACKET_ALT_RX.search(st.buf, a, b)
    if m and m.start() > a:
        variant = st.buf[: m.start()] + FILL * (m.end() - m.start()) + st.buf[m.end() :]
        inside = (m.start(), m.end())
        return [(a, b, variant, inside), (m.start() + 1, m.end() - 1, None, None)]
    return [(a, b, None, None)]


def _option_of(pos: int, options: list) -> Optional[int]:
    for k, (oa, ob, _buf, hole) in enumerate(options):
        if oa <= pos < ob and not (hole and hole[0] <= pos < hole[1]):
            return k
    return None


# ----------------------------------------------------------------------------- assembly


def _sentence(starts: list[int], pos: int) -> int:
    return bisect_right(starts, pos) - 1


def _assemble(st: State, alts: list) -> list[Rule]:
    placed = sorted(st.placed, key=lambda p: p.pos)
    # annotations after a groups rule in the same sentence apply to each group
    starts = [a for a, _ in st.sentences]
    last_group: dict[int, Placed] = {}
    kept: list[Placed] = []
    for p in placed:
        k = _sentence(starts, p.pos)
        if p.rule.kind == "groups":
            last_group[k] = p
        elif p.rule.kind == "annotation" and k in last_group:
            last_group[k].rule.data["each"].append(p.rule)
            continue
        kept.append(p)
    placed = kept
    _required(placed)
    for a, b, options in alts:
        members = [p for p in placed if a <= p.pos < b and not p.tags.get("marker")]
        parts: list[list[Rule]] = [[] for _ in options]
        for p in members:
            k = _option_of(p.pos, options)
            parts[k if k is not None else 0].append(p.rule)
        if all(parts):
            for p in members:
                placed.remove(p)
            rule = Rule("alternative", {"options": parts}, st.s[a:b])
            placed.append(Placed(a, b, rule))
        else:
            for k, part in enumerate(parts):
                if not part:
                    oa, ob = options[k][0], options[k][1]
                    st.note_unparsed(st.s[oa:ob])
    placed.sort(key=lambda p: p.pos)
    placed = _by_unit_kind(st, placed)
    rules: list[Rule] = []
    segment: list[int] = []
    for p in placed:
        if p.tags.get("marker"):
            p.rule.data["covers"] = list(segment)
            segment = []
        else:
            segment.append(len(rules))
        rules.append(p.rule)
    return rules


#: 「各区…，各开发区…」: a requirement per kind of unit; only one kind applies to a unit.
_UNIT_KIND_RX = re.compile(
    "各(?P<k>[\u4e00-\u9fff]{0,5}?(?:开发区|园区|街道|乡镇|区|县|市|乡|镇|高校|学校|中小学|幼儿园|"
    "单位|企业|社区|村))(?=[(]|每|开展|举办|组织|召开|不少于|不低于|至少|要|应|须|需|均|都|"
    f"[0-9{CN_CHARS}]|,)"
)


def _unit_kind(st: State, pos: int) -> Optional[str]:
    a = max(st.s.rfind(c, 0, pos) for c in ",;。\n") + 1
    m = _UNIT_KIND_RX.match(st.s, a)
    return m.group("k") if m and m.end() <= pos + 1 else None


def _by_unit_kind(st: State, placed: list[Placed]) -> list[Placed]:
    """Counts given per kind of unit (各区…各开发区…) become one alternative, for a person."""
    kinds: dict[str, list[Placed]] = {}
    for p in placed:
        if p.rule.kind in ("count", "groups") and not p.tags.get("marker"):
            k = _unit_kind(st, p.pos)
            if k:
                kinds.setdefault(k, []).append(p)
    if len(kinds) < 2:
        return placed
    members = [p for ps in kinds.values() for p in ps]
    a, b = min(p.pos for p in members), max(p.end for p in members)
    options = [[p.rule for p in ps] for ps in kinds.values()]
    rule = Rule("alternative", {"options": options, "by_unit": list(kinds)}, st.s[a:b])
    st.note_review(
        "、".join(f"各{k}" for k in kinds),
        "按单位类型分别提出的要求，须确认本单位适用哪一项",
    )
    out = [p for p in placed if p not in members]
    out.append(Placed(a, b, rule))
    out.sort(key=lambda p: p.pos)
    return out


_GROUP_PER = ("次", "场", "类", "个", "项", "轮", "期")


def _required(placed: list[Placed]) -> None:
    """A shortfall deduction (「每少一次扣0.5分」) takes the count the text requires before it."""
    for k, d in enumerate(placed):
        if d.rule.kind != "deduction" or not d.tags.get("shortfall"):
            continue
        per = d.rule.data["per"]
        for p in reversed(placed[:k]):
            r = p.rule
            if (r.kind == "groups" and per in _GROUP_PER) or (
                r.kind == "count" and r.data["unit"] == per
            ):
                d.rule.data["required"] = r.data["min"]
                break


# ----------------------------------------------------------------------------- summary


def _tally(rules: list[Rule]) -> dict[str, Any]:
    t: dict[str, Any] = empty_summary()
    per_group: Optional[Any] = None
    for r in rules:
        if r.kind == "count":
            if r.data["category"] == IMAGE:
                t["min_images"] += r.data["min"] or 0
            elif r.data["category"] in ("document", "list"):
                t["min_documents"] += r.data["min"] or 0
        elif r.kind == "groups":
            each = _tally(r.data["each"])
            n = r.data["min"] or 0
            t["min_images"] += n * each["min_images"]
            t["min_documents"] += n * each["min_documents"]
            t["min_groups"] += n
            if per_group is None:
                per_group = each["min_images"]
            _merge_fields(t["annotations"], each["annotations"])
        elif r.kind == "alternative":
            opts = [_tally(o) for o in r.data["options"]]
            best = min(
                opts,
                key=lambda o: (
                    o["min_images"] + o["min_documents"],
                    o["min_images"],
                    o["min_groups"],
                ),
            )
            for k in ("min_images", "min_documents", "min_groups"):
                t[k] += best[k]
            if per_group is None and best["min_groups"]:
                per_group = best["per_group_min_images"]
            _merge_fields(t["annotations"], best["annotations"])
        elif r.kind == "annotation":
            _merge_fields(t["annotations"], r.data["fields"])
    t["per_group_min_images"] = per_group or 0
    return t


def _merge_fields(into: list[str], fields: list[str]) -> None:
    for f in fields:
        if f not in into:
            into.append(f)


def summarize(rules: list[Rule]) -> dict[str, Any]:
    """The summary of a list of rules (DESIGN §5): least images, groups, documents, notes."""
    return _tally(rules)


def review_attributes(req: Requirement) -> list[str]:
    """The attributes of a requirement that only a person can confirm (红头, 印章…)."""
    out: list[str] = []

    def walk(rules: list[Rule]) -> None:
        for r in rules:
            if r.kind == "attribute" and r.data["name"] in REVIEW_ATTRIBUTES:
                if r.data["name"] not in out:
                    out.append(r.data["name"])
            elif r.kind == "groups":
                walk(r.data["each"])
            elif r.kind == "alternative":
                for o in r.data["options"]:
                    walk(o)

    walk(req.rules)
    return out
