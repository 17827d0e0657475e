"""Split YAML front matter from a Markdown file, and read typed fields out of it with every
problem reported at the line of the offending key."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from briefgen.model.dates import Timestamp
from briefgen.model.diagnostics import Diagnostics
from briefgen.util import yamlio
from briefgen.util.quoting import quoted

# C0 controls but tab, LF and CR; DEL and C1 controls; the two non-characters XML forbids.
# None belongs in a brief, and feeds could not carry them (XML 1.0 forbids most).
FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_FENCE = re.compile(r"^---[ \t]*$")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
SAFE_URL_SCHEMES = ("http", "https", "mailto", "ftp", "")


@dataclass(frozen=True)
class Document:
    """A file split in two: front matter (already loaded) and the Markdown body."""

    path: str
    meta: yamlio.Located
    body: str
    body_line: int  # line number of the body's first line in the file


def normalise_newlines(text: str) -> str:
    """Drop a byte order mark and turn CRLF and CR line ends into LF."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def split(path: str, text: str, diags: Diagnostics) -> Document | None:
    """Split ``---``-fenced YAML front matter from the body and load it safely."""
    lines = normalise_newlines(text).split("\n")
    if not lines or not _FENCE.match(lines[0]):
        diags.error(path, 1, 1, "missing front matter: the file must start with a '---' line")
        return None
    end = next((i for i in range(1, len(lines)) if _CLOSE.match(lines[i])), None)
    if end is None:
        diags.error(path, 1, 1, "front matter is not closed: add a '---' line after it")
        return None
    try:
        meta = yamlio.load("\n".join(lines[1:end]), line_offset=1)
    except yamlio.YamlProblem as exc:
        diags.error(path, exc.line, exc.col, exc.message)
        return None
    if meta.data is None:
        diags.error(path, 1, 1, "front matter is empty")
        return None
    if not isinstance(meta.data, dict):
        diags.error(path, 2, 1, "front matter must be a mapping of fields (key: value)")
        return None
    return Document(path, meta, "\n".join(lines[end + 1 :]), end + 2)


class FieldChecker:
    """Reads typed fields out of front matter, reporting each problem at its key."""

    def __init__(self, doc: Document, diags: Diagnostics) -> None:
        self.doc = doc
        self.data: dict = doc.meta.data
        self.diags = diags
        self.ok = True

    def error(self, key: tuple, message: str) -> None:
        line, col = self.doc.meta.where(key)
        self.diags.error(self.doc.path, line, col, message)
        self.ok = False

    def warning(self, key: tuple, message: str) -> None:
        line, col = self.doc.meta.where(key)
        self.diags.warning(self.doc.path, line, col, message)

    def where(self, key: tuple) -> tuple[int, int]:
        return self.doc.meta.where(key)

    def text(
        self,
        value: Any,  # Any: a front matter value, any YAML type
        key: tuple,
        required: bool = False,
    ) -> str | None:
        name = key[-1] if isinstance(key[-1], str) else ".".join(map(str, key))
        if value is None:
            if required:
                self.error(key[:-1], f"missing required field {name!r}")
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.error(key, f"{name!r} must be text, not {_kind_and_value(value)}")
            return None
        if not isinstance(value, str):
            self.error(
                key, f"{name!r} must be text, not {_kind_and_value(value)}; put it in quotes"
            )
            return None
        if not value.strip():
            self.error(key, f"{name!r} must not be empty")
            return None
        bad = FORBIDDEN_CHARS.search(value)
        if bad:
            self.error(key, f"{name!r} contains the control character U+{ord(bad.group()):04X}")
            return None
        # one-line fields: runs of spaces, tabs and line breaks become one space
        return " ".join(value.split())

    def timestamp(
        self,
        value: Any,  # Any: a front matter value, any YAML type
        key: tuple,
        required: bool = False,
    ) -> Timestamp | None:
        name = key[-1]
        if value is None:
            if required:
                self.error(key[:-1], f"missing required field {name!r}")
            return None
        given = value
        if isinstance(value, str):
            value = _parse_date(value.strip())
        if isinstance(value, dt.datetime):
            if value.tzinfo is None:
                self.error(
                    key,
                    f"{name!r} has a time but no UTC offset ({quoted(given)}); "
                    "add one such as 'Z' or '-06:00'",
                )
                return None
            return Timestamp.from_value(value)
        if isinstance(value, dt.date):
            return Timestamp.from_value(value)
        if isinstance(given, (list, dict)):
            problem = f"{name!r} must be a date, not {kind_of(given)}"
        else:
            problem = f"{name!r} must be a date; invalid date {quoted(given)}"
        self.error(key, f"{problem}: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM")
        return None

    def string_list(
        self,
        value: Any,  # Any: a front matter value, any YAML type
        key: tuple,
        required: bool = False,
    ) -> list[tuple[str, int]]:
        """A list of non-empty strings, as (string, index) pairs."""
        name = key[-1]
        if value is None and required:
            self.error(key[:-1], f"missing required field {name!r}")
        if value is None or value == []:
            if value == [] and required:
                self.error(key, f"{name!r} needs at least one entry")
            return []
        if not isinstance(value, list):
            hint = f"; write [{value}]" if isinstance(value, str) and value.isprintable() else ""
            self.error(key, f"{name!r} must be a list, not {kind_of(value)}{hint}")
            return []
        out = []
        for i, item in enumerate(value):
            if item is None:
                self.error(key + (i,), f"entry {i + 1} of {name!r} is empty")
                continue
            text = self.text(item, key + (i,))
            if text is not None:
                out.append((text, i))
        return out

    def boolean(
        self,
        value: Any,  # Any: a front matter value, any YAML type
        key: tuple,
    ) -> bool | None:
        if value is None:
            return None
        if not isinstance(value, bool):
            self.error(key, f"{key[-1]!r} must be true or false, not {_kind_and_value(value)}")
            return None
        return value

    def url(self, value: Any, key: tuple) -> str | None:  # Any: a front matter value, any YAML type
        url = self.text(value, key)
        if url is None:
            return None
        scheme = urlsplit(url).scheme.lower() if ":" in url else ""
        if scheme not in SAFE_URL_SCHEMES or any(ord(c) < 32 for c in url):
            self.error(
                key,
                f"URL scheme {scheme + ':'!r} is not allowed (use http or https): {quoted(url)}",
            )
            return None
        return url


def _parse_date(text: str) -> dt.date | dt.datetime | str:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text


def _kind_and_value(value: Any) -> str:  # Any: a front matter value, any YAML type
    """``text 'yes'``, ``a number (42)``; containers by their kind alone."""
    if isinstance(value, (list, dict)):
        return kind_of(value)
    if isinstance(value, str):
        return f"text {quoted(value)}"
    return f"{kind_of(value)} ({quoted(value)})"


def kind_of(value: Any) -> str:  # Any: a front matter value, any YAML type
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "a mapping",
        dt.date: "a date",
        dt.datetime: "a date-time",
    }.get(type(value), type(value).__name__)
