"""The demo's PowerPoint restitution, from a branded demo copy: native charts whose
embedded data are the report's figures (figures.json, tables/*.csv), notes on every
slide, the brand's colour in the theme, its logo; LibreOffice opens and converts it."""
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from pptx import Presentation

import relkit
from relkit.io.labels import Labels
from relkit.views.deck.theme import theme_colours
from relkit.workbooks.deck import cell_number
from relkit.workbooks.summary_bridge import bridge_data
from relkit.workbooks.summary_findings import FigureBook, select_findings

pytestmark = pytest.mark.pipeline
PRIMARY = "#8E24AA"


@pytest.fixture(scope="module")
def branded_run(tmp_path_factory):
    from PIL import Image

    from conftest import DEMO

    base = tmp_path_factory.mktemp("deck")
    engagement = base / "arnaud-zoe"
    shutil.copytree(DEMO, engagement)
    Image.new("RGB", (300, 100), PRIMARY).save(engagement / "logo-cabinet.png")
    (engagement / "_brand.yml").write_text(
        f'meta:\n  name: Cabinet Violet\nlogo:\n  medium: logo-cabinet.png\ncolor:\n  primary: "{PRIMARY}"\n',
        encoding="utf-8")
    result = relkit.run(engagement, out=base / "reports", progress=None)
    path = result.out_dir / "restitution-arnaud-zoe.pptx"
    return result, path, Presentation(path)


def _figures(out_dir):
    return json.loads((out_dir / "figures.json").read_text(encoding="utf-8"))


def _table(out_dir, name):
    return pd.read_csv(out_dir / "tables" / f"{name}.csv", dtype=str, keep_default_na=False)


def _charts(prs):
    return [shape.chart for slide in prs.slides for shape in slide.shapes if shape.has_chart]


def _by_series(prs, name):
    found = [c for c in _charts(prs) if name in [s.name for s in c.plots[0].series]]
    assert found, name
    return found[0]


def test_the_deck_is_published_with_its_slides_and_notes(branded_run):
    result, path, prs = branded_run
    assert path.is_file()
    assert 12 <= len(prs.slides) <= 20
    assert all(s.has_notes_slide and s.notes_slide.notes_text_frame.text.strip() for s in prs.slides)
    L = Labels("fr", "EUR")
    findings = select_findings(FigureBook(_figures(result.out_dir), basis="TTC"), L, "Arnaud & Zoé")
    titles = [s.shapes.title.text_frame.text for s in prs.slides]
    assert [f.figure for f in findings] == [t for t in titles if t in {f.figure for f in findings}]
    assert 3 <= len(findings) <= 5


def test_six_native_charts_hold_the_report_s_figures_exactly(branded_run):
    result, _, prs = branded_run
    out, figures = result.out_dir, _figures(result.out_dir)
    assert len(_charts(prs)) >= 6
    # the bridge: the summary's bars from figures.json
    data = bridge_data(FigureBook(figures, basis="TTC"), Labels("fr", "EUR"), 2027)
    bridge = [c for c in _charts(prs) if tuple(c.plots[0].categories) == tuple(data.step)]
    assert len(bridge) == 1
    base, bars = (tuple(s.values) for s in bridge[0].plots[0].series)
    assert bars == tuple(abs(a) for a in data.amount)
    assert base == tuple(0.0 if k == "total" else min(s, e) for k, s, e in zip(data.kind, data.start, data.end))
    by_programme = figures["05_plan_relationnel"]["plan_expected_revenue_by_programme"]["value"]
    assert bars[3:5] == (by_programme["Google Adwords"], by_programme["Facebook Ads"])
    assert bars[-1] == figures["01_diagnostic"]["revenue_target"]["value"]
    # segment sizes: the recorded counts, in the table's order
    segments = _table(out, "segments")
    sizes = _by_series(prs, segments.columns[1])
    assert tuple(sizes.plots[0].categories) == tuple(segments.iloc[:, 0])
    assert tuple(sizes.plots[0].series[0].values) == tuple(
        float(v["value"]) for k, v in figures["02_fichier_clients"].items() if k.startswith("segment_"))
    value = _by_series(prs, "CA attendu du segment")
    assert tuple(value.plots[0].series[0].values) == tuple(
        cell_number(v, "fr") for v in _table(out, "clv_segments").iloc[:, -1])
    # VMC, programmes, pressure: the saved tables' numbers
    vmc = _table(out, "vmc_segments")
    kept = vmc[vmc.iloc[:, 2] != "—"]
    assert tuple(_by_series(prs, "VMC brute").plots[0].series[0].values) == tuple(
        cell_number(v, "fr") for v in kept.iloc[:, 2])
    programmes = _table(out, "programmes")
    sized = programmes[[cell_number(v, "fr") is not None for v in programmes.iloc[:, 3]]]
    chart = _by_series(prs, "Taille")
    assert tuple(chart.plots[0].categories) == tuple(sized.iloc[:, 0])
    assert tuple(chart.plots[0].series[0].values) == tuple(cell_number(v, "fr") for v in sized.iloc[:, 3])
    pressure = _table(out, "pression_au_dessus_du_plafond")
    assert tuple(_by_series(prs, "Plafond").plots[0].series[1].values) == tuple(
        float(v) for v in pressure.iloc[:, 4])
    # budget: the recorded quarters, the envelopes
    quarters = figures["05_plan_relationnel"]["budget_quarters"]["value"]
    assert tuple(_by_series(prs, "Part du CA en €").plots[0].series[0].values) == tuple(
        q["fixed"] for q in quarters.values())
    assert tuple(_by_series(prs, "Enveloppe fixe").plots[0].series[0].values) == (1250.0, 3930.0, 8700.0, 4000.0)


def test_the_theme_and_title_slide_carry_the_brand(branded_run):
    _, _, prs = branded_run
    assert theme_colours(prs)["accent1"] == PRIMARY.lstrip("#")
    title = prs.slides[0]
    assert [s.shape_type for s in title.shapes].count(13) == 1  # the firm's logo (the demo has no client logo)
    assert [s.shape_type for s in prs.slides[1].shapes].count(13) == 1  # and in the footer
    text = " ".join(s.text_frame.text for s in title.shapes if s.has_text_frame)
    assert "Claire Dubois (Dubois Conseil)" in text  # engagement.yaml names the firm: it wins over the brand file's


def test_no_customer_personal_data_in_the_deck(branded_run):
    import csv

    from conftest import DEMO

    _, path, _ = branded_run
    with open(DEMO / "exports" / "clients_shopify.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    with zipfile.ZipFile(path) as z:
        text = "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    emails = {r["Email"].strip() for r in rows if "@" in r["Email"]}
    names = {f"{r['First Name']} {r['Last Name']}".strip() for r in rows if r["First Name"] and r["Last Name"]}
    assert len(emails) > 2000 and text
    assert not [e for e in emails if e in text]
    assert not [n for n in names if n in text]


@pytest.mark.libreoffice
def test_libreoffice_converts_the_deck_slide_for_slide(branded_run, tmp_path):
    _, path, prs = branded_run
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    program = Path(soffice).resolve().parent
    if not (program / "libsdlo.so").exists() and not list(program.glob("*impress*")):
        pytest.skip("LibreOffice Impress is not installed (Debian: libreoffice-impress-nogui)")
    done = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                          capture_output=True, text=True, timeout=180)
    pdf = tmp_path / "restitution-arnaud-zoe.pdf"
    assert pdf.is_file(), done.stderr
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    assert len(reader.pages) == len(prs.slides)
    text = reader.pages[2].extract_text()
    assert re.search(r"objectif", text, re.IGNORECASE)
