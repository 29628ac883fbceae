"""The programmes editor: pick from the catalogue or write one, the target rule
read as it is typed with its live size in the client's file (the report's
own count), why a rule cannot be read, and a save that writes only the
intended cells."""
import re

import pandas as pd
import pytest
from openpyxl import load_workbook

from relkit.intake.imports import import_sources
from relkit.intake.load import check
from relkit.intake.scaffold import new_engagement
from relkit.io.labels import Labels
from relkit.topics.plan.rules import parse_rule
from relkit.topics.plan.targets import evaluate, reach_mask
from relkit.workbooks.customers import CustomerFile
from relkit.workbooks.plan import PlanWorkbook
from relkit.workshop.editors.programmes import ProgrammesEditor


def plain(text: str) -> str:
    """HTML without tags, entities and narrow spaces, for comparing sentences."""
    text = re.sub(r"<[^>]+>", "", text).replace("&#x27;", "'").replace("&quot;", '"').replace("&amp;", "&")
    return re.sub(r"[\u202f\u00a0]", " ", text)


def cells(path) -> dict:
    """Every non-empty cell of every sheet: (sheet, coordinate) -> value."""
    wb = load_workbook(path)
    out = {(ws.title, c.coordinate): c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row
           if c.value is not None}
    wb.close()
    return out


def report_sizes(folder) -> pd.DataFrame:
    """Workbook 05's target sizes, built as notebook 05 builds them."""
    data, problems = check(folder, import_exports=False)
    assert problems == []
    labels = Labels(data.engagement.language, data.engagement.currency)
    imports, problems = import_sources(folder, data.engagement)
    assert problems == []
    return PlanWorkbook(data, labels, CustomerFile(data.engagement, imports, labels)).sizes


@pytest.fixture
def editor(demo):
    return ProgrammesEditor(demo)


def note(ed, i) -> str:
    return plain(ed._rows[i].note.value)


def test_live_sizes_are_the_reports_target_sizes(demo, editor):
    pd.testing.assert_frame_equal(editor.sizes, report_sizes(demo))
    sizes = editor.sizes.set_index("programme")
    assert sizes.loc["Newsletter", ["size", "reachable"]].tolist() == [1921, 1904]
    assert sizes.loc["Réactivation des clients dormants", ["size", "reachable"]].tolist() == [400, 215]
    assert sizes.loc["Bienvenue", ["size", "reachable"]].tolist() == [428, 247]
    assert pd.isna(sizes.loc["Anniversaire", "size"]) and sizes.loc["Anniversaire", "missing"] == ("birth_date",)
    assert editor.problems == []
    assert note(editor, 2) == ("Cible : sans achat depuis 12 mois · 400 clients (13 % du fichier), dont 215 joignables "
                               "par e-mail · plafond e-mail : 4 e-mails par personne et par mois")
    assert note(editor, 0).startswith("Cible du catalogue : premier achat depuis moins de 3 mois · 428 clients")
    assert note(editor, 3) == ("Cible du catalogue : anniversaire dans le mois · taille inconnue, il manque au fichier "
                               "clients : date de naissance · plafond e-mail : 4 e-mails par personne et par mois")
    assert note(editor, 7).endswith("237 joignables par courrier · pas de plafond courrier")
    summary = plain(editor.summary_html.value)
    assert summary.startswith("11 programmes ; cibles mesurées sur le fichier clients au 1er novembre 2026 "
                              "(3 000 clients).")
    assert "« Newsletter » a la cible la plus large : 1 921 clients, soit 64 % du fichier." in summary  # the report's
    assert {c: b.value for c, b in editor.cap_boxes.items()} == {"email": 4.0, "sms": 2.0}
    assert bytes(editor.image.value).startswith(b"\x89PNG") and editor.draws == 1
    # the catalogue's values in grey in the boxes left empty
    assert editor.row_widgets[0]["target"].placeholder == "premier achat depuis moins de 3 mois"
    assert editor.row_widgets[2]["target"].placeholder == "sans achat depuis 12 mois"
    assert editor.row_widgets[7]["messages_per_month"].placeholder == "1"


def test_typing_a_rule_shows_its_live_size_as_the_report_counts_it(editor):
    box = editor.row_widgets[2]["target"]
    assert box.continuous_update  # every keystroke
    draws = editor.draws
    box.value = "sans achat depuis 6 mois et au moins 2 commandes"
    base, as_of = editor.base, editor.as_of
    rule = parse_rule("sans achat depuis 6 mois et au moins 2 commandes")
    mask = evaluate(rule, base, as_of).mask.to_numpy()
    assert (int(mask.sum()), int((mask & reach_mask(base, "email")).sum())) == (466, 268)
    assert note(editor, 2) == ("Cible : sans achat depuis 6 mois et au moins 2 commandes · 466 clients (16 % du fichier), "
                               "dont 268 joignables par e-mail · plafond e-mail : 4 e-mails par personne et par mois")
    row = editor.sizes.set_index("programme").loc["Réactivation des clients dormants"]
    assert (row["size"], row["reachable"]) == (466, 268)
    assert editor.draws == draws + 1  # the chart follows
    box.value = "sans achat depuis 6 mois et au moins 2 commandes "  # same sizes: not redrawn
    assert editor.draws == draws + 1
    # half typed: why it does not read, and nothing can be saved
    box.value = "sans achat depuis 6 m"
    assert note(editor, 2).startswith("Règle illisible : « sans achat depuis 6 m » n'est pas une condition connue. "
                                      "Exemples : « segment champions, loyal », « sans achat depuis 12 mois »")
    assert [p.where for p in editor.problems] == [f"sheet 'Programmes', row 5, column 'Cible (règle)'"]
    assert "rk-invalid" in box._dom_classes
    assert editor.draws == draws + 1  # the chart stays as it was while the rule is being typed
    assert not editor.save()
    assert "rk-status-error" in editor.status.value


def test_the_chart_follows_in_place_and_shows_what_a_new_chart_would(editor):
    from relkit.views.charts.plan import targets_chart
    from relkit.workshop.render import figure_png, live_drawing

    chart = editor._chart
    editor.row_widgets[2]["target"].value = "sans achat depuis 6 mois et au moins 2 commandes"
    editor.row_widgets[2]["programme"].value = "Réactivation des clients partis depuis plus de six mois"
    assert editor._chart is chart and editor.draws == 3  # moved, not built again
    with live_drawing():
        assert editor.image.value == figure_png(targets_chart(editor.sizes, labels=editor.L).figure, box="figure")


@pytest.mark.parametrize("typed, why", [
    ("segment champions, dormeurs", "Règle illisible : « dormeurs » n'est pas une condition connue."),
    ("segment héros", "Règle illisible : segment inconnu dans « segment héros ». Segments : Champions, Fidèles,"),
    ("sans achat depuis 0 mois", "Règle illisible : « sans achat depuis 0 mois » : une durée doit être supérieure à 0."),
    ("top 200 % dépense", "Règle illisible : « top 200 % dépense » : une part doit être comprise entre 0 et 100 %."),
    ("moins de 0 commande", "Règle illisible : « moins de 0 commande » : un nombre de commandes doit valoir au moins 1."),
    ("tous et , acheteurs", "Règle illisible : une condition est vide (deux « et » ou deux virgules de suite ?)."),
])
def test_an_unreadable_rule_says_why(editor, typed, why):
    editor.row_widgets[2]["target"].value = typed
    assert note(editor, 2).startswith(why)
    assert len(editor.problems) == 1 and editor.problems[0].message.startswith(why)


def test_a_custom_programme_needs_its_target_channel_and_messages(editor):
    i = editor.add_row({"programme": "Club des parents"})
    assert note(editor, i) == ("« Club des parents » n'est pas un programme du catalogue : remplissez "
                               "« Cible (règle) », « Canal » et « Messages/mois ».")
    widgets = editor.row_widgets[i]
    widgets["target"].value = "au moins 3 commandes"
    widgets["channel"].value = "sms"
    widgets["messages_per_month"].value = "3"
    assert editor.problems == []
    mask = evaluate(parse_rule("au moins 3 commandes"), editor.base, editor.as_of).mask.to_numpy()
    assert (int(mask.sum()), int((mask & reach_mask(editor.base, "sms")).sum())) == (624, 94)
    assert note(editor, i) == ("Cible : au moins 3 commandes · 624 clients (21 % du fichier), dont 94 joignables par SMS"
                               " · 3 SMS par mois à lui seul, au-dessus du plafond SMS (2 SMS)")


def test_catalogue_pick_offers_what_the_plan_lacks(editor):
    codes = [code for _, code in editor.pick.options]
    assert "reactivation" not in codes and "newsletter" not in codes and "vip" in codes
    editor.pick.value = "vip"
    assert plain(editor.pick_help.value).endswith("Cible : segment Champions ou Fidèles ; canal : e-mail ; 1 e-mail "
                                                  "par personne et par mois.")
    i = editor.add_from_catalogue()
    assert editor.row_widgets[i]["programme"].value == "Programme VIP payant"
    assert "vip" not in [code for _, code in editor.pick.options]
    assert note(editor, i).startswith("Cible du catalogue : segment Champions ou Fidèles · 445 clients (15 % du fichier)")


def test_save_writes_exactly_the_intended_cells(demo, editor):
    before = cells(demo / "atelier.xlsx")
    editor.row_widgets[2]["target"].value = "sans achat depuis 18 mois"  # Réactivation, Excel row 5
    editor.add_from_catalogue("vip")  # Excel row 14: its name only, the catalogue fills the rest
    assert editor.save(), editor.status.value
    after = cells(demo / "atelier.xlsx")
    changed = {k: (before.get(k), after.get(k)) for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    assert changed == {("Programmes", "D5"): ("sans achat depuis 12 mois", "sans achat depuis 18 mois"),
                       ("Programmes", "A14"): (None, "Programme VIP payant")}
    again = ProgrammesEditor(demo)
    assert again.sizes.set_index("programme").loc["Programme VIP payant", "size"] == 445
    pd.testing.assert_frame_equal(again.sizes, report_sizes(demo))  # what the next run reports


def test_english_engagement_without_customer_file(tmp_path):
    folder = new_engagement(tmp_path / "new", "New Co", language="en")
    ed = ProgrammesEditor(folder)
    assert ed.L.lang == "en" and ed._rows == [] and ed.sizes is None
    assert plain(ed.summary_html.value).startswith("0 programmes; without a customer file the target sizes are not known.")
    assert ed.pick.label == "New-customer welcome"
    i = ed.add_from_catalogue("reactivation")
    assert ed.row_widgets[i]["programme"].value == "Dormant-customer win-back"
    assert ed.row_widgets[i]["target"].placeholder == "no purchase for 12 months"
    assert note(ed, i).startswith("Catalogue target: no purchase for 12 months · size unknown: no customer file declared")
    ed.row_widgets[i]["target"].value = "no purchase for 6 monts"
    assert note(ed, i).startswith("Unreadable rule: 'no purchase for 6 monts' is not a known condition. "
                                  "Examples: “segment champions, loyal”, “no purchase for 12 months”")
    ed.row_widgets[i]["target"].value = "no purchase for 6 months and at least 2 orders"
    assert note(ed, i).startswith("Target: no purchase for 6 months and at least 2 orders · size unknown")
    before = cells(folder / "atelier.xlsx")
    assert ed.save(), ed.status.value
    after = cells(folder / "atelier.xlsx")
    changed = {k: after.get(k) for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    assert changed == {("Programmes", "A3"): "Dormant-customer win-back",
                       ("Programmes", "D3"): "no purchase for 6 months and at least 2 orders"}


def test_a_cap_changed_here_is_saved_in_engagement_yaml_only(demo, editor):
    before = cells(demo / "atelier.xlsx")
    yaml_before = (demo / "engagement.yaml").read_text(encoding="utf-8")
    editor.cap_boxes["email"].value = 2
    assert note(editor, 9).endswith("3 e-mails par mois à lui seul, au-dessus du plafond e-mail (2 e-mails)")  # Noël
    assert note(editor, 1).endswith("plafond e-mail : 2 e-mails par personne et par mois")  # Newsletter, 1 a month
    assert editor.cap_updates() == {"pressure.email": 2}
    assert editor.save(), editor.status.value
    assert "Plafonds enregistrés dans engagement.yaml." in plain(editor.status.value)
    assert cells(demo / "atelier.xlsx") == before  # the sheet written back as it was
    yaml_after = (demo / "engagement.yaml").read_text(encoding="utf-8")
    assert [l for l in yaml_before.splitlines() if l not in yaml_after.splitlines()] == ["  email: 4"]
    assert [l for l in yaml_after.splitlines() if l not in yaml_before.splitlines()] == ["  email: 2"]
    assert ProgrammesEditor(demo).caps == {"email": 2.0, "sms": 2.0}
