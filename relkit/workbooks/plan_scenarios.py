"""Workbook 05's automation scenarios (``relkit.topics.plan.scenarios``) as the
report shows them: a compact summary beside the programmes and the pressure (one
row per scenario: trigger, sequence, the most messages one person gets in a
month), the sentences, and the flow drawings for the appendix
(``relkit.views.charts.scenarios``). ``ScenarioSections`` is mixed into
``PlanWorkbook``, which gives the labels, the sheets, the programmes and the
pressure."""
from __future__ import annotations

import functools

import pandas as pd

from relkit.io.atelier import choice_label
from relkit.io.labels import Labels
from relkit.topics.plan.catalogue import CATALOGUE, channel_name
from relkit.topics.plan.programmes import Programme
from relkit.topics.plan.scenarios import Scenario, delay_text, scenario_for, scenarios_from_sheet


def _messages(n: float, channel: str, L: Labels) -> str:
    """'2 e-mails', '1 SMS', '1 courrier'."""
    if channel in ("email", "sms"):
        return L(f"plan.unit.{channel}_{'one' if n == 1 else 'many'}", n=L.number(n))
    return f"{L.number(n)} {channel_name(channel, L.lang)}"


def condition_text(code: str | None, L: Labels) -> str:
    """'si non ouvert'; '' for a message that always goes."""
    return "" if not code or code == "always" else choice_label("scenario_condition", code, L.lang)


class ScenarioSections:
    """The scenarios part of ``PlanWorkbook``."""

    L: Labels
    sheets: dict
    programmes: list[Programme]

    @functools.cached_property
    def scenarios(self) -> dict[str, Scenario]:
        return scenarios_from_sheet(self.sheets.get("scenarios"), self.L.lang)

    # -- who each scenario belongs to -----------------------------------------------
    def _programme_of(self, sc: Scenario) -> Programme | None:
        return next((p for p in self.programmes if scenario_for(p, {sc.key: sc}) is sc), None)

    def _name(self, sc: Scenario) -> str:
        p = self._programme_of(sc)
        if p is not None:
            return p.label
        std = CATALOGUE.get(sc.key)
        return std.label[self.L.lang] if std is not None else sc.programme

    def _trigger(self, sc: Scenario) -> str:
        p = self._programme_of(sc)
        if p is not None and p.trigger:
            return p.trigger
        std = CATALOGUE.get(sc.key)
        return std.trigger[self.L.lang] if std is not None else self.L("scenarios.trigger.none")

    # -- what a programme sends, as the pressure counts it ----------------------------------
    def programme_messages(self, p: Programme) -> float:
        """Messages one targeted person gets in a month: its scenario's densest month (all
        channels), else the programme's messages per month."""
        sc = scenario_for(p, self.scenarios)
        return float(sc.monthly()) if sc is not None and sc.steps else float(p.messages_per_month)

    def programme_channel_codes(self, p: Programme) -> tuple[str, ...]:
        """The channels a programme sends on: its scenario's, else its own."""
        sc = scenario_for(p, self.scenarios)
        return sc.channels if sc is not None and sc.steps else (p.channel,)

    def programme_channels(self, p: Programme) -> str:
        """'e-mail, SMS' for a scenario on two channels; the programme's channel otherwise."""
        return ", ".join(channel_name(c, self.L.lang) for c in self.programme_channel_codes(p))

    # -- the summary ------------------------------------------------------------------
    def sequence_text(self, sc: Scenario) -> str:
        """'J0 e-mail → J+3 e-mail si non ouvert → J+10 SMS si pas d'achat'."""
        L = self.L
        parts = []
        for s in sc.steps:
            cond = condition_text(s.condition, L)
            parts.append(" ".join(x for x in (delay_text(s.delay, L.lang), channel_name(s.channel, L.lang), cond) if x))
        return " → ".join(parts)

    def peak_text(self, sc: Scenario) -> str:
        """'2 e-mails, 1 SMS': the most one person gets in one month, per channel."""
        return ", ".join(_messages(n, c, self.L) for c, n in sc.per_channel().items())

    def scenarios_table(self) -> pd.DataFrame:
        """One row per scenario: programme, sequence, most messages a month per channel (the trigger
        is in the programmes table above it, and on the flows)."""
        L = self.L
        return pd.DataFrame([{
            L("scenarios.col.programme"): self._name(sc),
            L("scenarios.col.sequence"): self.sequence_text(sc),
            L("scenarios.col.peak"): self.peak_text(sc),
        } for sc in self.scenarios.values()])

    def scenario_counts(self) -> tuple[int, int, int]:
        """(scenarios, messages, conditional messages)."""
        scs = list(self.scenarios.values())
        return len(scs), sum(len(sc.steps) for sc in scs), sum(sc.conditional for sc in scs)

    def scenarios_text(self) -> list[str]:
        """What the scenarios add up to, and those of programmes the plan does not run."""
        L = self.L
        if not self.scenarios:
            return []
        n, messages, conditional = self.scenario_counts()
        out = [L("scenarios.text", n=n, messages=messages, conditional=conditional)]
        counted = {p.label for p in self.programmes if p.months}  # a scenario whose data lacks: the pressure says so
        outside = [L("plan.quote", name=self._name(sc)) for sc in self.scenarios.values()
                   if self._name(sc) not in counted]
        if outside:
            out.append(L("scenarios.outside", names=L.join(outside), n=len(outside)))
        return out

    # -- the flows (appendix) ------------------------------------------------------------
    def scenario_steps(self, sc: Scenario) -> pd.DataFrame:
        """The tidy frame ``scenario_flow`` draws: one row per step, labels in the language."""
        L = self.L
        return pd.DataFrame([{
            "step": s.number, "delay": delay_text(s.delay, L.lang), "channel": s.channel,
            "channel_name": channel_name(s.channel, L.lang)[:1].upper() + channel_name(s.channel, L.lang)[1:],
            "message": s.message or "", "condition": condition_text(s.condition, L),
        } for s in sc.steps])

    def scenarios_takeaway(self) -> str:
        """The longest scenario (most messages, then the longest span) and its conditional messages."""
        scs = list(self.scenarios.values())
        if not scs:
            return ""
        top = max(scs, key=lambda sc: (len(sc.steps), sc.span))
        return self.L("scenarios.chart.takeaway", programme=self.L("plan.quote", name=self._name(top)),
                      steps=len(top.steps), days=round(top.span), conditional=top.conditional)

    def scenarios_chart(self):
        if not self.scenarios:
            return None
        from relkit.views.charts.scenarios import scenarios_chart

        flows = [(self._name(sc), self._trigger(sc), self.scenario_steps(sc)) for sc in self.scenarios.values()]
        return scenarios_chart(flows, title=self.L("scenarios.chart.title"), takeaway=self.scenarios_takeaway()).figure

    def scenario_figures(self) -> dict[str, tuple]:
        """Key figures for figures.json: key -> (value, label, display)."""
        if not self.scenarios:
            return {}
        L = self.L
        n, messages, conditional = self.scenario_counts()
        return {"scenarios": (n, L("scenarios.kpi.scenarios"), L.number(n)),
                "scenario_messages": (messages, L("scenarios.kpi.messages"), L.number(messages)),
                "scenario_conditional": (conditional, L("scenarios.kpi.conditional"), L.number(conditional))}
