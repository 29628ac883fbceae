"""The scipy maximum-likelihood CLV fits against pymc-marketing, the reference
they replace at run time (dev extra): same parameters and predictions on CDNOW,
and the runtime path never imports PyMC."""
import importlib.util
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from relkit.customers import clv

ROOT = Path(__file__).resolve().parents[2]


def _lifetimes_datasets() -> Path:
    """CDNOW files shipped in the lifetimes wheel, found without importing lifetimes."""
    spec = importlib.util.find_spec("lifetimes")
    if spec is None:
        pytest.skip("lifetimes (dev extra) not installed: it ships the CDNOW data files")
    return Path(spec.submodule_search_locations[0]) / "datasets"


def _pymc_clv():
    if importlib.util.find_spec("pymc_marketing") is None:
        pytest.skip("pymc-marketing (dev extra) not installed")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pymc_extras.prior import Prior
        from pymc_marketing import clv as pymc_clv
    return pymc_clv, Prior


def _pymc_fit(model_class: str, names, data: pd.DataFrame):
    """pymc-marketing's MAP with flat priors (= maximum likelihood), as relkit fitted before."""
    pymc_clv, Prior = _pymc_clv()
    model = getattr(pymc_clv, model_class)(model_config={n: Prior("HalfFlat") for n in names})
    model.fit(data=data.rename_axis("customer_id").reset_index(), method="map", progressbar=False)
    return model, {n: float(model.fit_result[n].values.item()) for n in names}


@pytest.fixture(scope="module")
def cdnow() -> pd.DataFrame:
    frame = pd.read_csv(_lifetimes_datasets() / "cdnow_customers_summary_with_transactions.csv")
    summary = frame.rename(columns={"x": "frequency", "t_x": "recency", "zbar": "monetary_value"})
    return summary.set_index(pd.Index(frame["ID"], name="customer_id"))[["frequency", "recency", "T", "monetary_value"]]


@pytest.fixture(scope="module")
def fits(cdnow):
    purchases = cdnow[["frequency", "recency", "T"]]
    repeat = cdnow[cdnow["frequency"] > 0][["frequency", "monetary_value"]]
    return {
        "bgnbd": (_pymc_fit("BetaGeoModel", clv.BGNBD_PARAMS, purchases), clv.fit_bgnbd(cdnow)),
        "mbgnbd": (_pymc_fit("ModifiedBetaGeoModel", clv.BGNBD_PARAMS, purchases), clv.fit_mbgnbd(cdnow)),
        "gg": (_pymc_fit("GammaGammaModel", clv.GAMMA_GAMMA_PARAMS, repeat), clv.fit_gamma_gamma(cdnow)),
    }


@pytest.mark.parametrize("which", ["bgnbd", "mbgnbd", "gg"])
def test_same_parameters_as_pymc_marketing(fits, which):
    (_, theirs), ours = fits[which]
    assert set(ours) == set(theirs)
    for name in theirs:
        assert ours[name] == pytest.approx(theirs[name], rel=1e-3), name


@pytest.mark.parametrize("which", ["bgnbd", "mbgnbd"])
def test_same_predictions_as_pymc_marketing(fits, cdnow, which):
    (model, theirs), _ = fits[which]
    (gg_model, gg_theirs), _ = fits["gg"]
    data = cdnow.rename_axis("customer_id").reset_index()
    ours = clv.predict(cdnow, theirs, gg_theirs, horizon_weeks=39, model=which)

    def per_customer(values):
        return values.mean(("chain", "draw")).to_series().reindex(cdnow.index).to_numpy()

    np.testing.assert_allclose(ours["expected_purchases"],
                               per_customer(model.expected_purchases(data=data, future_t=39)), rtol=1e-9)
    np.testing.assert_allclose(ours["p_alive"], per_customer(model.expected_probability_alive(data=data)), rtol=1e-9)
    np.testing.assert_allclose(ours["expected_spend"], per_customer(gg_model.expected_customer_spend(data=data)),
                               rtol=1e-9)


def test_workbook_clv_path_never_imports_pymc(tmp_path):
    """The demo's workbook 02 CLV code path in a fresh interpreter: no PyMC stack loaded."""
    code = f"""
import sys
from relkit.workbooks.session import Session
from relkit.workbooks.customers import CustomerFile
s = Session({str(ROOT / "data_samples" / "arnaud-zoe")!r}, "02_fichier_clients", lang=None, output_dir=None,
            working_dir=None)
cf = CustomerFile(s.engagement, s.customer_imports(), s.labels)
assert cf.not_measurable("clv") is None
cf.clv_table(); cf.clv_text(); cf.write_models({str(tmp_path)!r}, None)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("pymc", "pytensor", "pymc_extras", "pymc_marketing",
                                                               "arviz"))
print(loaded)
assert not loaded, loaded
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"
