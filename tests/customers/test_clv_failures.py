"""Histories the CLV models cannot describe: a clear FitError, then one
sentence in the report, never a traceback; the demo's Gamma-Gamma ridge stated
in the audit record."""
import numpy as np
import pandas as pd
import pytest

from conftest import DEMO
from relkit.customers import clv
from relkit.intake.load import load
from relkit.io.labels import Labels
from relkit.workbooks.customers import CustomerFile


def _summary(frequency, recency, T, monetary_value) -> pd.DataFrame:
    s = pd.DataFrame({"frequency": frequency, "recency": recency, "T": T, "monetary_value": monetary_value},
                     dtype=float)
    s.attrs["time_unit"] = "W"
    return s


def test_identical_histories_are_a_fit_error():
    # 40 customers with the very same three repeat purchases: no heterogeneity to estimate. Depending on
    # the floating point of the machine, L-BFGS-B stops in the rounding on the way to r -> infinity or
    # reaches the bound, where the limit model has no finite prediction: a FitError either way
    same = _summary([3] * 40 + [0] * 20, [30] * 40 + [0] * 20, [40] * 60, [25] * 40 + [0] * 20)
    with pytest.raises(clv.FitError, match="MBG/NBD: no maximum found|no finite prediction"):
        clv.predict(same, clv.fit_mbgnbd(same), clv.fit_gamma_gamma(same), 52, "mbgnbd")


def test_identical_spends_predict_that_spend():
    # every repeat purchase 25 EUR: p and q run to infinity, the predicted spend is 25 EUR for everyone
    same = _summary([3] * 40 + [0] * 20, [30] * 40 + [0] * 20, [40] * 60, [25] * 40 + [0] * 20)
    gg = clv.fit_gamma_gamma(same)
    assert clv.at_bounds(gg) == ["p", "q"]
    np.testing.assert_allclose(clv.expected_spend(gg, same), 25.0, rtol=1e-6)


def test_clockwork_buyers_give_no_prediction_but_a_fit_error():
    # everybody buys every 10 weeks exactly: a Poisson limit where hyp2f1 gives no finite value
    T = np.arange(30, 130, 1.0)
    x = np.floor(T / 10)
    regular = _summary(x, x * 10, T, np.where(x > 0, 30.0 + np.arange(100) % 7, 0))
    with pytest.raises(clv.FitError, match="no finite prediction"):
        clv.predict(regular, clv.fit_mbgnbd(regular), clv.fit_gamma_gamma(regular), 52, "mbgnbd")


@pytest.fixture(scope="module")
def demo():
    data = load(DEMO)
    return data


def test_a_failed_fit_is_one_sentence_in_the_report(demo, monkeypatch):
    cf = CustomerFile(demo.engagement, demo.imports, Labels("fr"))

    def fail(summary):
        raise clv.FitError("MBG/NBD: no maximum found (ABNORMAL: )")

    monkeypatch.setattr(clv, "fit_mbgnbd", fail)
    sentence = ("Prédiction non fiable sur cet historique : les achats des 1 149 clients qui ont racheté sont trop "
                "réguliers ou trop semblables pour estimer le rythme d'achat, les départs et les montants de chacun.")
    assert cf.not_measurable("clv").replace("\u202f", " ") == sentence
    assert [t.replace("\u202f", " ") for t in cf.clv_text()] == [sentence]
    assert cf.clv["failure"] == "MBG/NBD: no maximum found (ABNORMAL: )"
    assert cf.write_models(None, None) == [] and "clv_12m_total" not in cf.figures()


def test_the_demo_spend_ridge_is_recorded(demo):
    cf = CustomerFile(demo.engagement, demo.imports, Labels("en"))
    spend = cf.clv["models"]["spend"]
    assert spend["model"].startswith("Gamma-Gamma (maximum likelihood: scipy L-BFGS-B")
    assert spend["on_bounds"] == ["q"] and spend["parameters"]["q"] == pytest.approx(1e8)
    assert "only p and v/q are identified" in spend["note"]
    assert "on_bounds" not in cf.clv["models"]["purchases"]
    # on the ridge every customer's expected spend is the limit's population mean, total repeat spend / repeat purchases
    summary = cf.clv["summary"]
    repeat = summary[summary["frequency"] > 0]
    limit = (repeat["frequency"] * repeat["monetary_value"]).sum() / repeat["frequency"].sum()
    np.testing.assert_allclose(cf.clv["prediction"]["expected_spend"], limit, rtol=1e-6)  # weights p·x/q ~ 1e-7
