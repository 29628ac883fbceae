"""The budget and category charts moved to new numbers in place (the workshop's redraw)
give the same picture, pixel for pixel, as a chart built for those numbers; a change of
shape is refused and leaves the chart as it was."""
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from relkit.io.budget_cells import BudgetLine
from relkit.io.labels import Labels
from relkit.topics.budget import category_totals, quarter_totals
from relkit.views.charts.budget import budget_chart, category_chart, update_budget_chart, update_category_chart
from relkit.workshop.render import figure_png, live_drawing

L = Labels("fr")
FORECAST = {"T1": 40_000.0, "T2": 52_000.0, "T3": 38_000.0, "T4": 61_000.0}
ENVELOPES = {"T1": BudgetLine(money=2_000.0), "T2": BudgetLine(money=1_000.0, percent=0.02), "T3": None,
             "T4": BudgetLine(percent=0.05)}


def lines(rows) -> pd.DataFrame:
    """Budget lines (``budget_lines``' columns) from (category, quarter, money, percent)."""
    return pd.DataFrame([{"action": f"a{i}", "category": c, "objectives": (), "quarter": q, "money": m,
                          "percent": p, "hours": 0.0, "text": ""} for i, (c, q, m, p) in enumerate(rows)])


BEFORE = lines([("content", "T1", 850.0, 0.0), ("events", "T2", 3_000.0, 0.0), ("emailing_crm", "T2", 0.0, 0.01),
                ("print", "T3", 400.0, 0.0), ("content", "T4", 1_200.0, 0.0)])
# T1 goes from 850 € to 12 850 € (the money axis's ticks and their width change), content
# becomes the biggest category (the bars change order)
AFTER = lines([("content", "T1", 12_850.0, 0.0), ("events", "T2", 3_000.0, 0.0), ("emailing_crm", "T2", 0.0, 0.01),
               ("print", "T3", 400.0, 0.0), ("content", "T4", 1_200.0, 0.0)])


def png(ax) -> bytes:
    return figure_png(ax.figure, box="figure")


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@pytest.mark.parametrize("envelopes", [ENVELOPES, None])
def test_the_budget_chart_moved_in_place_is_the_chart_built_anew(envelopes):
    with live_drawing():
        ax = budget_chart(quarter_totals(BEFORE, FORECAST), labels=L, envelopes=envelopes)
        first = png(ax)
        assert update_budget_chart(ax, quarter_totals(AFTER, FORECAST), labels=L, envelopes=envelopes)
        moved = png(ax)
        built = png(budget_chart(quarter_totals(AFTER, FORECAST), labels=L, envelopes=envelopes))
        assert moved == built != first
        assert update_budget_chart(ax, quarter_totals(BEFORE, FORECAST), labels=L, envelopes=envelopes)
        assert png(ax) == first  # and back


def test_an_envelope_moved_by_the_forecast_is_moved_in_place():
    other = {**FORECAST, "T4": 90_000.0}  # 5 % of revenue: the T4 marker goes up
    with live_drawing():
        ax = budget_chart(quarter_totals(BEFORE, FORECAST), labels=L, envelopes=ENVELOPES)
        assert update_budget_chart(ax, quarter_totals(BEFORE, other), labels=L, envelopes=ENVELOPES)
        assert png(ax) == png(budget_chart(quarter_totals(BEFORE, other), labels=L, envelopes=ENVELOPES))


@pytest.mark.parametrize("envelopes", [{**ENVELOPES, "T3": BudgetLine(money=500.0)}, None])
def test_envelopes_added_or_dropped_need_a_new_chart(envelopes):
    with live_drawing():
        ax = budget_chart(quarter_totals(BEFORE, FORECAST), labels=L, envelopes=ENVELOPES)
        first = png(ax)
        assert not update_budget_chart(ax, quarter_totals(AFTER, FORECAST), labels=L, envelopes=envelopes)
        assert png(ax) == first


def test_the_category_chart_moved_in_place_is_the_chart_built_anew():
    before, after = category_totals(BEFORE, FORECAST), category_totals(AFTER, FORECAST)
    order = lambda frame: list(frame.sort_values("total", kind="stable")["category"])  # noqa: E731
    assert order(before) != order(after)  # the case where the bars change places
    with live_drawing():
        ax = category_chart(before, labels=L)
        first = png(ax)
        assert update_category_chart(ax, after, labels=L)
        assert png(ax) == png(category_chart(after, labels=L)) != first


def test_a_category_more_or_less_needs_a_new_chart():
    fewer = lines([("content", "T1", 850.0, 0.0), ("events", "T2", 3_000.0, 0.0)])
    with live_drawing():
        ax = category_chart(category_totals(BEFORE, FORECAST), labels=L)
        first = png(ax)
        assert not update_category_chart(ax, category_totals(fewer, FORECAST), labels=L)
        assert png(ax) == first


def test_the_quarters_must_be_the_same():
    english = Labels("en")
    with live_drawing():
        ax = budget_chart(quarter_totals(BEFORE, FORECAST), labels=L, envelopes=ENVELOPES)
        assert not update_budget_chart(ax, quarter_totals(BEFORE, FORECAST).iloc[:3], labels=L, envelopes=None)
        assert not update_budget_chart(ax, quarter_totals(BEFORE, FORECAST), labels=english, envelopes=ENVELOPES)


def test_a_change_that_moves_no_tick_keeps_the_layout_and_the_pixels(monkeypatch):
    """850 € → 900 € in T1: the axis keeps its ticks, so no new layout is measured; the
    picture is still the one a new chart gives."""
    from matplotlib.figure import Figure

    small = lines([("content", "T1", 900.0, 0.0), ("events", "T2", 3_000.0, 0.0), ("emailing_crm", "T2", 0.0, 0.01),
                   ("print", "T3", 400.0, 0.0), ("content", "T4", 1_200.0, 0.0)])
    with live_drawing():
        budget = budget_chart(quarter_totals(BEFORE, FORECAST), labels=L, envelopes=ENVELOPES)
        categories = category_chart(category_totals(BEFORE, FORECAST), labels=L)
        png(budget), png(categories)
        layouts = []
        real = Figure.tight_layout
        monkeypatch.setattr(Figure, "tight_layout", lambda fig, *a, **k: layouts.append(fig) or real(fig, *a, **k))
        assert update_budget_chart(budget, quarter_totals(small, FORECAST), labels=L, envelopes=ENVELOPES)
        assert update_category_chart(categories, category_totals(small, FORECAST), labels=L)
        assert layouts == []
        monkeypatch.undo()
        assert png(budget) == png(budget_chart(quarter_totals(small, FORECAST), labels=L, envelopes=ENVELOPES))
        assert png(categories) == png(category_chart(category_totals(small, FORECAST), labels=L))
