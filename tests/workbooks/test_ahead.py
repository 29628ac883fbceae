"""Work started ahead on a second thread: results in order, errors raised where read."""
import threading

import pandas as pd
import pytest

from conftest import DEMO
from relkit.intake.load import load
from relkit.io.labels import Labels
from relkit.workbooks.ahead import Ahead
from relkit.workbooks.customers import CustomerFile


def test_steps_run_in_order_on_another_thread_and_see_the_results_before_them():
    threads = []

    def first(done):
        threads.append(threading.current_thread())
        return 2

    ahead = Ahead([("first", first), ("second", lambda done: done["first"] * 10)])
    assert ahead.result("second") == 20 and ahead.result("first") == 2
    assert threads[0] is not threading.current_thread()
    assert set(ahead.seconds) == {"first", "second"}
    assert all(wall >= 0 and cpu >= 0 for wall, cpu in ahead.seconds.values())


def test_a_failed_step_raises_where_it_is_read_and_fails_the_steps_after_it():
    ran = []

    def broken(done):
        raise ValueError("bad column")

    ahead = Ahead([("ok", lambda done: 1), ("broken", broken), ("after", lambda done: ran.append(1))])
    assert ahead.result("ok") == 1
    with pytest.raises(ValueError, match="bad column"):
        ahead.result("broken")
    with pytest.raises(ValueError, match="bad column"):
        ahead.result("after")
    assert ran == []  # never ran on a failed step's missing result


def test_a_result_is_waited_for():
    release = threading.Event()
    ahead = Ahead([("slow", lambda done: release.wait(5) and "done")])
    threading.Timer(0.05, release.set).start()
    assert ahead.result("slow") == "done"


@pytest.fixture(scope="module")
def demo():
    return load(DEMO)


def test_the_search_ahead_finds_what_the_workbook_finds_on_its_own(demo):
    """Same phones, same pairs, same key figures with the duplicate search on a second thread."""
    plain = CustomerFile(demo.engagement, demo.imports, Labels("fr"))
    ahead = CustomerFile(demo.engagement, demo.imports, Labels("fr"), search_ahead=True)
    assert plain.ahead is None and ahead.ahead is not None
    figures = ahead.figures()
    pd.testing.assert_series_equal(ahead.phones, plain.phones)
    pd.testing.assert_frame_equal(ahead.pairs, plain.pairs)
    assert figures == plain.figures()
    assert figures["duplicate_records"][0] > 0  # the demo plants duplicates: the comparison had pairs to compare
