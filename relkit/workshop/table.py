"""A generic editor for any workshop sheet, built from its schema
(templates/workshop/sheets.yaml): one row of widgets per data row, buttons to
add, remove and reorder rows, optionally one box per value of a list column
(the SWOT's four quadrants).

Rows keep the raw cell values they were loaded with; a value changes only
when its widget is edited, so saving writes back exactly what was there for
every row and column nobody touched.
"""
from __future__ import annotations

import html
import re
from functools import cache

import ipywidgets as w

from relkit.io.parsing import fold, is_blank
from relkit.io.atelier import FIRST_DATA_ROW, axis, axis_lookup, choice_label, lists
from relkit.io.atelier import sheet as schema_of
from relkit.workshop.base import Editor
from relkit.workshop.inputs import DateInput, cell_value, display  # noqa: F401  (DateInput, display: re-exported)

TEXTAREA_WIDTH = 40  # text columns this wide (sheets.yaml width) get a Textarea
_WHERE = re.compile(r"row (\d+), column '(.*)'$")
OTHER_GROUP = "other"  # the box of rows whose group value is empty or unknown


class _Row:
    """One data row: its values (raw until edited), its widgets and its box."""

    def __init__(self, values: dict, loaded: bool):
        self.values = values
        self.loaded = loaded  # read from the file (kept even when blank, so nothing is dropped silently)
        self.widgets: dict[str, w.Widget] = {}
        self.note = w.HTML().add_class("rk-note")
        self.box: w.HBox | None = None
        self.up: w.Button | None = None
        self.down: w.Button | None = None


class TableEditor(Editor):
    """Rows of a workshop sheet as widgets. Options: ``columns`` (the columns
    shown; the others are kept as loaded), ``group_by`` (a choice column: one
    box per list value, rows saved group by group in list order)."""

    key = "table"
    title_key = ""
    sheet: str | None = None
    columns: tuple[str, ...] | None = None
    group_by: str | None = None
    group_columns = 1  # boxes side by side (the SWOT: 2 × 2)
    widths: dict[str, str] = {}  # column key -> CSS width, overriding the schema's width
    has_figure = False
    row_notes = False  # a small label after each row (set by subclasses in summary())

    def __init__(self, folder, lang: str | None = None, sheet: str | None = None, columns=None,
                 group_by: str | None = None, key: str | None = None, title_key: str | None = None):
        if sheet is not None:
            self.sheet = sheet
        if self.sheet is None:
            raise ValueError("TableEditor needs a workshop sheet key")
        self.schema = schema_of(self.sheet)
        if columns is not None:
            self.columns = tuple(columns)
        if group_by is not None:
            self.group_by = group_by
        if key is not None:
            self.key = key
        elif type(self) is TableEditor:
            self.key = f"table-{self.sheet}"
        if title_key is not None:
            self.title_key = title_key
        known = {c.key for c in self.schema.columns}
        for name in (self.columns or ()) + ((self.group_by,) if self.group_by else ()):
            if name not in known:
                raise ValueError(f"sheet {self.sheet!r} has no column {name!r}")
        if self.group_by and self.schema.column(self.group_by).type != "choice":
            kind = self.schema.column(self.group_by).type
            raise ValueError(f"group_by needs a choice column, {self.group_by!r} is {kind}")
        self._rows: list[_Row] = []
        self._choice_cache: dict[str, tuple] = {}
        self._positions: list[_Row] = []  # the rows of the last rows() call, in order
        super().__init__(folder, lang)
        if not self.title_key:  # a sheet with no editor of its own: its title in the workbook
            title = html.escape(self.store.title(self.sheet))
            self.widget.children[0].value = f'<h3 class="rk-editor-title">{title}</h3>'
        if not self.has_figure:
            self.image.layout.display = "none"

    # -- schema helpers ---------------------------------------------------------------
    @property
    def shown(self):
        """The schema columns shown, in schema order."""
        return [c for c in self.schema.columns if self.columns is None or c.key in self.columns]

    @staticmethod
    def _is_list(col) -> bool:
        """A column chosen from a list (a drop-down): choices, yes/no, the
        engagement's open lists, and typed columns with a list (report sections)."""
        return col.type in ("choice", "bool") or bool(col.open_list) or bool(col.list and col.list in lists())

    def _open_override(self, col) -> list[str] | None:
        node = self.eng
        for part in col.open_list.split("."):
            node = getattr(node, part, None)
            if node is None:
                return None
        return list(node) or None

    def _choices(self, col) -> tuple[list[tuple[str, str]], dict[str, str]]:
        """(label, value) options and fold(spelling) -> value for a list column
        (an open list: the engagement's own list when it gives one)."""
        if col.key not in self._choice_cache:
            if col.open_list:
                override = self._open_override(col)
                found = ([(label, key) for key, label in axis(col.list, override, self.L.lang)],
                         axis_lookup(col.list, override))
            else:
                items = lists()[col.list]
                lookup = {fold(item[k]): item["code"] for item in items for k in ("code", "fr", "en")}
                found = ([(item[self.L.lang], item["code"]) for item in items], lookup)
            self._choice_cache[col.key] = found
        return self._choice_cache[col.key]

    def _option_of(self, col, value, lookup) -> str:
        if is_blank(value):
            return ""
        if isinstance(value, bool):
            return "yes" if value else "no"
        return lookup.get(fold(display(value)), display(value))

    def _group_of(self, row: _Row) -> str:
        if not self.group_by:
            return ""
        col = self.schema.column(self.group_by)
        code = self._option_of(col, row.values.get(self.group_by), self._choices(col)[1])
        return code if code in self._group_codes() else OTHER_GROUP

    def _group_codes(self) -> list[str]:
        return [item["code"] for item in lists()[self.schema.column(self.group_by).list]] if self.group_by else []

    def _layout_of(self, col) -> w.Layout:
        """The width of a column's boxes: from the schema, or ``widths`` (a % width stretches)."""
        least = 9.0 if col.type == "date" else 4.5  # a date's words under its box: '26 novembre 2027'
        width = self.widths.get(col.key) or f"{max(least, min(col.width, 70) * 0.55):.1f}em"
        return w.Layout(width=width, flex="1 1 auto" if width.endswith("%") else "0 0 auto")

    # -- building ---------------------------------------------------------------------
    def build(self) -> None:
        self._choice_cache = {}  # after a reload the engagement's lists may have changed
        self._rows = [self._make_row({k: v for k, v in r.items() if k != "row"}, loaded=True)
                      for r in self.store.rows(self.sheet)]
        if self.group_by:
            order = {code: i for i, code in enumerate(self._group_codes() + [OTHER_GROUP])}
            self._rows.sort(key=lambda r: order[self._group_of(r)])  # stable: order kept inside a group
        self.add_button = self._button(self.L("workshop.add"), "plus", "rk-add", lambda _: self.add_row())
        self.add_button.tooltip = self.L("workshop.add")
        if self.group_by:
            self._group_boxes: dict[str, w.VBox] = {}
            self._group_rows: dict[str, w.VBox] = {}
            self._group_titles: dict[str, w.HTML] = {}
            col = self.schema.column(self.group_by)
            for code in self._group_codes() + [OTHER_GROUP]:
                title = (choice_label(col.list, code, self.L.lang) if code != OTHER_GROUP
                         else self.L("workshop.table.other_group"))
                self._group_titles[code] = w.HTML(f"<b>{html.escape(title)}</b>").add_class("rk-group-title")
                self._group_rows[code] = w.VBox()
                parts = [self._group_titles[code], self._header(), self._group_rows[code]]
                if code != OTHER_GROUP:
                    add = self._button(self.L("workshop.table.add_to", group=title), "plus", "rk-add",
                                       lambda _, c=code: self.add_row(group=c))
                    add.add_class(f"rk-add-{code}")
                    parts.append(add)
                box = w.VBox(parts, layout=w.Layout(border="1px solid #d0d7de", padding="6px", margin="4px"))
                box.add_class("rk-group")
                box.add_class(f"rk-group-{code}")
                self._group_boxes[code] = box
            boxes = [self._group_boxes[c] for c in self._group_codes()]
            self._table = w.GridBox(boxes, layout=w.Layout(
                grid_template_columns=f"repeat({self.group_columns}, minmax(0, 1fr))"))
            self._other = self._group_boxes[OTHER_GROUP]
            self.body.children = [self._table, self._other]
        else:
            self._rows_box = w.VBox()
            self.body.children = [self._header(), self._rows_box, self.add_button]
        self.body.add_class("rk-table")
        self._layout()

    def _button(self, description: str, icon: str, css: str, on_click) -> w.Button:
        button = w.Button(description=description, icon=icon, layout=w.Layout(width="auto"))
        button.add_class(css)
        button.on_click(on_click)
        return button

    def _header(self) -> w.HBox:
        cells = [w.HTML(f"<b>{html.escape(self.store.header(self.sheet, c.key))}</b>", layout=self._layout_of(c))
                 for c in self.shown]
        return w.HBox(cells).add_class("rk-header")

    def _make_row(self, values: dict, loaded: bool) -> _Row:
        for col in self.schema.columns:
            values.setdefault(col.key, None)
        row = _Row(values, loaded)
        for col in self.shown:
            widget = self._widget(col, values.get(col.key))
            widget.add_class(f"rk-field-{col.key}")
            widget.observe(lambda change, r=row, c=col: self._edited(r, c, change["new"]), names="value")
            row.widgets[col.key] = widget
        remove = self._button("", "trash", "rk-remove", lambda _, r=row: self.remove_row(self._rows.index(r)))
        remove.tooltip = self.L("workshop.remove")
        row.up = self._button("", "arrow-up", "rk-up", lambda _, r=row: self.move(self._rows.index(r), -1))
        row.up.tooltip = self.L("workshop.up")
        row.down = self._button("", "arrow-down", "rk-down", lambda _, r=row: self.move(self._rows.index(r), 1))
        row.down.tooltip = self.L("workshop.down")
        children = list(row.widgets.values()) + [row.up, row.down, remove]
        if self.row_notes:
            children.append(row.note)
        row.box = w.HBox(children, layout=w.Layout(align_items="flex-start")).add_class("rk-row")
        return row

    def _widget(self, col, value) -> w.Widget:
        layout = self._layout_of(col)
        if self._is_list(col):
            options, lookup = self._choices(col)
            current = self._option_of(col, value, lookup)
            options = list(options)
            if current and current not in {v for _, v in options}:  # a value off the list: shown, reported
                options.append((current, current))
            if not col.required or current == "":
                options.insert(0, ("", ""))
            return w.Dropdown(options=options, value=current, layout=layout)
        if col.type == "date":
            return DateInput(value, self.L, layout=layout)
        text = display(value)
        if col.type == "text" and col.width >= TEXTAREA_WIDTH:
            per_line = max(1, int(min(col.width, 70) * 0.9))  # characters on a line of its box, words wrapped
            lines = sum(len(line) // per_line + 1 for line in text.splitlines()) or 1
            return w.Textarea(value=text, rows=min(6, lines),  # the whole text shown, up to 6 lines
                              continuous_update=False, layout=layout)
        return w.Text(value=text, continuous_update=False, layout=layout)

    def _typed_value(self, col, old, text):
        return cell_value(col, old, text, self._is_list(col))

    # -- editing ----------------------------------------------------------------------
    def _edited(self, row: _Row, col, new) -> None:
        row.values[col.key] = self._typed_value(col, row.values.get(col.key), new)
        if col.key == self.group_by and row in self._rows:
            self._rows.remove(row)
            self._insert(row, self._group_of(row))
            self._layout()
        self.changed()

    def _insert(self, row: _Row, group: str) -> int:
        """Put ``row`` after the last row of ``group`` (keeping groups in list order)."""
        if not self.group_by:
            self._rows.append(row)
            return len(self._rows) - 1
        order = self._group_codes() + [OTHER_GROUP]
        rank = order.index(group)
        at = len(self._rows)
        for i, other in enumerate(self._rows):
            if order.index(self._group_of(other)) > rank:
                at = i
                break
        self._rows.insert(at, row)
        return at

    def _layout(self) -> None:
        """Put the rows' boxes in their containers, enable the up/down buttons that can move."""
        groups = [self._group_of(r) for r in self._rows]
        for i, row in enumerate(self._rows):
            row.up.disabled = i == 0 or groups[i - 1] != groups[i]
            row.down.disabled = i == len(self._rows) - 1 or groups[i + 1] != groups[i]
        if self.group_by:
            col = self.schema.column(self.group_by)
            for code, box in self._group_rows.items():
                members = [r for r, g in zip(self._rows, groups) if g == code]
                box.children = [r.box for r in members]
                title = (choice_label(col.list, code, self.L.lang) if code != OTHER_GROUP
                         else self.L("workshop.table.other_group"))
                self._group_titles[code].value = f"<b>{html.escape(title)}</b> ({len(members)})"
            self._other.layout.display = None if OTHER_GROUP in groups else "none"
        else:
            self._rows_box.children = [r.box for r in self._rows]

    # -- public helpers (tests, buttons) ---------------------------------------------------
    @property
    def row_widgets(self) -> list[dict[str, w.Widget]]:
        """Column key -> widget, one dict per row, in the order rows are saved."""
        return [r.widgets for r in self._rows]

    def add_row(self, values: dict | None = None, group: str | None = None) -> int:
        """Add a row (raw values or codes), at the end of ``group`` when the table is grouped; returns its index."""
        values = dict(values or {})
        if self.group_by and group is not None:
            values[self.group_by] = group
        row = self._make_row(values, loaded=False)
        at = self._insert(row, self._group_of(row))
        self._layout()
        self.changed()
        return at

    def remove_row(self, i: int) -> None:
        del self._rows[i]
        self._layout()
        self.changed()

    def move(self, i: int, delta: int) -> bool:
        """Swap row ``i`` with its neighbour ``i + delta`` (inside its group); False if it cannot move."""
        j = i + delta
        if not (0 <= i < len(self._rows) and 0 <= j < len(self._rows)):
            return False
        if self._group_of(self._rows[i]) != self._group_of(self._rows[j]):
            return False
        self._rows[i], self._rows[j] = self._rows[j], self._rows[i]
        self._layout()
        self.changed()
        return True

    # -- Editor interface ------------------------------------------------------------------
    def _blank(self, row: _Row) -> bool:
        return all(is_blank(v) for k, v in row.values.items() if k != self.group_by)

    def rows(self) -> list[dict]:
        """The rows as the widgets hold them; rows added here and left blank are ignored."""
        self._positions = [r for r in self._rows if r.loaded or not self._blank(r)]
        return [dict(r.values) for r in self._positions]

    def row_for(self, excel_row: int) -> _Row | None:
        """The editor row checked (and saved) at this Excel row."""
        i = int(excel_row) - FIRST_DATA_ROW
        return self._positions[i] if 0 <= i < len(self._positions) else None

    def index_of(self, excel_row: int) -> int | None:
        row = self.row_for(excel_row)
        return self._rows.index(row) if row is not None else None

    def model(self):
        frame = super().model()
        self._mark_invalid()
        return frame

    def _mark_invalid(self) -> None:
        """Colour the boxes of invalid entries and put the reason in their tooltip."""
        by_header = {self.store.header(self.sheet, c.key): c.key for c in self.schema.columns}
        bad: dict[tuple[int, str], str] = {}
        for p in self.problems:
            m = _WHERE.search(p.where)
            if m and m.group(2) in by_header:
                bad[(int(m.group(1)), by_header[m.group(2)])] = p.message
        flagged = {}
        for (excel_row, key), message in bad.items():
            row = self.row_for(excel_row)
            if row is not None and key in row.widgets:
                flagged[id(row.widgets[key])] = message
        for row in self._rows:
            invalid = False
            for widget in row.widgets.values():
                message = flagged.get(id(widget))
                if message:
                    widget.add_class("rk-invalid")
                    widget.tooltip = message
                    invalid = True
                elif "rk-invalid" in widget._dom_classes:
                    widget.remove_class("rk-invalid")
                    widget.tooltip = None
            if invalid:
                row.box.add_class("rk-row-invalid")
            elif "rk-row-invalid" in row.box._dom_classes:
                row.box.remove_class("rk-row-invalid")

    def summary(self, model) -> str:
        return f'<p class="rk-count">{html.escape(self.L("workshop.table.rows", n=len(model)))}</p>'


@cache
def sheet_editor(sheet_key: str) -> type[TableEditor]:
    """The generic editor of one sheet: a TableEditor subclass bound to it
    (every column, the sheet's title as in the workbook), so a sheet described
    in sheets.yaml gets a workshop tab with no code of its own."""
    from relkit.io.atelier import sheets

    if sheet_key not in {s.key for s in sheets()}:
        raise KeyError(f"no workshop sheet {sheet_key!r} in sheets.yaml")
    name = "".join(part.title() for part in sheet_key.split("_")) + "Table"
    return type(name, (TableEditor,), {"sheet": sheet_key, "key": f"table-{sheet_key}", "__module__": __name__,
                                       "__doc__": f"The {sheet_key} sheet as a generic table editor."})
