"""The programmes tab's words: why a target rule cannot be read (the parser's
English message turned into the consultant's language) and a count of messages."""
from __future__ import annotations

import re

from relkit.customers.rfm import SEGMENTS
from relkit.io.labels import Labels
from relkit.topics.plan.rules import RULE_FORMS, RULE_FORMS_EN

_QUOTED = r"([\'\"])(.*)\1"


def messages_text(L: Labels, x: float, channel: str) -> str:
    unit = channel if channel in ("email", "sms") else "other"
    n = L.number(x) if float(x).is_integer() else L.number(x, 1)
    return L(f"plan.unit.{unit}_{'one' if x == 1 else 'many'}", n=n)


def rule_error(exc: Exception, L: Labels) -> str:
    """Why a target rule cannot be read, in the workshop's language."""
    message = str(exc)
    m = re.search(rf"could not read {_QUOTED}\)$", message)
    if m:
        forms = RULE_FORMS if L.lang == "fr" else RULE_FORMS_EN
        examples = ", ".join(L("plan.quote", name=f) for f in forms[1:7])
        return L("workshop.programmes.rule.unknown", piece=m.group(2), examples=examples)
    if "(an empty clause)" in message:
        return L("workshop.programmes.rule.empty_clause")
    got = re.search(rf"got {_QUOTED}$", message)
    piece = got.group(2) if got else ""
    if message.startswith("expected RFM segments"):
        return L("workshop.programmes.rule.segment", piece=piece,
                 segments=", ".join(L(f"segment.{s}") for s in SEGMENTS))
    for kind, words in (("duration", "a duration above 0"), ("share", "a share between"),
                        ("orders", "a number of orders")):
        if message.startswith(f"expected {words}"):
            return L(f"workshop.programmes.rule.{kind}", piece=piece)
    return message
