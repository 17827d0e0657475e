"""A series across briefs: key facts that name a ``series`` and a ``date`` are its points,
and every published brief's points of one series are drawn as one line chart on the page
of each topic the briefs share. A new brief with a point updates it.

Points are kept one a date: the same value twice is one point; two values for one date are
a warning naming both files, and the newer brief's value is drawn. A series that has one
point on every topic it is on is a warning (it makes no chart; the figure is still among
the topic's numbers); a series charted on one topic and a single point on another is not."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from briefgen.features.charts.base import Marks
from briefgen.features.charts.data import Table
from briefgen.features.charts.formats import Formats
from briefgen.features.charts.scale import nice_axis
from briefgen.features.charts.shortcode import drawn
from briefgen.model.briefing import PartialDate
from briefgen.model.site import Brief, Site
from briefgen.plugins import Problem


@dataclass(frozen=True)
class Point:
    date: PartialDate
    value: float
    brief: Brief
    line: int


def _points(briefs: tuple[Brief, ...]) -> dict[str, list[Point]]:
    """Every point of every series of ``briefs``, oldest brief first, by series."""
    found: dict[str, list[Point]] = {}
    for brief in reversed(briefs):  # briefs are newest first: a newer value wins
        for fact in brief.key_facts:
            if fact.series and fact.date and fact.value is not None:
                found.setdefault(fact.series, []).append(
                    Point(fact.date, fact.value, brief, fact.line)
                )
    return found


def _one_a_date(points: list[Point]) -> tuple[list[Point], list[tuple[Point, Point]]]:
    """The points, one a date (the newer brief's), sorted; and each pair that disagrees."""
    kept: dict[PartialDate, Point] = {}
    clashes = []
    for point in points:
        before = kept.get(point.date)
        if before is not None and before.value != point.value:
            clashes.append((before, point))
        kept[point.date] = point
    return [kept[d] for d in sorted(kept)], clashes


def series_of(site: Site) -> Iterator[tuple[str, str, list[Point], list[tuple[Point, Point]]]]:
    """(topic slug, series, its points, its clashes) for every series of every topic."""
    for topic in site.topics:
        for name, points in sorted(_points(topic.briefs).items()):
            kept, clashes = _one_a_date(points)
            yield topic.slug, name, kept, clashes


def problems(site: Site) -> Iterator[Problem]:
    seen = set()
    most: dict[str, list[Point]] = {}  # series → its points on the topic that has the most
    for _, name, kept, clashes in series_of(site):
        if len(kept) > len(most.get(name, [])):
            most[name] = kept
        for a, b in clashes:
            if (a.brief.source_path, b.brief.source_path, a.date) in seen:
                continue  # one warning a cause, not one a topic that shares it
            seen.add((a.brief.source_path, b.brief.source_path, a.date))
            yield Problem(
                b.brief.source_path,
                f"series {name!r} has two values for {a.date.isoformat()}: {_plain(b.value)} "
                f"here and {_plain(a.value)} in {a.brief.source_path}:{a.line}; the newer is drawn",
                "warning",
                b.line,
                1,
            )
    for name, kept in sorted(most.items()):
        if len(kept) == 1:  # on no topic does the series make a chart
            only = kept[0]
            yield Problem(
                only.brief.source_path,
                f"series {name!r} has one point: it makes no chart until another brief on one "
                "of this brief's topics gives a second",
                "warning",
                only.line,
                1,
            )


def _plain(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def charts(
    site: Site, language: str
) -> Mapping[str, tuple[Mapping[str, Any], ...]]:  # Any: the template's
    """Topic slug → the charts of its series, as the topic template draws them."""
    out: dict[str, list[Mapping[str, Any]]] = {}
    formats = Formats(language)
    for slug, name, kept, _ in series_of(site):
        if len(kept) > 1:
            out.setdefault(slug, []).append(_chart(slug, name, kept, formats))
    return {slug: tuple(found) for slug, found in out.items()}


def _chart(
    slug: str, name: str, kept: list[Point], formats: Formats
) -> Mapping[str, Any]:  # Any: the template's
    table = Table(
        "date",
        tuple(p.date.isoformat() for p in kept),
        tuple(p.date for p in kept),
        (name,),
        (tuple(p.value for p in kept),),
        tuple(p.line for p in kept),
    )
    ident = "series-" + hashlib.sha256(f"{slug}:{name}".encode()).hexdigest()[:8]
    title = name[:1].upper() + name[1:]
    axis = nice_axis([p.value for p in kept])
    return {
        **drawn("line", table, axis, formats, Marks(), ident, title),
        "name": title,
        "rows": tuple(
            (formats.date(p.date, short=False), formats.number(p.value), p.brief) for p in kept
        ),
        "file": f"{slug}-{name}.csv",
    }
