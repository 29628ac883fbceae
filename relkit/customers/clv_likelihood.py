"""Closed-form log-likelihoods of BG/NBD, MBG/NBD and Gamma-Gamma with their
gradients, for ``relkit.customers.clv``'s maximum-likelihood fits.

Each ``*_objective`` returns the total log-likelihood and its gradient with
respect to the logarithms of the parameters (the fits search that space, so
the parameters stay positive), over a ``*_data`` prepared once per fit.
Everything is vectorised with numpy: one evaluation at a million customers
is a few dozen array operations. Terms that depend on the frequency x alone
(gammaln, digamma) are computed once per distinct x and weighted by its count.

Gamma-Gamma is written with c = v/q instead of v:

    ll = D(q, px) − lnΓ(px) + (px−1)·ln m + px·ln x − px·ln(c + xm/q) − q·ln(1 + xm/(cq))
    D(q, a) = lnΓ(q+a) − lnΓ(q) − a·ln q

which is the same function (Fader & Hardie 2013, eq. 1a), but stays accurate
when q is large. When customers' mean spends differ no more than their
purchases do, the likelihood keeps rising towards q, v → ∞ with v/q fixed (a
ridge: the population is homogeneous). Written with v, lnΓ(q) and q·ln v are
then ~10⁹ and the total loses its fourth decimal, so an optimiser stops
anywhere on the ridge; written this way it can follow it, and the spend
predicted on the ridge (p·v/(q−1)) is the limit's.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy.special import digamma, gammaln

STIRLING_FROM = 100.0
"""Above this q, D(q, a) and its derivatives come from Stirling's series (error < 1e-17)."""


class Frequencies(NamedTuple):
    """The distinct values of x, how many customers have each, and each customer's position among them."""
    values: np.ndarray
    counts: np.ndarray
    index: np.ndarray


def _frequencies(x: np.ndarray) -> Frequencies:
    whole = x.astype(np.int64)
    if len(x) and np.array_equal(whole, x) and 0 <= whole.min() and whole.max() < 1_000_000:
        counts = np.bincount(whole)  # repeat-purchase counts: O(n), no sort
        values = np.flatnonzero(counts)
        position = np.zeros(len(counts), dtype=np.int64)
        position[values] = np.arange(len(values))
        return Frequencies(values.astype(float), counts[values].astype(float), position[whole])
    values, index, counts = np.unique(x, return_inverse=True, return_counts=True)
    return Frequencies(values, counts.astype(float), index)


class Ages(NamedTuple):
    """The distinct values of an age (T or t_x) and each customer's position among them."""
    values: np.ndarray
    index: np.ndarray


def _ages(t: np.ndarray) -> Ages:
    index, values = pd.factorize(t)  # ages are whole days: ~1 000 distinct values at a million customers
    return Ages(np.asarray(values, dtype=float), index)


def distinct_pairs(x: np.ndarray, T: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct (x, T) pairs as two arrays, and each customer's position among them."""
    freq, age = _frequencies(x), _ages(T)
    rows, keys = pd.factorize(freq.index * len(age.values) + age.index)
    return freq.values[keys // len(age.values)], age.values[keys % len(age.values)], rows


class PurchaseData(NamedTuple):
    """Customers with the same (x, t_x, T) as one row of weight their number."""
    x: np.ndarray
    weight: np.ndarray
    freq: Frequencies  # counts weighted
    age: Ages  # T
    last: Ages  # t_x


class SpendData(NamedTuple):
    x: np.ndarray
    y: np.ndarray  # x·m
    freq: Frequencies
    x_log_y: float  # Σ x·ln(x·m)
    log_m: float  # Σ ln m


def purchase_data(frequency, recency, T) -> PurchaseData:
    x, t_x, T = (np.asarray(v, dtype=float) for v in (frequency, recency, T))
    freq, age, last = _frequencies(x), _ages(T), _ages(t_x)
    # one row per distinct (x, T, t_x): one-time buyers differ by their age only (~1 000 rows)
    n_age, n_last = len(age.values), len(last.values)
    rows, keys = pd.factorize((freq.index * n_age + age.index) * n_last + last.index)
    weight = np.bincount(rows).astype(float)
    f, a, l = keys // (n_age * n_last), keys // n_last % n_age, keys % n_last
    return PurchaseData(freq.values[f], weight, Frequencies(freq.values, freq.counts, f),
                        Ages(age.values, a), Ages(last.values, l))


def spend_data(frequency, monetary_value) -> SpendData:
    x, m = (np.asarray(v, dtype=float) for v in (frequency, monetary_value))
    y = x * m
    return SpendData(x, y, _frequencies(x), float(np.dot(x, np.log(y))), float(np.log(m).sum()))


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    """Σ a·b without BLAS (whose threads would spin on a shared 2-core machine)."""
    return float(np.einsum("i,i->", a, b))


def _softplus_and_sigmoid(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """ln(1 + e^z) and 1/(1 + e^−z) from one exponential, without overflow."""
    e = np.exp(-np.abs(z))
    sigmoid = 1 / (1 + e)
    return np.maximum(z, 0) + np.log1p(e), np.where(z >= 0, sigmoid, e * sigmoid)


def bgnbd_objective(log_params: np.ndarray, d: PurchaseData, modified: bool) -> tuple[float, np.ndarray]:
    """BG/NBD (Fader, Hardie & Lee 2005, eq. 6) or MBG/NBD (Batislam et al.
    2007) total log-likelihood at exp(log_params) = (r, alpha, a, b), and its
    gradient with respect to log_params."""
    r, alpha, a, b = np.exp(log_params)
    u, n = d.freq.values, d.freq.counts
    shift = 1.0 if modified else 0.0
    # the terms of x alone, once per distinct x
    ll = np.dot(n, gammaln(r + u) - gammaln(r) + gammaln(a + b) + gammaln(b + u + shift) - gammaln(b)
                - gammaln(a + b + u + shift))
    g_r = np.dot(n, digamma(r + u) - digamma(r))
    g_a = np.dot(n, digamma(a + b) - digamma(a + b + u + shift))
    g_b = np.dot(n, digamma(a + b) + digamma(b + u + shift) - digamma(b) - digamma(a + b + u + shift))
    customers = n.sum()
    ll += customers * r * np.log(alpha)
    g_r += customers * np.log(alpha)
    g_alpha = customers * r / alpha
    rx = r + d.x
    # ln(α+T), 1/(α+T), … once per distinct age, then spread over the rows
    log_T, log_tx = np.log(alpha + d.age.values)[d.age.index], np.log(alpha + d.last.values)[d.last.index]
    inv_T, inv_tx = (1 / (alpha + d.age.values))[d.age.index], (1 / (alpha + d.last.values))[d.last.index]
    if modified:
        # ln(1 + e^z) − (r+x)·ln(α+T), z = ln a − ln(b+x) + (r+x)·(ln(α+T) − ln(α+t_x))
        first = np.log(a) - np.log(b + u)
    else:
        # ln(e^A3 + δ(x>0)·e^A4), A3 = −(r+x)·ln(α+T), A4 = ln a − ln(b+x−1) − (r+x)·ln(α+t_x): the same
        # with z = A4 − A3 = ln a − ln(b+x−1) + (r+x)·(ln(α+T) − ln(α+t_x)), and z = −∞ for x = 0
        with np.errstate(divide="ignore"):
            first = np.where(u > 0, np.log(a) - np.log(np.maximum(b + u - 1, 0)), -np.inf)
    drift = log_T - log_tx
    z = first[d.freq.index] + rx * drift
    soft, w = _softplus_and_sigmoid(z)  # w = ∂ ln(1 + e^z)/∂z
    w *= d.weight
    rx_weighted = rx * d.weight
    w_by_x = np.bincount(d.freq.index, weights=w, minlength=len(u))
    ll += _dot(soft, d.weight) - _dot(rx_weighted, log_T)
    g_r += _dot(w, drift) - _dot(d.weight, log_T)
    g_alpha += _dot(w * rx, inv_T - inv_tx) - _dot(rx_weighted, inv_T)
    g_a += w_by_x.sum() / a
    if modified:
        g_b -= np.dot(w_by_x, 1 / (b + u))
    else:
        g_b -= np.dot(w_by_x[u > 0], 1 / (b + u[u > 0] - 1))
    return float(ll), np.array([g_r * r, g_alpha * alpha, g_a * a, g_b * b])


def log_gamma_ratio(q: float, a: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """D(q, a) = lnΓ(q+a) − lnΓ(q) − a·ln q, ∂D/∂a and ∂D/∂q, accurate for any q > 0."""
    if q < STIRLING_FROM:
        lq = np.log(q)
        return (gammaln(q + a) - gammaln(q) - a * lq, digamma(q + a) - lq, digamma(q + a) - digamma(q) - a / q)
    z = q + a
    lr = np.log1p(a / q)

    def s(z):  # lnΓ(z) − (z−½)·ln z + z − ½·ln 2π
        return 1 / (12 * z) - 1 / (360 * z ** 3) + 1 / (1260 * z ** 5)

    def t(z):  # ψ(z) − ln z
        return -1 / (2 * z) - 1 / (12 * z ** 2) + 1 / (120 * z ** 4) - 1 / (252 * z ** 6)

    return (z - 0.5) * lr - a + s(z) - s(q), lr + t(z), lr - a / q + t(z) - t(q)


def gamma_gamma_objective(theta: np.ndarray, d: SpendData) -> tuple[float, np.ndarray]:
    """Gamma-Gamma total log-likelihood at (p, q, c=v/q) = exp(theta), and its
    gradient with respect to theta.

    Per customer, with a = px, y = xm and u = y/(cq):
    ll = D(q, a) − lnΓ(a) + a·ln y − a·ln c − (a + q)·ln(1+u) − ln m."""
    p, q, c = np.exp(theta)
    n, xs = d.freq.counts, d.freq.values
    a = p * xs
    D, D_a, D_q = log_gamma_ratio(q, a)
    u = d.y * (1 / (c * q))
    l1 = np.log1p(u)
    w = u / (1 + u)
    sum_x = np.dot(n, xs)
    x_l1, x_w = _dot(d.x, l1), _dot(d.x, w)
    ll = np.dot(n, D - gammaln(a)) + p * d.x_log_y - p * np.log(c) * sum_x - p * x_l1 - q * l1.sum() - d.log_m
    g_p = np.dot(n * xs, D_a - digamma(a)) + d.x_log_y - np.log(c) * sum_x - x_l1
    g_q = q * np.dot(n, D_q) + p * x_w + q * (w.sum() - l1.sum())
    g_c = q * w.sum() - p * (sum_x - x_w)
    return float(ll), np.array([g_p * p, g_q, g_c])
