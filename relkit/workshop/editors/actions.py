"""The action plan in the workshop (sheet "Plan d'actions"): one card per
action (category, action, objective(s), KPI, owner, priority, lever on its
first line; the months it is active as a strip of twelve toggle buttons and
its budget per quarter, typed as in the workbook, on its second), rows added,
removed and moved; the retro-planning redrawn live by the report's own chart
(workbook 05's ``PlanWorkbook.retro_chart``, with the engagement's key dates
and roadmap phases) whenever what it shows changes.

A month clicked writes the "Mois actifs" cell as numbers and ranges
("1-3, 7, 9-12"), which ``relkit.io.budget_cells.parse_months`` reads back to
the same months; clicking back to the months as loaded restores the cell as
it was typed ("janvier-février"). Duration and programme are kept as loaded.
The budget editor reads the same rows of the same sheet.
"""
from __future__ import annotations

import datetime as dt
import html

import ipywidgets as w
import traitlets

from relkit.intake.load import EngagementData
from relkit.io.budget_cells import parse_months
from relkit.topics.action_plan import actions_from_sheet, month_abbreviations
from relkit.topics.budget import quarter_label
from relkit.views.charts.retro import retro_chart, update_retro_chart
from relkit.workbooks.plan import PlanWorkbook
from relkit.workshop.render import figure_png
from relkit.workshop.table import TableEditor, display

FIRST_LINE = ("category", "action", "objective", "kpi", "owner", "priority", "lever")
SECOND_LINE = ("months", "budget_q1", "budget_q2", "budget_q3", "budget_q4", "revenue_effect")
# what the retro-planning draws besides the actions (read once per load; PlanWorkbook needs the programmes)
OTHER_SHEETS = ("programmes", "key_dates", "tools", "data_flows", "roadmap")
RETRO_DPI = 120  # the chart is drawn for a 7-inch page column: 840 px wide, its 7-pt names readable on screen
QUARTER_OF = {f"budget_q{i}": f"T{i}" for i in range(1, 5)}


def months_cell(months) -> str:
    """(1, 2, 3, 7, 9, 10, 11, 12) -> '1-3, 7, 9-12'; () -> ''. Read back by parse_months."""
    runs: list[str] = []
    months = sorted(set(months))
    i = 0
    while i < len(months):
        j = i
        while j + 1 < len(months) and months[j + 1] == months[j] + 1:
            j += 1
        runs.append(str(months[i]) if i == j else f"{months[i]}-{months[j]}")
        i = j + 1
    return ", ".join(runs)


def _png(fig) -> bytes:
    """The retro-planning fills its figure (drawn in inches): the whole figure, drawn once."""
    return figure_png(fig, dpi=RETRO_DPI, box="figure")


class MonthStrip(w.HBox):
    """Twelve toggle buttons, one per month; ``value`` is the "Mois actifs" cell
    text (as loaded until a month is clicked). Setting ``value`` shows its months."""

    value = traitlets.Unicode("")

    def __init__(self, raw, names: list[str], full: list[str], on_text: str, off_text: str):
        self.raw = raw  # the cell as loaded (text or a number), written back when its months come back
        self._full, self._on_text, self._off_text = full, on_text, off_text
        self._syncing = False
        self.buttons = []
        for m, name in enumerate(names, start=1):
            button = w.ToggleButton(description=name, layout=w.Layout(width="3.1em", padding="0", margin="0 1px"))
            button.add_class("rk-month")
            button.add_class(f"rk-month-{m}")
            self.buttons.append(button)
        super().__init__(self.buttons, layout=w.Layout(flex="0 0 auto"))
        self.add_class("rk-months")
        self.value = display(raw)
        self._show(self.value)
        for button in self.buttons:
            button.observe(self._toggled, names="value")
        self.observe(self._value_set, names="value")

    @property
    def months(self) -> tuple[int, ...]:
        return tuple(m for m, b in enumerate(self.buttons, start=1) if b.value)

    def toggle(self, month: int) -> None:
        """Click a month (1-12)."""
        button = self.buttons[month - 1]
        button.value = not button.value

    def _style(self) -> None:
        for m, button in enumerate(self.buttons, start=1):
            button.button_style = "info" if button.value else ""
            button.tooltip = (self._on_text if button.value else self._off_text).format(month=self._full[m - 1])

    def _show(self, text: str) -> None:
        """Press the buttons of the months ``text`` names (none when it does not read: reported by the check)."""
        try:
            months = set(parse_months(text))
        except ValueError:
            months = set()
        self._syncing = True
        try:
            for m, button in enumerate(self.buttons, start=1):
                button.value = m in months
        finally:
            self._syncing = False
        self._style()

    def _toggled(self, _change) -> None:
        if self._syncing:
            return
        self._style()
        months = self.months
        try:
            loaded = parse_months(self.raw)
        except ValueError:
            loaded = None
        text = display(self.raw) if loaded == months else months_cell(months)
        self._syncing = True
        try:
            self.value = text
        finally:
            self._syncing = False

    def _value_set(self, change) -> None:
        if not self._syncing:
            self._show(change["new"])


class ActionsEditor(TableEditor):
    """The "Plan d'actions" sheet (key ``actions``) with the live retro-planning."""

    key = "actions"
    title_key = "workshop.actions.title"
    sheet = "actions"
    columns = FIRST_LINE + SECOND_LINE
    has_figure = True
    widths = {"category": "12em", "action": "15em", "objective": "13em", "kpi": "14em", "owner": "9em",
              "priority": "7em", "lever": "8.5em", "budget_q1": "7em", "budget_q2": "7em",
              "budget_q3": "7em", "budget_q4": "7em", "revenue_effect": "7em"}

    def __init__(self, folder, lang: str | None = None):
        self.redraws = 0  # retro-plannings drawn (one per change of what it shows)
        self.takeaway: str | None = None
        self.retro_actions: list = []  # the Actions drawn, as the report reads them
        self._drawn_key = None
        self._retro = None  # the retro-planning's Axes, given new names and months in place when nothing else moves
        super().__init__(folder, lang)
        self.image.layout.max_width = "100%"  # its own size (not stretched to the tab's width), smaller on a narrow screen
        self.image.layout.align_self = "flex-start"

    # -- building ---------------------------------------------------------------------
    def build(self) -> None:
        self._drawn_key = None  # after a reload: draw again
        self._other = {key: self.store.check(key, self.store.rows(key))[0] for key in OTHER_SHEETS}
        self._month_names = month_abbreviations(self.L)
        self._month_full = [self.L.date(dt.date(2000, m, 1), "LLLL") for m in range(1, 13)]
        super().build()
        help_line = w.HTML(f'<p class="rk-help">{html.escape(self.L("workshop.actions.help"))}</p>')
        self.body.children = (help_line, *self.body.children)

    def _widget(self, col, value) -> w.Widget:
        if col.type == "months":
            return MonthStrip(value, self._month_names, self._month_full, self.L("workshop.actions.month_on"),
                              self.L("workshop.actions.month_off"))
        widget = super()._widget(col, value)
        hint = {"objective": "objective_hint", "kpi": "kpi_hint"}.get(col.key)
        if hint and isinstance(widget, (w.Text, w.Textarea)):
            widget.placeholder = self.L(f"workshop.actions.{hint}")
        return widget

    def _caption(self, key: str) -> w.HTML:
        """The column's header before its box ('T1' for 'Budget T1': the full header in its tooltip)."""
        header = self.store.header(self.sheet, key)
        short = quarter_label(QUARTER_OF[key], self.L) if key in QUARTER_OF else header
        return w.HTML(f'<span class="rk-caption" title="{html.escape(header)}">{html.escape(short)}</span>',
                      layout=w.Layout(margin="0 4px 0 10px", flex="0 0 auto"))

    def _header(self) -> w.HBox:
        cells = [w.HTML(f"<b>{html.escape(self.store.header(self.sheet, c.key))}</b>", layout=self._layout_of(c))
                 for c in self.shown if c.key in FIRST_LINE]
        return w.HBox(cells).add_class("rk-header")

    def _make_row(self, values: dict, loaded: bool):
        row = super()._make_row(values, loaded)
        tools = list(row.box.children[len(row.widgets):])  # up, down, remove (and the note)
        first = w.HBox([row.widgets[k] for k in FIRST_LINE if k in row.widgets] + tools,
                       layout=w.Layout(align_items="flex-start", flex_flow="row wrap"))
        second = []
        for k in SECOND_LINE:
            if k in row.widgets:
                second += [self._caption(k), row.widgets[k]]
        second_line = w.HBox(second, layout=w.Layout(align_items="center", flex_flow="row wrap", margin="2px 0 0 0"))
        second_line.add_class("rk-action-plan")
        row.box = w.VBox([first, second_line], layout=w.Layout(border_bottom="1px solid #d0d7de",
                                                               padding="4px 0 6px 0"))
        row.box.add_class("rk-row")
        return row

    def _edited(self, row, col, new) -> None:
        if col.type == "months":
            strip = row.widgets[col.key]
            if new == display(strip.raw):  # the months as loaded: the cell as it was typed
                row.values[col.key] = strip.raw
                self.changed()
                return
        super()._edited(row, col, new)

    # -- helpers for tests and buttons ------------------------------------------------------
    def strip(self, i: int) -> MonthStrip:
        return self._rows[i].widgets["months"]

    def index_named(self, action: str) -> int:
        return next(i for i, r in enumerate(self._rows) if r.values.get("action") == action)

    # -- the live retro-planning ------------------------------------------------------------
    def book(self, model) -> PlanWorkbook:
        """Workbook 05 on these entries: the retro-planning as the report draws it."""
        data = EngagementData(self.folder, self.eng, {**self._other, "actions": model})
        return PlanWorkbook(data, self.L)

    def _draw(self, model) -> None:
        """Redraw the retro-planning when what it shows changed (categories, names, months, order)."""
        actions = actions_from_sheet(model) if len(model) else []
        drawn = tuple((a.category, a.action, a.months) for a in actions)
        if drawn == self._drawn_key:
            return
        self._drawn_key = drawn
        book = self.book(model)
        self.retro_actions = book.actions
        parts = book.retro_parts()
        if parts is None:
            self.takeaway = self._retro = None
            self.image.value = b""
            self.image.layout.display = "none"
        else:
            rows, options = parts
            self.takeaway = options["takeaway"]
            if self._retro is None or not update_retro_chart(self._retro, rows, labels=self.L, **options):
                self._retro = retro_chart(rows, labels=self.L, **options)  # else new names and months in place
            self.image.value = _png(self._retro.figure)
            self.image.layout.display = None
        self.redraws += 1

    def summary(self, model) -> str:
        self._draw(model)
        L = self.L
        if not len(model) and not self.problems:
            return f'<p class="rk-actions-none">{html.escape(L("workshop.actions.none"))}</p>'
        out = f'<p class="rk-count">{html.escape(L("workshop.actions.count", n=len(model)))}</p>'
        if self.takeaway:
            out += f'<p class="rk-retro-takeaway">{html.escape(self.takeaway)}</p>'
        return out
