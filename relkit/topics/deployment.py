"""Deployment of the plan (seed 000: "Sélection des outils", "Organisation des
flux de données", the roadmap and its phases): the tools the plan needs, the
data flows between them and the roll-out phases.

Three workshop sheets: ``tools`` (role, current tool, chosen tool), ``data_flows``
(source tool -> destination tool, which data, how often, manual or automatic) and
``roadmap`` (phase, kind, start, end, tool, owner). A flow or a phase names a
tool as the sheet ``tools`` writes it, its chosen tool or its current one
(compared without case or accents).

A tool's status: ``kept`` (the chosen tool is the current one), ``replaced``
(another tool is chosen), ``new`` (nothing today), ``to_choose`` (no chosen tool
yet), ``dropped`` (the chosen cell says "aucun"/"none": the plan stops using it).

The roadmap joins the retro-planning as rows of the data it draws
(``roadmap_rows``: one ``Action`` per phase, category ``deployment``, the months
of the plan year it covers).

Pure: frames in, frozen results and tidy frames out; no sentence, no chart.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

import pandas as pd

from relkit.io.atelier import lists
from relkit.io.parsing import fold, is_blank
from relkit.topics.action_plan import Action

SHEETS = ("tools", "data_flows", "roadmap")
STATUSES = ("new", "replaced", "kept", "to_choose", "dropped")
MODES = ("automatic", "manual")
DEPLOYMENT = "deployment"  # the category of the roadmap's rows in the retro-planning
# A chosen-tool cell meaning "no tool any more".
NO_TOOL = frozenset({"aucun", "aucune", "none", "no", "non", "-", "—", "n/a", "na"})


def cell_text(value) -> str | None:
    return None if is_blank(value) else str(value).strip()


def _is_none_word(text: str | None) -> bool:
    return text is not None and fold(text) in NO_TOOL


# ---------------------------------------------------------------- tools
@dataclass(frozen=True)
class Tool:
    """One row of sheet ``tools``."""

    role: str
    current: str | None = None
    chosen: str | None = None
    monthly_cost: float | None = None
    owner: str | None = None
    note: str | None = None
    row: int | None = None

    @property
    def status(self) -> str:
        if _is_none_word(self.chosen):
            return "dropped"
        if self.chosen is None:
            return "to_choose"
        if self.current is None or _is_none_word(self.current):
            return "new"
        return "kept" if fold(self.current) == fold(self.chosen) else "replaced"

    @property
    def name(self) -> str | None:
        """The name the plan uses: the chosen tool, else the current one (None when neither is usable)."""
        if self.status in ("new", "replaced", "kept"):
            return self.chosen
        if self.status == "to_choose" and self.current and not _is_none_word(self.current):
            return self.current
        return None

    @property
    def in_use(self) -> bool:
        """A tool of the plan's target set-up (chosen or kept)."""
        return self.status in ("new", "replaced", "kept")


def _role_rank(code: str) -> int:
    codes = [item["code"] for item in lists()["tool_role"]]
    return codes.index(code) if code in codes else len(codes)


def tools_from_sheet(frame: pd.DataFrame | None) -> tuple[Tool, ...]:
    """Sheet ``tools`` -> Tools, in sheet order (rows with neither tool left out)."""
    if frame is None or not len(frame):
        return ()
    out = []
    for r in frame.to_dict("records"):
        current, chosen = cell_text(r.get("current")), cell_text(r.get("chosen"))
        if current is None and chosen is None:
            continue
        cost = r.get("monthly_cost")
        row = r.get("row")
        out.append(Tool(role=str(r["role"]), current=current, chosen=chosen,
                        monthly_cost=None if is_blank(cost) else float(cost), owner=cell_text(r.get("owner")),
                        note=cell_text(r.get("note")), row=None if is_blank(row) else int(row)))
    return tuple(out)


def tool_names(tools: tuple[Tool, ...]) -> dict[str, str]:
    """fold(any name a flow may use) -> the name as the sheet writes it: each
    chosen tool, and each current tool (a flow of today's set-up)."""
    out: dict[str, str] = {}
    for t in tools:
        for name in (t.chosen, t.current):
            if name is not None and not _is_none_word(name):
                out.setdefault(fold(name), name)
    return out


def _role_of(tools: tuple[Tool, ...]) -> dict[str, str]:
    """fold(name) -> role: of the first row whose tool (``Tool.name``) it is, else of
    the first row naming it (an Excel file replaced as CRM but still used for accounting
    is an accounting tool)."""
    out: dict[str, str] = {fold(t.name): t.role for t in reversed(tools) if t.name is not None}
    for t in tools:
        for name in (t.chosen, t.current):
            if name is not None and not _is_none_word(name):
                out.setdefault(fold(name), t.role)
    return out


# ---------------------------------------------------------------- flows
@dataclass(frozen=True)
class Flow:
    """One row of sheet ``data_flows``; tools as the sheet ``tools`` writes them."""

    source: str
    destination: str
    data: str
    mode: str
    frequency: str | None = None
    means: str | None = None
    row: int | None = None


def flows_from_sheet(frame: pd.DataFrame | None, tools: tuple[Tool, ...]) -> tuple[Flow, ...]:
    """Sheet ``data_flows`` -> Flows (tool names put in the spelling of sheet
    ``tools``); a row naming an unknown tool is left out (``problems`` reports it)."""
    if frame is None or not len(frame):
        return ()
    names = tool_names(tools)
    out = []
    for r in frame.to_dict("records"):
        source, destination = names.get(fold(str(r["source"]))), names.get(fold(str(r["destination"])))
        if source is None or destination is None or source == destination:
            continue
        row = r.get("row")
        out.append(Flow(source=source, destination=destination, data=str(r["data"]).strip(), mode=str(r["mode"]),
                        frequency=cell_text(r.get("frequency")), means=cell_text(r.get("means")),
                        row=None if is_blank(row) else int(row)))
    return tuple(out)


# ---------------------------------------------------------------- roadmap
@dataclass(frozen=True)
class Phase:
    """One row of sheet ``roadmap``; ``end`` is ``start`` for a single day."""

    phase: str
    kind: str
    start: dt.date
    end: dt.date
    tool: str | None = None
    owner: str | None = None
    row: int | None = None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def months(self, year: int) -> tuple[int, ...]:
        """The months of ``year`` the phase touches (none when it lies in another year)."""
        first, last = max(self.start, dt.date(year, 1, 1)), min(self.end, dt.date(year, 12, 31))
        if first > last:
            return ()
        return tuple(range(first.month, last.month + 1))


def cell_date(value) -> dt.date | None:
    if is_blank(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def roadmap_from_sheet(frame: pd.DataFrame | None, tools: tuple[Tool, ...] = ()) -> tuple[Phase, ...]:
    """Sheet ``roadmap`` -> Phases sorted by start (then sheet order); a phase
    ending before it starts is left out (``problems`` reports it); its tool is
    written as sheet ``tools`` writes it."""
    if frame is None or not len(frame):
        return ()
    names = tool_names(tools)
    out = []
    for r in frame.to_dict("records"):
        start, end = cell_date(r["start"]), cell_date(r.get("end"))
        if start is None:
            continue
        end = end or start
        if end < start:
            continue
        tool = cell_text(r.get("tool"))
        row = r.get("row")
        out.append(Phase(phase=str(r["phase"]).strip(), kind=str(r["kind"]), start=start, end=end,
                         tool=names.get(fold(tool), tool) if tool else None, owner=cell_text(r.get("owner")),
                         row=None if is_blank(row) else int(row)))
    return tuple(sorted(out, key=lambda p: p.start))


def roadmap_rows(phases: tuple[Phase, ...], year: int | None) -> list[Action]:
    """The phases as rows of the retro-planning: one Action per phase touching the
    plan year, category ``deployment``, its months of that year, its owner."""
    if year is None:
        return []
    return [Action(action=p.phase, category=DEPLOYMENT, owner=p.owner, months=p.months(year), row=p.row)
            for p in phases if p.months(year)]


# ---------------------------------------------------------------- the whole
@dataclass(frozen=True)
class Deployment:
    tools: tuple[Tool, ...] = ()
    flows: tuple[Flow, ...] = ()
    phases: tuple[Phase, ...] = ()

    @property
    def assessed(self) -> bool:
        return bool(self.tools or self.flows or self.phases)


def deployment(frames: dict[str, pd.DataFrame]) -> Deployment:
    tools = tools_from_sheet(frames.get("tools"))
    return Deployment(tools=tools, flows=flows_from_sheet(frames.get("data_flows"), tools),
                      phases=roadmap_from_sheet(frames.get("roadmap"), tools))


@dataclass(frozen=True)
class Summary:
    """The deployment in numbers. ``new``: tools to set up (chosen, nothing today);
    ``replaced``: (current, chosen) pairs; ``to_choose``: roles without a chosen
    tool; ``monthly_cost``: the sum of the costs given (None when none is);
    ``hub``: the tool most flows touch (ties: the first in sheet ``tools``);
    ``unlinked``: tools in use that no flow touches (only said when there are flows);
    ``start``/``end``: the roadmap's first start and last end; ``campaigns``: the
    start of the first "first campaigns" phase; ``early``: ``early_phases``."""

    tools: int
    new: tuple[str, ...]
    replaced: tuple[tuple[str, str], ...]
    kept: tuple[str, ...]
    to_choose: tuple[str, ...]
    dropped: tuple[str, ...]
    monthly_cost: float | None
    flows: int
    automatic: int
    manual: int
    manual_flows: tuple[tuple[str, str], ...]
    hub: str | None
    hub_flows: int
    unlinked: tuple[str, ...]
    phases: int
    start: dt.date | None
    end: dt.date | None
    campaigns: dt.date | None
    early: tuple[tuple[str, str], ...] = ()


def early_phases(phases: tuple[Phase, ...]) -> tuple[tuple[str, str], ...]:
    """(phase, tool) for each training or first-campaigns phase on a tool that starts
    before that tool's set-up phase ends (the team would use a tool not ready yet)."""
    setup_end: dict[str, dt.date] = {}
    for p in phases:
        if p.kind == "tool_setup" and p.tool:
            setup_end[fold(p.tool)] = max(p.end, setup_end.get(fold(p.tool), p.end))
    return tuple((p.phase, p.tool) for p in phases
                 if p.kind in ("training", "first_campaigns") and p.tool and fold(p.tool) in setup_end
                 and p.start <= setup_end[fold(p.tool)])


def summary(dep: Deployment) -> Summary:
    tools, flows, phases = dep.tools, dep.flows, dep.phases
    costs = [t.monthly_cost for t in tools if t.monthly_cost is not None and t.status != "dropped"]
    touched = Counter()
    for f in flows:
        touched[f.source] += 1
        touched[f.destination] += 1
    order = list(tool_names(tools).values())
    top = max(touched.values(), default=0)
    hub = next((name for name in order if touched.get(name) == top), None) if top else None
    in_use = list(dict.fromkeys(t.name for t in tools if t.in_use))
    manual = [f for f in flows if f.mode == "manual"]
    first = [p.start for p in phases if p.kind == "first_campaigns"]
    return Summary(
        tools=len(in_use),
        new=tuple(t.chosen for t in tools if t.status == "new"),
        replaced=tuple((t.current, t.chosen) for t in tools if t.status == "replaced"),
        kept=tuple(t.chosen for t in tools if t.status == "kept"),
        to_choose=tuple(t.role for t in tools if t.status == "to_choose"),
        dropped=tuple(t.current for t in tools if t.status == "dropped" and t.current),
        monthly_cost=round(sum(costs), 2) if costs else None,
        flows=len(flows), automatic=len(flows) - len(manual), manual=len(manual),
        manual_flows=tuple((f.source, f.destination) for f in manual),
        hub=hub, hub_flows=top,
        unlinked=tuple(n for n in in_use if flows and not touched.get(n)),
        phases=len(phases),
        start=min((p.start for p in phases), default=None),
        end=max((p.end for p in phases), default=None),
        campaigns=min(first, default=None),
        early=early_phases(phases),
    )


def flow_edges(dep: Deployment) -> pd.DataFrame:
    """One row per (source, destination) pair with a flow, in first-flow order:
    ``flows`` (how many), ``manual`` (how many are manual) and ``mode``: manual
    when any of them is (the pair's weak link), else automatic."""
    columns = ["source", "destination", "flows", "manual", "mode"]
    pairs: dict[tuple[str, str], list[Flow]] = {}
    for f in dep.flows:
        pairs.setdefault((f.source, f.destination), []).append(f)
    rows = []
    for (source, destination), fs in pairs.items():
        manual = sum(1 for f in fs if f.mode == "manual")
        rows.append({"source": source, "destination": destination, "flows": len(fs), "manual": manual,
                     "mode": "manual" if manual else "automatic"})
    return pd.DataFrame(rows, columns=columns)


def tool_nodes(dep: Deployment) -> pd.DataFrame:
    """The boxes of the data-flow diagram: each tool in use and each tool a flow
    names, once, ordered by role (the ``tool_role`` list) then sheet order;
    ``flows``: how many flows touch it."""
    columns = ["tool", "role", "status", "flows"]
    roles = _role_of(dep.tools)
    status = {}
    for t in dep.tools:
        for name in (t.chosen, t.current):
            if name is not None and not _is_none_word(name):
                status.setdefault(fold(name), t.status if name == t.name else "current")
    touched = Counter()
    for f in dep.flows:
        touched[f.source] += 1
        touched[f.destination] += 1
    names = [t.name for t in dep.tools if t.in_use] + [n for f in dep.flows for n in (f.source, f.destination)]
    names = list(dict.fromkeys(names))
    names.sort(key=lambda n: _role_rank(roles.get(fold(n), "other")))  # stable: sheet order within a role
    return pd.DataFrame([{"tool": n, "role": roles.get(fold(n), "other"), "status": status.get(fold(n), "current"),
                          "flows": touched.get(n, 0)} for n in names], columns=columns)
