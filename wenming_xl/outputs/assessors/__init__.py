"""Outputs for the assessors: the printed binder (迎检资料) and the platform upload pack.

In: a `Report` (each item's counted evidence, with the file it came from), the unit
profile's ``[binder]`` / ``[pack]`` settings. Out: files.
- ``contents``: the boxes (one per category), their items and counted files with captions.
- ``binder`` (with ``box``, ``pages``, ``spine``): one Word file per box, a
  总目录 and the spine labels; ``images``: print copies, size-limited JPEGs, PDF pages.
- ``pack`` (with ``manifest``): one folder per item sized for the platform and its
  报送清单.xlsx with SHA-256 hashes, built beside its place and moved in whole.
Only what ``check`` counted goes in: duplicates and files outside the period never do.
May import evidence (to open photos), files, outputs.notices (LibreOffice) and
outputs.workbooks (names). Must not import runs or cli.
"""
