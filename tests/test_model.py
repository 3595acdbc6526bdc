"""model.py: plain objects; the report's evidence summary."""

from __future__ import annotations

import datetime as dt

from wenming_xl.model import GROUPS_SHOWN, Evidence, Item, ItemResult, Location


def test_evidence_summary_lists_the_first_groups_and_counts_them_all():
    day = dt.date(2022, 5, 3)
    declared = [
        Evidence(3, "image", None, f"ledger:台账.xlsx:{r}", f"活动{r}", day, "礼堂", day, True, 2)
        for r in range(2, 2 + GROUPS_SHOWN + 20)
    ]
    files = [
        Evidence(3, "image", f"材料/03/甲/{k}.jpg", "03/甲", "甲", None, "甲", None)
        for k in range(3)
    ]
    dup = Evidence(3, "image", "材料/03/甲/copy.jpg", "03/甲", "甲", counted=False)
    late = Evidence(3, "video", "材料/03/甲/v.mp4", "03/甲", "甲")  # after the 50th group
    loose = Evidence(3, "document", "材料/03/说明.docx", location=Location("材料/03/说明.docx"))
    result = ItemResult(Item(3, "x", points=2), evidence=[*files, dup, *declared, late, loose])
    s = result.evidence_summary()
    assert s["group_count"] == 1 + GROUPS_SHOWN + 20
    assert len(s["groups"]) == GROUPS_SHOWN
    assert s["groups"][0] == {
        "name": "甲",
        "date": None,
        "counts": {"image": 3, "video": 1},
        "declared": False,
    }
    assert s["groups"][1] == {
        "name": "活动2",
        "date": "2022-05-03",
        "counts": {"image": 2},
        "declared": True,
    }
    assert s["counts"] == {"image": 3 + 2 * (GROUPS_SHOWN + 20), "video": 1, "document": 1}
    assert (s["files"], s["declared"]) == (6, True)  # the uncounted copy is still a file
