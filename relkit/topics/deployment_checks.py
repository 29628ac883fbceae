"""The deployment sheets' checks (tools, data flows, roadmap): what a column type
cannot see, one line per bad cell, in the same pass as every other problem."""
from __future__ import annotations

import pandas as pd

from relkit.io.atelier import choice_label, sheet
from relkit.io.parsing import fold, is_blank
from relkit.io.problems import Problem
from relkit.topics.deployment import cell_date, cell_text, tool_names, tools_from_sheet


def problems(frames: dict[str, pd.DataFrame], lang: str, file: str) -> list[Problem]:
    """One line per bad cell: a tool row with neither tool; a flow or phase naming
    a tool absent from sheet ``tools``; a flow from a tool to itself; a phase
    ending before it starts."""
    out: list[Problem] = []
    t_sheet = sheet("tools")
    t_title = t_sheet.title[lang]
    tools_frame = frames.get("tools")

    def where(key: str, row, column: str) -> str:
        s = sheet(key)
        return f"sheet '{s.title[lang]}', row {row}, column '{s.column(column).header[lang]}'"

    if tools_frame is not None and len(tools_frame):
        for r in tools_frame.to_dict("records"):
            if is_blank(r.get("current")) and is_blank(r.get("chosen")):
                out.append(Problem(file, where("tools", r["row"], "chosen"),
                                   f"expected the chosen tool, the current one or both (the row's role is "
                                   f"'{choice_label('tool_role', r['role'], lang)}')"))
    names = tool_names(tools_from_sheet(tools_frame))
    known = list(dict.fromkeys(names.values()))
    shown = ", ".join(f"'{n}'" for n in known[:12]) + (", …" if len(known) > 12 else "")

    def unknown(name) -> str:
        if not known:
            return f"expected a tool of sheet '{t_title}', which lists none yet: add {str(name)!r} there first"
        return f"expected a tool of sheet '{t_title}' ({shown}), got {str(name)!r}"

    flows_frame = frames.get("data_flows")
    if flows_frame is not None and len(flows_frame):
        for r in flows_frame.to_dict("records"):
            bad = False
            for column in ("source", "destination"):
                if fold(str(r[column])) not in names:
                    out.append(Problem(file, where("data_flows", r["row"], column), unknown(r[column])))
                    bad = True
            if not bad and fold(str(r["source"])) == fold(str(r["destination"])):
                out.append(Problem(file, where("data_flows", r["row"], "destination"),
                                   f"expected another tool than the source {str(r['source'])!r}: a flow goes from "
                                   "one tool to another"))
    road = frames.get("roadmap")
    if road is not None and len(road):
        for r in road.to_dict("records"):
            start, end = cell_date(r.get("start")), cell_date(r.get("end"))
            if start is not None and end is not None and end < start:
                out.append(Problem(file, where("roadmap", r["row"], "end"),
                                   f"end {end:%d/%m/%Y} is before the start {start:%d/%m/%Y}"))
            tool = cell_text(r.get("tool"))
            if tool is not None and fold(tool) not in names:
                out.append(Problem(file, where("roadmap", r["row"], "tool"), unknown(tool)))
    return out
