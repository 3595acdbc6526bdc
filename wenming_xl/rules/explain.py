"""Plain-Chinese explanation of a parsed requirement, for a person to check at a glance.

`explain` turns the rules of a `Requirement` into one line such as
「至少2次活动，每次至少3张图片，共至少6张；需注明时间、地点、主题」: what must be
uploaded, what the scorer counts, what a person has to confirm, what was not understood.
"""

from __future__ import annotations

import re
from typing import Any

from wenming_xl.model import Requirement, Rule
from wenming_xl.rules.parser import REVIEW_ATTRIBUTES

_OP_WORDS = {">=": "不低于", ">": "超过", "<=": "不超过", "<": "低于"}
_ATTR_WORDS = {
    "pdf版本": "需提供pdf版本",
    "扫描件": "文件可为扫描件或图片",
    "当年": "须为当年度材料",
    "拍摄时间": "照片需显示拍摄时间",
}
_REVIEW_WORDS = {
    "红头": "单位红头",
    "印章": "加盖印章",
    "公章": "加盖公章",
    "单位名称": "能看出单位名称",
    "文号": "有文号",
    "签字": "签字",
}
#: How one group is counted and named: 活动 → 「2次活动」「每次」.
_GROUP_WORDS = {
    "活动": ("次", "活动", "每次"),
    "节日": ("个", "节日", "每个节日"),
    "人": ("人", "", "每人"),
}
_ACTIVITY_GROUPS = set("会议 大会 培训 讲座 宣讲 交流 比赛 党课 慰问 走访 演练 讨论".split())
#: Names of activities counted in 次 (「支委会」, 「集中学习」, 「专题研讨」).
_ACTIVITY_TAIL = re.compile(
    "(?:会|课|学习|研讨|交流|培训|轮训|活动|讲座|宣讲|比赛|竞赛|演练|调研|座谈|论坛|评议|督查|检查|"
    "巡查|义诊|慰问|走访|研究|讨论|团日|党日|服务|演出|展览|仪式)$"
)
_PERIOD_WORDS = {"年": "年", "季度": "季度", "半年": "半年", "月": "月", "周": "周", "学期": "学期"}


_SHORTFALL = re.compile("少|缺")


def _n(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _every(d: dict[str, Any]) -> str:
    """「每月1次，」 for a count given per stretch of time; empty otherwise."""
    f = d.get("frequency")
    if not f:
        return ""
    every = f"每{_n(f['every']) if f['every'] > 1 else ''}{_PERIOD_WORDS.get(f['per'], f['per'])}"
    return every


def _count(r: Rule, lead: str = "至少") -> str:
    d = r.data
    obj = d["object"] if d["object"] not in (d["unit"], "数量") else ""
    what = f"{d['unit'] or ''}{obj}"
    f = d.get("frequency")
    if f:
        return f"{_every(d)}{_n(f['times'])}{what}，考核期内{lead}{_n(d['min'])}{d['unit'] or ''}"
    if d["max"] is not None and d["min"] and d["min"] > 1:
        return f"{_n(d['min'])}至{_n(d['max'])}{what}"
    if d["max"] is not None:
        return f"最多{_n(d['max'])}{what}"
    if d.get("approx"):
        return f"约{_n(d['min'])}{what}"
    return f"{lead}{_n(d['min'])}{what}"


def _group_words(r: Rule) -> tuple[str, str, str]:
    g = r.data["group"]
    if g == "类":
        return "类", "活动" if "活动" in r.source else "", "每类"
    if g in _GROUP_WORDS:
        return _GROUP_WORDS[g]
    if len(g) == 1:  # a unit: 「每处」, 「每项」
        return g, "", f"每{g}"
    if g in _ACTIVITY_GROUPS or _ACTIVITY_TAIL.search(g):
        return "次", g, "每次"
    return "个", g, f"每个{g}"


def _groups(r: Rule) -> str:
    d = r.data
    measure, noun, each_word = _group_words(r)
    f = d.get("frequency")
    if f:
        parts = [f"{noun}{_every(d)}{_n(f['times'])}{measure}，考核期内至少{_n(d['min'])}{measure}"]
    else:
        parts = [f"至少{_n(d['min'])}{measure}{noun}"]
    images = 0
    for sub in d["each"]:
        if sub.kind == "count":
            parts.append(f"{each_word}{_count(sub)}")
            if sub.data["category"] == "image":
                images += sub.data["min"] or 0
    if d.get("points_each") is not None:
        parts.append(f"{each_word}{_n(d['points_each'])}分")
    if images and d["min"] and d["min"] > 1:
        parts.append(f"共至少{_n(d['min'] * images)}张")
    return "，".join(parts)


#: What a threshold without its own words measures, by its unit (never 「数值」).
_MEASURES = {
    "小时": "时长", "个小时": "时长", "分钟": "时长", "天": "时长", "日": "时长", "学时": "时长",
    "课时": "时长", "字": "字数", "万字": "字数", "千字": "字数", "人": "人数", "名": "人数",
    "人次": "人次", "%": "比例", "元": "金额", "万元": "金额", "岁": "年龄", "周岁": "年龄",
}  # fmt: skip


def _threshold(r: Rule) -> str:
    d = r.data
    metric = d["metric"] or _MEASURES.get(d["unit"] or "", "数量")
    op = _OP_WORDS.get(d["op"], d["op"])
    if d["unit"] in ("字", "万字", "千字") and d["op"] == ">=":
        op = "不少于"
    return f"{metric}{op}{_n(d['value'])}{d['unit'] or ''}"


def _short(text: str, limit: int = 16) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _deduction(r: Rule) -> str:
    d = r.data
    if d["points"] is None:
        return "扣完为止" if d["floor_zero"] else "扣分"
    if d.get("levels"):
        text = "按级别分别扣" + "、".join(_n(p) for p in d["levels"]) + "分"
        return text + ("，扣完为止" if d["floor_zero"] else "")
    per = d["per"]
    if per and len(per) > 1:
        per_word = "次活动" if per == "活动" else f"个{per}"
    else:
        per_word = per
    if d["required"] is not None and per:
        text = f"应有{_n(d['required'])}{per_word}，每少1{per_word}扣{_n(d['points'])}分"
    elif per and _SHORTFALL.search(r.source):
        text = f"每少1{per_word}扣{_n(d['points'])}分"
    elif per:
        text = f"每{per_word}扣{_n(d['points'])}分"
    else:
        text = f"扣{_n(d['points'])}分"
    if d.get("range"):
        lo, hi = d["range"]
        text = text.replace(f"扣{_n(d['points'])}分", f"扣{_n(lo)}至{_n(hi)}分（由考核人员评定）")
    if d["floor_zero"]:
        text += "，扣完为止"
    return text


def _bonus(r: Rule) -> str:
    d = r.data
    pts = d["points"]
    if pts is None:
        if d["cap"] is not None:
            text = f"加分最多{_n(d['cap'])}分，超过按{_n(d['cap'])}分计"
            return text + ("；按最高分计，不重复计分" if d["highest_only"] else "")
        return "加分按最高分计，不重复计分" if d["highest_only"] else "加分"
    if isinstance(pts, list):
        text = "加" + "、".join(f"{_n(p)}分" for p in pts)
        if d["highest_only"]:
            text += "（按最高一项计）"
    elif d.get("range"):
        text = f"加{_n(d['range'][0])}至{_n(d['range'][1])}分（由考核人员评定）"
    else:
        text = f"加{_n(pts)}分"
    if d["per"]:
        text = f"每{d['per']}{text}"
    if d["cap"] is not None:
        text += f"，最多加{_n(d['cap'])}分"
    return text


def _main_parts(rules: list[Rule]) -> list[str]:
    """Counts, groups and alternatives, in the order of the text.

    Two counts of the same object (「学习实践（2张）、宣讲活动的照片（2张）」) are checked
    together: the second reads 「另至少2张照片」 and their sum is said once.
    """
    out = []
    totals: dict[tuple[str, str], list[Any]] = {}  # (object, unit) → the plain counts' minimums
    for r in rules:
        if r.kind == "count":
            d = r.data
            key = (d["object"], d["unit"] or "")
            plain = not d.get("frequency") and d["max"] is None and d["min"]
            seen = totals.get(key)
            out.append(("另" if seen and plain else "") + _count(r))
            if plain:
                totals.setdefault(key, []).append(d["min"])
        elif r.kind == "groups":
            out.append(_groups(r))
        elif r.kind == "alternative" and r.data.get("by_unit"):
            opts = [
                f"各{k}{'，'.join(_main_parts(option)) or '其他材料'}"
                for k, option in zip(r.data["by_unit"], r.data["options"])
            ]
            out.append("按单位类型分别要求：" + "；".join(opts))
        elif r.kind == "alternative":
            opts = []
            for k, option in enumerate(r.data["options"], 1):
                body = "，".join(_main_parts(option)) or "其他材料"
                notes = _fields(option)
                if notes:
                    body += f"，注明{'、'.join(notes)}"
                opts.append(f"（{k}）{body}")
            out.append("任选其一：" + " ".join(opts))
    for (obj, unit), mins in totals.items():
        if len(mins) > 1:
            out.append(f"{obj}共至少{_n(sum(mins))}{unit}")
    return out


def _fields(rules: list[Rule]) -> list[str]:
    out: list[str] = []
    for r in rules:
        subs = r.data["each"] if r.kind == "groups" else [r]
        for s in subs:
            if s.kind == "annotation":
                out.extend(f for f in s.data["fields"] if f not in out)
    return out


def _walk_attributes(rules: list[Rule]) -> list[str]:
    out: list[str] = []
    for r in rules:
        if r.kind == "attribute" and r.data["name"] not in out:
            out.append(r.data["name"])
        elif r.kind == "groups":
            out.extend(n for n in _walk_attributes(r.data["each"]) if n not in out)
        elif r.kind == "alternative":
            for o in r.data["options"]:
                out.extend(n for n in _walk_attributes(o) if n not in out)
    return out


def _attribute_words(name: str) -> str:
    if name in _ATTR_WORDS:
        return _ATTR_WORDS[name]
    if name.startswith("一式"):
        return f"纸质材料{name}（同一材料的份数，不另计）"
    return f"需满足：{name}"


def explain(req: Requirement) -> str:
    """One line of plain Chinese saying what the requirement asks for, as parsed."""
    parts = _main_parts(req.rules)
    parts.extend(_threshold(r) for r in req.rules if r.kind == "threshold")
    fields = _fields(req.rules)
    if fields:
        parts.append("需注明" + "、".join(fields))
    attrs = _walk_attributes(req.rules)
    parts.extend(_attribute_words(a) for a in attrs if a not in REVIEW_ATTRIBUTES)
    scores = [
        f"「{_short(r.data['applies_to'])}」{_n(r.data['points'])}分"
        if r.data["applies_to"]
        else f"{_n(r.data['points'])}分"
        for r in req.rules
        if r.kind == "points"
    ]
    if scores:
        parts.append("分项计分：" + "，".join(scores))
    parts.extend(_deduction(r) for r in req.rules if r.kind == "deduction")
    parts.extend(_bonus(r) for r in req.rules if r.kind == "bonus")
    review = [_REVIEW_WORDS[a] for a in attrs if a in REVIEW_ATTRIBUTES]
    if review:  # a rule that is sure, checked by a person when the evidence comes
        parts.append("检查材料时人工查看：" + "、".join(review))
    reasons = [u for u in req.unparsed if u in req.reasons]
    unread = [u for u in req.unparsed if u not in req.reasons]
    if reasons:
        parts.append("需人工确认：" + "；".join(f"「{u}」" for u in reasons))
    if unread:
        parts.append("未能理解：" + "、".join(f"「{u}」" for u in unread) + "，请人工核对")
    if not parts:
        return "没有可检查的材料要求"
    return "；".join(parts)
