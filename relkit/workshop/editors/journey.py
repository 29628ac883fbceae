"""Customer-journey editor: the touchpoints of the current or the target
journey, one at a time, with the channels × stages map and the emotion curve
redrawn live (``relkit.topics.journey`` tables, workbook 03's charts).

Every row is kept as typed in the file; a widget change edits only its own
cell, so the rows of the other version and every untouched row are written
back with their raw values.
"""
from __future__ import annotations

import html

import ipywidgets as w
import pandas as pd

from relkit.topics import journey as jm
from relkit.workbooks.journey import JourneyWorkbook
from relkit.io.parsing import fold, is_blank, parse_bool
from relkit.io.problems import Problem
from relkit.intake.load import EngagementData
from relkit.io.atelier import FIRST_DATA_ROW, axis, axis_lookup, choice_label, lists
from relkit.workshop.base import Editor
from relkit.workshop.render import figure_png

SHEET = "journey"
TEXT_FIELDS = ("touchpoint", "description", "owner", "programme")
OPEN_LISTS = {"stage": "journey_stage", "channel": "channel"}  # column -> default list (engagement may replace it)
DEFAULTS = {"qualification": "satisfaction", "importance": 3, "emotion": 0}  # a new touchpoint, until edited


def live_png(fig, pad: float = 0.1) -> bytes:
    """A journey chart as PNG with a fixed margin instead of a 'tight' box
    (the map's axes fill its figure, and the emotion chart's constrained
    layout keeps everything inside it), drawn once."""
    return figure_png(fig, box="padded", pad=pad)


def _int(value, default: int) -> int:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return int(number) if number.is_integer() else default


class JourneyEditor(Editor):
    key = "journey"
    title_key = "workshop.journey.title"
    sheet = SHEET

    def __init__(self, folder, lang: str | None = None):
        super().__init__(folder, lang)
        # the map (self.image) then the emotion curve, both under the summary (see figure())
        self.widget.children = (*self.widget.children, self.curve_image)

    # -- widgets ------------------------------------------------------------------
    def build(self) -> None:
        L, journey = self.L, self.eng.journey
        self._loading = True
        self._rows: list[dict] = self.store.rows(SHEET)  # raw cells; "row" is dropped on save
        self.stages = axis("journey_stage", journey.stages, L.lang)
        self.channels = axis("channel", journey.channels, L.lang)
        self._lookup = {"stage": axis_lookup("journey_stage", journey.stages),
                        "channel": axis_lookup("channel", journey.channels)}
        self._axes = {"stage": self.stages, "channel": self.channels}
        self._matrix_key = self._curve_key = None  # what the figures on screen were drawn from
        self.cells: pd.DataFrame | None = None  # matrix of the shown version (figure data)
        self.curve: pd.DataFrame | None = None  # emotion curve, both versions (figure data)
        if not hasattr(self, "curve_image"):
            self.curve_image = w.Image(format="png").add_class("rk-figure-curve")

        self.version = w.ToggleButtons(options=[(choice_label("journey_version", v, L.lang), v) for v in jm.VERSIONS],
                                       value="current", description=L("workshop.journey.version"))
        self.version.add_class("rk-version")
        self.version.observe(self._version_changed, names="value")
        self.touchpoints = w.Select(options=[], rows=14, layout=w.Layout(width="100%"))
        self.touchpoints.add_class("rk-touchpoint")
        self.touchpoints.observe(self._selected, names="value")

        style = {"description_width": "130px"}
        wide = w.Layout(width="100%")
        self.fields: dict[str, w.Widget] = {
            "stage": w.Dropdown(options=self._options("stage"), description=L("workshop.journey.field.stage"),
                                style=style),
            "channel": w.Dropdown(options=self._options("channel"), description=L("workshop.journey.field.channel"),
                                  style=style),
            "touchpoint": w.Text(description=L("workshop.journey.field.touchpoint"), continuous_update=False,
                                 style=style, layout=wide),
            "description": w.Text(description=L("workshop.journey.field.description"), continuous_update=False,
                                  style=style, layout=wide),
            "qualification": w.Dropdown(options=self._choices("qualification"),
                                        description=L("workshop.journey.field.qualification"), style=style),
            "importance": w.IntSlider(min=1, max=5, value=3, continuous_update=False,
                                      description=L("workshop.journey.field.importance"), style=style),
            "emotion": w.IntSlider(min=-2, max=2, value=0, continuous_update=False,
                                   description=L("workshop.journey.field.emotion"), style=style),
            "collection_point": w.Checkbox(description=L("workshop.journey.field.collection_point"), indent=False),
            "owner": w.Text(description=L("workshop.journey.field.owner"), continuous_update=False, style=style),
            "programme": w.Text(description=L("workshop.journey.field.programme"), continuous_update=False,
                                style=style),
        }
        for column, widget in self.fields.items():
            widget.add_class(f"rk-field-{column}")
            widget.observe(lambda change, column=column: self._field_changed(column, change["new"]), names="value")

        self.add_stage = w.Dropdown(options=[(lab, k) for k, lab in self.stages],
                                    description=L("workshop.journey.field.stage"),
                                    style={"description_width": "60px"}, layout=w.Layout(width="auto"))
        self.add_stage.add_class("rk-add-stage")
        self.add_channel = w.Dropdown(options=[(lab, k) for k, lab in self.channels],
                                      description=L("workshop.journey.field.channel"),
                                      style={"description_width": "60px"}, layout=w.Layout(width="auto"))
        self.add_channel.add_class("rk-add-channel")
        self.add_button = w.Button(description=L("workshop.journey.add"), icon="plus")
        self.add_button.add_class("rk-add")
        self.add_button.on_click(lambda _: self.add_touchpoint(self.add_stage.value, self.add_channel.value))
        self.remove_button = w.Button(description=L("workshop.remove"), icon="trash", button_style="warning")
        self.remove_button.add_class("rk-remove")
        self.remove_button.on_click(lambda _: self.remove_touchpoint())

        left = w.VBox([self.version, w.HTML(f"<b>{html.escape(L('workshop.journey.touchpoints'))}</b>"),
                       self.touchpoints, self.remove_button,
                       w.HTML(f"<b>{html.escape(L('workshop.journey.add_title'))}</b>"),
                       w.HBox([self.add_stage, self.add_channel]), self.add_button],
                      layout=w.Layout(width="42%"))
        right = w.VBox([w.HTML(f"<b>{html.escape(L('workshop.journey.selected'))}</b>"), *self.fields.values()],
                       layout=w.Layout(width="58%"))
        self.body.children = (w.HBox([left, right]),)
        self._list(select=None)
        self._loading = False

    # -- helpers --------------------------------------------------------------------------
    def _options(self, column: str, raw=None) -> list[tuple[str, str]]:
        """Dropdown options of an open-list column, plus a cell typed off the list (shown, flagged)."""
        options = [(lab, k) for k, lab in self._axes[column]]
        if not is_blank(raw) and self._key(column, raw) is None:
            options.append((self.L("workshop.journey.off_list", value=str(raw)), raw))
        return options

    def _choices(self, list_name: str, raw=None) -> list[tuple[str, str]]:
        options = [(item[self.L.lang], item["code"]) for item in lists()[list_name]]
        if not is_blank(raw) and self._code(list_name, raw) is None:
            options.append((self.L("workshop.journey.off_list", value=str(raw)), raw))
        return options

    def _key(self, column: str, raw) -> str | None:
        return None if is_blank(raw) else self._lookup[column].get(fold(str(raw)))

    @staticmethod
    def _code(list_name: str, raw) -> str | None:
        return None if is_blank(raw) else axis_lookup(list_name, None).get(fold(str(raw)))

    def _label(self, column: str, raw) -> str:
        key = self._key(column, raw)
        return dict(self._axes[column]).get(key, "" if is_blank(raw) else str(raw))

    def visible(self, version: str | None = None) -> list[int]:
        """Indices (into the editor's rows) of a version's touchpoints, in map order
        (stage, then channel, then file order); the selected version by default."""
        version = version or self.version.value
        position = {c: {k: i for i, (k, _) in enumerate(a)} for c, a in self._axes.items()}

        def order(i):
            r = self._rows[i]
            return tuple(position[c].get(self._key(c, r.get(c)), len(position[c])) for c in ("stage", "channel")) + (i,)

        mine = [i for i, r in enumerate(self._rows) if self._code("journey_version", r.get("version")) == version]
        return sorted(mine, key=order)

    def _item(self, i: int) -> str:
        r = self._rows[i]
        name = "" if is_blank(r.get("touchpoint")) else str(r["touchpoint"])
        where = f"{self._label('stage', r.get('stage'))} · {self._label('channel', r.get('channel'))}"
        return f"{where} — {name or '…'}"

    def _list(self, select: int | None) -> None:
        """Refill the touchpoint list of the shown version and select one (default: the first)."""
        was, self._loading = self._loading, True
        indices = self.visible()
        self.touchpoints.options = [(self._item(i), i) for i in indices]
        if select not in indices:
            select = indices[0] if indices else None
        self.touchpoints.value = select
        self._fill()
        self._loading = was

    def _fill(self) -> None:
        """Show the selected touchpoint's cells in the field widgets (no refresh)."""
        was, self._loading = self._loading, True
        i = self.touchpoints.value
        for widget in (*self.fields.values(), self.remove_button):
            widget.disabled = i is None
        if i is not None:
            r = self._rows[i]
            for column in OPEN_LISTS:
                self.fields[column].options = self._options(column, r.get(column))
                self.fields[column].value = self._key(column, r.get(column)) or (None if is_blank(r.get(column))
                                                                                 else r.get(column))
            self.fields["qualification"].options = self._choices("qualification", r.get("qualification"))
            self.fields["qualification"].value = self._code("qualification", r.get("qualification")) or (
                None if is_blank(r.get("qualification")) else r.get("qualification"))
            for column in TEXT_FIELDS:
                self.fields[column].value = "" if is_blank(r.get(column)) else str(r.get(column))
            self.fields["importance"].value = min(max(_int(r.get("importance"), 3), 1), 5)
            self.fields["emotion"].value = min(max(_int(r.get("emotion"), 0), -2), 2)
            try:
                self.fields["collection_point"].value = parse_bool(r.get("collection_point")) if not is_blank(
                    r.get("collection_point")) else False
            except ValueError:
                self.fields["collection_point"].value = False
        self._loading = was

    # -- events ----------------------------------------------------------------------------
    def _version_changed(self, _change) -> None:
        if self._loading:
            return
        self._list(select=None)
        self.changed()  # the map shows the selected version

    def _selected(self, _change) -> None:
        if not self._loading:
            self._fill()

    def _field_changed(self, column: str, value) -> None:
        if self._loading or self.touchpoints.value is None:
            return
        row = self._rows[self.touchpoints.value]
        if column in TEXT_FIELDS:
            value = value if value.strip() else None
        row[column] = value  # keys/codes and numbers: the store writes labels for codes
        if column in ("stage", "channel", "touchpoint"):
            self._list(select=self.touchpoints.value)
        self.changed()

    # -- actions (also what the buttons do) ----------------------------------------------------
    def select(self, index: int) -> None:
        """Select a touchpoint by its index in ``rows()`` (switches the version if needed)."""
        version = self._code("journey_version", self._rows[index].get("version"))
        if version in jm.VERSIONS and version != self.version.value:
            self.version.value = version
        self.touchpoints.value = index

    def index_of(self, touchpoint: str, version: str | None = None) -> int:
        """Index of the first touchpoint of that name (in a version, default the shown one)."""
        return next(i for i in self.visible(version) if fold(str(self._rows[i].get("touchpoint"))) == fold(touchpoint))

    def add_touchpoint(self, stage: str, channel: str) -> int:
        """A new touchpoint of the shown version at stage × channel (axis keys), selected for editing."""
        self._rows.append({
            "stage": stage, "channel": channel, "touchpoint": self.L("workshop.journey.new_touchpoint"),
            "description": None, "version": self.version.value, **DEFAULTS,
            "owner": None, "programme": None, "collection_point": None,
        })
        index = len(self._rows) - 1
        self._list(select=index)
        self.changed()
        return index

    def remove_touchpoint(self, index: int | None = None) -> None:
        """Drop a touchpoint (the selected one by default); the next one is selected."""
        index = self.touchpoints.value if index is None else index
        if index is None:
            return
        shown = self.visible()
        after = shown[shown.index(index) + 1] if index in shown and shown.index(index) + 1 < len(shown) else None
        if after is None and index in shown and shown.index(index) > 0:
            after = shown[shown.index(index) - 1]
        del self._rows[index]
        self._list(select=None if after is None else after - (after > index))
        self.changed()

    # -- model and figures -------------------------------------------------------------------
    def rows(self) -> list[dict]:
        """The sheet's rows in file order, numbered by where they will be saved."""
        return [{**r, "row": FIRST_DATA_ROW + i} for i, r in enumerate(self._rows)]

    def model(self) -> pd.DataFrame:
        frame, problems = self.store.check(SHEET, self.rows())
        where = f"sheet '{self.store.title(SHEET)}'"
        shown = {c: ", ".join(f"'{lab}'" for _, lab in self._axes[c]) for c in OPEN_LISTS}
        keep = pd.Series(True, index=frame.index)
        for column in OPEN_LISTS:  # the engagement's own lists, like `relkit validate`
            keys = []
            for idx, r in frame.iterrows():
                key = self._key(column, r[column])
                if key is None:
                    keep[idx] = False
                    problems.append(Problem(str(self.store.path),
                                            f"{where}, row {r['row']}, column '{self.store.header(SHEET, column)}'",
                                            f"expected one of {shown[column]}, got {r[column]!r}"))
                keys.append(key)
            frame[column] = keys
        self.problems = problems
        return frame[keep].reset_index(drop=True)

    def _workbook(self, model: pd.DataFrame) -> JourneyWorkbook:
        return JourneyWorkbook(EngagementData(folder=self.folder, engagement=self.eng, sheets={SHEET: model}), self.L)

    def figure(self, model: pd.DataFrame):
        """The map of the shown version (``self.image``) and the emotion curve of
        both versions (``self.curve_image``); each is redrawn only when its data
        changed. Figure data: ``self.cells`` and ``self.curve``."""
        version = self.version.value
        book = self._workbook(model)
        self.cells = jm.matrix(model, self.stages, self.channels, version)
        self.curve = jm.emotion_curve(model, self.stages)
        curve_key = self.curve.to_json()
        if curve_key != self._curve_key:
            self.curve_image.value = live_png(book.emotion_chart())
            self._curve_key = curve_key
        matrix_key = (version, self.cells.to_json())
        if matrix_key != self._matrix_key:
            self.image.value = live_png(book.matrix_chart(version))
            self._matrix_key = matrix_key
        return None  # both drawn here

    def summary(self, model: pd.DataFrame) -> str:
        L, version = self.L, self.version.value
        rows = model[model["version"] == version]
        pains = jm.pain_points(model, version)
        moments = jm.moments_of_truth(model, version)
        collects = int(rows["collection_point"].map(lambda v: bool(pd.notna(v) and v)).sum()) if len(rows) else 0
        text = L("workshop.journey.summary", version=choice_label("journey_version", version, L.lang), n=len(rows),
                 pain=len(pains), moments=len(moments), collection=collects)
        diff = jm.differences(model)
        more = L("journey.diff.explain", added=len(diff.added), removed=len(diff.removed),
                 requalified=len(diff.requalified))
        return (f'<p class="rk-journey-summary">{html.escape(text)}</p>'
                f'<p class="rk-journey-diff">{html.escape(more)}</p>')
