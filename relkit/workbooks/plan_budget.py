"""Workbook 05's budget part: what the notebook shows of the budget, its methods,
the backward funnel, ROI and LTV:CAC — the tables, the charts (through
``relkit.views.charts.budget``) and the sentences, from the labels catalogue.

The sentences are plain functions (topic results and ``Labels`` in, text out) so
the workshop editor says the same thing; ``BudgetSections`` gives them to
``PlanWorkbook``.
"""
from __future__ import annotations

import functools

import pandas as pd

from relkit.io.labels import Labels
from relkit.topics.action_plan import Action, category_label
from relkit.topics.budget import (budget_lines, category_totals, objective_totals, quarter_label, quarter_totals,
                                  reconcile)
from relkit.topics.budget_methods import (Funnel, backward_funnel, fixed_envelope_total, funnel_steps,
                                          percent_of_revenue_budget, stage_label)
from relkit.topics.roi import RoiSummary, action_roi, gain, ltv_cac, overall_roi, roi
from relkit.views.charts import budget as charts
from relkit.views.number_text import number_text, percent_text, signed_money


# ---------------------------------------------------------------- sentences
def reconciliation_text(reconciled: pd.DataFrame, labels: Labels) -> list[str]:
    """One sentence per gap, with numbers, then one for the quarters that match."""
    sentences, matching = [], []
    for record in reconciled.to_dict("records"):
        if record["status"] is None:
            continue
        q = quarter_label(record["quarter"], labels)
        if record["fixed_status"] != "ok":
            sentences.append(labels("budget.reconcile.fixed_gap", quarter=q,
                                    items=labels.money(record["items_fixed"]),
                                    envelope=labels.money(record["envelope_fixed"]),
                                    difference=signed_money(record["fixed_difference"], labels)))
        if record["percent_status"] != "ok":
            points = record["percent_difference"] * 100
            sentences.append(labels("budget.reconcile.percent_gap", quarter=q,
                                    items=percent_text(record["items_percent"], labels),
                                    envelope=percent_text(record["envelope_percent"], labels),
                                    difference=("\u2212" if points < 0 else "+") + number_text(abs(points), labels)))
        if record["status"] == "ok":
            matching.append(q)
    if matching:
        key = "budget.reconcile.match_one" if len(matching) == 1 else "budget.reconcile.match_many"
        sentences.append(labels(key, quarters=labels.join(matching)))
    return sentences


def budget_summary_text(totals: pd.DataFrame, labels: Labels) -> str:
    """The year in one or two sentences: fixed €, shares of revenue valued at the forecast,
    total, and internal time kept apart."""
    fixed = round(float(totals["fixed"].sum()), 2)
    share = totals["percent_money"].astype(float)
    hours = round(float(totals["hours"].sum()), 2)
    parts = []
    if share.isna().any():
        parts.append(labels("budget.summary.fixed_only", fixed=labels.money(fixed)))
    elif share.sum() > 0:
        parts.append(labels("budget.summary.with_percent", fixed=labels.money(fixed),
                            percent=labels.money(round(float(share.sum()), 2)),
                            total=labels.money(round(fixed + float(share.sum()), 2))))
    else:
        parts.append(labels("budget.summary.fixed_only", fixed=labels.money(fixed)))
    if hours:
        values = totals["hours_value"].astype(float)
        if values.notna().all():
            parts.append(labels("budget.summary.hours_valued", hours=number_text(hours, labels),
                                value=labels.money(round(float(values.sum()), 2))))
        else:
            parts.append(labels("budget.summary.hours", hours=number_text(hours, labels)))
    return " ".join(parts)


def method_comparison_text(labels: Labels, fixed: float | None = None, percent: float | None = None,
                           rate: float | None = None, revenue: float | None = None,
                           objective: float | None = None, fixed_is_actions: bool = False) -> list[str]:
    """Each budget method's figure side by side (seed 001: fixed, % of revenue, carte blanche
    / objective-based), each named for what it is, then the spread between the lowest and the
    highest. ``fixed`` is the declared envelopes, or the costed actions (``fixed_is_actions``)."""
    sentences, figures = [], []
    if fixed is not None:
        sentences.append(labels("budget.method.actions" if fixed_is_actions else "budget.method.fixed",
                                amount=labels.money(fixed)))
        figures.append(fixed)
    if percent is not None:
        if rate is not None and revenue is not None:
            sentences.append(labels("budget.method.percent_of", amount=labels.money(percent),
                                    rate=percent_text(rate, labels), revenue=labels.money(revenue)))
        else:
            sentences.append(labels("budget.method.percent", amount=labels.money(percent)))
        figures.append(percent)
    if objective is not None:
        sentences.append(labels("budget.method.objective", amount=labels.money(objective)))
        figures.append(objective)
    if len(figures) >= 2:
        low, high = min(figures), max(figures)
        sentences.append(labels("budget.method.spread", low=labels.money(low), high=labels.money(high),
                                difference=labels.money(round(high - low, 2))))
    return sentences


def funnel_text(funnel: Funnel, labels: Labels) -> str:
    """'To win 60 000 € at 400 € a customer: 150 customers, 600 SQL, … 60 000 visitors; budget 48 000 €.'"""
    counts = [f"{labels.number(funnel.customers)} {stage_label('customer', labels)}"]
    counts += [f"{labels.number(c)} {stage_label(s, labels)}" for s, c, _ in funnel.stages]
    text = labels("budget.funnel.counts", revenue=labels.money(funnel.revenue_to_win),
                  value=labels.money(funnel.value_per_customer), counts=labels.join(counts))
    if funnel.basis == "cac":
        text += " " + labels("budget.funnel.budget_cac", cac=labels.money(funnel.cac),
                             budget=labels.money(funnel.budget))
    elif funnel.basis == "cost_per_visitor":
        text += " " + labels("budget.funnel.budget_visitor", cost=labels.money(funnel.cost_per_visitor),
                             budget=labels.money(funnel.budget))
    return text


def roi_text(cost: float, revenue: float | None, labels: Labels, margin: float | None = None) -> str:
    """'For 200 000 € spent the plan expects 500 000 € of revenue: a 150 % ROI.' With a margin
    rate the ROI is on the margin, and the sentence says which basis ("ROI calculé sur la marge (55 %)")."""
    if revenue is None:
        return labels("budget.roi.no_effect", cost=labels.money(cost))
    earned = gain(revenue, margin)
    value = roi(cost, earned)
    if value is None:
        return labels("budget.roi.no_cost", revenue=labels.money(revenue))
    # a result: whole points, as everywhere the ROI is printed
    if margin is None:
        return labels("budget.roi.sentence", cost=labels.money(cost), revenue=labels.money(revenue),
                      roi=labels.percent(value)) + " " + labels("budget.roi.on_revenue")
    return (labels("budget.roi.sentence_margin", cost=labels.money(cost), revenue=labels.money(revenue),
                   gain=labels.money(round(earned)), roi=labels.percent(value))
            + " " + labels("budget.roi.on_margin", margin=percent_text(margin, labels)))


def ltv_cac_text(ltv: float, cac: float, labels: Labels) -> str:
    """'A customer brings 1 400 € and costs 100 € to win: LTV:CAC of 14, under-invests in acquisition.'"""
    ratio, reading = ltv_cac(ltv, cac)
    if ratio is None:
        return labels("budget.ltv_cac.no_cac", ltv=labels.money(ltv, decimals=False))
    # whole euros, as the customer-value (VMC) table prints the same figures
    return labels("budget.ltv_cac.sentence", ltv=labels.money(ltv, decimals=False), cac=labels.money(cac, decimals=False),
                  ratio=number_text(ratio, labels), reading=labels(f"budget.ltv_cac.{reading}"))


# ---------------------------------------------------------------- the notebook's budget part
class BudgetSections:
    """Budget, methods, funnel, ROI and LTV:CAC of ``PlanWorkbook`` (mixed into it,
    which gives the engagement, the labels, the actions and the customer file)."""

    L: Labels
    eng: object  # the Engagement
    cf: object  # the CustomerFile, or None
    actions: list[Action]
    forecast: dict
    envelopes: dict
    money_total: object  # () -> the year's money budget

    @functools.cached_property
    def lines(self) -> pd.DataFrame:
        return budget_lines(self.actions)

    @functools.cached_property
    def totals(self) -> pd.DataFrame:
        return quarter_totals(self.lines, self.forecast, self.eng.budget.hourly_cost)

    @functools.cached_property
    def reconciled(self) -> pd.DataFrame | None:
        return reconcile(self.totals, self.envelopes) if self.envelopes else None

    @functools.cached_property
    def roi(self) -> RoiSummary:
        return overall_roi(self.actions, self.forecast, self.eng.value.margin)

    def quarters_table(self) -> pd.DataFrame:
        L, t = self.L, self.totals
        return pd.DataFrame({
            L("planwb.col.quarter"): [quarter_label(q, L) for q in t["quarter"]],
            L("planwb.col.fixed"): [L.money(v) for v in t["fixed"]],
            L("planwb.col.percent"): [L.percent(v) if v else "" for v in t["percent"]],
            L("planwb.col.forecast"): [L.money(v) if pd.notna(v) else "" for v in t["revenue_forecast"]],
            L("planwb.col.percent_money"): [L.money(v) if pd.notna(v) and v else "" for v in t["percent_money"]],
            L("planwb.col.total"): [L.money(v) if pd.notna(v) else "" for v in t["total"]],
            L("planwb.col.hours"): [L.number(round(v)) for v in t["hours"]],
        })

    def reconciliation_table(self) -> pd.DataFrame:
        L, r = self.L, self.reconciled
        if r is None:
            return pd.DataFrame()
        sign = lambda v: ("+" if v > 0 else "") + L.money(v) if v else "0"  # noqa: E731
        return pd.DataFrame({
            L("planwb.col.quarter"): [quarter_label(q, L) for q in r["quarter"]],
            L("planwb.col.envelope_fixed"): [L.money(v) if pd.notna(v) else "" for v in r["envelope_fixed"]],
            L("planwb.col.items_fixed"): [L.money(v) for v in r["items_fixed"]],
            L("planwb.col.difference"): [sign(v) if pd.notna(v) else "" for v in r["fixed_difference"]],
            L("planwb.col.envelope_percent"): [L.percent(v) if pd.notna(v) and v else "" for v in r["envelope_percent"]],
            L("planwb.col.items_percent"): [L.percent(v) if v else "" for v in r["items_percent"]],
            L("planwb.col.status"): [L(f"planwb.status.{s}") if isinstance(s, str) else "" for s in r["status"]],
        })

    def reconciliation_text(self) -> list[str]:
        return reconciliation_text(self.reconciled, self.L) if self.reconciled is not None else []

    def differences(self) -> int:
        r = self.reconciled
        return 0 if r is None else int(r["status"].isin(["over", "under"]).sum())

    def budget_chart(self):
        if not self.actions:
            return None
        return charts.budget_chart(self.totals, labels=self.L, envelopes=self.envelopes or None).figure

    def budget_text(self) -> str:
        return budget_summary_text(self.totals, self.L)

    def quarters_takeaway(self) -> str:
        """The quarter that takes most of the costed actions' budget, and the one with least."""
        L, t = self.L, self.totals.dropna(subset=["total"])
        grand = float(t["total"].sum())
        if t.empty or not grand:
            return ""
        high = t.loc[t["total"].idxmax()]
        low = t.loc[t["total"].idxmin()]
        return L("planwb.takeaway.quarters", quarter=quarter_label(high["quarter"], L), share=L.percent(high["total"] / grand),
                 amount=L.money(round(high["total"], 2)), low_quarter=quarter_label(low["quarter"], L),
                 low_amount=L.money(round(low["total"], 2)))

    def categories_takeaway(self) -> str:
        """The category that weighs most in the costed actions' budget (the chart's largest bar)."""
        L, c = self.L, category_totals(self.lines, self.forecast)
        c = c[c["total"] > 0]
        if c.empty:
            return ""
        top = c.loc[c["total"].idxmax()]
        if len(c) == 1:
            return L("planwb.takeaway.categories_one", category=category_label(top["category"], L),
                     amount=L.money(round(top["total"], 2)))
        return L("planwb.takeaway.categories", category=category_label(top["category"], L), share=L.percent(top["share"]),
                 amount=L.money(round(top["total"], 2)), others=len(c) - 1)

    def categories_table(self) -> pd.DataFrame:
        L, c = self.L, category_totals(self.lines, self.forecast)
        return pd.DataFrame({
            L("planwb.col.category"): [category_label(v, L) for v in c["category"]],
            L("planwb.col.total"): [L.money(round(v, 2)) for v in c["total"]],
            L("planwb.col.share"): [L.percent(v) for v in c["share"]],
            L("planwb.col.hours"): [L.number(round(v)) for v in c["hours"]],
        })

    def category_chart(self):
        if not self.actions:
            return None
        return charts.category_chart(category_totals(self.lines, self.forecast), labels=self.L).figure

    def objectives_table(self) -> pd.DataFrame:
        L, o = self.L, objective_totals(self.lines, self.forecast)
        return pd.DataFrame({
            L("planwb.col.objective"): [v if isinstance(v, str) else L("planwb.no_objective") for v in o["objective"]],
            L("planwb.col.total"): [L.money(round(v, 2)) for v in o["total"]],
            L("planwb.col.share"): [L.percent(v) for v in o["share"]],
            L("planwb.col.hours"): [L.number(round(v)) for v in o["hours"]],
        })

    def value_per_customer(self) -> tuple[float | None, str]:
        """A new customer's revenue over the plan year (basket × purchases a year) or their VMC."""
        if self.cf is not None:
            if self.eng.funnel.basis == "vmc" and (result := self.cf.vmc()) is not None:
                return float(result.gross), "vmc"
            if self.eng.funnel.basis != "vmc" and (basket := self.cf.basket_value()) is not None:
                return basket, "basket"
        v = self.eng.value
        if v.average_transaction and v.purchases_per_year:
            return round(v.average_transaction * v.purchases_per_year, 2), "basket"
        return None, "basket"

    @functools.cached_property
    def funnel(self) -> Funnel | None:
        value, _ = self.value_per_customer()
        to_win = self.eng.revenue.target - self.eng.revenue.last_year
        steps = self.eng.funnel.steps() or funnel_steps(conversion_rate=self.eng.value.conversion_rate)
        if not value or to_win <= 0:
            return None
        return backward_funnel(to_win, value, steps, cost_per_visitor=self.eng.value.cost_to_reach)

    def funnel_table(self) -> pd.DataFrame:
        L, f = self.L, self.funnel
        if f is None:
            return pd.DataFrame()
        t = f.table
        return pd.DataFrame({
            L("planwb.col.stage"): [stage_label(s, L) for s in t["stage"]],
            L("planwb.col.count"): [L.number(v) for v in t["count"]],
            L("planwb.col.rate"): [percent_text(v, L) if pd.notna(v) else "" for v in t["rate"]],  # stated rates, as written
        })

    def funnel_text(self) -> str:
        return funnel_text(self.funnel, self.L) if self.funnel is not None else self.L("planwb.no_funnel")

    def methods_text(self) -> list[str]:
        L, b = self.L, self.eng.budget
        fixed = fixed_envelope_total(self.envelopes, self.forecast) if self.envelopes else self.money_total()
        rate = b.percent_of_revenue
        percent = percent_of_revenue_budget(rate, self.eng.revenue.target) if rate else None
        objective = self.funnel.budget if self.funnel is not None else None
        out = [L("planwb.method.chosen", method=L(f"planwb.method.{b.method}"))]
        out += method_comparison_text(L, fixed=fixed, percent=percent, rate=rate, revenue=self.eng.revenue.target,
                                      objective=objective, fixed_is_actions=not self.envelopes)
        return out

    def roi_table(self) -> pd.DataFrame:
        L, r = self.L, action_roi(self.actions, self.forecast, self.eng.value.margin)
        return pd.DataFrame({
            L("planwb.col.action"): r["action"].tolist(),
            L("planwb.col.cost"): [L.money(v) for v in r["cost"]],
            L("planwb.col.revenue_effect"): [L.money(v) for v in r["revenue_effect"]],
            L("planwb.col.roi"): [L.percent(v) if v is not None and pd.notna(v) else "" for v in r["roi"]],
        })

    def roi_text(self) -> str:
        return roi_text(self.roi.cost, self.roi.revenue, self.L, self.roi.margin)

    def ltv_cac(self) -> tuple[float, float] | None:
        if self.cf is None or not self.cf.has_acquisition():
            return None
        v = self.cf.vmc()
        return None if v is None else (float(v.gross), float(v.acquisition_cost))

    def expected_revenue(self) -> dict[str, float]:
        """The plan's expected revenue by programme (an action's "Programme", else the
        action itself), in plan order; only actions that state a revenue effect."""
        out: dict[str, float] = {}
        for action in self.actions:
            if action.revenue_effect is not None:
                name = action.programme or action.action
                out[name] = round(out.get(name, 0.0) + float(action.revenue_effect), 2)
        return out

    def budget_figures(self) -> dict[str, tuple[object, str, str]]:
        """What the consistency checks and the summary read of the budget: the plan's
        expected revenue (total and by programme), the costed actions per quarter
        (fixed € and shares of revenue) and the declared envelopes' total."""
        L, out = self.L, {}
        by_programme = self.expected_revenue()
        if by_programme:
            total = round(sum(by_programme.values()), 2)
            out["plan_expected_revenue"] = (total, L("checks.figure.plan_expected_revenue"), L.money(total))
            out["plan_expected_revenue_by_programme"] = (by_programme, L("checks.figure.plan_expected_revenue_by_programme"),
                                                         L.join([f"{k} {L.money(v)}" for k, v in by_programme.items()]))
        if self.actions:
            quarters = {r["quarter"]: {"fixed": r["fixed"], "percent": r["percent"]}
                        for r in self.totals.to_dict("records")}
            out["budget_quarters"] = (quarters, L("checks.figure.budget_quarters"),
                                      L.join([f"{quarter_label(q, L)} {L.money(v['fixed'])}" for q, v in quarters.items()]))
        if self.roi.roi is not None:  # which basis the "roi" figure is on
            margin = self.roi.margin
            out["roi_basis"] = ("margin" if margin is not None else "revenue", L("planwb.kpi.roi_basis"),
                                L("budget.roi.on_margin", margin=percent_text(margin, L)) if margin is not None
                                else L("budget.roi.on_revenue"))
        if self.envelopes:
            declared = fixed_envelope_total(self.envelopes, self.forecast)
            out["budget_envelopes_total"] = (declared, L("budget.total.envelopes"), L.money(declared))
        return out

    def ltv_cac_text(self) -> str:
        pair = self.ltv_cac()
        if pair:
            return ltv_cac_text(pair[0], pair[1], self.L)
        if self.cf is not None and self.cf.has_acquisition():  # the customer value is what is missing
            return self.cf.not_measurable("vmc")
        return self.L("planwb.no_ltv_cac")

