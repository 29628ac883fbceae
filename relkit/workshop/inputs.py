"""The workshop's input pieces shared by every table: a raw cell shown as text,
a date box in the workbook's format, and what an edited box writes to its cell."""
from __future__ import annotations

import datetime as dt
import html
import re

import ipywidgets as w
import traitlets

from relkit.io.labels import Labels
from relkit.io.parsing import is_blank, parse_date

_INT = re.compile(r"\s*-?\d+\s*")
_DECIMAL = re.compile(r"\s*-?\d+([.,]\d+)?\s*")
# a plain number typed in these columns is written as a number (it reads the same as its text)
_NUMERIC = ("int", "number", "amount", "percent", "measure", "budget", "month")


def display(value) -> str:
    """A raw cell value as the text shown in a box."""
    if is_blank(value):
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y") if value.time() == dt.time() else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_SMALL = ' style="font-size: 0.85em; color: #57606a; line-height: 1.2"'


class DateInput(w.VBox):
    """A date typed as dd/mm/yyyy, the workbook's format, whatever the
    browser's locale (ipywidgets' DatePicker shows 09/29/2026 in an English
    browser), read back under the box in words in the engagement's language
    ('29 septembre 2026'), so a day and a month cannot be swapped unseen.

    ``value`` is a ``datetime.date``, None when empty, or the text as typed
    when it is not a date (an editor reports it); setting it to a text parses it."""

    value = traitlets.Any(None, allow_none=True)
    disabled = traitlets.Bool(False)

    def __init__(self, value=None, labels: Labels | None = None, description: str = "", layout=None, **kwargs):
        self.L = labels or Labels("fr")
        self.text = w.Text(continuous_update=False, placeholder=self.L("workshop.date.placeholder"),
                           description=description, style={"description_width": "initial"},
                           layout=w.Layout(width="100%" if layout is not None else
                                           ("19em" if description else "8.5em"), margin="2px 0"))
        self.text.add_class("rk-date-text")
        self.words = w.HTML(layout=w.Layout(margin="0 0 0 4px")).add_class("rk-date-words")
        # the column's width for the whole widget, so rows stay aligned under their headers
        if layout is None and description:  # a labelled date on its own line: the words beside the box
            layout = w.Layout(flex_flow="row", align_items="center", flex="0 0 auto")
        super().__init__([self.text, self.words], layout=layout or w.Layout(flex="0 0 auto"), **kwargs)
        self.add_class("rk-date")
        self.value = value
        self._show()
        self.text.observe(self._typed, "value")
        self.observe(lambda _: self._show(), "value")
        traitlets.dlink((self, "disabled"), (self.text, "disabled"))

    @traitlets.validate("value")
    def _valid(self, proposal):
        value = proposal["value"]
        if value is None or isinstance(value, dt.date):
            return value.date() if isinstance(value, dt.datetime) else value
        text = display(value).strip()
        if not text:
            return None
        try:
            return parse_date(text)
        except ValueError:
            return text

    def _typed(self, change) -> None:
        self.value = change["new"]
        self._show()  # '1/2/2027' is shown back as 01/02/2027

    def _show(self) -> None:
        value = self.value
        self.text.value = value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else (value or "")
        if isinstance(value, dt.date):
            self.words.value = f'<span class="rk-help"{_SMALL}>{html.escape(self.L.date(value))}</span>'
        elif value:
            self.words.value = f'<span class="rk-help"{_SMALL}>{html.escape(self.L("workshop.date.expected"))}</span>'
        else:
            self.words.value = ""


def cell_value(col, old, text, is_list: bool):
    """What an edited box puts in the row: None when empty, a number when a
    plain number is typed in a numeric column, a date when the cell held a
    date, else the text as typed (checked, and reported when invalid)."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    if is_list:
        return text  # a code (written as its label), or a key of the engagement's own list
    if col.type == "date" and isinstance(text, dt.date):  # from a DateInput: written as the cell held it
        if isinstance(old, (dt.date, dt.datetime)):
            return dt.datetime(text.year, text.month, text.day)
        return text.strftime("%d/%m/%Y")
    if col.type in _NUMERIC and _INT.fullmatch(text):
        return int(text)
    if col.type in _NUMERIC and col.type not in ("int", "month") and _DECIMAL.fullmatch(text):
        return float(text.replace(",", "."))
    if col.type == "date" and isinstance(old, (dt.date, dt.datetime)):
        try:
            day = parse_date(text)
        except ValueError:
            return text
        return dt.datetime(day.year, day.month, day.day)
    return text
