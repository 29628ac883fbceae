"""The customer segments, live: the dormancy threshold and the RFM reference
date as controls, the segment sizes and the ready targets (dormant, new, never
bought) recomputed from the client's exports, which are read once at load.

Aggregates only: counts per segment and target, never a customer's name,
e-mail or id. Saved into engagement.yaml's ``customer_data:`` block.
"""
from __future__ import annotations

import datetime as dt
import html

import ipywidgets as w
import matplotlib.pyplot as plt
import pandas as pd

from relkit.views.charts.style import PALETTE
from relkit.customers import rfm
from relkit.io.problems import Problem
from relkit.workshop.base import Editor
from relkit.workshop.render import figure_png
from relkit.workshop.table import DateInput

DORMANT_RANGE = (1, 36)
SEGMENT_COLOURS = {
    "champions": "#1B5E20", "loyal": "#2E7D32", "potential_loyalist": "#66BB6A", "new": "#1565C0",
    "promising": "#42A5F5", "need_attention": "#F9A825", "about_to_sleep": "#FFB300", "at_risk": "#EF6C00",
    "cant_lose": "#C62828", "hibernating": "#8D6E63", "lost": "#9E9E9E",
}
CACHE_SIZE = 8  # RFM tables kept, by reference date


def _png(fig) -> bytes:
    """PNG of a figure already laid out (tight_layout): the whole figure, drawn once."""
    return figure_png(fig, box="figure")


class SegmentsExplorer(Editor):
    """RFM segments and ready targets (key ``segments``), saved into engagement.yaml."""

    key = "segments"
    title_key = "workshop.segments.title"
    sheet = None

    def __init__(self, folder, lang: str | None = None):
        self.targets_image = w.Image(format="png").add_class("rk-figure-targets")
        self._drawn: dict[str, object] = {}  # what each chart shows: unchanged charts are not redrawn
        super().__init__(folder, lang)
        children = list(self.widget.children)
        children[children.index(self.image)] = w.HBox([self.image, self.targets_image]).add_class("rk-figures")
        self.widget.children = tuple(children)

    def build(self) -> None:
        L = self.L
        cd = self.eng.customer_data
        self.load_problems: list[Problem] = []
        self.cf = None
        self.default_as_of: dt.date | None = None
        self._cache: dict[dt.date, tuple[pd.DataFrame, pd.DataFrame]] = {}
        self._drawn = {}  # files re-read: redraw
        self.rfm = self.profile = self.targets = None
        self.as_of: dt.date | None = None
        if cd is None:
            self.load_problems = [Problem(self.engagement_store.path.name, "customer_data", L("workshop.segments.no_data"))]
        else:
            from relkit.intake.imports import import_sources
            from relkit.workbooks.customers import CustomerFile

            imports, problems = import_sources(self.folder, self.eng)  # once: the controls only recompute
            if problems:
                self.load_problems = problems
            else:
                self.cf = CustomerFile(self.eng, imports, L)
                if self.cf.orders is None or not len(self.cf.orders):
                    self.load_problems = [Problem(self.engagement_store.path.name, "customer_data",
                                                  L("workshop.segments.no_sales"))]
                    self.cf = None
                else:
                    self.default_as_of = rfm.default_reference_date(self.cf.orders)
                    buys = rfm.purchases(self.cf.orders)
                    self.first_purchase = pd.Timestamp(buys["date"].min()).date() if len(buys) else None
                    self.customer_ids = self.cf.customers["customer_id"]
        dormant = cd.dormant_months if cd is not None else 12
        self.dormant_slider = w.IntSlider(value=dormant, min=DORMANT_RANGE[0], max=max(DORMANT_RANGE[1], dormant),
                                          step=1, continuous_update=False, description=L("workshop.segments.dormant_months"),
                                          style={"description_width": "initial"}, layout=w.Layout(width="460px"))
        self.dormant_slider.add_class("rk-dormant-months")
        reference = cd.reference_date if cd is not None else None
        # dd/mm/yyyy and the day in words in the engagement's language, never the browser's date format
        self.date_picker = DateInput(reference or self.default_as_of, L,
                                     description=L("workshop.segments.reference_date"))
        self.date_picker.add_class("rk-reference-date")
        default_note = (L("workshop.segments.reference_default", date=L.date(self.default_as_of))
                        if self.default_as_of else "")
        self.date_note = w.HTML(f'<span class="rk-help">{html.escape(default_note)}</span>')
        if self.cf is None:
            self.dormant_slider.disabled = self.date_picker.disabled = True
        self.dormant_slider.observe(self.changed, names="value")
        self.date_picker.observe(self.changed, names="value")
        self.body.children = (self.dormant_slider, w.HBox([self.date_picker, self.date_note]))

    # -- the model ----------------------------------------------------------------------
    def _rfm(self, as_of: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
        if as_of not in self._cache:
            if len(self._cache) >= CACHE_SIZE:
                self._cache.pop(next(iter(self._cache)))
            table = rfm.rfm_table(self.cf.orders, as_of)
            self._cache[as_of] = (table, rfm.profiles(table))
        return self._cache[as_of]

    def model(self):
        self.problems = list(self.load_problems)
        self.rfm = self.profile = self.targets = None
        if self.cf is None:
            return None
        as_of = self.date_picker.value or self.default_as_of
        if not isinstance(as_of, dt.date):  # typed, but not a date: said beside the box, nothing computed
            self.problems.append(Problem(self.engagement_store.path.name, self.L("workshop.segments.reference_date"),
                                         self.L("workshop.date.expected")))
            return None
        self.as_of = as_of
        if self.first_purchase is not None and as_of <= self.first_purchase:
            self.problems.append(Problem(self.engagement_store.path.name, self.L("workshop.segments.reference_date"),
                                         self.L("workshop.segments.before_first", date=self.L.date(self.first_purchase))))
            return None
        self.rfm, self.profile = self._rfm(as_of)
        self.targets = rfm.targets(self.rfm, as_of, self.customer_ids, self.dormant_slider.value,
                                   self.eng.customer_data.new_months)
        return self.targets

    # -- what the room sees --------------------------------------------------------------
    def summary(self, model) -> str:
        L = self.L
        if self.targets is None:
            return ""
        t, p = self.targets, self.profile
        customers = int(self.customer_ids.dropna().nunique())
        later = int((self.cf.orders["date"] >= pd.Timestamp(self.as_of)).sum())
        as_of = L("workshop.segments.as_of", date=L.date(self.as_of), buyers=L.number(len(self.rfm)),
                  customers=L.number(customers))
        lines = [f'<p class="rk-segments-as-of">{html.escape(as_of)}</p>',
                 "<ul>",
                 f'<li><b><span class="rk-dormant-count">{html.escape(L.number(t.dormant))}</span></b> '
                 f'{html.escape(L("workshop.segments.dormant", months=t.dormant_months))}</li>',
                 f'<li><b><span class="rk-new-count">{html.escape(L.number(t.new))}</span></b> '
                 f'{html.escape(L("workshop.segments.new", months=t.new_months))}</li>',
                 f'<li><b><span class="rk-never-count">{html.escape(L.number(t.never_bought))}</span></b> '
                 f'{html.escape(L("workshop.segments.never"))}</li>',
                 "</ul>"]
        if later:
            lines.append(f'<p class="rk-help">{html.escape(L("workshop.segments.after", n=L.number(later)))}</p>')
        head = "".join(f"<th>{html.escape(L(f'workshop.segments.col.{c}'))}</th>"
                       for c in ("segment", "customers", "share", "revenue_share"))
        body = "".join(
            f'<tr class="rk-segment-{s}"><td>{html.escape(L(f"segment.{s}"))}</td>'
            f'<td><span class="rk-segment-count-{s}">{html.escape(L.number(int(r["customers"])))}</span></td>'
            f"<td>{html.escape(L.percent(r['share']))}</td><td>{html.escape(L.percent(r['revenue_share']))}</td></tr>"
            for s, r in p.iterrows())
        lines.append(f'<table class="rk-segments-table"><tr>{head}</tr>{body}</table>')
        return "\n".join(lines)

    def figure(self, model):
        """Segment sizes (redrawn when the reference date changes) and, next to them, the ready
        targets (redrawn when a threshold changes); each in one pass, already laid out."""
        if self.targets is None:
            self.image.value = self.targets_image.value = b""
            self._drawn = {}
            return None
        t = self.targets
        if self._drawn.get("sizes") != self.as_of or not self.image.value:
            self.image.value = _png(self._sizes_chart())
            self._drawn["sizes"] = self.as_of
        key = (t.dormant, t.new, t.never_bought, t.dormant_months, t.new_months)
        if self._drawn.get("targets") != key or not self.targets_image.value:
            self.targets_image.value = _png(self._targets_chart())
            self._drawn["targets"] = key
        return None

    def _sizes_chart(self):
        L, p = self.L, self.profile
        fig, ax = plt.subplots(figsize=(4.7, 3.4))
        counts = p["customers"].astype(int)
        ax.barh(range(len(counts)), counts.to_numpy(), color=[SEGMENT_COLOURS[s] for s in p.index], height=0.65)
        peak = max(int(counts.max()), 1)
        for i, n in enumerate(counts):
            ax.text(n + peak * 0.02, i, L.number(n), va="center", fontsize=7.5, color=PALETTE["ink"])
        ax.set_yticks(range(len(counts)), [L(f"segment.{s}") for s in p.index])
        ax.invert_yaxis()
        ax.set_xlim(0, peak * 1.2)
        ax.xaxis.set_visible(False)
        ax.tick_params(labelsize=7.5)
        ax.spines[["top", "right", "bottom"]].set_visible(False)
        ax.set_title(L("workshop.segments.chart.title", date=L.date(self.as_of, "short")), fontsize=9.5,
                     fontweight="bold", loc="left", color=PALETTE["ink"])
        fig.tight_layout()
        return fig

    def _targets_chart(self):
        L, t = self.L, self.targets
        fig, ax = plt.subplots(figsize=(2.6, 3.4))
        names = [L("workshop.segments.chart.dormant", months=t.dormant_months),
                 L("workshop.segments.chart.new", months=t.new_months), L("workshop.segments.chart.never")]
        values = [t.dormant, t.new, t.never_bought]
        ax.barh(range(3), values, color=[PALETTE["weakness"], PALETTE["opportunity"], PALETTE["muted"]], height=0.6)
        top = max(values + [1])
        for i, n in enumerate(values):
            ax.text(n + top * 0.03, i, L.number(n), va="center", fontsize=7.5, color=PALETTE["ink"])
        ax.set_yticks(range(3), [n.replace(" (", "\n(") for n in names])
        ax.invert_yaxis()
        ax.set_xlim(0, top * 1.35)
        ax.xaxis.set_visible(False)
        ax.tick_params(labelsize=7.5)
        ax.spines[["top", "right", "bottom"]].set_visible(False)
        ax.set_title(L("workshop.segments.chart.targets"), fontsize=9.5, fontweight="bold", loc="left",
                     color=PALETTE["ink"])
        fig.tight_layout()
        return fig

    # -- saving ---------------------------------------------------------------------------
    def save_engagement(self) -> dict[str, object]:
        """customer_data.dormant_months and customer_data.reference_date ('dd/mm/yyyy'); the
        default date (the day after the last sale) is not written unless the file already sets
        a date, so it keeps following new exports."""
        updates: dict[str, object] = {"customer_data.dormant_months": int(self.dormant_slider.value)}
        picked = self.date_picker.value
        stated = self.eng.customer_data.reference_date if self.eng.customer_data is not None else None
        if picked is None or (stated is None and picked == self.default_as_of):
            updates["customer_data.reference_date"] = None
        else:
            updates["customer_data.reference_date"] = f"{picked:%d/%m/%Y}"
        return updates

    def save(self) -> bool:
        ok = super().save()
        if ok:
            from relkit.io.engagement_file import read_engagement

            eng, _ = read_engagement(self.folder)
            self.eng = eng or self.eng
        return ok
