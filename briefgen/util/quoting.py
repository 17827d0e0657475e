"""How a rejected value is shown in a message: quoted like a repr, short enough for one line."""

from __future__ import annotations

import datetime as dt
from typing import Any

MAX_SHOWN = 60


def quoted(value: Any, limit: int = MAX_SHOWN) -> str:  # Any: any YAML value
    """``'tomorrow'`` for text (single quotes, cut to ``limit`` characters with an ellipsis);
    numbers, dates and true/false as YAML writes them; a list or mapping by its kind."""
    if isinstance(value, str):
        text = value if len(value) <= limit else value[: limit - 1] + "…"
        shown = repr(text)
        if shown.startswith('"'):  # repr chose double quotes because the text has a '
            shown = "'" + shown[1:-1].replace("'", "\\'") + "'"
        return shown
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
