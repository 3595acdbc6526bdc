"""Writers of the check's results: scored workbook, dashboard, notices, mail."""
