"""The structured parts of a brief's front matter that a briefing desk works with: key facts
with figures, timeline events, the change log, named people, organizations and places,
"go deeper" links. Each reader reports every problem at its key and returns typed values."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from briefgen.model.briefing import (
    UPDATE_KINDS,
    LeadImage,
    Link,
    PartialDate,
    TimelineEvent,
    Update,
)
from briefgen.model.urls import slugify
from briefgen.read.frontmatter import FieldChecker, kind_of
from briefgen.util.quoting import quoted

_PARTIAL = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\Z")


def entries(
    c: FieldChecker,
    value: Any,  # Any: a front matter value, any YAML type
    name: str,
    shape: str,
) -> list[tuple[int, Any]]:  # Any: its items, any YAML type
    if value is None:
        return []
    if not isinstance(value, list):
        c.error((name,), f"{name!r} must be a list, not {kind_of(value)}; each entry is {shape}")
        return []
    return list(enumerate(value))


def partial_date(
    c: FieldChecker,
    value: Any,  # Any: a front matter value, any YAML type
    key: tuple,
) -> PartialDate | None:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return PartialDate(value.year, value.month, value.day)
    text = str(value).strip() if isinstance(value, (str, int)) and value is not True else ""
    match = _PARTIAL.match(text)
    if match:
        year, month, day = (int(g) if g else 0 for g in match.groups())
        try:
            if month:
                dt.date(year, month, day or 1)
            return PartialDate(year, month, day)
        except ValueError:
            pass
    c.error(
        key,
        f"{key[-1]!r} must be a date, not {kind_of(value)}: expected YYYY, YYYY-MM or YYYY-MM-DD"
        if isinstance(value, (list, dict))
        else f"{key[-1]!r} must be a date; invalid date {quoted(value)}: expected YYYY, YYYY-MM or YYYY-MM-DD",
    )
    return None


TIMELINE_FIELDS = ("date", "event", "source")
UPDATE_FIELDS = ("date", "kind", "note")


def _entry(
    c: FieldChecker,
    key: tuple,
    item: Any,  # Any: a front matter value, any YAML type
    name: str,
    kind: str,
    needs: str,
) -> bool:
    """An entry of a list of mappings: False (reported) when it is not a mapping; each key it
    has beyond the fields of its ``kind`` is reported."""
    fields = TIMELINE_FIELDS if kind == "timeline" else UPDATE_FIELDS
    if not isinstance(item, dict):
        c.error(key, f"{name} must be a mapping with {needs}")
        return False
    for extra in sorted(set(item) - set(fields), key=str):
        c.error(key + (extra,), f"unknown {kind} field {extra!r} ({', '.join(fields)})")
    return True


def timeline(
    c: FieldChecker,
    value: Any,  # Any: a front matter value, any YAML type
    ids: set[str],
) -> tuple[TimelineEvent, ...]:
    out = []
    for i, item in entries(c, value, "timeline", "{date, event}"):
        key = ("timeline", i)
        if not _entry(c, key, item, f"timeline entry {i + 1}", "timeline", "'date' and 'event'"):
            continue
        if item.get("date") is None:
            c.error(key, f"timeline entry {i + 1} has no 'date'")
            when = None
        else:
            when = partial_date(c, item["date"], key + ("date",))
        event = c.text(item.get("event"), key + ("event",), required=True)
        source = source_ref(c, item.get("source"), key + ("source",), ids)
        if when and event:
            out.append(TimelineEvent(when, event, source))
    return tuple(out)


def updates(
    c: FieldChecker,
    value: Any,  # Any: a front matter value, any YAML type
) -> tuple[Update, ...]:
    """The change log, newest first whatever order it was written in."""
    out = []
    for i, item in entries(c, value, "updates", "{date, kind, note}"):
        key = ("updates", i)
        if not _entry(c, key, item, f"update {i + 1}", "update", "'date', 'kind' and 'note'"):
            continue
        when = c.timestamp(item.get("date"), key + ("date",), required=True)
        kind = c.text(item.get("kind", "update"), key + ("kind",))
        if kind is not None and kind not in UPDATE_KINDS:
            c.error(
                key + ("kind",),
                f"update kind {quoted(kind)} is not one of {', '.join(UPDATE_KINDS)}",
            )
            kind = None
        note = c.text(item.get("note"), key + ("note",), required=True)
        if when and kind and note:
            out.append(Update(when, kind, note))
    return tuple(sorted(out, key=lambda u: u.date, reverse=True))


def names(
    c: FieldChecker,
    value: Any,  # Any: a front matter value, any YAML type
    field: str,
) -> tuple[str, ...]:
    """People, organizations or places: names whose slugs are distinct."""
    out: dict[str, str] = {}
    for name, i in c.string_list(value, (field,)):
        slug = slugify(name)
        if not slug:
            c.error(
                (field, i), f"{quoted(name)} has no letters or digits to make a page address from"
            )
        elif slug in out and out[slug] != name:
            c.error(
                (field, i),
                f"{quoted(name)} and {quoted(out[slug])} would share one page; use one name",
            )
        else:
            out.setdefault(slug, name)
    return tuple(out.values())


def go_deeper(
    c: FieldChecker,
    value: Any,  # Any: a front matter value, any YAML type
) -> tuple[Link, ...]:
    """Links to other briefs (``other.md``) or addresses, each a string or ``{link, title}``."""
    out = []
    for i, item in entries(c, value, "go_deeper", "a link"):
        key = ("go_deeper", i)
        title = None
        if isinstance(item, dict):
            for extra in sorted(set(item) - {"link", "title"}, key=str):
                c.error(key + (extra,), f"unknown go_deeper field {extra!r} (link, title)")
            title = c.text(item.get("title"), key + ("title",))
            target = c.text(item.get("link"), key + ("link",), required=True)
            key = key + ("link",)
        else:
            target = c.text(item, key)
        if target is None:
            continue
        if not target.endswith(".md") and c.url(target, key) is None:
            continue
        out.append(Link(target, title))
    return tuple(out)


def source_ref(
    c: FieldChecker,
    value: Any,  # Any: a front matter value, any YAML type
    key: tuple,
    ids: set[str],
) -> str | None:
    """A key fact or timeline event may name a source only by an id the brief defines."""
    source = c.text(value, key)
    if source is not None and source not in ids:
        known = ", ".join(sorted(ids)) or "none; give a source an 'id'"
        c.error(key, f"unknown source {quoted(source)} (this brief's source ids: {known})")
        return None
    return source


IMAGE_FIELDS = ("src", "alt", "credit", "caption", "license", "focal")


def lead_image(
    c: FieldChecker,
    value: Any,  # Any: a front matter value, any YAML type
) -> LeadImage | None:
    """``image: {src, alt, credit, caption?, license?, focal?}``: a picture without alt text
    or without a credit is an error, as a desk would not publish it."""
    if value is None:
        return None
    if not isinstance(value, dict):
        c.error(
            ("image",),
            "'image' must be a mapping: image: {src: img/map.png, "
            f"alt: what it shows, credit: who made it}}, not {kind_of(value)}",
        )
        return None
    for extra in sorted(set(value) - set(IMAGE_FIELDS), key=str):
        c.error(("image", extra), f"unknown image field {extra!r} ({', '.join(IMAGE_FIELDS)})")
    got = {
        name: c.text(value.get(name), ("image", name), required=name in ("src", "alt", "credit"))
        for name in IMAGE_FIELDS
        if name != "focal"
    }
    focal = _focal(c, value.get("focal"))
    if got["src"] is None or got["alt"] is None or got["credit"] is None:
        return None
    line, col = c.where(("image", "src"))
    return LeadImage(
        got["src"], got["alt"], got["credit"], got["caption"], got["license"], focal, line, col
    )


def _focal(
    c: FieldChecker,
    value: Any,  # Any: a front matter value, any YAML type
) -> tuple[int, int] | None:
    """``focal: [x, y]``: the point to keep when the picture is cropped, in percent."""
    if value is None:
        return None
    ok = (
        isinstance(value, list)
        and len(value) == 2
        and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 100 for v in value
        )
    )
    if not ok:
        c.error(
            ("image", "focal"),
            "'focal' must be [x, y] in percent from the left and the "
            f"top, e.g. [50, 30], not {quoted(value)}",
        )
        return None
    return round(value[0]), round(value[1])
