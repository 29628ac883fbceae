"""Workbook 02 customer value: the seed's VMC (exact) and the CLV models on CDNOW."""
import importlib.util
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from relkit.customers import clv
from relkit.customers.value import VMCInputs, vmc, vmc_inputs_from_orders


def _lifetimes_datasets() -> Path:
    """CDNOW files shipped in the lifetimes wheel, found without importing lifetimes."""
    spec = importlib.util.find_spec("lifetimes")
    if spec is None:
        pytest.skip("lifetimes (dev extra) not installed: it ships the CDNOW data files")
    return Path(spec.submodule_search_locations[0]) / "datasets"


# --- VMC ---------------------------------------------------------------------------------


def test_vmc_dentist_example_is_exact():
    result = vmc(VMCInputs(
        period_years=3, purchases_per_year=2, retention=0.75, average_transaction=400,
        cost_to_reach=3, conversion_rate=0.03, margin=0.40,
    ))
    assert result.gross == 1400.0
    assert result.acquisition_cost == 100.0
    assert result.net == 1300.0
    assert result.profit_per_transaction == 160.0


def test_vmc_rejects_zero_conversion():
    with pytest.raises(ValueError):
        VMCInputs(3, 2, 0.75, 400, 3, 0)


@pytest.fixture
def orders() -> pd.DataFrame:
    """Year N = 2024 (to 31/12/2024), year N−1 = 2023; one refund, one order after as_of."""
    rows = [
        ("c1", "2023-03-01", 100.0, False), ("c1", "2023-09-01", 200.0, False), ("c1", "2024-05-01", 300.0, False),
        ("c2", "2023-06-01", 100.0, False), ("c2", "2023-06-10", -100.0, True),
        ("c3", "2024-02-01", 50.0, False), ("c3", "2024-08-01", 150.0, False),
        ("c4", "2023-01-15", 80.0, False), ("c4", "2024-01-15", 120.0, False),
        ("c5", "2024-07-01", 40.0, False), ("c5", "2025-01-10", 999.0, False),
    ]
    frame = pd.DataFrame(rows, columns=["customer_id", "date", "amount", "refund"])
    return frame.assign(date=pd.to_datetime(frame["date"]))


def test_vmc_per_segment_from_orders(orders):
    segment = pd.Series({"c1": "A", "c2": "A", "c3": "A", "c4": "B", "c5": "B"})
    table = vmc_inputs_from_orders(orders, "2024-12-31", period_years=3, cost_to_reach=3,
                                   conversion_rate=0.03, segment=segment)
    # A: 6 orders over 4 active customer-years (c1 ×2, c2, c3); of {c1, c2} in 2023 only c1
    # ordered in 2024; mean order (100+200+300+100+50+150)/6 = 150.
    # gross = 1.5 × 150 + 150 × (0.5 × 2) = 375
    # B: 3 orders over 3 customer-years; c4 retained; mean (80+120+40)/3 = 80.
    # gross = 1 × 80 + 80 × (1 × 2) = 240
    expected = pd.DataFrame(
        {
            "customers": [3, 2],
            "purchases_per_year": [1.5, 1.0],
            "retention": [0.5, 1.0],
            "average_transaction": [150.0, 80.0],
            "gross": [375.0, 240.0],
            "acquisition_cost": [100.0, 100.0],
            "net": [275.0, 140.0],
        },
        index=pd.Index(["A", "B"], name="segment"),
    )
    pd.testing.assert_frame_equal(table, expected)


def test_vmc_without_segment_is_one_row(orders):
    table = vmc_inputs_from_orders(orders, "2024-12-31", 3, 3, 0.03)
    assert list(table.index) == ["all"]
    assert table.loc["all", "retention"] == pytest.approx(2 / 3)  # c1, c4 of c1, c2, c4


def test_vmc_leaves_out_unlabelled_customers_and_empty_segments(orders):
    """c2 and c5 have no segment; segment C has nobody who bought."""
    segment = pd.Series({"c1": "A", "c3": "A", "c4": "B", "zz": "C"})
    table = vmc_inputs_from_orders(orders, "2024-12-31", 3, 3, 0.03, segment=segment)
    assert list(table.index) == ["A", "B"]
    # A: c1 (3 orders, 2023 and 2024) and c3 (2 orders, 2024): 5 orders over 3 customer-years,
    # c1 ordered in 2023 and again in 2024; mean (100+200+300+50+150)/5 = 160
    assert table.loc["A", ["customers", "purchases_per_year", "retention", "average_transaction"]].tolist() == [
        2, 5 / 3, 1.0, 160.0]
    assert table.loc["B", ["customers", "purchases_per_year", "retention", "average_transaction"]].tolist() == [
        1, 1.0, 1.0, 100.0]


def test_vmc_before_any_purchase_is_an_empty_table(orders):
    table = vmc_inputs_from_orders(orders, "2022-12-31", 3, 3, 0.03)
    assert table.empty and list(table.columns) == [
        "customers", "purchases_per_year", "retention", "average_transaction", "gross", "acquisition_cost", "net"]


# --- RFM summary ---------------------------------------------------------------------


@pytest.fixture
def small_orders() -> pd.DataFrame:
    rows = [
        ("a", "2024-01-01 10:00", 10.0, False), ("a", "2024-01-01 15:00", 5.0, False),
        ("a", "2024-02-10 09:00", 20.0, False), ("a", "2024-02-11 09:00", 8.0, True),
        ("b", "2024-03-01 12:00", 7.0, False),
        ("c", "2024-01-05 08:00", 3.0, False), ("c", "2024-06-30 18:00", 9.0, False),
        ("c", "2024-03-03 08:00", 4.0, False), ("c", "2024-07-02 08:00", 99.0, False),
    ]
    frame = pd.DataFrame(rows, columns=["customer_id", "date", "amount", "refund"])
    return frame.assign(date=pd.to_datetime(frame["date"]))


def test_rfm_summary_hand_computed(small_orders):
    summary = clv.rfm_summary(small_orders, as_of="2024-06-30", time_unit="D")
    expected = pd.DataFrame(
        {
            "frequency": [1.0, 0.0, 2.0],  # a: two same-day orders are one purchase day
            "recency": [40.0, 0.0, 177.0],
            "T": [181.0, 121.0, 177.0],
            "monetary_value": [20.0, 0.0, 6.5],  # c: mean of 4 and 9; the refund and 99 (after as_of) out
        },
        index=pd.Index(["a", "b", "c"], name="customer_id"),
    )
    pd.testing.assert_frame_equal(summary, expected)
    assert clv.rfm_summary(small_orders, "2024-06-30")["T"].tolist() == pytest.approx([181 / 7, 121 / 7, 177 / 7])


def test_rfm_summary_matches_lifetimes(small_orders):
    _lifetimes_datasets()
    with warnings.catch_warnings():  # lifetimes sets a pandas option deprecated in pandas 3
        warnings.simplefilter("ignore")
        from lifetimes.utils import summary_data_from_transaction_data

    purchases = small_orders[~small_orders["refund"]]
    theirs = summary_data_from_transaction_data(
        purchases, "customer_id", "date", "amount", observation_period_end="2024-06-30", freq="D", freq_multiplier=7,
    )
    ours = clv.rfm_summary(small_orders, as_of="2024-06-30")
    pd.testing.assert_frame_equal(ours, theirs.sort_index()[ours.columns], check_names=False)


# --- CLV models on CDNOW (Fader, Hardie & Lee 2005) --------------------------------------


@pytest.fixture(scope="module")
def cdnow() -> pd.DataFrame:
    """The 2 357 CDNOW customers, in weeks, with their mean repeat spend."""
    frame = pd.read_csv(_lifetimes_datasets() / "cdnow_customers_summary_with_transactions.csv")
    summary = frame.rename(columns={"x": "frequency", "t_x": "recency", "zbar": "monetary_value"})
    return summary.set_index(pd.Index(frame["ID"], name="customer_id"))[["frequency", "recency", "T", "monetary_value"]]


@pytest.fixture(scope="module")
def bg():
    bg_only = pd.read_csv(_lifetimes_datasets() / "cdnow_customers_summary.csv").set_index("ID")
    assert len(bg_only) == 2357
    return clv.fit_bgnbd(bg_only)


@pytest.fixture(scope="module")
def gg(cdnow):
    repeat = cdnow[cdnow["frequency"] > 0]
    assert len(repeat) == 946
    return clv.fit_gamma_gamma(repeat)


def test_bgnbd_reproduces_fader_hardie_lee(bg):
    published = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    for name, value in published.items():
        assert bg[name] == pytest.approx(value, abs=1e-3), name


def test_gamma_gamma_reproduces_fader_hardie(gg):
    published = {"p": 6.25, "q": 3.74, "v": 15.44}
    for name, value in published.items():
        assert gg[name] == pytest.approx(value, abs=1e-2), name


def test_predict_and_segments(cdnow, bg, gg):
    pred = clv.predict(cdnow, bg, gg, horizon_weeks=39)
    # Fader, Hardie & Lee (2005): customer 1 (x=2, t_x=30.43, T=38.86) buys 1.226 times in 39 weeks.
    assert pred.loc[1, "expected_purchases"] == pytest.approx(1.226, abs=1e-3)
    assert (pred.loc[cdnow["frequency"] == 0, "p_alive"] == 1).all()
    assert pred["p_alive"].between(0, 1).all()
    # Gamma-Gamma: without repeat purchase, the population mean spend p·v/(q−1).
    population_mean = gg["p"] * gg["v"] / (gg["q"] - 1)
    assert pred.loc[cdnow["frequency"] == 0, "expected_spend"].to_numpy() == pytest.approx(population_mean)
    np.testing.assert_allclose(pred["clv"], pred["expected_spend"] * pred["expected_purchases"])

    segment = pd.Series(np.where(cdnow["frequency"] > 0, "repeat", "one-off"), index=cdnow.index)
    table = clv.by_segment(pred, segment)
    assert table["customers"].to_dict() == {"one-off": 1411, "repeat": 946}
    assert table["total_clv"].sum() == pytest.approx(pred["clv"].sum())
    assert table.loc["one-off", "mean_p_alive"] == 1
    assert table.loc["repeat", "mean_p_alive"] < 1


# --- MBG/NBD and the audit trail ---------------------------------------------------------


@pytest.fixture(scope="module")
def cdnow_bg_only() -> pd.DataFrame:
    return pd.read_csv(_lifetimes_datasets() / "cdnow_customers_summary.csv").set_index("ID")


@pytest.fixture(scope="module")
def mbg(cdnow_bg_only):
    return clv.fit_mbgnbd(cdnow_bg_only)


def test_bgnbd_log_likelihood_is_the_published_one(cdnow_bg_only):
    # Fader, Hardie & Lee (2005), CDNOW: LL = -9582.4 at r 0.243, alpha 4.414, a 0.793, b 2.426.
    published = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    assert clv.bgnbd_log_likelihood(published, cdnow_bg_only) == pytest.approx(-9582.4, abs=0.05)


def test_mbgnbd_matches_lifetimes_on_cdnow(mbg, cdnow_bg_only):
    # lifetimes' ModifiedBetaGeoFitter (scipy maximum likelihood) on the same 2 357 customers:
    # r 0.5248, alpha 6.1830, a 0.8914, b 1.6140, LL -9582.13.
    reference = {"r": 0.524838, "alpha": 6.182988, "a": 0.891356, "b": 1.614000}
    for name, value in reference.items():
        assert mbg[name] == pytest.approx(value, abs=1e-3), name
    assert clv.bgnbd_log_likelihood(mbg, cdnow_bg_only, modified=True) == pytest.approx(-9582.13, abs=0.01)


def test_mbgnbd_log_likelihood_matches_lifetimes(cdnow_bg_only):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from lifetimes import ModifiedBetaGeoFitter

    params = {"r": 0.5, "alpha": 6.0, "a": 0.9, "b": 1.6}
    f, r, t = (cdnow_bg_only[c].to_numpy() for c in ("frequency", "recency", "T"))
    theirs = -ModifiedBetaGeoFitter._negative_log_likelihood(np.log(list(params.values())), f, r, t, np.ones(len(f)), 0)
    assert clv.bgnbd_log_likelihood(params, cdnow_bg_only, modified=True) == pytest.approx(theirs * len(f), rel=1e-12)


def test_gamma_gamma_log_likelihood(cdnow):
    # Fader & Hardie's note on the Gamma-Gamma model: LL -4055.9 at p 6.25, q 3.74, gamma 15.44.
    repeat = cdnow[cdnow["frequency"] > 0]
    assert clv.gamma_gamma_log_likelihood({"p": 6.25, "q": 3.74, "v": 15.44}, repeat) == pytest.approx(-4055.9, abs=0.05)


def test_mbgnbd_one_time_buyers_are_not_all_active(mbg, cdnow, gg):
    pred = clv.predict(cdnow, mbg, gg, horizon_weeks=39, model="mbgnbd")
    one_time = cdnow["frequency"] == 0
    assert pred["p_alive"].between(0, 1).all()
    assert (pred.loc[one_time, "p_alive"] < 1).all()
    # Closed form (Batislam et al. 2007): 1 / (1 + a/b * ((alpha + T) / alpha)^r) at x = 0.
    np.testing.assert_allclose(pred["p_alive"], clv.mbgnbd_p_alive(mbg, cdnow), rtol=1e-6)
    # Older one-time buyers are less likely to be active.
    young, old = cdnow[one_time]["T"].idxmin(), cdnow[one_time]["T"].idxmax()
    assert pred.loc[old, "p_alive"] < pred.loc[young, "p_alive"]


def test_predict_refuses_an_unknown_model(cdnow, bg, gg):
    with pytest.raises(ValueError, match="mbgnbd"):
        clv.predict(cdnow.head(5), bg, gg, model="ParetoNBDModel")


def test_mbgnbd_predictions_match_lifetimes(mbg, cdnow, gg):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from lifetimes import ModifiedBetaGeoFitter

    theirs = ModifiedBetaGeoFitter()
    theirs.params_ = pd.Series(mbg)
    ours = clv.predict(cdnow, mbg, gg, horizon_weeks=39, model="mbgnbd")
    expected = theirs.conditional_expected_number_of_purchases_up_to_time(
        39, cdnow["frequency"], cdnow["recency"], cdnow["T"])
    np.testing.assert_allclose(ours["expected_purchases"], np.asarray(expected), rtol=1e-6)
    alive = theirs.conditional_probability_alive(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    np.testing.assert_allclose(ours["p_alive"], np.asarray(alive), rtol=1e-6)
