"""Workbook 05's KPI part: the KPI table, which KPI measures each objective and
action, the dashboard of targets vs actuals and the reporting calendar — the
tables, the chart (through ``relkit.views.charts.kpi``) and the sentences, from
the labels catalogue.

The sentences are plain functions (topic results and ``Labels`` in, text out);
``KpiSections`` gives them to ``PlanWorkbook``.
"""
from __future__ import annotations

import datetime as dt
import functools

import pandas as pd
from babel.dates import format_date

from relkit.io.labels import Labels
from relkit.topics.kpi import dashboard as kpi_dashboard, latest, link_kpis, status_counts
from relkit.topics.kpi_calendar import QUARTER_END_MONTHS, Period, reporting_calendar
from relkit.views.charts import kpi as charts
from relkit.views.number_text import kpi_value_text


# --- sentences -------------------------------------------------------------------------

def unmatched_text(links: pd.DataFrame, labels: Labels) -> list[str]:
    """'« Financement » (Vidéo de présentation) : KPI absent du tableau des KPI'."""
    out = []
    for r in links[~links["matched"].astype(bool)].to_dict("records"):
        out.append(labels("kpi.link.unmatched", kpi=r["kpi_text"], item=r["item"]))
    return out


def calendar_text(calendar: pd.DataFrame, labels: Labels) -> list[str]:
    """The reporting calendar in a few sentences: the rule, what is reviewed
    every month, at quarter end and at year end, and the review dates."""
    lines = [labels("kpi.calendar.rule")]
    if calendar.empty:
        return lines + [labels("kpi.calendar.empty")]

    def names(freq: str) -> list[str]:
        part = calendar[calendar["frequency"] == freq]
        return list(dict.fromkeys(part["kpi"]))

    monthly, weekly = names("monthly"), names("weekly")
    if monthly or weekly:
        text = labels("kpi.calendar.monthly", kpis=labels.join(monthly) if monthly else "–")
        if weekly:
            text += " " + labels("kpi.calendar.weekly", kpis=labels.join(weekly))
        lines.append(text)
    quarterly = names("quarterly")
    if quarterly:
        months = [format_date(dt.date(2000, m, 1), format="LLLL", locale=labels.locale) for m in QUARTER_END_MONTHS]
        lines.append(labels("kpi.calendar.quarterly", months=labels.join(months), kpis=labels.join(quarterly)))
    yearly = names("yearly")
    if yearly:
        lines.append(labels("kpi.calendar.yearly", kpis=labels.join(yearly)))
    dates = list(dict.fromkeys(calendar["review_date"]))
    lines.append(labels("kpi.calendar.dates",
                        dates=labels.join([format_date(d, format="d MMMM", locale=labels.locale) for d in dates])))
    return lines


def status_text(dash: pd.DataFrame, labels: Labels, latest_only: bool = True) -> list[str]:
    """The dashboard in sentences: the counts, then each KPI that is not on
    track (worst first), the KPIs without target, and the rule applied."""
    data = latest(dash) if latest_only else dash
    if data.empty:
        return [labels("kpi.status_text.empty")]
    counts = status_counts(data)
    lines = [labels("kpi.status_text.summary", n=len(data), on_track=counts["on_track"], watch=counts["watch"],
                    off_track=counts["off_track"])]
    late = data[data["status"].isin(["off_track", "watch"])].copy()
    late["_rank"] = late["attainment"].fillna(-1.0)
    for r in late.sort_values("_rank", kind="stable").to_dict("records"):
        lines.append(labels(
            "kpi.status_text.item", kpi=r["kpi"], period=Period.from_key(r["period"]).label(labels),
            actual=kpi_value_text(r["actual"], r["unit"], labels), target=kpi_value_text(r["target"], r["unit"], labels),
            attainment=labels.percent(r["attainment"]) if not pd.isna(r["attainment"]) else "–",
            status=labels(f"kpi.status.{r['status']}"),
        ))
    no_target = list(dict.fromkeys(data.loc[data["status"] == "no_target", "kpi"]))
    if no_target:
        lines.append(labels("kpi.status_text.no_target", kpis=labels.join(no_target)))
    on, watch = dash.attrs.get("thresholds", (1.0, 0.8))
    lines.append(labels("kpi.status_text.rule", on=labels.percent(on), watch=labels.percent(watch)))
    return lines


# --- the notebook's KPI part -----------------------------------------------------------
class KpiSections:
    """KPIs, links, dashboard and reporting calendar of ``PlanWorkbook`` (mixed into it,
    which gives the engagement, the labels, the workshop sheets and the KPI table)."""

    L: Labels
    eng: object  # the Engagement
    sheets: dict
    kpis: pd.DataFrame | None
    label: object  # (list name, code) -> the choice's label

    @functools.cached_property
    def dashboard(self) -> pd.DataFrame | None:
        actuals = self.sheets.get("actuals")
        if self.kpis is None or actuals is None or not len(actuals):
            return None
        return kpi_dashboard(self.kpis, actuals, self.eng.plan_year)

    @functools.cached_property
    def calendar(self) -> pd.DataFrame | None:
        return reporting_calendar(self.kpis, self.eng.plan_year, self.L.lang) if self.kpis is not None else None

    def kpi_table(self, definitions: bool = False) -> pd.DataFrame:
        L, k = self.L, self.kpis
        if k is None:
            return pd.DataFrame()
        table = pd.DataFrame({  # the report keeps one short line per KPI; the Excel plan adds definitions
            L("planwb.col.kpi"): k["name"].tolist(),
            L("planwb.col.formula"): k["formula"].fillna("").tolist(),
            L("planwb.col.unit"): [self.label("kpi_unit", u) for u in k["unit"]],
            L("planwb.col.frequency"): [self.label("frequency", f) for f in k["frequency"]],
            L("planwb.col.target_value"): [kpi_value_text(v, u, L) if pd.notna(v) else "" for v, u in zip(k["target"], k["unit"])],
        })
        if definitions:
            table.insert(1, L("planwb.col.definition"), k["definition"].fillna("").tolist())
        return table

    @functools.cached_property
    def links(self) -> pd.DataFrame | None:
        if self.kpis is None:
            return None
        return link_kpis(self.kpis, self.sheets.get("actions"), self.sheets.get("objectives"))

    def links_table(self) -> pd.DataFrame:
        """Each objective and action with the KPIs that measure it."""
        L, links = self.L, self.links
        if links is None or links.empty:
            return pd.DataFrame()
        rows = []
        for (source, item), group in links.groupby(["source", "item"], sort=False):
            matched = [k for k in group.loc[group["matched"].astype(bool), "kpi"] if isinstance(k, str)]
            rows.append({L("planwb.col.source"): L(f"planwb.source.{source}"), L("planwb.col.item"): item,
                         L("planwb.col.kpis"): ", ".join(dict.fromkeys(matched)) or "—"})
        return pd.DataFrame(rows)

    def links_text(self) -> list[str]:
        return unmatched_text(self.links, self.L) if self.links is not None else []

    def dashboard_table(self) -> pd.DataFrame:
        L, d = self.L, self.dashboard
        if d is None:
            return pd.DataFrame()
        d = latest(d)
        return pd.DataFrame({
            L("planwb.col.kpi"): d["kpi"].tolist(),
            L("planwb.col.period"): [Period.from_key(p).label(L) for p in d["period"]],
            L("planwb.col.target_value"): [kpi_value_text(v, u, L) for v, u in zip(d["target"], d["unit"])],
            L("planwb.col.actual"): [kpi_value_text(v, u, L) for v, u in zip(d["actual"], d["unit"])],
            L("planwb.col.attainment"): [L.percent(v) if pd.notna(v) else "" for v in d["attainment"]],
            L("planwb.col.status"): [L(f"kpi.status.{s}") for s in d["status"]],
        })

    def dashboard_chart(self):
        if self.dashboard is None:
            return None
        return charts.dashboard_chart(self.dashboard, labels=self.L).figure

    def dashboard_text(self) -> list[str]:
        return status_text(self.dashboard, self.L) if self.dashboard is not None else [self.L("planwb.no_actuals")]

    def calendar_table(self) -> pd.DataFrame:
        """One line per review: its date, what kind of review, how many KPIs
        (the KPIs themselves are named once, by frequency, in the text)."""
        L, c = self.L, self.calendar
        if c is None or c.empty:
            return pd.DataFrame()
        rows = []
        for (month, label), group in c.groupby(["month", "review_label"], sort=True):
            freqs = set(group["frequency"])
            kind = "yearly" if "yearly" in freqs else "quarterly" if "quarterly" in freqs else "monthly"
            rows.append({L("planwb.col.review"): label, L("planwb.col.review_kind"): L(f"planwb.review.{kind}"),
                         L("planwb.col.kpi_count"): L.number(group["kpi"].nunique())})
        return pd.DataFrame(rows)

    def calendar_text(self) -> list[str]:
        return calendar_text(self.calendar, self.L) if self.calendar is not None else []

