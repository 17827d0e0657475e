"""Split YAML front matter from a Markdown file and validate it into typed values.

Every problem is added to the collector at the line of the offending key; a file with errors
yields ``None`` and the run goes on with the others.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from briefgen import yamlio
from briefgen.diagnostics import Diagnostics
from briefgen.model import Source, Timestamp
from briefgen.urls import slug_from_filename, slugify

_FENCE = re.compile(r"^---[ \t]*$")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
SAFE_URL_SCHEMES = ("http", "https", "mailto", "ftp", "")

BRIEF_FIELDS = (
    "title", "date", "summary", "topics", "updated", "tags", "sources", "key_facts", "slug",
    "draft", "toc",
)  # fmt: skip
TOPIC_FIELDS = ("title", "description")


@dataclass(frozen=True)
class Document:
    """A file split in two: front matter (already loaded) and the Markdown body."""

    path: str
    meta: yamlio.Located
    body: str
    body_line: int  # line number of the body's first line in the file


@dataclass(frozen=True)
class BriefMeta:
    """A brief's validated front matter and its unrendered body."""

    path: str
    slug: str
    title: str
    date: Timestamp
    summary: str
    topics: tuple[str, ...]
    topic_lines: tuple[tuple[int, int], ...]  # where each topic was named
    updated: Timestamp | None
    tags: tuple[str, ...]
    sources: tuple[Source, ...]
    key_facts: tuple[str, ...]
    draft: bool
    toc: bool | None
    params: MappingProxyType
    slug_line: tuple[int, int]
    body: str
    body_line: int


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
        meta = yamlio.load("\n".join(lines[1:end]))
    except yamlio.YamlProblem as exc:
        diags.error(path, exc.line + 1, exc.col, exc.message)
        return None
    if meta.data is None:
        diags.error(path, 1, 1, "front matter is empty")
        return None
    if not isinstance(meta.data, dict):
        diags.error(path, 2, 1, "front matter must be a mapping of fields (key: value)")
        return None
    shifted = yamlio.Located(
        meta.data,
        {k: (ln + 1, c) for k, (ln, c) in meta.key_marks.items()},
        {k: (ln + 1, c) for k, (ln, c) in meta.value_marks.items()},
    )
    return Document(path, shifted, "\n".join(lines[end + 1 :]), end + 2)


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

    def text(self, value: Any, key: tuple, required: bool = False) -> str | None:
        name = key[-1] if isinstance(key[-1], str) else ".".join(map(str, key))
        if value is None:
            if required:
                self.error(key[:-1], f"missing required field {name!r}")
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.error(key, f"{name!r} must be text, not {_kind(value)}")
            return None
        if not isinstance(value, str):
            self.error(key, f"{name!r} must be text, not {_kind(value)}; put it in quotes")
            return None
        if not value.strip():
            self.error(key, f"{name!r} must not be empty")
            return None
        return value.strip()

    def timestamp(self, value: Any, key: tuple, required: bool = False) -> Timestamp | None:
        name = key[-1]
        if value is None:
            if required:
                self.error(key[:-1], f"missing required field {name!r}")
            return None
        if isinstance(value, str):
            value = _parse_date(value.strip())
        if isinstance(value, dt.datetime):
            if value.tzinfo is None:
                self.error(key, f"{name!r} has a time but no UTC offset; add one such as 'Z' or '-06:00'")
                return None
            return Timestamp.from_value(value)
        if isinstance(value, dt.date):
            return Timestamp.from_value(value)
        self.error(key, f"{name!r} must be a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM)")
        return None

    def string_list(self, value: Any, key: tuple, required: bool = False) -> list[tuple[str, int]]:
        """A list of non-empty strings, as (string, index) pairs."""
        name = key[-1]
        if value is None and required:
            self.error(key[:-1], f"missing required field {name!r}")
        if value is None or value == []:
            if value == [] and required:
                self.error(key, f"{name!r} needs at least one entry")
            return []
        if not isinstance(value, list):
            hint = f"; write [{value}]" if isinstance(value, str) else ""
            self.error(key, f"{name!r} must be a list, not {_kind(value)}{hint}")
            return []
        out = []
        for i, item in enumerate(value):
            text = self.text(item, key + (i,))
            if text is not None:
                out.append((text, i))
        return out

    def boolean(self, value: Any, key: tuple) -> bool | None:
        if value is None:
            return None
        if not isinstance(value, bool):
            self.error(key, f"{key[-1]!r} must be true or false, not {_kind(value)}")
            return None
        return value

    def url(self, value: Any, key: tuple) -> str | None:
        url = self.text(value, key)
        if url is None:
            return None
        scheme = urlsplit(url).scheme.lower() if ":" in url else ""
        if scheme not in SAFE_URL_SCHEMES or any(ord(c) < 32 for c in url):
            self.error(key, f"URL scheme {scheme + ':'!r} is not allowed (use http or https)")
            return None
        return url


def validate_brief(doc: Document, diags: Diagnostics, filename_stem: str) -> BriefMeta | None:
    """Check a brief's front matter; ``None`` when it has errors (all of them reported)."""
    c = FieldChecker(doc, diags)
    d = c.data
    title = c.text(d.get("title"), ("title",), required=True)
    summary = c.text(d.get("summary"), ("summary",), required=True)
    date = c.timestamp(d.get("date"), ("date",), required=True)
    updated = c.timestamp(d.get("updated"), ("updated",))
    if date and updated and updated < date:
        c.error(("updated",), f"'updated' ({updated}) is before 'date' ({date})")

    topics: list[str] = []
    topic_lines: list[tuple[int, int]] = []
    for name, i in c.string_list(d.get("topics"), ("topics",), required=True):
        slug = slugify(name)
        if not slug:
            c.error(("topics", i), f"topic {name!r} has no letters or digits to make a slug from")
        elif slug not in topics:
            topics.append(slug)
            topic_lines.append(c.where(("topics", i)))
    tags = tuple(dict.fromkeys(t for t, _ in c.string_list(d.get("tags"), ("tags",))))
    key_facts = tuple(t for t, _ in c.string_list(d.get("key_facts"), ("key_facts",)))
    sources = _sources(c, d.get("sources"))

    if "slug" in d:
        given = c.text(d.get("slug"), ("slug",))
        slug = slugify(given) if given else ""
        if given and not slug:
            c.error(("slug",), f"slug {given!r} has no letters or digits")
    else:
        slug = slug_from_filename(filename_stem)
        if not slug:
            c.error((), f"cannot make a slug from the file name {filename_stem!r}; set 'slug:'")
    draft = c.boolean(d.get("draft"), ("draft",))
    toc = c.boolean(d.get("toc"), ("toc",))
    if not c.ok or title is None or summary is None or date is None or not topics:
        return None
    params = {k: v for k, v in d.items() if k not in BRIEF_FIELDS and isinstance(k, str)}
    return BriefMeta(
        path=doc.path,
        slug=slug,
        title=title,
        date=date,
        summary=summary,
        topics=tuple(topics),
        topic_lines=tuple(topic_lines),
        updated=updated,
        tags=tags,
        sources=sources,
        key_facts=key_facts,
        draft=bool(draft),
        toc=toc,
        params=MappingProxyType(params),
        slug_line=c.where(("slug",)) if "slug" in d else (1, 1),
        body=doc.body,
        body_line=doc.body_line,
    )


def _sources(c: FieldChecker, value: Any) -> tuple[Source, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        c.error(("sources",), f"'sources' must be a list of {{title, url}} entries, not {_kind(value)}")
        return ()
    out = []
    for i, item in enumerate(value):
        key = ("sources", i)
        if isinstance(item, str):
            item = {"title": item}
        if not isinstance(item, dict):
            c.error(key, f"source {i + 1} must be a mapping with 'title' and 'url'")
            continue
        for extra in sorted(set(item) - {"title", "url", "publisher", "date"}, key=str):
            c.warning(key + (extra,), f"unknown source field {extra!r}")
        title = c.text(item.get("title"), key + ("title",), required=True)
        url = c.url(item.get("url"), key + ("url",))
        publisher = c.text(item.get("publisher"), key + ("publisher",))
        date = c.timestamp(item.get("date"), key + ("date",))
        if title:
            out.append(Source(title=title, url=url, publisher=publisher, date=date))
    return tuple(out)


def _parse_date(text: str) -> dt.date | dt.datetime | str:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text


def _kind(value: Any) -> str:
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


@dataclass(frozen=True)
class TopicMeta:
    path: str
    slug: str
    title: str
    description: str
    params: MappingProxyType
    body: str
    body_line: int


def validate_topic(doc: Document, diags: Diagnostics, filename_stem: str) -> TopicMeta | None:
    """Check a topic description file; its slug is its file name."""
    c = FieldChecker(doc, diags)
    slug = slugify(filename_stem)
    if not slug:
        c.error((), f"cannot make a topic slug from the file name {filename_stem!r}")
    title = c.text(c.data.get("title"), ("title",), required=True)
    description = c.text(c.data.get("description"), ("description",)) or ""
    if not c.ok or title is None:
        return None
    params = {k: v for k, v in c.data.items() if k not in TOPIC_FIELDS and isinstance(k, str)}
    return TopicMeta(doc.path, slug, title, description, MappingProxyType(params), doc.body, doc.body_line)
