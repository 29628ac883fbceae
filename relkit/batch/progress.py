"""What a batch shows while it runs, and the summary table at the end.

On a terminal: one line rewritten in place (``\\r``) with the done / failed /
skipped / running counts, the elapsed time and an estimate of the time left
(mean time of the clients that really ran × clients left ÷ workers).
Elsewhere (a log, CI, a pipe): one plain line per event, e.g.
``[3/20] boulangerie-martin ok in 21.4 s``. The summary table (client,
status, seconds, pages, reason) is printed in both cases.
"""
from __future__ import annotations

import sys
import threading
import time
from typing import Callable, TextIO


def clock(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def summary_table(results: list[dict]) -> list[str]:
    """client | status | seconds | pages | reason, one line per client."""
    head = ("client", "status", "seconds", "pages", "reason")
    rows = [(r.get("slug") or r.get("client") or "?", r.get("status") or "?",
             f"{r['seconds']:.1f}" if isinstance(r.get("seconds"), (int, float)) else "",
             str(r["pages"]) if r.get("pages") is not None else "", r.get("reason") or "")
            for r in results]
    widths = [max(len(head[i]), *(len(row[i]) for row in rows)) if rows else len(head[i]) for i in range(4)]
    right = (False, False, True, True)

    def fmt(row):
        cells = [row[i].rjust(widths[i]) if right[i] else row[i].ljust(widths[i]) for i in range(4)]
        return "  ".join(cells + [row[4]]).rstrip()

    return [fmt(head), fmt(tuple("-" * w for w in widths) + ("-" * 6,)), *(fmt(row) for row in rows)]


class Progress:
    """Thread-safe progress of one batch.

    ``output`` is True (sys.stdout), a text stream, a callable receiving each
    line (always the plain form), or False/None for silence."""

    def __init__(self, total: int, workers: int, output: bool | TextIO | Callable[[str], None] | None = True):
        self.total, self.workers = total, max(1, workers)
        self.started_at = time.perf_counter()
        self.counts = {"ok": 0, "failed": 0, "skipped": 0}
        self.running: set[str] = set()
        self.durations: list[float] = []
        self._lock = threading.Lock()
        self._stream: TextIO | None = None
        self._emit: Callable[[str], None] | None = None
        if output is True:
            self._stream = sys.stdout
        elif callable(output) and not hasattr(output, "write"):
            self._emit = output
        elif output:
            self._stream = output  # a stream
        self.live = bool(self._stream is not None and getattr(self._stream, "isatty", lambda: False)())
        self._ticker: threading.Thread | None = None
        self._stop = threading.Event()
        self._width = 0

    # -- events ---------------------------------------------------------------------------
    @property
    def done(self) -> int:
        return sum(self.counts.values())

    def start(self) -> None:
        if self.live:
            self._ticker = threading.Thread(target=self._tick, name="relkit-batch-progress", daemon=True)
            self._ticker.start()

    def started(self, name: str) -> None:
        with self._lock:
            self.running.add(name)
            if self.live:
                self._redraw()

    def finished(self, result: dict) -> None:
        name = result.get("slug") or result.get("client") or "?"
        status = result.get("status") or "failed"
        with self._lock:
            self.running.discard(name)
            self.counts[status if status in self.counts else "failed"] += 1
            seconds = result.get("seconds") or 0.0
            if status != "skipped":
                self.durations.append(seconds)
            if self.live:
                if status == "failed":
                    self._line(f"{name} failed: {result.get('reason') or ''}")
                self._redraw()
            else:
                line = f"[{self.done}/{self.total}] {name} {status}"
                line += " (up to date)" if status == "skipped" else f" in {seconds:.1f} s"
                if status == "failed" and result.get("reason"):
                    line += f": {result['reason']}"
                elif status == "ok" and result.get("reason"):  # e.g. a kernel retried
                    line += f" ({result['reason']})"
                self._plain(line)

    def close(self, results: list[dict], footer: list[str] = ()) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join(timeout=2)
        with self._lock:
            if self.live:
                self._redraw()
                self._stream.write("\n")
            c = self.counts
            lines = ["", *summary_table(results), "",
                     f"{c['ok']} ok, {c['failed']} failed, {c['skipped']} skipped in {clock(self.elapsed())}",
                     *footer]
            for line in lines:
                self._plain(line)

    # -- display --------------------------------------------------------------------------
    def elapsed(self) -> float:
        return time.perf_counter() - self.started_at

    def eta(self) -> float | None:
        """Mean time of the clients that really ran × clients left ÷ workers."""
        left = self.total - self.done
        if not self.durations or left <= 0:
            return None if left > 0 else 0.0
        return sum(self.durations) / len(self.durations) * left / self.workers

    def status_line(self) -> str:
        c, eta = self.counts, self.eta()
        return (f"[{self.done}/{self.total}] {c['ok']} ok, {c['failed']} failed, {c['skipped']} skipped, "
                f"{len(self.running)} running | {clock(self.elapsed())} elapsed"
                + (f" | ETA {clock(eta)}" if eta is not None and self.done < self.total else ""))

    def _tick(self) -> None:
        while not self._stop.wait(1.0):
            with self._lock:
                self._redraw()

    def _redraw(self) -> None:
        text = self.status_line()
        pad = max(0, self._width - len(text))
        self._width = len(text)
        self._stream.write("\r" + text + " " * pad)
        self._stream.flush()

    def _line(self, text: str) -> None:
        """A permanent line above the live one (a failure)."""
        self._stream.write("\r" + text.ljust(self._width) + "\n")
        self._width = 0

    def _plain(self, line: str) -> None:
        if self._emit is not None:
            self._emit(line)
        elif self._stream is not None:
            self._stream.write(line + "\n")
            self._stream.flush()
