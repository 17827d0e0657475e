"""The briefing parts of a brief's front matter: key facts, timeline events, the change log,
go-deeper links. Frozen values, no I/O."""

from __future__ import annotations

import re
from dataclasses import field

from briefgen.model.dates import MONTHS, Timestamp
from briefgen.util.records import record

# What a source's ``id`` may be: what a citation ``[@id]`` names.
SOURCE_ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_.-]*"
SOURCE_ID = re.compile(SOURCE_ID_PATTERN + r"\Z")


@record
class KeyFact:
    """A key fact: plain text, or a figure with its label (``229`` / ``migrants apprehended
    on February 4``) and the id of the source that gives it. Prints as its text.

    A figure that is a number may be a point of a ``series`` (``apprehensions``) at a
    ``date``: the charts feature gathers every published brief's points of a series into a
    chart on their topics' pages. ``line`` is where the fact stands in its file."""

    text: str
    figure: str | None = None
    label: str | None = None
    source: str | None = None
    series: str | None = None
    date: PartialDate | None = None
    value: float | None = None  # the figure as a number, for a point of a series
    line: int = field(default=0, compare=False)

    def __str__(self) -> str:
        return self.text


@record(order=True)
class PartialDate:
    """A date known to the year, month or day; ordered by first day, less precise first."""

    year: int
    month: int = 0  # 0: not known
    day: int = 0

    def isoformat(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
            if self.day:
                parts.append(f"{self.day:02d}")
        return "-".join(parts)

    def human(self) -> str:
        if not self.month:
            return str(self.year)
        if not self.day:
            return f"{MONTHS[self.month - 1]} {self.year}"
        return f"{self.day} {MONTHS[self.month - 1]} {self.year}"


@record
class TimelineEvent:
    date: PartialDate
    event: str
    source: str | None = None  # a source id of the brief


UPDATE_KINDS = ("update", "correction", "clarification")


@record
class Update:  # one entry of a brief's change log
    date: Timestamp
    kind: str  # one of UPDATE_KINDS
    note: str


@record
class Link:  # a "go deeper" link: to another brief (``other.md``) or to an address
    target: str  # as written
    title: str | None = None
    url: str = ""  # where it points, once resolved (a brief's page, or the address)


ENTITY_KINDS = ("people", "organizations", "places")


@record
class LeadImage:
    """A brief's lead picture as its front matter gives it (``image:``); ``line`` and ``col``
    are those of ``src``, for problems found once the file is looked at."""

    src: str
    alt: str
    credit: str
    caption: str | None = None
    license: str | None = None
    focal: tuple[int, int] | None = None  # percent from the left and from the top
    line: int = 0
    col: int = 0

    @property
    def position(self) -> str:
        """CSS ``object-position`` of the focal point, for pictures cropped to a shape."""
        return f"{self.focal[0]}% {self.focal[1]}%" if self.focal else "50% 50%"


@record
class Structure:
    """The briefing fields of a brief, all optional (read by :mod:`briefgen.read.fields`); a
    :class:`~briefgen.model.site.Brief` carries them as they were validated."""

    why_it_matters: str | None = None
    whats_next: str | None = None
    go_deeper: tuple[Link, ...] = ()
    story: str | None = None  # a slug
    story_title: str | None = None  # as written
    people: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    timeline: tuple[TimelineEvent, ...] = ()
    updates: tuple[Update, ...] = ()  # newest first
    review_by: Timestamp | None = None
    image: LeadImage | None = None
