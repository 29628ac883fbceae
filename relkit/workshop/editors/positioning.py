"""Positioning editor: the four parts of the statement and its 10-question
evaluation, with the statement assembled live exactly as workbook 01 prints it
(``relkit.topics.positioning`` through ``Diagnostic``) and the score out of 10.

It edits two sheets of the workshop workbook (Positionnement and Questions
positionnement): both are checked before anything is written, and a save is
refused as a whole when either has a problem or the file changed on disk.
"""
from __future__ import annotations

import html

import ipywidgets as w

from relkit.topics import positioning
from relkit.workbooks.diagnostic import Diagnostic
from relkit.io.parsing import fold, is_blank
from relkit.intake.load import EngagementData
from relkit.io.atelier import axis_lookup, choice_label
from relkit.workshop.base import Editor
from relkit.workshop.store import ChangedOnDisk, InvalidEntries

PARTS_SHEET = "positioning"
QUESTIONS_SHEET = "positioning_questions"


def _code(list_name: str, value) -> str | None:
    """The list code of a raw cell ('Client cible', 'oui', 'yes'…), or None."""
    if is_blank(value):
        return None
    return axis_lookup(list_name, None).get(fold(str(value)))


def _number(value) -> int | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None


def _strip_row(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k != "row"} for r in rows]


class PositioningEditor(Editor):
    key = "positioning"
    title_key = "workshop.positioning.title"
    sheet = PARTS_SHEET  # and QUESTIONS_SHEET: both are checked and saved together (model(), save())
    SHEETS = (PARTS_SHEET, QUESTIONS_SHEET)

    # -- widgets ------------------------------------------------------------------
    def build(self) -> None:
        L = self.L
        self._loading = True
        # raw rows as typed in the file; a widget change edits only its own cell
        self._parts = self.store.rows(PARTS_SHEET)
        self._questions = self.store.rows(QUESTIONS_SHEET)
        self.part_boxes: dict[str, w.Textarea] = {}
        part_widgets = [w.HTML(f"<h4>{html.escape(L('workshop.positioning.parts'))}</h4>")]
        for code in positioning.PARTS:
            row = self._part_row(code)
            box = w.Textarea(value="" if row is None or is_blank(row.get("text")) else str(row["text"]),
                             description=choice_label("positioning_part", code, L.lang),
                             placeholder=L(f"workshop.positioning.hint.{code}"),
                             continuous_update=False, rows=2,
                             layout=w.Layout(width="100%"), style={"description_width": "180px"})
            box.add_class(f"rk-part-{code}")
            box.observe(lambda change, code=code: self._part_changed(code, change["new"]), names="value")
            self.part_boxes[code] = box
            part_widgets.append(box)

        self.question_buttons: dict[int, w.ToggleButtons] = {}
        question_widgets = [w.HTML(f"<h4>{html.escape(L('workshop.positioning.questions'))}</h4>")]
        options = [(L("answer.yes"), "yes"), (L("answer.no"), "no")]
        for number in positioning.QUESTIONS:
            row = self._question_row(number)
            answer = _code("yes_no", row.get("answer")) if row is not None else None
            buttons = w.ToggleButtons(options=options, value=answer, style={"button_width": "64px"})
            buttons.add_class(f"rk-question-{number}")
            buttons.observe(lambda change, n=number: self._answer_changed(n, change["new"]), names="value")
            self.question_buttons[number] = buttons
            text = w.HTML(f'<span class="rk-question-text">{number}. {html.escape(L(f"positioning.q{number}"))}</span>',
                          layout=w.Layout(width="70%"))
            question_widgets.append(w.HBox([text, buttons]))
        self.body.children = (w.VBox(part_widgets), w.VBox(question_widgets))
        self.image.layout.display = "none"  # no chart: the statement and the score are the output
        self._loading = False

    def _part_row(self, code: str) -> dict | None:
        return next((r for r in self._parts if _code("positioning_part", r.get("part")) == code), None)

    def _question_row(self, number: int) -> dict | None:
        return next((r for r in self._questions if _number(r.get("number")) == number), None)

    def _part_changed(self, code: str, text: str) -> None:
        if self._loading:
            return
        row = self._part_row(code)
        value = text if text.strip() else None
        if row is None:
            self._parts.append({"part": code, "text": value})
        else:
            row["text"] = value
        self.changed()

    def _answer_changed(self, number: int, answer: str | None) -> None:
        if self._loading:
            return
        row = self._question_row(number)
        if row is None:
            self._questions.append({"number": number, "question": self.L(f"positioning.q{number}"), "answer": answer})
        else:
            row["answer"] = answer
        self.changed()

    # -- model --------------------------------------------------------------------
    def sheet_rows(self, sheet_key: str) -> list[dict]:
        """The rows of one of the two sheets as the editor holds them (raw values or codes)."""
        return [dict(r) for r in (self._parts if sheet_key == PARTS_SHEET else self._questions)]

    def rows(self) -> list[dict]:
        return self.sheet_rows(PARTS_SHEET)

    def model(self):
        frames, self.problems = {}, []
        for sheet_key in self.SHEETS:
            frames[sheet_key], problems = self.store.check(sheet_key, self.sheet_rows(sheet_key))
            self.problems.extend(problems)
        data = EngagementData(folder=self.folder, engagement=self.eng, sheets=frames)
        return Diagnostic(data, self.L)

    def statement(self) -> str:
        """The positioning statement as the entries stand (workbook 01's wording)."""
        return self.model().statement()

    def score(self) -> positioning.Score:
        return self.model().positioning_score()

    def summary(self, model: Diagnostic) -> str:
        L = self.L
        score = model.positioning_score()
        reading = model.positioning_text()
        kind = "good" if score.good_start else "weak"
        shown = L("workshop.positioning.score", score=score.yes)
        unanswered = ""
        if score.unanswered:
            note = L("workshop.positioning.unanswered", n=len(score.unanswered))
            unanswered = f'<p class="rk-unanswered">{html.escape(note)}</p>'
        return (
            f'<h4>{html.escape(L("positioning.statement"))}</h4>'
            f'<blockquote class="rk-statement">{html.escape(model.statement())}</blockquote>'
            f'<p class="rk-score rk-score-{kind}"><b>{html.escape(shown)}</b></p>'
            f'<p class="rk-reading">{html.escape(reading)}</p>{unanswered}'
        )

    def refresh(self) -> None:
        super().refresh()
        self._show_problems()

    def _show_problems(self) -> None:
        """Problems with their sheet named: this editor checks two sheets."""
        items = "".join(f"<li>{html.escape(p.where)} : {html.escape(p.message)}</li>" for p in self.problems)
        self.problems_html.value = f'<ul class="rk-problems">{items}</ul>' if items else ""

    # -- saving both sheets ----------------------------------------------------------
    def _changed_sheets(self) -> list[str]:
        changed = [k for k in self.SHEETS if _strip_row(self.sheet_rows(k)) != _strip_row(self.store.rows(k))]
        return changed or [PARTS_SHEET]  # nothing changed: write the statement sheet as it is (same message)

    def save(self) -> bool:
        """Write both sheets, or neither: refused when either has a problem or
        the file changed on disk since it was loaded."""
        self.refresh()  # checks both sheets
        if self.problems:
            self._say("workshop.invalid", "error", n=len(self.problems))
            return False
        if self.store.changed_on_disk():
            self._say("workshop.changed_on_disk", "error", file=self.store.path.name)
            return False
        first = None
        try:
            for sheet_key in self._changed_sheets():
                # the store re-reads the file after each save: check again before the next sheet
                _, problems = self.store.check(sheet_key, self.sheet_rows(sheet_key))
                if problems:
                    raise InvalidEntries(problems)
                saved = self.store.save(sheet_key, self.sheet_rows(sheet_key))
                first = first or saved
        except ChangedOnDisk:
            self._say("workshop.changed_on_disk", "error", file=self.store.path.name)
            return False
        except InvalidEntries as exc:
            self.problems = exc.problems
            self._show_problems()
            self._say("workshop.invalid", "error", n=len(self.problems))
            return False
        self._say("workshop.saved", "ok", file=first.path.name, backup=first.backup.name)
        return True
