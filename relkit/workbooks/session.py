"""What a workbook notebook calls: load the engagement, show headings, tables,
figures and plain-language explanations, and record key figures.

The same object works live in JupyterLab (nothing written) and under the
pipeline (output_dir given: figures.json pieces and tables/*.csv are written).
"""
from __future__ import annotations

import html
import json
import re
import uuid
from pathlib import Path

import pandas as pd
from IPython import get_ipython
from IPython.display import HTML, Image, display, update_display
from slugify import slugify

from relkit.views.charts import style as charts
from relkit.views.excel import cells as excel_cells, safe_cells
from relkit.io import sections
from relkit.io.labels import Labels
from relkit.intake.load import EngagementData, load
from relkit.intake.handover import kept
from relkit.workbooks.cell_meta import HEADING_META

WIDE_COLUMNS = 6  # tables with more columns than this get a smaller font
DENSE_COLUMNS = 8  # beyond this, the smallest type (6.5 pt in print), still on a portrait page
LANDSCAPE_COLUMNS = 10  # and beyond this, a landscape page in the PDF
LONG_ROWS = 8  # a table longer than this may split across pages (shorter ones move whole)


def table_html(frame: pd.DataFrame) -> str:
    """An HTML table that fits the page: empty cells instead of NaN, smaller
    type beyond WIDE_COLUMNS, the smallest beyond DENSE_COLUMNS, a landscape
    page beyond LANDSCAPE_COLUMNS."""
    shown = frame.astype(object).where(frame.notna(), "")
    classes = ["rk-table"]
    if shown.shape[1] > WIDE_COLUMNS:
        classes.append("rk-wide")
    if shown.shape[1] > LANDSCAPE_COLUMNS:
        classes.append("rk-landscape")
    elif shown.shape[1] > DENSE_COLUMNS:
        classes.append("rk-dense")
    if shown.shape[0] > LONG_ROWS:
        classes.append("rk-long")
    return shown.to_html(index=False, escape=True, border=0, classes=classes, na_rep="")


_FRENCH_SPACE = re.compile(r"[ \u00a0](?=[:;!?»])|(?<=«)[ \u00a0]")  # a line never breaks before ':' or inside « »


def comment_html(text: str, section: str = "", lang: str = "fr") -> str:
    """A consultant's comment: basic Markdown (bold, italic, lists, links, line
    breaks) as HTML; any HTML typed in it is shown as text, never run. French
    text gets narrow no-break spaces before : ; ! ? » and after «."""
    from markdown_it import MarkdownIt

    if lang == "fr":
        text = _FRENCH_SPACE.sub("\u202f", text)
    md = MarkdownIt("commonmark", {"html": False, "breaks": True}).disable(["image", "heading", "lheading"])
    return f'<div class="rk-comment" data-section="{html.escape(section)}">{md.render(text)}</div>'


MOVED = "<!-- -->"  # what is left where a comment stood
_current: "Session | None" = None  # the session whose comments follow the cells (one per kernel)
_hooked = False


def _after_cell(*_) -> None:
    if _current is not None:
        _current._cell_done()


class Session:
    """One workbook's view of one engagement."""

    def __init__(self, engagement: str | Path, workbook: str, lang: str | None = None,
                 output_dir: str | Path | None = None, working_dir: str | Path | None = None):
        # Exports were checked by `relkit run` and saved to working_dir; live,
        # they are imported when a workbook asks for them (customer_imports).
        # Validated once by `relkit run` and kept in working_dir (unless the
        # files changed since); a notebook run on its own validates here.
        self.data: EngagementData = kept(engagement, working_dir) or load(engagement, import_exports=False)
        self.engagement = self.data.engagement
        self.workbook = workbook
        self.labels = Labels(lang or self.engagement.language, self.engagement.currency)
        self.output_dir = Path(output_dir) if output_dir else None
        self.working_dir = Path(working_dir) if working_dir else None
        self.figures: dict[str, dict] = {}
        self._open: list[dict] = []  # sections shown and not yet ended: {level, id, said, dirty, shown}
        self._follow_cells()
        charts.use_house_style(self.data.brand)  # the firm's _brand.yml, else relkit's look
        excel_cells.use_brand(self.data.brand)

    def _follow_cells(self) -> None:
        """In a kernel, "après" comments sit at the end of the last cell that showed
        their section's content (so a section followed by an appendix cell keeps
        them in the body); elsewhere, before the next heading."""
        global _current, _hooked
        shell = get_ipython()
        if shell is None:
            return
        _current = self
        if not _hooked:
            shell.events.register("post_run_cell", _after_cell)
            _hooked = True

    def customer_imports(self) -> dict:
        """The imported customer exports: saved by the run, else read now."""
        from relkit.intake.imports import import_sources, load_imports
        from relkit.io.problems import ValidationFailed

        saved = load_imports(self.working_dir)
        if saved is not None:
            return saved
        imports, problems = import_sources(self.data.folder, self.engagement)
        if problems:
            raise ValidationFailed(problems)
        return imports

    # -- text ---------------------------------------------------------------
    def _heading_html(self, key: str, level: int, values: dict) -> tuple[str, dict]:
        text = self.labels(key, **values)
        anchor = slugify(f"{self.workbook}-{key}")
        return (f'<h{level} id="{anchor}" class="rk-heading">{html.escape(text)}</h{level}>',
                {HEADING_META: {"heading": text, "level": level, "anchor": anchor}})

    def heading(self, key: str, level: int = 2, **values) -> None:
        """A section title; the bound report builds its contents from these.
        The consultant's comments for the section follow it ("avant")."""
        self._end_sections(level)
        self._touch()
        body, meta = self._heading_html(key, level, values)
        display(HTML(body), metadata=meta)
        before = self._start_section(key, level)
        if before:
            display(HTML(before))

    def say(self, text: str, kind: str = "explain") -> None:
        """A paragraph for the client (already in their language); the first
        one of a section gives way to the consultant's "remplace" comments."""
        self._touch()
        if kind == "explain":
            instead = self._replacing()
            if instead:
                display(HTML(instead))
                return
        display(HTML(f'<p class="rk-{kind}">{html.escape(text)}</p>'))

    def end(self) -> None:
        """The notebook's last call: the comments placed after the last sections."""
        self._end_sections(1)

    # -- the consultant's comments (sheet Commentaires, commentaires/*.md) ----
    def _comments(self, section: str, position: str) -> str:
        return "".join(comment_html(c.text, section, self.labels.lang) for c in getattr(self.data, "comments", ())
                       if c.section == section and c.position == position)

    def _start_section(self, key: str, level: int) -> str:
        """Open the section a heading starts (if it is one); its "avant" comments."""
        section = sections.by_heading(key)
        if section is None:
            return ""
        self._open.append({"level": level, "id": section.id, "said": False, "dirty": True, "shown": None})
        return self._comments(section.id, "before")

    def _touch(self) -> None:
        """Content was shown: it belongs to every open section."""
        for section in self._open:
            section["dirty"] = True

    def _closing(self, section: dict) -> str:
        """What ends a section: "remplace" comments no paragraph made room for, then "après" ones."""
        return ("" if section["said"] else self._comments(section["id"], "replace")) + self._comments(section["id"], "after")

    def _end_sections(self, level: int) -> None:
        """Close the sections a heading of ``level`` ends, innermost first: their
        closing comments here, unless they already stand at the end of the cell
        that showed the section's last content."""
        while self._open and self._open[-1]["level"] >= level:
            section = self._open.pop()
            closing = self._closing(section)
            if not closing or not section["dirty"]:
                continue
            if section["shown"]:
                update_display(HTML(MOVED), display_id=section["shown"])
            display(HTML(closing))

    def _cell_done(self) -> None:
        """End of a cell: the closing comments of the open sections it showed content
        of move to its end (the workbook's own, level 1, wait for end())."""
        for section in self._open:
            closing = self._closing(section)
            if section["level"] < 2 or not closing or not section["dirty"]:
                continue
            if section["shown"]:
                update_display(HTML(MOVED), display_id=section["shown"])
            section["shown"] = f"rk-comment-{section['id']}-{uuid.uuid4().hex[:8]}"
            section["dirty"] = False
            display(HTML(closing), display_id=section["shown"])

    def _replacing(self) -> str:
        """The "remplace" comments of the open sections whose first paragraph this is."""
        out = ""
        for section in self._open:
            if not section["said"]:
                section["said"] = True
                out += self._comments(section["id"], "replace")
        return out

    def callout(self, text: str) -> None:
        self._touch()
        display(HTML(f'<blockquote class="rk-callout">{html.escape(text)}</blockquote>'))

    # -- data ---------------------------------------------------------------
    def table(self, frame: pd.DataFrame, name: str | None = None, heading: str | None = None, level: int = 2) -> None:
        """Show an aggregate table (never NaN on screen) and keep it as CSV. With
        ``heading`` (a label key) the title travels with the table, e.g. onto
        the landscape page a very wide table gets in the PDF."""
        body, meta = table_html(frame), {}
        if heading:
            self._end_sections(level)
        self._touch()
        if heading:
            title, meta = self._heading_html(heading, level, {})
            title += self._start_section(heading, level)  # the section's "avant" comments, between title and table
            wide = " rk-landscape" if frame.shape[1] > LANDSCAPE_COLUMNS else ""
            body = f'<div class="rk-table-block{wide}">{title}{body}</div>'
        display(HTML(body), metadata=meta)
        if name and self.output_dir:
            target = self.output_dir / "tables" / f"{name}.csv"
            target.parent.mkdir(parents=True, exist_ok=True)
            safe_cells.to_csv(frame, target, index=False, encoding="utf-8")  # no workshop text runs as a formula

    def figure(self, fig, alt: str = "") -> None:
        """Show a matplotlib figure as a static PNG (prints the same everywhere)."""
        width = int(fig.get_figwidth() * 96)
        self._touch()
        display(Image(data=charts.to_png(fig), format="png", width=width, alt=alt))

    def key_figures(self, items: list[tuple[str, str]]) -> None:
        """A strip of headline numbers: [(label, formatted value)]."""
        self._touch()
        cells = "".join(
            f'<div class="rk-kpi"><div class="rk-kpi-value">{html.escape(v)}</div>'
            f'<div class="rk-kpi-label">{html.escape(k)}</div></div>'
            for k, v in items
        )
        display(HTML(f'<div class="rk-kpis">{cells}</div>'))

    def record(self, key: str, value, label: str | None = None, display_value: str | None = None) -> None:
        """Record a key figure for figures.json, the report summary and the batch index."""
        if hasattr(value, "item"):
            value = value.item()
        self.figures[key] = {"value": value, "label": label or key, "display": display_value or str(value)}
        if self.output_dir:
            target = self.output_dir / "figures" / f"{self.workbook}.json"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(self.figures, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
