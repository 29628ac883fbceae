"""Every bad input gets a clear error, all in one pass (issue 11): defaults that
only apply to channels that exist, one-pass validation across engagement.yaml,
the workshop workbook and the customer exports, plausible ranges, rates
written as fractions or percentages, paths kept inside the engagement folder,
workbooks with uncomputed formulas or a password, and the CLI's exit code."""
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

import relkit
from relkit.io.problems import ValidationFailed
from relkit.io.engagement_file import read_engagement
from relkit.intake.scaffold import new_engagement
from relkit.intake.load import check, load

ROOT = Path(__file__).resolve().parents[2]


def _edit_yaml(folder, change):
    path = folder / "engagement.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def _edit_cells(folder, sheet, cells, name="atelier.xlsx"):
    path = folder / name
    wb = load_workbook(path)
    for ref, value in cells.items():
        wb[sheet][ref] = value
    wb.save(path)


def _lines(folder, import_exports=True):
    _, problems = check(folder, import_exports)
    return [str(p) for p in problems]


def _yaml_lines(folder):
    """Only engagement.yaml's lines (the demo's workshop file is not the subject)."""
    return [line for line in _lines(folder, import_exports=False) if line.startswith(str(folder / "engagement.yaml"))]


@pytest.fixture
def blank(tmp_path):
    """A new engagement (relkit new): valid, with an empty workshop workbook."""
    return new_engagement(tmp_path / "acme", name="ACME", plan_year=2027)


# ---------------------------------------------------------------- 1. defaults only for channels that exist
def test_custom_channels_do_not_fail_on_default_pressure_caps(blank):
    _edit_yaml(blank, lambda d: d.update(journey={"channels": ["site web", "boutique", "newsletter"]}))
    data, problems = check(blank)
    assert problems == []
    assert data.engagement.pressure == {}  # no e-mail nor SMS channel: no default cap


def test_default_caps_apply_to_the_channels_that_exist(blank):
    _edit_yaml(blank, lambda d: d.update(journey={"channels": ["site web", "E-mail", "boutique"]}))
    data, problems = check(blank)
    assert problems == [] and data.engagement.pressure == {"email": 4.0}
    eng, _ = read_engagement(blank)
    assert "pressure" not in eng.model_fields_set


def test_default_caps_without_a_channel_list(blank):
    data, problems = check(blank)
    assert problems == [] and data.engagement.pressure == {"email": 4.0, "sms": 2.0}


def test_written_caps_are_checked_against_the_custom_channels(blank):
    def change(d):
        d["journey"] = {"channels": ["site web", "boutique", "newsletter"]}
        d["pressure"] = {"newsletter": 3, "sms": 1, "total": 5}
    _edit_yaml(blank, change)
    assert _lines(blank) == [
        f"{blank / 'engagement.yaml'}: key 'pressure.sms': expected a channel ('site web', 'boutique', 'newsletter') "
        "or 'total', got 'sms'"]
    _edit_yaml(blank, lambda d: d["pressure"].pop("sms"))
    data, problems = check(blank)
    assert problems == [] and data.engagement.pressure == {"newsletter": 3.0, "total": 5.0}


def test_a_cap_written_with_the_code_of_a_custom_channel_label(blank):
    def change(d):
        d["journey"] = {"channels": ["site web", "e-mail"]}
        d["pressure"] = {"email": 3}
    _edit_yaml(blank, change)
    assert _lines(blank) == []


# ---------------------------------------------------------------- 2. one pass
def _four_problems(demo):
    _edit_yaml(demo, lambda d: (d["client"].update(turnover=5), d["pressure"].update(pigeon=1)))
    _edit_cells(demo, "SWOT", {"A5": "Force"})
    with open(demo / "exports" / "ventes.csv", "ab") as f:
        f.write(b"7300011140710;demain;FA-999999;Pantalon;1;42,00\r\n")


def test_every_file_is_checked_in_one_pass(demo):
    _four_problems(demo)
    y, x, v = demo / "engagement.yaml", demo / "atelier.xlsx", demo / "exports" / "ventes.csv"
    assert _lines(demo) == [
        f"{y}: key 'client.turnover': unknown key (expected one of: name, brand, sector, model, country, logo)",
        f"{y}: key 'pressure.pigeon': expected a channel ('site web', 'application', 'magasin', 'e-mail', 'SMS', "
        "'téléphone', 'réseaux sociaux', 'courrier', 'place de marché', 'événement') or 'total', got 'pigeon'",
        f"{x}: sheet 'SWOT', row 5, column 'Quadrant': expected one of 'Forces', 'Faiblesses', 'Opportunités', "
        "'Menaces', got 'Force'",
        f"{v}: line 6002, column 'Date': expected a date as dd/mm/yyyy, got 'demain'",
    ]


def test_a_broken_engagement_still_reads_the_declared_workshop_file_and_lists(demo):
    (demo / "atelier.xlsx").rename(demo / "ateliers 2027.xlsx")
    stages = ["découverte", "considération", "achat", "livraison/utilisation", "service client", "fidélisation",
              "recommandation", "bouche-à-oreille"]

    def change(d):
        d.update(workshop_file="ateliers 2027.xlsx", journey={"stages": stages}, language="en")
        d["revenue"]["target"] = "beaucoup"
    _edit_yaml(demo, change)
    _edit_cells(demo, "Parcours", {"A4": "Bouche-à-oreille", "A5": "bouche à bouche"}, name="ateliers 2027.xlsx")
    x = demo / "ateliers 2027.xlsx"
    assert _lines(demo, import_exports=False) == [
        f"{demo / 'engagement.yaml'}: key 'revenue.target': expected a number such as '1 250 €' or '1 250,50', "
        "got 'beaucoup'",
        f"{x}: sheet 'Journey', row 5, column 'Stage': expected one of " + ", ".join(f"'{s}'" for s in stages)
        + ", got 'bouche à bouche'",
    ]


def test_a_bad_customer_data_block_is_not_imported_but_the_rest_is_checked(demo):
    _edit_yaml(demo, lambda d: d["customer_data"].update(dormant_months=0))
    _edit_cells(demo, "SWOT", {"A5": "Force"})
    lines = _lines(demo)
    assert len(lines) == 2 and "customer_data.dormant_months" in lines[0] and "sheet 'SWOT', row 5" in lines[1]


def test_cross_checks_run_when_their_inputs_parsed(demo):
    def change(d):
        d["client"]["model"] = "B3C"
        d["revenue"]["target_deadline"] = "31/12/2025"  # before plan_year: only a full model can say
    _edit_yaml(demo, change)
    _edit_cells(demo, "Objectifs", {"D4": "31/12/2025"})
    lines = _lines(demo, import_exports=False)
    assert lines[:2] == [
        f"{demo / 'engagement.yaml'}: key 'client.model': expected one of 'B2C', 'B2B' or 'B2B2C', got 'B3C'",
        f"{demo / 'engagement.yaml'}: key 'revenue.target_deadline': 31/12/2025 is before the plan year 2027"]
    assert any("sheet 'Objectifs', row 4, column 'Échéance': deadline 31/12/2025 is before the plan year 2027" in line
               for line in lines)


# ---------------------------------------------------------------- 3. plausible ranges
@pytest.mark.parametrize("key, value, message", [
    ("value.period_years", 1000000, "expected a value from 1 to 20 (years), got 1000000"),
    ("value.period_years", 0, "expected a value from 1 to 20 (years), got 0"),
    ("value.purchases_per_year", 400, "expected a value above 0 and at most 365 (purchases a year), got 400"),
    ("value.average_transaction", "200 000 000 €", "expected a value from 0 to 100 000 000, got '200 000 000 €'"),
    ("value.cost_to_reach", "50 000 €", "expected a value from 0 to 10 000, got '50 000 €'"),
    ("revenue.last_year", "20 000 000 000 €", "expected a value from 0 to 10 000 000 000, got '20 000 000 000 €'"),
    ("revenue.target", 1e11, "expected a value from 0 to 10 000 000 000, got 100000000000.0"),
    ("customer_data.dormant_months", 0, "expected a value from 1 to 120 (months), got 0"),
    ("customer_data.new_months", 48, "expected a value from 1 to 36 (months), got 48"),
    ("customer_data.stale_years", 50, "expected a value from 1 to 20 (years), got 50"),
    ("budget.hourly_cost", "5 000 €", "expected a value from 0 to 1000, got '5 000 €'"),
    ("budget.revenue_forecast.T1", "20 000 000 000 €", "expected a value from 0 to 10 000 000 000, got '20 000 000 000 €'"),
    ("budget.envelopes.T2", "2 000 000 000 €", "expected at most 1 000 000 000 a quarter, got '2 000 000 000 €'"),
    ("budget.envelopes.T3", "8 700 € + 130 % du CA", "share of revenue over 100 %: expected at most '100 % du CA', got '8 700 € + 130 % du CA'"),
    ("pressure.email", 400, "expected a value from 0 to 100 (messages a month), got 400"),
    ("plan_year", 1900, "expected a value from 2000 to 2100, got 1900"),
])
def test_numbers_out_of_their_plausible_range(demo, key, value, message):
    def change(d):
        node = d
        *parents, last = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    _edit_yaml(demo, change)
    assert f"{demo / 'engagement.yaml'}: key '{key}': {message}" in _yaml_lines(demo)


def test_a_large_target_is_not_an_error(demo):
    _edit_yaml(demo, lambda d: d["revenue"].update(last_year="10 000 €", target="5 000 000 €"))
    assert _yaml_lines(demo) == []


def test_the_vmc_of_a_million_years_is_refused(demo):
    _edit_yaml(demo, lambda d: d["value"].update(period_years=1000000))
    with pytest.raises(ValidationFailed, match="value.period_years"):
        load(demo)


# ---------------------------------------------------------------- 4. rates: fractions or percentages
@pytest.mark.parametrize("written, read", [("75 %", 0.75), ("75%", 0.75), (0.75, 0.75), ("0,75", 0.75), (75, 0.75),
                                           ("75", 0.75), (0, 0.0), ("100 %", 1.0), ("1 %", 0.01), (2.5, 0.025)])
def test_rates_one_style_each(demo, written, read):
    _edit_yaml(demo, lambda d: d["value"].update(retention=written))
    eng, problems = read_engagement(demo)
    assert problems == [] and eng.value.retention == pytest.approx(read)


def test_fractions_and_percent_points_mixed_are_one_line(demo):
    def change(d):
        d["value"].update(retention=0.75, conversion_rate=3)
        d["funnel"].update(visitor_to_lead=0.1)
    _edit_yaml(demo, change)
    assert _yaml_lines(demo) == [
        f"{demo / 'engagement.yaml'}: key 'value.conversion_rate': got 3, read as 3 %, while 'value.retention' (0.75) "
        "and 'funnel.visitor_to_lead' (0.1) are written as fractions, read as 75 % and 10 %; write the rates with a "
        "% sign ('3 %', '75 %', '10 %') to be explicit"]


def test_percent_signs_mixed_with_fractions_are_fine(demo):
    _edit_yaml(demo, lambda d: d["value"].update(retention=0.75, conversion_rate="3 %"))
    assert _yaml_lines(demo) == []


@pytest.mark.parametrize("written, message", [
    (1, "got 1, which could mean 100 % or 1 %; write '100 %' or '1 %'"),
    ("1,0", "got '1,0', which could mean 100 % or 1 %; write '100 %' or '1 %'"),
    (7500, "got 7500, which is not a rate (7500 %); expected a rate from 0 % to 100 %, e.g. '75 %' or 0.75"),
    ("130 %", "expected a rate from 0 % to 100 %, got '130 %'"),
    ("-5 %", "expected a rate from 0 % to 100 %, got '-5 %'"),
    ("beaucoup", "expected a percentage such as '30 %', '30%' or '0,3', got 'beaucoup'"),
])
def test_values_that_cannot_be_read_as_a_rate(demo, written, message):
    _edit_yaml(demo, lambda d: d["value"].update(margin=written))
    assert _yaml_lines(demo) == [f"{demo / 'engagement.yaml'}: key 'value.margin': {message}"]


def test_conversion_and_funnel_rates_must_be_above_zero(demo):
    _edit_yaml(demo, lambda d: d["funnel"].update(visitor_to_lead="0 %"))
    assert _yaml_lines(demo) == [
        f"{demo / 'engagement.yaml'}: key 'funnel.visitor_to_lead': expected a rate above 0 % and at most 100 %, got '0 %'"]


# ---------------------------------------------------------------- 5. paths
@pytest.mark.parametrize("key, path", [
    ("workshop_file", "../atelier.xlsx"),
    ("workshop_file", "/tmp/atelier.xlsx"),
    ("customer_data.transactions.file", "../ventes.csv"),
    ("customer_data.customers.file", "exports/../../clients.csv"),
])
def test_paths_outside_the_engagement_folder_are_refused(demo, key, path):
    def change(d):
        node = d
        *parents, last = key.split(".")
        for part in parents:
            node = node[part]
        node[last] = path
    _edit_yaml(demo, change)
    assert _yaml_lines(demo) == [
        f"{demo / 'engagement.yaml'}: key '{key}': expected a file inside the engagement folder (a path relative to "
        f"it, without '..'), got {path!r}"]


def test_a_path_inside_the_folder_written_with_dots_is_fine(demo):
    _edit_yaml(demo, lambda d: d["customer_data"]["transactions"].update(file="./exports/../exports/ventes.csv"))
    assert _lines(demo) == []


def test_a_link_to_a_file_outside_the_folder_is_refused(demo, tmp_path):
    outside = tmp_path / "elsewhere.csv"
    outside.write_bytes((demo / "exports" / "ventes.csv").read_bytes())
    (demo / "exports" / "lien.csv").symlink_to(outside)
    (demo / "atelier-lien.xlsx").symlink_to(tmp_path / "nowhere.xlsx")

    def change(d):
        d["customer_data"]["transactions"]["file"] = "exports/lien.csv"
        d["workshop_file"] = "atelier-lien.xlsx"
    _edit_yaml(demo, change)
    y = demo / "engagement.yaml"
    assert _lines(demo) == [
        f"{y}: key 'workshop_file': 'atelier-lien.xlsx' is a link to a file outside the engagement folder; "
        "copy the file into the folder",
        f"{y}: key 'customer_data.transactions.file': 'exports/lien.csv' is a link to a file outside the engagement "
        "folder; copy the file into the folder",
    ]


def test_a_folder_is_not_a_file(demo):
    (demo / "atelier.d").mkdir()
    _edit_yaml(demo, lambda d: (d["customer_data"]["transactions"].update(file="exports"),
                                d.update(workshop_file="atelier.d")))
    y = demo / "engagement.yaml"
    assert _lines(demo) == [
        f"{y}: key 'workshop_file': 'atelier.d' is a folder, expected a file",
        f"{y}: key 'customer_data.transactions.file': 'exports' is a folder, expected a file",
    ]


# ---------------------------------------------------------------- 6. atelier.xlsx
def test_formulas_never_computed_are_named_cell_by_cell(demo):
    _edit_cells(demo, "SWOT", {"C5": "=1+1", "B6": "=CONCATENATE(\"a\",\"b\")"})
    _edit_cells(demo, "Objectifs", {"D4": "=DATE(2027,12,31)"})
    x = demo / "atelier.xlsx"
    hint = ("whose result was never computed (the workbook was written by a program): open it in Excel or "
            "LibreOffice and save it, then validate again")
    assert _lines(demo, import_exports=False) == [
        f"{x}: sheet 'SWOT', row 5, column 'Importance': formula =1+1 {hint}",
        f"{x}: sheet 'SWOT', row 6, column 'Élément': formula =CONCATENATE(\"a\",\"b\") {hint}",
        f"{x}: sheet 'Objectifs', row 4, column 'Échéance': formula =DATE(2027,12,31) {hint}",
    ]


def test_password_protected_workbook(demo):
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = demo / "atelier.xlsx"
    locked = demo / "locked.xlsx"
    with open(plain, "rb") as src, open(locked, "wb") as out:
        OOXMLFile(src).encrypt("secret", out)
    locked.replace(plain)
    assert _lines(demo, import_exports=False) == [
        f"{plain}: is password-protected: save it without a password (Excel: File > Info > Protect Workbook > "
        "Encrypt with Password, empty the password)"]


def test_old_xls_named_xlsx(demo):
    (demo / "atelier.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert _lines(demo, import_exports=False) == [
        f"{demo / 'atelier.xlsx'}: is an old Excel .xls workbook; open it in Excel and save it as .xlsx"]


# ---------------------------------------------------------------- 7. CLI
def _cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "relkit.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)


def test_cli_validate_lists_every_problem_without_traceback(demo):
    _four_problems(demo)
    _edit_yaml(demo, lambda d: d["value"].update(period_years=1000000))
    done = _cli("validate", demo)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert lines[0] == "5 problems in the engagement inputs:"
    assert [line.split(": ", 2)[1] for line in lines[1:]] == [
        "key 'client.turnover'", "key 'value.period_years'", "key 'pressure.pigeon'", "sheet 'SWOT', row 5, column 'Quadrant'",
        "line 6002, column 'Date'"]


def test_cli_unreadable_inputs_give_one_line_each(demo):
    (demo / "engagement.yaml").write_bytes(b"client: [\n")
    (demo / "atelier.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    done = _cli("validate", demo)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.splitlines()[1:] == [
        f"  - {demo / 'engagement.yaml'}: line 2: not valid YAML (expected the node content, but found '<stream end>')",
        f"  - {demo / 'atelier.xlsx'}: not an Excel .xlsx workbook that openpyxl can open (BadZipFile); save it as .xlsx",
    ]


def _snapshot(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_cli_run_with_bad_input_leaves_the_previous_deliverables_untouched(demo, tmp_path):
    reports = tmp_path / "reports"
    earlier = reports / "arnaud-zoe"
    (earlier / "notebooks").mkdir(parents=True)
    (earlier / "rapport-arnaud-zoe.pdf").write_bytes(b"%PDF-1.7 earlier report")
    (earlier / "run.json").write_text('{"status": "ok"}', encoding="utf-8")
    (earlier / "notebooks" / "01.ipynb").write_text("{}", encoding="utf-8")
    before = _snapshot(reports)
    _edit_yaml(demo, lambda d: d["value"].update(retention=7500))
    done = _cli("run", demo, "--out", reports, "--quiet")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "key 'value.retention': got 7500, which is not a rate" in done.stderr
    assert _snapshot(reports) == before
    assert sorted(p.name for p in reports.iterdir()) == ["arnaud-zoe"]
    assert not (tmp_path / "working").exists()


# ---------------------------------------------------------------- helpers and messages
@pytest.mark.parametrize("written, form, read", [
    ("75 %", "percent", 0.75), (0.75, "fraction", 0.75), ("0,75", "fraction", 0.75), (75, "points", 0.75),
    (0, "zero", 0.0), (100, "points", 1.0), ("2,5", "points", 0.025)])
def test_rate_forms(written, form, read):
    from relkit.io.parsing import parse_rate, rate_form

    assert rate_form(written) == form and parse_rate(written) == pytest.approx(read)


def test_rate_forms_refused():
    from relkit.io.parsing import parse_percent, parse_rate, rate_form

    assert [rate_form(v) for v in (1, 7500, -3, "x", None)] == ["one", "too_large", "negative", None, None]
    with pytest.raises(ValueError, match=r"could mean 100 % or 1 %"):
        parse_rate(1)
    assert parse_percent(1) == 1.0  # the workshop cells keep the old rule (an Excel 100 % cell is 1)


def test_list_keys_say_what_they_expect(blank):
    _edit_yaml(blank, lambda d: d.update(journey={"stages": ["achat"], "channels": "site web"}))
    f = blank / "engagement.yaml"
    assert _lines(blank) == [
        f"{f}: key 'journey.stages': expected at least 2 items, got 1",
        f"{f}: key 'journey.channels': expected a list (YAML lines starting with '- ', or [a, b]), got 'site web'",
    ]


def test_an_unknown_language_still_reads_the_workshop_file_in_french(demo):
    _edit_yaml(demo, lambda d: d.update(language="de"))
    _edit_cells(demo, "SWOT", {"A5": "Force"})
    lines = _lines(demo)
    assert len(lines) == 2 and "key 'language'" in lines[0]
    assert lines[1].endswith("sheet 'SWOT', row 5, column 'Quadrant': expected one of 'Forces', 'Faiblesses', "
                             "'Opportunités', 'Menaces', got 'Force'")


def test_exports_of_a_broken_engagement_are_read_with_its_currency(demo):
    path = demo / "exports" / "ventes.csv"
    lines = path.read_text(encoding="cp1252").splitlines()
    lines[1] = ";".join(lines[1].split(";")[:-1] + ["$42.00"])
    path.write_text("\r\n".join(lines) + "\r\n", encoding="cp1252")
    _edit_yaml(demo, lambda d: d["client"].update(turnover=5))
    lines = _lines(demo)
    assert len(lines) == 2 and "key 'client.turnover'" in lines[0]
    assert lines[1].startswith(f"{path}: line 2, column 'Montant TTC': amount in USD") and "EUR" in lines[1]


def test_a_programme_channel_outside_the_list_is_one_line(demo):
    # A channel the consultant's own list lacks is named once, not a second time as an
    # "empty cell" of a custom programme (the demo's rows 12 and 13 are custom programmes on e-mail).
    _edit_yaml(demo, lambda d: d.update(journey={"channels": ["site web", "boutique", "newsletter"]}, pressure={}))
    lines = [line for line in _lines(demo, import_exports=False)
             if any(f"'Programmes', row {n}{end}" in line for n in (12, 13) for end in (",", ":"))]
    assert lines == [
        f"{demo / 'atelier.xlsx'}: sheet 'Programmes', row {row}, column 'Canal': expected one of 'site web', "
        "'boutique', 'newsletter', got 'e-mail'" for row in (12, 13)]
