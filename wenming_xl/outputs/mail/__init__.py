"""Each department's mail: its own gaps, its 督查清单 attachment, and sending them.

In: a `Report`, the unit profile and the 通讯录. Out: a `MailPlan` of messages, .eml
drafts in an outbox, or messages sent over SMTP with each delivery logged.
- ``messages``: one message per department (text, HTML, attachments); the outbox.
- ``extract``: a department's gaps and its 督查清单 workbook.
- ``contacts``: the 通讯录 sheet and the profile's contacts.
- ``sender``: throttled, resumable sending; never twice.
Must not import notices, runs or cli.
"""
