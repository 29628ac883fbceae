"""Customer journey map: touchpoints in, the tables a consultant presents out.

The map is a matrix of channels × stages; every intersection in use is a
touchpoint, qualified delight / satisfaction / irritant / breaking point and
weighted by importance (1–5) and the customer's emotion (−2..+2). A journey is
mapped twice: as it is (``version="current"``) and as it should be
(``"target"``). All functions are pure: a validated DataFrame in (columns
stage, channel, touchpoint, description, version, qualification, importance,
emotion, owner, programme, collection_point, row), a DataFrame out; the words
on screen come from the caller (axes are ``[(key, label), ...]`` in display
order, from ``relkit.io.atelier.axis``).

Rules, each a module constant so the method is written down once:

* ``MOMENT_OF_TRUTH_MIN_IMPORTANCE`` (4) — a moment of truth is a touchpoint
  whose importance is at least this: the ones that weigh most on the
  relationship, whatever their qualification.
* ``SEVERITY`` — irritant 1, breaking point 2; other qualifications are not
  pain points. A pain point's ``score`` is importance × severity, so an
  important irritant (5 × 1) outranks a minor breaking point (2 × 2).
  Ties: higher importance first, then the order of the workshop file (row).
* ``QUALIFICATIONS`` — best to worst. The *worst* qualification of a cell is
  the last one present; the *dominant* qualification of a stage is the most
  frequent, ties going to the worse one (a consultant should see the problem).
* ``IMPROVEMENT_ORDER`` — improvement zones rank stages by total pain score,
  then number of pain points, then lowest mean emotion, then journey order.
* ``NO_PROGRAMME`` — the programme key of touchpoints no programme owns.
* Three zoom levels: ``by_stage`` (1:1,000,000, the whole journey),
  ``by_programme`` (1:100,000, one line per programme/phase), ``detail``
  (1:25,000, every touchpoint).
* ``differences`` matches current and target touchpoints on (stage, channel,
  folded touchpoint name): case, accents and spacing do not count; when a key
  appears twice in one version the first row wins.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from relkit.io.parsing import fold

MOMENT_OF_TRUTH_MIN_IMPORTANCE = 4
SEVERITY = {"irritant": 1, "breaking_point": 2}
QUALIFICATIONS = ("delight", "satisfaction", "irritant", "breaking_point")  # best -> worst
VERSIONS = ("current", "target")
IMPROVEMENT_ORDER = ("pain_score", "pain_points", "mean_emotion")
NO_PROGRAMME = "(none)"

Axis = list[tuple[str, str]]


# ------------------------------------------------------------------ helpers
def _version(journey: pd.DataFrame, version: str) -> pd.DataFrame:
    if version not in VERSIONS:
        raise ValueError(f"version must be one of {VERSIONS}, got {version!r}")
    return journey[journey["version"] == version]


def _position(keys: pd.Series, axis: Axis) -> pd.Series:
    """Display position of each key; keys off the axis go last."""
    order = {key: i for i, (key, _) in enumerate(axis)}
    return keys.map(order).fillna(len(order)).astype(int)


def _is_pain(frame: pd.DataFrame) -> pd.Series:
    return frame["qualification"].isin(list(SEVERITY))


def _collects(frame: pd.DataFrame) -> pd.Series:
    """collection_point may be True/False/None: only True counts."""
    return frame["collection_point"].map(lambda v: bool(pd.notna(v) and v)).astype(bool)


def _worst(qualifications) -> str | None:
    present = [q for q in QUALIFICATIONS if q in set(qualifications)]
    return present[-1] if present else None


def _dominant(qualifications: pd.Series) -> str | None:
    counts = qualifications.value_counts()
    if counts.empty:
        return None
    top = counts[counts == counts.max()].index
    return _worst(top)


def _programme(value) -> str:
    if value is None or (isinstance(value, float) and value != value) or not str(value).strip():
        return NO_PROGRAMME
    return str(value).strip()


# ------------------------------------------------------------------ what weighs most
def moments_of_truth(journey: pd.DataFrame, version: str = "current") -> pd.DataFrame:
    """Touchpoints with importance ≥ MOMENT_OF_TRUTH_MIN_IMPORTANCE: where the
    relationship is won or lost. Most important first, then file order."""
    rows = _version(journey, version)
    rows = rows[rows["importance"] >= MOMENT_OF_TRUTH_MIN_IMPORTANCE]
    return rows.sort_values(["importance", "row"], ascending=[False, True], kind="stable").reset_index(drop=True)


def pain_points(journey: pd.DataFrame, version: str = "current") -> pd.DataFrame:
    """Irritants and breaking points ranked by score = importance × severity,
    so the workshop starts with what hurts most. Adds severity, score, rank."""
    rows = _version(journey, version)
    rows = rows[_is_pain(rows)].copy()
    rows["severity"] = rows["qualification"].map(SEVERITY).astype(int)
    rows["score"] = (rows["importance"] * rows["severity"]).astype(int)
    rows = rows.sort_values(["score", "importance", "row"], ascending=[False, False, True], kind="stable")
    rows = rows.reset_index(drop=True)
    rows["rank"] = np.arange(1, len(rows) + 1)
    return rows


def improvement_zones(journey: pd.DataFrame, stages: Axis, version: str = "current") -> pd.DataFrame:
    """Per stage: touchpoints, pain points, total pain score, mean emotion —
    ranked so the stages that need work come first (IMPROVEMENT_ORDER).
    Every stage is listed; one without touchpoints has 0 pain and NaN emotion."""
    pains = pain_points(journey, version)
    rows = _version(journey, version)
    out = pd.DataFrame({"stage": [k for k, _ in stages], "label": [lab for _, lab in stages]})
    out["touchpoints"] = out["stage"].map(rows.groupby("stage").size()).fillna(0).astype(int)
    out["pain_points"] = out["stage"].map(pains.groupby("stage").size()).fillna(0).astype(int)
    out["pain_score"] = out["stage"].map(pains.groupby("stage")["score"].sum()).fillna(0).astype(int)
    out["mean_emotion"] = out["stage"].map(rows.groupby("stage")["emotion"].mean()).astype(float)
    out = out.sort_values(list(IMPROVEMENT_ORDER), ascending=[False, False, True],
                          kind="stable", na_position="last").reset_index(drop=True)
    out["rank"] = np.arange(1, len(out) + 1)
    return out


def emotion_curve(journey: pd.DataFrame, stages: Axis) -> pd.DataFrame:
    """Tidy emotion per (version, stage): mean, min, max, n — every stage in
    journey order, NaN where the version has no touchpoint there (a gap, not 0)."""
    parts = []
    for version in VERSIONS:
        rows = _version(journey, version)
        stats = rows.groupby("stage")["emotion"].agg(["mean", "min", "max", "size"])
        part = pd.DataFrame({"stage": [k for k, _ in stages], "label": [lab for _, lab in stages], "version": version})
        for col in ("mean", "min", "max"):
            part[col] = part["stage"].map(stats[col]).astype(float)
        part["n"] = part["stage"].map(stats["size"]).fillna(0).astype(int)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


@dataclass(frozen=True)
class Coverage:
    """Gaps in the map: keys in display order."""

    empty_stages: list[str]  # stages with no touchpoint
    unused_channels: list[str]  # channels with no touchpoint
    single_stage_channels: list[tuple[str, str]]  # (channel, the only stage it serves)


def coverage(journey: pd.DataFrame, stages: Axis, channels: Axis, version: str = "current") -> Coverage:
    """Where the map is thin: a stage nobody touches, a channel never used,
    a channel that serves a single stage (a silo, or a missing continuity)."""
    rows = _version(journey, version)
    used_stages, used_channels = set(rows["stage"]), set(rows["channel"])
    per_channel = rows.groupby("channel")["stage"].unique()
    return Coverage(
        empty_stages=[k for k, _ in stages if k not in used_stages],
        unused_channels=[k for k, _ in channels if k not in used_channels],
        single_stage_channels=[(k, per_channel[k][0]) for k, _ in channels
                               if k in per_channel.index and len(per_channel[k]) == 1],
    )


# ------------------------------------------------------------------ current -> target
@dataclass(frozen=True)
class Differences:
    """What the target journey changes: three tables, file order."""

    added: pd.DataFrame  # in the target only
    removed: pd.DataFrame  # in the current journey only
    requalified: pd.DataFrame  # in both, qualification changed


_DIFF_COLUMNS = ["stage", "channel", "touchpoint", "qualification", "importance", "emotion", "row"]


def differences(journey: pd.DataFrame) -> Differences:
    """Current vs target, matched on (stage, channel, fold(touchpoint)), so the
    consultant can say what the plan adds, drops and transforms."""
    keyed = {}
    for version in VERSIONS:
        rows = _version(journey, version).sort_values("row", kind="stable").copy()
        rows["_key"] = list(zip(rows["stage"], rows["channel"], rows["touchpoint"].map(fold)))
        keyed[version] = rows.drop_duplicates("_key", keep="first")
    cur, tgt = keyed["current"], keyed["target"]
    added = tgt[~tgt["_key"].isin(set(cur["_key"]))][_DIFF_COLUMNS].reset_index(drop=True)
    removed = cur[~cur["_key"].isin(set(tgt["_key"]))][_DIFF_COLUMNS].reset_index(drop=True)
    both = cur.merge(tgt, on="_key", suffixes=("_current", "_target"))
    both = both[both["qualification_current"] != both["qualification_target"]].sort_values("row_current", kind="stable")
    rank = {q: i for i, q in enumerate(QUALIFICATIONS)}
    requalified = pd.DataFrame({
        "stage": both["stage_current"], "channel": both["channel_current"],
        "touchpoint": both["touchpoint_target"],
        "from": both["qualification_current"], "to": both["qualification_target"],
        "improved": both["qualification_target"].map(rank) < both["qualification_current"].map(rank),
        "from_emotion": both["emotion_current"], "to_emotion": both["emotion_target"],
        "row_current": both["row_current"], "row_target": both["row_target"],
    }).reset_index(drop=True)
    return Differences(added=added, removed=removed, requalified=requalified)


# ------------------------------------------------------------------ zoom levels
def by_stage(journey: pd.DataFrame, stages: Axis, version: str = "current") -> pd.DataFrame:
    """1:1,000,000 — the whole journey, one line per stage in journey order:
    touchpoints, mean importance, mean emotion, dominant qualification, pain points."""
    rows = _version(journey, version)
    groups = rows.groupby("stage")
    out = pd.DataFrame({"stage": [k for k, _ in stages], "label": [lab for _, lab in stages]})
    out["touchpoints"] = out["stage"].map(groups.size()).fillna(0).astype(int)
    out["mean_importance"] = out["stage"].map(groups["importance"].mean()).astype(float)
    out["mean_emotion"] = out["stage"].map(groups["emotion"].mean()).astype(float)
    dominant = groups["qualification"].agg(_dominant)
    out["dominant_qualification"] = [dominant.get(k) for k in out["stage"]]
    out["pain_points"] = out["stage"].map(rows[_is_pain(rows)].groupby("stage").size()).fillna(0).astype(int)
    return out


def by_programme(journey: pd.DataFrame, version: str = "current") -> pd.DataFrame:
    """1:100,000 — one line per programme/phase (NO_PROGRAMME for orphans, last):
    touchpoints, stages covered, pain points, collection points."""
    rows = _version(journey, version).sort_values("row", kind="stable").copy()
    rows["programme"] = rows["programme"].map(_programme)
    rows["_pain"] = _is_pain(rows)
    rows["_collect"] = _collects(rows)
    out = rows.groupby("programme", sort=False).agg(
        touchpoints=("touchpoint", "size"), stages=("stage", "nunique"),
        pain_points=("_pain", "sum"), collection_points=("_collect", "sum"),
    ).reset_index()
    out["stage_keys"] = [list(dict.fromkeys(rows.loc[rows["programme"] == p, "stage"])) for p in out["programme"]]
    out = out.astype({"touchpoints": int, "stages": int, "pain_points": int, "collection_points": int})
    named = out[out["programme"] != NO_PROGRAMME].sort_values("programme", key=lambda s: s.map(fold), kind="stable")
    return pd.concat([named, out[out["programme"] == NO_PROGRAMME]]).reset_index(drop=True)


def detail(journey: pd.DataFrame, stages: Axis, channels: Axis, version: str = "current") -> pd.DataFrame:
    """1:25,000 — every touchpoint, in stage order then channel order then file
    order, with its moment-of-truth flag and pain score (0 if not a pain point)."""
    rows = _version(journey, version).copy()
    rows["moment_of_truth"] = rows["importance"] >= MOMENT_OF_TRUTH_MIN_IMPORTANCE
    rows["pain_score"] = (rows["importance"] * rows["qualification"].map(SEVERITY).fillna(0)).astype(int)
    rows["_s"], rows["_c"] = _position(rows["stage"], stages), _position(rows["channel"], channels)
    rows = rows.sort_values(["_s", "_c", "row"], kind="stable")
    return rows.drop(columns=["_s", "_c"]).reset_index(drop=True)


def matrix(journey: pd.DataFrame, stages: Axis, channels: Axis, version: str = "current") -> pd.DataFrame:
    """The map itself, one row per used (stage, channel) cell in display order:
    its touchpoints (file order) with their qualifications and collection flags,
    the worst qualification, the count and whether any touchpoint collects data."""
    rows = detail(journey, stages, channels, version)
    rows["_collect"] = _collects(rows)
    cells = []
    for (stage, channel), cell in rows.groupby(["stage", "channel"], sort=False):
        cells.append({
            "stage": stage, "channel": channel,
            "touchpoints": list(cell["touchpoint"]), "qualifications": list(cell["qualification"]),
            "collection": [bool(v) for v in cell["_collect"]],
            "worst": _worst(cell["qualification"]), "count": len(cell),
            "collection_point": bool(cell["_collect"].any()),
        })
    columns = ["stage", "channel", "touchpoints", "qualifications", "collection", "worst", "count", "collection_point"]
    return pd.DataFrame(cells, columns=columns)
