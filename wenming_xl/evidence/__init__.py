"""Evidence: what the departments provided, read from folders and ledgers.

In: the rubric's items, an evidence folder, ledger workbooks, the assessment period.
Out: `Evidence` objects (one file, activity or declared ledger row each, with item,
date, place, theme and kind) and findings about what could not be used.
- ``collect``: `collect_evidence`: trees and ledgers merged, files probed, what counts.
- ``tree``: the evidence root and the departments' kit folders, walked as item trees.
- ``ledger``, ``declared``, ``loader``, ``paths``, ``links``: ledger sheets (columns,
  cleaning, declared rows), their background loading, which files, and hyperlinks.
- ``kinds``: a file's kind by content, EXIF date, perceptual hash, duplicates.
- ``cache``: the per-file scan cache in ``wenming.sqlite``.
- ``period``: the assessment period (「2022」, 「2022-01..2022-06」) and months.
May import tables (item numbers) and files. Must not import judge, runs, outputs or cli.
"""
