"""The requirement parser: free-text 材料要求 → `Requirement` of checkable `Rule` objects.

In: a string such as 「上传活动现场图片（不少于2次活动，每次活动3张图片，注明时间地点及活动主题）」.
Out: `Requirement` (rules with kind, count, unit, per-group counts, review flags) and its
plain-Chinese explanation.
- ``parser``: `parse_requirement`, the passes in order.
- ``lexicon``: the words and patterns (numbers, units, nouns of evidence).
- ``counts``: counts, per-activity counts and groups.
- ``frequency``: 「每月1次」 as a count over the assessment period; activity names.
- ``asides``: numbers that are not requirements (weights, results, rewards, ages, copies).
- ``passes``: annotations, review items, points and bonus/deduction rules.
- ``explain``: a `Requirement` in plain words (``wenming rules``, kits).
Reads no file. Must not import tables, evidence, judge, runs, outputs or cli.
"""
