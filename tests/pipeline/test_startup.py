"""What a run sets up in its own process: the cycle collector paused while the report is printed."""
from __future__ import annotations

import gc
import threading

import pytest

from relkit.pipeline import pdf, startup


@pytest.fixture(autouse=True)
def collector_on():
    gc.enable()
    yield
    gc.enable()


def test_the_collector_is_off_inside_and_back_after():
    with startup.cyclic_gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_it_comes_back_after_an_error():
    with pytest.raises(ValueError):
        with startup.cyclic_gc_paused():
            raise ValueError("the PDF failed")
    assert gc.isenabled()


def test_nested_pauses_end_with_the_outer_one():
    with startup.cyclic_gc_paused():
        with startup.cyclic_gc_paused():
            pass
        assert not gc.isenabled()  # the outer print is still running
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off():
    gc.disable()
    with startup.cyclic_gc_paused():
        pass
    assert not gc.isenabled()


def test_two_threads_printing_at_once():
    """A Dask worker may print two reports at once: the first to finish does not switch it back on."""
    first_in, second_done, first_may_leave = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def first():
        with startup.cyclic_gc_paused():
            first_in.set()
            first_may_leave.wait(5)
        seen["after first"] = gc.isenabled()

    def second():
        first_in.wait(5)
        with startup.cyclic_gc_paused():
            pass
        seen["after second, first still printing"] = gc.isenabled()
        second_done.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    second_done.wait(5)
    first_may_leave.set()
    for t in threads:
        t.join(5)
    assert seen == {"after second, first still printing": False, "after first": True}


def test_the_pdf_is_printed_without_the_collector(monkeypatch, tmp_path):
    states = []

    class FakeDocument:
        pages = [object(), object()]

        def write_pdf(self, target):
            states.append(gc.isenabled())

    class FakeHTML:
        def __init__(self, string, base_url):
            pass

        def render(self):
            states.append(gc.isenabled())
            return FakeDocument()

    import weasyprint

    monkeypatch.setattr(weasyprint, "HTML", FakeHTML)
    assert pdf.write_pdf("<p>x</p>", tmp_path / "r.pdf", base_url=tmp_path) == 2
    assert states == [False, False] and gc.isenabled()
