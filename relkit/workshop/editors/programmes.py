"""The programmes of the plan in the workshop: pick one from the catalogue or
write your own; the target rule typed in plain French or English, with — as
it is typed — what the rule reads (or why it cannot be read) and how many
customers of the client's file it targets, as workbook 05 counts them
(``described_sizes``: ``relkit.topics.plan.targets.target_sizes``); the
report's target chart and sentences redrawn live; the channel's pressure cap.

The customer file is read once per editor (and again on reload); only
aggregates are shown, never a customer's name, e-mail or id.
"""
from __future__ import annotations

import html

import ipywidgets as w
import pandas as pd

from relkit.io.engagement import MAX_PRESSURE
from relkit.io.parsing import fold, is_blank
from relkit.io.problems import Problem
from relkit.topics.plan.catalogue import CATALOGUE, channel_code, channel_name, programme_code
from relkit.topics.plan.programmes import ProgrammeError, programme_from_row
from relkit.topics.plan.rules import parse_rule
from relkit.topics.plan.targets import REACH, customer_base, field_name
from relkit.views.charts.plan import targets_chart, update_targets_chart
from relkit.workbooks.plan_programmes import describe_rule, described_sizes, targets_text
from relkit.workshop.render import figure_png
from relkit.workshop.editors.programme_words import messages_text, rule_error
from relkit.workshop.store import ChangedOnDisk, InvalidEntries
from relkit.workshop.table import TableEditor

# first line of a programme: what it is, who, where, how much, when; second line: why
LINE1 = ("programme", "target", "channel", "messages_per_month", "start_month", "end_month", "status", "priority")
LINE2 = ("objective", "kpi", "kind", "trigger")
CUSTOM_NEEDS = ("target", "channel", "messages_per_month")  # what a programme off the catalogue must say
# an unreadable rule in red, its box outlined; a programme above its cap in orange; an unknown size in grey
CSS = ("<style>.rk-editor-programmes .rk-rule-error{color:#b42318;}"
       ".rk-editor-programmes .rk-invalid input,.rk-editor-programmes .rk-invalid select{border-color:#b42318;"
       "box-shadow:0 0 0 1px #b42318;}.rk-editor-programmes .rk-over-cap{color:#b54708;}"
       ".rk-editor-programmes .rk-target-unknown{color:#57606a;font-style:italic;}</style>")
SIZE_CACHE = 256  # programmes whose target row is kept


def _png(fig) -> bytes:
    """The chart is laid out by matplotlib (constrained layout): the whole figure, drawn once."""
    return figure_png(fig, box="figure")


class ProgrammesEditor(TableEditor):
    key = "programmes"
    title_key = "workshop.programmes.title"
    sheet = "programmes"
    has_figure = True
    widths = {"programme": "13em", "target": "24em", "channel": "8.5em", "messages_per_month": "8.5em",
              "start_month": "6.5em", "end_month": "6.5em", "status": "8.5em", "priority": "6.5em",
              "objective": "24em", "kpi": "22em", "kind": "16em", "trigger": "24em"}  # line 2: with the box's name

    def __init__(self, folder, lang: str | None = None):
        self.sizes = None  # the last described_sizes table (as the report's)
        self.checked: dict[int, dict] = {}  # id(editor row) -> {"programme", "error", "size row"}
        self._drawn = None  # what the chart on screen shows
        self._chart = None  # its Axes
        self._rule_words: dict[str, str] = {}  # catalogue code -> its target rule in words
        self.draws = 0  # charts drawn (a change that leaves the sizes alone draws none)
        super().__init__(folder, lang)
        self.image.layout.align_self = "flex-start"  # its own size, not the tab's width
        self.image.layout.max_width = "100%"

    # -- the customer file, read once ---------------------------------------------------
    def _load_base(self) -> None:
        self.base = self.as_of = None
        self._size_rows: dict = {}  # Programme -> its row of described_sizes (for this file)
        self.base_state = "no_file"
        if self.eng.customer_data is None:
            return
        from relkit.intake.imports import import_sources
        from relkit.workbooks.customers import CustomerFile

        try:
            imports, problems = import_sources(self.folder, self.eng)
            if problems:
                self.base_state = "bad_file"
                return
            cf = CustomerFile(self.eng, imports, self.L)
            self.base = customer_base(cf.customers, cf.rfm, cf.as_of)
            self.as_of = cf.as_of
            self.base_state = "ok"
        except Exception:  # noqa: BLE001 - an unreadable file leaves the sizes unknown, the editor working
            self.base, self.base_state = None, "bad_file"

    # -- building ---------------------------------------------------------------------
    def build(self) -> None:
        L = self.L
        self._load_base()
        self.caps = {("total" if fold(k) == "total" else channel_code(k)): v for k, v in self.eng.pressure.items()}
        super().build()
        self.add_button.description = L("workshop.programmes.add_own")
        self.add_button.add_class("rk-add-own")
        self.pick = w.Dropdown(description=L("workshop.programmes.pick"), layout=w.Layout(width="24em"),
                               style={"description_width": "initial"}).add_class("rk-pick")
        self.pick_button = self._button(L("workshop.programmes.add_pick"), "plus", "rk-add-pick",
                                        lambda _: self.add_from_catalogue())
        self.pick_help = w.HTML().add_class("rk-pick-help")
        self.pick.observe(lambda _: self._describe_pick(), names="value")
        self._update_pick()
        help_text = w.HTML(f'{CSS}<p class="rk-help">{html.escape(L("workshop.programmes.help"))}</p>')
        self.cap_boxes: dict[str, w.BoundedFloatText] = {}
        for channel, cap in self.caps.items():
            box = w.BoundedFloatText(value=float(cap), min=0, max=MAX_PRESSURE, step=1,
                                     description=channel_name(channel, L.lang), style={"description_width": "initial"},
                                     layout=w.Layout(width="12em"))
            box.add_class(f"rk-cap-{channel}")
            box.observe(lambda change, c=channel: self._cap_changed(c, change["new"]), names="value")
            self.cap_boxes[channel] = box
        caps = w.HBox([w.HTML(f"<b>{html.escape(L('workshop.programmes.caps_title'))}</b>"),
                       *self.cap_boxes.values()], layout=w.Layout(align_items="center", flex_flow="row wrap"))
        caps.add_class("rk-caps-box")
        self.body.children = (help_text, w.HBox([self.pick, self.pick_button]), self.pick_help, caps,
                              *self.body.children)

    def _cap_changed(self, channel: str, value) -> None:
        self.caps[channel] = float(value)
        self.changed()

    def cap_updates(self) -> dict[str, object]:
        """engagement.yaml's ``pressure.<channel>`` keys whose cap was changed here; every
        cap when the file states none yet (one key alone would drop the default others)."""
        stated = self.eng.pressure_written
        original = {("total" if fold(k) == "total" else channel_code(k)): (k, float(v))
                    for k, v in self.eng.pressure.items()}
        changed = {c for c, (_, v) in original.items() if self.caps.get(c) != v}
        if not changed:
            return {}
        chosen = original if stated is None else {c: original[c] for c in changed}
        return {f"pressure.{key}": (int(self.caps[c]) if float(self.caps[c]).is_integer() else self.caps[c])
                for c, (key, _) in chosen.items()}

    def save(self) -> bool:
        """The sheet, then the caps changed here into engagement.yaml."""
        updates = self.cap_updates()
        if not super().save():
            return False
        if updates:
            sheet_status = self.status.value
            try:
                self.engagement_store.save(updates)
            except (ChangedOnDisk, InvalidEntries) as exc:
                self._say("workshop.programmes.caps_not_saved", "error", file=self.engagement_store.path.name,
                          why=str(exc).split(":")[0])
                return False
            from relkit.io.engagement_file import read_engagement

            self.eng = read_engagement(self.folder)[0] or self.eng
            self.status.value = sheet_status + " " + html.escape(
                self.L("workshop.programmes.caps_saved", file=self.engagement_store.path.name))
        return True

    def _header(self) -> w.HBox:
        cells = [w.HTML(f"<b>{html.escape(self.store.header(self.sheet, c.key))}</b>", layout=self._layout_of(c))
                 for c in self.shown if c.key in LINE1]
        return w.HBox(cells).add_class("rk-header")

    def _make_row(self, values: dict, loaded: bool):
        row = super()._make_row(values, loaded)
        buttons = list(row.box.children[len(row.widgets):])  # up, down, remove
        target = row.widgets["target"]
        target.continuous_update = True  # the size follows the typing
        target.add_class("rk-rule")
        for key in LINE2:  # second line: named in the box, the placeholder keeps the catalogue's value
            widget = row.widgets[key]
            widget.description = self.store.header(self.sheet, key)
            widget.style = {"description_width": "initial"}
        first = w.HBox([row.widgets[k] for k in LINE1] + buttons, layout=w.Layout(align_items="flex-start"))
        first.add_class("rk-row")
        second = w.HBox([row.widgets[k] for k in LINE2], layout=w.Layout(flex_flow="row wrap"))
        second.add_class("rk-row-more")
        row.note.add_class("rk-programme-note")
        row.box = w.VBox([first, second, row.note],
                         layout=w.Layout(border_bottom="1px solid #e5e7eb", padding="4px 0"))
        row.box.add_class("rk-programme")
        return row

    def _layout_of(self, col) -> w.Layout:
        layout = super()._layout_of(col)
        if col.key in LINE2:  # named in the box: shrinks on a narrow screen
            layout.flex = "0 1 auto"
        return layout

    # -- the catalogue --------------------------------------------------------------------
    def _present(self) -> set[str]:
        codes = set()
        for row in self._rows:
            name = row.values.get("programme")
            if not is_blank(name):
                codes.add(programme_code(str(name)) or "")
        return codes

    def _update_pick(self) -> None:
        present = self._present()
        lang = self.L.lang
        options = [(p.label[lang], code) for code, p in CATALOGUE.items() if code not in present]
        if getattr(self, "_pick_options", None) != options:
            current = self.pick.value
            self._pick_options = options
            self.pick.options = options
            codes = [c for _, c in options]
            self.pick.value = current if current in codes else (codes[0] if codes else None)
        self.pick.disabled = self.pick_button.disabled = not options
        self._describe_pick()

    def _describe_pick(self) -> None:
        L = self.L
        code = self.pick.value
        if code is None:
            self.pick_help.value = f'<p class="rk-help">{html.escape(L("workshop.programmes.all_picked"))}</p>'
            return
        p = CATALOGUE[code]
        text = L("workshop.programmes.pick_help", description=p.description[L.lang],
                 target=self._catalogue_rule(code), channel=channel_name(p.channel, L.lang),
                 messages=self._messages(p.messages_per_month, p.channel))
        self.pick_help.value = f'<p class="rk-help">{html.escape(text)}</p>'

    def add_from_catalogue(self, code: str | None = None) -> int | None:
        """Add the chosen catalogue programme (its name only: every other box takes the catalogue's value)."""
        code = code or self.pick.value
        if code is None:
            return None
        return self.add_row({"programme": CATALOGUE[code].label[self.L.lang]})

    # -- words ------------------------------------------------------------------------
    def _messages(self, x: float, channel: str) -> str:
        return messages_text(self.L, x, channel)

    def why(self, exc: Exception) -> str:
        """Why a target rule cannot be read, in the workshop's language."""
        return rule_error(exc, self.L)

    # -- the model ----------------------------------------------------------------------
    def _where(self, excel_row: int, column: str) -> str:
        return (f"sheet '{self.store.title(self.sheet)}', row {excel_row}, "
                f"column '{self.store.header(self.sheet, column)}'")

    def model(self):
        frame, self.problems = self.store.check(self.sheet, self.rows())
        lang, file = self.L.lang, str(self.store.path)
        self.checked = {}
        programmes, owners = [], []
        seen: dict[str, str] = {}
        for record in frame.to_dict("records"):
            row = self.row_for(record["row"])
            name = record.get("programme")
            if row is None or is_blank(name):
                continue
            entry = {"programme": None, "error": None}
            self.checked[id(row)] = entry
            code = programme_code(str(name))
            needs = [c for c in CUSTOM_NEEDS if is_blank(record.get(c))] if code is None else []
            if needs:
                columns = self.L.join([self.L("plan.quote", name=self.store.header(self.sheet, c)) for c in needs])
                entry["error"] = self.L("workshop.programmes.custom_missing", name=str(name).strip(), columns=columns)
                self.problems.append(Problem(file, self._where(record["row"], needs[0]), entry["error"]))
                continue
            try:
                p = programme_from_row(record, lang)
            except ProgrammeError as exc:
                entry["error"] = self.why(exc) if exc.column == "target" else str(exc)
                self.problems.append(Problem(file, self._where(record["row"], exc.column or "programme"),
                                             entry["error"]))
                continue
            key = p.code or fold(p.name)
            if key in seen:
                entry["error"] = self.L("workshop.programmes.duplicate", name=p.name, other=seen[key])
                self.problems.append(Problem(file, self._where(record["row"], "programme"), entry["error"]))
                continue
            seen[key] = p.name
            entry["programme"] = p
            programmes.append(p)
            owners.append(entry)
        self.sizes = None
        if self.base is not None and programmes:
            self.sizes = self._sizes(programmes)
            for entry, (_, size) in zip(owners, self.sizes.iterrows()):
                entry["size"] = size
        self._mark_invalid()
        return frame

    def _sizes(self, programmes) -> pd.DataFrame:
        """The report's table (``described_sizes``), one programme at a time: a row
        depends on its programme only, so rows already counted are kept (by programme)."""
        if len(self._size_rows) > SIZE_CACHE:
            self._size_rows.clear()
        for p in programmes:
            if p not in self._size_rows:
                self._size_rows[p] = described_sizes([p], self.base, self.as_of, self.L)
        return pd.concat([self._size_rows[p] for p in programmes], ignore_index=True).infer_objects()

    # -- what the room sees -------------------------------------------------------------
    def note_of(self, row) -> str:
        """Under a programme: the rule as read, its size in the file, the channel and its cap."""
        L = self.L
        entry = self.checked.get(id(row))
        if entry is None:
            return ""
        if entry["error"]:
            return f'<span class="rk-rule-error">{html.escape(entry["error"])}</span>'
        p = entry["programme"]
        typed = not is_blank(row.values.get("target"))
        rule = L("workshop.programmes.target" if typed else "workshop.programmes.target_default",
                 rule=describe_rule(p.rule, L))
        parts = [f'<span class="rk-rule-parse">{html.escape(rule)}</span>']
        channel = channel_name(p.channel, L.lang)
        size = entry.get("size")
        if size is None:
            parts.append(f'<span class="rk-target-unknown">{html.escape(L("workshop.programmes." + self.base_state))}'
                         "</span>")
        elif pd.isna(size["size"]):
            fields = L.join([field_name(f, L.lang) for f in size["missing"]])
            parts.append(f'<span class="rk-target-unknown">{html.escape(L("workshop.programmes.missing", fields=fields))}'
                         "</span>")
        else:
            n = int(size["size"])
            customers = L(f"plan.customers_{'one' if n == 1 else 'many'}", n=L.number(n))
            customers = f'<b class="rk-target-size">{html.escape(customers)}</b>'
            share = L.percent(size["share"]) if size["share"] == size["share"] else "—"
            if p.channel in REACH:
                text = L("workshop.programmes.size", customers="\0", share=share,
                         reachable=L.number(int(size["reachable"])), channel=channel)
            else:
                text = L("workshop.programmes.size_anywhere", customers="\0", share=share, channel=channel)
            parts.append(html.escape(text).replace("\0", customers))
        cap = self.caps.get(p.channel)
        if cap is None:
            parts.append(html.escape(L("workshop.programmes.no_cap", channel=channel)))
        elif p.messages_per_month > cap:
            parts.append(f'<span class="rk-over-cap">{html.escape(L("workshop.programmes.over_cap", channel=channel, messages=self._messages(p.messages_per_month, p.channel), cap=self._messages(cap, p.channel)))}'
                         "</span>")
        else:
            parts.append(html.escape(L("workshop.programmes.cap", channel=channel,
                                       cap=self._messages(cap, p.channel))))
        return " · ".join(parts)

    def _catalogue_rule(self, code: str) -> str:
        """A catalogue programme's target rule in words (read once)."""
        if code not in self._rule_words:
            self._rule_words[code] = describe_rule(parse_rule(CATALOGUE[code].target), self.L)
        return self._rule_words[code]

    def _placeholders(self, row) -> None:
        """The catalogue's values in grey in the empty boxes of a catalogue programme."""
        std = CATALOGUE.get(programme_code(str(row.values.get("programme") or "")) or "")
        lang = self.L.lang
        defaults = {"target": self._catalogue_rule(std.code), "objective": std.objective[lang], "kpi": std.kpi[lang],
                    "trigger": std.trigger[lang],
                    "messages_per_month": self.L.number(std.messages_per_month)
                    if float(std.messages_per_month).is_integer() else self.L.number(std.messages_per_month, 1),
                    } if std is not None else {}
        for key in ("target", "objective", "kpi", "trigger", "messages_per_month"):
            widget = row.widgets[key]
            if hasattr(widget, "placeholder"):
                widget.placeholder = defaults.get(key, "")

    def summary(self, model) -> str:
        L = self.L
        for row in self._rows:
            row.note.value = self.note_of(row)
            self._placeholders(row)
        self._update_pick()
        n = sum(1 for e in self.checked.values() if e["programme"] is not None)
        if self.base is not None:
            head = L("workshop.programmes.summary", n=n, date=L.date(self.as_of),
                     customers=L.number(len(self.base)))
        else:
            head = L("workshop.programmes.summary_nofile", n=n)
        lines = [f'<p class="rk-programmes-count">{html.escape(head)}</p>']
        if self.sizes is not None:
            lines += [f'<p class="rk-targets-text">{html.escape(t)}</p>'
                      for t in targets_text(self.sizes, L, self.eng.client.model)]
        return "".join(lines)

    def figure(self, model):
        """The report's target chart, redrawn only when what it shows changed; while an
        entry is invalid (a rule being typed) it stays as it was."""
        if self.problems and self.image.value:
            return None
        if self.sizes is None:
            self.image.value, self._drawn = b"", None
            self.image.layout.display = "none"
            return None
        shown = tuple(tuple(r) for r in self.sizes[["programme", "size", "reachable", "missing"]]
                      .astype(object).itertuples(index=False, name=None))
        if shown != self._drawn or not self.image.value:
            if self._chart is None or not update_targets_chart(self._chart, self.sizes, labels=self.L):
                self._chart = targets_chart(self.sizes, labels=self.L)  # else moved to the new names and sizes
            self.image.value = _png(self._chart.figure)
            self._drawn = shown
            self.draws += 1
        self.image.layout.display = None
        return None
