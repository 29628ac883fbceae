"""Workbook 05 — tools, data flows and roadmap (seed 000, "Sélection des outils",
"Organisation des flux de données", deployment): one or two sentences and the
data-flow diagram in the report's body, the three tables in its appendix; the
roadmap's phases join the retro-planning (``retro_rows``)."""
from __future__ import annotations

import pandas as pd

from relkit.intake.load import EngagementData
from relkit.io.atelier import choice_label
from relkit.io.labels import Labels
from relkit.topics import deployment as topic
from relkit.topics.action_plan import Action


def retro_rows(data: EngagementData) -> list[Action]:
    """The roadmap's phases as rows of the retro-planning (the plan year's months)."""
    dep = topic.deployment(data.sheets)
    return topic.roadmap_rows(dep.phases, data.engagement.plan_year)


class Deployment:
    def __init__(self, data: EngagementData, labels: Labels):
        self.L = labels
        self.year = data.engagement.plan_year
        self.dep = topic.deployment(data.sheets)
        self.sum = topic.summary(self.dep)

    def assessed(self) -> bool:
        return self.dep.assessed

    def _choice(self, list_name: str, code) -> str:
        return choice_label(list_name, code, self.L.lang) if isinstance(code, str) and code else ""

    # -- sentences ----------------------------------------------------------------
    def text(self) -> list[str]:
        L, s = self.L, self.sum
        if not self.assessed():
            return [L("deployment.not_assessed")]
        out = []
        if self.dep.tools:
            to_set_up = list(s.new) + [chosen for _, chosen in s.replaced]
            setup = L("deployment.text.setup", k=len(to_set_up)) if to_set_up else ""
            cost = L("deployment.text.cost", cost=L.money(s.monthly_cost)) if s.monthly_cost else ""
            choose = (L("deployment.text.choose", roles=L.join([self._choice("tool_role", r) for r in s.to_choose]))
                      if s.to_choose else "")
            out.append(L("deployment.text.tools", n=s.tools, setup=setup, cost=cost, choose=choose))
        if s.phases:
            campaigns = L("deployment.text.campaigns", date=L.date(s.campaigns, "d MMMM")) if s.campaigns else ""
            campaigns += "".join(L("deployment.text.early", phase=phase, tool=tool) for phase, tool in s.early)
            if s.start == s.end:
                out.append(L("deployment.text.roadmap_one", start=L.date(s.start), campaigns=campaigns))
            else:
                same_year = s.start.year == s.end.year
                out.append(L("deployment.text.roadmap", start=L.date(s.start, "d MMMM" if same_year else "long"),
                             end=L.date(s.end), n=s.phases, campaigns=campaigns))
        elif self.dep.tools:
            out.append(L("deployment.text.no_roadmap"))
        return out

    def diagram_takeaway(self) -> str:
        L, s = self.L, self.sum
        if not s.flows:
            return L("deployment.diagram.no_flows")
        manual = L("deployment.diagram.manual", m=s.manual) if s.manual else L("deployment.diagram.all_automatic")
        unlinked = L("deployment.diagram.unlinked", names=L.join(list(s.unlinked))) if s.unlinked else ""
        return L("deployment.diagram.takeaway", n=s.flows, manual_part=manual, hub=s.hub, k=s.hub_flows,
                 unlinked=unlinked)

    # -- the diagram ----------------------------------------------------------------
    def diagram(self):
        """The data-flow diagram; None when no tool is in the plan."""
        nodes = topic.tool_nodes(self.dep)
        if nodes.empty:
            return None
        from relkit.views.charts.deployment import flow_diagram  # matplotlib only when there is a diagram

        L = self.L
        roles = {r: self._choice("tool_role", r) for r in nodes["role"]}
        legend = {k: L(f"deployment.legend.{k}") for k in ("automatic", "manual", "new", "kept", "current")}
        ax = flow_diagram(nodes, topic.flow_edges(self.dep), role_names=roles, legend=legend,
                          title=L("deployment.diagram.title"), takeaway=self.diagram_takeaway())
        return ax.figure

    # -- appendix -------------------------------------------------------------------
    def tools_table(self) -> pd.DataFrame | None:
        L = self.L
        if not self.dep.tools:
            return None
        return pd.DataFrame([{
            L("deployment.col.role"): self._choice("tool_role", t.role),
            L("deployment.col.current"): t.current or "",
            L("deployment.col.chosen"): t.chosen or "",
            L("deployment.col.status"): L(f"deployment.status.{t.status}"),
            L("deployment.col.cost"): L.money(t.monthly_cost) if t.monthly_cost is not None else "",
            L("deployment.col.owner"): t.owner or "",
            L("deployment.col.note"): t.note or "",
        } for t in self.dep.tools])

    def flows_table(self) -> pd.DataFrame | None:
        L = self.L
        if not self.dep.flows:
            return None
        return pd.DataFrame([{
            L("deployment.col.source"): f.source,
            L("deployment.col.destination"): f.destination,
            L("deployment.col.data"): f.data,
            L("deployment.col.frequency"): self._choice("flow_frequency", f.frequency),
            L("deployment.col.mode"): self._choice("flow_mode", f.mode),
            L("deployment.col.means"): f.means or "",
        } for f in self.dep.flows])

    def roadmap_table(self) -> pd.DataFrame | None:
        L = self.L
        if not self.dep.phases:
            return None
        return pd.DataFrame([{
            L("deployment.col.phase"): p.phase,
            L("deployment.col.kind"): self._choice("roadmap_kind", p.kind),
            L("deployment.col.start"): L.date(p.start, "short"),
            L("deployment.col.end"): L.date(p.end, "short"),
            L("deployment.col.tool"): p.tool or "",
            L("deployment.col.owner"): p.owner or "",
        } for p in self.dep.phases])

    def figures(self) -> dict[str, tuple[object, str, str]]:
        """key -> (value, label, formatted) for figures.json."""
        L, s = self.L, self.sum
        if not self.assessed():
            return {"deployment_tools": (None, L("deployment.fig.tools"), L("common.not_assessed"))}
        to_set_up = len(s.new) + len(s.replaced)
        out = {
            "deployment_tools": (s.tools, L("deployment.fig.tools"), L.number(s.tools)),
            "deployment_tools_to_set_up": (to_set_up, L("deployment.fig.to_set_up"), L.number(to_set_up)),
            "deployment_flows": (s.flows, L("deployment.fig.flows"), L.number(s.flows)),
            "deployment_flows_manual": (s.manual, L("deployment.fig.manual"), L.number(s.manual)),
            "deployment_phases": (s.phases, L("deployment.fig.phases"), L.number(s.phases)),
        }
        if s.monthly_cost is not None:
            out["deployment_monthly_cost"] = (s.monthly_cost, L("deployment.fig.cost"), L.money(s.monthly_cost))
        if s.start is not None:
            out["deployment_start"] = (s.start.isoformat(), L("deployment.fig.start"), L.date(s.start))
            out["deployment_end"] = (s.end.isoformat(), L("deployment.fig.end"), L.date(s.end))
        return out
