"""Competitors (seed 001, "Comprendre votre concurrence"): the workshop's rows
(one per competitor, and one for the client's own brand), the two axes of the
positioning map the consultant chose (sheet "Carte concurrence"), where the
client stands among the competitors on that map and which of its sales
channels the competitors share. Frames in, frozen results or frames out; the
sentences and the chart live in relkit.workbooks.competitors and
relkit.views.charts.competitors."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from relkit.io.atelier import sheet
from relkit.io.parsing import fold, is_blank
from relkit.io.problems import Problem

# The positioning questions (seed 001, topics/positioning.QUESTIONS) that ask about competitors:
# 1 "Est-ce que cela vous différencie de vos concurrents ?", 9 "… résistera aux contre-attaques de vos concurrents ?"
COMPETITOR_QUESTIONS = (1, 9)
NEAR = 1.0  # a competitor at most this far from the client on the map (score points) stands close to it
COLUMNS = ("name", "own", "positioning", "offer", "price_level", "perceived_value", "strengths", "weaknesses",
           "channels", "x", "y")
_SPLIT = re.compile(r"\s*(?:[,;/+]|\bet\b|\band\b)\s*")


@dataclass(frozen=True)
class Axis:
    criterion: str | None = None  # "Prix"; None: the consultant has not named it
    low: str | None = None  # what a score of 1 means
    high: str | None = None  # what a score of 5 means


@dataclass(frozen=True)
class Axes:
    x: Axis = Axis()
    y: Axis = Axis()


def _text(value) -> str | None:
    return None if is_blank(value) else str(value).strip()


def axes(sheet_frame: pd.DataFrame | None) -> Axes:
    """The two axes as the sheet "Carte concurrence" names them (blank: not named)."""
    found = {}
    for _, r in (sheet_frame.iterrows() if sheet_frame is not None else []):
        found[r["axis"]] = Axis(_text(r["criterion"]), _text(r["low"]), _text(r["high"]))
    return Axes(x=found.get("x", Axis()), y=found.get("y", Axis()))


def _own(frame: pd.DataFrame, brand: str) -> pd.Series:
    """The client's own row: the one marked "Notre marque", else the row named like the brand."""
    flagged = frame["own"].map(lambda v: v is True)
    if flagged.any():
        return flagged
    return frame["name"].map(lambda n: fold(n) == fold(brand))


def table(frame: pd.DataFrame, brand: str) -> pd.DataFrame:
    """One row per entry, the client's own first (``own`` True), then the competitors
    in the sheet's order; scores as floats (NaN when not given), texts None when blank."""
    if frame is None or not len(frame):
        return pd.DataFrame(columns=list(COLUMNS))
    out = pd.DataFrame({
        "name": frame["name"].map(str).str.strip(),
        "own": _own(frame, brand).astype(bool),
        **{c: frame[c].map(_text) for c in ("positioning", "offer", "strengths", "weaknesses", "channels")},
        "price_level": frame["price_level"].where(frame["price_level"].notna(), None),
        "perceived_value": frame["perceived_value"].where(frame["perceived_value"].notna(), None),
        "x": pd.to_numeric(frame["x_score"], errors="coerce").astype(float),
        "y": pd.to_numeric(frame["y_score"], errors="coerce").astype(float),
    })
    out = out[list(COLUMNS)]
    return pd.concat([out[out["own"]], out[~out["own"]]]).reset_index(drop=True)


def map_points(entries: pd.DataFrame) -> pd.DataFrame:
    """The entries scored on both axes: name, x, y, own (the map's tidy data)."""
    placed = entries.dropna(subset=["x", "y"])
    return placed[["name", "x", "y", "own"]].reset_index(drop=True)


@dataclass(frozen=True)
class Landscape:
    competitors: int  # rows that are not the client's
    placed: int  # competitors scored on both axes
    client: tuple[float, float] | None  # the client's place on the map, None when not scored
    nearest: str | None  # the competitor closest to the client on the map
    distance: float | None  # its distance in score points
    close: tuple[str, ...]  # every competitor within NEAR of the client, nearest first

    @property
    def assessed(self) -> bool:
        return self.competitors > 0

    @property
    def stands_apart(self) -> bool | None:
        """No competitor within NEAR of the client; None when the map cannot tell."""
        if self.client is None or not self.placed:
            return None
        return not self.close


def landscape(entries: pd.DataFrame) -> Landscape:
    rivals = entries[~entries["own"]]
    points = map_points(entries)
    others = points[~points["own"]]
    mine = points[points["own"]]
    if mine.empty or others.empty:
        client = (float(mine["x"].iloc[0]), float(mine["y"].iloc[0])) if len(mine) else None
        return Landscape(len(rivals), len(others), client, None, None, ())
    cx, cy = float(mine["x"].iloc[0]), float(mine["y"].iloc[0])
    dist = [(math.hypot(x - cx, y - cy), i, n) for i, (n, x, y) in enumerate(zip(others["name"], others["x"], others["y"]))]
    dist.sort()
    close = tuple(n for d, _, n in dist if d <= NEAR + 1e-9)
    return Landscape(len(rivals), len(others), (cx, cy), dist[0][2], round(dist[0][0], 4), close)


def channel_list(text) -> list[str]:
    """'Etsy, Instagram/Facebook et marchés' -> ['Etsy', 'Instagram', 'Facebook', 'marchés']."""
    if is_blank(text):
        return []
    return [part for part in _SPLIT.split(str(text).strip()) if part]


def shared_channels(entries: pd.DataFrame) -> pd.DataFrame:
    """For each channel of the client's row: how many competitors (and which) list it too,
    in the client's order. Empty when the client's row or its channels are missing."""
    mine = entries[entries["own"]]
    if mine.empty:
        return pd.DataFrame(columns=["channel", "competitors", "names"])
    rivals = [(n, {fold(c) for c in channel_list(t)}) for n, t in zip(entries.loc[~entries["own"], "name"],
                                                                       entries.loc[~entries["own"], "channels"])]
    rows = []
    for channel in channel_list(mine["channels"].iloc[0]):
        names = tuple(n for n, chans in rivals if fold(channel) in chans)
        rows.append({"channel": channel, "competitors": len(names), "names": names})
    return pd.DataFrame(rows, columns=["channel", "competitors", "names"])


def question_answers(questions: pd.DataFrame | None) -> dict[int, str | None]:
    """The workshop's answers ('yes', 'no' or None) to the questions about competitors."""
    given = {}
    for _, r in (questions.iterrows() if questions is not None else []):
        if not is_blank(r["number"]):
            given[int(r["number"])] = None if is_blank(r["answer"]) else r["answer"]
    return {q: given.get(q) for q in COMPETITOR_QUESTIONS}


# -- checks a cell type cannot make (relkit.intake.load) ------------------------------------
def problems(frames: dict[str, pd.DataFrame], lang: str, file: str) -> list[Problem]:
    """One line per bad cell: two rows marked as the client's brand, a score on
    one axis only, scores on an axis the sheet "Carte concurrence" does not name."""
    rows = frames.get("competitors")
    if rows is None or not len(rows):
        return []
    s, a = sheet("competitors"), sheet("competitor_axes")
    title, reported = s.title[lang], rows.attrs.get("reported_rows", set())

    def where(row, column: str) -> str:
        return f"sheet '{title}', row {row}, column '{s.column(column).header[lang]}'"

    out: list[Problem] = []
    first_own = None
    for _, r in rows.iterrows():
        if r["row"] in reported:
            continue
        if r["own"] is True:
            if first_own is None:
                first_own = r["row"]
            else:
                out.append(Problem(file, where(r["row"], "own"),
                                   f"only one row may be your own brand (already row {first_own}); expected 'non' here"))
        has_x, has_y = not is_blank(r["x_score"]), not is_blank(r["y_score"])
        if has_x != has_y:
            missing, given = ("y_score", "x_score") if has_x else ("x_score", "y_score")
            out.append(Problem(file, where(r["row"], missing),
                               f"expected a score from 1 to 5 here too (the row has a '{s.column(given).header[lang]}'), "
                               "or neither: a competitor is placed on the map by both scores"))
    named = axes(frames.get("competitor_axes"))
    axis_rows = {r["axis"]: r["row"] for _, r in (frames["competitor_axes"].iterrows()
                                                    if frames.get("competitor_axes") is not None else [])}
    for code, score in (("x", "x_score"), ("y", "y_score")):
        if getattr(named, code).criterion is None and rows[score].map(lambda v: not is_blank(v)).any():
            place = f"sheet '{a.title[lang]}'" + (f", row {axis_rows[code]}, column '{a.column('criterion').header[lang]}'"
                                                  if code in axis_rows else "")
            axis_name = next(i[lang] for i in _axis_items() if i["code"] == code)
            out.append(Problem(file, place, f"expected the criterion of the {axis_name} axis (e.g. 'Prix'): "
                                            f"the competitors are scored on it in sheet '{title}'"))
    return out


def _axis_items() -> list[dict[str, str]]:
    from relkit.io.atelier import lists

    return lists()["map_axis"]
