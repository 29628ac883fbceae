"""Work started ahead on a second thread, waited for when first read.

The customer-file workbook starts its duplicate search this way: on a large
file it runs while the first thread builds the orders and measures segments
and value. Both sides spend most of their time where Python lets the other
thread run (Arrow's kernels, rapidfuzz's scorers, pandas' group-bys), so the
two overlap on a 2-core machine instead of queueing.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

Step = tuple[str, Callable[[dict], object]]


class Ahead:
    """Named steps run in order on one daemon thread; each step receives the
    results of the steps before it. ``result(name)`` waits for that step and
    raises what it raised (a step after a failed one fails with it).

    ``seconds[name]`` is the step's (wall, thread CPU) time, for benchmarks."""

    def __init__(self, steps: Sequence[Step], name: str = "relkit-ahead"):
        self._done = {step: threading.Event() for step, _ in steps}
        self._results: dict[str, object] = {}
        self._errors: dict[str, BaseException] = {}
        self.seconds: dict[str, tuple[float, float]] = {}
        self._thread = threading.Thread(target=self._run, args=(list(steps),), name=name, daemon=True)
        self._thread.start()

    def _run(self, steps: list[Step]) -> None:
        failed: BaseException | None = None
        for name, step in steps:
            start = time.perf_counter(), time.thread_time()
            try:
                if failed is None:
                    self._results[name] = step(dict(self._results))
            except BaseException as exc:  # handed to whoever reads the result, in their thread
                failed = exc
            if failed is not None:
                self._errors[name] = failed
            self.seconds[name] = (time.perf_counter() - start[0], time.thread_time() - start[1])
            self._done[name].set()

    def result(self, name: str) -> object:
        """The step's result, once it is there."""
        self._done[name].wait()
        if name in self._errors:
            raise self._errors[name]
        return self._results[name]
