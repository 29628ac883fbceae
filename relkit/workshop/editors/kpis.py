"""KPIs in the workshop: the KPIs tracked and their targets (sheet KPI; a
catalogue KPI picked from a list, or one written by hand with its unit) and
the actuals per period (sheet Réalisé), with the dashboard's status colours
live: every actual typed is judged by ``relkit.topics.kpi.dashboard`` (its
THRESHOLDS), the chart is the report's ``dashboard_chart`` and the sentences
are the report's ``status_text``.

The editor edits two sheets: both are checked (as ``relkit validate`` checks
them) before anything is written, and they are saved together in one write
(one backup), or not at all.
"""
from __future__ import annotations

import html
import math
import numbers

import ipywidgets as w
import pandas as pd

from relkit.io.atelier import sheet as schema_of
from relkit.io.parsing import fold, is_blank
from relkit.io.problems import Problem
from relkit.topics.kpi import KpiRowError, dashboard, kpi_from_row, kpis_from_sheet, latest
from relkit.topics.kpi_calendar import Period, parse_period
from relkit.topics.kpi_catalogue import CATALOGUE, kpi_code, name_key
from relkit.views.charts.kpi import STATUS_COLOURS, dashboard_chart
from relkit.views.number_text import kpi_value_text
from relkit.workbooks.plan_kpi import status_text
from relkit.workshop.render import figure_png
from relkit.workshop.table import TableEditor

KPIS_SHEET = "kpis"
ACTUALS_SHEET = "actuals"


def _png(fig) -> bytes:
    """The dashboard chart places its axes itself: the whole figure, drawn once."""
    return figure_png(fig, box="figure")


def _without(frame: pd.DataFrame, rows: set) -> pd.DataFrame:
    return frame[~frame["row"].isin(rows)].reset_index(drop=True) if rows else frame


def _ident(code, name):
    """A KPI's identity in the KPI table and the dashboard: its catalogue code, else its name."""
    return name if code is None or (isinstance(code, float) and math.isnan(code)) else code


class _MeasureTable(TableEditor):
    """A table whose measure cells (target, actual) show a number stored as a
    ratio in a percent KPI as a percentage ('35 %', not '0.35')."""

    def unit_of(self, values: dict) -> str | None:
        return None

    def _widget(self, col, value):
        widget = super()._widget(col, value)
        if (col.type == "measure" and isinstance(value, numbers.Real) and not isinstance(value, bool)
                and self.unit_of(self._values_building) == "percent"):
            widget.value = kpi_value_text(float(value), "percent", self.L)
        return widget

    def _make_row(self, values: dict, loaded: bool):
        self._values_building = values
        row = super()._make_row(values, loaded)
        for button in (row.up, row.down, *[c for c in row.box.children if "rk-remove" in c._dom_classes]):
            button.layout.flex = "0 0 auto"  # a long note after the row never squeezes its buttons
        row.note.layout.flex = "1 1 12em"
        return row


class _ActualsTable(_MeasureTable):
    """The Réalisé sheet inside the KPI editor: it shares its owner's store,
    and its owner checks, judges and saves it."""

    key = "kpi-actuals"
    sheet = ACTUALS_SHEET
    row_notes = True
    widths = {"kpi": "18em", "period": "9em", "actual": "8em"}

    def __init__(self, owner: KpiEditor):
        self.owner = owner
        self._ready = False
        super().__init__(owner.folder, owner.L.lang)
        self._ready = True

    def open_store(self):
        return self.owner.store

    def unit_of(self, values: dict) -> str | None:
        return self.owner.units.get(name_key(str(values.get("kpi") or "")))

    def _widget(self, col, value):
        if col.key == "kpi":  # the KPI table's names to pick from, any text accepted (checked)
            box = w.Combobox(value="" if is_blank(value) else str(value), options=self.owner.kpi_names(),
                             ensure_option=False, continuous_update=False, layout=self._layout_of(col))
            return box
        widget = super()._widget(col, value)
        if col.key == "period":
            widget.placeholder = self.L("workshop.kpis.period_placeholder")
        return widget

    def set_kpi_names(self, names: list[str]) -> None:
        for row in self._rows:
            box = row.widgets.get("kpi")
            if box is not None and list(box.options) != names:
                box.options = names

    def changed(self, *_args) -> None:
        if self._ready:
            self.owner.changed()

    def refresh(self) -> None:
        """Checked and judged by the owner, with the KPIs (see KpiEditor.model)."""


class KpiEditor(_MeasureTable):
    """KPI targets (sheet ``kpis``) and actuals (sheet ``actuals``), with the
    dashboard live."""

    key = "kpis"
    title_key = "workshop.kpis.title"
    sheet = KPIS_SHEET
    SHEETS = (KPIS_SHEET, ACTUALS_SHEET)  # both saved by this editor (rows_to_save): no generic tab for either
    row_notes = True
    has_figure = True
    widths = {"kpi": "15em", "definition": "16em", "formula": "13em", "unit": "6em", "frequency": "8.5em",
              "direction": "10em", "target": "7em", "objective": "11em"}

    def __init__(self, folder, lang: str | None = None):
        self.units: dict[str, str] = {}  # name key -> unit code, for showing percent actuals
        self.dash: pd.DataFrame | None = None  # the last dashboard (every actual judged)
        self.kpi_table: pd.DataFrame | None = None  # the last KPI table (catalogue defaults merged)
        self._drawn = None  # what the chart shown was drawn from
        super().__init__(folder, lang)

    # -- building ---------------------------------------------------------------------
    def build(self) -> None:
        super().build()
        L = self.L
        self.units = self._units()
        self.actuals = _ActualsTable(self)
        self.catalogue = w.Dropdown(layout=w.Layout(width="24em")).add_class("rk-kpi-catalogue")
        self.catalogue_add = self._button(L("workshop.kpis.catalogue_add"), "plus", "rk-kpi-catalogue-add",
                                          lambda _: self.add_from_catalogue())
        self._fill_catalogue()
        self.catalogue.observe(lambda _: self._catalogue_ready(), names="value")
        self.actuals_problems = w.HTML().add_class("rk-problems-box")
        targets = list(self.body.children)
        self.body.children = [
            w.HTML(f'<h4 class="rk-kpi-targets">{html.escape(L("workshop.kpis.targets"))}</h4>'
                   f'<p class="rk-help">{html.escape(L("workshop.kpis.targets_help"))}</p>'),
            *targets[:-1],
            w.HBox([targets[-1], w.HTML(f"<b>{html.escape(L('workshop.kpis.catalogue'))}</b>"), self.catalogue,
                    self.catalogue_add], layout=w.Layout(align_items="center")),
            w.HTML(f'<h4 class="rk-kpi-actuals">{html.escape(L("workshop.kpis.actuals"))}</h4>'
                   f'<p class="rk-help">{html.escape(L("workshop.kpis.actuals_help"))}</p>'),
            *self.actuals.body.children[:-1],
            w.HBox([self.actuals.body.children[-1]]),  # its add button, at its own width
            self.actuals_problems,
        ]
        self.body.add_class("rk-kpi-editor")

    def _units(self) -> dict[str, str]:
        out = {}
        for r in self.rows():
            try:
                k = kpi_from_row(r, self.L.lang)
            except ValueError:
                continue
            for text in {k["kpi"], k["name"]}:
                out[name_key(text)] = k["unit"]
        return out

    def unit_of(self, values: dict) -> str | None:
        try:
            return kpi_from_row(values, self.L.lang)["unit"]
        except ValueError:
            return None

    def kpi_names(self) -> list[str]:
        """The KPIs typed in the table, to pick from in the actuals."""
        return list(dict.fromkeys(str(r.values["kpi"]).strip() for r in self._rows if not is_blank(r.values.get("kpi"))))

    # -- the catalogue ------------------------------------------------------------------
    def _tracked_codes(self) -> set[str]:
        return {kpi_code(str(r.values["kpi"])) for r in self._rows if not is_blank(r.values.get("kpi"))} - {None}

    def _catalogue_options(self) -> list[str]:
        """The catalogue KPIs not tracked yet, in catalogue order."""
        tracked = self._tracked_codes()
        return [code for code in CATALOGUE if code not in tracked]

    def _fill_catalogue(self) -> None:
        options = [(CATALOGUE[code].name[self.L.lang], code) for code in self._catalogue_options()]
        pick = self.L("workshop.kpis.catalogue_pick" if options else "workshop.kpis.catalogue_done")
        self.catalogue.options = [(pick, "")] + options
        self.catalogue.value = ""
        self._catalogue_ready()

    def _catalogue_ready(self) -> None:
        self.catalogue_add.disabled = not self.catalogue.value

    def add_from_catalogue(self, code: str | None = None) -> int | None:
        """Add a catalogue KPI (the chosen one by default) with its definition,
        formula, unit, frequency and direction, as ``relkit new`` prefills them."""
        code = code or self.catalogue.value
        if not code:
            return None
        k = CATALOGUE[code]
        lang = self.L.lang
        at = self.add_row({"kpi": k.name[lang], "definition": k.definition[lang], "formula": k.formula[lang],
                           "unit": k.unit, "frequency": k.frequency, "direction": k.direction})
        self._fill_catalogue()
        return at

    # -- model ----------------------------------------------------------------------------
    def rows_to_save(self) -> dict[str, list[dict]]:
        return {KPIS_SHEET: self.rows(), ACTUALS_SHEET: self.actuals.rows()}

    def _sheet_of(self, problem: Problem) -> str:
        for key in (ACTUALS_SHEET, KPIS_SHEET):
            titles = {self.store.title(key), *schema_of(key).title.values()}
            if any(problem.where.startswith(f"sheet '{t}'") for t in titles):
                return key
        return KPIS_SHEET

    def _sheet_problems(self, kpis: pd.DataFrame, actuals: pd.DataFrame, file: str) -> list[Problem]:
        """What ``relkit validate`` says of the two sheets beyond their cells
        (relkit.intake.load's plan checks, row by row without a frame per row):
        a KPI the topic cannot read (a custom KPI without unit), an actual for a
        KPI that is not in the table, a period that does not parse."""
        problems, known = [], set()
        kpis_schema, actuals_schema = schema_of(KPIS_SHEET), schema_of(ACTUALS_SHEET)
        lang = self.eng.language

        def where(s, row, column):
            return f"sheet '{s.title[lang]}', row {row}, column '{s.column(column).header[lang]}'"

        for r in kpis.to_dict("records"):
            known.add(fold(str(r["kpi"])))
            if kpi_code(str(r["kpi"])):
                known.add(kpi_code(str(r["kpi"])))
            try:
                kpi_from_row(r, lang)
            except ValueError as exc:
                problems.append(Problem(file, where(kpis_schema, r["row"], "unit"), str(exc)))
        for r in actuals.to_dict("records"):
            if fold(str(r["kpi"])) not in known and kpi_code(str(r["kpi"])) not in known:
                problems.append(Problem(file, where(actuals_schema, r["row"], "kpi"),
                                        f"expected a KPI of sheet '{kpis_schema.title[lang]}', got {r['kpi']!r}"))
            if self.eng.plan_year is None:
                continue
            try:
                parse_period(str(r["period"]), self.eng.plan_year)
            except ValueError as exc:
                problems.append(Problem(file, where(actuals_schema, r["row"], "period"), str(exc)))
        return problems

    def model(self):
        """The two sheets checked as ``relkit validate`` checks them, then the KPI
        table and the dashboard as workbook 05 computes them (rows with a
        problem left out, and listed)."""
        where = {key: f"sheet '{self.store.title(key)}'" for key in (KPIS_SHEET, ACTUALS_SHEET)}
        file = str(self.store.path)
        kpis, problems = self.store.check(KPIS_SHEET, self.rows())
        actuals, actual_problems = self.store.check(ACTUALS_SHEET, self.actuals.rows())
        problems += actual_problems
        problems += self._sheet_problems(kpis, actuals, file)
        bad = {KPIS_SHEET: set(), ACTUALS_SHEET: set()}
        for p in problems:
            m = p.where.split(", row ")
            if len(m) > 1:
                bad[self._sheet_of(p)].add(int(m[1].split(",")[0]))
        kpis, actuals = _without(kpis, bad[KPIS_SHEET]), _without(actuals, bad[ACTUALS_SHEET])
        table, dash = None, None
        while len(kpis):
            try:
                table = kpis_from_sheet(kpis, self.L.lang)
                break
            except KpiRowError as exc:  # a KPI listed twice under two spellings
                problems.append(Problem(file, f"{where[KPIS_SHEET]}, row {exc.row}", str(exc)))
                if exc.row not in set(kpis["row"]):
                    break
                kpis = _without(kpis, {exc.row})
        while table is not None and len(actuals) and self.eng.plan_year is not None:
            try:
                dash = dashboard(table, actuals, self.eng.plan_year)
                break
            except KpiRowError as exc:  # two actuals for one KPI and period
                problems.append(Problem(file, f"{where[ACTUALS_SHEET]}, row {exc.row}", str(exc)))
                if exc.row not in set(actuals["row"]):
                    break
                actuals = _without(actuals, {exc.row})
        self.kpi_table, self.dash = table, dash
        for editor, key in ((self, KPIS_SHEET), (self.actuals, ACTUALS_SHEET)):
            editor.problems = [p for p in problems if self._sheet_of(p) == key]  # to colour its boxes
            editor._mark_invalid()
        self.problems = problems  # both sheets: a save needs none
        return {"kpis": table, "dashboard": dash}

    # -- showing ----------------------------------------------------------------------------
    def refresh(self) -> None:
        super().refresh()
        records = [] if self.kpi_table is None else self.kpi_table.to_dict("records")
        self.units = {name_key(text): r["unit"] for r in records for text in (r["kpi"], r["name"])}
        self.actuals.set_kpi_names(self.kpi_names())
        if self._catalogue_options() != [v for _, v in self.catalogue.options[1:]]:
            self._fill_catalogue()  # a KPI typed, renamed or removed
        for box, key in ((self.problems_html, KPIS_SHEET), (self.actuals_problems, ACTUALS_SHEET)):
            items = "".join(f"<li>{html.escape(p.where.split(', ', 1)[-1] if ', ' in p.where else p.where)} : "
                            f"{html.escape(p.message)}</li>" for p in self.problems if self._sheet_of(p) == key)
            box.value = f'<ul class="rk-problems">{items}</ul>' if items else ""

    def _chip(self, status: str, text: str, title: str = "") -> str:
        tip = f' title="{html.escape(title)}"' if title else ""
        return (f'<span class="rk-kpi-status rk-kpi-status-{status}"{tip} style="color: {STATUS_COLOURS[status]}; '
                f'font-weight: bold; white-space: nowrap">● {html.escape(text)}</span>')

    def row_status(self, r: dict) -> str:
        """'80 % · à surveiller' for one judged actual."""
        L = self.L
        ratio = r["attainment"]
        attained = L.percent(ratio) if ratio is not None and not math.isnan(ratio) else "–"
        if r["status"] == "no_target":
            return L("kpi.chart.no_target", actual=kpi_value_text(r["actual"], r["unit"], L))
        return L("workshop.kpis.status", attainment=attained, status=L(f"kpi.status.{r['status']}"))

    def summary(self, model) -> str:
        L = self.L
        table, dash = model["kpis"], model["dashboard"]
        by_row = {} if dash is None else {int(r["row"]): r for r in dash.to_dict("records")}
        for i, row in enumerate(self.actuals._rows):
            row.note.value = ""
        for excel_row, r in by_row.items():
            row = self.actuals.row_for(excel_row)
            if row is not None:
                row.note.value = self._chip(r["status"], self.row_status(r))
        last = {} if dash is None or dash.empty else {_ident(r["code"], r["kpi"]): r
                                                      for r in latest(dash).to_dict("records")}
        judged = {} if table is None else {int(r["row"]): r for r in table.to_dict("records")}
        for row in self._rows:
            row.note.value = ""
        for excel_row, k in judged.items():
            row = self.row_for(excel_row)
            if row is None:
                continue
            parts = []
            if k["target"] is not None and not (isinstance(k["target"], float) and math.isnan(k["target"])):
                parts.append(html.escape(L("workshop.kpis.target_read", target=kpi_value_text(k["target"], k["unit"], L))))
            if _ident(k["code"], None) is None:
                parts.append(f'<i class="rk-kpi-custom">{html.escape(L("workshop.kpis.custom"))}</i>')
            r = last.get(_ident(k["code"], k["name"]))
            if r is not None:
                period = Period.from_key(r["period"]).label(L)
                parts.append(self._chip(r["status"], self.row_status(r),  # the period in its tooltip: a short note
                                        L("workshop.kpis.latest", period=period, value=self.row_status(r))))
            row.note.value = " · ".join(parts)
        if table is None:
            return f'<p class="rk-kpi-summary">{html.escape(L("workshop.kpis.no_kpis"))}</p>'
        lines = status_text(dash, L) if dash is not None else [L("kpi.status_text.empty")]
        return "".join(f'<p class="rk-kpi-summary">{html.escape(line)}</p>' for line in lines)

    def figure(self, model):
        """The report's dashboard chart, redrawn only when what it shows changed."""
        dash = model["dashboard"]
        if dash is None or dash.empty:
            self._drawn = None
            self.image.layout.display = "none"
            return None
        shown = latest(dash)
        key = repr(shown.drop(columns=["row"]).values.tolist())  # NaN reads 'nan' both times
        if key != self._drawn:
            self.image.value = _png(dashboard_chart(dash, labels=self.L).figure)
            self.image.layout.width = f"{int.from_bytes(self.image.value[16:20], 'big')}px"  # the PNG's own width
            self.image.layout.max_width = "100%"
            self._drawn = key
        self.image.layout.display = None
        return None

    def reload(self) -> None:
        self._drawn = None
        super().reload()
