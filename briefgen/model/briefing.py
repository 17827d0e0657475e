"""The briefing parts of the model: key facts, timeline events, the change log, go-deeper
links, entities and storylines. Frozen values, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefgen.model.site import Brief, Timestamp

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True)
class KeyFact:
    """A key fact: plain text, or a figure with its label (``229`` / ``migrants apprehended
    on February 4``) and the id of the source that gives it. Prints as its text."""

    text: str
    figure: str | None = None
    label: str | None = None
    source: str | None = None

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, order=True)
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


@dataclass(frozen=True)
class TimelineEvent:
    date: PartialDate
    event: str
    source: str | None = None  # a source id of the brief


UPDATE_KINDS = ("update", "correction", "clarification")


@dataclass(frozen=True)
class Update:  # one entry of a brief's change log
    date: Timestamp
    kind: str  # one of UPDATE_KINDS
    note: str


@dataclass(frozen=True)
class Link:  # a "go deeper" link: to another brief (``other.md``) or to an address
    target: str  # as written
    title: str | None = None
    url: str = ""  # where it points, once resolved (a brief's page, or the address)


ENTITY_KINDS = ("people", "organizations", "places")


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
