"""Charts as PNG for the report: RGB when every pixel is opaque (no soft mask in the PDF)."""
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
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
