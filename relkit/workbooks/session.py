"""What a workbook notebook calls: load the engagement, show headings, tables,
figures and plain-language explanations, and record key figures.

The same object works live in JupyterLab (nothing written) and under the
pipeline (output_dir given: figures.json pieces and tables/*.csv are written).
"""
from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd
from IPython.display import HTML, Image, display
from slugify import slugify

from relkit.views.charts import style as charts
from relkit.views.excel import safe_cells
from relkit.io.labels import Labels
from relkit.intake.load import EngagementData, load

HEADING_META = "relkit"
WIDE_COLUMNS = 6  # tables with more columns than this get a smaller font
LANDSCAPE_COLUMNS = 8  # and beyond this, a landscape page in the PDF
LONG_ROWS = 20  # a table this long may split across pages (shorter ones move whole)


def table_html(frame: pd.DataFrame) -> str:
    """An HTML table that fits the page: empty cells instead of NaN, smaller
    type beyond WIDE_COLUMNS, a landscape page beyond LANDSCAPE_COLUMNS."""
    shown = frame.astype(object).where(frame.notna(), "")
    classes = ["rk-table"]
    if shown.shape[1] > WIDE_COLUMNS:
        classes.append("rk-wide")
    if shown.shape[1] > LANDSCAPE_COLUMNS:
        classes.append("rk-landscape")
    if shown.shape[0] > LONG_ROWS:
        classes.append("rk-long")
    return shown.to_html(index=False, escape=True, border=0, classes=classes, na_rep="")


class Session:
    """One workbook's view of one engagement."""

    def __init__(self, engagement: str | Path, workbook: str, lang: str | None = None,
                 output_dir: str | Path | None = None, working_dir: str | Path | None = None):
        # Exports were checked by `relkit run` and saved to working_dir; live,
        # they are imported when a workbook asks for them (customer_imports).
        self.data: EngagementData = load(engagement, import_exports=False)
        self.engagement = self.data.engagement
        self.workbook = workbook
        self.labels = Labels(lang or self.engagement.language, self.engagement.currency)
        self.output_dir = Path(output_dir) if output_dir else None
        self.working_dir = Path(working_dir) if working_dir else None
        self.figures: dict[str, dict] = {}
        charts.use_house_style()

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
        """A section title; the bound report builds its contents from these."""
        body, meta = self._heading_html(key, level, values)
        display(HTML(body), metadata=meta)

    def say(self, text: str, kind: str = "explain") -> None:
        """A paragraph for the client (already in their language)."""
        display(HTML(f'<p class="rk-{kind}">{html.escape(text)}</p>'))

    def callout(self, text: str) -> None:
        display(HTML(f'<blockquote class="rk-callout">{html.escape(text)}</blockquote>'))

    # -- data ---------------------------------------------------------------
    def table(self, frame: pd.DataFrame, name: str | None = None, heading: str | None = None, level: int = 2) -> None:
        """Show an aggregate table (never NaN on screen) and keep it as CSV. With
        ``heading`` (a label key) the title travels with the table, e.g. onto
        the landscape page a very wide table gets in the PDF."""
        body, meta = table_html(frame), {}
        if heading:
            title, meta = self._heading_html(heading, level, {})
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
        display(Image(data=charts.to_png(fig), format="png", width=width, alt=alt))

    def key_figures(self, items: list[tuple[str, str]]) -> None:
        """A strip of headline numbers: [(label, formatted value)]."""
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
