"""The default channel list (templates/workshop/lists.yaml): the code of a
channel name as a consultant writes it, and the default pressure caps of the
channels an engagement has."""
from __future__ import annotations

import functools

from relkit.io.parsing import fold
from relkit.io.resources import TEMPLATES_DIR, load_yaml

# Caps that apply when engagement.yaml has no pressure: block, to the channels
# of the journey's list that are e-mail or SMS (all of them with the default list).
DEFAULT_PRESSURE = {"email": 4.0, "sms": 2.0}


@functools.cache
def _channel_codes() -> dict[str, str]:
    """fold(code, French or English label) -> code of the default channel list."""
    items = load_yaml(TEMPLATES_DIR / "workshop" / "lists.yaml")["channel"]
    return {fold(name): item["code"] for item in items for name in (item["code"], item["fr"], item["en"])}


def channel_code(name: str) -> str | None:
    """The default list's code of a channel name ('E-mail' -> 'email'), or None."""
    return _channel_codes().get(fold(name))


def default_pressure(channels: list[str] | None) -> dict[str, float]:
    """The default caps of the channels that exist: every default cap with the
    default channel list, else only those of channels the engagement's list has."""
    if channels is None:
        return dict(DEFAULT_PRESSURE)
    present = {channel_code(c) for c in channels}
    return {code: cap for code, cap in DEFAULT_PRESSURE.items() if code in present}

