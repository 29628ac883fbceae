"""The workshop's live PNGs: drawn once, with cached text, the same pixels as matplotlib's own."""
from __future__ import annotations

import io
import os

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from relkit.workshop import render  # noqa: E402


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def chart():
    fig, ax = plt.subplots(figsize=(4, 2.5))
    ax.bar(["T1", "T2", "T3", "T4"], [850, 1200, 400, 90])
    ax.set_title("Budget par trimestre — 2 540 €", fontweight="bold")
    ax.text(0.5, 600, "Vidéo de présentation", rotation=90, fontsize=7)
    ax.text(2, 1100, "Évènement « portes ouvertes »", ha="center", style="italic")
    ax.text(3, 300, "Deux lignes\nde texte", fontsize=7, linespacing=1.25)  # line height from the font's tables
    fig.tight_layout()
    return fig


def test_the_cached_text_paints_the_same_pixels_as_matplotlib():
    assert render.FAST_TEXT  # matplotlib 3.11's text path: the caches are in use
    render.clear_caches()
    expected = pixels(render.default_savefig(chart()))
    first = render.figure_png(chart(), box="figure")  # fills the caches
    again = render.figure_png(chart(), box="figure")  # every label and glyph from the caches
    assert len(render._glyphs) > 50 and len(render._layouts) >= 8 and len(render._heights) >= 3
    assert np.array_equal(pixels(first), expected)
    assert np.array_equal(pixels(again), expected)


def test_a_figure_is_drawn_once():
    fig = chart()
    draws = []
    fig.canvas.mpl_connect("draw_event", lambda event: draws.append(event))
    render.figure_png(fig)  # tight box, from the same draw
    assert len(draws) == 1
    assert plt.fignum_exists(fig.number) is False  # closed: no backend shows it again


def test_the_tight_box_is_savefigs():
    expected = pixels(render.default_savefig(chart(), bbox_inches="tight"))
    got = pixels(render.figure_png(chart()))
    assert abs(got.shape[0] - expected.shape[0]) <= 1 and abs(got.shape[1] - expected.shape[1]) <= 1


def test_a_label_outside_the_figure_is_kept():
    def outside():
        fig = chart()
        fig.text(1.05, 0.5, "Hors cadre")  # right of the figure: savefig's tight box grows to show it
        return fig

    expected = pixels(render.default_savefig(outside(), bbox_inches="tight"))
    assert pixels(render.figure_png(outside())).shape == expected.shape


@pytest.mark.parametrize("pad", [0.1, 0.25])
def test_the_padded_box_adds_white_around_the_figure(pad):
    fig = chart()
    width, height = fig.get_size_inches()
    got = pixels(render.figure_png(fig, box="padded", pad=pad))
    want = ((height + 2 * pad) * render.LIVE_DPI, (width + 2 * pad) * render.LIVE_DPI)
    assert abs(got.shape[0] - want[0]) <= 1 and abs(got.shape[1] - want[1]) <= 1  # whole pixels
    margin = int(pad * render.LIVE_DPI)
    assert (got[:margin] == 255).all() and (got[:, -margin:] == 255).all()


def test_settle_keeps_the_living_objects_out_of_full_collections():
    import gc

    render.settle(full=True)
    kept = gc.get_freeze_count()
    assert kept > 10_000  # modules, matplotlib, pandas: no longer walked by a full collection mid-redraw
    garbage = []
    garbage.append(garbage)  # a cycle, kept by the freeze while alive ...
    del garbage
    render.settle(full=True)  # ... and collected by the next full settle (unfrozen first), not leaked
    assert gc.get_freeze_count() <= kept + 1_000
    gc.unfreeze()
