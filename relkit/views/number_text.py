"""Numbers as the client reads them in the plan's tables, charts and sentences:
a rate with a decimal only when it needs one ('30 %', '3,5 %'), a number with at
most one decimal, a signed amount, a KPI value in its unit. Built on the labels
catalogue (money, percent, number in the engagement's language)."""
from __future__ import annotations

import math

from relkit.io.labels import Labels


def signed_money(amount: float, labels: Labels) -> str:
    """'−900 €' / '+999 €' with a true minus sign."""
    sign = "\u2212" if amount < 0 else "+"
    return sign + labels.money(abs(amount))


def percent_text(ratio: float, labels: Labels) -> str:
    """'30 %', '3,5 %': one decimal only when the rate needs it (Labels.rate, the one format of a rate)."""
    return labels.rate(ratio)


def number_text(value: float, labels: Labels, digits: int = 1) -> str:
    value = round(float(value), digits)
    return labels.number(value, 0 if value.is_integer() else digits)


def kpi_value_text(value, unit: str, labels: Labels) -> str:
    """A KPI value in its unit: '1 250 €', '25 %', '3 jours', 'position 4'…;
    '–' when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    value = float(value)

    def num(v: float, max_digits: int = 1) -> str:
        digits = 0 if float(v).is_integer() else max_digits
        return labels.number(round(v, digits), digits)

    if unit == "eur":
        whole = value.is_integer() or abs(value) >= 100
        return labels.money(round(value) if whole else value, decimals=None if whole else True)
    if unit == "percent":
        points = round(value * 100, 1)
        return labels.percent(value, 0 if points.is_integer() else 1)
    if unit == "days":
        return labels("kpi.value.days", value=num(value))
    if unit == "minutes":
        return labels("kpi.value.minutes", value=num(value))
    if unit == "rank":
        return labels("kpi.value.rank", value=num(value))
    if unit == "ratio":
        return num(value, 2)
    return num(value)  # count, score
