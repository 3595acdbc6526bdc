"""Official notices (红头文件) in GB/T 9704-2012 layout, and their PDF.

In: a `Notice` (data) built from a rubric or report and the unit profile. Out: .docx
(and .pdf through LibreOffice).
- ``kinds``: the documents the office sends (印发通知, 督查通报); ``draft``: a notice from a
  plain-text draft.
- ``notice``: the `Notice` model, 文号 / date / title helpers, `write_notice`.
- ``layout``: a `Notice` laid out on the page; ``gongwen``: page, grid, fonts, rules;
  ``template``: the styles and the default template; ``pdf``: rendering and checks.
Must not import workbooks (other than cells), mail, runs or cli.
"""
