"""``wenming rules``: exit codes, the JSON shape and the plain-Chinese explanation."""

from __future__ import annotations

import json

from click.testing import CliRunner

from wenming_xl.cli import cli

ITEM_2 = "上传本单位参与文明城市创建的情况说明、参与活动现场图片（不少于2次活动，每次活动3张图片，注明时间地点及活动主题）。"


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, ["rules", *args], input=input)


def test_explains_one_text():
    res = run(ITEM_2)
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[0] == f"原文：{ITEM_2}"
    assert (
        lines[1]
        == "理解：至少1份情况说明；至少2次活动，每次至少3张图片，共至少6张；需注明时间、地点、主题"
    )


def test_json_of_one_text_is_an_object():
    res = run(ITEM_2, "--json")
    assert res.exit_code == 0
    data = json.loads(res.output)
    assert set(data) == {"text", "rules", "summary", "needs_review", "unparsed"}
    assert data["summary"]["min_images"] == 6
    assert [r["kind"] for r in data["rules"]] == ["count", "groups"]
    assert data["rules"][1]["each"][0] == {
        "kind": "count",
        "object": "图片",
        "category": "image",
        "min": 3,
        "max": None,
        "unit": "张",
        "approx": False,
        "source": "每次活动3张图片",
    }


def test_json_of_several_texts_is_a_list():
    res = run("上传照片不少于4张", "上传情况说明", "--json")
    assert res.exit_code == 0
    data = json.loads(res.output)
    assert [d["summary"]["min_images"] for d in data] == [4, 0]
    assert [d["summary"]["min_documents"] for d in data] == [0, 1]


def test_several_texts_are_explained_in_order():
    res = run("上传照片不少于4张", "材料审核")
    assert res.exit_code == 0
    assert res.output.splitlines() == [
        "原文：上传照片不少于4张",
        "理解：至少4张照片",
        "",
        "原文：材料审核",
        "理解：没有可检查的材料要求",
    ]


def test_what_was_not_understood_and_what_needs_a_person():
    res = run("上传工作计划（扫描件或图片），需有单位的红头", "照片不少于3，另有7")
    assert res.exit_code == 0
    out = res.output
    assert "检查材料时人工查看：单位红头" in out  # a sure rule, looked at by a person
    assert "未能理解：「另有7」，请人工核对" in out


def test_reads_texts_from_stdin():
    res = run("-", "--json", input="上传照片2张\n\n上传名单\n")
    assert res.exit_code == 0
    data = json.loads(res.output)
    assert [d["text"] for d in data] == ["上传照片2张", "上传名单"]


def test_no_text_is_a_usage_error_in_chinese():
    res = run()
    assert res.exit_code == 2
    assert "没有要解析的要求" in res.output


def test_help_has_an_example():
    res = run("--help")
    assert res.exit_code == 0
    assert "示例" in res.output and "wenming rules" in res.output


def test_a_frequency_is_counted_over_the_period_given():
    res = run("每月开展1次志愿服务，上传活动照片", "--period", "2022-01..2022-06", "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert not data["needs_review"] and data["summary"]["min_groups"] == 6
    res = run("每月开展1次志愿服务，上传活动照片", "--json")
    data = json.loads(res.output)  # no period: a year, and a person checks
    assert data["needs_review"] and data["summary"]["min_groups"] == 12


def test_two_counts_of_one_object_are_said_apart_and_together():
    """「学习实践（2张）、宣讲活动的照片（2张）」: not 「至少2张照片；至少2张照片」 — 4 photos are checked."""
    res = run("上传本单位进行学习实践（2张）、并进行主题宣讲活动的照片（2张）。")
    assert res.exit_code == 0, res.output
    assert "另至少2张照片" in res.output and "照片共至少4张" in res.output
