"""Workbook 01 — competitors (seed 001, "Comprendre votre concurrence"): the
positioning map with the client among its competitors, one or two sentences,
the link to the positioning questions that ask about competitors, and the
comparison table (appendix)."""
from __future__ import annotations

import pandas as pd

from relkit.intake.load import EngagementData
from relkit.io.atelier import choice_label
from relkit.io.labels import Labels
from relkit.topics import competitors as topic


class Competitors:
    def __init__(self, data: EngagementData, labels: Labels):
        self.L = labels
        self.brand = data.engagement.brand
        self.entries = topic.table(data.sheets.get("competitors"), self.brand)
        self.axes = topic.axes(data.sheets.get("competitor_axes"))
        self.land = topic.landscape(self.entries)
        self.answers = topic.question_answers(data.sheets.get("positioning_questions"))

    def assessed(self) -> bool:
        return self.land.assessed

    # -- the map ----------------------------------------------------------------
    def _criterion(self, code: str) -> str:
        return getattr(self.axes, code).criterion or self.L(f"competitors.axis.{code}")

    def _distance(self) -> str:
        return self.L.number(self.land.distance, 1)

    def map_takeaway(self) -> str:
        L, land = self.L, self.land
        if not land.placed:
            return L("competitors.map.none")
        if land.client is None:
            return L("competitors.map.no_client", brand=self.brand)
        if land.close:
            return L("competitors.map.close", nearest=land.nearest, brand=self.brand, distance=self._distance(),
                     close=L.join(list(land.close)))
        return L("competitors.map.apart", nearest=land.nearest, brand=self.brand, distance=self._distance())

    def map_figure(self):
        """The positioning map; None when nobody is scored on both axes."""
        points = topic.map_points(self.entries)
        if points.empty:
            return None
        from relkit.views.charts.competitors import positioning_map  # matplotlib only when there is a map

        L, a = self.L, self.axes
        x, y = self._criterion("x"), self._criterion("y")
        ax = positioning_map(points, x_label=L("competitors.axis.scale", criterion=x),
                             y_label=L("competitors.axis.scale", criterion=y),
                             x_ends=(a.x.low, a.x.high) if a.x.low or a.x.high else None,
                             y_ends=(a.y.low, a.y.high) if a.y.low or a.y.high else None,
                             title=L("competitors.map.title", x=x, y=y), takeaway=self.map_takeaway())
        return ax.figure

    # -- sentences ----------------------------------------------------------------
    def _channels(self) -> str:
        L, shared = self.L, topic.shared_channels(self.entries)
        if shared.empty:
            return ""
        n = self.land.competitors
        free = list(shared.loc[shared["competitors"] == 0, "channel"])
        busy = shared[shared["competitors"] > 0]
        if busy.empty:
            return L("competitors.channels.only_free", brand=self.brand)
        top = busy.loc[busy["competitors"].idxmax()]
        text = L("competitors.channels.busiest", brand=self.brand, channel=top["channel"], k=int(top["competitors"]), n=n)
        if free:
            text += L("competitors.channels.free", channels=L.join([L("competitors.quoted", text=f) for f in free]))
        return text

    def text(self) -> str:
        if not self.assessed():
            return self.L("competitors.not_assessed")
        return self.L("competitors.explain", n=self.land.competitors, channels=self._channels())

    def questions_text(self) -> str | None:
        """The answers to the positioning questions about competitors, and what
        the map says of question 1 ("does it set you apart?"); None when unanswered."""
        L = self.L
        if not self.assessed() or all(a is None for a in self.answers.values()):
            return None
        given = [L("competitors.question", n=q, topic=L(f"competitors.topic.q{q}"), answer=L(f"answer.{a}"))
                 for q, a in self.answers.items() if a]
        left = [f"{q} ({L(f'competitors.topic.q{q}')})" for q, a in self.answers.items() if not a]
        missing = L("competitors.unanswered", n=len(left), items=L.join(left)) if left else ""
        if given:
            text = L("competitors.questions", answers=L.join(given), unanswered=(" ; " if L.lang == "fr" else "; ") + missing if left else "")
        else:
            text = L("competitors.questions_none", unanswered=missing)
        first, apart = self.answers[topic.COMPETITOR_QUESTIONS[0]], self.land.stands_apart
        if first in ("yes", "no") and apart is not None:
            state = "apart" if apart else "close"
            text += " " + L(f"competitors.verdict.{first}_{state}", brand=self.brand, close=L.join(list(self.land.close)),
                            n=len(self.land.close))
        return text

    # -- appendix -------------------------------------------------------------------
    def table(self) -> pd.DataFrame:
        L, e = self.L, self.entries

        def choice(list_name, code):
            return choice_label(list_name, code, L.lang) if code else ""

        return pd.DataFrame({
            L("competitors.col.name"): [L("competitors.own", name=n) if own else n for n, own in zip(e["name"], e["own"])],
            L("competitors.col.positioning"): e["positioning"],
            L("competitors.col.offer"): e["offer"],
            L("competitors.col.price_level"): [choice("price_level", c) for c in e["price_level"]],
            L("competitors.col.perceived_value"): [choice("perceived_value", c) for c in e["perceived_value"]],
            L("competitors.col.strengths"): e["strengths"],
            L("competitors.col.weaknesses"): e["weaknesses"],
            L("competitors.col.channels"): e["channels"],
        })

    def figures(self) -> dict[str, tuple[object, str, str]]:
        """key -> (value, label, formatted) for figures.json."""
        L, land = self.L, self.land
        if not self.assessed():
            return {"competitors": (None, L("competitors.kpi.count"), L("common.not_assessed"))}
        out = {"competitors": (land.competitors, L("competitors.kpi.count"), str(land.competitors))}
        if land.nearest is not None:
            out["competitor_nearest"] = (land.nearest, L("competitors.kpi.nearest"), land.nearest)
            out["competitor_distance"] = (land.distance, L("competitors.kpi.distance"), self._distance())
        return out
