"""Numbers of a requirement that are not counts of evidence (issue 19).

A rubric's text carries numbers that no upload can satisfy: scoring weights
(「材料审核占60%」), a result already reported (「得分率为70.1%」), reward amounts
(「给予1万元至3万元奖励」), who may take part (「16岁以下不参与」), copies of a paper file
(「一式三份」) and photo sizes (「一寸照片」). This pass reads them before the thresholds and
counts do, so that none becomes a rule: copies become an `attribute`, the others are
marked used and, where they ask nothing a tool can check, reported for a person with the
reason in plain Chinese. An age that only qualifies a noun (「35周岁以下青年志愿者占比」)
stays in that rule's wording and is not reported.
"""

from __future__ import annotations

import re

from wenming_xl.model import Rule
from wenming_xl.rules.lexicon import BOUND_POST, BOUND_PRE, FILL, NUM, State

_WEIGHT_RX = re.compile(
    f"(?:占|按)(?:考核总分|测评总分|总分|总成绩|总评)?的?(?P<n>{NUM})%(?:的?(?:权重|比重))?"
    "(?P<tail>计入总分|计入总成绩|计入|计分|折算|计算)?"
    f"|权重(?:为|是|占)?(?P<w>{NUM})%"
)
#: The subjects of a scoring weight: a method of assessment or a part of the score.
_WEIGHT_SUBJECT = re.compile(
    "(?:审核|考察|调查|测评|评价|考核|分析|访谈|检查|自评|互评|暗访|查看|评议|成绩|得分|结果|"
    "资料|材料|台账|指标|部分|项目)[^\u4e00-\u9fff]*$"
)
_RESULT_RX = re.compile(
    "(?<!要求)(?<!应)(?:得分率|得分|测评成绩|成绩|测评结果|排名|名次|达标率|完成率)(?:为|是|:)?"
    f"(?P<n>{NUM})(?:%|分|名|位)?(?!{BOUND_POST}|[0-9])"
)
_MONEY_RX = re.compile(f"{NUM}(?:万元|千元|元)?(?:[-~至到]{NUM})?(?:万元|千元|元)")
_REWARD_WORDS = re.compile("奖励|奖金|补助|资助|奖补|扶持|慰问金|表彰")
_AGE_RX = re.compile(f"{NUM}(?:周岁|岁)(?:及以下|以下|及以上|以上|以内|之间)?")
_EXCLUDED = re.compile("不参与|不参加|不纳入|不计入|除外|不得参|不予|不在")
_COPIES_RX = re.compile(f"一式(?P<n>{NUM})份")
_SIZE_RX = re.compile(f"{NUM}(?:英寸|寸)(?=[\u4e00-\u9fff]{{0,4}}(?:照片|相片|照|彩照|图片))")


_BEFORE_AGE = re.compile(f"[^\u4e00-\u9fff]|{BOUND_PRE}|年满|满")


def _clause_start(st: State, pos: int) -> int:
    return max(st.s.rfind(c, 0, pos) for c in ",;。\n:") + 1


def _clause(st: State, a: int, b: int) -> str:
    return st.clause(a, b, stops=",;。\n")


def _aside(st: State, m: re.Match, reason: str = "") -> None:
    st.use(m.start(), m.end())
    st.mask(m.start(), m.end())
    if reason:
        st.note_review(_clause(st, m.start(), m.end()), reason)


def asides(st: State) -> None:
    """Read the numbers that are not requirements, so that no later pass makes rules of them."""
    for m in _COPIES_RX.finditer(st.buf):
        n = st.use(m.start("n"), m.end("n"))
        st.use(m.start(), m.end())
        st.mask(m.start(), m.end())
        if n:
            rule = Rule("attribute", {"name": f"一式{n[0]}份"}, st.s[m.start() : m.end()])
            st.add(m.start(), m.end(), rule)
    for m in _SIZE_RX.finditer(st.buf):
        _aside(st, m)
    for m in _WEIGHT_RX.finditer(st.buf):
        a = max(st.s.rfind(c, 0, m.start()) for c in ",;。\n:") + 1
        subject = st.s[a : m.start()].replace(FILL, "")
        if m.group("w") or m.group("tail") or _WEIGHT_SUBJECT.search(subject):
            _aside(st, m, "评分权重，不是要上传的材料")
    for m in _RESULT_RX.finditer(st.buf):
        _aside(st, m, "已有的结果，不是要上传的材料")
    for m in _MONEY_RX.finditer(st.buf):
        if _REWARD_WORDS.search(_clause(st, m.start(), m.end())):
            _aside(st, m, "奖励金额，不是要上传的材料")
    for m in _AGE_RX.finditer(st.buf):
        if _EXCLUDED.search(_clause(st, m.start(), m.end())):
            _aside(st, m, "年龄条件，不是要上传的材料")
        elif re.match("[\u4e00-\u9fff]", st.s[m.end() : m.end() + 1]) and not re.match(
            "[的为]", st.s[m.end() : m.end() + 1]
        ):
            _aside(st, m)  # 「35周岁以下青年志愿者」: the age qualifies the noun after it
        elif not _BEFORE_AGE.sub("", st.s[_clause_start(st, m.start()) : m.start()]):
            _aside(st, m, "年龄条件，不是要上传的材料")  # 「35周岁」 alone: whose age is not said
