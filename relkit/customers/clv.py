"""Workbook 02 — predictive customer value: MBG/NBD and Gamma-Gamma fitted
by maximum likelihood, with their closed-form predictions.

MBG/NBD (Batislam, Denizel & Filiztekin 2007) predicts how many purchases
each customer will make and how likely they are to still be a customer;
Gamma-Gamma (Fader & Hardie 2013) predicts how much they spend a purchase.

Why MBG/NBD and not BG/NBD (Fader, Hardie & Lee 2005) for the report: in
BG/NBD a customer can only drop out just after a purchase, so every one-time
buyer has P(active) = 1 whatever their age — a "lost" segment shown as 100 %
active. MBG/NBD also allows a drop-out at time 0, so a one-time buyer's
P(active) = 1 / (1 + a/b · ((α+T)/α)^r) < 1 and falls with age. BG/NBD is
kept (``fit_bgnbd``) because its CDNOW estimates are the published reference
the tests check.

Why scipy and not pymc-marketing. The models are the same and so are the
estimates (pymc-marketing's ``fit(method="map")`` with flat priors is maximum
likelihood; tests/customers/test_clv_reference.py fits CDNOW both ways), but
importing PyMC took ~4 s and its fits ~3 s of every run, plus a C compile on a
cold cache. Here each fit is L-BFGS-B on the logarithms of the parameters
with the analytic gradient of the closed-form log-likelihood
(``relkit.customers.clv_likelihood``), converged tightly: pymc-marketing's
default tolerance stops while the parameters still move in their fourth
digit, and printed euros should not depend on where an optimiser stopped.

Bounds and ridges. Shape parameters are kept in [1e-8, 1e8]. A fit that ends
on a bound is a ridge: the data carry no heterogeneity in that respect, and
the likelihood keeps rising towards a limit model. The usual one is
Gamma-Gamma's q, v → ∞ with v/q fixed (customers' mean spends differ no more
than their purchases' noise explains): q stops at 1e8, where every customer's
expected spend is the population mean Σ x·m / Σ x to 1e-8, and only p and v/q
mean anything (``at_bounds`` names such parameters, for the audit trail). A
fit that cannot be completed raises ``FitError``, whose message says why.

Twelve-month CLV (``predict``)::

    clv = expected_spend × expected_purchases

expected_spend is Gamma-Gamma's conditional mean spend a purchase (the
population mean for customers without a repeat purchase); expected_purchases
is (M)BG/NBD's conditional expectation over ``horizon_weeks``. It is turnover,
undiscounted (pymc-marketing's ``customer_lifetime_value`` with
``discount_rate=0`` computes the same product, over months of 4.345 weeks).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import expit, hyp2f1

from relkit.customers import clv_likelihood, rfm

BGNBD_PARAMS = ("r", "alpha", "a", "b")
GAMMA_GAMMA_PARAMS = ("p", "q", "v")
MODELS = ("bgnbd", "mbgnbd")
UNIT_DAYS = {"D": 1, "W": 7}
"""Units ``rfm_summary`` can express recency and T in, as a number of days."""
SHAPE_RANGE = (1e-8, 1e8)
"""Bounds of the shape parameters (r, a, b; p, q); the scales (alpha, v) are free."""


class FitError(ValueError):
    """A model could not be fitted to this history (the message says why)."""


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


# --- fitting ----------------------------------------------------------------------------


def _maximise(objective, start: np.ndarray, bounded: tuple[bool, ...], what: str, customers: int) -> np.ndarray:
    """The arg max of ``objective`` (log-likelihood and gradient, in log-parameters) by L-BFGS-B.

    Tolerances: stop when the gradient is below 1e-9 per customer or a step
    changes the log-likelihood by less than 1e-13 of itself (the rounding of
    a sum of a million terms is ~1e-15 of it), which leaves the parameters
    exact to about 1e-7. pymc-marketing's defaults stop at 2.2e-9, which
    leaves them off in the fourth digit on a flat optimum."""
    def negative(theta):
        with np.errstate(all="ignore"):
            ll, grad = objective(theta)
        if not np.isfinite(ll) or not np.all(np.isfinite(grad)):
            return np.inf, np.zeros_like(theta)  # the line search steps back
        return -ll, -grad

    low, high = np.log(SHAPE_RANGE)
    bounds = [(low, high) if b else (None, None) for b in bounded]
    options = {"ftol": 1e-13, "gtol": 1e-9 * customers, "maxiter": 1000}
    result = minimize(negative, start, jac=True, method="L-BFGS-B", bounds=bounds, options=options)
    if not result.success and np.all(np.isfinite(result.x)):
        # an "ABNORMAL" line search often comes from a stale quasi-Newton memory
        # far from the start: once more from where it stopped, with a fresh one
        again = minimize(negative, result.x, jac=True, method="L-BFGS-B", bounds=bounds, options=options)
        if np.isfinite(again.fun) and again.fun <= result.fun:
            again.nit += result.nit
            result = again
    if not np.isfinite(result.fun) or not np.all(np.isfinite(result.x)):
        raise FitError(f"{what}: the likelihood is not finite anywhere the optimiser looked")
    if result.nit >= 1000:
        raise FitError(f"{what}: no maximum after 1000 iterations")
    # L-BFGS-B stops with "ABNORMAL" when rounding makes every step look worse:
    # a maximum when the gradient or the remaining quasi-Newton step is tiny, a failure otherwise.
    slope = np.where([b and (x <= low and g > 0 or x >= high and g < 0) for b, x, g in zip(bounded, result.x, result.jac)],
                     0.0, result.jac)  # nothing to gain across a bound
    if not result.success and (np.max(np.abs(slope)) > 1e-4 * customers
                               and np.max(np.abs(result.hess_inv.matvec(slope))) > 1e-4):
        raise FitError(f"{what}: no maximum found ({result.message})")
    return result.x


def fit_bgnbd(summary: pd.DataFrame, modified: bool = False) -> dict[str, float]:
    """BG/NBD (or, ``modified``, MBG/NBD) maximum-likelihood r, alpha, a, b
    (alpha in the summary's time unit)."""
    data = clv_likelihood.purchase_data(summary["frequency"], summary["recency"], summary["T"])
    if not len(data.x):
        raise FitError("no customer to fit the purchases model on")
    # start: r = a = b = 1 and alpha so that r/alpha is the mean repeat-purchase rate
    rate = max(float(data.x.sum()), 1.0) / max(float(summary["T"].sum()), 1e-9)
    start = np.array([0.0, -np.log(rate), 0.0, 0.0])
    theta = _maximise(lambda t: clv_likelihood.bgnbd_objective(t, data, modified), start, (True, False, True, True),
                      "MBG/NBD" if modified else "BG/NBD", len(data.x))
    return dict(zip(BGNBD_PARAMS, (float(v) for v in np.exp(theta))))


def fit_mbgnbd(summary: pd.DataFrame) -> dict[str, float]:
    """MBG/NBD maximum-likelihood r, alpha, a, b (alpha in the summary's time unit)."""
    return fit_bgnbd(summary, modified=True)


def _repeat_spenders(summary: pd.DataFrame) -> pd.DataFrame:
    return summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]


def fit_gamma_gamma(summary_repeat: pd.DataFrame) -> dict[str, float]:
    """Gamma-Gamma maximum-likelihood p, q, v (v is Fader-Hardie's gamma).

    The model is conditioned on repeat spend, so customers without a repeat
    purchase (or with no positive repeat spend) are left out here. Searched
    as (p, q, v/q): on the usual ridge only p and v/q are identified.
    """
    kept = _repeat_spenders(summary_repeat)
    data = clv_likelihood.spend_data(kept["frequency"], kept["monetary_value"])
    if not len(data.x):
        raise FitError("Gamma-Gamma: no customer with a repeat purchase to fit the spend model on")
    spends = data.y / data.x
    if np.ptp(spends) <= 1e-12 * np.max(spends):
        # every customer's mean spend is the same: the limit p, q -> infinity (no spread at all),
        # where the optimiser's steps drown in rounding; every expected spend is that spend
        p = q = SHAPE_RANGE[1]
        return {"p": p, "q": q, "v": float(spends[0] * (q - 1) / p)}
    # start: p = 1, q = 2 and v so that the population mean p·v/(q−1) is the mean repeat spend
    start = np.array([0.0, np.log(2.0), np.log(data.y.sum() / data.x.sum() / 2)])
    p, q, c = np.exp(_maximise(lambda t: clv_likelihood.gamma_gamma_objective(t, data), start, (True, True, False),
                               "Gamma-Gamma", len(data.x)))
    return {"p": float(p), "q": float(q), "v": float(c * q)}


def at_bounds(params: dict[str, float]) -> list[str]:
    """The shape parameters a fit left on a bound of ``SHAPE_RANGE`` (a ridge: see the module docstring)."""
    low, high = SHAPE_RANGE
    return [k for k in ("r", "a", "b", "p", "q") if k in params
            and not low * (1 + 1e-9) < params[k] < high * (1 - 1e-9)]


# --- log-likelihoods (closed forms, for the audit trail) -------------------------------


def bgnbd_log_likelihood(params: dict[str, float], summary: pd.DataFrame, modified: bool = False) -> float:
    """Total log-likelihood of BG/NBD (Fader, Hardie & Lee 2005, eq. 6) or, with
    ``modified``, MBG/NBD (Batislam et al. 2007) at ``params``."""
    data = clv_likelihood.purchase_data(summary["frequency"], summary["recency"], summary["T"])
    return clv_likelihood.bgnbd_objective(np.log([params[k] for k in BGNBD_PARAMS]), data, modified)[0]


def gamma_gamma_log_likelihood(params: dict[str, float], summary_repeat: pd.DataFrame) -> float:
    """Total log-likelihood of the Gamma-Gamma spend model (Fader & Hardie 2013,
    eq. 1a) over the customers with a positive repeat spend."""
    kept = _repeat_spenders(summary_repeat)
    data = clv_likelihood.spend_data(kept["frequency"], kept["monetary_value"])
    p, q, v = (params[k] for k in GAMMA_GAMMA_PARAMS)
    return clv_likelihood.gamma_gamma_objective(np.log([p, q, v / q]), data)[0]


# --- prediction -------------------------------------------------------------------------


def _columns(summary: pd.DataFrame):
    return (summary[c].to_numpy(float) for c in ("frequency", "recency", "T"))


def _log_odds_gone(params: dict[str, float], x, t_x, T, modified: bool) -> np.ndarray:
    """ln(P(gone) / P(active)) given the history; −inf for BG/NBD's one-time buyers (never gone)."""
    r, alpha, a, b = (params[k] for k in BGNBD_PARAMS)
    drift = (r + x) * (np.log(alpha + T) - np.log(alpha + t_x))
    if modified:
        return np.log(a) - np.log(b + x) + drift
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x > 0, np.log(a) - np.log(b + x - 1) + drift, -np.inf)


def mbgnbd_p_alive(params: dict[str, float], summary: pd.DataFrame) -> np.ndarray:
    """P(still active) under MBG/NBD (Batislam et al. 2007, eq. 5): below 1 for
    one-time buyers too, falling as they age without buying."""
    return expit(-_log_odds_gone(params, *_columns(summary), modified=True))


def expected_purchases(params: dict[str, float], summary: pd.DataFrame, t: float, modified: bool) -> np.ndarray:
    """Conditional expected purchases in the next ``t`` (BG/NBD: Fader, Hardie
    & Lee 2005, eq. 10; MBG/NBD: Batislam et al. 2007, eq. 8)."""
    r, alpha, a, b = (params[k] for k in BGNBD_PARAMS)
    x, t_x, T = _columns(summary)
    shift = 1.0 if modified else 0.0
    # the hypergeometric term depends on x and T alone: once per distinct pair (~1 per 10 customers at 1 M)
    px, pT, pair = clv_likelihood.distinct_pairs(x, T)
    with np.errstate(all="ignore"):
        hyp = hyp2f1(r + px, b + px + shift, a + b + px + shift - 1, t / (alpha + pT + t))
        later = 1 - hyp * np.exp((r + px) * (np.log(alpha + pT) - np.log(alpha + pT + t)))
        return ((a + b + px + shift - 1) / (a - 1) * later)[pair] * expit(-_log_odds_gone(params, x, t_x, T, modified))


def expected_spend(params: dict[str, float], summary: pd.DataFrame) -> np.ndarray:
    """Gamma-Gamma conditional mean spend a purchase (Fader & Hardie 2013, eq. 5):
    a weighted mean of the population mean and the customer's own mean."""
    p, q, v = (params[k] for k in GAMMA_GAMMA_PARAMS)
    x, m = summary["frequency"].to_numpy(float), summary["monetary_value"].to_numpy(float)
    weight = p * x / (p * x + q - 1)
    return (1 - weight) * (p * v / (q - 1)) + weight * m


def predict(
    summary: pd.DataFrame,
    bg: dict[str, float],
    gg: dict[str, float],
    horizon_weeks: float = 52,
    model: str = "bgnbd",
) -> pd.DataFrame:
    """Per customer expected purchases, probability active, expected spend and CLV.

    ``summary`` is ``rfm_summary``'s output in weeks (the fitted alpha is in
    the summary's unit); ``bg`` and ``gg`` come from ``fit_bgnbd`` (or
    ``fit_mbgnbd`` with ``model="mbgnbd"``) and ``fit_gamma_gamma``. Columns:
    expected_purchases (over ``horizon_weeks``), p_alive, expected_spend (a
    purchase) and clv = expected_spend × expected_purchases (turnover,
    undiscounted; see the module docstring). FitError when the parameters
    give no finite prediction (hyp2f1 does not converge far out on a ridge).
    """
    if summary.attrs.get("time_unit", "W") != "W":
        raise ValueError("predict expects recency and T in weeks: rfm_summary(..., time_unit='W')")
    if model not in MODELS:
        raise ValueError(f"model must be one of {MODELS}, not {model!r}")
    modified = model == "mbgnbd"
    purchases = expected_purchases(bg, summary, horizon_weeks, modified)
    with np.errstate(all="ignore"):
        alive = expit(-_log_odds_gone(bg, *_columns(summary), modified))
    spend = expected_spend(gg, summary)
    if not (np.all(np.isfinite(purchases) & (purchases >= 0)) and np.all(np.isfinite(spend) & (spend >= 0))):
        raise FitError("the fitted parameters give no finite prediction for some customers")
    return pd.DataFrame(
        {"expected_purchases": purchases, "p_alive": alive, "expected_spend": spend, "clv": spend * purchases},
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
