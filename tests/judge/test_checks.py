"""checks.py: each rule kind against real-shaped evidence, one test per finding code it owns."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from wenming_xl.judge.checks import check_item
from wenming_xl.judge.scoring import score_item
from wenming_xl.model import (
    DOCUMENT,
    IMAGE,
    Evidence,
    Item,
    ItemResult,
    Location,
    Requirement,
    Rule,
)


def count(obj="图片", category="image", mn=1, unit="张"):
    return Rule(
        "count",
        {
            "object": obj,
            "category": category,
            "min": mn,
            "max": None,
            "unit": unit,
            "approx": False,
        },
    )


def groups(mn, each_images, fields=(), group="活动", points_each=None):
    each = [count(mn=each_images)]
    if fields:
        each.append(Rule("annotation", {"fields": list(fields)}))
    return Rule("groups", {"group": group, "min": mn, "each": each, "points_each": points_each})


def photos(item, group, n, date=None, words="东双桥社区 礼让斑马线"):
    ann = f"{date} {words}" if date else words
    gdate = dt.date.fromisoformat(date) if date else None
    return [
        Evidence(
            item,
            IMAGE,
            path=f"{item}/{group}/{k}.jpg",
            group=group,
            group_name=ann,
            group_date=gdate,
            annotation=words,
        )
        for k in range(n)
    ]


def run(rules, evidence, points=4, confirmed=False, unparsed=()):
    item = Item(
        no=9,
        text="t",
        points=points,
        departments=["党建办"],
        location=Location("t.xlsx", "Sheet1", "B9"),
    )
    item.confirmed = confirmed
    req = Requirement("…", rules=list(rules), needs_review=bool(unparsed), unparsed=list(unparsed))
    res = ItemResult(item=item, requirement=req, evidence=list(evidence))
    checks = check_item(res)
    score_item(res, checks)
    return res


def codes(res):
    return sorted({f.code for f in res.findings})


def test_groups_completion_is_mean_of_best_groups():
    # 2 activities × 3 photos needed; groups of 3 and 2 photos: (1 + 2/3) / 2 = 5/6
    res = run(
        [groups(2, 3, ("时间", "地点", "主题"))],
        photos(9, "a", 3, "2022-04-18") + photos(9, "b", 2, "2022-05-01"),
        points=4,
    )
    assert res.completions[0] == Fraction(5, 6)
    assert res.score == Fraction(3)  # 4 × 5/6 = 3.33 → 3.0
    assert res.status == "partial"
    assert codes(res) == ["group-too-few-images"]
    f = res.findings[0]
    assert f.params["have"] == 2 and f.params["need"] == 3 and f.params["short"] == 1


def test_too_few_groups_counts_missing_group_as_zero():
    res = run([groups(3, 2, group="节日")], photos(8, "a", 2) + photos(8, "b", 2), points=3)
    assert res.completions[0] == Fraction(2, 3)
    assert res.score == Fraction(2)  # exact: 3 × 2/3 = 2, not 1.5
    assert "too-few-groups" in codes(res)


def test_too_few_images_and_counts_add_up():
    # 公益广告照片2张，景观小品照片1张 → 3 photos in all
    res = run(
        [count("公益广告照片", mn=2), count("景观小品照片", mn=1)], photos(13, "a", 2), points=5
    )
    assert codes(res) == ["too-few-images"]
    assert res.findings[0].params["need"] == 3
    assert res.score == Fraction(3)  # 5 × 2/3 = 3.33 → 3.0


def test_missing_document_and_missing_evidence():
    res = run([count("情况说明", "document", unit="份")], [], points=2)
    assert res.status == "missing"
    assert codes(res) == ["missing-document", "missing-evidence"]
    assert res.score == 0


def test_document_present_is_met():
    doc = Evidence(2, DOCUMENT, path="2/情况说明.docx")
    res = run([count("情况说明", "document", unit="份")], [doc], points=2)
    assert res.status == "met" and res.score == 2 and codes(res) == []


def test_missing_annotation_for_loose_files():
    loose = [Evidence(14, IMAGE, path=f"14/{k}.jpg") for k in range(2)]
    res = run([count(mn=2), Rule("annotation", {"fields": ["位置"]})], loose, points=2)
    assert codes(res) == ["missing-annotation"]
    assert res.score == 0 and res.status == "partial"


def test_loose_files_annotated_by_their_own_names():
    """Photos directly in the item folder: each one's name is its annotation."""
    named = [
        Evidence(14, IMAGE, path=f"14/{w}.jpg", annotation=w) for w in ("门诊楼大厅", "义诊现场")
    ]
    res = run([count(mn=2), Rule("annotation", {"fields": ["地点"]})], named, points=2)
    assert codes(res) == [] and res.status == "met"
    camera = Evidence(14, IMAGE, path="14/IMG_0001.jpg")
    res = run([count(mn=2), Rule("annotation", {"fields": ["地点"]})], [*named, camera], points=2)
    assert codes(res) == ["missing-annotation"] and "IMG_0001.jpg" in res.findings[0].message


def test_annotation_needs_date_for_time_field():
    ev = photos(23, "a", 3, date=None, words="体育馆 职工运动会")
    res = run([groups(1, 3, ("时间", "主题"))], ev, points=3)
    assert codes(res) == ["missing-annotation"]
    assert "时间" in res.findings[0].params["fields"]
    ev = photos(23, "a", 3, date="2022-10-20", words="体育馆 职工运动会")
    assert run([groups(1, 3, ("时间", "主题"))], ev, points=3).status == "met"


def test_human_attribute_is_review_until_confirmed():
    doc = [Evidence(17, DOCUMENT, path="17/计划.pdf")]
    rules = [count("文件", "document", unit="份"), Rule("attribute", {"name": "红头"})]
    res = run(rules, doc, points=2)
    assert res.status == "review" and res.score == 0 and codes(res) == ["needs-review"]
    assert res.at_stake_review == 2
    res = run(rules, doc, points=2, confirmed=True)
    assert res.status == "met" and res.score == 2


def test_alternative_takes_best_option():
    proof = Evidence(28, DOCUMENT, path="28/献血证明.pdf")
    alt = Rule(
        "alternative", {"options": [[groups(2, 3)], [count("证明材料", "document", unit="份")]]}
    )
    res = run([alt], [proof], points=2)
    assert res.status == "met" and res.score == 2


def test_unparsed_requirement_is_reported():
    res = run([count(mn=1)], photos(1, "a", 1), points=2, unparsed=["按某某标准执行"])
    assert "requirement-unparsed" in codes(res)


def test_uncounted_evidence_does_not_count():
    ev = photos(4, "a", 4)
    ev[0].counted = False  # a duplicate or outside the period
    res = run([count(mn=4)], ev, points=4)
    assert res.completions == [Fraction(3, 4)] and res.score == 3


def test_segments_scored_one_by_one():
    # 截图（2分）；照片（2分）: only the screenshots are there → 2 of 4
    rules = [
        count("截图", mn=1),
        Rule("points", {"points": 2, "applies_to": "截图", "covers": [0]}),
        count("照片", mn=2),
        Rule("points", {"points": 2, "applies_to": "照片", "covers": [2]}),
    ]
    shots = [Evidence(7, IMAGE, path="7/s.png")]
    res = run(rules, shots, points=4)
    # the two count rules add up (3 images needed in all): 1 of 3 for each segment → 2×1/3 + 2×1/3 = 1.33 → 1.0
    assert res.score == 1


def test_a_ledger_row_for_a_document_is_never_an_activity():
    """Two photo rows and a 说明 row: 2 activities of 3 (not 「第3次（…）只有0张图片」)."""

    def row(r, kind, n, what):
        return Evidence(
            3, kind, group=f"ledger:工会-佐证台账.xlsx:{r}", group_name=f"2022-06-0{r} {what}",
            group_date=dt.date(2022, 6, r), annotation=what, declared=True, count=n,
        )  # fmt: skip

    rows = [row(1, IMAGE, 3, "读书会"), row(2, IMAGE, 3, "健步走"), row(3, DOCUMENT, 1, "情况说明")]
    res = run([groups(3, 2), count("情况说明", "document", unit="份")], rows, points=3)
    assert codes(res) == ["too-few-groups"]
    assert res.findings[0].params["have"] == 2


def test_unlike_photos_are_told_once_naming_every_object():
    rules = [count("截图", mn=1), count("截图", mn=1), count("照片", mn=2)]
    res = run(rules, [Evidence(7, IMAGE, path="7/a.jpg")], points=6)
    [found] = res.findings
    assert found.code == "too-few-images" and found.params["need"] == 4
    assert "截图、照片只有1张" in found.message


def test_each_paper_is_matched_to_what_it_is():
    """A 情况说明 and a 工作清单 are needed, one 说明 is there: the 清单 is what is missing."""
    rules = [count("情况说明", "document", unit="份"), count("工作清单", "list", unit="份")]
    one = Evidence(5, DOCUMENT, path="5/2022年创建工作情况说明.docx")
    res = run(rules, [one], points=2)
    told = [f for f in res.findings if f.code != "scaled-by-missing"]
    assert [(f.code, f.params["object"]) for f in told] == [("missing-document", "工作清单")]
    # and why the 说明 that is there earns nothing: the 清单's 0 takes the item to 0
    [zero] = [f for f in res.findings if f.code == "scaled-by-missing"]
    assert zero.params["what"] == "工作清单" and zero.params["before"] == 2
    listed = Evidence(5, DOCUMENT, path="5/附件.pdf", object="清单", declared=True, count=1)
    assert run(rules, [one, listed], points=2).status == "met"
    # papers that name neither still fill the needs in order
    plain = [Evidence(5, DOCUMENT, path=f"5/扫描{k}.pdf") for k in range(2)]
    assert run(rules, plain, points=2).status == "met"
    two_of_one = [Evidence(5, DOCUMENT, path=f"5/情况说明{k}.docx") for k in range(2)]
    res = run(rules, two_of_one, points=2)
    assert [f.params["object"] for f in res.findings if "object" in f.params] == ["工作清单"]


def test_too_few_groups_speaks_of_the_groups_unit():
    """不少于3类活动 → 「只有1类活动的材料，要求至少3类」, never 「1次类」."""
    ev = photos(3, "a", 3, date="2022-05-03")
    res = run([groups(3, 3, group="类")], ev, points=6)
    [found] = [f for f in res.findings if f.code == "too-few-groups"]
    assert "只有1类活动的材料，要求至少3类，缺2类" in found.message
    res = run([groups(2, 3)], ev, points=6)
    [found] = [f for f in res.findings if f.code == "too-few-groups"]
    assert "只有1次活动的材料，要求至少2次，缺1次" in found.message


def test_a_placeholder_department_is_told_to_the_office():
    item = Item(no=8, text="t", points=2, placeholders=["相关职能科"])
    res = ItemResult(item=item, requirement=Requirement("…", rules=[count()]))
    check_item(res)
    assert "placeholder-department" in codes(res)
    item = Item(no=8, text="t", points=2, departments=["党建办"], placeholders=["各科室"])
    res = ItemResult(item=item, requirement=Requirement("…", rules=[count()]))
    check_item(res)
    [f] = [f for f in res.findings if f.code == "placeholder-beside-departments"]
    assert f.severity == "info" and "党建办" in f.message


def test_a_doubt_the_parser_explains_is_reported_with_its_reason():
    from wenming_xl.rules.parser import parse_requirement

    item = Item(
        no=9,
        text="t",
        points=4,
        departments=["党建办"],
        location=Location("t.xlsx", "Sheet1", "B9"),
    )
    req = parse_requirement("上传照片不少于2张，视工作成效加1-3分，另有7")
    res = ItemResult(item=item, requirement=req, evidence=photos(2, "a", 2))
    score_item(res, check_item(res))
    found = {f.code: f for f in res.findings}
    assert "分值是一个范围" in found["requirement-review"].message
    assert "另有7" in found["requirement-unparsed"].message
    assert "分值是一个范围" not in found["requirement-unparsed"].message
