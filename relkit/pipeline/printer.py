"""The report's PDF printed in a process of its own, started while the notebooks run.

After the notebooks, a run has three deliverables left: the PDF (WeasyPrint, ~7 s
of one core for the demo), the PowerPoint and the Word document (~1 s together),
with the machine's other core idle. The printer imports WeasyPrint while the
notebooks run, then prints the PDF from the bound HTML file while this process
writes the other two.

It is a plain child process speaking one JSON line each way on its stdin and
stdout (not ``multiprocessing``: a Dask worker's process may not start children
of its own that way, and a spawned interpreter would import the caller's
``__main__``). Request: ``{"html": path, "target": path, "base_url": path}``;
reply: ``{"pages": n}`` or ``{"error": "Type: message"}``. A printer that could
not start or died without replying is ``PrinterGone``: the caller prints in its
own process instead (``pdf.write_pdf``, the same function), so a run never
depends on it. It dies with its parent (``PR_SET_PDEATHSIG``) and ends at the
end of its stdin.

Usage (by ``relkit.pipeline.run``): ``python -m relkit.pipeline.printer``
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path


class PrinterGone(Exception):
    """The printer process is not there to answer (never started, or died)."""


class PrintFailed(Exception):
    """WeasyPrint raised while printing; the message is ``Type: message``."""


class Printer:
    """One PDF printed by a child process; ``submit`` then ``pages``, then ``close``."""

    def __init__(self):
        self._log = tempfile.TemporaryFile()  # the child's stderr, read only if it dies
        self.process = subprocess.Popen(
            [sys.executable, "-m", "relkit.pipeline.printer"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self._log, start_new_session=True)  # Ctrl-C reaches this process, which closes the printer

    @classmethod
    def start(cls) -> Printer | None:
        """A printer importing WeasyPrint from now on, or None if no process could be started."""
        try:
            return cls()
        except OSError:
            return None

    def submit(self, html: Path, target: Path, base_url: Path) -> None:
        """Ask for ``html`` printed to ``target``; raises PrinterGone if the process is gone."""
        request = {"html": str(html), "target": str(target), "base_url": str(base_url)}
        try:
            self.process.stdin.write((json.dumps(request) + "\n").encode("utf-8"))
            self.process.stdin.close()
        except (BrokenPipeError, OSError, ValueError) as exc:
            raise PrinterGone(f"the printer process is gone ({exc})") from None

    def pages(self) -> int:
        """Wait for the PDF; its page count. PrintFailed if WeasyPrint raised, PrinterGone if the
        process died without an answer (killed, out of memory)."""
        line = self.process.stdout.readline()
        self.process.wait()
        try:
            reply = json.loads(line)
        except ValueError:
            self._log.seek(0)
            last = self._log.read().decode("utf-8", "replace").strip().splitlines()[-1:]
            raise PrinterGone(f"the printer process ended with code {self.process.returncode}"
                              + (f": {last[0]}" if last else "")) from None
        if "error" in reply:
            raise PrintFailed(reply["error"])
        return int(reply["pages"])

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout, self._log):
            try:
                stream.close()
            except (OSError, ValueError):
                pass


def main() -> int:
    """In the child: import WeasyPrint, then print the one document asked for on stdin."""
    from relkit.pipeline.forkserver import die_with_parent

    die_with_parent()
    from relkit.pipeline import pdf  # the ~1 s of imports, done while the notebooks run

    line = sys.stdin.readline()
    if not line:
        return 0  # the run ended (or failed) before it had anything to print
    request = json.loads(line)
    try:
        reply = {"pages": pdf.write_pdf(Path(request["html"]).read_text(encoding="utf-8"), Path(request["target"]),
                                        base_url=Path(request["base_url"]))}
    except Exception as exc:  # noqa: BLE001 - reported to the run, which words it for the consultant
        reply = {"error": f"{type(exc).__name__}: {exc}"}
    sys.stdout.write(json.dumps(reply) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
