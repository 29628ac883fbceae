"""Start a new engagement folder."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from relkit.io.engagement_file import ENGAGEMENT_FILE
from relkit.intake.atelier_template import create_workshop_file
from relkit.io.atelier import choice_label
from relkit.io.channels import channel_code

_TEMPLATE = """\
# relkit engagement — client identity and targets.
# Amounts may be typed as "1 250 €" or "1 250,50"; dates as dd/mm/yyyy.
# The workshop entries (SWOT, objectives, positioning…) are in the .xlsx named below.
{body}"""


def new_engagement(folder: Path | str, name: str, *, sector: str = "À préciser", model: str = "B2C",
                   consultant: str = "À préciser", language: str = "fr", currency: str = "EUR",
                   plan_year: int | None = None, channels: list[str] | None = None) -> Path:
    """Create engagement.yaml and a blank workshop workbook; never overwrite.
    ``channels`` (the channels the client uses, names or codes) become the
    journey's channel list and, with ``model``, pick the KPIs prefilled."""
    folder = Path(folder)
    if (folder / ENGAGEMENT_FILE).exists():
        raise FileExistsError(f"{folder / ENGAGEMENT_FILE} already exists; relkit new never overwrites an engagement")
    folder.mkdir(parents=True, exist_ok=True)
    year = plan_year or dt.date.today().year + 1
    body = {
        "client": {"name": name, "sector": sector, "model": model, "country": "FR"},
        "consultant": {"name": consultant},
        "language": language,
        "currency": currency,
        "plan_year": year,
        "revenue": {"last_year": "0 €", "target": "0 €", "target_deadline": f"31/12/{year}"},
        "workshop_file": "atelier.xlsx",
    }
    if channels:
        body["journey"] = {"channels": [choice_label("channel", channel_code(name), language) if channel_code(name) else name
                                        for name in channels]}
    text = _TEMPLATE.format(body=yaml.safe_dump(body, allow_unicode=True, sort_keys=False))
    (folder / ENGAGEMENT_FILE).write_text(text, encoding="utf-8")
    create_workshop_file(folder / "atelier.xlsx", lang=language, model=model, channels=channels)
    return folder
