"""What the client typed in another language than the report's: an English
report of a French workshop shows the client's French text as typed (a
template sentence is never filled with it) and the run lists it for the
consultant "to translate", with where it was typed (sheet, row, column).

``typed_language`` guesses the language of one cell from its small words and
accents; ``to_translate`` scans the workshop text cells the report shows;
``translation_notes`` gives the lines ``relkit run`` prints.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from relkit.intake.load import EngagementData
from relkit.io.atelier import FIRST_DATA_ROW, sheets
from relkit.io.parsing import fold, is_blank
from relkit.topics.kpi_catalogue import CATALOGUE as KPI_CATALOGUE, name_key
from relkit.topics.plan.catalogue import CATALOGUE as PROGRAMME_CATALOGUE, programme_code

# Small words that tell a language apart (whole words, folded: no accents).
_WORDS = {
    "fr": {"le", "la", "les", "des", "du", "de", "un", "une", "et", "ou", "pour", "avec", "sans", "sur", "dans", "par",
           "au", "aux", "est", "sont", "qui", "que", "ne", "pas", "plus", "notre", "nos", "vos", "leur", "leurs", "ce",
           "ces", "cette", "en", "mois", "ans", "semaines", "jours", "client", "clients", "mensuelle", "mensuel",
           "hebdomadaire", "quotidienne", "quotidien", "trimestrielle", "annuelle", "semaine", "chaque", "apres"},
    "en": {"the", "of", "and", "or", "for", "with", "without", "on", "in", "by", "to", "is", "are", "who", "that", "not",
           "more", "our", "your", "their", "this", "these", "an", "at", "from", "months", "years", "weeks", "days",
           "customer", "customers", "it", "its", "be"},
}
_FRENCH_LETTERS = re.compile(r"[àâçéèêëîïôûùüÿœæ]", re.IGNORECASE)
_ENGLISH_ONLY = re.compile(r"\b\w+'s\b", re.IGNORECASE)
_FRENCH_ELISION = re.compile(r"\b(?:[dlnsjmtc]|qu|jusqu|lorsqu|puisqu)['’]\w", re.IGNORECASE)

# Columns whose text the report does not show as typed: a rule it parses and
# rewrites (target rules), a choice from a list it translates (channels,
# stages), a number written as text, or text relkit prefilled and translates
# itself (the questions and practices of the checklists).
_NOT_SHOWN = {("objectives", "target"), ("programmes", "target"), ("programmes", "channel"),
              ("actuals", "period"), ("actuals", "kpi"), ("kpis", "objective")}
# People's names (an accent in 'Zoé' is no French sentence): never to translate.
_NAMES = {"owner"}


@dataclass(frozen=True)
class Typed:
    """One cell of the workshop (or one comment) in another language than the report's."""

    sheet: str  # the sheet's title in the workbook, or the comment's file
    row: int | None  # the Excel row (None for a Markdown comment)
    column: str  # the column header in the workbook
    text: str

    def where(self) -> str:
        return f"{self.sheet}, row {self.row}, '{self.column}'" if self.row else f"{self.sheet}, {self.column}"


def typed_language(text, default: str | None = None) -> str | None:
    """'fr' or 'en' from the text's small words and accents ('Développer la
    notoriété' -> 'fr', 'Win back the lost customers' -> 'en'); as many clues
    of both -> ``default``; no clue at all (a name, 'Newsletter', 'Facebook
    Ads', a number) -> None: nothing to translate."""
    if is_blank(text):
        return None
    text = str(text)
    words = re.findall(r"[a-z]+", fold(text.replace("\u2019", "'")))
    if not words:
        return None
    fr = (sum(w in _WORDS["fr"] for w in words) + 2 * len(_FRENCH_LETTERS.findall(text))
          + len(_FRENCH_ELISION.findall(text)))
    en = sum(w in _WORDS["en"] for w in words) + 2 * len(_ENGLISH_ONLY.findall(text))
    if fr != en:
        return "fr" if fr > en else "en"
    return default if fr else None


def _catalogue_words(sheet: str, column: str, text: str) -> bool:
    """Is the cell relkit's own catalogue text (shown in the report's language)?"""
    key = name_key(text)
    if sheet == "kpis":
        return any(key == name_key(t) for k in KPI_CATALOGUE.values()
                   for t in (*k.name.values(), *k.definition.values(), *k.formula.values()) if t)
    if sheet == "programmes" and column == "programme" and programme_code(text) in PROGRAMME_CATALOGUE:
        code = programme_code(text)  # named by its code or a label: the report shows the label in its language
        return fold(text) in {fold(code), fold(code.replace("_", " ")), *map(fold, PROGRAMME_CATALOGUE[code].label.values())}
    if sheet == "programmes" and column in ("programme", "objective", "kpi", "trigger"):
        field = {"programme": "label"}.get(column, column)
        return any(key == name_key(t) for p in PROGRAMME_CATALOGUE.values() for t in getattr(p, field).values() if t)
    return False


# Columns naming programmes: a standard programme named by one of its aliases
# ('Bienvenue', 'Parrainage') is the workshop's word, shown as typed.
_PROGRAMME_NAMES = {("programmes", "programme"), ("journey", "programme"), ("collection_plan", "programmes"),
                    ("actions", "programme"), ("scenarios", "programme")}


def _programme_alias(text: str, lang: str) -> bool:
    """Does ``text`` name a standard programme otherwise than by its code or its
    label in ``lang`` ('Bienvenue' in an English report)?"""
    for part in re.split(r"[,;]", text):
        code = programme_code(part.strip())
        if code and fold(part.strip()) not in {fold(code), fold(code.replace("_", " ")),
                                               fold(PROGRAMME_CATALOGUE[code].label[lang])}:
            return True
    return False


def to_translate(data: EngagementData, lang: str) -> list[Typed]:
    """The text cells of the workshop sheets (and the consultant's comments)
    written in another language than ``lang``, in sheet then row order; a cell
    without a clue is taken to be in the engagement's language."""
    typed_in = data.engagement.language
    out: list[Typed] = []
    for sheet in sheets():
        frame = data.sheets.get(sheet.key)
        if frame is None or not len(frame) or sheet.prefill_from and sheet.key != "kpis":
            continue
        title = sheet.title.get(typed_in, sheet.title["fr"])
        for column in sheet.columns:
            if column.type != "text" or column.open_list or (sheet.key, column.key) in _NOT_SHOWN \
                    or column.key not in frame.columns or sheet.key == "comments" \
                    or column.key in _NAMES:
                continue
            rows = frame["row"] if "row" in frame.columns else pd.Series(range(FIRST_DATA_ROW, FIRST_DATA_ROW + len(frame)))
            for row, value in zip(rows, frame[column.key]):
                if is_blank(value) or not isinstance(value, str):
                    continue
                found = typed_language(value, typed_in)
                if found is None and (sheet.key, column.key) in _PROGRAMME_NAMES and _programme_alias(value, lang):
                    found = typed_in
                if found and found != lang and not _catalogue_words(sheet.key, column.key, value):
                    out.append(Typed(title, int(row), column.header.get(typed_in, column.header["fr"]), value.strip()))
    for comment in data.comments:
        found = typed_language(comment.text, typed_in)
        if found and found != lang:
            source = comment.source.replace(str(data.folder) + "/", "")
            out.append(Typed(source, None, comment.section, comment.text.strip()))
    return out


def _ranges(rows: list[int]) -> str:
    """[3, 4, 5, 9] -> '3–5, 9'."""
    out, start, prev = [], None, None
    for r in sorted(set(rows)):
        if start is None:
            start = prev = r
        elif r == prev + 1:
            prev = r
        else:
            out.append(f"{start}–{prev}" if prev > start else str(start))
            start = prev = r
    if start is not None:
        out.append(f"{start}–{prev}" if prev > start else str(start))
    return ", ".join(out)


def translation_notes(data: EngagementData, lang: str) -> list[str]:
    """What ``relkit run`` prints: how many typed entries are in another
    language and appear as typed in the report, then where, one line per
    sheet and column with its rows ('Parcours, 'Point de contact': rows 3–29')."""
    items = to_translate(data, lang)
    if not items:
        return []
    names = {"fr": "French", "en": "English"}
    other = names.get(data.engagement.language, data.engagement.language)
    lines = [f"to translate: {len(items)} workshop entr{'y is' if len(items) == 1 else 'ies are'} in {other} "
             f"and appear as typed in the {names.get(lang, lang)} report"]
    places: dict[tuple[str, str], list[Typed]] = {}
    for item in items:
        places.setdefault((item.sheet, item.column), []).append(item)
    for (sheet, column), found in places.items():
        rows = [i.row for i in found if i.row]
        if rows:
            lines.append(f"  {sheet}, '{column}': row{'s' if len(rows) > 1 else ''} {_ranges(rows)} ({len(found)})")
        else:  # a comment: its source says where
            lines.append(f"  {sheet} (comment on '{column}')")
    return lines
