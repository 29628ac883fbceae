"""Workshop mode on the demo engagement: is every editor live enough for the room?

In-process, for each editor: its load time (built cold once, then the median
of warm builds), and the time from a widget change to the refreshed summary
and figure (the change is a widget assignment: the editor's observers run
synchronously, so the time covers re-checking the entries and redrawing the
PNG), median, p95 and max over --changes changes, PASS when the p95 is within
150 ms. The widget changed is found generically (a slider moved by a step, a
text entry given " bis" and back, a drop-down's next option) and
shown by its CSS class. The machine's load shows in the max: run it on a quiet machine
(the CPU columns, this thread's CPU time per change, are what the load does not inflate).

Then the app's first paint (the tabs with the first editor built: lazy, vs
every editor built at once), and the browser round trip through Voilà and
Debian's Chromium (Playwright): open the budget tab, move the budget slider
one step with the keyboard, time until the new T1 total is shown and until
both charts show the new picture (each <img> has a new source, loaded): median,
p95 and max over --browser-changes changes, PASS when the picture's p95 is within 500 ms.
--browser runs only that part (with the server's start).

Usage: python benchmarks/workshop.py [--changes 20] [--browser-changes 10] [--no-browser | --browser]
Exit code 1 when an editor's p95 misses 150 ms, the browser's 500 ms, or an editor fails to load.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data_samples" / "arnaud-zoe"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MPLBACKEND", "Agg")

BUDGET_MS = 150  # issue 17: change -> redrawn figure p95 within 150 ms
BROWSER_MS = 500  # issue 17: change in the page -> new image in the page, p95
CHROMIUM = "/usr/bin/chromium"


def p95(values) -> float:
    """The 95th percentile (nearest rank): with 20 changes, the 19th slowest."""
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def _widgets(widget):
    """Every widget under ``widget`` (depth first)."""
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from _widgets(child)


def _classes(widget) -> str:
    return " ".join(c for c in widget._dom_classes if c.startswith("rk-")) or type(widget).__name__


def _changes(widget):
    """Two values to alternate between, or None when the widget cannot be moved safely."""
    import ipywidgets as w

    if getattr(widget, "disabled", False):
        return None
    value = widget.value
    if isinstance(widget, (w.IntSlider, w.FloatSlider)):
        other = value + widget.step if value + widget.step <= widget.max else value - widget.step
        return value, other
    if isinstance(widget, (w.Text, w.Textarea)) and isinstance(value, str):
        if sum(c.isalpha() for c in value) < 3:  # amounts, rates, ratings: a change could only make them invalid
            return None
        return value, value + " bis"  # a real change of the entry, so no cache can skip the redraw
    if isinstance(widget, (w.Dropdown, w.ToggleButtons, w.RadioButtons, w.Select)):
        values = [o[1] if isinstance(o, tuple) else o for o in widget.options]
        others = [v for v in values if v != value]
        return (value, others[0]) if others else None
    if isinstance(widget, (w.Checkbox, w.ToggleButton)):
        return value, not value
    return None


def _probe(editor):
    """The first input whose change makes the editor refresh: (widget, values)."""
    import ipywidgets as w

    candidates = [x for x in _widgets(editor.body) if isinstance(x, w.ValueWidget) and _changes(x)]
    # sliders first (ratings, the budget's quick adjust), then text boxes, then choices
    order = (w.IntSlider, w.FloatSlider), (w.Text, w.Textarea), (w.Dropdown, w.ToggleButtons, w.RadioButtons, w.Select)
    candidates.sort(key=lambda x: next((i for i, kinds in enumerate(order) if isinstance(x, kinds)), len(order)))
    for widget in candidates:
        values = _changes(widget)
        before = editor.refreshes
        widget.value = values[1]
        valid = not editor.problems
        widget.value = values[0]
        if editor.refreshes >= before + 2 and valid and not editor.problems:
            return widget, values
    return None, None


def bench_editors(folder: Path, changes: int) -> list[dict]:
    from relkit.workshop.app import all_tabs, editor_class

    results = []
    for key, dotted in all_tabs().items():  # every tab: the editors and the sheets' generic tables
        row = {"key": key}
        results.append(row)
        try:
            cls = editor_class(dotted) if isinstance(dotted, str) else dotted
            started = time.perf_counter()
            editor = cls(folder)
            row["cold"] = time.perf_counter() - started
            warm = []
            for _ in range(2):
                started = time.perf_counter()
                editor = cls(folder)
                warm.append(time.perf_counter() - started)
            row["load"] = statistics.median(warm)
        except Exception as exc:  # noqa: BLE001 - reported in the table
            row["error"] = f"{type(exc).__name__}: {exc}"[:70]
            continue
        widget, values = _probe(editor)
        if widget is None:
            row["error"] = "no input found that refreshes the editor"
            continue
        row["widget"] = _classes(widget)
        times, inner, cpu = [], [], []
        for i in range(changes):
            started, cpu_started = time.perf_counter(), time.thread_time()
            widget.value = values[(i + 1) % 2]  # observers run here: check, summary, figure
            times.append(time.perf_counter() - started)
            cpu.append(time.thread_time() - cpu_started)  # this thread's CPU: what the load cannot inflate
            inner.append(editor.last_refresh_seconds)
        row["median"], row["max"], row["p95"] = statistics.median(times), max(times), p95(times)
        row["cpu_median"], row["cpu_p95"] = statistics.median(cpu), p95(cpu)
        row["refresh_median"] = statistics.median(inner)
    return results


def bench_first_paint(folder: Path) -> dict:
    from relkit.workshop.app import workshop_app

    out = {}
    for lazy in (True, False, True, False):  # the first of each warms imports up
        started = time.perf_counter()
        workshop_app(folder, lazy=lazy)
        out["lazy" if lazy else "eager"] = time.perf_counter() - started
    return out


def bench_browser(folder: Path, changes: int) -> dict:
    from playwright.sync_api import sync_playwright

    from relkit.io.labels import Labels
    from relkit.workshop.editors.budget import BudgetEditor
    from relkit.workshop.serve import running

    L = Labels("fr")
    norm = "e => e.textContent.replace(/\\s+/g, ' ').trim()"
    wait = ("([sel, want]) => { const e = document.querySelector(sel);"
            " return e && e.textContent.replace(/\\s+/g, ' ').trim() === want; }")
    out = {}
    started = time.perf_counter()
    with running(folder, timeout=180) as url, sync_playwright() as p:
        out["server_start"] = time.perf_counter() - started
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(120_000)
            started = time.perf_counter()
            page.goto(url)
            page.locator(".rk-editor").first.wait_for()
            out["page_first_editor"] = time.perf_counter() - started
            started = time.perf_counter()
            page.locator(".lm-TabBar-tab", has_text=L(BudgetEditor.title_key)).click()
            page.locator(".rk-editor-budget").wait_for()
            out["budget_tab"] = time.perf_counter() - started
            page.select_option(".rk-budget-action select", label="Vidéo de présentation")
            page.locator(".rk-budget-quarter button", has_text="T1").click()
            handle = page.locator(".rk-budget-slider .noUi-handle")
            handle.focus()
            amount, step, times, images = 850.0, 50.0, [], []
            sources = ("() => [...document.querySelectorAll('.rk-editor-budget img.rk-figure,"
                       " .rk-editor-budget img.rk-figure-categories')].map(e => e.src)")
            redrawn = ("([sel, want, before]) => { const e = document.querySelector(sel);"
                       " if (!e || e.textContent.replace(/\\s+/g, ' ').trim() !== want) return false;"
                       " const now = [...document.querySelectorAll('.rk-editor-budget img.rk-figure,"
                       " .rk-editor-budget img.rk-figure-categories')];"
                       " return now.length === before.length && now.every((img, i) => img.src !== before[i]"
                       " && img.complete && img.naturalWidth > 0); }")
            for i in range(changes):
                key, amount = ("ArrowRight", amount + step) if i % 2 == 0 else ("ArrowLeft", amount - step)
                want = " ".join(L.money(400 + amount).split())
                before = page.evaluate(sources)
                started = time.perf_counter()
                page.keyboard.press(key)
                page.wait_for_function(wait, arg=[".rk-total-T1", want], polling="raf")
                times.append(time.perf_counter() - started)
                # both charts show the new totals: each <img> has a new picture, loaded and decoded
                page.wait_for_function(redrawn, arg=[".rk-total-T1", want, before], polling="raf")
                images.append(time.perf_counter() - started)
            shown = page.locator(".rk-total-T1").evaluate(norm)
            assert shown == " ".join(L.money(400 + amount).split()), shown
            out["round_trip_median"], out["round_trip_max"] = statistics.median(times), max(times)
            out["round_trip_p95"] = p95(times)
            out["image_median"], out["image_max"], out["image_p95"] = (statistics.median(images), max(images),
                                                                       p95(images))
        finally:
            browser.close()
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--changes", type=int, default=20)
    ap.add_argument("--browser-changes", type=int, default=10)
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--browser", action="store_true", help="only the browser round trip")
    args = ap.parse_args(argv)
    ms = lambda s: f"{s * 1000:7.0f}"  # noqa: E731
    work = Path(tempfile.mkdtemp(prefix="relkit-bench-workshop-"))
    ok = True
    try:
        folder = work / "arnaud-zoe"
        shutil.copytree(DEMO, folder)
        rows = [] if args.browser else bench_editors(folder, args.changes)
        if rows:
            print(f"Workshop editors on the demo ({args.changes} changes each; PASS = p95 ≤ {BUDGET_MS} ms; "
                  f"load average {os.getloadavg()[0]:.1f})")
            print(f"{'editor':<12} {'load s':>7} {'cold s':>7}  {'changed widget':<34} {'median':>7} {'p95':>7} "
                  f"{'max':>7} {'cpu med':>7} {'cpu p95':>7}  verdict")
        for r in rows:
            if "error" in r:
                ok = False
                print(f"{r['key']:<12} {'':>7} {'':>7}  {r['error']:<50}  FAIL")
                continue
            verdict = "PASS" if r["p95"] * 1000 <= BUDGET_MS else "FAIL"
            ok &= verdict == "PASS"
            print(f"{r['key']:<12} {r['load']:7.2f} {r['cold']:7.2f}  {r['widget'][:34]:<34} {ms(r['median'])} "
                  f"{ms(r['p95'])} {ms(r['max'])} {ms(r['cpu_median'])} {ms(r['cpu_p95'])}  {verdict}")
        paint = None if args.browser else bench_first_paint(folder)
        if paint:
            print(f"\nApp first paint (in-process): lazy tabs {paint['lazy']:.2f} s, every editor at once "
                  f"{paint['eager']:.2f} s")
        if not args.no_browser:
            b = bench_browser(folder, args.browser_changes)
            print(f"\nBrowser (Voilà + Chromium; load average {os.getloadavg()[0]:.1f}): server up {b['server_start']:.1f} s, page to first editor "
                  f"{b['page_first_editor']:.1f} s, budget tab {b['budget_tab']:.2f} s")
            print(f"slider step -> new T1 total shown: median {ms(b['round_trip_median']).strip()} ms, "
                  f"p95 {ms(b['round_trip_p95']).strip()} ms, max {ms(b['round_trip_max']).strip()} ms "
                  f"over {args.browser_changes} changes")
            verdict = "PASS" if b["image_p95"] * 1000 <= BROWSER_MS else "FAIL"
            ok &= verdict == "PASS"
            print(f"slider step -> both new charts in the page: median {ms(b['image_median']).strip()} ms, "
                  f"p95 {ms(b['image_p95']).strip()} ms, max {ms(b['image_max']).strip()} ms  "
                  f"{verdict} (p95 ≤ {BROWSER_MS} ms)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
