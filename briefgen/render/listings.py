"""What listing pages show beyond the model: a topic's briefs cut into numbered pages, the
briefs changed since publication, and the latest change among briefs."""

from __future__ import annotations

import math
from dataclasses import dataclass

from briefgen.config.values import Config
from briefgen.model.dates import Timestamp
from briefgen.model.site import Brief, Topic
from briefgen.model.urls import topic_path


@dataclass(frozen=True)
class Paginator:
    """One numbered page of a topic's briefs, with the addresses of the others."""

    number: int  # from 1
    total: int
    items: tuple[Brief, ...]
    previous_url: str | None
    next_url: str | None
    first_url: str
    urls: tuple[str, ...]  # every page's URL, for numbered links


def paginate(topic: Topic, config: Config) -> list[Paginator]:
    per_page = config.per_page
    total = max(1, math.ceil(len(topic.briefs) / per_page))
    urls = tuple(config.url(topic_path(topic.slug, n)) for n in range(1, total + 1))
    return [
        Paginator(
            number=n,
            total=total,
            items=topic.briefs[(n - 1) * per_page : n * per_page],
            previous_url=urls[n - 2] if n > 1 else None,
            next_url=urls[n] if n < total else None,
            first_url=urls[0],
            urls=urls,
        )
        for n in range(1, total + 1)
    ]


def recently_updated(briefs: tuple[Brief, ...], limit: int) -> tuple[Brief, ...]:
    """Briefs changed after publication (``updated`` or the change log), latest change first."""
    changed = [b for b in briefs if b.last_modified > b.date]
    changed.sort(key=lambda b: (b.last_modified, b.slug), reverse=True)
    return tuple(changed[:limit])


def latest_change(briefs: tuple[Brief, ...]) -> Timestamp | None:
    """The latest change among ``briefs``: a listing page's date."""
    # by the fields Timestamp orders by: tuples compare in C, Timestamps in Python
    return max(
        (b.last_modified for b in briefs), key=lambda t: (t.moment, t.has_time), default=None
    )
