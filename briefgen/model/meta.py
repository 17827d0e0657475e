"""What the read stage hands on: a content file's validated front matter with its unrendered
body, and where each value was written. The assemble stage turns these into the site model."""

from __future__ import annotations

from dataclasses import field
from types import MappingProxyType

from briefgen.model.briefing import KeyFact, Structure
from briefgen.model.dates import Timestamp
from briefgen.model.site import Source
from briefgen.util.records import record


@record
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
    key_facts: tuple[KeyFact, ...]
    draft: bool
    toc: bool | None
    params: MappingProxyType
    slug_line: tuple[int, int]
    body: str
    body_line: int
    expires: Timestamp | None = None
    structure: Structure = field(default_factory=lambda: Structure())
    translation_key: str | None = None  # names the brief's translations, when names differ
    # where each top-level key, and each item of a top-level list, was written: what the
    # desk's checks point their warnings at, recorded once when the file is read
    marks: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))

    def where(self, key: tuple, default: tuple[int, int] | None = (1, 1)) -> tuple[int, int] | None:
        """``(line, col)`` of ``("sources",)`` or ``("sources", 2)``; ``default`` when the
        front matter has no such key."""
        return self.marks.get(key, default)


@record
class TopicMeta:
    path: str
    slug: str
    title: str
    description: str
    params: MappingProxyType
    body: str
    body_line: int


@record
class EntityMeta:
    """A file of ``content/entities/<kind>/<slug>.md``, describing one entity."""

    path: str
    kind: str  # people, organizations or places
    slug: str
    name: str  # the spelling to show; "" keeps the briefs' own
    description: str
    aliases: tuple[str, ...]  # other names a body may use
    body: str
    body_line: int


# every content file whose body is rendered
ContentMeta = BriefMeta | TopicMeta | EntityMeta
