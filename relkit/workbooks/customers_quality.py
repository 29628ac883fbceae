"""Workbook 02, the quality of the customer file: completeness and validity
per field, the duplicates found, the fields worth enriching (the audit is
``relkit.customers.quality``, the duplicate search ``relkit.customers.dedup``)."""
from __future__ import annotations

import pandas as pd

from relkit.views.charts import customers as charts


class QualitySection:
    """The quality part of the customer-file presenter (``CustomerFile``), which
    provides ``L`` (labels), ``quality`` (the audit) and ``dedup_report``."""

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
        return charts.completeness(tidy, labels=L, title=L("customers.quality.chart_title"), takeaway=takeaway).figure

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
