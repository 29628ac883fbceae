"""What the room decides in the workshop is what the next `relkit run` reports."""
import re

from pypdf import PdfReader

import relkit
from conftest import ROOT
from relkit.workshop.editors.budget import BudgetEditor
from relkit.workshop.editors.swot import SwotEditor


def test_workshop_edits_reach_the_report(demo, tmp_path):
    swot = SwotEditor(demo)
    i = swot.add_row({"quadrant": "threat", "item": "Hausse du prix du coton biologique", "importance": 2},
                     group="threat")
    assert i is not None and swot.save(), swot.status.value

    budget = BudgetEditor(demo)
    budget.box(0, "T1").value = "1 000 €"  # Vidéo de présentation, T1: 850 € -> 1 000 €
    assert budget.save(), budget.status.value

    result = relkit.run(demo, out=tmp_path / "reports", progress=None,
                        notebooks=[ROOT / "relkit" / "notebooks" / "01_diagnostic.ipynb",
                                   ROOT / "relkit" / "notebooks" / "05_plan_relationnel.ipynb"])
    text = " ".join(re.sub(r"[\u202f\u00a0]", " ", "\n".join(p.extract_text() for p in PdfReader(result.pdf).pages)).split())
    # the SWOT is a figure: its count sentence says 17 items, 5 threats (16 and 4 in the demo)
    assert "rassemble 17 éléments : 4 forces et 4 faiblesses côté interne, 4 opportunités et 5 menaces" in text
    assert "1 400 €" in text  # T1 fixed items: 1 000 € of video + 400 € of photos
    assert "T1 : les postes fixes font 1 400 €, l'enveloppe annoncée est 1 250 € (écart +150 €)." in text
