"""``make_binder`` and ``make_pack``: the same check as ``wenming check``, the one period rule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from imgs import jpeg

from wenming_xl.config import ConfigError, parse_profile, tomllib
from wenming_xl.runs.check import run_check
from wenming_xl.runs.ready import make_binder, make_pack

TABLE = (
    Path(__file__).resolve().parents[2]
    / "workbooks"
    / "2022年度文明单位创建工作任务及责任分工.xlsx"
)


def _unit(tmp_path: Path, profile: str = "") -> tuple[Path, Path]:
    table = tmp_path / "任务分工.xlsx"
    table.write_bytes(TABLE.read_bytes())
    if profile:
        (tmp_path / "wenming.toml").write_text(profile, encoding="utf-8")
    ev = tmp_path / "材料"
    group = ev / "04 迎亚运" / "2022-05-03 东双桥社区 文明劝导"
    for k in range(3):
        jpeg(group / f"IMG_{k}.jpg", seed=k, taken=dt.date(2022, 5, 3))
    jpeg(group / "IMG_old.jpg", seed=9, taken=dt.date(2021, 5, 3))
    return table, ev


def _packed_names(run) -> set[str]:
    return {p.source.rsplit("/", 1)[1] for p in run.detail.packed}


def test_the_profile_period_applies_when_no_period_is_given(tmp_path):
    table, ev = _unit(tmp_path, '[unit]\nname = "绍兴市中医院"\nperiod = "2022"\n')
    run = make_pack(table, evidence=ev, out=tmp_path / "包")
    assert run.report.period == "2022年"
    assert _packed_names(run) == {"IMG_0.jpg", "IMG_1.jpg", "IMG_2.jpg"}
    older = make_pack(table, evidence=ev, period="2021", out=tmp_path / "包")  # --period wins
    assert _packed_names(older) == {"IMG_old.jpg"}


def test_the_title_year_is_the_period_without_any_other(tmp_path):
    table, ev = _unit(tmp_path)  # 「绍兴市中医院2022年度…」
    run = make_pack(table, evidence=ev, out=tmp_path / "包")
    assert run.report.period == "2022年" and "IMG_old.jpg" not in _packed_names(run)


def test_without_any_period_everything_counts_and_the_run_says_so(tmp_path):
    import openpyxl

    table, ev = _unit(tmp_path)
    wb = openpyxl.load_workbook(table)
    wb["任务分工"]["A1"] = "绍兴市中医院文明单位创建工作任务及责任分工"  # no year in the title
    wb.save(table)
    said: list[str] = []
    run = make_pack(table, evidence=ev, out=tmp_path / "包", echo=said.append)
    assert run.report.period is None and "IMG_old.jpg" in _packed_names(run)
    assert any("没有考核期" in s for s in said)


def test_binder_holds_what_check_counted(tmp_path):
    table, ev = _unit(tmp_path, '[binder]\nretention = "永久"\nphotos_per_page = 2\n')
    run = make_binder(table, evidence=ev, period="2022", out=tmp_path / "迎检")
    plain = run_check(table, evidence=ev, period="2022")
    counted = sorted(e.path for r in plain.items for e in r.evidence if e.counted)
    in_boxes = sorted(p.evidence.path for b, _plan, _f in run.detail.boxes for e in b.entries
                      for p in e.pieces)  # fmt: skip
    assert in_boxes == counted and len(counted) == 3
    entry = next(e for b, _p, _f in run.detail.boxes for e in b.entries if e.no == "4")
    shown = next(s for b, plan, _f in run.detail.boxes for e, s in zip(b.entries, plan.entries)
                 if e is entry)  # fmt: skip
    assert [len(page) for page in shown.photo_pages] == [2, 1]  # [binder] photos_per_page = 2
    assert (tmp_path / "迎检" / "00 总目录.docx").is_file()
    assert (tmp_path / "迎检" / "盒脊标签.docx").is_file()
    import docx

    cover = "\n".join(c.text for t in docx.Document(str(run.detail.boxes[0][2])).tables[:1]
                      for row in t.rows for c in row.cells)  # fmt: skip
    assert "永久" in cover and "2022年度" in cover


@pytest.mark.parametrize(
    "text",
    [
        "[binder]\nphotos_per_page = 3\n",
        "[binder]\nspine_mm = 25\n",
        '[pack]\nname = "{item}-{where}"\n',
        '[pack]\nname = "报送"\n',
        '[pack]\nmax_image_kb = "大"\n',
    ],
)
def test_bad_binder_and_pack_settings_are_refused_in_chinese(text):
    with pytest.raises(ConfigError) as err:
        parse_profile(tomllib.loads(text))
    assert "[binder]" in str(err.value) or "[pack]" in str(err.value)


def test_an_output_inside_the_evidence_folder_is_refused(tmp_path):
    from wenming_xl.errors import OutputError

    table, ev = _unit(tmp_path)
    with pytest.raises(OutputError):
        make_binder(table, evidence=ev, out=ev / "迎检资料")
    with pytest.raises(OutputError):
        make_pack(table, evidence=ev, out=ev)
    assert not (ev / "迎检资料").exists()
