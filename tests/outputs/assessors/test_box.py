"""The 测评材料提交表 always fits its page: a long requirement is cut, saying where the rest is."""

from __future__ import annotations

from wenming_xl.model import Finding, Item, ItemResult
from wenming_xl.outputs.assessors.binder import Shown
from wenming_xl.outputs.assessors.box import FORM_LINES, _lines, form_rows
from wenming_xl.outputs.assessors.contents import counted_entry


def test_a_long_requirement_and_many_problems_still_fit_one_page():
    req = "上传活动现场图片（不少于2次活动，每次活动3张图片，注明时间地点及活动主题）。" * 40
    findings = [Finding("too-few-images", f"第{k}次活动只有1张图片，要求每次3张，缺2张。", item_no=3)
                for k in range(30)]  # fmt: skip
    item = Item(
        no=3, text="学习贯彻条例" * 10, points=6, departments=["党建办"], requirement_text=req
    )
    rows = form_rows(counted_entry(ItemResult(item, findings=findings)), Shown(start=3))
    assert sum(_lines(v) for _k, v in rows) <= FORM_LINES
    text = dict(rows)
    assert text["材料要求"].endswith("……（全文见任务分工表）")
    assert "见评分表「问题清单」" in text["问题"]
    assert "本条目没有计入的材料文件" in text["说明"]


def test_a_short_sheet_is_left_whole():
    item = Item(no=4, text="开展主题活动", points=4, requirement_text="上传主题活动照片不少于4张。")
    rows = dict(form_rows(counted_entry(ItemResult(item)), Shown(start=5)))
    assert rows["材料要求"] == "上传主题活动照片不少于4张。" and rows["问题"] == "无"
    assert rows["本条目页码"] == "第 5 页（本页起）"
