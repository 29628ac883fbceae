"""The PowerPoint restitution's content, from ONE source: the figures the workbooks
recorded (``figures/<workbook>.json`` → ``figures.json``), the tables they saved
(``tables/<name>.csv``) and the report's own chart images (in the executed
notebooks) for what no native chart can show (SWOT board, journey, retro-planning).

Nothing is computed again: the findings, the bridge, the decisions and the next
steps are the executive summary's objects (``summary_findings``, ``summary_bridge``,
``summary_decisions``); a table's cells are read back as the report printed them
("1 250 €" → 1250). ``deck_content`` works on plain dicts and DataFrames (tests build
them by hand); ``read_outputs`` (``deck_data``, with the reading of cells back)
gathers them from a run's output folder.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from relkit.io.labels import Labels
from relkit.io.parsing import is_blank
from relkit.views.deck.model import ChartSpec, Deck, Slide, TableSpec
from relkit.workbooks import deck_topics as extra
from relkit.workbooks import summary_decisions as decisions
from relkit.workbooks.deck_data import TABLE_WORKBOOK, cell_number, money_format
from relkit.workbooks.deck_data import read_outputs  # noqa: F401  (re-exported: pipeline/deck.py reads a run here)
from relkit.workbooks.summary_bridge import bridge_data, bridge_takeaway, bridge_title
from relkit.workbooks.summary_findings import FigureBook, select_findings

MAX_ROWS = 8  # a slide's table or list
MAX_PAINS = 3
MAX_DELIGHTS = 2
MAX_DECISIONS = 6


@dataclass(frozen=True)
class DeckContext:
    client: str
    brand: str  # the client's brand name, as in the summary's sentences
    consultant: str
    firm: str | None
    plan_year: int
    report_date: dt.date | None = None
    basis: str | None = None  # the engagement's HT/TTC basis


def context_of(engagement) -> DeckContext:
    return DeckContext(client=engagement.client.name, brand=engagement.brand, consultant=engagement.consultant.name,
                       firm=engagement.consultant.firm, plan_year=engagement.plan_year,
                       report_date=engagement.report_date, basis=engagement.revenue.basis)



PERCENT_FORMAT = "0%"
LANGUAGES = {"fr": "fr-FR", "en": "en-GB"}
COUNT_FORMAT = "#,##0"


class _Builder:
    def __init__(self, figures: dict, tables: dict[str, pd.DataFrame], images: dict[str, bytes],
                 ctx: DeckContext, labels: Labels):
        self.L, self.ctx, self.tables, self.images = labels, ctx, tables, images
        self.book = FigureBook(figures or {}, basis=ctx.basis)
        self.money = money_format(labels)

    # -- helpers -----------------------------------------------------------------------------
    def fig(self, workbook: str, key: str) -> str | None:
        return self.book.display((workbook, key))

    def num(self, workbook: str, key: str) -> float | None:
        return self.book.number((workbook, key))

    def column(self, name: str, index: int) -> list[str]:
        frame = self.tables.get(name)
        if frame is None or frame.shape[1] <= index:
            return []
        return [str(v) for v in frame.iloc[:, index]]

    def header(self, name: str, index: int) -> str:
        return str(self.tables[name].columns[index])

    def values(self, name: str, index: int) -> list[float | None]:
        return [cell_number(v, self.L.lang) for v in self.column(name, index)]

    def notes(self, key: str, *, figures=(), tables=(), images=(), **values) -> str:
        L, sources = self.L, []
        sources += [L("deck.notes.figures", workbook=L(f"workbook.{w}")) for w in figures]
        for t in tables:
            sources.append(L("deck.notes.table", table=L(f"deck.table.{t}"),
                             workbook=L(f"workbook.{TABLE_WORKBOOK.get(t, '05_plan_relationnel')}")))
        sources += [L("deck.notes.image", chart=c) for c in images]
        text = L(f"deck.notes.{key}", **values)
        return text + ("\n" + L("deck.notes.source", sources=L.join(sources)) if sources else "")

    # -- slides ------------------------------------------------------------------------------
    def agenda(self, sections: list[str]) -> Slide:
        return Slide("agenda", self.L("deck.agenda"), self.notes("agenda"),
                     bullets=tuple(self.L(f"deck.agenda.{s}") for s in sections))

    def bridge(self) -> Slide | None:
        L, data = self.L, bridge_data(self.book, self.L, self.ctx.plan_year)
        if data.empty:
            return None
        base = tuple(0.0 if k == "total" else float(min(s, e)) for k, s, e in zip(data.kind, data.start, data.end))
        bars = tuple(float(abs(a)) for a in data.amount)  # the summary's rounded amounts, not a new subtraction
        chart = ChartSpec("bridge", tuple(data.step), (("", base), (bridge_title(L, self.ctx.plan_year), bars)),
                          number_format=self.money, point_kinds=tuple(data.kind))
        takeaway = bridge_takeaway(self.book, L) or ""
        return Slide("bridge", bridge_title(L, self.ctx.plan_year),
                     self.notes("bridge", figures=("01_diagnostic", "02_fichier_clients", "05_plan_relationnel"),
                                takeaway=takeaway),
                     bullets=(takeaway,) if takeaway else (), charts=(chart,), bullets_below=True)

    def findings(self) -> list[Slide]:
        L, found = self.L, select_findings(self.book, self.L, self.ctx.brand)
        out = []
        for n, f in enumerate(found, start=1):
            notes = self.notes("finding", tables=("constats",), meaning=f.meaning, action=f.recommendation)
            out.append(Slide(f"finding_{f.key}", f.figure, notes, kicker=L("deck.finding.kicker", n=n, total=len(found)),
                             panels=((L("synthesis.col.meaning"), f.meaning),
                                     (L("synthesis.col.recommendation"), f.recommendation))))
        return out

    def swot(self) -> Slide | None:
        if "swot" not in self.images:
            return None
        n = self.fig("01_diagnostic", "swot_items")
        return Slide("swot", self.L("deck.swot"), self.notes("swot", figures=("01_diagnostic",), images=("SWOT",)),
                     image=self.images["swot"], bullets=((self.L("deck.swot.items", n=n),) if n else ()) + extra.competitors(self))

    def segments(self) -> Slide | None:
        if "segments" not in self.tables:
            return None
        L, charts = self.L, []
        names = tuple(self.column("segments", 0))
        charts.append(ChartSpec("bar", names, ((self.header("segments", 1), tuple(self.values("segments", 1))),),
                                number_format=COUNT_FORMAT, title=L("deck.segments.size")))
        if "clv_segments" in self.tables and tuple(self.column("clv_segments", 0)) == names:
            last = self.tables["clv_segments"].shape[1] - 1
            charts.append(ChartSpec("bar", names, ((self.header("clv_segments", last),
                                                    tuple(self.values("clv_segments", last))),),
                                    number_format=self.money, title=L("deck.segments.value")))
        tables = ("segments", "clv_segments") if len(charts) > 1 else ("segments",)
        return Slide("segments", L("deck.segments"), self.notes("segments", tables=tables), charts=tuple(charts),
                     bullets=extra.personas(self), bullets_below=True)

    def value(self) -> Slide | None:
        L, bullets = self.L, []
        for key, label in (("vmc_gross", "deck.value.gross"), ("vmc_net", "deck.value.net"),
                           ("clv_12m_total", "deck.value.clv")):
            if (shown := self.fig("02_fichier_clients", key)) is not None:
                bullets.append(L(label, value=shown))
        if (ratio := self.fig("05_plan_relationnel", "ltv_cac")) is not None:
            bullets.append(L("deck.value.ltv_cac", value=ratio))
        charts = ()
        if "vmc_segments" in self.tables:
            gross, net = self.values("vmc_segments", 2), self.values("vmc_segments", 3)
            rows = [(name, g, n) for name, g, n in zip(self.column("vmc_segments", 0), gross, net)
                    if g is not None and n is not None]
            if rows:
                charts = (ChartSpec("column", tuple(r[0] for r in rows),
                                    ((self.header("vmc_segments", 2), tuple(r[1] for r in rows)),
                                     (self.header("vmc_segments", 3), tuple(r[2] for r in rows))),
                                    number_format=self.money, title=L("deck.value.chart")),)
        if not bullets and not charts:
            return None
        return Slide("value", L("deck.value"), self.notes(
            "value", figures=("02_fichier_clients", "05_plan_relationnel"), tables=("vmc_segments",) if charts else ()),
            bullets=tuple(bullets), charts=charts)

    def journey(self) -> Slide | None:
        L = self.L
        moments, pains = self.fig("03_parcours_client", "moments_of_truth"), self.fig("03_parcours_client", "pain_points")
        if moments is None and pains is None and "journey" not in self.images:
            return None
        bullets = [L("deck.journey.counts", moments=moments or "0", pains=pains or "0")]
        for stage, touchpoint in list(zip(self.column("irritants", 1), self.column("irritants", 3)))[:MAX_PAINS]:
            bullets.append(L("deck.journey.pain", touchpoint=touchpoint, stage=stage))
        delights = [t for t, e in zip(self.column("moments_de_verite", 2), self.values("moments_de_verite", 5))
                    if e is not None and e > 0][:MAX_DELIGHTS]
        if delights:
            bullets.append(L("deck.journey.delights", touchpoints=L.join(delights)))
        return Slide("journey", L("deck.journey"), self.notes(
            "journey", figures=("03_parcours_client",),
            tables=tuple(t for t in ("irritants", "moments_de_verite") if t in self.tables),
            images=(L("journey.emotion.title"),) if "journey" in self.images else ()),
            bullets=tuple(bullets), image=self.images.get("journey"))

    def collection(self) -> Slide | None:
        L = self.L
        if not self.book.ran("04_plan_collecte"):
            return None
        bullets = []
        if (n := self.fig("04_plan_collecte", "fields_planned")) is not None:
            bullets.append(L("deck.collection.fields", n=n))
        bullets.extend(extra.questions(self))
        if self.num("04_plan_collecte", "gaps"):
            bullets.append(L("deck.collection.gaps", n=self.fig("04_plan_collecte", "gaps")))
        flags = self.num("04_plan_collecte", "gdpr_flags")
        bullets.append(L("deck.collection.gdpr", n=self.fig("04_plan_collecte", "gdpr_flags")) if flags
                       else L("deck.collection.none"))
        table = None
        if flags and "controles_rgpd" in self.tables:
            frame = self.tables["controles_rgpd"]
            table = TableSpec((str(frame.columns[0]), str(frame.columns[2])),
                              tuple((str(a), str(b)) for a, b in zip(frame.iloc[:MAX_ROWS, 0], frame.iloc[:MAX_ROWS, 2])),
                              widths=(1, 1))
        return Slide("collection", L("deck.collection"), self.notes(
            "collection", figures=("04_plan_collecte",), tables=("controles_rgpd",) if table else ()),
            bullets=tuple(bullets), table=table)

    def programmes(self) -> Slide | None:
        L = self.L
        if "programmes" not in self.tables and not self.book.ran("05_plan_relationnel"):
            return None
        bullets = []
        if (n := self.fig("05_plan_relationnel", "programmes")) is not None:
            bullets.append(L("deck.programmes.count", n=n))
        if (v := self.fig("05_plan_relationnel", "plan_expected_revenue")) is not None:
            bullets.append(L("deck.programmes.expected", value=v))
        if (v := self.fig("05_plan_relationnel", "largest_target")) is not None:
            bullets.append(L("deck.programmes.largest", value=v))
        bullets.extend(extra.scenarios(self))
        charts = ()
        if "programmes" in self.tables:
            sizes, reach = self.values("programmes", 3), self.values("programmes", 4)
            names = self.column("programmes", 0)
            rows = [(name, s, r) for name, s, r in zip(names, sizes, reach) if s is not None]
            missing = [name for name, s in zip(names, sizes) if s is None]
            if missing:
                bullets.append(L("deck.programmes.missing", names=L.join(missing)))
            if rows:
                charts = (ChartSpec("bar", tuple(r[0] for r in rows),
                                    ((self.header("programmes", 3), tuple(r[1] for r in rows)),
                                     (self.header("programmes", 4), tuple(r[2] for r in rows))),
                                    number_format=COUNT_FORMAT),)
        return Slide("programmes", L("deck.programmes"), self.notes(
            "programmes", figures=("05_plan_relationnel",), tables=("programmes",) if charts else ()),
            bullets=tuple(bullets), charts=charts)

    def pressure(self) -> Slide | None:
        L = self.L
        if not self.book.ran("05_plan_relationnel"):
            return None
        over = self.num("05_plan_relationnel", "pressure_over_cap")
        table = self.tables.get("pression_au_dessus_du_plafond")
        if not over or table is None or table.empty:
            return Slide("pressure", L("deck.pressure"), self.notes("pressure", figures=("05_plan_relationnel",)),
                         bullets=(L("deck.pressure.none"),))
        months, channels = self.column("pression_au_dessus_du_plafond", 0), self.column("pression_au_dessus_du_plafond", 1)
        several = len(set(channels)) > 1
        categories = tuple(f"{m} {c}" if several else m for m, c in zip(months, channels))
        chart = ChartSpec("column", categories, (
            (self.header("pression_au_dessus_du_plafond", 3), tuple(self.values("pression_au_dessus_du_plafond", 3))),
            (self.header("pression_au_dessus_du_plafond", 4), tuple(self.values("pression_au_dessus_du_plafond", 4)))),
            number_format=COUNT_FORMAT)
        return Slide("pressure", L("deck.pressure"), self.notes(
            "pressure", figures=("05_plan_relationnel",), tables=("pression_au_dessus_du_plafond",)),
            bullets=(L("deck.pressure.over", n=self.fig("05_plan_relationnel", "pressure_over_cap")),
                     L("deck.pressure.action")), charts=(chart,))

    def retro(self) -> Slide | None:
        L = self.L
        if "retro" not in self.images:
            return None
        bullets = tuple(L("deck.retro.phase", phase=phase, n=len([a for a in actions.split(",") if a.strip()]))
                        for phase, actions in zip(self.column("phases", 0), self.column("phases", 1)))
        bullets += extra.schedule(self)  # key dates and tools, under the phases
        return Slide("retro", L("deck.retro"), self.notes(
            "retro", tables=("phases",) if bullets else (), images=(L("planwb.retro.title"),)),
            image=self.images["retro"], bullets=bullets)

    def budget(self) -> Slide | None:
        L, charts, bullets = self.L, [], []
        if "budget_trimestres" in self.tables:
            frame = self.tables["budget_trimestres"]
            quarters = tuple(self.column("budget_trimestres", 0))
            fixed = self.values("budget_trimestres", 1)
            share = self.values("budget_trimestres", 4)
            series = [(str(frame.columns[1]), tuple(fixed))]
            if any(v for v in share):
                series.append((str(frame.columns[4]), tuple(share)))
            charts.append(ChartSpec("stacked", quarters, tuple(series), number_format=self.money,
                                    title=L("deck.budget.quarters"), legend=True))
        if "budget_enveloppes" in self.tables:
            frame = self.tables["budget_enveloppes"]
            quarters = tuple(self.column("budget_enveloppes", 0))
            charts.append(ChartSpec("column", quarters, (
                (str(frame.columns[1]), tuple(self.values("budget_enveloppes", 1))),
                (str(frame.columns[2]), tuple(self.values("budget_enveloppes", 2)))),
                number_format=self.money, title=L("deck.budget.envelopes")))
        if (v := self.fig("05_plan_relationnel", "budget_money")) is not None:
            bullets.append(L("deck.budget.total", value=v))
        if (v := self.fig("05_plan_relationnel", "budget_envelopes_total")) is not None:
            bullets.append(L("deck.budget.envelopes_total", value=v))
        if self.num("05_plan_relationnel", "budget_differences"):
            bullets.append(L("deck.budget.differences", n=self.fig("05_plan_relationnel", "budget_differences")))
            frame = self.tables.get("budget_enveloppes")
            if frame is not None:
                for q, diff, status in zip(frame.iloc[:, 0], frame.iloc[:, 3], frame.iloc[:, -1]):
                    if cell_number(diff, L.lang):
                        bullets.append(L("deck.budget.quarter_status", quarter=q, status=status, difference=diff))
        elif "budget_enveloppes" in self.tables:
            bullets.append(L("deck.budget.even"))
        if not charts and not bullets:
            return None
        return Slide("budget", L("deck.budget"), self.notes(
            "budget", figures=("05_plan_relationnel",),
            tables=tuple(t for t in ("budget_trimestres", "budget_enveloppes") if t in self.tables)),
            bullets=tuple(bullets), charts=tuple(charts), bullets_below=len(charts) > 1)

    def kpis(self) -> Slide | None:
        L = self.L
        frame = self.tables.get("kpi")
        if frame is None or frame.empty:
            return None
        with_target = frame[[not is_blank(v) for v in frame.iloc[:, 4]]]
        targeted = with_target.head(MAX_ROWS) if not with_target.empty else frame.head(MAX_ROWS)
        table = TableSpec((str(frame.columns[0]), str(frame.columns[3]), str(frame.columns[4])),
                          tuple((str(a), str(b), str(c)) for a, b, c in
                                zip(targeted.iloc[:, 0], targeted.iloc[:, 3], targeted.iloc[:, 4])),
                          widths=(3, 1.4, 1.2))
        n = self.fig("05_plan_relationnel", "kpis") or L.number(len(frame))
        return Slide("kpi", L("deck.kpi"), self.notes("kpi", figures=("05_plan_relationnel",), tables=("kpi",)),
                     table=table, bullets=(L("deck.kpi.count", n=n, targeted=L.number(len(with_target))),))

    def dashboard(self) -> Slide | None:
        frame = self.tables.get("tableau_de_bord")
        if frame is None or frame.empty:
            return None
        reached = self.values("tableau_de_bord", 4)
        rows = [(k, v) for k, v in zip(self.column("tableau_de_bord", 0), reached) if v is not None]
        if not rows:
            return None
        chart = ChartSpec("bar", tuple(r[0] for r in rows), ((str(frame.columns[4]), tuple(r[1] for r in rows)),),
                          number_format=PERCENT_FORMAT, title=self.L("deck.dashboard.series"))
        L, period, bullets = self.L, self.column("tableau_de_bord", 1), []
        if period and period[0]:
            bullets.append(L("deck.dashboard.period", period=period[0]))
        statuses = [v for v in self.column("tableau_de_bord", 5) if v]
        for status in dict.fromkeys(statuses):  # in the table's order, each once
            bullets.append(L("deck.dashboard.status", status=status[:1].upper() + status[1:],
                             n=L.number(statuses.count(status))))
        return Slide("dashboard", L("deck.dashboard"), self.notes("dashboard", tables=("tableau_de_bord",)),
                     charts=(chart,), bullets=tuple(bullets))

    def decisions(self) -> Slide:
        L, ctx = self.L, self.ctx
        frame = self.tables.get("decisions")
        table = None
        if frame is not None and not frame.empty:
            rows = frame.head(MAX_DECISIONS)
            table = TableSpec(tuple(str(c) for c in frame.columns), tuple(tuple(str(v) for v in r)
                                                                          for r in rows.itertuples(index=False)),
                              widths=(4, 2.2, 1.6, 1.1))
        steps = decisions.next_steps(self.book, L, decide_by=decisions.decision_date(ctx.report_date, ctx.plan_year),
                                     consultant=ctx.consultant, has_decisions=table is not None)
        return Slide("decisions", L("deck.decisions"), self.notes(
            "decisions", figures=("05_plan_relationnel",), tables=("decisions",) if table else ()),
            table=table, bullets=tuple(steps))


def deck_content(figures: dict, tables: dict[str, pd.DataFrame], images: dict[str, bytes], ctx: DeckContext,
                 labels: Labels, *, firm_logo: Path | None = None, firm_logo_small: Path | None = None,
                 client_logo: Path | None = None) -> Deck:
    """The restitution's slides, in order (a slide without its figures is left out)."""
    L, b = labels, _Builder(figures, tables, images, ctx, labels)
    bridge, findings = b.bridge(), b.findings()
    market = [s for s in (b.swot(), b.segments(), b.value()) if s]
    journey = [s for s in (b.journey(), b.collection()) if s]
    plan = [s for s in (b.programmes(), b.pressure(), b.retro()) if s]
    money = [s for s in (b.budget(), b.kpis(), b.dashboard()) if s]
    sections = [name for name, present in (("objective", bridge), ("findings", findings), ("market", market),
                                           ("journey", journey), ("plan", plan), ("budget", True)) if present]
    slides = [b.agenda(sections), *([bridge] if bridge else []), *findings, *market, *journey, *plan, *money,
              b.decisions()]
    firm = f" ({ctx.firm})" if ctx.firm else ""
    date = L.date(ctx.report_date or dt.date.today())
    return Deck(title=L("deck.title", year=ctx.plan_year), subtitle=L("deck.subtitle"), client=ctx.client,
                byline=L("report.prepared_by", consultant=ctx.consultant + firm), date=date,
                footer=L("deck.footer", client=ctx.client), slides=tuple(slides), firm_logo=firm_logo,
                firm_logo_small=firm_logo_small, client_logo=client_logo,
                title_notes=L("deck.notes.title", client=ctx.client, consultant=ctx.consultant),
                language=LANGUAGES.get(L.lang), author=ctx.consultant + firm)
