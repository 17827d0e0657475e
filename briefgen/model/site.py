"""The site model: frozen values built by the pipeline and read by templates. No I/O here."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from briefgen.model.briefing import KeyFact, Structure, TimelineEvent, Update
from briefgen.model.dates import MONTHS, Timestamp
from briefgen.model.pictures import Shown
from briefgen.util.records import record

_EMPTY: Mapping[str, Any] = MappingProxyType({})  # Any: values as front matter gives them
WORDS_PER_MINUTE = 220


@record
class Source:
    title: str
    url: str | None = None
    publisher: str | None = None
    date: Timestamp | None = None
    id: str | None = None  # what the body cites it by


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str


@record
class Body:
    """A brief's rendered HTML: in memory, or kept in the build cache and read when a
    template asks for it (a site of 100,000 briefs never holds every body at once).

    ``digest`` names the HTML's content; two bodies with one digest have the same HTML.
    """

    digest: str = ""
    text: str | None = None
    where: tuple[str, int, int] | None = None  # in the cache: (pack file, offset, length)
    load: Callable[[Body], str] | None = field(default=None, compare=False, repr=False)

    @property
    def html(self) -> str:
        if self.text is not None:
            return self.text
        return self.load(self) if self.load is not None else ""


EMPTY_BODY = Body(text="")


class Unreadable(Exception):
    """A body kept outside memory (in the build cache) cannot be read back as it was kept.
    Not the fault of the template or plugin that asked for it: the handlers that turn their
    exceptions into diagnostics let it pass, and the build starts over without its cache
    (``briefgen.pipeline.cache.CacheMiss`` is one)."""


@dataclass(frozen=True, kw_only=True)
class Brief(Structure):
    """One brief, with its Markdown already rendered. The briefing fields (why it matters,
    timeline, change log, people…) are inherited from :class:`Structure` as validated."""

    source_path: str  # relative to the site root, with forward slashes
    slug: str
    title: str
    date: Timestamp
    summary: str
    topics: tuple[str, ...]
    body: Body = EMPTY_BODY
    updated: Timestamp | None = None
    tags: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    key_facts: tuple[KeyFact, ...] = ()
    citations: tuple[int, ...] = ()  # how often the body cites each source, by position
    outdated: bool = False  # review_by has passed by the build's clock
    draft: bool = False
    scheduled: bool = False  # dated after the build's clock (only in builds with --future)
    expires: Timestamp | None = None
    toc: tuple[Heading, ...] = ()
    show_toc: bool = False
    word_count: int = 0
    params: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)  # Any: YAML values
    path: str = ""  # site-relative page path, e.g. "briefs/<slug>/"
    url: str = ""  # path on the server, with the base path, e.g. "/briefings/briefs/<slug>/"
    permalink: str = ""  # absolute URL
    fingerprint: str = field(default="", compare=False)  # names the metadata, when known
    language: str = ""  # its language's code, on a site with several languages
    # a translation changed less recently than its original: the original's page, language
    # (code and name) and last change, for the notice readers see; empty otherwise
    original_url: str = ""
    original_code: str = ""
    original_language: str = ""
    original_updated: Timestamp | None = None
    picture: Shown | None = None  # the lead picture (``image:``) as pages show it

    @property
    def body_html(self) -> str:
        return self.body.html

    @property
    def last_modified(self) -> Timestamp:
        """``updated`` (or ``date``), or the newest entry of the change log if later."""
        latest = self.updated or self.date
        if self.updates and self.updates[0].date > latest:
            return self.updates[0].date
        return latest

    @property
    def corrections(self) -> tuple[Update, ...]:
        return tuple(u for u in self.updates if u.kind == "correction")

    @property
    def reading_minutes(self) -> int:
        """At about 220 words a minute, never less than one minute."""
        return max(1, round(self.word_count / WORDS_PER_MINUTE))

    def __getattr__(self, name: str) -> Any:  # Any: a front matter value, any YAML type
        # unknown front matter keys read like fields in templates: {{ brief.desk }}
        params = self.__dict__.get("params", _EMPTY)
        if name in params:
            return params[name]
        raise AttributeError(name)


@dataclass(frozen=True)
class Topic:
    slug: str
    title: str
    description: str = ""
    intro_html: str = ""
    described: bool = True
    source_path: str | None = None
    briefs: tuple[Brief, ...] = ()  # newest first
    params: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)  # Any: YAML values
    path: str = ""
    url: str = ""
    permalink: str = ""
    numbers: tuple[TopicFact, ...] = ()  # figures from the briefs' key facts, newest first
    timeline: tuple[Period, ...] = ()  # the briefs' timeline events, merged, oldest first

    @property
    def count(self) -> int:
        return len(self.briefs)


@dataclass(frozen=True)
class Month:
    """A month of the archive."""

    year: int
    month: int
    briefs: tuple[Brief, ...]

    @property
    def id(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def title(self) -> str:
        return f"{MONTHS[self.month - 1]} {self.year}"


@dataclass(frozen=True)
class Neighbours:
    """Previous (older) and next (newer) brief within a brief's first topic."""

    previous: Brief | None = None
    next: Brief | None = None
    topic: Topic | None = None


@dataclass(frozen=True)
class Site:
    """Everything the templates can see, assembled before anything is rendered."""

    briefs: tuple[Brief, ...]  # newest first
    topics: tuple[Topic, ...]  # by title
    months: tuple[Month, ...]  # newest first
    neighbours: Mapping[str, Neighbours]
    related: Mapping[str, tuple[Brief, ...]]  # slug → most related briefs first
    topics_by_slug: Mapping[str, Topic]
    briefs_by_slug: Mapping[str, Brief]
    timeline: tuple[Period, ...] = ()  # oldest first, events in date order
    entities: Mapping[str, tuple[Entity, ...]] = field(default_factory=dict)  # kind → by name
    stories: tuple[Story, ...] = ()  # by title
    corrections: tuple[Dated, ...] = ()  # newest first
    # what plugins add to the model (their briefgen_site hook), by plugin name
    extras: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)  # Any: a plugin's own


@dataclass(frozen=True)
class Entity:  # a person, organization or place named by briefs, with its page
    kind: str  # one of ENTITY_KINDS
    slug: str
    name: str
    briefs: tuple[Brief, ...]  # newest first
    path: str = ""
    url: str = ""
    description: str = ""  # one line, from content/entities/<kind>/<slug>.md
    description_html: str = ""  # that file's body, rendered
    source_path: str | None = None  # that file, when there is one


@dataclass(frozen=True)
class Story:  # a storyline: briefs sharing a `story:`, oldest first
    slug: str
    title: str
    briefs: tuple[Brief, ...]
    path: str = ""
    url: str = ""


@dataclass(frozen=True)
class Dated:  # a timeline event or a change-log entry, with the brief it belongs to
    brief: Brief
    event: TimelineEvent | None = None
    update: Update | None = None


@dataclass(frozen=True)
class Period:  # timeline events of one month (or one year, for events known to the year)
    id: str  # "2025-02" or "2025"
    title: str  # "February 2025" or "2025"
    entries: tuple[Dated, ...]


@dataclass(frozen=True)
class TopicFact:  # a key fact with a figure, with the brief it comes from ("by the numbers")
    brief: Brief
    fact: KeyFact
