"""The average customer value (VMC, seed 001), live: the seed's inputs as
boxes with sliders, opened on the client's own values (engagement.yaml's
``value:`` block, the rest measured from the sales: the numbers of workbook
02's VMC table), the seed's dentist example behind a button, gross /
acquisition / net VMC computed exactly by ``relkit.customers.value.vmc``,
saved into engagement.yaml's ``value:`` block.
"""
from __future__ import annotations

import html
from dataclasses import dataclass

import ipywidgets as w
import matplotlib.pyplot as plt

from relkit.views.charts.style import PALETTE
from relkit.customers import value as vm
from relkit.io.parsing import is_blank, parse_amount, parse_number, parse_percent
from relkit.io.problems import Problem
from relkit.workshop.base import Editor


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # number, amount, percent
    slider: tuple[float, float, float]  # min, max, step (percent fields: in points)
    required: bool = True


FIELDS = (
    Field("purchases_per_year", "number", (0.1, 12.0, 0.1)),
    Field("average_transaction", "amount", (0.0, 2000.0, 5.0)),
    Field("retention", "percent", (0.0, 100.0, 1.0)),
    Field("period_years", "number", (1.0, 10.0, 1.0)),
    Field("cost_to_reach", "amount", (0.0, 50.0, 0.1)),
    Field("conversion_rate", "percent", (0.1, 100.0, 0.1)),
    Field("margin", "percent", (0.0, 100.0, 1.0), required=False),
)
FIELD = {f.name: f for f in FIELDS}

# Seed 001's worked example: a dentist, 3 years -> gross 1 400 €, acquisition 100 €, net 1 300 €.
DENTIST = {"purchases_per_year": 2.0, "average_transaction": 400.0, "retention": 0.75, "period_years": 3.0,
           "cost_to_reach": 3.0, "conversion_rate": 0.03, "margin": None}


def number_text(value: float, lang: str = "fr", decimals: int = 4) -> str:
    """2 -> '2', 1.5 -> '1,5' (fr) / '1.5' (en), 1000 -> '1 000' (fr) / '1000' (en): what the parsers read back."""
    text = f"{round(float(value), decimals):.{decimals}f}".rstrip("0").rstrip(".")
    whole, _, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    if lang == "fr" and len(whole) > 3:
        groups = []
        while whole:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        whole = " ".join(groups)
    return sign + whole + ((("," if lang == "fr" else ".") + fraction) if fraction else "")


def value_text(name: str, value: float | None, lang: str = "fr") -> str:
    """A VMC input as typed in engagement.yaml: '2', '400 €', '75 %', '0,8 €'."""
    if value is None:
        return ""
    kind = FIELD[name].kind
    if kind == "amount":
        cents = not float(round(value, 2)).is_integer()
        text = number_text(value, lang, 2)
        if cents and len(text.partition("," if lang == "fr" else ".")[2]) == 1:
            text += "0"  # 0,8 -> 0,80 €
        return f"{text} €"
    if kind == "percent":
        return f"{number_text(value * 100, lang, 2)} %"
    return number_text(value, lang, 3)


class ValueCalculator(Editor):
    """VMC calculator (key ``value``), saved into engagement.yaml's ``value:`` block."""

    key = "value"
    title_key = "workshop.value.title"
    sheet = None

    def build(self) -> None:
        L = self.L
        self.result: vm.VMCResult | None = None
        self.inputs: vm.VMCInputs | None = None
        self.values: dict[str, float | None] = {}
        self._syncing = False
        self._measured: tuple[dict[str, float], dict[str, str]] | None = None  # read once, on demand
        self._loaded_text: dict[str, tuple[str, str]] = {}  # name -> (text, origin) as last loaded
        self._loaded_value: dict[str, float | None] = {}  # name -> the exact value behind that text
        self.boxes: dict[str, w.Text] = {}
        self.sliders: dict[str, w.FloatSlider] = {}
        self.origins: dict[str, w.HTML] = {}
        lines = []
        for f in FIELDS:
            box = w.Text(value="", continuous_update=False, description=L(f"workshop.value.field.{f.name}"),
                         style={"description_width": "230px"}, layout=w.Layout(width="360px"))
            box.add_class(f"rk-vmc-{f.name}")
            low, high, step = f.slider
            slider = w.FloatSlider(value=low, min=low, max=high, step=step, continuous_update=False,
                                   readout=False, layout=w.Layout(width="240px"))
            slider.add_class(f"rk-vmc-{f.name}-slider")
            origin = w.HTML().add_class(f"rk-vmc-{f.name}-origin")
            box.observe(self._box_changed, names="value")
            slider.observe(self._slider_changed, names="value")
            self.boxes[f.name], self.sliders[f.name], self.origins[f.name] = box, slider, origin
            lines.append(w.HBox([box, slider, origin]).add_class("rk-row"))
        self.client_button = w.Button(description=L("workshop.value.use_client"), icon="user",
                                      layout=w.Layout(width="auto"))
        self.client_button.add_class("rk-vmc-client")
        self.example_button = w.Button(description=L("workshop.value.use_example"), icon="book",
                                       layout=w.Layout(width="auto"))  # its whole name, not "Exemple du dent…"
        self.example_button.add_class("rk-vmc-example")
        self.client_button.on_click(lambda _: self.use_client_values())
        self.example_button.on_click(lambda _: self.use_example())
        self.note = w.HTML().add_class("rk-vmc-note")
        self.image.layout.max_width = "620px"  # a small chart at its own size, not stretched blurry across the page
        self.body.children = (*lines, w.HBox([self.client_button, self.example_button, self.note]))
        # the client's values first (what the report's VMC table shows); the textbook example is a button away
        values, origins, complete = self.client_values()
        self._fill(values, origins, refresh=False)
        self.note.value = html.escape(self.L("workshop.value.client_loaded" if complete
                                             else "workshop.value.client_engagement_only"))

    # -- filling the boxes ---------------------------------------------------------------
    def _fill(self, values: dict[str, float | None], origins: dict[str, str], refresh: bool = True) -> None:
        """Put values in the boxes with one refresh at the end."""
        self._syncing = True
        try:
            for f in FIELDS:
                origin = origins.get(f.name, "example")
                text = self._text(f.name, values.get(f.name), origin)
                self.boxes[f.name].value = text
                self._loaded_text[f.name] = (text, origin)
                self._loaded_value[f.name] = values.get(f.name)
                self._set_slider(f.name, values.get(f.name))
        finally:
            self._syncing = False
        if refresh:
            self.refresh()

    def _text(self, name: str, value: float | None, origin: str) -> str:
        """A box's text: a measured input as workbook 02's VMC table prints it ("1,96", "45 %", "41,04 €"),
        the others as engagement.yaml types them. Untouched, the box counts for its exact value."""
        if origin != "measured" or value is None:
            return value_text(name, value, self.L.lang)
        L = self.L
        if name == "retention":
            text = L.percent(value)
        elif name == "average_transaction":
            text = L.money(round(value, 2))
        else:
            text = L.number(value, 2)
        return text.replace("\u202f", " ").replace("\xa0", " ")  # plain spaces in a box, as typed

    def use_example(self) -> None:
        """Back to seed 001's dentist."""
        self._fill(DENTIST, {k: "example" for k in DENTIST})
        self.note.value = html.escape(self.L("workshop.value.example_loaded"))

    def measured_values(self) -> tuple[dict[str, float], dict[str, str]]:
        """Purchases a year, retention and average transaction measured from the client's sales
        (the exports are read once, on the first request); empty when there is no readable file."""
        if self._measured is None:
            self._measured = ({}, {})
            if self.eng.customer_data is not None:
                from relkit.intake.imports import import_sources
                from relkit.workbooks.customers import CustomerFile

                imports, problems = import_sources(self.folder, self.eng)
                if not problems:
                    try:
                        cf = CustomerFile(self.eng, imports, self.L)
                        row = cf.measured_vmc.iloc[0]
                        names = ("purchases_per_year", "retention", "average_transaction")
                        self._measured = ({n: float(row[n]) for n in names if row[n] == row[n]},
                                          {n: "measured" for n in names})
                    except (ValueError, KeyError, IndexError, TypeError):
                        self._measured = ({}, {})
        return self._measured

    def client_values(self) -> tuple[dict[str, float | None], dict[str, str], bool]:
        """engagement.yaml's ``value:`` block where given, measured from the sales otherwise
        (CustomerFile.vmc_inputs' rule); inputs neither given nor measurable keep the example's.
        The flag says whether every input came from the client."""
        v = self.eng.value
        values = {f.name: getattr(v, f.name) for f in FIELDS}
        origins = {name: "engagement" if values[name] is not None else "unset" for name in values}
        missing = [n for n in ("purchases_per_year", "retention", "average_transaction") if values[n] is None]
        if missing:
            measured, origin = self.measured_values()
            for name in missing:
                if name in measured:
                    values[name], origins[name] = measured[name], origin[name]
        complete = True
        for name in ("purchases_per_year", "retention", "average_transaction", "cost_to_reach", "conversion_rate"):
            if values[name] is None:  # not given, not measurable: the example's, so the VMC still shows
                values[name], origins[name], complete = DENTIST[name], "example", False
        return values, origins, complete

    def use_client_values(self) -> None:
        values, origins, complete = self.client_values()
        self._fill(values, origins)
        key = "workshop.value.client_loaded" if complete else "workshop.value.client_engagement_only"
        self.note.value = html.escape(self.L(key))

    # -- boxes and sliders ----------------------------------------------------------------
    def _set_slider(self, name: str, value: float | None) -> None:
        if value is None:
            return
        f, slider = FIELD[name], self.sliders[name]
        shown = value * 100 if f.kind == "percent" else value
        was, self._syncing = self._syncing, True
        try:
            slider.value = min(max(shown, slider.min), slider.max)
        finally:
            self._syncing = was

    def _slider_changed(self, change) -> None:
        if self._syncing:
            return
        name = next(n for n, s in self.sliders.items() if s is change["owner"])
        value = change["new"] / 100 if FIELD[name].kind == "percent" else change["new"]
        text = value_text(name, value, self.L.lang)
        if self.boxes[name].value != text:
            self.boxes[name].value = text  # its observer refreshes

    def _box_changed(self, change) -> None:
        if self._syncing:
            return
        name = next(n for n, b in self.boxes.items() if b is change["owner"])
        try:
            self._set_slider(name, self._parse(FIELD[name], change["new"]))
        except ValueError:
            pass
        self.changed()

    # -- the model ----------------------------------------------------------------------
    def _parse(self, f: Field, text: str) -> float | None:
        if is_blank(text):
            if f.required:
                raise ValueError(self.L("workshop.value.error.required"))
            return None
        try:
            if f.kind == "amount":
                value = parse_amount(text)
            elif f.kind == "percent":
                value = parse_percent(text)
            else:
                value = parse_number(text)
        except ValueError:
            raise ValueError(self.L(f"workshop.value.error.{f.kind}", value=text.strip())) from None
        if f.name == "conversion_rate" and not 0 < value <= 1:
            raise ValueError(self.L("workshop.value.error.conversion", value=text.strip()))
        if f.kind == "percent" and not 0 <= value <= 1:
            raise ValueError(self.L("workshop.value.error.fraction", value=text.strip()))
        if f.name in ("purchases_per_year", "period_years") and not value > 0:
            raise ValueError(self.L("workshop.value.error.positive", value=text.strip()))
        if value < 0:
            raise ValueError(self.L("workshop.value.error.not_negative", value=text.strip()))
        return value

    def model(self):
        self.problems, values = [], {}
        for f in FIELDS:
            box = self.boxes[f.name]
            try:
                values[f.name] = self._parse(f, box.value)
                loaded = self._loaded_value.get(f.name)
                if box.value == self._loaded_text.get(f.name, ("", ""))[0] and loaded is not None:
                    values[f.name] = loaded  # untouched: the exact value (a measured 44,81 % shown as 45 %)
                box.remove_class("rk-invalid")
            except ValueError as err:
                box.add_class("rk-invalid")
                self.problems.append(Problem(self.engagement_store.path.name, self.L(f"workshop.value.field.{f.name}"),
                                             str(err)))
            text, origin = self._loaded_text.get(f.name, ("", "example"))
            shown = origin if box.value == text else "edited"
            self.origins[f.name].value = f'<span class="rk-origin">{html.escape(self.L(f"workshop.value.origin.{shown}"))}</span>'
        self.values = values
        if self.problems:
            self.inputs = self.result = None
            return None
        self.inputs = vm.VMCInputs(**values)
        self.result = vm.vmc(self.inputs)
        return self.result

    def summary(self, model) -> str:
        L = self.L
        if self.result is None:
            return f'<p class="rk-vmc-invalid">{html.escape(L("workshop.value.invalid"))}</p>'
        r, i = self.result, self.inputs

        def money(x):
            return L.money(round(x, 2))

        def pct(x):
            return L.percent(x, 0 if float(round(x * 100, 6)).is_integer() else 1)

        def num(x):
            x = round(float(x), 3)
            return L.number(x, 0 if x.is_integer() else 2)

        gross_formula = L("workshop.value.formula.gross", purchases=num(i.purchases_per_year),
                          average=money(i.average_transaction), retention=pct(i.retention), period=num(i.period_years),
                          gross=money(r.gross))
        acquisition_formula = L("workshop.value.formula.acquisition", cost=money(i.cost_to_reach),
                                conversion=pct(i.conversion_rate), acquisition=money(r.acquisition_cost))
        rows = [("gross", r.gross, gross_formula), ("acquisition", r.acquisition_cost, acquisition_formula),
                ("net", r.net, "")]
        body = "".join(
            f"<tr><td>{html.escape(L(f'workshop.value.{k}'))}</td>"
            f'<td><b><span class="rk-vmc-{k}">{html.escape(money(v))}</span></b></td>'
            f'<td class="rk-formula">{html.escape(f)}</td></tr>' for k, v, f in rows)
        out = f'<table class="rk-vmc-result">{body}</table>'
        if r.profit_per_transaction is not None:
            out += f'<p class="rk-vmc-profit">{html.escape(L("workshop.value.profit", profit=money(r.profit_per_transaction)))}</p>'
        return out

    def figure(self, model):
        if self.result is None:
            self.image.value = b""  # no stale figure next to an invalid entry
            return None
        L, r = self.L, self.result
        fig, ax = plt.subplots(figsize=(5.2, 2.2))
        names = [L("workshop.value.gross"), L("workshop.value.acquisition"), L("workshop.value.net")]
        amounts = [r.gross, r.acquisition_cost, r.net]
        colours = [PALETTE["accent"], PALETTE["threat"], PALETTE["strength"] if r.net >= 0 else PALETTE["weakness"]]
        ax.barh(range(3), amounts, color=colours, height=0.6)
        peak = max([abs(a) for a in amounts] + [1.0])
        for y, amount in enumerate(amounts):
            ax.text(max(amount, 0) + peak * 0.02, y, L.money(round(amount, 2)), va="center", fontsize=8,
                    color=PALETTE["ink"])
        ax.set_yticks(range(3), names)
        ax.invert_yaxis()
        low = min(amounts + [0.0])
        ax.set_xlim(low * 1.1 if low < 0 else 0, peak * 1.3)
        ax.axvline(0, color=PALETTE["muted"], linewidth=0.8)
        ax.xaxis.set_visible(False)
        ax.tick_params(labelsize=8)
        ax.spines[["top", "right", "bottom"]].set_visible(False)
        period = self.inputs.period_years
        ax.set_title(L("workshop.value.chart.title", period=L.number(period, 0 if float(period).is_integer() else 1)),
                     fontsize=10, fontweight="bold", loc="left", color=PALETTE["ink"])
        fig.tight_layout()
        return fig

    # -- saving ---------------------------------------------------------------------------
    def _written(self) -> dict:
        """engagement.yaml's ``value:`` block as written (raw YAML scalars)."""
        import yaml

        try:
            doc = yaml.safe_load(self.engagement_store.path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            return {}
        block = doc.get("value") if isinstance(doc, dict) else None
        return block if isinstance(block, dict) else {}

    def save_engagement(self) -> dict[str, object]:
        """value.* keys as engagement.yaml types them ("400 €", "75 %", "3 %"). A value equal to
        what the file says is returned as written there (the file stays the same); a value still
        as measured from the sales (not edited) is left out (None), so it stays measured; a margin
        emptied by hand removes the key (the example's empty margin keeps the client's)."""
        written, updates = self._written(), {}
        for f in FIELDS:
            value = self.values.get(f.name)
            text, origin = self._loaded_text.get(f.name, ("", "example"))
            untouched = self.boxes[f.name].value == text
            current = getattr(self.eng.value, f.name)
            if untouched and origin in ("measured", "unset"):
                updates[f"value.{f.name}"] = None
            elif untouched and value is None and f.name in written:  # the example has no margin: keep the client's
                updates[f"value.{f.name}"] = written[f.name]
            elif (value is not None and current is not None and abs(value - current) < 1e-12
                  and f.name in written):
                updates[f"value.{f.name}"] = written[f.name]
            else:
                updates[f"value.{f.name}"] = value_text(f.name, value, "fr") or None
        return updates

    def save(self) -> bool:
        ok = super().save()
        if ok:  # what is saved is what engagement.yaml now says
            for f in FIELDS:
                text, origin = self._loaded_text.get(f.name, ("", "example"))
                if self.boxes[f.name].value != text or origin == "example":
                    self._loaded_text[f.name] = (self.boxes[f.name].value, "engagement")
                    self._loaded_value[f.name] = self.values.get(f.name)
            from relkit.io.engagement_file import read_engagement

            eng, _ = read_engagement(self.folder)
            self.eng = eng or self.eng
            self.refresh()
        return ok
