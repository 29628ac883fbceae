"""Workbook 02 — customer file: import, quality, RFM segments, value; the
tables, charts and sentences the notebook shows, and the confidential files
it leaves in the working folder.

Everything returned for display is an aggregate; per-customer tables are
written only by ``write_working``.
"""
from __future__ import annotations

import functools
import json
from pathlib import Path

import numpy as np
import pandas as pd

from relkit.views.excel import safe_cells
from relkit.io.engagement import Engagement, Source
from relkit.io.labels import Labels
from relkit.io.problems import Problem
from relkit.customers import clv, dedup, quality, rfm, value
from relkit.customers.io.derived import derive_customers, link_by_email, orders
from relkit.customers.io.schema import Imported, ImportFailed, SourceSpec
from relkit.customers.io.source import read_source
from relkit.views.charts import customers as charts

KINDS = ("customers", "transactions")
IMPORT_DIR = "imported"


# ------------------------------------------------------------------ sources
def spec_for(folder: Path, kind: str, source: Source, currency: str | None = None) -> SourceSpec:
    """How to read one declared export; ``currency`` (the engagement's) makes
    amounts written in another currency a problem."""
    return SourceSpec(kind=kind, file=Path(folder) / source.file, preset=source.preset,
                      columns=dict(source.columns), options=dict(source.options), currency=currency)


def import_sources(folder: Path, engagement: Engagement, skip: frozenset[str] = frozenset()
                   ) -> tuple[dict[str, Imported], list[Problem]]:
    """Read every declared export (but the kinds in ``skip``, e.g. one whose
    path validation refused); all problems of all files at once."""
    cd = engagement.customer_data
    imports, problems = {}, []
    if cd is None:
        return imports, problems
    for kind in KINDS:
        source = getattr(cd, kind)
        if source is None or kind in skip:
            continue
        try:
            imports[kind] = read_source(spec_for(folder, kind, source, engagement.currency))
        except ImportFailed as exc:
            problems.extend(exc.problems)
    return imports, problems


def save_imports(imports: dict[str, Imported], directory: Path) -> None:
    """Keep the imported tables for the kernel (personal data: working folder only)."""
    target = Path(directory) / IMPORT_DIR
    target.mkdir(parents=True, exist_ok=True)
    for kind, imported in imports.items():
        imported.frame.to_parquet(target / f"{kind}.parquet", index=False)
        (target / f"{kind}.json").write_text(json.dumps(imported.detected, ensure_ascii=False, default=str), encoding="utf-8")


def load_imports(directory: Path | None) -> dict[str, Imported] | None:
    """Tables saved by ``save_imports`` (None when there are none)."""
    if directory is None or not (Path(directory) / IMPORT_DIR).is_dir():
        return None
    source = Path(directory) / IMPORT_DIR
    out = {}
    for kind in KINDS:
        if (source / f"{kind}.parquet").exists():
            detected = json.loads((source / f"{kind}.json").read_text(encoding="utf-8"))
            out[kind] = Imported(pd.read_parquet(source / f"{kind}.parquet"), detected)
    return out


# ------------------------------------------------------------------ analysis
class CustomerFile:
    """The customer-file workbook's results for one engagement."""

    def __init__(self, engagement: Engagement, imports: dict[str, Imported], labels: Labels):
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
        self.orders = orders(self.transactions) if self.transactions is not None else None
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

    MIN_CLV_WEEKS = 26  # a 12-month prediction from less than half a year of purchases is a guess

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
                       if getattr(self.eng.value, name) is None and pd.isna(self._measured(name))]
            if not missing:
                return None
            if not self.has_history:
                why = L("customers.missing.why.no_purchases" if self.orders is not None else "customers.missing.why.not_provided")
                return L("customers.missing.vmc_no_history", inputs=L.join([L(f"customers.missing.input.{m}") for m in missing]),
                         why=why)
            return L("customers.missing.vmc_retention", months=months)
        if section == "vmc_segments" and pd.isna(self._measured("retention")):  # every input measured per segment
            return L("customers.missing.segments_retention", months=months)
        if section == "clv":
            if self.history_months * (365.25 / 12) / 7 < self.MIN_CLV_WEEKS:
                needed = L.number(round(self.MIN_CLV_WEEKS * 7 / (365.25 / 12)))
                return L("customers.missing.sentence", why=L("customers.missing.why.clv_history", months=months, needed=needed))
            if self.clv["prediction"] is None:
                return L("customers.clv.not_enough", repeat=L.number(self.clv["repeat"]), needed=self.MIN_REPEAT_BUYERS)
        return None

    def _measured(self, name: str) -> float:
        if not self.has_history:
            return float("nan")
        return float(self.measured_vmc.iloc[0][name])

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
    def quality(self) -> quality.QualityReport:
        return quality.audit(self.customers, self.transactions, self.as_of, stale_years=self.cd.stale_years,
                             business=self.eng.client.model == "B2B")

    @functools.cached_property
    def pairs(self) -> pd.DataFrame:
        return dedup.find_duplicates(self.customers)

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

    # -- sources ----------------------------------------------------------------
    def sources_table(self) -> pd.DataFrame:
        """One column per imported file, one row per detected property (fits a page)."""
        L = self.L
        properties = ("file", "preset", "separator", "decimal", "date_format", "rows_read", "rows_skipped")
        table = {L("customers.sources.col.kind"): [L(f"customers.sources.col.{p}") for p in properties]}
        for kind, imported in self.imports.items():
            d = imported.detected
            table[L(f"customers.sources.kind.{kind}")] = [
                Path(str(d.get("file", ""))).name, self._preset_name(d.get("preset")),
                _show_separator(d.get("separator")), d.get("decimal") or "", _show_dates(d.get("date_format"), L.lang),
                L.number(d.get("rows_read", 0)), L.number(sum((d.get("rows_skipped") or {}).values())),
            ]
        return pd.DataFrame(table)

    def _preset_name(self, preset: str | None) -> str:
        """The export's format as the client knows it ("Export clients Shopify"), never relkit's preset id."""
        key = f"customers.preset.{preset}"
        return self.L(key) if preset and self.L.has(key) else ""

    def sources_text(self) -> list[str]:
        """What was read, how orders and purchases were counted, and what
        was not used: the consultant checks the import against this."""
        L = self.L
        sentence = ""
        if self.orders is not None:
            o, t = self.orders, self.transactions
            refunds = o[o["refund"]]
            sentence = L("customers.sources.orders", lines=L.number(len(t)), orders=L.number(len(o)),
                         purchases=L.number(self.purchase_count()))
            if zero := int(o["zero_amount"].sum()):
                sentence += " " + L("customers.sources.zero", zero=L.number(zero))
            if len(refunds):
                sentence += " " + L("customers.sources.refunds", refunds=L.number(len(refunds)),
                                    refund_total=L.money(round(float(refunds["amount"].sum()), 2)))
        texts = [L("customers.sources.explain", orders_sentence=sentence)]
        if self.linked_by_email:
            texts.append(L("customers.sources.linked", lines=L.number(self.linked_by_email)))
        if self.orders is None:
            texts.append(L("customers.sources.no_transactions"))
        basis = (self.imports.get("transactions").detected.get("amount_basis") if "transactions" in self.imports else None)
        if basis in ("HT", "TTC"):
            texts.append(L(f"customers.sources.basis_{basis.lower()}"))
        for kind, imported in self.imports.items():
            unused = [c for c in imported.detected.get("unused_columns") or [] if str(c).strip()]
            if unused:
                texts.append(L("customers.sources.unused", kind=L(f"customers.sources.kind.{kind}").lower(),
                               columns=L.join([f"« {c} »" if L.lang == "fr" else f"'{c}'" for c in unused])))
        return texts

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
        return charts.segment_shares(p, names, self.L, self.L("customers.chart.segments_title"), takeaway)

    def heatmap_chart(self):
        grid = rfm.rf_heatmap(self.rfm)
        best, worst = grid.loc[5, 5], grid.loc[1, 1]
        takeaway = self.L("customers.chart.heatmap_takeaway", best=_money_or_dash(self.L, best), worst=_money_or_dash(self.L, worst))
        return charts.rfm_heatmap(grid, self.L, self.L("customers.chart.heatmap_title"), takeaway)

    def recency_chart(self):
        days = self.cd.dormant_months * 365.25 / 12
        share = float((self.rfm["recency"] > days).mean())
        takeaway = self.L("customers.chart.recency_takeaway", share=self.L.percent(share), months=self.cd.dormant_months)
        return charts.recency_distribution(self.rfm["recency"], round(days), self.L, self.L("customers.chart.recency_title"), takeaway)

    def pareto_chart(self):
        takeaway = self.L("customers.chart.pareto_takeaway", share=self.L.percent(rfm.concentration(self.rfm)))
        return charts.pareto(self.rfm["monetary"], self.L, self.L("customers.chart.pareto_title"), takeaway)

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
            lines = self.transactions[self.transactions["customer_id"].isin(ids)]
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

    # -- quality ----------------------------------------------------------------------
    def quality_table(self) -> pd.DataFrame:
        L, c = self.L, self.quality.completeness
        c = c.drop(index=[f for f in ("customer_id",) if f in c.index])
        return pd.DataFrame({
            L("customers.quality.col.field"): [L(f"field.{f}") for f in c.index],
            L("customers.quality.col.filled"): [L.percent(v) for v in c["share_filled"]],
            L("customers.quality.col.valid"): [L.percent(v) if pd.notna(v) else "" for v in c["share_valid"]],
        })

    def quality_chart(self):
        L, c = self.L, self.quality.completeness
        c = c.drop(index=[f for f in ("customer_id",) if f in c.index])
        names = [L(f"field.{f}") for f in c.index]
        tidy = pd.concat([
            pd.DataFrame({"field": names, "measure": L("customers.quality.measure.filled"), "value": c["share_filled"].to_numpy(float)}),
            pd.DataFrame({"field": names, "measure": L("customers.quality.measure.valid"),
                          "value": c["share_valid"].astype(float).fillna(c["share_filled"].astype(float)).to_numpy()}),
        ])
        worst = c["share_filled"].astype(float).idxmin()
        takeaway = L("customers.quality.chart_takeaway", field=L(f"field.{worst}"), share=L.percent(c.loc[worst, "share_filled"]))
        return charts.completeness(tidy, L, L("customers.quality.chart_title"), takeaway)

    def quality_text(self) -> list[str]:
        L, q, d = self.L, self.quality, self.dedup_report
        texts = [L("customers.quality.explain", records=L.number(q.records), emails=L.number(q.emails_invalid),
                   phones=L.number(q.phones_invalid), postal=L.number(q.postal_codes_invalid), stale=L.number(q.stale),
                   years=q.stale_years)]
        texts.append(L("customers.quality.duplicates", pairs=L.number(sum(d.pairs.values())),
                       exact_email=L.number(d.pairs.get("exact_email", 0)), exact_phone=L.number(d.pairs.get("exact_phone", 0)),
                       exact_name_address=L.number(d.pairs.get("exact_name_address", 0)),
                       fuzzy=L.number(d.pairs.get("fuzzy_name_address", 0)), removed=L.number(d.records_removed),
                       after=L.number(d.records_after)))
        gaps = q.enrichment_gaps
        if len(gaps):
            fields = [f"{L(f'field.{f}')} ({L.percent(v)})" for f, v in zip(gaps["field"], gaps["share_filled"])]
            texts.append(L("customers.quality.gaps", fields=L.join(fields)))
        else:
            texts.append(L("customers.quality.no_gaps"))
        return texts

    # -- value ------------------------------------------------------------------------
    @functools.cached_property
    def measured_vmc(self) -> pd.DataFrame:
        v = self.eng.value
        return value.vmc_inputs_from_orders(self.orders, self.as_of, v.period_years, v.cost_to_reach or 0,
                                            v.conversion_rate or 1, segment=None)

    def vmc_inputs(self) -> tuple[value.VMCInputs, dict[str, str]]:
        """Engagement parameters where given, measured values otherwise; a
        ValueError naming what the data cannot measure (``not_measurable``)."""
        v = self.eng.value
        origin, values = {}, {}
        for name in ("purchases_per_year", "retention", "average_transaction"):
            given = getattr(v, name)
            values[name] = given if given is not None else self._measured(name)
            origin[name] = "engagement" if given is not None else "measured"
        if any(pd.isna(x) for x in values.values()):
            raise ValueError(self.not_measurable("vmc"))
        inputs = value.VMCInputs(period_years=v.period_years, cost_to_reach=v.cost_to_reach or 0.0,
                                 conversion_rate=v.conversion_rate or 1.0, margin=v.margin, **values)
        return inputs, origin

    def has_acquisition(self) -> bool:
        return self.eng.value.cost_to_reach is not None and self.eng.value.conversion_rate is not None

    def vmc(self) -> value.VMCResult | None:
        """The seed's VMC, or None when an input is neither given nor measurable."""
        if self.not_measurable("vmc"):
            return None
        return value.vmc(self.vmc_inputs()[0])

    def basket_value(self) -> float | None:
        """A customer's revenue over a year (average transaction × purchases a
        year), given or measured; None when neither."""
        v = self.eng.value
        per_year = v.purchases_per_year if v.purchases_per_year is not None else self._measured("purchases_per_year")
        basket = v.average_transaction if v.average_transaction is not None else self._measured("average_transaction")
        if pd.isna(per_year) or pd.isna(basket):
            return None
        return round(float(basket) * float(per_year), 2)

    def vmc_table(self) -> pd.DataFrame:
        L = self.L
        inputs, origin = self.vmc_inputs()
        result = self.vmc()
        rows = [("period_years", L.number(inputs.period_years, 0 if float(inputs.period_years).is_integer() else 1), "engagement"),
                ("purchases_per_year", L.number(inputs.purchases_per_year, 2), origin["purchases_per_year"]),
                ("retention", L.percent(inputs.retention), origin["retention"]),
                ("average_transaction", L.money(round(inputs.average_transaction, 2)), origin["average_transaction"])]
        if self.has_acquisition():
            rows += [("cost_to_reach", L.money(inputs.cost_to_reach), "engagement"),
                     ("conversion_rate", L.percent(inputs.conversion_rate, 1), "engagement")]
        rows.append(("gross", L.money(round(result.gross)), ""))
        if self.has_acquisition():
            rows += [("acquisition", L.money(round(result.acquisition_cost)), ""), ("net", L.money(round(result.net)), "")]
        return pd.DataFrame({
            L("customers.value.col.parameter"): [L(f"customers.value.p.{k}") for k, _, _ in rows],
            L("customers.value.col.value"): [v for _, v, _ in rows],
            L("customers.value.col.source"): [L(f"customers.value.source.{o}") if o else "" for _, _, o in rows],
        })

    def vmc_text(self) -> str:
        L, r = self.L, self.vmc()
        net = (L("customers.value.net_sentence", acquisition=L.money(round(r.acquisition_cost)), net=L.money(round(r.net)))
               if self.has_acquisition() else L("customers.value.no_acquisition"))
        period = self.eng.value.period_years
        return L("customers.value.explain", period=L.number(period, 0 if float(period).is_integer() else 1),
                 gross=L.money(round(r.gross)), net_sentence=net)

    def vmc_segments_table(self) -> pd.DataFrame:
        L, v = self.L, self.eng.value
        table = value.vmc_inputs_from_orders(self.orders, self.as_of, v.period_years, v.cost_to_reach or 0,
                                             v.conversion_rate or 1, segment=self.rfm["segment"])
        table = table.reindex([s for s in rfm.SEGMENTS if s in table.index])
        out = pd.DataFrame({
            L("customers.value.col.segment"): [self.segment_name(s) for s in table.index],
            L("customers.value.col.customers"): [L.number(n) for n in table["customers"]],
            L("customers.value.col.gross"): [_money_or_dash(L, g) for g in table["gross"]],
        })
        if self.has_acquisition():
            out[L("customers.value.col.net")] = [_money_or_dash(L, n) for n in table["net"]]
        return out

    MIN_REPEAT_BUYERS = 30  # below this the CLV models are not identifiable
    CLV_MODEL = "ModifiedBetaGeoModel"  # MBG/NBD: one-time buyers can be inactive (see relkit.customers.clv)

    @functools.cached_property
    def clv(self) -> dict:
        """Fitted MBG/NBD + Gamma-Gamma, their log-likelihoods and the
        per-customer predictions ("prediction" None when the history is too
        thin or too short)."""
        if not self.has_history:
            return {"repeat": 0, "prediction": None}
        summary = clv.rfm_summary(self.orders, self.as_of)
        repeat = int((summary["frequency"] > 0).sum())
        weeks = self.history_months * (365.25 / 12) / 7
        if repeat < self.MIN_REPEAT_BUYERS or weeks < self.MIN_CLV_WEEKS:
            return {"repeat": repeat, "prediction": None}
        bg = clv.fit_mbgnbd(summary)
        gg = clv.fit_gamma_gamma(summary)
        prediction = clv.predict(summary, bg, gg, horizon_weeks=52, model=self.CLV_MODEL)
        repeat_spenders = int(((summary["frequency"] > 0) & (summary["monetary_value"] > 0)).sum())
        models = {
            "purchases": {"model": "MBG/NBD (pymc-marketing ModifiedBetaGeoModel, maximum likelihood)",
                          "parameters": bg, "log_likelihood": clv.bgnbd_log_likelihood(bg, summary, modified=True),
                          "customers": len(summary), "time_unit": "week"},
            "spend": {"model": "Gamma-Gamma (pymc-marketing GammaGammaModel, maximum likelihood)",
                      "parameters": gg, "log_likelihood": clv.gamma_gamma_log_likelihood(gg, summary),
                      "customers": repeat_spenders},
            "horizon_weeks": 52, "reference_date": str(pd.Timestamp(self.as_of).date()),
        }
        return {"repeat": repeat, "bg": bg, "gg": gg, "prediction": prediction, "models": models, "summary": summary,
                "by_segment": clv.by_segment(prediction, self.rfm["segment"])}

    def write_models(self, output_dir: Path | None, working_dir: Path | None) -> list[Path]:
        """The fitted parameters and log-likelihoods, so a fit can be audited:
        ``<output>/models/02_fichier_clients.json`` (merged into run.json) and
        the same in the working folder. Nothing when no model was fitted."""
        models = self.clv.get("models")
        if not models:
            return []
        text = json.dumps(models, ensure_ascii=False, indent=2)
        written = []
        for directory, name in ((output_dir, "models/02_fichier_clients.json"),
                                (working_dir, "02_fichier_clients/modeles.json")):
            if directory is not None:
                target = Path(directory) / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
                written.append(target)
        return written

    def clv_table(self) -> pd.DataFrame | None:
        if self.clv["prediction"] is None:
            return None
        L, t = self.L, self.clv["by_segment"]
        t = t.reindex([s for s in rfm.SEGMENTS if s in t.index])
        return pd.DataFrame({
            L("customers.value.col.segment"): [self.segment_name(s) for s in t.index],
            L("customers.value.col.customers"): [L.number(n) for n in t["customers"]],
            L("customers.clv.col.expected"): [L.number(v, 2) for v in t["mean_expected_purchases"]],
            L("customers.clv.col.p_alive"): [L.percent(v) for v in t["mean_p_alive"]],
            L("customers.clv.col.mean_clv"): [L.money(round(v)) for v in t["mean_clv"]],
            L("customers.clv.col.total_clv"): [L.money(round(v)) for v in t["total_clv"]],
        })

    def clv_text(self) -> list[str]:
        L = self.L
        missing = self.not_measurable("clv")
        if missing:
            return [missing]
        t, p = self.clv["by_segment"], self.clv["prediction"]
        best = t["total_clv"].idxmax()
        one_time = p.loc[self.clv["summary"]["frequency"].reindex(p.index) == 0, "p_alive"]
        texts = [L("customers.clv.explain", total=L.money(round(float(p["clv"].sum()))),
                   best=self.segment_name(best), best_total=L.money(round(float(t.loc[best, "total_clv"]))))]
        if len(one_time):
            texts.append(L("customers.clv.p_alive", one_time=L.percent(float(one_time.mean()))))
        return texts

    # -- key figures -------------------------------------------------------------------
    def figures(self) -> dict[str, tuple[object, str, str]]:
        """Every key figure once: (value, label, formatted). What the data
        cannot measure is left out (never recorded as 0)."""
        L, q, d = self.L, self.quality, self.dedup_report
        out = {"customers": (len(self.customers), L("customers.kpi.customers"), L.number(len(self.customers)))}
        if self.has_history:
            revenue = round(float(self.orders["amount"].sum()), 2)
            out |= {
                "buyers": (len(self.rfm), L("customers.kpi.buyers"), L.number(len(self.rfm))),
                "orders": (self.purchase_count(), L("customers.kpi.orders"), L.number(self.purchase_count())),
                "net_revenue": (revenue, L("customers.kpi.revenue"), L.money(round(revenue))),
            }
        out |= {
            "emails_invalid": (q.emails_invalid, "emails_invalid", L.number(q.emails_invalid)),
            "phones_invalid": (q.phones_invalid, "phones_invalid", L.number(q.phones_invalid)),
            "postal_codes_invalid": (q.postal_codes_invalid, "postal_codes_invalid", L.number(q.postal_codes_invalid)),
            "stale_records": (q.stale, "stale_records", L.number(q.stale)),
            "duplicate_records": (d.records_removed, "duplicate_records", L.number(d.records_removed)),
        }
        if self.has_history:
            share = rfm.concentration(self.rfm)
            out |= {
                "dormant": (self.targets.dormant, L("customers.targets.dormant", months=self.targets.dormant_months),
                            L.number(self.targets.dormant)),
                "new": (self.targets.new, L("customers.targets.new", months=self.targets.new_months), L.number(self.targets.new)),
            }
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
            scores = self.rfm.assign(segment=[self.segment_name(s) for s in self.rfm["segment"]])
            safe_cells.to_csv(scores, target / "scores_rfm.csv", encoding="utf-8")
            written.append(target / "scores_rfm.csv")
        pairs = self.pairs.copy()
        for side in ("a", "b"):
            pairs[f"customer_id_{side}"] = self.customers["customer_id"].to_numpy()[pairs[side].to_numpy()]
        safe_cells.to_csv(pairs, target / "doublons.csv", index=False, encoding="utf-8")
        safe_cells.to_csv(dedup.dedupe(self.customers, self.pairs), target / "fichier_nettoye.csv", index=False,
                          encoding="utf-8")
        written += [target / "doublons.csv", target / "fichier_nettoye.csv"]
        stale = quality.stale_records(self.customers, self.transactions, self.as_of, self.cd.stale_years)
        safe_cells.to_csv(self.customers[stale.to_numpy()], target / "fiches_inactives.csv", index=False, encoding="utf-8")
        written.append(target / "fiches_inactives.csv")
        if self.clv["prediction"] is not None:
            safe_cells.to_csv(self.clv["prediction"], target / "valeur_predite.csv", encoding="utf-8")
            written.append(target / "valeur_predite.csv")
        return written


def _top(values: pd.Series, n: int, minimum: int = 1) -> list[str]:
    counts = values.dropna().astype(str).value_counts()
    return [name for name, count in counts.head(n).items() if count >= minimum]


def _money_or_dash(labels: Labels, amount) -> str:
    return "—" if pd.isna(amount) else labels.money(round(float(amount)))


def _show_separator(sep) -> str:
    return {";": "« ; »", ",": "« , »", "\t": "tab", None: ""}.get(sep, str(sep))


_DATE_CODES = {"fr": {"%d": "jj", "%m": "mm", "%Y": "aaaa", "%H": "hh", "%M": "mm", "%S": "ss"},
               "en": {"%d": "dd", "%m": "mm", "%Y": "yyyy", "%H": "hh", "%M": "mm", "%S": "ss"}}


def _show_dates(fmt, lang: str = "fr") -> str:
    """'%d/%m/%Y %H:%M' -> 'jj/mm/aaaa hh:mm': what a consultant reads."""
    if isinstance(fmt, dict):
        return ", ".join(sorted({_show_dates(v, lang) for v in fmt.values() if v}))
    text = str(fmt or "")
    for code, shown in _DATE_CODES[lang].items():
        text = text.replace(code, shown)
    return text
