"""The KPI catalogue prefilled into a new workshop workbook fits the client
(issue 13 §2): its business model (B2B/B2C) and the channels it uses."""
from openpyxl import load_workbook

from relkit.cli import main
from relkit.intake.atelier_template import channel_codes, create_workshop_file
from relkit.intake.load import check
from relkit.topics.kpi_catalogue import CATALOGUE, catalogue_rows, fits

WEB = ["Visites par source de trafic", "Coût par visiteur", "Temps passé sur le site",
       "Position dans les moteurs de recherche"]
SOCIAL = ["Taux d'engagement sur les réseaux sociaux", "Nombre de partages"]
B2B = ["Leads qualifiés", "Taux de transformation des devis"]


def kpi_names(path) -> list[str]:
    ws = load_workbook(path)["KPI"]
    return [r[0] for r in ws.iter_rows(min_row=3, values_only=True) if r[0]]


def test_fits_reads_models_and_channels():
    assert fits(CATALOGUE["time_on_site"]) and fits(CATALOGUE["time_on_site"], "B2B", ["website", "email"])
    assert not fits(CATALOGUE["time_on_site"], "B2C", ["email", "store"])
    assert not fits(CATALOGUE["qualified_leads"], "B2C") and fits(CATALOGUE["qualified_leads"], "B2B")
    assert not fits(CATALOGUE["shares"], "B2B", ["social"]) and fits(CATALOGUE["shares"], "B2C", ["social"])
    assert fits(CATALOGUE["audience_size"], "B2B", ["email"])  # newsletter subscribers count too
    assert channel_codes(["E-mail", "site web", "Salon pro"]) == ["email", "website", "Salon pro"]


def test_catalogue_rows_by_model():
    every = [r["kpi"] for r in catalogue_rows("fr")]
    assert len(every) == len(CATALOGUE) == 25
    b2c = [r["kpi"] for r in catalogue_rows("fr", "B2C")]
    assert [k for k in every if k not in b2c] == B2B
    b2b = [r["kpi"] for r in catalogue_rows("fr", "B2B")]
    assert [k for k in every if k not in b2b] == ["Nombre de partages"]


def test_template_of_a_b2b_client_without_website(tmp_path):
    path = create_workshop_file(tmp_path / "atelier.xlsx", lang="fr", model="B2B",
                                channels=["e-mail", "téléphone", "événement"])
    names = kpi_names(path)
    assert not set(WEB + SOCIAL) & set(names)
    assert names == ["ROI marketing", "Taux de conversion moyen", "Coût d'acquisition client", "Panier moyen",
                     "Satisfaction client (NPS)", "Taux d'ouverture", "Taux de clic", "Taux de désabonnement",
                     "Taux de rebond des e-mails", "Taux de réachat", "Valeur vie client (CLV)", "Clients actifs",
                     "Taux de réactivation", "Taille d'audience", "Chiffre d'affaires", "Nombre de commandes par client",
                     *B2B]


def test_template_of_a_b2c_web_shop_keeps_the_web_kpis(tmp_path):
    names = kpi_names(create_workshop_file(tmp_path / "a.xlsx", lang="fr", model="B2C",
                                           channels=["site web", "e-mail", "réseaux sociaux"]))
    assert set(WEB + SOCIAL) <= set(names) and not set(B2B) & set(names)
    assert len(names) == 23


def test_relkit_new_with_channels(tmp_path):
    folder = tmp_path / "pro"
    assert main(["new", str(folder), "--name", "Ouest Pro", "--model", "B2B", "--channels", "e-mail, téléphone"]) == 0
    data, problems = check(folder, import_exports=False)
    assert problems == []
    assert data.engagement.journey.channels == ["e-mail", "téléphone"]
    names = data.sheets["kpis"]["kpi"].tolist()
    assert "Temps passé sur le site" not in names and "Taux de clic" in names and "Leads qualifiés" in names
