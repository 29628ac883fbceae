"""Charts as PNG for the report: RGB when every pixel is opaque (no soft mask in the PDF)."""
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from relkit.views.charts.style import opaque_rgb, to_png  # noqa: E402


def _image(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png))


def test_a_chart_drawn_once_is_rgb():
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.bar(["a", "b"], [1, 2])
    assert _image(to_png(fig)).mode == "RGB"


def test_a_chart_laid_out_by_matplotlib_is_rgb_too():
    fig, ax = plt.subplots(figsize=(3, 2), layout="constrained")  # savefig's tight box path
    ax.plot([0, 1], [1, 0])
    image = _image(to_png(fig))
    assert image.mode == "RGB"
    assert np.asarray(image).min() < 128  # the line is there


def test_transparent_pixels_keep_their_alpha():
    opaque = np.full((2, 2, 4), 255, dtype=np.uint8)
    assert opaque_rgb(opaque).shape == (2, 2, 3)
    seen_through = opaque.copy()
    seen_through[0, 0, 3] = 0
    assert opaque_rgb(seen_through) is seen_through


@pytest.mark.parametrize("kind", ["constrained", "full_canvas", "tight_layout"])
def test_one_draw_gives_savefigs_picture(kind, monkeypatch):
    """Laid out by constrained layout, by tight_layout, or drawn edge to edge (padding beyond the
    figure): one draw, no savefig, and the size and picture savefig's tight box gives (within
    half a pixel of where savefig puts the crop)."""
    from matplotlib.figure import Figure

    def chart():
        if kind == "constrained":
            fig, ax = plt.subplots(figsize=(4, 3), layout="constrained")
            ax.bar(["a", "b"], [1, 2])
            fig.suptitle("Titre")
        elif kind == "full_canvas":
            fig = plt.figure(figsize=(4, 3))
            ax = fig.add_axes((0, 0, 1, 1))
            ax.add_patch(plt.Rectangle((0.2, 0.2), 0.5, 0.5, color="#1565C0"))
            ax.axis("off")
        else:
            fig, ax = plt.subplots(figsize=(4, 3))
            ax.plot([0, 1], [1, 0])
            ax.set_title("Titre")
            fig.tight_layout()
        return fig

    buf = io.BytesIO()
    chart().savefig(buf, format="png", dpi=200, bbox_inches="tight", facecolor="white")
    reference = np.asarray(_image(buf.getvalue()).convert("RGB")).astype(int)
    saved = []
    monkeypatch.setattr(Figure, "savefig", lambda *a, **k: saved.append(a))
    mine = np.asarray(_image(to_png(chart()))).astype(int)
    assert saved == []
    assert mine.shape == reference.shape

    def off(dx, dy):
        return np.abs(np.roll(mine, (dy, dx), axis=(0, 1)) - reference)[2:-2, 2:-2].mean()

    # the same picture within a pixel of where savefig places it (Agg snaps bars to whole pixels, so
    # savefig's fractional crop may move one by a pixel); two pixels off would show
    assert off(0, 0) < 2.5
    assert all(off(0, 0) < off(dx, dy) for dx, dy in ((2, 0), (-2, 0), (0, 2), (0, -2)))


def test_something_drawn_outside_the_figure_goes_through_savefig(monkeypatch):
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.bar(["a", "b"], [1, 2])
    ax.text(-1.5, 1, "outside the figure on the left")
    png = to_png(fig)
    assert _image(png).size[0] > 3 * 200  # savefig's box takes the text in
