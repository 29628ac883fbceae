"""What every workshop editor shares: loading from the engagement, a live
figure, inline problems, save and reload buttons with their messages.

An editor is plain Python around ipywidgets: tests set widget values and read
the model, the figure and the saved file without a browser. Widgets carry
stable CSS classes (``rk-…``) so browser tests can find them.
"""
from __future__ import annotations

import html
import time
from pathlib import Path

import ipywidgets as w

from relkit.io.labels import Labels
from relkit.io.problems import Problem
from relkit.views.charts import style as charts
from relkit.workshop.render import figure_png, live_drawing, settle
from relkit.workshop.store import ChangedOnDisk, EngagementStore, InvalidEntries, WorkshopStore


def problems_html(problems: list[Problem]) -> str:
    if not problems:
        return ""
    items = "".join(f"<li>{html.escape(p.where.split(', ', 1)[-1])} : {html.escape(p.message)}</li>" for p in problems)
    return f'<ul class="rk-problems">{items}</ul>'


class Editor:
    """Base of the editors. Subclasses build ``self.body`` (widgets) in
    ``build()``, return their rows in ``rows()`` (sheet editors), draw in
    ``figure()`` and may show more in ``summary()`` (HTML)."""

    key = "editor"  # CSS class rk-editor-<key>
    title_key = ""  # label key of the tab title
    sheet: str | None = None  # the workshop sheet this editor saves

    def __init__(self, folder: Path | str, lang: str | None = None):
        charts.use_house_style()
        self.folder = Path(folder)
        self.store = self.open_store()
        self.engagement_store = EngagementStore(self.folder)
        self.eng = self.store.engagement
        self.L = Labels(lang or self.eng.language, self.eng.currency)
        self.problems: list[Problem] = []
        self.last_refresh_seconds: float | None = None
        self.refreshes = 0
        self.image = w.Image(format="png").add_class("rk-figure")
        self.summary_html = w.HTML().add_class("rk-summary")
        self.problems_html = w.HTML().add_class("rk-problems-box")
        self.status = w.HTML().add_class("rk-status")
        self.save_button = w.Button(description=self.L("workshop.save"), button_style="primary", icon="save")
        self.save_button.add_class("rk-save")
        self.reload_button = w.Button(description=self.L("workshop.reload"), icon="refresh")
        self.reload_button.add_class("rk-reload")
        self.save_button.on_click(lambda _: self.save())
        self.reload_button.on_click(lambda _: self.reload())
        self.body = w.VBox()
        self.build()
        self.widget = w.VBox([
            w.HTML(f'<h3 class="rk-editor-title">{html.escape(self.L(self.title_key)) if self.title_key else ""}</h3>'),
            self.body,
            self.problems_html,
            w.HBox([self.save_button, self.reload_button, self.status]),
            self.summary_html,
            self.image,
        ])
        self.widget.add_class("rk-editor")
        self.widget.add_class(f"rk-editor-{self.key}")
        self.refresh()
        settle()  # no full garbage collection over the editor's objects in the middle of a redraw

    # -- to override --------------------------------------------------------------
    def build(self) -> None:
        """Create the input widgets into ``self.body`` and observe them with ``self.changed``."""

    def rows(self) -> list[dict]:
        """The sheet's rows as the widgets hold them (raw values or codes)."""
        return []

    def open_store(self) -> WorkshopStore:
        """The workshop workbook as read now (an editor inside another one shares its owner's)."""
        return WorkshopStore(self.folder)

    def rows_to_save(self) -> dict[str, list[dict]]:
        """What ``save`` writes: sheet key -> rows (several sheets are saved in one write)."""
        return {self.sheet: self.rows()}

    def figure(self, model):
        """A matplotlib Figure from the checked model, or None."""
        return None

    def summary(self, model) -> str:
        """HTML shown above the figure (totals, flags, scores)."""
        return ""

    def model(self):
        """The checked entries (a DataFrame for sheet editors); sets ``self.problems``."""
        if self.sheet is None:
            self.problems = []
            return None
        frame, self.problems = self.store.check(self.sheet, self.rows())
        return frame

    def save_engagement(self) -> dict[str, object] | None:
        """For editors of engagement.yaml: the dotted keys to write."""
        return None

    # -- shared behaviour ---------------------------------------------------------------
    def changed(self, *_args) -> None:
        """Observer for every input widget: re-check, redraw."""
        self.refresh()

    def refresh(self) -> None:
        started = time.perf_counter()
        with live_drawing():  # the charts an editor builds (in summary or figure) measure their text once
            model = self.model()
            self.problems_html.value = problems_html(self.problems)
            self.summary_html.value = self.summary(model) if model is not None or self.sheet is None else ""
            fig = self.figure(model) if model is not None or self.sheet is None else None
            if fig is not None:
                self.image.value = figure_png(fig)
        self.last_refresh_seconds = time.perf_counter() - started
        self.refreshes += 1

    def _say(self, key: str, kind: str, **values) -> None:
        self.status.value = f'<span class="rk-status-{kind}">{html.escape(self.L(key, **values))}</span>'

    def save(self) -> bool:
        """Write the entries; never when they are invalid or the file changed meanwhile."""
        self.refresh()
        if self.problems:
            self._say("workshop.invalid", "error", n=len(self.problems))
            return False
        try:
            updates = self.save_engagement()
            if updates is not None:
                saved = self.engagement_store.save(updates)
            else:
                saved = self.store.save_sheets(self.rows_to_save())
        except ChangedOnDisk:
            self._say("workshop.changed_on_disk", "error", file=(self.store.path if updates is None
                                                                  else self.engagement_store.path).name)
            return False
        except InvalidEntries as exc:
            self.problems = exc.problems
            self.problems_html.value = problems_html(self.problems)
            self._say("workshop.invalid", "error", n=len(self.problems))
            return False
        self._say("workshop.saved", "ok", file=saved.path.name, backup=saved.backup.name)
        return True

    def reload(self) -> None:
        """Drop unsaved entries and read the files again."""
        self.store = self.open_store()  # engagement.yaml too: lists and targets may have changed
        self.engagement_store = EngagementStore(self.folder)
        self.eng = self.store.engagement
        self.load()
        self.refresh()
        self._say("workshop.reloaded", "ok")

    def load(self) -> None:
        """Put the stored entries back into the widgets (after a reload)."""
        self.body.children = ()
        self.build()
