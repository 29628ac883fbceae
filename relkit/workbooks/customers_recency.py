"""Workbook 02, when customers last bought: the recency chart and the seasonal
reactivation target it shows (many lapsed customers whose last purchase fell
in one month, e.g. last Christmas: ``relkit.customers.last_purchase``)."""
from __future__ import annotations

import functools

from relkit.customers import last_purchase
from relkit.views.charts import customers as charts


class RecencySection:
    """The recency part of the customer-file presenter (``CustomerFile``), which
    provides ``L`` (labels), ``cd`` (customer_data settings), ``rfm``, ``as_of``
    and ``has_history``."""

    def recency_chart(self):
        days = self.cd.dormant_months * 365.25 / 12
        share = float((self.rfm["recency"] > days).mean())
        takeaway = self.L("customers.chart.recency_takeaway", share=self.L.percent(share), months=self.cd.dormant_months)
        return charts.recency_distribution(self.rfm, dormant_days=round(days), labels=self.L,
                                           title=self.L("customers.chart.recency_title"), takeaway=takeaway).figure

    @functools.cached_property
    def recency_peak(self) -> last_purchase.Peak | None:
        """The month when many lapsed customers last bought (``customers.last_purchase``)."""
        if not self.has_history:
            return None
        return last_purchase.peak_month(last_purchase.last_purchase_months(self.rfm["last_purchase"], self.as_of))

    def _peak_month(self, peak: last_purchase.Peak, pattern: str = "LLLL y") -> str:
        return self.L.date(peak.month.start_time.date(), pattern)

    def recency_text(self) -> list[str]:
        """The seasonal reactivation target the recency chart shows, if any."""
        peak, L = self.recency_peak, self.L
        if peak is None:
            return []
        values = dict(customers=L.number(peak.customers), month=self._peak_month(peak), ratio=L.number(peak.ratio, 1),
                      median=L.number(peak.median), month_name=self._peak_month(peak, "LLLL"))
        return [L("customers.recency.peak_festive" if peak.festive else "customers.recency.peak", **values)]

    def recency_figures(self) -> dict[str, tuple[object, str, str]]:
        """The peak, for figures.json (nothing without one)."""
        peak, L = self.recency_peak, self.L
        if peak is None:
            return {}
        label = L("customers.recency.peak_label", month=self._peak_month(peak))
        return {"reactivation_peak": (peak.customers, label, L.number(peak.customers)),
                "reactivation_peak_month": (str(peak.month), label, self._peak_month(peak))}
