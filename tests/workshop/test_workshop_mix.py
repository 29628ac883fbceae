"""The 4P mix and readiness checklist editors (relkit/workshop/editors/mix.py,
readiness.py): the report's sentences live, saving writes exactly the edited cells."""
from openpyxl import load_workbook

from relkit.intake.load import load
from relkit.intake.scaffold import new_engagement
from relkit.io.labels import Labels
from relkit.workbooks.diagnostic import Diagnostic
from relkit.workshop.editors.mix import MixEditor
from relkit.workshop.app import EDITORS, workshop_app
from relkit.workshop.editors.readiness import ReadinessEditor
from relkit.workshop.store import BACKUP_DIR

NB = "\u00a0"  # Labels.percent: "73 %"


def cells(path) -> dict[tuple[str, str], object]:
    """Every non-empty cell of every sheet: (sheet, coordinate) -> value."""
    wb = load_workbook(path)
    out = {(ws.title, c.coordinate): c.value for ws in wb for row in ws.iter_rows() for c in row if c.value is not None}
    wb.close()
    return out


def changes(before, after) -> dict[tuple[str, str], tuple[object, object]]:
    return {k: (before.get(k), after.get(k)) for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


def report(folder) -> Diagnostic:
    """What the next `relkit run` reads from the saved workbook (workbook 01)."""
    data = load(folder, import_exports=False)
    return Diagnostic(data, Labels(data.engagement.language, data.engagement.currency))


# ---------------------------------------------------------------- 4P mix
def test_mix_builds_on_the_demo(demo):
    ed = MixEditor(demo)
    assert [ed._p_of(r) for r in ed._rows] == ["product", "price", "promotion", "place"]
    assert all(r.loaded for r in ed._rows) and not ed.problems
    assert [b.children[0].value for b in ed._rows_box.children] == [
        "<b>Produit</b>", "<b>Prix</b>", "<b>Communication</b>", "<b>Distribution</b>"]
    assert ed.row_of("price")["today"].value == "Prix moyen de 39 €, au-dessus de la fast-fashion"
    assert ed.text == ("Les quatre variables du mix doivent raconter la même histoire que le positionnement. "
                       "4 variables sur 4 ont une orientation définie pour le plan.")
    assert ed.text == report(demo).mix_text()
    assert not any("rk-add" in c._dom_classes for c in ed.body.children)  # the four P are fixed
    assert all(len(r.box.children) == 3 for r in ed._rows)  # P, today, direction: no remove / move buttons


def test_mix_change_updates_the_sentence_and_saves_exactly_those_cells(demo):
    path = demo / "atelier.xlsx"
    before = cells(path)
    ed = MixEditor(demo)
    ed.row_of("price")["direction"].value = ""
    assert ed.text == ("Les quatre variables du mix doivent raconter la même histoire que le positionnement. "
                       "3 variables sur 4 ont une orientation définie pour le plan ; reste à définir : Prix.")
    assert ed.last_refresh_seconds < 0.15
    ed.row_of("place")["today"].value = "Marchés de créateurs, précommandes et un dépôt-vente à Lyon"
    assert ed.save(), ed.status.value
    assert changes(before, cells(path)) == {
        ("Mix 4P", "C4"): ("Justifier le prix par le coût par taille portée : « 3 tailles pour le prix d'une »", None),
        ("Mix 4P", "B6"): ("Marchés de créateurs et précommandes en direct",
                           "Marchés de créateurs, précommandes et un dépôt-vente à Lyon"),
    }
    assert len(list((demo / BACKUP_DIR).glob("atelier-*.xlsx"))) == 1
    assert report(demo).mix_text() == ed.text  # the report says what the room saw


def test_mix_save_without_changes_keeps_every_cell(demo):
    path = demo / "atelier.xlsx"
    before = cells(path)
    assert MixEditor(demo).save()
    assert changes(before, cells(path)) == {}


def test_mix_english_new_engagement(tmp_path):
    folder = new_engagement(tmp_path / "acme", "Acme", language="en")
    path = folder / "atelier.xlsx"
    before = cells(path)
    ed = MixEditor(folder)
    assert len(ed._rows) == 4 and all(r.loaded for r in ed._rows)  # prefilled: the four P, nothing typed
    assert [b.children[0].value for b in ed._rows_box.children] == [
        "<b>Product</b>", "<b>Price</b>", "<b>Promotion</b>", "<b>Place</b>"]
    assert ed.text == ("Not assessed: the four mix variables (product, price, promotion, place) have not been "
                       "described in the workshop.")
    ed.row_of("product")["direction"].value = "A gift range for Christmas"
    assert ed.text == ("The four mix variables must tell the same story as the positioning. 1 of 4 variables has a "
                       "direction set for the plan; still to define: Price, Promotion and Place.")
    assert ed.save(), ed.status.value
    assert changes(before, cells(path)) == {("4P mix", "C3"): (None, "A gift range for Christmas")}
    assert report(folder).mix_text() == ed.text


def test_mix_empty_sheet_gets_the_four_p(tmp_path):
    folder = new_engagement(tmp_path / "acme", "Acme", language="en")
    path = folder / "atelier.xlsx"
    wb = load_workbook(path)
    for r in range(3, 7):
        wb["4P mix"].cell(r, 1).value = None
    wb.save(path)
    before = cells(path)
    ed = MixEditor(folder)
    assert [(ed._p_of(r), r.loaded) for r in ed._rows] == [(p, False) for p in ("product", "price", "promotion", "place")]
    assert not ed.problems and ed.text.startswith("Not assessed")
    assert ed.save() and changes(before, cells(path)) == {}  # empty lines are not written
    ed.row_of("price")["today"].value = "39 € on average"
    assert ed.text == ("The four mix variables must tell the same story as the positioning. 0 of 4 variables have a "
                       "direction set for the plan; still to define: Product, Price, Promotion and Place.")
    assert ed.save(), ed.status.value
    assert changes(before, cells(path)) == {("4P mix", "A3"): (None, "Price"), ("4P mix", "B3"): (None, "39 € on average")}


def test_mix_off_list_p_is_shown_last_reported_and_never_saved(demo):
    path = demo / "atelier.xlsx"
    wb = load_workbook(path)
    wb["Mix 4P"]["A3"] = "Packaging"  # the product row, mistyped in Excel
    wb.save(path)
    before = cells(path)
    ed = MixEditor(demo)
    assert [ed._p_of(r) for r in ed._rows] == ["Packaging", "price", "promotion", "place", "product"]
    assert [b.children[0].value for b in ed._rows_box.children][::4] == ["<b>Produit</b>", "<b>Packaging (hors liste)</b>"]
    assert len(ed.problems) == 1 and "Variable" in ed.problems[0].where
    ed.row_of("product")["direction"].value = "Une gamme cadeau"
    assert not ed.save() and "rk-status-error" in ed.status.value
    assert changes(before, cells(path)) == {}
    ed.reload()  # the lines are built again from the file
    assert [ed._p_of(r) for r in ed._rows] == ["Packaging", "price", "promotion", "place", "product"]
    assert ed.row_of("product")["direction"].value == ""


# ---------------------------------------------------------------- readiness checklist
def test_readiness_builds_on_the_demo_with_the_report_reading(demo):
    ed = ReadinessEditor(demo)
    assert len(ed._rows) == 15 and all(r.loaded for r in ed._rows) and not ed.problems
    assert [ed.answer(n).value for n in range(1, 16)] == [
        "yes", "partly", "yes", "yes", "yes", "yes", "partly", "no", "yes", "partly", "yes", "yes", "no", "partly", "yes"]
    assert ed.answer(8).options == (("oui", "yes"), ("en partie", "partly"), ("non", "no"), ("non renseigné", ""))
    r = ed.result
    assert (r.points, r.answered, r.weak, r.commodity, r.level) == (11.0, 15, (2, 7, 8, 10, 13, 14), False, "partial")
    assert f"Score de maturité : 73{NB}%" in ed.summary_html.value
    assert ed.reading == report(demo).readiness_text()
    assert ed.reading[0] == (f"Avec 73{NB}%, les bases sont en place mais incomplètes : le plan doit d'abord consolider "
                             "les pratiques marquées « non » ou « en partie », puis lancer les programmes progressivement.")
    assert "À consolider (« non » ou « en partie ») : n° 2, n° 7, n° 8, n° 10, n° 13 et n° 14." in ed.summary_html.value
    practice = ed._rows[7].box.children[1].value
    assert practice == "Traiter chaque réclamation comme une opportunité de montrer les efforts relationnels"


def test_readiness_answer_changes_score_reading_and_one_cell(demo):
    path = demo / "atelier.xlsx"
    before = cells(path)
    ed = ReadinessEditor(demo)
    ed.answer(8).value = "yes"  # 12 points / 15
    assert ed.result.score == 0.8 and ed.result.level == "ready"
    assert f"Score de maturité : 80{NB}%" in ed.summary_html.value
    assert ed.reading == [f"Avec 80{NB}%, l'entreprise a déjà les réflexes du marketing relationnel : le plan peut "
                          "lancer des programmes de fidélisation dès le premier trimestre.",
                          "Barème : oui = 1 point, en partie = ½ point, non = 0 ; score = points / nombre de pratiques "
                          "renseignées."]
    assert ed.last_refresh_seconds < 0.15
    assert ed.save(), ed.status.value
    assert changes(before, cells(path)) == {("Checklist relationnel", "C10"): ("non", "oui")}
    assert report(demo).readiness_text() == ed.reading


def test_readiness_unanswered_is_not_counted_and_commodity_is_flagged(demo):
    path = demo / "atelier.xlsx"
    before = cells(path)
    ed = ReadinessEditor(demo)
    ed.answer(8).value = ""  # 11 points / 14 answered
    assert (ed.result.points, ed.result.answered, ed.result.unanswered) == (11.0, 14, (8,))
    assert f"Score de maturité : 79{NB}%" in ed.summary_html.value
    assert "Sans réponse, non comptées dans le score : n° 8." in ed.summary_html.value
    ed.answer(15).value = "no"  # 10 / 14: the offer is a commodity
    assert ed.result.level == "partial" and ed.result.commodity
    assert ed.reading[-1].startswith("Point de vigilance : l'offre est perçue comme une matière première banalisée")
    assert ed.save(), ed.status.value
    assert changes(before, cells(path)) == {("Checklist relationnel", "C10"): ("non", None),
                                            ("Checklist relationnel", "C17"): ("oui", "non")}
    assert report(demo).readiness_text() == ed.reading


def test_readiness_english_new_engagement(tmp_path):
    folder = new_engagement(tmp_path / "acme", "Acme", language="en")
    path = folder / "atelier.xlsx"
    before = cells(path)
    ed = ReadinessEditor(folder)
    assert len(ed._rows) == 15 and all(r.loaded for r in ed._rows)  # prefilled practices, no answer
    assert ed.reading == ["Not assessed: none of the 15 practices has been answered; relationship-marketing readiness "
                          "is measured in the workshop."]
    assert "rk-readiness-score" not in ed.summary_html.value
    assert ed._rows[0].box.children[1].value == "Get the basics right: build affinity, be transparent and honest"
    ed.answer(1).value = "yes"
    ed.answer(2).value = "partly"
    assert "Readiness score: 75%" in ed.summary_html.value
    assert ed.reading[0] == ("At 75%, the company already has relationship-marketing reflexes: the plan can launch "
                             "loyalty programmes in the first quarter.")
    assert "2 of 15 practices answered. The 13 practices not answered are not counted in the score." in \
        ed.summary_html.value
    assert ed.save(), ed.status.value
    assert changes(before, cells(path)) == {("Readiness checklist", "C3"): (None, "yes"),
                                            ("Readiness checklist", "C4"): (None, "partly")}
    assert report(folder).readiness_text() == ed.reading


def test_readiness_empty_sheet_lists_the_15_practices(tmp_path):
    folder = new_engagement(tmp_path / "acme", "Acme", language="en")
    path = folder / "atelier.xlsx"
    wb = load_workbook(path)
    for r in range(3, 18):
        for c in (1, 2):
            wb["Readiness checklist"].cell(r, c).value = None
    wb.save(path)
    before = cells(path)
    ed = ReadinessEditor(folder, lang="fr")  # a French screen on an English workbook
    assert len(ed._rows) == 15 and not any(r.loaded for r in ed._rows) and not ed.problems
    assert ed._rows[4].box.children[1].value == "Apporter autant de valeur que possible à la vie des clients"
    assert ed.save() and changes(before, cells(path)) == {}  # unanswered lines are not written
    ed.answer(5).value = "no"
    assert ed.result.level == "low" and f"Score de maturité : 0{NB}%" in ed.summary_html.value
    assert ed.save(), ed.status.value
    assert changes(before, cells(path)) == {  # written in the workbook's language
        ("Readiness checklist", "A3"): (None, 5),
        ("Readiness checklist", "B3"): (None, "Bring as much value as possible to customers' lives"),
        ("Readiness checklist", "C3"): (None, "no"),
    }


def test_readiness_refuses_to_save_over_an_excel_edit(demo):
    ed = ReadinessEditor(demo)
    wb = load_workbook(demo / "atelier.xlsx")
    wb["SWOT"]["A3"] = "Forces"
    wb.save(demo / "atelier.xlsx")
    ed.answer(1).value = "no"
    assert not ed.save() and "rk-status-error" in ed.status.value


# ---------------------------------------------------------------- in the app
def test_both_editors_are_tabs_of_the_workshop(demo):
    assert list(EDITORS).index("mix") == list(EDITORS).index("positioning") + 1  # diagnosis order: then readiness
    assert list(EDITORS).index("readiness") == list(EDITORS).index("mix") + 1
    app = workshop_app(demo, editors=["mix", "readiness"], lazy=False)
    assert app.tab_keys == ["mix", "readiness"] and not app.errors
    assert list(app.titles) == ["Mix 4P", "Checklist relationnel"]
    assert isinstance(app.editors["mix"], MixEditor) and isinstance(app.editors["readiness"], ReadinessEditor)
