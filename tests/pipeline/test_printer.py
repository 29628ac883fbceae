"""The PDF printed by a child process (relkit.pipeline.printer) while the run writes the
PowerPoint and the Word document; a printer that is gone never costs the run its PDF."""
import signal
import time

import pytest

from relkit.pipeline import bind
from relkit.pipeline.printer import Printer, PrinterGone, PrintFailed
from relkit.pipeline.run import RenderFailed


def _html(tmp_path, body="<h1>Titre</h1><p>Bonjour</p>"):
    path = tmp_path / "r.html"
    path.write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    return path


def test_the_printer_prints_the_document_it_is_given(tmp_path):
    printer = Printer.start()
    try:
        printer.submit(_html(tmp_path, '<p>un</p><p style="break-before: page">deux</p>'), tmp_path / "r.pdf", tmp_path)
        assert printer.pages() == 2
    finally:
        printer.close()
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF-")
    assert printer.process.returncode == 0


def test_what_weasyprint_or_the_file_raised_comes_back_as_one_line(tmp_path):
    printer = Printer.start()
    try:
        printer.submit(tmp_path / "missing.html", tmp_path / "r.pdf", tmp_path)
        with pytest.raises(PrintFailed, match=r"^FileNotFoundError: .*missing\.html"):
            printer.pages()
    finally:
        printer.close()
    assert not (tmp_path / "r.pdf").exists()


def test_a_printer_killed_while_printing_is_gone_not_silent(tmp_path):
    printer = Printer.start()
    try:
        printer.process.send_signal(signal.SIGKILL)
        printer.process.wait()
        with pytest.raises(PrinterGone):
            printer.submit(_html(tmp_path), tmp_path / "r.pdf", tmp_path)
            printer.pages()
    finally:
        printer.close()


def test_a_printer_never_asked_ends_with_its_stdin_or_is_killed_on_close():
    printer = Printer.start()
    printer.process.stdin.close()
    assert printer.process.wait(timeout=60) == 0
    printer.close()
    idle = Printer.start()
    time.sleep(0.2)
    idle.close()
    assert idle.process.returncode is not None


def test_the_run_prints_in_its_own_process_when_the_printer_died(tmp_path):
    printer = Printer.start()
    printer.process.kill()
    printer.process.wait()
    try:
        assert bind.printed(printer, _html(tmp_path), tmp_path / "r.pdf", tmp_path) == 1
    finally:
        printer.close()
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF-")


def test_a_print_failure_is_a_render_failure_in_one_line(tmp_path):
    printer = Printer.start()
    try:
        printer.submit(tmp_path / "missing.html", tmp_path / "r.pdf", tmp_path)
        with pytest.raises(RenderFailed, match=r"^rendering the report failed: FileNotFoundError: "):
            bind.printed(printer, tmp_path / "missing.html", tmp_path / "r.pdf", tmp_path)
    finally:
        printer.close()
