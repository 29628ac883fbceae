"""The Word report (python-docx): the report's HTML vocabulary as Word styles,
tables and figures on a reference document a firm can replace."""
from relkit.views.word.document import Checks, Cover, find_reference, write_report

__all__ = ["Checks", "Cover", "find_reference", "write_report"]
