"""The issue-15 parts on the restitution's existing slides (the deck stays within
its 20 slides): one short line each, read from the figures the workbooks recorded
(competitors, personas, automation scenarios, key dates, tools and data flows,
the questions the customer database answers). A part that did not run adds nothing."""
from __future__ import annotations

D01, D02, D04, D05 = "01_diagnostic", "02_fichier_clients", "04_plan_collecte", "05_plan_relationnel"


def competitors(b) -> tuple[str, ...]:
    """SWOT slide: the competitor closest to the client on the positioning map."""
    n, nearest = b.fig(D01, "competitors"), b.fig(D01, "competitor_nearest")
    if not b.num(D01, "competitors") or nearest is None:
        return ()
    gap = b.fig(D01, "competitor_distance")
    return (b.L("deck.extra.competitors", n=n, nearest=nearest, gap=gap or "—"),)


def personas(b) -> tuple[str, ...]:
    """Segments slide: how many personas stand on a measured segment, and who does not."""
    if not b.num(D02, "personas"):
        return ()
    L, out = b.L, [b.L("deck.extra.personas", measured=b.fig(D02, "personas_measured") or "0", n=b.fig(D02, "personas"))]
    if b.num(D02, "personas_without_segment"):
        names = [p.split(",")[0] for p, seg, size in zip(b.column("personas", 0), b.column("personas", 1),
                                                          b.column("personas", 2)) if size in ("", "—")]
        if names:
            out.append(L("deck.extra.personas_none", names=L.join(names)))
    return tuple(out)


def scenarios(b) -> tuple[str, ...]:
    """Programmes slide: the automated sequences and their conditional messages (counted as sent)."""
    if not b.num(D05, "scenarios"):
        return ()
    return (b.L("deck.extra.scenarios", n=b.fig(D05, "scenarios"), messages=b.fig(D05, "scenario_messages"),
                conditional=b.fig(D05, "scenario_conditional") or "0"),)


def schedule(b) -> tuple[str, ...]:
    """Retro-planning slide: key dates prepared or run into, then the tools to set up."""
    out = []
    if b.num(D05, "key_dates"):
        clashes = b.num(D05, "key_dates_clashes")
        out.append(b.L("deck.extra.key_dates_clash" if clashes else "deck.extra.key_dates",
                       covered=b.fig(D05, "key_dates_covered") or "0", clashes=b.fig(D05, "key_dates_clashes") or "0"))
    if b.num(D05, "deployment_tools"):
        out.append(b.L("deck.extra.tools", n=b.fig(D05, "deployment_tools"),
                       new=b.fig(D05, "deployment_tools_to_set_up") or "0", flows=b.fig(D05, "deployment_flows") or "0",
                       manual=b.fig(D05, "deployment_flows_manual") or "0"))
    return tuple(out)


def questions(b) -> tuple[str, ...]:
    """Collection slide: the questions the customer database can answer with the plan's data."""
    shown = b.fig(D04, "questions_answered")
    return (b.L("deck.extra.questions", shown=shown),) if shown is not None else ()
