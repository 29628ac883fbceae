"""Marketing pressure (seed 000): how many messages one person receives, per
month and channel, once every programme of the plan sends.

``simulate_pressure``: for each month and channel, the messages a customer
receives = sum over the programmes active that month whose target includes them
of what the programme sends on that channel, if they can be reached on it
(``REACH``). A programme with an automation scenario (``scenarios``) sends its
sequence's messages: per channel, the most steps one run can put in one calendar
month (``Scenario.monthly``), a conditional step ("if not opened", "if no
purchase") counted as sent; across all channels (the "total" cap), the densest
month of the steps on the channels that reach the customer. A programme without
a scenario sends its ``messages_per_month`` on its channel, as before.

Customers are grouped by their membership signature (segment + which programme
targets hold them on which channel), so the cost is one pass over the file plus
work per distinct signature, never a customer × month × programme cube. Every
targeted person is assumed to receive the programme's messages each active
month: a worst case.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from relkit.topics.plan.catalogue import TOTAL, channel_order
from relkit.topics.plan.programmes import MONTHS, Programme
from relkit.topics.plan.scenarios import Scenario, scenario_for
from relkit.topics.plan.targets import evaluate, missing_fields, reach_mask


@dataclass
class Pressure:
    """Marketing pressure over the plan year (aggregates only).

    distribution: month, channel, messages, customers — customers receiving that many messages (> 0)
    summary: month, channel, customers (receiving ≥ 1 message), mean and max messages per such
        customer, over_cap (customers above the cap), cap (NaN when none)
    over_cap: month, channel, segment (None = never bought), programmes (tuple of names that add
        up), messages, customers — one row per combination above the cap
    skipped: programme, missing — programmes left out because the file lacks fields
    """

    distribution: pd.DataFrame
    summary: pd.DataFrame
    over_cap: pd.DataFrame
    skipped: pd.DataFrame
    caps: dict[str, float]
    plan_year: int
    channels: tuple[str, ...] = field(default=())
    signatures: int = 0  # distinct (segment, membership) groups the simulation worked on


def simulate_pressure(programmes: list[Programme], base: pd.DataFrame, as_of, plan_year: int,
                      caps: dict[str, float] | None = None,
                      scenarios: Mapping[str, Scenario] | None = None) -> Pressure:
    """Messages per person, per month and channel, over the plan year (see module doc).
    ``scenarios``: programme key -> Scenario (``scenarios_from_sheet``)."""
    caps = {str(k): float(v) for k, v in (caps or {}).items() if v is not None and not pd.isna(v)}
    as_of = pd.Timestamp(as_of)
    n = len(base)
    columns: list[tuple[int, int | None, str]] = []  # (programme index, month or None = every active month, channel)
    bits: list[np.ndarray] = []
    skipped = []
    sequences = {id(p): scenario_for(p, scenarios) for p in programmes}
    active = [p for p in programmes if p.months and (p.messages_per_month > 0 if sequences[id(p)] is None
                                                      else bool(sequences[id(p)].steps))]
    sends: list[dict[str, float]] = []  # per active programme: channel -> messages in one month on it alone
    for i, p in enumerate(active):
        sc = sequences[id(p)]
        sends.append(sc.per_channel() if sc is not None else {p.channel: p.messages_per_month})
        missing = missing_fields(p.rule, base)
        if missing:
            skipped.append({"programme": p.label, "missing": missing})
            continue
        reach = {c: reach_mask(base, c) for c in sends[i]}
        for month in (p.months if p.rule.month_dependent else (None,)):
            target = evaluate(p.rule, base, as_of, month).mask.to_numpy()
            for c in sends[i]:
                mask = target & reach[c]
                if mask.any():
                    bits.append(mask)
                    columns.append((i, month, c))
    channels = channel_order(c for _, _, c in columns)
    if TOTAL in caps:
        channels.append(TOTAL)

    # Group customers by segment + membership signature (bits packed in 64-bit words).
    seg_codes, seg_names = pd.factorize(base["segment"] if "segment" in base else pd.Series([np.nan] * n),
                                        use_na_sentinel=True)
    keys = {"segment": seg_codes}
    k = len(bits)
    for w in range((k + 63) // 64):
        word = np.zeros(n, np.uint64)
        for j in range(w * 64, min(k, (w + 1) * 64)):
            word |= bits[j].astype(np.uint64) << np.uint64(j - w * 64)
        keys[f"w{w}"] = word
    groups = pd.DataFrame(keys).groupby(list(keys), sort=True).size().reset_index(name="customers")
    member = np.zeros((len(groups), k), bool)
    for j in range(k):
        word = groups[f"w{j // 64}"].to_numpy(np.uint64)
        member[:, j] = ((word >> np.uint64(j % 64)) & np.uint64(1)).astype(bool)
    counts = groups["customers"].to_numpy()
    segments = [None if c < 0 else seg_names[c] for c in groups["segment"]]

    def contributions(month: int, channel: str) -> np.ndarray:
        """Groups × programmes: the messages each programme sends each group that month on ``channel``."""
        out = np.zeros((len(groups), len(active)))
        by_programme: dict[int, list[tuple[int, str]]] = {}
        for j, (i, m, c) in enumerate(columns):
            if active[i].active(month) and (m is None or m == month) and channel in (TOTAL, c):
                by_programme.setdefault(i, []).append((j, c))
        for i, cols in by_programme.items():
            sc = sequences[id(active[i])]
            if channel != TOTAL or sc is None:  # one column per channel: what it sends there
                for j, c in cols:
                    out[:, i] += member[:, j] * sends[i][c]
                continue
            # all channels of a sequence: the densest month of the steps on the channels reaching the group
            pattern = np.zeros(len(groups), np.int64)
            for b, (j, _) in enumerate(cols):
                pattern |= member[:, j].astype(np.int64) << b
            for code in np.unique(pattern[pattern > 0]):
                reached = [c for b, (_, c) in enumerate(cols) if code >> b & 1]
                out[pattern == code, i] = sc.monthly(reached)
        return out

    dist_rows, summary_rows, over_rows = [], [], []
    for month in MONTHS:
        for channel in channels:
            contrib = contributions(month, channel)
            messages = np.round(contrib.sum(axis=1), 6)
            got = messages > 0
            reached = int(counts[got].sum())
            cap = caps.get(channel, np.nan)
            over = got & (messages > cap + 1e-9) if not np.isnan(cap) else np.zeros(len(groups), bool)
            summary_rows.append({
                "month": month, "channel": channel, "customers": reached,
                "mean": float((messages[got] * counts[got]).sum() / reached) if reached else 0.0,
                "max": float(messages.max()) if k and reached else 0.0,
                "over_cap": int(counts[over].sum()), "cap": cap,
            })
            if reached:
                d = pd.Series(counts[got]).groupby(messages[got]).sum()
                dist_rows += [{"month": month, "channel": channel, "messages": float(v), "customers": int(c)}
                              for v, c in d.items()]
            for g in np.flatnonzero(over):
                names = tuple(dict.fromkeys(active[i].label for i in np.flatnonzero(contrib[g] > 0)))
                over_rows.append({"month": month, "channel": channel, "segment": segments[g], "programmes": names,
                                  "messages": float(messages[g]), "customers": int(counts[g])})
    distribution = pd.DataFrame(dist_rows, columns=["month", "channel", "messages", "customers"])
    summary = pd.DataFrame(summary_rows, columns=["month", "channel", "customers", "mean", "max", "over_cap", "cap"])
    over_cols = ["month", "channel", "segment", "programmes", "messages", "customers"]
    over_cap = pd.DataFrame(over_rows, columns=over_cols)
    if len(over_cap):
        over_cap = (over_cap.assign(_seg=over_cap["segment"].fillna(""))
                    .groupby(["month", "channel", "_seg", "programmes", "messages"], sort=False)["customers"].sum()
                    .reset_index())
        over_cap["segment"] = [s or None for s in over_cap["_seg"]]
        order = {c: i for i, c in enumerate(channels)}
        over_cap = over_cap.assign(_ch=over_cap["channel"].map(order)).sort_values(
            ["month", "_ch", "customers", "messages"], ascending=[True, True, False, False], kind="stable")
        over_cap = over_cap[over_cols].reset_index(drop=True)
    return Pressure(distribution, summary, over_cap,
                    pd.DataFrame(skipped, columns=["programme", "missing"]), caps, int(plan_year),
                    tuple(channels), len(groups))
