"""Each workbook's page is written as soon as its notebook finishes (bind.Pages, fed by
execute_all's on_done), from the scrubbed notebook, and _render does not write it again."""
import datetime as dt
from types import SimpleNamespace

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

from relkit.io.labels import Labels
from relkit.pipeline import bind
from relkit.pipeline.scrub import Scrubber
from relkit.workbooks.registry import WorkbookSpec


def _engagement():
    return SimpleNamespace(client=SimpleNamespace(name="Client Test", logo=None),
                           consultant=SimpleNamespace(name="C", firm=None), report_date=dt.date(2026, 11, 23),
                           plan_year=2027, slug="client-test")


def _executed(tmp_path, stage):
    cell = new_code_cell("hidden")
    cell.outputs = [new_output("display_data", data={"text/html": f"<p>lu dans {stage}/notebooks</p>"})]
    path = stage / "notebooks" / "01_diagnostic.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(new_notebook(cells=[cell]), path)
    return SimpleNamespace(spec=WorkbookSpec("01_diagnostic", tmp_path / "01_diagnostic.ipynb"), output=path)


def test_a_finished_notebook_is_scrubbed_and_its_page_written_in_the_background(tmp_path):
    stage = tmp_path / ".stage"
    executed = _executed(tmp_path, stage)
    pages = bind.Pages(Scrubber({stage: "reports/client-test"}), stage, Labels("fr"), _engagement())
    try:
        pages(executed)  # what execute_all's on_done does with each finished notebook
        pages.wait()
    finally:
        pages.close()
    assert pages.scrubbed == {"01_diagnostic"} and pages.written == {"01_diagnostic"}
    page = (stage / "workbooks" / "01_diagnostic.html").read_text(encoding="utf-8")
    assert "lu dans reports/client-test/notebooks" in page and str(stage) not in page
    assert "Client Test — " in page  # the page head: client — workbook title


def test_render_keeps_the_pages_already_written(tmp_path, monkeypatch):
    stage = tmp_path / ".stage"
    executed = _executed(tmp_path, stage)
    (stage / "workbooks").mkdir()
    (stage / "workbooks" / "01_diagnostic.html").write_text("written early", encoding="utf-8")
    monkeypatch.setattr("relkit.pipeline.pdf.write_pdf", lambda html, target, base_url: 1)
    bind.render_report([executed.spec], [executed], _engagement(), Labels("fr"), stage, written={"01_diagnostic"})
    assert (stage / "workbooks" / "01_diagnostic.html").read_text(encoding="utf-8") == "written early"
    bind.render_report([executed.spec], [executed], _engagement(), Labels("fr"), stage)  # none written early: all written
    assert "Client Test" in (stage / "workbooks" / "01_diagnostic.html").read_text(encoding="utf-8")
