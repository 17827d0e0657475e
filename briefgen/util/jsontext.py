"""JSON as briefgen writes it: ``<``, ``>`` and ``&`` (and the line separators U+2028 and
U+2029) as ``\\u`` escapes, so that a JSON file a browser sniffs as HTML, or JSON embedded
in a page, carries no markup. JSON reads the escapes back as the same characters; Go's
encoder (and so Hugo's ``jsonify``) writes the same."""

from __future__ import annotations

import json
from typing import Any

_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def dumps(value: Any, indent: int | None = 2) -> str:  # Any: any JSON value
    """``value`` as JSON text, UTF-8 characters kept, markup characters escaped."""
    return json.dumps(value, ensure_ascii=False, indent=indent).translate(_ESCAPES)
