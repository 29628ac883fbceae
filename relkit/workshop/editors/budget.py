"""The action plan's budget, live: one box per action and quarter holding the
cell as typed ("850 €", "10 % du CA", "6h/semaine"), a quick-adjust slider for
a cell's fixed amount, the quarterly totals against the engagement's envelopes,
ROI and LTV:CAC, and the budget and category charts.

Only the budget cells are edited; every other cell of each row is written back
as it was loaded (sheet "Plan d'actions" only).
"""
from __future__ import annotations

import html
import math

import ipywidgets as w
import pandas as pd

from relkit.io.budget_cells import QUARTERS, BudgetLine, cell_as_typed, parse_budget_cell, plain_number
from relkit.topics.action_plan import actions_from_sheet
from relkit.topics.budget import budget_lines, category_totals, quarter_label, quarter_totals, reconcile
from relkit.topics.roi import overall_roi
from relkit.views.charts.budget import budget_chart, category_chart, update_budget_chart, update_category_chart
from relkit.views.number_text import number_text, percent_text
from relkit.workbooks.plan_budget import ltv_cac_text, roi_text
from relkit.io.labels import Labels
from relkit.workshop.editors.budget_value import ltv_cac
from relkit.workshop.base import Editor
from relkit.workshop.render import figure_png

QUARTER_COLUMNS = {q: f"budget_q{i}" for i, q in enumerate(QUARTERS, start=1)}
SLIDER_MAX = 20_000.0
SLIDER_STEP = 50.0


def _png(fig) -> bytes:
    """PNG of a figure already laid out (tight_layout): the whole figure, drawn once."""
    return figure_png(fig, box="figure")


class BudgetEditor(Editor):
    """Budget grid of the "Plan d'actions" sheet (key ``budget``, sheet ``actions``)."""

    key = "budget"
    title_key = "workshop.budget.title"
    sheet = "actions"

    def __init__(self, folder, lang: str | None = None):
        self.category_image = w.Image(format="png").add_class("rk-figure-categories")
        self.ltv = self.cac = None  # VMC gross and acquisition cost, computed once per load
        self.ltv_problem: str | None = None
        self._drawn: dict[str, tuple] = {}  # the numbers behind each chart shown
        self._charts: dict[str, object] = {}  # the Axes of each chart shown, moved to new numbers in place
        super().__init__(folder, lang)
        # the two live figures side by side
        children = list(self.widget.children)
        children[children.index(self.image)] = w.HBox([self.image, self.category_image]).add_class("rk-figures")
        for image in (self.image, self.category_image):
            image.layout.width = "49%"
        self.widget.children = tuple(children)

    # -- loading -------------------------------------------------------------------
    def build(self) -> None:
        L = self.L
        self._loaded = self.store.rows(self.sheet)
        self._initial = {}  # (row index, quarter) -> (text shown, raw cell value)
        self._syncing = False
        self.boxes: list[dict[str, w.Text]] = []
        for i, record in enumerate(self._loaded):
            boxes = {}
            for q, column in QUARTER_COLUMNS.items():
                raw = record.get(column)
                text = cell_as_typed(raw)
                self._initial[(i, q)] = (text, raw)
                box = w.Text(value=text, continuous_update=False, layout=w.Layout(width="130px"))
                box.add_class("rk-amount")
                box.add_class(f"rk-amount-{i}-{q}")
                box.observe(self._box_changed, names="value")
                boxes[q] = box
            self.boxes.append(boxes)

        header = w.HBox([w.HTML(f"<b>{html.escape(L('workshop.budget.col.action'))}</b>", layout=w.Layout(width="280px"))]
                        + [w.HTML(f"<b>{html.escape(quarter_label(q, L))}</b>", layout=w.Layout(width="130px"))
                           for q in QUARTERS])
        lines = [w.HTML(f'<p class="rk-help">{html.escape(L("workshop.budget.help"))}</p>'), header]
        for category, indices in self._groups():
            lines.append(w.HTML(f'<div class="rk-budget-category"><b>{html.escape(category)}</b></div>'))
            for i in indices:
                name = w.HTML(html.escape(str(self._loaded[i].get("action") or "")), layout=w.Layout(width="280px"))
                name.add_class("rk-budget-action-name")
                row = w.HBox([name, *self.boxes[i].values()])
                row.add_class("rk-row")
                row.add_class(f"rk-budget-row-{i}")
                lines.append(row)
        grid = w.VBox(lines).add_class("rk-budget-grid")

        options = [(str(r.get("action") or f"#{i + 1}"), i) for i, r in enumerate(self._loaded)]
        self.action_select = w.Dropdown(options=options, value=options[0][1] if options else None,
                                        description=L("workshop.budget.adjust.action"))
        self.action_select.add_class("rk-budget-action")
        self.quarter_select = w.ToggleButtons(options=[(quarter_label(q, L), q) for q in QUARTERS], value="T1",
                                              description=L("workshop.budget.adjust.quarter"))
        self.quarter_select.add_class("rk-budget-quarter")
        self.slider = w.FloatSlider(value=0.0, min=0.0, max=SLIDER_MAX, step=SLIDER_STEP, continuous_update=False,
                                    description=L("workshop.budget.adjust.amount"), readout=False,  # the cell box shows "1 000 €"
                                    layout=w.Layout(width="520px"), style={"description_width": "initial"})
        self.slider.add_class("rk-budget-slider")
        self.slider_value = w.HTML().add_class("rk-budget-slider-value")  # the slider's amount, as money
        self.slider.observe(self._show_slider_value, names="value")
        self.action_select.observe(lambda _: self._sync_slider(), names="value")
        self.quarter_select.observe(lambda _: self._sync_slider(), names="value")
        self.slider.observe(self._slider_changed, names="value")
        adjust = w.VBox([
            w.HTML(f"<b>{html.escape(L('workshop.budget.adjust.title'))}</b> "
                   f'<span class="rk-help">{html.escape(L("workshop.budget.adjust.help"))}</span>'),
            w.HBox([self.action_select, self.quarter_select]),
            w.HBox([self.slider, self.slider_value], layout=w.Layout(align_items="center")),
        ]).add_class("rk-budget-adjust")
        self._sync_slider()
        self._show_slider_value()
        self._load_value()
        self.body.children = (grid, adjust)

    def _groups(self) -> list[tuple[str, list[int]]]:
        """Rows grouped by category, categories in order of first appearance, rows in sheet order."""
        groups: dict[str, list[int]] = {}
        for i, record in enumerate(self._loaded):
            groups.setdefault(str(record.get("category") or "").strip(), []).append(i)
        return list(groups.items())

    def _load_value(self) -> None:
        """The VMC (LTV) and acquisition cost (CAC) once; ``ltv_problem`` says why when they cannot be computed."""
        self.ltv, self.cac, self.ltv_problem = ltv_cac(self.folder, self.eng, self.L)

    # -- the boxes and the slider ------------------------------------------------------
    def box(self, index: int, quarter: str) -> w.Text:
        return self.boxes[index][quarter]

    def _selected(self) -> w.Text | None:
        if self.action_select.value is None or not self.boxes:
            return None
        return self.boxes[self.action_select.value][self.quarter_select.value]

    def _selected_line(self):
        """The chosen cell's box and its parsed line (None when it does not parse)."""
        box = self._selected()
        if box is None:
            return None, None
        try:
            return box, parse_budget_cell(box.value)
        except ValueError:
            return box, None

    def _sync_slider(self) -> None:
        """Show the chosen cell's fixed amount on the slider, without rewriting the cell."""
        box, line = self._selected_line()
        if box is None or (line is None and (box.value or "").strip()):
            return  # an invalid cell keeps the slider where it is
        self._syncing = True
        try:
            self.slider.value = min(line.money if line is not None else 0.0, SLIDER_MAX)
        finally:
            self._syncing = False

    def _show_slider_value(self, *_args) -> None:
        """The slider's amount beside it ("1 000 €"), as the cell writes it."""
        self.slider_value.value = (f'<span class="rk-budget-slider-amount">'
                                   f"{html.escape(self.money_text(self.slider.value))}</span>")

    def _slider_changed(self, change) -> None:
        if self._syncing:
            return
        box, line = self._selected_line()  # an invalid cell is replaced by the amount
        if box is None:
            return
        text = self.cell_text(change["new"], line)
        if box.value != text:
            box.value = text  # its observer refreshes

    def _box_changed(self, change) -> None:
        if change["owner"] is self._selected():
            self._sync_slider()
        self.changed()

    def money_text(self, amount: float) -> str:
        """'1 000 €': French money (the budget cells are read the French way)."""
        labels = self.L if self.L.lang == "fr" else Labels("fr", self.L.currency)
        text = labels.money(round(float(amount), 2))
        try:
            if abs(parse_budget_cell(text).money - round(float(amount), 2)) < 0.005:
                return text
        except ValueError:
            pass
        return f"{plain_number(amount, 'fr')} €"

    def cell_text(self, amount: float, line: BudgetLine | None = None) -> str:
        """The cell with ``amount`` as its fixed part; a share of revenue or internal time already there is kept."""
        fr = self.L.lang == "fr"
        parts = []
        if line is not None:
            if line.percent:
                points = plain_number(line.percent * 100, "fr" if fr else "en")
                parts.append(f"{points} % du CA" if fr else f"{points} % of revenue")
            if line.hours_per_week:
                parts.append(f"{plain_number(line.hours_per_week, 'fr' if fr else 'en')}h/"
                             + ("semaine" if fr else "week"))
            if line.hours_per_month:
                parts.append(f"{plain_number(line.hours_per_month, 'fr' if fr else 'en')}h/" + ("mois" if fr else "month"))
        if amount or not parts:
            parts.insert(0, self.money_text(amount))
        return " + ".join(parts)

    # -- the model ---------------------------------------------------------------------
    def rows(self) -> list[dict]:
        out = []
        for i, record in enumerate(self._loaded):
            row = dict(record)
            for q, column in QUARTER_COLUMNS.items():
                text = self.boxes[i][q].value
                shown, raw = self._initial[(i, q)]
                if text == shown:
                    row[column] = raw  # untouched: written back exactly as loaded
                else:
                    row[column] = text.strip() or None
            out.append(row)
        return out

    def _mark_invalid(self) -> set[tuple[int, str]]:
        bad = set()
        for i, boxes in enumerate(self.boxes):
            for q, box in boxes.items():
                try:
                    parse_budget_cell(box.value)
                    ok = True
                except ValueError:
                    ok = False
                    bad.add((i, q))
                if ok:
                    box.remove_class("rk-invalid")
                else:
                    box.add_class("rk-invalid")
        return bad

    def model(self):
        rows = self.rows()
        frame, self.problems = self.store.check(self.sheet, rows)
        bad = self._mark_invalid()
        if bad:  # totals of what can be counted: an invalid box counts as empty
            rows = [dict(r) for r in rows]
            for i, q in bad:
                rows[i][QUARTER_COLUMNS[q]] = None
            frame, _ = self.store.check(self.sheet, rows)
        self.invalid_cells = bad
        eng = self.eng
        self.forecast = eng.budget.forecast(eng.revenue.target)
        self.envelopes = dict(eng.budget.envelopes)
        self.actions = actions_from_sheet(frame) if len(frame) else []
        self.lines = budget_lines(self.actions)
        self.totals = quarter_totals(self.lines, self.forecast, eng.budget.hourly_cost)
        self.reconciled = reconcile(self.totals, self.envelopes) if self.envelopes else None
        self.categories = category_totals(self.lines, self.forecast)
        self.roi = overall_roi(self.actions, self.forecast, eng.value.margin)
        return frame

    def quarter_total(self, quarter: str) -> float:
        record = self.totals.set_index("quarter").loc[quarter]
        return round(float(record["total"]), 2) if pd.notna(record["total"]) else math.nan

    # -- what the room sees --------------------------------------------------------------
    def _envelope_check(self, record: dict | None) -> tuple[str, str]:
        """(status, sentence) for one quarter of ``reconcile``."""
        L = self.L
        if record is None or record["status"] is None:
            return "none", L("workshop.budget.envelope.none")
        parts = []
        if record["fixed_status"] == "ok" and record["percent_status"] == "ok":
            envelope = BudgetLine(money=record["envelope_fixed"], percent=record["envelope_percent"])
            return "ok", L("workshop.budget.envelope.ok", envelope=self._line_text(envelope))
        if record["fixed_status"] != "ok":
            parts.append(L(f"workshop.budget.envelope.{record['fixed_status']}", items=L.money(record["items_fixed"]),
                           envelope=L.money(record["envelope_fixed"]),
                           difference=L.money(abs(record["fixed_difference"]))))
        if record["percent_status"] != "ok":
            points = abs(record["percent_difference"]) * 100
            parts.append(L(f"workshop.budget.envelope.percent_{record['percent_status']}",
                           items=percent_text(record["items_percent"], L), envelope=percent_text(record["envelope_percent"], L),
                           points=number_text(points, L)))
        return record["status"], " ; ".join(parts) if L.lang == "fr" else "; ".join(parts)

    def _line_text(self, line: BudgetLine) -> str:
        L = self.L
        parts = [L.money(line.money)] if line.money or not line.percent else []
        if line.percent:
            parts.append(percent_text(line.percent, L) + (" du CA" if L.lang == "fr" else " of revenue"))
        return " + ".join(parts)

    def summary(self, model) -> str:
        L = self.L
        checks = {}
        if self.reconciled is not None:
            checks = {r["quarter"]: r for r in self.reconciled.to_dict("records")}
        head = "".join(f"<th>{html.escape(L(k))}</th>" for k in (
            "workshop.budget.summary.quarter", "workshop.budget.summary.total", "workshop.budget.summary.percent_part",
            "workshop.budget.summary.envelope", "workshop.budget.summary.hours"))
        body = []
        for record in self.totals.to_dict("records"):
            q = record["quarter"]
            total = L.money(round(record["total"], 2)) if pd.notna(record["total"]) else "—"
            share = L.money(round(record["percent_money"], 2)) if record["percent"] and pd.notna(
                record["percent_money"]) else ""
            status, sentence = self._envelope_check(checks.get(q))
            hours = ""
            if record["hours"]:
                hours_text = number_text(record["hours"], L)
                hours = (L("workshop.budget.summary.hours_value", hours=hours_text,
                           value=L.money(round(record["hours_value"], 2)))
                         if pd.notna(record["hours_value"]) else
                         L("workshop.budget.summary.hours_only", hours=hours_text))
            body.append(
                f"<tr><td>{html.escape(quarter_label(q, L))}</td>"
                f'<td><span class="rk-total-{q}">{html.escape(total)}</span></td>'
                f"<td>{html.escape(share)}</td>"
                f'<td><span class="rk-envelope-{q} rk-envelope-{status}">{html.escape(sentence)}</span></td>'
                f'<td><span class="rk-hours-{q}">{html.escape(hours)}</span></td></tr>')
        year = self.totals["total"].sum(min_count=1)
        year_text = L.money(round(float(year), 2)) if pd.notna(year) and not self.totals["total"].isna().any() else "—"
        body.append(f"<tr><td><b>{html.escape(L('workshop.budget.summary.year'))}</b></td>"
                    f'<td><b><span class="rk-total-year">{html.escape(year_text)}</span></b></td>'
                    "<td></td><td></td><td></td></tr>")
        parts = [f"<h4>{html.escape(L('workshop.budget.summary.title'))}</h4>",
                 f'<table class="rk-budget-totals"><tr>{head}</tr>{"".join(body)}</table>']
        if self.invalid_cells:
            parts.append(f'<p class="rk-budget-invalid">{html.escape(L("workshop.budget.summary.invalid"))}</p>')
        parts.append(f'<p class="rk-roi">{html.escape(roi_text(self.roi.cost, self.roi.revenue, L, self.roi.margin))}</p>')
        if self.ltv is not None and self.cac is not None:
            ltv_text = ltv_cac_text(round(self.ltv, 2), round(self.cac, 2), L)
        else:
            ltv_text = self.ltv_problem or L("workshop.budget.ltv_cac.missing")
        parts.append(f'<p class="rk-ltv-cac">{html.escape(ltv_text)}</p>')
        return "\n".join(parts)

    def figure(self, model):
        """The quarterly bars with the envelopes and, next to them, the category split. A chart
        whose numbers did not change is not redrawn: internal time or a retyped amount costs
        no drawing; one whose numbers changed is moved to them in place (a new chart only when
        its shape changed: quarters, envelopes, number of categories)."""
        L = self.L
        categories_key = tuple(self.categories[["category", "total"]].itertuples(index=False, name=None))
        if categories_key != self._drawn.get("categories"):
            if len(self.categories) and (self.categories["total"] > 0).any():
                ax = self._charts.get("categories")
                if ax is None or not update_category_chart(ax, self.categories, labels=L):
                    ax = self._charts["categories"] = category_chart(self.categories, labels=L,
                                                                     title=L("workshop.budget.category_chart"))
                self.category_image.value = _png(ax.figure)
            else:
                self.category_image.value = b""
            self._drawn["categories"] = categories_key
        budget_key = (tuple(self.totals[["fixed", "percent_money"]].fillna(-1.0).itertuples(index=False, name=None)),
                      tuple(sorted((q, e.text) for q, e in self.envelopes.items() if e is not None)))
        if budget_key != self._drawn.get("budget") or not self.image.value:
            envelopes = self.envelopes or None
            ax = self._charts.get("budget")
            if ax is None or not update_budget_chart(ax, self.totals, labels=L, envelopes=envelopes):
                ax = self._charts["budget"] = budget_chart(self.totals, labels=L, envelopes=envelopes)
            self.image.value = _png(ax.figure)
            self._drawn["budget"] = budget_key
        return None  # drawn above, in one pass (the charts are laid out already)

    # -- saving ---------------------------------------------------------------------------
    def save(self) -> bool:
        ok = super().save()
        if ok:  # the file now holds what the boxes show: it is the new "as loaded"
            self._loaded = self.store.rows(self.sheet)
            for i, record in enumerate(self._loaded):
                for q, column in QUARTER_COLUMNS.items():
                    self._initial[(i, q)] = (self.boxes[i][q].value, record.get(column))
        return ok
