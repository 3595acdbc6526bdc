"""scoring.py: policies, rounding, caps, bonus, deductions, deduction-style tables."""

from __future__ import annotations

from fractions import Fraction

import pytest

from wenming_xl.errors import ConfigError
from wenming_xl.judge.scoring import check_policy, earned, round_down_half, score_report
from wenming_xl.model import (
    BONUS,
    DEDUCTION,
    Category,
    Item,
    ItemResult,
    Report,
    Requirement,
    Rubric,
    Rule,
)


@pytest.mark.parametrize(
    "policy,completion,expected",
    [
        ("proportional", Fraction(2, 3), Fraction(2)),
        ("proportional", Fraction(5, 6), Fraction(5, 2)),
        ("all-or-nothing", Fraction(5, 6), Fraction(0)),
        ("all-or-nothing", Fraction(1), Fraction(3)),
        ("grade", Fraction(1), Fraction(3)),
        ("grade", Fraction(5, 6), Fraction(3) * Fraction(66, 100)),
        ("grade", Fraction(1, 2), Fraction(3) * Fraction(33, 100)),
        ("grade", Fraction(1, 4), Fraction(0)),
    ],
)
def test_policies(policy, completion, expected):
    assert earned(Fraction(3), completion, policy) == expected


def test_round_down_half():
    assert round_down_half(Fraction(10, 3)) == Fraction(3)
    assert round_down_half(Fraction(5, 2)) == Fraction(5, 2)
    assert round_down_half(Fraction(299, 100)) == Fraction(5, 2)


def test_unknown_policy():
    with pytest.raises(ConfigError):
        check_policy("average")


def _result(item, score, status="met", req=None):
    r = ItemResult(
        item=item,
        requirement=req,
        score=Fraction(score) if score is not None else None,
        status=status,
    )
    return r


def test_caps_bonus_and_deductions():
    a1 = Item(1, "a1", category="一", points=30, departments=["党建办"])
    a2 = Item(2, "a2", category="一", points=20, departments=["工会"])
    b1 = Item(
        3,
        "承办（5分）、协办（2分）",
        category="四、加分项目",
        points=5,
        kind=BONUS,
        departments=["党建办"],
    )
    b2 = Item(4, "b2", category="四、加分项目", points=3, kind=BONUS, departments=["总务科"])
    d1 = Item(5, "d1", category="五、扣分项目", points=-3, kind=DEDUCTION, departments=["党建办"])
    d1.occurrences = 2
    cats = [
        Category("一（44分）", cap=44, items=[a1, a2]),
        Category("四、加分项目", cap=6, kind=BONUS, items=[b1, b2]),
        Category("五、扣分项目", kind=DEDUCTION, items=[d1]),
    ]
    rubric = Rubric("t.xlsx", "Sheet1", categories=cats, items=[a1, a2, b1, b2, d1])
    bonus_req = Requirement(
        "",
        rules=[Rule("bonus", {"points": [5, 2], "per": None, "cap": None, "highest_only": True})],
    )
    report = Report(
        rubric=rubric,
        items=[
            _result(a1, 30),
            _result(a2, 20),
            _result(b1, 5, req=bonus_req),
            _result(b2, 3),
            _result(d1, None, "n/a"),
        ],
    )
    score_report(report)
    cat = {c.name: c for c in report.categories}
    assert cat["一（44分）"].score == 44  # 50 capped at 44
    # 承办/协办 unconfirmed counts the lower level: 2 + 3 = 5 (cap 6 not reached)
    assert cat["四、加分项目"].score == 5
    assert report.deductions == 6  # 2 occurrences × 3
    assert report.total == 44 + 5 - 6
    assert report.max_total == 44
    deps = {d.name: d for d in report.departments}
    assert deps["党建办"].max == 30 and deps["工会"].score == 20


def test_total_never_below_zero():
    a1 = Item(1, "a1", points=2, departments=["党建办"])
    d1 = Item(2, "d1", points=-3, kind=DEDUCTION)
    d1.occurrences = 3
    cats = [Category("一", cap=2, items=[a1]), Category("扣分项目", kind=DEDUCTION, items=[d1])]
    report = Report(
        rubric=Rubric("t.xlsx", "S", categories=cats, items=[a1, d1]),
        items=[_result(a1, 1), _result(d1, None, "n/a")],
    )
    score_report(report)
    assert report.total == 0 and report.deductions == 9


def test_deduction_style_sections_stop_at_zero():
    s1 = Item(1, "学习", category="学习教育30分")
    s1.occurrences = 4
    s2 = Item(2, "组织", category="组织管理40分")
    s2.occurrences = 50
    ded = Requirement(
        "",
        rules=[Rule("deduction", {"points": 2, "per": "次", "required": None, "floor_zero": True})],
    )
    cats = [
        Category("学习教育30分", cap=30, items=[s1]),
        Category("组织管理40分", cap=40, items=[s2]),
    ]
    rubric = Rubric("t.xlsx", "S", categories=cats, items=[s1, s2], style="deduction")
    report = Report(
        rubric=rubric, items=[_result(s1, None, "n/a", ded), _result(s2, None, "n/a", ded)]
    )
    score_report(report)
    cat = {c.name: c.score for c in report.categories}
    assert cat == {"学习教育30分": 22, "组织管理40分": 0}
    assert report.total == 22 and report.max_total == 70
    assert any(f.code == "deduction-recorded" for r in report.items for f in r.findings)
