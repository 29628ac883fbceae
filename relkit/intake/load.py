"""Check a whole engagement folder before any kernel starts."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from relkit.io.channels import channel_code
from relkit.io.comments import Comment, from_folder, from_sheet
from relkit.io.engagement import Engagement
from relkit.io.engagement_file import ENGAGEMENT_FILE, EngagementParts, read_engagement_parts
from relkit.io.problems import Problem, ValidationFailed
from relkit.io.parsing import fold, is_blank
from relkit.io.atelier import axis, axis_lookup, read_workshop, sheet, sheets
from relkit.topics.competitors import problems as competitor_problems
from relkit.topics.data_kinds import kind_problems
from relkit.io.brand import DEFAULT_BRAND, BrandStyle, find_brand_file, image_problem, load_brand
from relkit.topics.key_dates import sheet_problems as key_date_problems
from relkit.topics.personas import problems as persona_problems
from relkit.topics.deployment_checks import problems as deployment_problems


@dataclass(frozen=True)
class EngagementData:
    """A validated engagement: identity, the workshop sheets as DataFrames and,
    when imported, the customer exports (canonical tables, personal data)."""

    folder: Path
    engagement: Engagement
    sheets: dict[str, pd.DataFrame]
    imports: dict = field(default_factory=dict)  # kind -> relkit.customers.io.schema.Imported
    comments: tuple[Comment, ...] = ()  # the consultant's own words: sheet Commentaires, then commentaires/*.md
    brand: BrandStyle = DEFAULT_BRAND  # the nearest _brand.yml (engagement folder, then its parents), else relkit's look

    @property
    def workshop_path(self) -> Path:
        return self.folder / self.engagement.workshop_file


def _open_lists(eng: Engagement | EngagementParts, frames: dict[str, pd.DataFrame], file: str) -> list[Problem]:
    """Columns whose list the engagement may replace (journey stages, channels):
    map each cell to its key, or report it with the list that was expected
    (skipped when engagement.yaml's journey: block did not parse)."""
    problems = []
    if eng.journey is None:
        return problems
    for s in sheets():
        frame = frames.get(s.key)
        for col in (c for c in s.columns if c.open_list):
            override = getattr(eng.journey, col.open_list.split(".", 1)[1])
            lookup = axis_lookup(col.list, override)
            shown = ", ".join(f"'{label}'" for _, label in axis(col.list, override, eng.language))
            where = f"sheet '{s.title[eng.language]}'"
            keys = []
            for _, r in (frame.iterrows() if frame is not None else []):
                if not col.required and is_blank(r[col.key]):
                    keys.append(None)
                    continue
                key = lookup.get(fold(str(r[col.key])))
                if key is None:
                    problems.append(Problem(file, f"{where}, row {r['row']}, column '{col.header[eng.language]}'",
                                            f"expected one of {shown}, got {r[col.key]!r}"))
                    frame.attrs.setdefault("reported_rows", set()).add(r["row"])  # one message per problem
                keys.append(key)
            if frame is not None and len(frame):
                frame[col.key] = keys
    return problems


def _collection_points(eng: Engagement, frames: dict[str, pd.DataFrame], file: str) -> list[Problem]:
    """A collection point must name a touchpoint of the Parcours sheet."""
    plan, journey = frames.get("collection_plan"), frames.get("journey")
    if plan is None or not len(plan):
        return []
    known = {fold(t) for t in journey["touchpoint"]} if journey is not None else set()
    s, j = sheet("collection_plan"), sheet("journey")
    header = s.column("collection_point").header[eng.language]
    problems = []
    for _, r in plan.iterrows():
        point = r["collection_point"]
        if point is not None and not pd.isna(point) and fold(point) not in known:
            problems.append(Problem(file, f"sheet '{s.title[eng.language]}', row {r['row']}, column '{header}'",
                                    f"expected a touchpoint of sheet '{j.title[eng.language]}', got {point!r}"))
    return problems


def _where(eng: Engagement, sheet_key: str, row, column: str | None = None) -> str:
    s = sheet(sheet_key)
    where = f"sheet '{s.title[eng.language]}', row {row}"
    return where + (f", column '{s.column(column).header[eng.language]}'" if column else "")


def _plan_sheets(eng: Engagement, frames: dict[str, pd.DataFrame], file: str) -> list[Problem]:
    """Workbook 05's sheets: programmes complete and their target rules
    readable, actions pointing at real programmes, KPIs with a unit, actuals
    for known KPIs and periods."""
    problems: list[Problem] = []
    programmes, actions = frames.get("programmes"), frames.get("actions")
    kpis, actuals = frames.get("kpis"), frames.get("actuals")
    names: set[str] = set()
    if programmes is not None and len(programmes):
        from relkit.topics.plan.catalogue import programme_code
        from relkit.topics.plan.programmes import programmes_from_sheet
        from relkit.topics.plan.rules import parse_rule

        for i in range(len(programmes)):
            r = programmes.iloc[i]
            names.add(fold(str(r["programme"])))
            if programme_code(str(r["programme"])):
                names.add(programme_code(str(r["programme"])))
            if isinstance(r["target"], str) and r["target"].strip():
                try:
                    parse_rule(r["target"])
                except ValueError as exc:
                    problems.append(Problem(file, _where(eng, "programmes", r["row"], "target"), str(exc)))
                    continue
            if r["row"] in programmes.attrs.get("reported_rows", ()):  # its channel is already reported
                continue
            try:
                programmes_from_sheet(programmes.iloc[[i]], eng.language)
            except ValueError as exc:
                problems.append(Problem(file, _where(eng, "programmes", r["row"]), str(exc)))
    if actions is not None and len(actions):
        from relkit.topics.plan.catalogue import programme_code

        for _, r in actions.iterrows():
            name = r["programme"]
            if isinstance(name, str) and name.strip() and fold(name) not in names and programme_code(name) not in names:
                problems.append(Problem(file, _where(eng, "actions", r["row"], "programme"),
                                        f"expected a programme of sheet '{sheet('programmes').title[eng.language]}', got {name!r}"))
    known_kpis: set[str] = set()
    if kpis is not None and len(kpis):
        from relkit.topics.kpi import kpis_from_sheet
        from relkit.topics.kpi_catalogue import kpi_code

        for i in range(len(kpis)):
            r = kpis.iloc[i]
            known_kpis.add(fold(str(r["kpi"])))
            if kpi_code(str(r["kpi"])):
                known_kpis.add(kpi_code(str(r["kpi"])))
            try:
                kpis_from_sheet(kpis.iloc[[i]], eng.language)
            except ValueError as exc:
                problems.append(Problem(file, _where(eng, "kpis", r["row"], "unit"), str(exc)))
    if actuals is not None and len(actuals):
        from relkit.topics.kpi_calendar import parse_period
        from relkit.topics.kpi_catalogue import kpi_code

        for _, r in actuals.iterrows():
            if fold(str(r["kpi"])) not in known_kpis and kpi_code(str(r["kpi"])) not in known_kpis:
                problems.append(Problem(file, _where(eng, "actuals", r["row"], "kpi"),
                                        f"expected a KPI of sheet '{sheet('kpis').title[eng.language]}', got {r['kpi']!r}"))
            if eng.plan_year is None:  # engagement.yaml's plan_year did not parse
                continue
            try:
                parse_period(str(r["period"]), eng.plan_year)
            except ValueError as exc:
                problems.append(Problem(file, _where(eng, "actuals", r["row"], "period"), str(exc)))
    return problems


def _pressure_channels(eng: Engagement | EngagementParts, file: str) -> list[Problem]:
    """Caps written in engagement.yaml are per channel of the journey's channel
    list, or "total"; the default caps (left out) never fail."""
    written = eng.pressure_written
    if not written or eng.journey is None:
        return []
    channels = eng.journey.channels
    lookup = axis_lookup("channel", channels)
    codes = {channel_code(c) for c in channels} - {None} if channels else set()
    shown = ", ".join(f"'{label}'" for _, label in axis("channel", channels, eng.language))
    return [Problem(file, f"key 'pressure.{key}'", f"expected a channel ({shown}) or 'total', got {key!r}")
            for key in written if fold(key) != "total" and fold(key) not in lookup and channel_code(key) not in codes]


def _paths(folder: Path, eng: Engagement | EngagementParts, file: str) -> tuple[list[Problem], set[str]]:
    """The files engagement.yaml names must be files inside the folder: a link
    leading outside it, or a folder, is refused naming the key (a missing file is
    reported by its reader). Returns the problems and the keys refused."""
    keys = {"workshop_file": eng.workshop_file}
    cd = eng.customer_data
    for kind in ("customers", "transactions"):
        source = getattr(cd, kind, None) if cd is not None else None
        if source is not None:
            keys[f"customer_data.{kind}.file"] = source.file
    home = folder.resolve()
    problems, refused = [], set()
    for key, rel in keys.items():
        if rel is None:
            continue
        target = folder / rel
        if not target.resolve().is_relative_to(home):
            problems.append(Problem(file, f"key '{key}'", f"{rel!r} is a link to a file outside the engagement folder; "
                                                          "copy the file into the folder"))
        elif target.is_dir():
            problems.append(Problem(file, f"key '{key}'", f"{rel!r} is a folder, expected a file"))
        else:
            continue
        refused.add(key)
    return problems, refused


def _brand(folder: Path, eng: Engagement | EngagementParts, file: str) -> tuple[BrandStyle, list[Problem]]:
    """The brand of the outputs (relkit.io.brand) and its problems; the client's own
    logo (client.logo) must be an image inside the folder."""
    path = find_brand_file(folder)
    brand, problems = load_brand(path) if path else (DEFAULT_BRAND, [])
    client = getattr(eng, "client", None)
    logo = getattr(client, "logo", None)
    if logo:
        target = folder / logo
        if not target.resolve().is_relative_to(folder.resolve()):
            problems.append(Problem(file, "key 'client.logo'", f"{logo!r} is a link to a file outside the engagement "
                                                               "folder; copy the file into the folder"))
        else:
            why = image_problem(target)
            if why:
                problems.append(Problem(file, "key 'client.logo'", why))
    return brand, problems


def _import_exports(folder: Path, eng: Engagement | EngagementParts, refused: set[str]):
    """The declared exports, read by relkit.intake.imports.import_sources;
    a source whose path was refused is not read."""
    from relkit.intake.imports import KINDS, import_sources  # pandas/pyarrow work only when there are exports

    return import_sources(folder, eng, skip=frozenset(k for k in KINDS if f"customer_data.{k}.file" in refused))


def _cross_checks(eng: Engagement | EngagementParts, frames: dict[str, pd.DataFrame], file: str) -> list[Problem]:
    problems = _open_lists(eng, frames, file) + _collection_points(eng, frames, file) + _plan_sheets(eng, frames, file)
    from relkit.topics.plan.scenarios import check_scenarios  # the scenarios sheet: programmes, delays, step order

    problems += check_scenarios(frames.get("scenarios"), frames.get("programmes"), eng.language, file)
    problems += key_date_problems(frames.get("key_dates"), eng.plan_year, file, lambda row, col: _where(eng, "key_dates", row, col))
    problems += kind_problems(frames.get("collection_plan", pd.DataFrame(columns=["row"])), file, eng.language)
    problems += competitor_problems(frames, eng.language, file)
    problems += persona_problems(frames.get("personas"), file, eng.language)
    problems += deployment_problems(frames, eng.language, file)
    objectives = frames.get("objectives")
    if objectives is not None and len(objectives) and eng.plan_year is not None:
        s = sheet("objectives")
        header = s.column("deadline").header[eng.language]
        for _, r in objectives.iterrows():
            d = r["deadline"]
            if d is not None and not pd.isna(d) and d.year < eng.plan_year:
                problems.append(
                    Problem(file, f"sheet '{s.title[eng.language]}', row {r['row']}, column '{header}'",
                            f"deadline {d:%d/%m/%Y} is before the plan year {eng.plan_year}")
                )
    return problems


def check(folder: Path | str, import_exports: bool = True) -> tuple[EngagementData | None, list[Problem]]:
    """Every problem of the folder at once (empty list = valid). With
    ``import_exports`` the customer exports are read in full (the only way to
    find a bad date on line 40 000) and returned with the data.

    One pass: when engagement.yaml has problems, the parts of it that parsed
    still serve: the workshop file it names is read with its language and
    journey lists, the exports are imported when the customer_data: block is
    valid, and the cross checks run whenever their inputs parsed."""
    folder = Path(folder)
    if not folder.is_dir():
        return None, [Problem(str(folder), "", "engagement folder not found")]
    eng, parts, problems = read_engagement_parts(folder)
    yaml_file = str(folder / ENGAGEMENT_FILE)
    if parts is None:  # engagement.yaml unreadable: still read the workshop file under its default name
        default = folder / "atelier.xlsx"
        if default.exists():
            problems += read_workshop(default)[1]
        return None, problems
    more, refused = _paths(folder, parts, yaml_file)
    problems += more + _pressure_channels(parts, yaml_file)
    frames: dict[str, pd.DataFrame] = {}
    comments: list[Comment] = []
    if parts.workshop_file is not None and "workshop_file" not in refused:
        path = folder / parts.workshop_file
        frames, more = read_workshop(path, parts.language)
        problems += more + _cross_checks(parts, frames, str(path))
        comments = from_sheet(frames.get("comments"), str(path), sheet("comments").title[parts.language])
    more_comments, more = from_folder(folder, parts.language)  # every bad file name or position, in the same pass
    comments += more_comments
    problems += more
    brand, more = _brand(folder, parts, yaml_file)
    problems += more
    imports = {}
    if import_exports and parts.customer_data is not None:
        imports, more = _import_exports(folder, parts, refused)
        problems += more
    if problems:
        return None, problems
    return EngagementData(folder=folder, engagement=eng, sheets=frames, imports=imports, comments=tuple(comments),
                          brand=brand), []


def load(folder: Path | str, import_exports: bool = True) -> EngagementData:
    """The validated engagement, or ValidationFailed listing every problem."""
    data, problems = check(folder, import_exports)
    if problems:
        raise ValidationFailed(problems)
    return data


validate = load
