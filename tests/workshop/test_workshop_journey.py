"""Workshop editors of positioning (two sheets) and of the customer journey:
live model and figures, saving without losing anything, refusals."""
from __future__ import annotations

import math

import pytest
from openpyxl import load_workbook
from openpyxl.styles import Font

from relkit.topics import journey as jm
from relkit.io.labels import Labels
from relkit.workshop.editors.journey import JourneyEditor
from relkit.workshop.editors.positioning import PositioningEditor

DELAY = "Délai de livraison de 3 semaines"  # current journey, livraison/utilisation × courrier, emotion −2


def values(path, title: str) -> list[list]:
    wb = load_workbook(path)
    out = [[c.value for c in row] for row in wb[title].iter_rows()]
    wb.close()
    return out


def backups(folder) -> list:
    return sorted((folder / "sauvegardes").glob("*.xlsx")) if (folder / "sauvegardes").exists() else []


def touch_other_sheet(folder, value="Ajouté dans Excel") -> None:
    """Someone edits the workbook in Excel while the editor is open."""
    wb = load_workbook(folder / "atelier.xlsx")
    wb["SWOT"]["B40"] = value
    wb.save(folder / "atelier.xlsx")


# ------------------------------------------------------------------ positioning
def test_editing_a_part_changes_the_assembled_statement(demo):
    ed = PositioningEditor(demo)
    assert ed.problems == []
    assert "marque de vêtements évolutifs pour enfants" in ed.statement()
    ed.part_boxes["market"].value = "griffe de vêtements durables pour enfants"
    L = Labels("fr")
    assert ed.statement() == L(
        "positioning.template", brand="Arnaud & Zoé",
        target="les parents urbains de 28 à 40 ans, soucieux de consommer de façon responsable, qui habillent des "
               "enfants de 2 à 7 ans",
        market="griffe de vêtements durables pour enfants",
        promise="des vêtements qui grandissent avec l'enfant pendant trois tailles",
        reason="conçue avec des coutures réglables et fabriquée en France en coton biologique")
    assert "griffe de vêtements durables pour enfants" in ed.summary_html.value
    ed.part_boxes["promise"].value = "  "
    assert "[Promesse de marque à compléter]" in ed.statement()
    assert ed.rows()[2]["text"] is None  # an emptied part is an empty cell


def test_toggling_a_question_changes_the_score_and_its_reading(demo):
    ed = PositioningEditor(demo)
    assert ed.score().yes == 7
    assert "Score : 7/10" in ed.summary_html.value
    ed.question_buttons[7].value = "yes"
    assert ed.score().yes == 8
    assert "Score : 8/10" in ed.summary_html.value and "rk-score-good" in ed.summary_html.value
    for n in (1, 2, 3):
        ed.question_buttons[n].value = "no"
    assert ed.score().yes == 5
    assert "Score : 5/10" in ed.summary_html.value
    assert "rk-score-weak" in ed.summary_html.value and "retravaillé" in ed.summary_html.value


def test_positioning_save_writes_both_sheets(demo):
    path = demo / "atelier.xlsx"
    swot_before = values(path, "SWOT")
    ed = PositioningEditor(demo)
    ed.part_boxes["reason"].value = "cousue à Lyon avec des coutures réglables"
    ed.question_buttons[9].value = "yes"
    assert ed.save() is True
    assert "Enregistré dans atelier.xlsx" in ed.status.value
    parts, questions = values(path, "Positionnement"), values(path, "Questions positionnement")
    assert parts[5] == ["Raison de croire", "cousue à Lyon avec des coutures réglables"]
    assert parts[2] == ["Client cible", "les parents urbains de 28 à 40 ans, soucieux de consommer de façon "
                                        "responsable, qui habillent des enfants de 2 à 7 ans"]
    assert questions[10][0] == 9 and questions[10][2] == "oui"  # written as the label, like the drop-down
    assert questions[8][2] == "non" and questions[2][2] == "oui"  # untouched answers as they were
    assert values(path, "SWOT") == swot_before
    assert backups(demo)
    assert PositioningEditor(demo).score().yes == 8  # read back


def test_positioning_concurrent_change_is_refused(demo):
    path = demo / "atelier.xlsx"
    ed = PositioningEditor(demo)
    touch_other_sheet(demo)
    on_disk = path.read_bytes()
    ed.part_boxes["target"].value = "les jeunes parents"
    ed.question_buttons[8].value = "yes"
    assert ed.save() is False
    assert "modifié entre-temps" in ed.status.value
    assert path.read_bytes() == on_disk and backups(demo) == []
    ed.reload()
    assert ed.part_boxes["target"].value.startswith("les parents urbains")


def test_positioning_refuses_both_sheets_when_one_has_a_problem(demo):
    path = demo / "atelier.xlsx"
    wb = load_workbook(path)
    wb["Questions positionnement"]["A13"] = 4  # question 4 twice
    wb.save(path)
    on_disk = path.read_bytes()
    ed = PositioningEditor(demo)
    assert ed.problems and "duplicate" in ed.problems_html.value
    assert "Questions positionnement" in ed.problems_html.value  # which of the two sheets
    ed.part_boxes["market"].value = "autre marché"
    assert ed.save() is False
    assert "à corriger" in ed.status.value
    assert path.read_bytes() == on_disk and backups(demo) == []


# ------------------------------------------------------------------ journey
def test_switching_version_lists_its_touchpoints(demo):
    ed = JourneyEditor(demo)
    assert ed.problems == []
    assert len(ed.touchpoints.options) == 13 and len(ed.visible("target")) == 14
    assert ed.cells["count"].sum() == 13
    ed.version.value = "target"
    names = [label for label, _ in ed.touchpoints.options]
    assert len(names) == 14 and any("Programme de parrainage" in n for n in names)
    assert not any(DELAY in n for n in names)
    assert ed.cells["count"].sum() == 14
    assert ed.fields["touchpoint"].value == ed.rows()[ed.touchpoints.value]["touchpoint"]
    assert "Parcours cible : 14 points de contact" in ed.summary_html.value


def test_editing_the_selected_touchpoint_changes_model_and_figures(demo):
    ed = JourneyEditor(demo)
    ed.select(ed.index_of(DELAY))
    assert ed.fields["emotion"].value == -2 and ed.fields["qualification"].value == "breaking_point"
    curve_png, map_png = ed.curve_image.value, ed.image.value

    def mean(stage="delivery_use", version="current"):
        c = ed.curve
        return float(c[(c["stage"] == stage) & (c["version"] == version)]["mean"].iloc[0])

    assert mean() == 0.0  # (2 + −2) / 2
    ed.fields["emotion"].value = 1
    expected = jm.emotion_curve(ed.model(), ed.stages)
    assert mean() == 1.5 == float(expected[(expected["stage"] == "delivery_use")
                                           & (expected["version"] == "current")]["mean"].iloc[0])
    assert ed.curve_image.value != curve_png
    assert ed.image.value == map_png  # the map did not change: not redrawn

    ed.fields["qualification"].value = "irritant"
    cell = ed.cells[(ed.cells["stage"] == "delivery_use") & (ed.cells["channel"] == "mail")].iloc[0]
    assert cell["qualifications"] == ["delight", "irritant"] and cell["worst"] == "irritant"
    assert ed.image.value != map_png
    assert len(jm.pain_points(ed.model())) == 6

    before = len(jm.moments_of_truth(ed.model()))
    ed.fields["importance"].value = 2
    frame = ed.model()
    assert int(frame[frame["touchpoint"] == DELAY]["importance"].iloc[0]) == 2
    assert len(jm.moments_of_truth(frame)) == before - 1
    assert f"{before - 1} moments de vérité" in ed.summary_html.value
    assert ed.last_refresh_seconds < 1.5


def test_adding_a_touchpoint_at_stage_and_channel(demo):
    ed = JourneyEditor(demo)
    ed.add_stage.value, ed.add_channel.value = "advocacy", "email"
    ed.add_button.click()
    cell = ed.cells[(ed.cells["stage"] == "advocacy") & (ed.cells["channel"] == "email")]
    assert len(cell) == 1 and cell.iloc[0]["touchpoints"] == ["Nouveau point de contact"]
    assert len(ed.touchpoints.options) == 14 and ed.problems == []
    new = ed.touchpoints.value
    assert ed.rows()[new]["version"] == "current" and ed.fields["stage"].value == "advocacy"
    ed.fields["touchpoint"].value = "E-mail de demande d'avis"
    assert ed.cells[(ed.cells["stage"] == "advocacy") & (ed.cells["channel"] == "email")].iloc[0][
        "touchpoints"] == ["E-mail de demande d'avis"]
    assert any("E-mail de demande d'avis" in label for label, _ in ed.touchpoints.options)


def test_removing_touchpoints(demo):
    ed = JourneyEditor(demo)
    ed.select(ed.index_of("Partage spontané de photos"))
    ed.remove_button.click()
    assert ed.cells[(ed.cells["stage"] == "advocacy") & (ed.cells["channel"] == "social")].empty
    assert len(ed.touchpoints.options) == 12 and len(ed.rows()) == 26
    assert ed.touchpoints.value is not None  # the previous one in the list is selected
    ed.select(ed.index_of("Pas de numéro joignable"))
    ed.remove_touchpoint()
    assert ed.cells[(ed.cells["stage"] == "service") & (ed.cells["channel"] == "phone")].empty
    assert ed.touchpoints.value is not None and len(ed.touchpoints.options) == 11
    assert len(ed.visible("target")) == 14  # the other version untouched


def test_changing_stage_and_channel_moves_the_touchpoint(demo):
    ed = JourneyEditor(demo)
    ed.select(ed.index_of("Newsletter irrégulière"))
    ed.fields["stage"].value = "advocacy"
    ed.fields["channel"].value = "sms"
    row = ed.cells[(ed.cells["stage"] == "advocacy") & (ed.cells["channel"] == "sms")]
    assert row.iloc[0]["touchpoints"] == ["Newsletter irrégulière"]
    assert ed.rows()[ed.touchpoints.value]["stage"] == "advocacy"  # a code; the store writes its label


def test_journey_save_keeps_everything_else(demo):
    path = demo / "atelier.xlsx"
    wb = load_workbook(path)
    wb["SWOT"]["B3"].font = Font(bold=True)
    wb.save(path)
    journey_before, swot_before = values(path, "Parcours"), values(path, "SWOT")
    ed = JourneyEditor(demo)
    index = ed.index_of(DELAY)
    ed.select(index)
    ed.fields["emotion"].value = 1
    ed.fields["qualification"].value = "irritant"
    ed.fields["collection_point"].value = True
    assert ed.save() is True
    assert "Enregistré dans atelier.xlsx" in ed.status.value
    assert len(backups(demo)) == 1
    journey_after = values(path, "Parcours")
    excel_row = index + 3
    header = journey_before[1]
    for r, (old, new) in enumerate(zip(journey_before, journey_after), start=1):
        if r != excel_row:
            assert old == new, r  # untouched rows, and the other version, value for value
    changed = dict(zip(header, journey_after[excel_row - 1]))
    assert changed["Émotion"] == 1 and changed["Qualification"] == "irritant"
    assert changed["Point de collecte"] == "oui" and changed["Étape"] == "livraison/utilisation"
    assert changed["Point de contact"] == DELAY
    assert len(journey_after) == len(journey_before)
    assert values(path, "SWOT") == swot_before
    wb = load_workbook(path)
    assert wb["SWOT"]["B3"].font.b is True
    wb.close()


def test_journey_save_of_a_new_touchpoint(demo):
    path = demo / "atelier.xlsx"
    ed = JourneyEditor(demo)
    ed.version.value = "target"
    ed.add_touchpoint("advocacy", "email")
    ed.fields["importance"].value = 4
    assert ed.save() is True
    last = values(path, "Parcours")[29]
    assert last[:3] == ["recommandation", "e-mail", "Nouveau point de contact"]
    assert last[4:8] == ["cible", "satisfaction", 4, 0]
    frame, problems = ed.store.check("journey", ed.store.rows("journey"))  # the store re-read the saved file
    assert problems == [] and (frame["version"] == "target").sum() == 15


def test_journey_concurrent_change_is_refused(demo):
    path = demo / "atelier.xlsx"
    ed = JourneyEditor(demo)
    touch_other_sheet(demo)
    on_disk = path.read_bytes()
    ed.select(ed.index_of(DELAY))
    ed.fields["emotion"].value = 2
    assert ed.save() is False
    assert "modifié entre-temps" in ed.status.value
    assert path.read_bytes() == on_disk and backups(demo) == []


def test_reload_after_a_refused_save(demo):
    path = demo / "atelier.xlsx"
    ed = JourneyEditor(demo)
    touch_other_sheet(demo)
    ed.select(ed.index_of(DELAY))
    ed.fields["emotion"].value = 2
    assert ed.save() is False
    ed.reload()  # Excel's edit is read, the unsaved change dropped; then the change can be made again
    assert "Rechargé" in ed.status.value
    ed.select(ed.index_of(DELAY))
    assert ed.fields["emotion"].value == -2
    ed.fields["emotion"].value = 2
    assert ed.save() is True
    assert values(path, "SWOT")[39][1] == "Ajouté dans Excel"


def test_the_engagements_own_stage_list(demo):
    stages = ["découverte", "considération", "achat", "livraison/utilisation", "service client", "fidélisation",
              "recommandation", "après-vente"]
    with open(demo / "engagement.yaml", "a", encoding="utf-8") as f:
        f.write("journey:\n  stages: [" + ", ".join(f'"{s}"' for s in stages) + "]\n")
    ed = JourneyEditor(demo)
    assert ed.problems == []
    assert [k for k, _ in ed.stages] == stages
    ed.select(ed.index_of(DELAY))
    assert ed.fields["stage"].value == "livraison/utilisation"
    ed.add_touchpoint("après-vente", "email")
    assert not ed.cells[(ed.cells["stage"] == "après-vente") & (ed.cells["channel"] == "email")].empty
    assert ed.save() is True
    assert values(demo / "atelier.xlsx", "Parcours")[29][:2] == ["après-vente", "e-mail"]


def test_invalid_input_is_shown_and_not_saved(demo):
    path = demo / "atelier.xlsx"
    on_disk = path.read_bytes()
    ed = JourneyEditor(demo)
    ed.select(ed.index_of(DELAY))
    ed.fields["touchpoint"].value = "   "
    assert ed.problems and "Point de contact" in ed.problems_html.value and "required" in ed.problems_html.value
    assert ed.save() is False
    assert "à corriger" in ed.status.value
    assert path.read_bytes() == on_disk and backups(demo) == []
    ed.fields["touchpoint"].value = "Délai de 3 semaines"
    assert ed.problems == [] and ed.problems_html.value == ""


def test_a_stage_off_the_list_is_shown_and_can_be_fixed(demo):
    path = demo / "atelier.xlsx"
    wb = load_workbook(path)
    wb["Parcours"]["A3"] = "salon"
    wb.save(path)
    ed = JourneyEditor(demo)
    assert len(ed.problems) == 1 and "salon" in ed.problems_html.value
    assert ed.save() is False
    ed.select(0)
    assert ed.fields["stage"].value == "salon" and "hors liste" in ed.fields["stage"].label
    ed.fields["stage"].value = "discovery"
    assert ed.problems == []
    assert ed.save() is True
    assert values(path, "Parcours")[2][0] == "découverte"


def test_refresh_is_fast_and_english_labels(demo):
    ed = JourneyEditor(demo, lang="en")
    assert "Customer journey" in ed.widget.children[0].value
    ed.version.value = "target"
    assert ed.last_refresh_seconds < 1.5
    assert "target journey: 14 touchpoints" in ed.summary_html.value
    pos = PositioningEditor(demo, lang="en")
    pos.question_buttons[1].value = "no"
    assert pos.last_refresh_seconds < 1.5
    assert "6/10" in pos.summary_html.value
    # a French workshop's statement is quoted as typed, never poured into the English template
    assert pos.statement().startswith("The statement as worded in the workshop, in French: \u201cPour les parents")


@pytest.mark.parametrize("editor", [PositioningEditor, JourneyEditor])
def test_css_classes(demo, editor):
    ed = editor(demo)
    classes = set()

    def walk(widget):
        classes.update(getattr(widget, "_dom_classes", ()))
        for child in getattr(widget, "children", ()):
            walk(child)

    walk(ed.widget)
    assert {f"rk-editor-{ed.key}", "rk-save", "rk-reload"} <= classes
    if editor is PositioningEditor:
        assert {"rk-part-target", "rk-part-market", "rk-part-promise", "rk-part-reason",
                "rk-question-1", "rk-question-10"} <= classes
    else:
        assert {"rk-version", "rk-touchpoint", "rk-add", "rk-remove", "rk-field-stage", "rk-field-channel",
                "rk-field-touchpoint", "rk-field-qualification", "rk-field-importance", "rk-field-emotion",
                "rk-field-collection_point"} <= classes
        assert not math.isnan(ed.curve["mean"].dropna().iloc[0])
