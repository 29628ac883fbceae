"""The workshop app: every editor in one tab set, under the engagement's name.

``workshop_app(folder)`` is what the workshop notebook displays (served by
``relkit workshop`` with Voilà or JupyterLab). Editors are named by dotted
path and imported only when the app is built; each one is built the first
time its tab is opened (the tab says "Chargement…" meanwhile), so the page
paints as soon as the first editor is ready. An editor that fails (a sheet
that cannot be read, a bug) shows its error in its own tab and leaves the
others working.

Every sheet of templates/workshop/sheets.yaml that no editor of ``EDITORS``
saves gets a generic table editor (``table.sheet_editor``), placed in the
workbook's order: a new sheet is in the workshop with no code of its own.
"""
from __future__ import annotations

import html
import importlib
import sys
import time
import traceback
from collections.abc import Iterable, Mapping
from pathlib import Path

import ipywidgets as w

from relkit.io.brand import DEFAULT_BRAND, BrandStyle, find_brand
from relkit.io.engagement_file import read_engagement
from relkit.io.labels import Labels
from relkit.workshop.store import BACKUP_DIR
from relkit.workshop.table import sheet_editor

# Tab order = the order of the workbooks: diagnosis, customer file, journey, collection, plan.
EDITORS: dict[str, str] = {
    "swot": "relkit.workshop.editors.swot.SwotEditor",
    "objectives": "relkit.workshop.editors.objectives.ObjectivesEditor",
    "positioning": "relkit.workshop.editors.positioning.PositioningEditor",
    "mix": "relkit.workshop.editors.mix.MixEditor",
    "readiness": "relkit.workshop.editors.readiness.ReadinessEditor",
    "segments": "relkit.workshop.editors.segments.SegmentsExplorer",
    "value": "relkit.workshop.editors.value.ValueCalculator",
    "journey": "relkit.workshop.editors.journey.JourneyEditor",
    "collection": "relkit.workshop.editors.collection.CollectionEditor",
    "programmes": "relkit.workshop.editors.programmes.ProgrammesEditor",
    "actions": "relkit.workshop.editors.actions.ActionsEditor",
    "budget": "relkit.workshop.editors.budget.BudgetEditor",
    "kpis": "relkit.workshop.editors.kpis.KpiEditor",
}

# ipywidgets gives every tab 144 px and cuts longer titles: let them take their width (on several lines
# of tabs when there are many); a tab being built shows a turning wheel beside "Chargement…".
TAB_CSS = ("<style>.jupyter-widgets.widget-tab.rk-workshop-tabs > .lm-TabBar .lm-TabBar-tab"
           "{flex: 0 1 auto; max-width: none;}"
           ".jupyter-widgets.widget-tab.rk-workshop-tabs > .lm-TabBar .lm-TabBar-content{flex-wrap: wrap;}"
           ".rk-loading{color: #57606a; font-size: 1.1em; padding: 1em 0;}"
           ".rk-loading::before{content: ''; display: inline-block; width: 0.9em; height: 0.9em; margin-right: 0.5em;"
           "vertical-align: -0.1em; border: 2px solid #d0d7de; border-top-color: #57606a; border-radius: 50%;"
           "animation: rk-spin 0.8s linear infinite;}"
           "@keyframes rk-spin{to{transform: rotate(360deg);}}"
           # entries in the page's font (not the browser's monospace for text areas)
           ".rk-workshop .rk-row textarea{font-family: inherit; font-size: inherit; line-height: 1.35;}"
           # a sheet with many columns (Concurrents) scrolls sideways inside its table rather than being cut off
           ".rk-workshop .rk-table{overflow-x: auto;}</style>")


def brand_css(brand: BrandStyle) -> str:
    """The header in the firm's colour and fonts (nothing for relkit's own look)."""
    if brand == DEFAULT_BRAND:
        return ""
    family = brand.font_headings.replace('"', "").replace("<", "")
    return (f'<style>.rk-workshop-title {{ color: {brand.primary}; font-family: "{family}", sans-serif; }} '
            f".rk-workshop .jupyter-widgets.widget-tab > .lm-TabBar .lm-TabBar-tab.lm-mod-current "
            f"{{ border-top-color: {brand.primary}; }}</style>")


def editor_class(dotted: str) -> type:
    """``"relkit.workshop.editors.budget.BudgetEditor"`` -> the class (imported now)."""
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


# Editors that save no sheet sit, in the tab order, where this sheet of their workbook is (the customer file's).
PLACES: dict[str, str] = {"segments": "personas", "value": "personas"}


def sheets_of(cls) -> tuple[str, ...]:
    """The workshop sheets an editor class saves: ``sheets`` (or ``SHEETS``)
    when it declares several (the positioning: its parts and its questions), else ``sheet``."""
    several = getattr(cls, "sheets", None) or getattr(cls, "SHEETS", None)
    return tuple(several or ((cls.sheet,) if getattr(cls, "sheet", None) else ()))


def all_tabs(editors: Mapping[str, object] | None = None) -> dict[str, object]:
    """``editors`` (default ``EDITORS``) with a generic table editor for every
    sheet of sheets.yaml that none of them saves, keyed by the sheet's key.

    Order: the workbook's. A sheet's generic tab comes just before the first
    editor that saves a later sheet (or, for an editor without a sheet, is
    placed at a later one by ``PLACES``); other editors without a sheet stay
    after the editor they follow in ``editors``. An editor whose class cannot
    be imported is kept (its tab says why) and covers no sheet."""
    from relkit.io.atelier import sheets

    editors = dict(EDITORS if editors is None else editors)
    order = [s.key for s in sheets()]
    rank = {key: i for i, key in enumerate(order)}
    covered: dict[str, tuple[str, ...]] = {}
    for key, spec in editors.items():
        try:
            cls = editor_class(spec) if isinstance(spec, str) else spec
        except Exception:  # noqa: BLE001 - reported in its tab by the app
            cls = None
        covered[key] = tuple(s for s in sheets_of(cls) if s in rank) if cls is not None else ()
    missing = [k for k in order if not any(k in c for c in covered.values())]
    tabs: dict[str, object] = {}
    for key, spec in editors.items():
        place = covered[key] or ((PLACES[key],) if PLACES.get(key) in rank else ())
        if place:
            first = min(rank[s] for s in place)
            while missing and rank[missing[0]] < first:
                sheet = missing.pop(0)
                tabs[sheet if sheet not in editors else f"table-{sheet}"] = sheet_editor(sheet)
        tabs[key] = spec
    for sheet in missing:
        tabs[sheet if sheet not in editors else f"table-{sheet}"] = sheet_editor(sheet)
    return tabs


def _specs(editors) -> list[tuple[str, object]]:
    """(key, dotted name or class) pairs from a mapping, a list of either, or
    None (every tab: ``all_tabs()``). A sheet key of sheets.yaml not in
    ``EDITORS`` names its generic table editor."""
    if editors is None:
        return list(all_tabs().items())
    if isinstance(editors, Mapping):
        return list(editors.items())
    specs = []
    for spec in editors if isinstance(editors, Iterable) and not isinstance(editors, str) else [editors]:
        if isinstance(spec, str) and spec not in EDITORS and "." not in spec:
            try:
                specs.append((spec, sheet_editor(spec)))
                continue
            except KeyError:
                pass
        if isinstance(spec, str):
            key = next((k for k, d in EDITORS.items() if spec in (k, d)), None)
            if key is None:  # another class, keyed by its module: "mypkg.notes.NotesEditor" -> "notes"
                parts = spec.split(".")
                key = parts[-2] if len(parts) > 1 else spec
            specs.append((key, EDITORS.get(spec, spec)))
        else:
            specs.append((getattr(spec, "key", spec.__name__.lower()), spec))
    return specs


class WorkshopApp(w.Tab):
    """One tab per editor. Displaying it shows the engagement header above the
    tabs (``self.frame``); the Tab itself stays an ordinary ipywidgets Tab."""

    def __init__(self, folder: Path | str, lang: str | None = None, editors=None, lazy: bool = True):
        super().__init__()
        self.folder = Path(folder)
        self.lang = lang
        eng, problems = read_engagement(self.folder)
        self.engagement = eng
        self.brand = find_brand(self.folder)  # the firm's _brand.yml: header colour and font, live charts
        if self.brand != DEFAULT_BRAND or "relkit.views.charts.style" in sys.modules:
            from relkit.views.charts import style as charts

            charts.use_brand(None if self.brand == DEFAULT_BRAND else self.brand)
        self.L = Labels(lang or (eng.language if eng else "fr"), eng.currency if eng else "EUR")
        self.tab_keys: list[str] = []
        self.editors: dict[str, object] = {}  # key -> the built editor
        self.errors: dict[str, str] = {}  # key -> why its tab could not open
        self.load_seconds: dict[str, float] = {}
        self._classes: dict[str, object] = {}  # key -> class, or the exception raised importing it
        panels, titles = [], []
        for key, spec in _specs(editors):
            try:
                cls = editor_class(spec) if isinstance(spec, str) else spec
                title = self._title(key, cls)
            except Exception as exc:  # noqa: BLE001 - shown in its tab
                cls, title = exc, self.L("workshop.app.unavailable", name=key)
            self.tab_keys.append(key)
            self._classes[key] = cls
            panel = w.VBox([w.HTML(f'<p class="rk-loading">{html.escape(self.L("workshop.app.loading"))}</p>')])
            panel.add_class("rk-tab")
            panel.add_class(f"rk-tab-{key}")
            panels.append(panel)
            titles.append(title)
        self.children = panels
        self.titles = titles
        self.add_class("rk-workshop-tabs")
        self.header = w.HTML(self._header_html(eng, problems)).add_class("rk-workshop-header")
        self.frame = w.VBox([self.header, self]).add_class("rk-workshop")
        self.observe(self._selected, "selected_index")
        if panels:
            self.selected_index = 0
            self.load(0)  # the observer does it only when the index changes
        if not lazy:
            for i in range(len(panels)):
                self.load(i)

    def _title(self, key: str, cls) -> str:
        """The tab's title: the editor's label, else its sheet's title in the workshop's language."""
        if getattr(cls, "title_key", ""):
            return self.L(cls.title_key)
        if sheets_of(cls):
            from relkit.io.atelier import sheet

            return sheet(sheets_of(cls)[0]).title[self.L.lang]
        return key

    # -- display ------------------------------------------------------------------
    def _repr_mimebundle_(self, **kwargs):
        """Shown with its header: the frame holds the header and this Tab."""
        return self.frame._repr_mimebundle_(**kwargs)

    def _header_html(self, eng, problems) -> str:
        if eng is None:
            items = "".join(f"<li>{html.escape(str(p))}</li>" for p in problems)
            return (f'{TAB_CSS}<h2 class="rk-workshop-title">{html.escape(self.L("workshop.app.title_bare"))}</h2>'
                    f'<div class="rk-editor-error"><p>{html.escape(self.L("workshop.app.bad_engagement"))}</p>'
                    f"<ul>{items}</ul></div>")
        title = self.L("workshop.app.title", client=eng.client.name)
        where = self.L("workshop.app.where", file=eng.workshop_file, backups=BACKUP_DIR)
        return (f'{TAB_CSS}{brand_css(self.brand)}<h2 class="rk-workshop-title">{html.escape(title)}</h2>'
                f'<p class="rk-workshop-where">{html.escape(where)}</p>')

    # -- building the editors ---------------------------------------------------------
    def _selected(self, change) -> None:
        if change["new"] is not None:
            self.load(change["new"])

    def load(self, index_or_key: int | str):
        """Build one editor (once) and put it in its tab; returns it, or None
        when it failed (its tab then shows why)."""
        index = index_or_key if isinstance(index_or_key, int) else self.tab_keys.index(index_or_key)
        key = self.tab_keys[index]
        if key in self.editors or key in self.errors:
            return self.editors.get(key)
        panel = self.children[index]
        started = time.perf_counter()
        cls = self._classes[key]
        try:
            if isinstance(cls, Exception):
                raise cls
            editor = cls(self.folder, lang=self.lang)
        except Exception as exc:  # noqa: BLE001 - one failing editor must not break the others
            self.errors[key] = f"{type(exc).__name__}: {exc}"
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            panel.children = (w.HTML(
                f'<div class="rk-editor-error"><p>{html.escape(self.L("workshop.app.failed"))}</p>'
                f"<pre>{html.escape(detail)}</pre></div>"),)
            return None
        finally:
            self.load_seconds[key] = time.perf_counter() - started
        self.editors[key] = editor
        self._follow_saves(key, editor)
        panel.children = (editor.widget,)
        return editor

    # -- one workshop, several tabs, one workbook -------------------------------------------
    def _follow_saves(self, key: str, editor) -> None:
        """After a tab saves, the other open tabs can still save: each store
        refuses a file changed since it read it (Excel, meanwhile), and the
        tab's own save changed the file. A tab that was in step with the file
        before this save, and saves none of the sheets (or engagement.yaml)
        just written, takes the new version as read: only cells it does not
        write changed. A tab of a sheet just written stays refused until reloaded."""
        save = editor.save

        def save_and_tell(*args, **kwargs):
            stores = [s for s in (getattr(editor, "store", None), getattr(editor, "engagement_store", None)) if s]
            before = [s._fingerprint for s in stores]
            ok = save(*args, **kwargs)
            if ok:
                for store, old in zip(stores, before):
                    if store._fingerprint != old:
                        self._saved(key, editor, store, old)
            return ok

        editor.save = save_and_tell  # the save button calls editor.save() when clicked

    def _saved(self, key: str, editor, store, old: str) -> None:
        # what was written: the editor's sheets, or its engagement.yaml keys
        written = set(sheets_of(type(editor)) if store is getattr(editor, "store", None)
                      else _engagement_keys(editor))
        for other_key, other in self.editors.items():
            if other_key == key:
                continue
            for mine in (getattr(other, "store", None), getattr(other, "engagement_store", None)):
                if mine is None or type(mine) is not type(store) or mine.path != store.path or mine._fingerprint != old:
                    continue
                writes = set(sheets_of(type(other)) if mine is getattr(other, "store", None)
                             else _engagement_keys(other))
                if written & writes or "*" in written | writes:
                    continue  # the same sheet or key: its copy is out of date, a reload shows the new one
                mine._fingerprint = store._fingerprint

    def load_all(self) -> None:
        for i in range(len(self.tab_keys)):
            self.load(i)

    def editor(self, key: str):
        """The editor of one tab, built if needed (None if it failed)."""
        return self.load(key)


def _engagement_keys(editor) -> set[str]:
    """The engagement.yaml keys an editor writes (none for a sheet editor); all
    of them ("*") when it cannot say."""
    try:
        return set(editor.save_engagement() or ())
    except Exception:  # noqa: BLE001 - an editor in the middle of an entry: assume the worst
        return {"*"}


def workshop_app(folder: Path | str, lang: str | None = None, editors=None, lazy: bool = True) -> WorkshopApp:
    """The workshop's tabs for one engagement folder (an ipywidgets Tab).

    ``editors``: keys of ``EDITORS`` or sheet keys, dotted class names,
    classes, or a {key: dotted name or class} mapping (default: every editor
    of ``EDITORS`` and a generic table for each sheet none of them saves).
    ``lazy=False`` builds every tab at once instead of on first opening.
    """
    return WorkshopApp(folder, lang=lang, editors=editors, lazy=lazy)
