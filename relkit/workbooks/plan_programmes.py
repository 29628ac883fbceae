"""Workbook 05's programmes part: the channels, the programmes with their real
target sizes and the marketing pressure (``relkit.topics.plan``) as the report
shows them — the tables, the charts (through ``relkit.views.charts.plan``) and the
sentences, from the labels catalogue.

The sentences are plain functions (topic results and ``Labels`` in, text out) so
any other front end says the same thing; ``ProgrammeSections`` gives them to
``PlanWorkbook``.
"""
from __future__ import annotations

import functools

import pandas as pd
from babel.dates import get_month_names
from babel.lists import format_list

from relkit.io.labels import Labels
from relkit.topics.action_plan import month_abbreviations
from relkit.topics.collection_plan import CONSUMER_ONLY_FIELDS
from relkit.topics.plan.catalogue import channel_name
from relkit.topics.plan.pressure import Pressure, simulate_pressure
from relkit.topics.plan.programmes import Programme
from relkit.topics.plan.rules import Clause, Duration, Rule
from relkit.topics.plan.targets import REACH, RFM_COLUMNS, customer_base, field_name, reach_mask, target_sizes
from relkit.views.charts import plan as charts


# ------------------------------------------------------------------ rules
def describe_rule(rule: Rule, labels: Labels) -> str:
    """The rule in the deliverable's language ('no purchase for 12 months and at least 2 orders')."""
    return labels.join([_describe(c, labels) for c in rule.clauses])


def _describe(c: Clause, L: Labels) -> str:
    if c.kind == "segment":
        names = [L(f"segment.{s}") for s in c.value]
        return L("plan.rule.segment", segments=format_list(names, style="or", locale=L.locale))
    if isinstance(c.value, Duration):
        return L(f"plan.rule.{c.kind}", duration=_duration_text(c.value, L))
    if c.kind == "orders":
        lo, hi = c.value
        if hi is None:
            return L("plan.rule.orders_min", orders=_orders_text(lo, L))
        if lo == hi:
            return L("plan.rule.orders_exact", orders=_orders_text(lo, L))
        if lo == 0:
            return L("plan.rule.orders_max", orders=_orders_text(hi, L))
        return L("plan.rule.orders_between", low=L.number(lo), orders=_orders_text(hi, L))
    if c.kind == "top_spend":
        return L("plan.rule.top_spend", share=L.percent(c.value / 100, 0 if float(c.value).is_integer() else 1))
    if c.kind == "spend":
        amount, strict = c.value
        return L("plan.rule.spend_over" if strict else "plan.rule.spend_min", amount=L.money(amount))
    return L(f"plan.rule.{c.kind}")


def _number(x: float, L: Labels) -> str:
    return L.number(x) if float(x).is_integer() else L.number(x, 1)


def _duration_text(d: Duration, L: Labels) -> str:
    return L(f"plan.duration.{d.unit}_{'one' if d.amount == 1 else 'many'}", n=_number(d.amount, L))


def _orders_text(n: int, L: Labels) -> str:
    return L(f"plan.orders_{'one' if n == 1 else 'many'}", n=L.number(n))


def described_sizes(programmes: list[Programme], base: pd.DataFrame, as_of, labels: Labels) -> pd.DataFrame:
    """``target_sizes`` with each programme's target described (column ``target``, after ``code``)."""
    sizes = target_sizes(programmes, base, as_of)
    sizes.insert(2, "target", [describe_rule(p.rule, labels) for p in programmes])
    return sizes


# ------------------------------------------------------------------ sentences
def _month_name(month: int, L: Labels, width: str = "wide") -> str:
    return get_month_names(width, locale=L.locale)[int(month)]


def _customers(n: int, L: Labels) -> str:
    return L(f"plan.customers_{'one' if n == 1 else 'many'}", n=L.number(n))


def _messages(x: float, channel: str, L: Labels) -> str:
    unit = channel if channel in ("email", "sms") else "other"
    return L(f"plan.unit.{unit}_{'one' if x == 1 else 'many'}", n=_number(x, L))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _quote(name: str, L: Labels) -> str:
    return L("plan.quote", name=name)


def pressure_takeaway(pressure: Pressure, labels: Labels) -> str:
    """The pressure chart's line: the month and channel with the most customers
    over the cap (ties: the earliest month), else that nobody goes over."""
    L, s = labels, pressure.summary
    over = s[s["over_cap"].fillna(0) > 0]
    if over.empty:
        return L("plan.chart.pressure_ok")
    worst = over.sort_values(["over_cap", "month"], ascending=[False, True], kind="stable").iloc[0]
    return L("plan.chart.pressure_over_takeaway", month=_month_name(worst["month"], L),
             customers=L.number(int(worst["over_cap"])), cap=_messages(worst["cap"], worst["channel"], L),
             max=_messages(worst["max"], worst["channel"], L))


def pressure_text(pressure: Pressure, labels: Labels, model: str = "B2C") -> list[str]:
    """Plain sentences on the pressure: per channel, the worst month above the
    cap and the programmes that add up there, or the peak under the cap;
    programmes left out for lack of data."""
    L = labels
    out = []
    s = pressure.summary
    for channel in pressure.channels:
        d = s[s["channel"] == channel]
        if not d["customers"].sum():
            continue
        name = _capital(channel_name(channel, L.lang))
        cap = d["cap"].iloc[0]
        peak = d.sort_values(["max", "month"], ascending=[False, True], kind="stable").iloc[0]
        if pd.isna(cap):
            out.append(L("plan.pressure.no_cap", channel=name, max=_messages(peak["max"], channel, L),
                         month=_month_name(peak["month"], L)))
            continue
        over = d[d["over_cap"] > 0]
        if not len(over):
            out.append(L("plan.pressure.under_cap", channel=name, max=_messages(peak["max"], channel, L),
                         cap=_number(cap, L)))
            continue
        worst = over.sort_values(["over_cap", "month"], ascending=[False, True], kind="stable").iloc[0]
        oc = pressure.over_cap
        rows = oc[(oc["month"] == worst["month"]) & (oc["channel"] == channel)]
        # the same figures as the pressure table: everyone above the cap that month, the most
        # messages one of them gets, every programme that adds up there
        programmes = list(dict.fromkeys(p for t in rows["programmes"] for p in t))
        several = len(programmes) > 1
        n = int(worst["over_cap"])
        out.append(L("planwb.pressure.over" if several else "planwb.pressure.over_single",
                     month=_month_name(worst["month"], L), receive=L(f"plan.receive_{'one' if n == 1 else 'many'}",
                                                                     n=L.number(n)),
                     messages=_messages(rows["messages"].max(), channel, L), cap=_messages(cap, channel, L),
                     programmes=L.join(programmes) if several else _quote(programmes[0], L)))
        by_segment = rows.groupby(rows["segment"].fillna(""), sort=False)["customers"].sum().sort_values(
            ascending=False, kind="stable")
        segs = [f"{L(f'segment.{g}') if g else L('plan.no_segment')} ({L.number(c)})"
                for g, c in by_segment.head(3).items()]
        out.append(L("plan.pressure.over_months", channel=name, months=len(over), cap=_number(cap, L),
                     customers=_customers(int(worst["over_cap"]), L), month=_month_name(worst["month"], L),
                     segments=L.join(segs)))
    for _, r in pressure.skipped.iterrows():
        if model == "B2B" and set(r["missing"]) & set(CONSUMER_ONLY_FIELDS):  # no data to collect for a business
            out.append(L("plan.pressure.skipped_b2b", programme=_quote(r["programme"], L)))
            continue
        out.append(L("plan.pressure.skipped", programme=_quote(r["programme"], L),
                     fields=L.join([field_name(f, L.lang) for f in r["missing"]])))
    if not out:
        out.append(L("plan.pressure.none"))
    return out


def unfit_for_business(row, model: str) -> bool:
    """A programme aimed at private persons (birthday: a birth date) in a B2B plan."""
    return model == "B2B" and (row["code"] == "birthday" or bool(set(row["missing"]) & set(CONSUMER_ONLY_FIELDS)))


def targets_text(sizes: pd.DataFrame, labels: Labels, model: str = "B2C") -> list[str]:
    """Plain sentences on target sizes: the largest target, programmes that
    reach few of their target, empty targets, and the data to collect."""
    L = labels
    out = []
    known = sizes[sizes["size"].notna()]
    if len(known):
        big = known.sort_values("size", ascending=False, kind="stable").iloc[0]
        out.append(L("plan.targets.largest", programme=_quote(big["programme"], L),
                     customers=_customers(int(big["size"]), L), share=L.percent(big["share"])))
    for _, r in known.iterrows():
        size, reach = int(r["size"]), r["reachable"]
        if size == 0:
            out.append(L("plan.targets.empty", programme=_quote(r["programme"], L)))
        elif r["channel"] in REACH and not pd.isna(reach) and reach < 0.5 * size:
            out.append(L("plan.targets.low_reach", programme=_quote(r["programme"], L), reachable=L.number(int(reach)),
                         customers=_customers(size, L), channel=channel_name(r["channel"], L.lang),
                         share=L.percent(reach / size)))
    for _, r in sizes.iterrows():
        if unfit_for_business(r, model):  # not "collect birth dates" for a business client
            out.append(L("plan.targets.b2b_unfit", programme=_quote(r["programme"], L)))
        elif r["missing"]:
            fields = L.join([field_name(f, L.lang) for f in r["missing"]])
            key = "plan.targets.missing" if pd.isna(r["size"]) else "plan.targets.missing_channel"
            if pd.isna(r["size"]) and set(r["missing"]) <= set(RFM_COLUMNS):  # the sales export, not a collection
                key = "plan.targets.missing_history"
            out.append(L(key, programme=_quote(r["programme"], L), fields=fields))
    return out


# ------------------------------------------------------------------ the workbook's sections
class ProgrammeSections:
    """Channels, programmes, targets and pressure of ``PlanWorkbook`` (mixed into it,
    which gives the engagement, the labels, the programmes, the caps and the customer file)."""

    L: Labels
    eng: object  # the Engagement
    cf: object  # the CustomerFile, or None
    sheets: dict
    programmes: list[Programme]
    caps: dict[str, float]
    months_text: object  # (months) -> 'janv.–déc.'
    label: object  # (list name, code) -> its name

    # -- computations ---------------------------------------------------------
    @functools.cached_property
    def base(self) -> pd.DataFrame | None:
        if self.cf is None:
            return None
        return customer_base(self.cf.customers, self.cf.rfm, self.cf.as_of)

    @property
    def as_of(self):
        return self.cf.as_of if self.cf is not None else None

    @functools.cached_property
    def sizes(self) -> pd.DataFrame | None:
        if self.base is None or not self.programmes:
            return None
        return described_sizes(self.programmes, self.base, self.as_of, self.L)

    @functools.cached_property
    def pressure(self) -> Pressure | None:
        if self.base is None or not self.programmes:
            return None
        return simulate_pressure(self.programmes, self.base, self.as_of, self.eng.plan_year, self.caps,
                                 getattr(self, "scenarios", None))  # the scenarios' messages (ScenarioSections)

    # -- 1. channel strategy -----------------------------------------------------
    def channel_names(self) -> list[str]:
        """The programmes' channels, named, once each in programme order."""
        chans = []
        for p in self.programmes:
            name = channel_name(p.channel, self.L.lang)
            if name not in chans:
                chans.append(name)
        return chans

    def channels_table(self) -> pd.DataFrame:
        """Per channel: the programmes on it, messages per person at the busiest month, the contacts it reaches, the cap."""
        L, rows = self.L, []
        channels = []
        sends = {id(p): self.programme_channel_codes(p) for p in self.programmes}  # a scenario's channels too
        for p in self.programmes:
            channels += [c for c in sends[id(p)] if c not in channels]
        for ch in channels:
            progs = [p for p in self.programmes if ch in sends[id(p)] and p.status != "stop"]
            peak = None
            if self.pressure is not None:
                s = self.pressure.summary[self.pressure.summary["channel"] == ch]
                peak = float(s["max"].max()) if len(s) and s["max"].notna().any() else None
            reach = None
            if self.base is not None:
                reach = int(reach_mask(self.base, ch).sum())
            cap = self.caps.get(ch)
            rows.append({
                L("planwb.col.channel"): channel_name(ch, L.lang),
                L("planwb.col.programmes"): ", ".join(p.label for p in progs),
                L("planwb.col.reach"): L.number(reach) if reach is not None else "",
                L("planwb.col.peak"): L.number(peak) if peak is not None else "",
                L("planwb.col.cap"): L.number(cap) if cap is not None else "",
            })
        return pd.DataFrame(rows)

    def channels_text(self) -> str:
        L = self.L
        chans = self.channel_names()
        journey = self.sheets.get("journey")
        n_touch = int((journey["version"] == "target").sum()) if journey is not None and len(journey) else 0
        return L("planwb.channels.text", channels=L.join(chans) if chans else "—", n=len(self.programmes), touch=n_touch)

    # -- 2. programmes --------------------------------------------------------------
    def programmes_table(self) -> pd.DataFrame:
        L, rows = self.L, []
        sizes = self.sizes.set_index("programme") if self.sizes is not None else None
        for p in self.programmes:
            size = reach = ""
            if sizes is not None:
                r = sizes.loc[p.label]
                if unfit_for_business(r, self.eng.client.model):
                    size = L("planwb.b2b_unfit")
                elif r["missing"]:
                    size = L("planwb.missing", fields=L.join([field_name(f, L.lang) for f in r["missing"]]))
                else:
                    size = L.number(int(r["size"])) if pd.notna(r["size"]) else ""
                    reach = L.number(int(r["reachable"])) if pd.notna(r["reachable"]) else ""
            rows.append({
                L("planwb.col.programme"): p.label,
                L("planwb.col.objective"): p.objective or "",
                L("planwb.col.target"): describe_rule(p.rule, L),
                L("planwb.col.size"): size,
                L("planwb.col.reachable"): reach,
                L("planwb.col.channel"): self.programme_channels(p),  # its scenario's channels (ScenarioSections)
                L("planwb.col.trigger"): p.trigger or "",
                L("planwb.col.messages"): L.number(self.programme_messages(p)),
                L("planwb.col.months"): self.months_text(p.months),
                L("planwb.col.lever"): self.label("lever", p.status),
            })
        return pd.DataFrame(rows)

    def programmes_text(self) -> list[str]:
        if self.sizes is None:
            return [self.L("planwb.no_customer_file")] if self.programmes else []
        return targets_text(self.sizes, self.L, self.eng.client.model)

    def target_gaps(self) -> list[str]:
        """Fields the programmes need and the file lacks: collection-plan gaps."""
        if self.sizes is None:
            return []
        fields = []
        for _, r in self.sizes.iterrows():
            if unfit_for_business(r, self.eng.client.model):  # B2B: no birth date to collect
                continue
            for f in r["missing"]:
                if f not in fields:
                    fields.append(f)
        return fields

    def targets_chart(self):
        return charts.targets_chart(self.sizes, labels=self.L).figure if self.sizes is not None else None

    def targets_takeaway(self) -> str:
        """Under the target-size chart: the largest target and how many programmes are measured."""
        if self.sizes is None:
            return ""
        sizes = self.sizes.dropna(subset=["size"])
        if sizes.empty:
            return ""
        top = sizes.loc[sizes["size"].astype(float).idxmax()]
        return self.L("planwb.takeaway.targets", programme=_quote(top["programme"], self.L),
                      size=_customers(int(top["size"]), self.L), measured=len(sizes), total=len(self.sizes))

    # -- marketing pressure -----------------------------------------------------------
    def pressure_chart(self):
        if self.pressure is None:
            return None
        return charts.pressure_chart(self.pressure, labels=self.L, takeaway=pressure_takeaway(self.pressure, self.L)).figure

    def pressure_table(self) -> pd.DataFrame:
        """Per month and channel over the cap: customers above it, the most
        messages one person gets, and every programme that adds up there."""
        L = self.L
        if self.pressure is None or self.pressure.over_cap.empty:
            return pd.DataFrame()
        rows = []
        months = month_abbreviations(L)
        for (month, channel), g in self.pressure.over_cap.groupby(["month", "channel"], sort=True):
            progs = list(dict.fromkeys(p for t in g["programmes"] for p in t))
            rows.append({
                L("planwb.col.month"): months[int(month) - 1],
                L("planwb.col.channel"): channel_name(channel, L.lang),
                L("planwb.col.customers"): L.number(int(g["customers"].sum())),
                L("planwb.col.max_messages"): L.number(g["messages"].max()),
                L("planwb.col.cap"): L.number(self.caps.get(channel, float("nan"))) if channel in self.caps else "",
                L("planwb.col.programmes"): ", ".join(progs),
            })
        return pd.DataFrame(rows)

    def pressure_text(self) -> list[str]:
        return pressure_text(self.pressure, self.L, self.eng.client.model) if self.pressure is not None else []

    def over_cap(self) -> int:
        """Customer-months above a cap, all channels."""
        if self.pressure is None:
            return 0
        return int(self.pressure.summary["over_cap"].fillna(0).sum())
