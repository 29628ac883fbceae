"""The key under which a workbook's outputs carry relkit's metadata (section
headings for the contents, moved comments): shared by the notebooks' Session
and the renderer, which must not import the Session's charting stack."""

HEADING_META = "relkit"
