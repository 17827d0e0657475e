"""Validate front matter into typed brief and topic metadata.

A file with errors yields ``None``, every error having been reported at its key, and the
run goes on with the other files.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from briefgen.model.briefing import SOURCE_ID
from briefgen.model.diagnostics import Diagnostics
from briefgen.model.meta import BriefMeta, EntityMeta, Structure, TopicMeta
from briefgen.model.site import Source
from briefgen.model.urls import slug_from_filename, slugify
from briefgen.plugins.types import FieldTable
from briefgen.read import fields
from briefgen.read.frontmatter import Document, FieldChecker, kind_of
from briefgen.read.key_facts import key_facts as read_key_facts
from briefgen.read.plugin_fields import NONE, check_fields
from briefgen.util.quoting import quoted

BRIEF_FIELDS = (
    "title",
    "date",
    "summary",
    "topics",
    "updated",
    "tags",
    "sources",
    "key_facts",
    "slug",
    "draft",
    "toc",
    "expires",
    "why_it_matters",
    "whats_next",
    "go_deeper",
    "story",
    "people",
    "organizations",
    "places",
    "timeline",
    "updates",
    "review_by",
    "translation_key",
    "image",
)
TOPIC_FIELDS = ("title", "description")


def validate_brief(
    doc: Document, diags: Diagnostics, filename_stem: str, extra: FieldTable = NONE
) -> BriefMeta | None:
    """Check a brief's front matter; ``None`` when it has errors (all of them reported).
    ``extra``: the fields plugins add, kept among the params with their checked values."""
    c = FieldChecker(doc, diags)
    d = c.data
    title = c.text(d.get("title"), ("title",), required=True)
    summary = c.text(d.get("summary"), ("summary",), required=True)
    date = c.timestamp(d.get("date"), ("date",), required=True)
    updated = c.timestamp(d.get("updated"), ("updated",))
    if date and updated and updated < date:
        c.error(("updated",), f"'updated' ({updated}) is before 'date' ({date})")
    expires = c.timestamp(d.get("expires"), ("expires",))
    if date and expires and expires <= date:
        c.error(("expires",), f"'expires' ({expires}) is not after 'date' ({date})")

    topics, topic_lines = _topics(c, d)
    tags = tuple(dict.fromkeys(t for t, _ in c.string_list(d.get("tags"), ("tags",))))
    sources = _sources(c, d.get("sources"))
    ids = {s.id for s in sources if s.id}
    key_facts = read_key_facts(c, d.get("key_facts"), ids)
    structure = _structure(c, d, ids)

    slug = _slug(c, d, filename_stem)
    draft = c.boolean(d.get("draft"), ("draft",))
    toc = c.boolean(d.get("toc"), ("toc",))
    translation_key = c.text(d.get("translation_key"), ("translation_key",))
    added = check_fields(c, d, extra) if extra else {}
    if not c.ok or title is None or summary is None or date is None or not topics:
        return None
    params = {k: v for k, v in d.items() if k not in BRIEF_FIELDS and isinstance(k, str)}
    params.update(added)
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
        expires=expires,
        structure=structure,
        translation_key=translation_key,
        marks=MappingProxyType(_marks(doc)),
    )


def _marks(doc: Document) -> dict[tuple, tuple[int, int]]:
    """The positions a brief's checks report at: each top-level key, each item of a
    top-level list (``("sources", 0)``). Deeper ones are not kept: ten thousand briefs'
    metadata stays small, and no check points inside a source."""
    located = doc.meta
    marks = {k: v for k, v in located.value_marks.items() if _kept(k)}
    marks.update((k, v) for k, v in located.key_marks.items() if _kept(k))
    return marks


def _kept(key: tuple) -> bool:
    return len(key) == 1 or (len(key) == 2 and isinstance(key[1], int))


def _topics(c: FieldChecker, d: dict) -> tuple[list[str], list[tuple[int, int]]]:
    """The brief's topic slugs, each once, and where each was named."""
    topics: list[str] = []
    topic_lines: list[tuple[int, int]] = []
    for name, i in c.string_list(d.get("topics"), ("topics",), required=True):
        slug = slugify(name)
        if not slug:
            c.error(
                ("topics", i), f"topic {quoted(name)} has no letters or digits to make a slug from"
            )
        elif slug not in topics:
            topics.append(slug)
            topic_lines.append(c.where(("topics", i)))
    return topics, topic_lines


def _slug(c: FieldChecker, d: dict, filename_stem: str) -> str:
    """The brief's ``slug:``, else the slug of its file name without the date."""
    if "slug" in d:
        given = c.text(d.get("slug"), ("slug",))
        slug = slugify(given) if given else ""
        if given and not slug:
            c.error(("slug",), f"slug {quoted(given)} has no letters or digits")
    else:
        slug = slug_from_filename(filename_stem)
        if not slug:
            c.error((), f"cannot make a slug from the file name {filename_stem!r}; set 'slug:'")
    return slug


def _structure(c: FieldChecker, d: dict, ids: set[str]) -> Structure:
    story = c.text(d.get("story"), ("story",))
    if story is not None and not slugify(story):
        c.error(
            ("story",), f"story {quoted(story)} has no letters or digits to make a page address"
        )
    return Structure(
        why_it_matters=c.text(d.get("why_it_matters"), ("why_it_matters",)),
        whats_next=c.text(d.get("whats_next"), ("whats_next",)),
        go_deeper=fields.go_deeper(c, d.get("go_deeper")),
        story=slugify(story) or None if story else None,
        story_title=story if story and slugify(story) else None,
        people=fields.names(c, d.get("people"), "people"),
        organizations=fields.names(c, d.get("organizations"), "organizations"),
        places=fields.names(c, d.get("places"), "places"),
        timeline=fields.timeline(c, d.get("timeline"), ids),
        updates=fields.updates(c, d.get("updates")),
        review_by=c.timestamp(d.get("review_by"), ("review_by",)),
        image=fields.lead_image(c, d.get("image")),
    )


def _sources(
    c: FieldChecker,
    value: Any,  # Any: a front matter value, any YAML type
) -> tuple[Source, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        c.error(
            ("sources",),
            f"'sources' must be a list of {{title, url}} entries, not {kind_of(value)}",
        )
        return ()
    out = []
    seen: dict[str, int] = {}
    for i, item in enumerate(value):
        key = ("sources", i)
        if isinstance(item, str):
            item = {"title": item}
        if not isinstance(item, dict):
            c.error(key, f"source {i + 1} must be a mapping with 'title' and 'url'")
            continue
        for extra in sorted(set(item) - {"title", "url", "publisher", "date", "id"}, key=str):
            c.warning(key + (extra,), f"unknown source field {extra!r}")
        title = c.text(item.get("title"), key + ("title",), required=True)
        url = c.url(item.get("url"), key + ("url",))
        if url is None and "url" not in item:
            c.warning(key, f"source {i + 1} has no 'url': readers cannot check it")
        publisher = c.text(item.get("publisher"), key + ("publisher",))
        date = c.timestamp(item.get("date"), key + ("date",))
        ident = c.text(item.get("id"), key + ("id",))
        if ident is not None and not SOURCE_ID.match(ident):
            c.error(
                key + ("id",),
                f"source id {quoted(ident)} may hold only letters, digits, '_', '.' and '-'",
            )
            ident = None
        if ident is not None and ident in seen:
            c.error(
                key + ("id",), f"source id {quoted(ident)} is already used by source {seen[ident]}"
            )
            ident = None
        if ident is not None:
            seen[ident] = i + 1
        if title:
            out.append(Source(title=title, url=url, publisher=publisher, date=date, id=ident))
    return tuple(out)


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
    return TopicMeta(
        doc.path, slug, title, description, MappingProxyType(params), doc.body, doc.body_line
    )


ENTITY_FIELDS = ("name", "description", "aliases")


def validate_entity(
    doc: Document, diags: Diagnostics, kind: str, filename_stem: str
) -> EntityMeta | None:
    """Check a file of ``content/entities/<kind>/``: optional ``name`` (the spelling to show)
    ``description`` (one line) and ``aliases`` (other names a body may use: ``CIA`` for the
    Central Intelligence Agency); its body is the longer description."""
    c = FieldChecker(doc, diags)
    slug = slugify(filename_stem)
    if not slug:
        c.error((), f"cannot make a page address from the file name {filename_stem!r}")
    for key in sorted(set(c.data) - set(ENTITY_FIELDS), key=str):
        c.warning((key,), f"unknown field {key!r} (name, description, aliases)")
    name = c.text(c.data.get("name"), ("name",)) or ""
    if name and slugify(name) != slug:
        c.error(
            ("name",),
            f"name {quoted(name)} would have the page {slugify(name)!r}, "
            f"not {slug!r}: rename the file or the name",
        )
    description = c.text(c.data.get("description"), ("description",)) or ""
    aliases = tuple(dict.fromkeys(a for a, _ in c.string_list(c.data.get("aliases"), ("aliases",))))
    if not c.ok:
        return None
    return EntityMeta(doc.path, kind, slug, name, description, aliases, doc.body, doc.body_line)
