"""Workbook 02, the value of a customer: the VMC (given or measured inputs,
overall and per segment) and the predicted CLV (MBG/NBD + Gamma-Gamma), their
tables, sentences and the fitted models kept for audit.
"""
from __future__ import annotations

import functools
import json
from pathlib import Path

import pandas as pd

from relkit.io.labels import Labels
from relkit.customers import clv, rfm, value
from relkit.views.number_text import percent_text


class ValueSection:
    """The value part of the customer-file presenter (``CustomerFile``), which
    provides ``eng``, ``L`` (labels), ``orders``, ``as_of``, ``rfm``,
    ``has_history``, ``history_months``, ``not_measurable()`` and ``segment_name()``."""

    MIN_CLV_WEEKS = 26  # a 12-month prediction from less than half a year of purchases is a guess

    @functools.cached_property
    def measured_vmc(self) -> pd.DataFrame:
        v = self.eng.value
        return value.vmc_inputs_from_orders(self.orders, self.as_of, v.period_years, v.cost_to_reach or 0,
                                            v.conversion_rate or 1, segment=None)

    def measured_input(self, name: str) -> float:
        """One input of the VMC measured on the purchases (NaN without history)."""
        if not self.has_history:
            return float("nan")
        return float(self.measured_vmc.iloc[0][name])

    def vmc_inputs(self) -> tuple[value.VMCInputs, dict[str, str]]:
        """Engagement parameters where given, measured values otherwise; a
        ValueError naming what the data cannot measure (``not_measurable``)."""
        v = self.eng.value
        origin, values = {}, {}
        for name in ("purchases_per_year", "retention", "average_transaction"):
            given = getattr(v, name)
            values[name] = given if given is not None else self.measured_input(name)
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
        per_year = v.purchases_per_year if v.purchases_per_year is not None else self.measured_input("purchases_per_year")
        basket = v.average_transaction if v.average_transaction is not None else self.measured_input("average_transaction")
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
                     ("conversion_rate", percent_text(inputs.conversion_rate, L), "engagement")]  # as written
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
            L("customers.value.col.gross"): [money_or_dash(L, g) for g in table["gross"]],
        })
        if self.has_acquisition():
            out[L("customers.value.col.net")] = [money_or_dash(L, n) for n in table["net"]]
        return out

    MIN_REPEAT_BUYERS = 30  # below this the CLV models are not identifiable
    CLV_MODEL = "mbgnbd"  # MBG/NBD: one-time buyers can be inactive (see relkit.customers.clv)
    FITTED_BY = "maximum likelihood: scipy L-BFGS-B on the closed-form log-likelihood (relkit.customers.clv)"

    @functools.cached_property
    def clv(self) -> dict:
        """Fitted MBG/NBD + Gamma-Gamma, their log-likelihoods and the
        per-customer predictions ("prediction" None when the history is too
        thin or too short, or when the models cannot be fitted to it: then
        "failure" says why, for the audit trail)."""
        if not self.has_history:
            return {"repeat": 0, "prediction": None}
        summary = clv.rfm_summary(self.orders, self.as_of)
        repeat = int((summary["frequency"] > 0).sum())
        weeks = self.history_months * (365.25 / 12) / 7
        if repeat < self.MIN_REPEAT_BUYERS or weeks < self.MIN_CLV_WEEKS:
            return {"repeat": repeat, "prediction": None}
        try:
            bg = clv.fit_mbgnbd(summary)
            gg = clv.fit_gamma_gamma(summary)
            prediction = clv.predict(summary, bg, gg, horizon_weeks=52, model=self.CLV_MODEL)
        except clv.FitError as error:
            return {"repeat": repeat, "prediction": None, "failure": str(error)}
        repeat_spenders = int(((summary["frequency"] > 0) & (summary["monetary_value"] > 0)).sum())
        models = {
            "purchases": {"model": f"MBG/NBD ({self.FITTED_BY})",
                          "parameters": bg, "log_likelihood": clv.bgnbd_log_likelihood(bg, summary, modified=True),
                          "customers": len(summary), "time_unit": "week"},
            "spend": {"model": f"Gamma-Gamma ({self.FITTED_BY})",
                      "parameters": gg, "log_likelihood": clv.gamma_gamma_log_likelihood(gg, summary),
                      "customers": repeat_spenders},
            "horizon_weeks": 52, "reference_date": str(pd.Timestamp(self.as_of).date()),
        }
        for key, params in (("purchases", bg), ("spend", gg)):
            if bounded := clv.at_bounds(params):
                models[key]["on_bounds"] = bounded
                models[key]["note"] = RIDGE_NOTES["spend" if bounded == ["q"] else ""]
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


RIDGE_NOTES = {  # for the audit trail (run.json), not the report
    "spend": ("q stopped at its bound: the customers' mean spends vary no more than chance explains, so the "
              "likelihood rises towards q, v -> infinity with v/q fixed; only p and v/q are identified, and every "
              "customer's expected spend is the population mean p*v/(q-1)"),
    "": ("a parameter stopped at a bound of [1e-8, 1e8]: the history shows no heterogeneity in that respect "
         "(a ridge of the likelihood); the predictions are those of the limit model"),
}


def money_or_dash(labels: Labels, amount) -> str:
    """An amount rounded to the unit, or a dash when there is none."""
    return "—" if pd.isna(amount) else labels.money(round(float(amount)))

