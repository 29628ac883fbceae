"""Workbook 02 — customer file: quality, RFM segments, targets and
priorities; the tables, charts and sentences the notebook shows, and the
confidential files it leaves in the working folder.

What was imported is presented by ``customers_sources``, the value of a
customer (VMC, CLV) by ``customers_value``; the exports themselves are read
by ``relkit.intake.imports``; the audit's tables, chart and sentences are
in ``customers_quality``.

Everything returned for display is an aggregate; per-customer tables are
written only by ``write_working``.
"""
from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd
import pyarrow as pa

from relkit.io.engagement import Engagement
from relkit.io.labels import Labels
from relkit.customers import dedup, quality, rfm
from relkit.customers.io.derived import derive_customers, is_in, link_by_email, orders
from relkit.customers.io.schema import Imported
from relkit.topics.reconcile import measured_revenue
from relkit.views.charts import customers as charts
from relkit.views.excel import safe_cells
from relkit.workbooks.ahead import Ahead
from relkit.workbooks.customers_quality import QualitySection
from relkit.workbooks.customers_recency import RecencySection
from relkit.workbooks.customers_sources import SourcesSection
from relkit.workbooks.customers_value import ValueSection, money_or_dash


class CustomerFile(SourcesSection, QualitySection, ValueSection, RecencySection):
    """The customer-file workbook's results for one engagement."""

    def __init__(self, engagement: Engagement, imports: dict[str, Imported], labels: Labels, *,
                 search_ahead: bool = False):
        """``search_ahead``: start the duplicate search (and the phones it compares)
        on a second thread now, for a workbook that will read them; the live
        editors, which never do, leave it off."""
        self.eng = engagement
        self.cd = engagement.customer_data
        self.L = labels
        self.imports = imports
        self.transactions = imports["transactions"].frame if "transactions" in imports else None
        self.linked_by_email = 0
        if "customers" in imports:
            self.customers = imports["customers"].frame
            if self.transactions is not None:
                self.transactions, self.linked_by_email = link_by_email(self.customers, self.transactions)
        else:
            self.customers = derive_customers(self.transactions)
        self.ahead = Ahead([
            ("phones", lambda done: quality.phone_numbers(self.customers)),
            ("pairs", lambda done: dedup.find_duplicates(self.customers, phones=done["phones"])),
        ], name="relkit-duplicates") if search_ahead else None
        self.orders = orders(self.transactions) if self.transactions is not None else None
        # Arrow's allocator keeps what its hash tables freed (700 MB after the orders of
        # 5 M sales lines): handed back now, before the rest of the workbook adds its own
        pa.default_memory_pool().release_unused()
        buys = rfm.purchases(self.orders) if self.orders is not None else None
        if buys is not None and len(buys):
            self.as_of = self.cd.reference_date or rfm.default_reference_date(self.orders)
        else:
            self.as_of = self.cd.reference_date or self.eng.report_date or pd.Timestamp.today().date()

    # -- what the data can measure ---------------------------------------------
    @functools.cached_property
    def purchases(self) -> pd.DataFrame | None:
        """The orders that are purchases (``rfm.purchases``) up to the reference date; None without sales."""
        return rfm.purchases(self.orders, self.as_of) if self.orders is not None else None

    @property
    def has_history(self) -> bool:
        """At least one purchase on or before the reference date."""
        return self.purchases is not None and len(self.purchases) > 0

    @functools.cached_property
    def history_months(self) -> float:
        """Months from the first purchase to the reference date (0 without history)."""
        if not self.has_history:
            return 0.0
        first = pd.Timestamp(self.purchases["date"].min()).normalize()
        return (pd.Timestamp(self.as_of) - first).days / (365.25 / 12)


    def _why_no_history(self) -> str:
        return self.L("customers.missing.why.no_purchases" if self.orders is not None else "customers.missing.why.no_history")

    def not_measurable(self, section: str) -> str | None:
        """Why ``section`` cannot be computed from this client's data, as one
        sentence for the report ("Non mesurable : …"), or None when it can.
        Sections: segments, targets, priorities, vmc, vmc_segments, clv."""
        L = self.L
        months = L.number(round(self.history_months))
        if section in ("segments", "targets", "priorities", "vmc_segments", "clv") and not self.has_history:
            return L("customers.missing.sentence", why=self._why_no_history())
        if section == "vmc":
            missing = [name for name in ("purchases_per_year", "retention", "average_transaction")
                       if getattr(self.eng.value, name) is None and pd.isna(self.measured_input(name))]
            if not missing:
                return None
            if not self.has_history:
                why = L("customers.missing.why.no_purchases" if self.orders is not None else "customers.missing.why.not_provided")
                return L("customers.missing.vmc_no_history", inputs=L.join([L(f"customers.missing.input.{m}") for m in missing]),
                         why=why)
            return L("customers.missing.vmc_retention", months=months)
        if section == "vmc_segments" and pd.isna(self.measured_input("retention")):  # every input measured per segment
            return L("customers.missing.segments_retention", months=months)
        if section == "clv":
            if self.history_months * (365.25 / 12) / 7 < self.MIN_CLV_WEEKS:
                needed = L.number(round(self.MIN_CLV_WEEKS * 7 / (365.25 / 12)))
                return L("customers.missing.sentence", why=L("customers.missing.why.clv_history", months=months, needed=needed))
            if self.clv.get("failure"):
                return L("customers.clv.no_fit", repeat=L.number(self.clv["repeat"]))
            if self.clv["prediction"] is None:
                return L("customers.clv.not_enough", repeat=L.number(self.clv["repeat"]), needed=self.MIN_REPEAT_BUYERS)
        return None

    # -- shared computations (cached: the notebook asks for them several times)
    @functools.cached_property
    def rfm(self) -> pd.DataFrame | None:
        """Per-customer RFM scores; None without any purchase to score."""
        return rfm.rfm_table(self.orders, self.as_of) if self.has_history else None

    @functools.cached_property
    def profile(self) -> pd.DataFrame:
        return rfm.profiles(self.rfm)

    @functools.cached_property
    def priorities(self) -> pd.DataFrame:
        return rfm.priorities(self.profile)

    @functools.cached_property
    def targets(self) -> rfm.Targets:
        return rfm.targets(self.rfm, self.as_of, self.customers["customer_id"], self.cd.dormant_months, self.cd.new_months)

    @functools.cached_property
    def activity(self) -> pd.Series:
        """Each record's latest purchase, contact or creation: read by the audit and the stale-records file."""
        return quality.last_activity(self.customers, self.transactions)

    @functools.cached_property
    def phones(self) -> pd.Series:
        """Each record's phone in E.164: the audit counts the valid ones, the dedup compares them."""
        return self.ahead.result("phones") if self.ahead else quality.phone_numbers(self.customers)

    @functools.cached_property
    def quality(self) -> quality.QualityReport:
        return quality.audit(self.customers, self.transactions, self.as_of, stale_years=self.cd.stale_years,
                             business=self.eng.client.model == "B2B", activity=self.activity, phones=self.phones)

    @functools.cached_property
    def pairs(self) -> pd.DataFrame:
        return self.ahead.result("pairs") if self.ahead else dedup.find_duplicates(self.customers, phones=self.phones)

    @functools.cached_property
    def dedup_report(self) -> dedup.DedupReport:
        return dedup.dedup_report(self.pairs, len(self.customers))

    def segment_name(self, code: str) -> str:
        return self.L(f"segment.{code}")

    # -- headline -------------------------------------------------------------
    def intro(self) -> str:
        return self.L("customers.intro", brand=self.eng.brand)

    def key_figures(self) -> list[tuple[str, str]]:
        """The headline strip: the same values ``figures()`` records."""
        figures = self.figures()
        return [(label, shown) for key in ("customers", "buyers", "orders", "net_revenue") if key in figures
                for _, label, shown in [figures[key]]]

    def purchase_count(self) -> int:
        """Purchases (``rfm.purchases``) on or before the reference date."""
        return len(self.purchases) if self.purchases is not None else 0

    def period(self) -> str:
        start, end = self.transactions["date"].min(), self.transactions["date"].max()
        return self.L("customers.period", start=self.L.date(start.date(), "short"), end=self.L.date(end.date(), "short"))

    # -- segments ---------------------------------------------------------------
    def segments_rule(self) -> str:
        return self.L("customers.segments.rule", as_of=self.L.date(self.as_of))

    def segments_table(self) -> pd.DataFrame:
        L, p = self.L, self.profile[self.profile["customers"] > 0]
        return pd.DataFrame({
            L("customers.segments.col.segment"): [self.segment_name(s) for s in p.index],
            L("customers.segments.col.customers"): [L.number(v) for v in p["customers"]],
            L("customers.segments.col.share"): [L.percent(v) for v in p["share"]],
            L("customers.segments.col.revenue_share"): [L.percent(v) for v in p["revenue_share"]],
            L("customers.segments.col.average_basket"): [L.money(round(v)) if pd.notna(v) else "" for v in p["average_basket"]],
            L("customers.segments.col.recency"): [L.number(v) for v in p["recency_days"]],
            L("customers.segments.col.frequency"): [L.number(v, 1) for v in p["frequency"]],
        })

    def segments_text(self) -> str:
        L, p = self.L, self.profile
        best = p.loc[["champions", "loyal"]]
        drifting = p.loc[["at_risk", "cant_lose"]]
        n_drifting = int(drifting["customers"].sum())
        at_risk = (L("customers.segments.at_risk", n=L.number(n_drifting), revenue=L.money(round(float(drifting["revenue"].sum()))))
                   if n_drifting else L("customers.segments.no_at_risk"))
        return L("customers.segments.explain", top_share=L.percent(best["share"].sum()),
                 top_revenue=L.percent(best["revenue_share"].sum()), at_risk_sentence=at_risk)

    def segments_chart(self):
        p = self.profile
        top = p["revenue_share"].idxmax()
        takeaway = self.L("customers.chart.segments_takeaway", segment=self.segment_name(top),
                          share=self.L.percent(p.loc[top, "share"]), revenue_share=self.L.percent(p.loc[top, "revenue_share"]))
        names = {s: self.segment_name(s) for s in p.index}
        return charts.segment_shares(p, names=names, labels=self.L, title=self.L("customers.chart.segments_title"),
                                     takeaway=takeaway).figure

    def heatmap_chart(self):
        grid = rfm.rf_heatmap(self.rfm)
        best, worst = grid.loc[5, 5], grid.loc[1, 1]
        takeaway = self.L("customers.chart.heatmap_takeaway", best=money_or_dash(self.L, best), worst=money_or_dash(self.L, worst))
        return charts.rfm_heatmap(grid, labels=self.L, title=self.L("customers.chart.heatmap_title"), takeaway=takeaway).figure

    def pareto_chart(self):
        takeaway = self.L("customers.chart.pareto_takeaway", share=self.L.percent(rfm.concentration(self.rfm)))
        return charts.pareto(self.rfm, labels=self.L, title=self.L("customers.chart.pareto_title"), takeaway=takeaway).figure

    # -- targets and priorities ----------------------------------------------------
    def targets_table(self) -> pd.DataFrame:
        """Dormant, new and never-bought customers (needs purchase history)."""
        L, t = self.L, self.targets
        total = len(self.customers["customer_id"].dropna().unique())
        rows = [(L("customers.targets.dormant", months=t.dormant_months), t.dormant),
                (L("customers.targets.new", months=t.new_months), t.new),
                (L("customers.targets.never"), t.never_bought)]
        return pd.DataFrame({
            L("customers.targets.col.target"): [r[0] for r in rows],
            L("customers.targets.col.count"): [L.number(r[1]) for r in rows],
            L("customers.targets.col.share"): [L.percent(r[1] / total) if total else "" for r in rows],
        })

    def priorities_text(self) -> list[str]:
        L = self.L
        return [L("customers.priorities.item", rank=int(r["rank"]), segment=self.segment_name(s), action=L(f"action.{r['action']}"),
                  customers=L.number(r["customers"]), share=L.percent(r["share"]), revenue_share=L.percent(r["revenue_share"]),
                  recency=L.number(r["recency_days"]))
                for s, r in self.priorities.iterrows()]

    def personas(self) -> list[str]:
        """Descriptive sketch of each priority segment, from aggregates only."""
        L = self.L
        out = []
        people = self.customers.drop_duplicates("customer_id").set_index("customer_id")
        for segment in self.priorities.index:
            ids = self.rfm.index[self.rfm["segment"] == segment]
            rows = self.rfm.loc[ids]
            lines = self.transactions[is_in(self.transactions["customer_id"], ids).to_numpy()]
            products = _top(lines["product"], 3) if "product" in lines else []
            places = _top(people["city"].reindex(ids), 3, minimum=5) if "city" in people else []
            optin = people["opt_in_email"].reindex(ids) if "opt_in_email" in people else pd.Series(dtype="boolean")
            optin_sentence = (L("customers.personas.optin", optin=L.percent(float(optin.dropna().astype(bool).mean())))
                              if optin.notna().any() else L("customers.personas.optin_unknown"))
            out.append(L("customers.personas.sketch", segment=self.segment_name(segment), customers=L.number(len(ids)),
                         frequency=L.number(rows["frequency"].mean(), 1),
                         basket=L.money(round(float(rows["monetary"].sum() / rows["frequency"].sum()))),
                         recency=L.number(rows["recency"].mean()),
                         products=L.join(products) or L("customers.personas.unknown"),
                         places=L.join(places) or L("customers.personas.unknown"), optin_sentence=optin_sentence))
        return out

    # -- key figures -------------------------------------------------------------------
    def figures(self) -> dict[str, tuple[object, str, str]]:
        """Every key figure once: (value, label, formatted). What the data
        cannot measure is left out (never recorded as 0)."""
        L, q = self.L, self.quality
        if self.ahead and self.has_history:  # what needs no duplicates first, while their search runs ahead
            self.rfm, self.targets, self.profile, self.clv  # noqa: B018 - cached properties
            self.vmc()  # measures what engagement.yaml does not give (cached)
        d = self.dedup_report
        out = {"customers": (len(self.customers), L("customers.kpi.customers"), L.number(len(self.customers)))}
        if self.has_history:
            revenue = round(float(self.orders["amount"].sum()), 2)
            out |= {
                "buyers": (len(self.rfm), L("customers.kpi.buyers"), L.number(len(self.rfm))),
                "orders": (self.purchase_count(), L("customers.kpi.orders"), L.number(self.purchase_count())),
                "net_revenue": (revenue, L("customers.kpi.revenue"), L.money(round(revenue))),
            }
        out |= {
            "emails_invalid": (q.emails_invalid, L("customers.kpi.emails_invalid"), L.number(q.emails_invalid)),
            "phones_invalid": (q.phones_invalid, L("customers.kpi.phones_invalid"), L.number(q.phones_invalid)),
            "postal_codes_invalid": (q.postal_codes_invalid, L("customers.kpi.postal_codes_invalid"),
                                     L.number(q.postal_codes_invalid)),
            "stale_records": (q.stale, L("customers.kpi.stale_records", years=q.stale_years), L.number(q.stale)),
            "duplicate_records": (d.records_removed, L("customers.kpi.duplicate_records"), L.number(d.records_removed)),
        }
        if self.has_history:
            share = rfm.concentration(self.rfm)
            out |= {
                "dormant": (self.targets.dormant, L("customers.targets.dormant", months=self.targets.dormant_months),
                            L.number(self.targets.dormant)),
                "new": (self.targets.new, L("customers.targets.new", months=self.targets.new_months), L.number(self.targets.new)),
            }
            out |= self.recency_figures()
            if pd.notna(share):
                out["pareto_share"] = (round(share, 4), L("customers.chart.pareto_title"), L.percent(share))
        result = self.vmc()
        if result is not None:
            out["vmc_gross"] = (round(result.gross, 2), L("customers.value.p.gross"), L.money(round(result.gross)))
            if self.has_acquisition():
                out["vmc_net"] = (round(result.net, 2), L("customers.value.p.net"), L.money(round(result.net)))
        if self.has_history:
            for segment, row in self.profile.iterrows():
                out[f"segment_{segment}"] = (int(row["customers"]), self.segment_name(segment), L.number(row["customers"]))
        if self.clv["prediction"] is not None:
            total = float(self.clv["prediction"]["clv"].sum())
            out["clv_12m_total"] = (round(total, 2), L("customers.clv.title"), L.money(round(total)))
            # the same forecast under the name the consistency checks and the summary read
            out["revenue_forecast_12m"] = (round(total, 2), L("checks.figure.revenue_forecast_12m"), L.money(round(total)))
        return out | self.revenue_figures()

    def revenue_figures(self) -> dict[str, tuple[object, str, str]]:
        """The file's revenue over its last full calendar year and last 12 months, and
        whether its amounts are HT or TTC: what engagement.yaml's revenue is checked against."""
        L, out = self.L, {}
        measured = measured_revenue(self.orders, self.as_of)
        if "calendar_year" in measured:
            year = measured["year"]
            out["revenue_calendar_year"] = (measured["calendar_year"], L("checks.figure.revenue_calendar_year", year=year),
                                            L.money(round(measured["calendar_year"])))
            out["revenue_year"] = (year, L("checks.figure.revenue_year"), str(year))
        if "last_12m" in measured:
            out["revenue_last_12m"] = (measured["last_12m"], L("checks.figure.revenue_last_12m"),
                                       L.money(round(measured["last_12m"])))
        basis = (self.imports.get("transactions").detected.get("amount_basis")
                 if "transactions" in self.imports else None)
        if basis:
            out["amount_basis"] = (basis, L("checks.figure.amount_basis"), basis)
        return out

    # -- working folder -------------------------------------------------------------
    def write_working(self, working_dir: Path | None) -> list[Path]:
        """Per-customer scores, duplicate pairs and the cleaned file: personal
        data, for the consultant only (never linked from a deliverable)."""
        if working_dir is None:
            return []
        target = Path(working_dir) / "02_fichier_clients"
        target.mkdir(parents=True, exist_ok=True)
        written = []
        if self.rfm is not None:
            names = {s: self.segment_name(s) for s in rfm.SEGMENTS}  # one label look-up a segment, not a customer
            scores = self.rfm.assign(segment=self.rfm["segment"].map(names))
            safe_cells.to_csv(scores, target / "scores_rfm.csv", encoding="utf-8")
            written.append(target / "scores_rfm.csv")
        pairs = self.pairs.copy()
        for side in ("a", "b"):
            pairs[f"customer_id_{side}"] = self.customers["customer_id"].to_numpy()[pairs[side].to_numpy()]
        safe_cells.to_csv(pairs, target / "doublons.csv", index=False, encoding="utf-8")
        safe_cells.to_csv(dedup.dedupe(self.customers, self.pairs), target / "fichier_nettoye.csv", index=False,
                          encoding="utf-8")
        written += [target / "doublons.csv", target / "fichier_nettoye.csv"]
        stale = quality.stale_records(self.customers, self.transactions, self.as_of, self.cd.stale_years,
                                      activity=self.activity)
        safe_cells.to_csv(self.customers[stale.to_numpy()], target / "fiches_inactives.csv", index=False, encoding="utf-8")
        written.append(target / "fiches_inactives.csv")
        if self.clv["prediction"] is not None:
            safe_cells.to_csv(self.clv["prediction"], target / "valeur_predite.csv", encoding="utf-8")
            written.append(target / "valeur_predite.csv")
        return written


def _top(values: pd.Series, n: int, minimum: int = 1) -> list[str]:
    counts = values.dropna().astype(str).value_counts()
    return [name for name, count in counts.head(n).items() if count >= minimum]


