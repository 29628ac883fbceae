"""Workbook 02 — predictive customer value with pymc-marketing's CLV models.

MBG/NBD (Batislam, Denizel & Filiztekin 2007) predicts how many purchases
each customer will make and how likely they are to still be a customer;
Gamma-Gamma (Fader & Hardie 2013) predicts how much they spend a purchase.
Both are fitted by maximum likelihood: ``fit(method="map")`` with flat
(``HalfFlat``) priors, so the estimates are the published ones and no
sampling is needed.

Why MBG/NBD and not BG/NBD (Fader, Hardie & Lee 2005) for the report: in
BG/NBD a customer can only drop out just after a purchase, so every one-time
buyer has P(active) = 1 whatever their age — a "lost" segment shown as 100 %
active. MBG/NBD also allows a drop-out at time 0, so a one-time buyer's
P(active) = 1 / (1 + a/b · ((α+T)/α)^r) < 1 and falls with age. BG/NBD is
kept (``fit_bgnbd``) because its CDNOW estimates are the published reference
the tests check.

Every fit returns its parameters and the maximum log-likelihood, computed
from the closed forms (``*_log_likelihood``), so a run can be audited.

Twelve-month CLV (``predict``)::

    clv = expected_spend × expected_purchases

expected_spend is Gamma-Gamma's conditional mean spend a purchase (the
population mean for customers without a repeat purchase); expected_purchases
is BG/NBD's conditional expectation over ``horizon_weeks``. It is turnover,
undiscounted: pymc-marketing's ``customer_lifetime_value`` with
``discount_rate=0`` computes the same product (over months of 4.345 weeks).

Compile cache. PyMC compiles C code through PyTensor on first use (~20 s
cold, ~1 s once cached). PyTensor fixes its cache folder when it is first
imported, so before importing pymc-marketing this module points it at
``$XDG_CACHE_HOME/relkit/pytensor`` (``~/.cache/relkit/pytensor``) by adding
``base_compiledir=…`` to ``PYTENSOR_FLAGS``. A ``compiledir`` or
``base_compiledir`` already in ``PYTENSOR_FLAGS`` is respected, and nothing
is changed once PyTensor has been imported. To choose another folder, export
``PYTENSOR_FLAGS=base_compiledir=/path`` before starting Python or Jupyter.

pymc-marketing takes seconds to import, so it is imported inside the
functions that need it: importing this module is cheap.
"""
from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from scipy.special import gammaln

from relkit.customers import rfm

BGNBD_PARAMS = ("r", "alpha", "a", "b")
GAMMA_GAMMA_PARAMS = ("p", "q", "v")
UNIT_DAYS = {"D": 1, "W": 7}
"""Units ``rfm_summary`` can express recency and T in, as a number of days."""


def pytensor_cache_dir() -> Path:
    """Where relkit keeps PyTensor's compiled code between runs."""
    cache_home = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache_home) / "relkit" / "pytensor"


def configure_pytensor_cache() -> None:
    """Make PyTensor reuse compiled code across runs (call before importing it)."""
    flags = os.environ.get("PYTENSOR_FLAGS", "")
    if "pytensor" in sys.modules or "compiledir" in flags:
        return
    path = pytensor_cache_dir()
    path.mkdir(parents=True, exist_ok=True)
    os.environ["PYTENSOR_FLAGS"] = ",".join(f for f in (flags, f"base_compiledir={path}") if f)


def _clv_models():
    """pymc-marketing's CLV module and Prior, imported on first use with the cache set."""
    configure_pytensor_cache()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"\s*ArviZ is undergoing a major refactor", category=FutureWarning)
        from pymc_extras.prior import Prior
        from pymc_marketing import clv

    return clv, Prior


# --- RFM summary ------------------------------------------------------------------------


def rfm_summary(orders: pd.DataFrame, as_of, time_unit: str = "W") -> pd.DataFrame:
    """Per customer frequency, recency, T and monetary_value, as the models expect.

    Same convention as lifetimes' ``summary_data_from_transaction_data`` with
    ``freq="D"`` (and ``freq_multiplier=7`` for weeks), the one of the CDNOW
    studies: purchases are counted per calendar day (same-day orders add up),
    and ages are in ``time_unit`` ("W" weeks or "D" days), fractional.

    * frequency — repeat purchase days: distinct purchase days − 1
    * recency — age of the customer at their last purchase (0 without repeat)
    * T — age of the customer at ``as_of``
    * monetary_value — mean spend of the repeat purchase days (0 without repeat)

    Only purchases count (``relkit.customers.rfm.purchases``: orders with a
    positive net amount, so refunds and 0 € orders are left out, as in RFM,
    the VMC and the targets), and orders after ``as_of`` are left out. The
    result is indexed by customer_id; ``attrs["time_unit"]`` records the unit.
    """
    if time_unit not in UNIT_DAYS:
        raise ValueError(f"time_unit must be one of {sorted(UNIT_DAYS)}, not {time_unit!r}")
    unit = pd.Timedelta(days=UNIT_DAYS[time_unit])
    as_of = pd.Timestamp(as_of).normalize()
    kept = rfm.purchases(orders)[["customer_id", "date", "amount"]].assign(
        date=lambda d: pd.to_datetime(d["date"]).dt.normalize()
    )
    kept = kept[kept["date"] <= as_of]
    days = kept.groupby(["customer_id", "date"], as_index=False)["amount"].sum()
    days = days.sort_values(["customer_id", "date"])
    first = days.groupby("customer_id")["date"].transform("min")
    repeat_spend = days.loc[days["date"] > first].groupby("customer_id")["amount"].mean()

    per_customer = days.groupby("customer_id")["date"].agg(["min", "max", "count"])
    summary = pd.DataFrame({
        "frequency": per_customer["count"] - 1,
        "recency": (per_customer["max"] - per_customer["min"]) / unit,
        "T": (as_of - per_customer["min"]) / unit,
        "monetary_value": repeat_spend.reindex(per_customer.index, fill_value=0.0),
    }).astype(float)
    summary.attrs["time_unit"] = time_unit
    return summary


def _model_data(summary: pd.DataFrame) -> pd.DataFrame:
    """The summary with customer_id as a column, as pymc-marketing wants it."""
    return summary.rename_axis("customer_id").reset_index()


# --- fitting ----------------------------------------------------------------------------


def _flat_model(model_class: str, names):
    """A pymc-marketing CLV model with a flat prior on each parameter: MAP = maximum likelihood."""
    clv, Prior = _clv_models()
    return getattr(clv, model_class)(model_config={name: Prior("HalfFlat") for name in names})


def _fit_map(model_class: str, names, data: pd.DataFrame) -> dict[str, float]:
    model = _flat_model(model_class, names)
    model.fit(data=data, method="map", progressbar=False)
    return {name: float(model.fit_result[name].values.item()) for name in names}


def fit_bgnbd(summary: pd.DataFrame) -> dict[str, float]:
    """BG/NBD maximum-likelihood parameters r, alpha, a, b (alpha in the summary's time unit)."""
    return _fit_map("BetaGeoModel", BGNBD_PARAMS, _model_data(summary[["frequency", "recency", "T"]]))


def fit_mbgnbd(summary: pd.DataFrame) -> dict[str, float]:
    """MBG/NBD maximum-likelihood parameters r, alpha, a, b (alpha in the summary's time unit)."""
    return _fit_map("ModifiedBetaGeoModel", BGNBD_PARAMS, _model_data(summary[["frequency", "recency", "T"]]))


# --- log-likelihoods (closed forms, for the audit trail) -------------------------------


def bgnbd_log_likelihood(params: dict[str, float], summary: pd.DataFrame, modified: bool = False) -> float:
    """Total log-likelihood of BG/NBD (Fader, Hardie & Lee 2005, eq. 6) or, with
    ``modified``, MBG/NBD (Batislam et al. 2007) at ``params``."""
    r, alpha, a, b = (params[k] for k in BGNBD_PARAMS)
    x, t_x, T = (summary[c].to_numpy(float) for c in ("frequency", "recency", "T"))
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    if modified:
        a2 = gammaln(a + b) + gammaln(b + x + 1) - gammaln(b) - gammaln(a + b + x + 1)
        a3 = -(r + x) * np.log(alpha + T)
        a4 = np.log(a) - np.log(b + x) + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x))
        return float(np.sum(a1 + a2 + a3 + np.logaddexp(a4, 0)))
    a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + T)
    repeat = x > 0
    a4 = np.full_like(x, -np.inf)
    a4[repeat] = (np.log(a) - np.log(b + x[repeat] - 1) - (r + x[repeat]) * np.log(alpha + t_x[repeat]))
    return float(np.sum(a1 + a2 + np.logaddexp(a3, a4)))


def gamma_gamma_log_likelihood(params: dict[str, float], summary_repeat: pd.DataFrame) -> float:
    """Total log-likelihood of the Gamma-Gamma spend model (Fader & Hardie 2013,
    eq. 1a) over the customers with a positive repeat spend."""
    p, q, v = (params[k] for k in GAMMA_GAMMA_PARAMS)
    kept = summary_repeat[(summary_repeat["frequency"] > 0) & (summary_repeat["monetary_value"] > 0)]
    x, m = kept["frequency"].to_numpy(float), kept["monetary_value"].to_numpy(float)
    ll = (gammaln(p * x + q) - gammaln(p * x) - gammaln(q) + q * np.log(v) + (p * x - 1) * np.log(m)
          + (p * x) * np.log(x) - (p * x + q) * np.log(x * m + v))
    return float(ll.sum())


def mbgnbd_p_alive(params: dict[str, float], summary: pd.DataFrame) -> np.ndarray:
    """P(still active) under MBG/NBD (Batislam et al. 2007, eq. 5): below 1 for
    one-time buyers too, falling as they age without buying."""
    r, alpha, a, b = (params[k] for k in BGNBD_PARAMS)
    x, t_x, T = (summary[c].to_numpy(float) for c in ("frequency", "recency", "T"))
    return 1.0 / (1.0 + (a / (b + x)) * ((alpha + T) / (alpha + t_x)) ** (r + x))


def fit_gamma_gamma(summary_repeat: pd.DataFrame) -> dict[str, float]:
    """Gamma-Gamma maximum-likelihood parameters p, q, v (v is Fader-Hardie's gamma).

    The model is conditioned on repeat spend, so customers without a repeat
    purchase (or with no positive repeat spend) are left out here.
    """
    repeat = summary_repeat[(summary_repeat["frequency"] > 0) & (summary_repeat["monetary_value"] > 0)]
    return _fit_map("GammaGammaModel", GAMMA_GAMMA_PARAMS, _model_data(repeat[["frequency", "monetary_value"]]))


# --- prediction -------------------------------------------------------------------------


def _fitted(model_class: str, params: dict[str, float], data: pd.DataFrame):
    """A pymc-marketing model carrying ``params`` as its (single-point) fit result."""
    import arviz as az

    model = _flat_model(model_class, params)
    model.build_model(data)
    model.idata = az.from_dict(posterior={name: np.array([[value]]) for name, value in params.items()})
    return model


def _per_customer(values, index: pd.Index) -> np.ndarray:
    """A single-point (one chain, one draw) prediction, aligned on ``index`` by customer_id."""
    return values.isel(chain=0, draw=0, missing_dims="ignore").to_series().reindex(index).to_numpy()


def predict(
    summary: pd.DataFrame,
    bg: dict[str, float],
    gg: dict[str, float],
    horizon_weeks: float = 52,
    model: str = "BetaGeoModel",
) -> pd.DataFrame:
    """Per customer expected purchases, probability active, expected spend and CLV.

    ``summary`` is ``rfm_summary``'s output in weeks (the fitted alpha is in
    the summary's unit); ``bg`` and ``gg`` come from ``fit_bgnbd`` (or
    ``fit_mbgnbd`` with ``model="ModifiedBetaGeoModel"``) and
    ``fit_gamma_gamma``. Columns: expected_purchases (over ``horizon_weeks``),
    p_alive, expected_spend (a purchase) and clv = expected_spend ×
    expected_purchases (turnover, undiscounted; see the module docstring).
    """
    if summary.attrs.get("time_unit", "W") != "W":
        raise ValueError("predict expects recency and T in weeks: rfm_summary(..., time_unit='W')")
    data = _model_data(summary[["frequency", "recency", "T", "monetary_value"]])
    if model not in ("BetaGeoModel", "ModifiedBetaGeoModel"):
        raise ValueError(f"model must be BetaGeoModel or ModifiedBetaGeoModel, not {model!r}")
    bg_model = _fitted(model, bg, data[["customer_id", "frequency", "recency", "T"]])
    gg_model = _fitted("GammaGammaModel", gg, data[["customer_id", "frequency", "monetary_value"]])

    purchases = _per_customer(bg_model.expected_purchases(data=data, future_t=horizon_weeks), summary.index)
    spend = _per_customer(gg_model.expected_customer_spend(data=data), summary.index)
    return pd.DataFrame(
        {
            "expected_purchases": purchases,
            "p_alive": _per_customer(bg_model.expected_probability_alive(data=data), summary.index),
            "expected_spend": spend,
            "clv": spend * purchases,
        },
        index=summary.index,
    )


def by_segment(pred: pd.DataFrame, segment: pd.Series) -> pd.DataFrame:
    """Segment aggregates of ``predict``'s output; customers without a segment are left out."""
    labelled = pred.assign(segment=segment.reindex(pred.index)).dropna(subset=["segment"])
    return labelled.groupby("segment").agg(
        customers=("clv", "size"),
        mean_expected_purchases=("expected_purchases", "mean"),
        mean_p_alive=("p_alive", "mean"),
        mean_clv=("clv", "mean"),
        total_clv=("clv", "sum"),
    )
