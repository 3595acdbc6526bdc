"""Outputs: what the tool writes for people, split by what it writes.

In: a `Report` (and the unit profile, history). Out: files.
- ``workbooks``: the scored copy, the dashboard, department kits, the imported task
  table, the batch roll-up (xlsxwriter, and zip-part surgery for the scored copy).
- ``notices``: GB/T 9704 红头 documents (python-docx) and their PDF (LibreOffice).
- ``mail``: each department's message and 督查清单, the 通讯录, sending over SMTP.
May import tables, rules, evidence, judge and files. Must not import runs or cli.
"""
