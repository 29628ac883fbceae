"""Workbook 02 charts (relkit.views.charts.customers) in seaborn's shape: data
in, keyword-only labels, ``ax=None``, the Axes out; drawn on a given Axes they
keep to it, alone they get a page-wide figure of their own."""
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes

from relkit.customers import rfm
from relkit.customers.io.derived import orders
from relkit.customers.io.schema import DTYPES, STR
from relkit.io.labels import Labels
from relkit.views.charts import customers as charts
from relkit.views.charts.style import PAGE_WIDTH_IN

AS_OF = pd.Timestamp("2026-11-01")


@pytest.fixture(scope="module")
def scores() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    n = 400
    sales = pd.DataFrame({
        "customer_id": pd.array([f"c{i}" for i in rng.integers(0, 120, n)], dtype=STR),
        "date": (AS_OF - pd.to_timedelta(rng.integers(1, 900, n), unit="D")).astype(DTYPES["date"]),
        "amount": rng.gamma(2.0, 40.0, n).round(2),
        "order_id": pd.Series([None] * n, dtype=STR),
    })
    return rfm.rfm_table(orders(sales), AS_OF.date())


def _draw(name: str, scores: pd.DataFrame, labels: Labels, ax=None) -> Axes:
    common = {"labels": labels, "title": "Titre", "takeaway": "À retenir", "ax": ax}
    if name == "segment_shares":
        profile = rfm.profiles(scores)
        return charts.segment_shares(profile, names={s: s for s in profile.index}, **common)
    if name == "rfm_heatmap":
        return charts.rfm_heatmap(rfm.rf_heatmap(scores), **common)
    if name == "recency_distribution":
        return charts.recency_distribution(scores, dormant_days=365, **common)
    if name == "pareto":
        return charts.pareto(scores, **common)
    tidy = pd.DataFrame({"field": ["email", "email", "phone", "phone"], "measure": ["filled", "valid"] * 2,
                         "value": [0.9, 0.8, 0.5, 0.4]})
    return charts.completeness(tidy, **common)


NAMES = ("segment_shares", "rfm_heatmap", "recency_distribution", "pareto", "completeness")


@pytest.mark.parametrize("name", NAMES)
def test_chart_returns_its_axes_on_a_page_wide_figure(name, scores):
    ax = _draw(name, scores, Labels("fr"))
    try:
        assert isinstance(ax, Axes)
        assert ax.figure.get_figwidth() == PAGE_WIDTH_IN
        assert ax.figure.get_suptitle() == "Titre" and ax.get_title(loc="left") == "À retenir"
    finally:
        plt.close(ax.figure)


@pytest.mark.parametrize("name", NAMES)
def test_chart_draws_on_the_axes_it_is_given(name, scores):
    fig, given = plt.subplots(figsize=(5, 3))
    try:
        assert _draw(name, scores, Labels("en"), ax=given) is given
        assert plt.gcf() is fig and fig.get_figwidth() == 5
    finally:
        plt.close(fig)
