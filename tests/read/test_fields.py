"""The briefing fields of front matter: key facts with figures, timeline, change log,
entities, story, go-deeper links, source ids. Each problem at its file and line."""

from __future__ import annotations

import pytest
from test_frontmatter import PATH, VALID, check, text_of

from briefgen.model.briefing import KeyFact, Link, PartialDate, TimelineEvent

HEAD = tuple(f"{k}: {v}" for k, v in VALID.items())
SOURCES = (
    "sources:",
    "  - {id: pvdn, title: Drone flights, publisher: Puerto Vallarta Daily News,"
    " url: 'https://www.vallartadaily.com/'}",
    "  - {id: cnn, title: Flights over Mexico, url: 'https://www.cnn.com/'}",
)


def test_every_briefing_field_is_read() -> None:
    meta, messages = check(
        text_of(
            *HEAD,
            *SOURCES,
            "key_facts:",
            "  - Plain fact",
            "  - {figure: 229, label: migrants apprehended on February 4, source: pvdn}",
            "why_it_matters: The flights mark a new phase.",
            "whats_next: Mexico's Congress debates a response.",
            "go_deeper: [other.md, {link: 'https://example.org/report', title: Report}]",
            "story: Drones over Mexico",
            "people: [Claudia Sheinbaum, Tom Homan]",
            "organizations: [CIA, Sinaloa Cartel]",
            "places: [Querétaro, Culiacán]",
            "timeline:",
            "  - {date: 2025-02, event: Flights begin, source: cnn}",
            "  - {date: 2025-02-04, event: 229 apprehensions}",
            "  - {date: 2025, event: Designations}",
            "updates:",
            "  - {date: 2025-02-06, kind: update, note: Added the Senate reaction.}",
            "  - {date: 2025-02-08, kind: correction, note: 'The figure is 229, not 292.'}",
            "review_by: 2025-03-01",
        )
    )
    assert messages == [] and meta is not None
    assert meta.key_facts == (
        KeyFact("Plain fact"),
        KeyFact(
            "229 migrants apprehended on February 4",
            "229",
            "migrants apprehended on February 4",
            "pvdn",
        ),
    )
    s = meta.structure
    assert s.why_it_matters == "The flights mark a new phase."
    assert s.go_deeper == (Link("other.md"), Link("https://example.org/report", "Report"))
    assert s.story == "drones-over-mexico"
    assert s.places == ("Querétaro", "Culiacán")
    assert s.timeline[0] == TimelineEvent(PartialDate(2025, 2), "Flights begin", "cnn")
    assert [e.date.isoformat() for e in s.timeline] == ["2025-02", "2025-02-04", "2025"]
    assert [u.kind for u in s.updates] == ["correction", "update"]  # newest first
    assert str(s.review_by) == "2025-03-01"
    assert [src.id for src in meta.sources] == ["pvdn", "cnn"]


def test_partial_dates_sort_by_their_first_day_less_precise_first() -> None:
    dates = [
        PartialDate(2025, 2, 4),
        PartialDate(2025),
        PartialDate(2025, 2),
        PartialDate(2024, 12, 31),
    ]
    assert [d.isoformat() for d in sorted(dates)] == ["2024-12-31", "2025", "2025-02", "2025-02-04"]
    assert PartialDate(2025, 2).human() == "February 2025"


@pytest.mark.parametrize(
    ("lines", "line", "message"),
    [
        (
            ("timeline:", "  - {date: 2025-13, event: X}"),
            7,
            "'date' must be a date; invalid date '2025-13': expected YYYY, YYYY-MM or YYYY-MM-DD",
        ),
        (("timeline:", "  - {event: X}"), 7, "timeline entry 1 has no 'date'"),
        (
            ("timeline:", "  - {date: 2025, event: X, source: nyt}"),
            7,
            "unknown source 'nyt' (this brief's source ids: none; give a source an 'id')",
        ),
        (("key_facts:", "  - {figure: 229}"), 7, "missing required field 'label'"),
        (
            ("key_facts:", "  - {figure: 1, label: x, source: pvdn}"),
            7,
            "unknown source 'pvdn' (this brief's source ids: none; give a source an 'id')",
        ),
        (
            ("updates:", "  - {date: 2025-02-06, kind: retraction, note: X}"),
            7,
            "update kind 'retraction' is not one of update, correction, clarification",
        ),
        (("updates:", "  - {date: 2025-02-06, kind: update}"), 7, "missing required field 'note'"),
        (
            ("people: [Ana María, ana maria]",),
            6,
            "'ana maria' and 'Ana María' would share one page; use one name",
        ),
        (
            ("go_deeper: ['javascript:alert(1)']",),
            6,
            "URL scheme 'javascript:' is not allowed (use http or https): 'javascript:alert(1)'",
        ),
        (
            ("review_by: soon",),
            6,
            "'review_by' must be a date; invalid date 'soon': expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM",
        ),
        (
            ("sources:", "  - {id: a b, title: T, url: 'https://x.org/'}"),
            7,
            "source id 'a b' may hold only letters, digits, '_', '.' and '-'",
        ),
        (
            (
                "sources:",
                "  - {id: a, title: T, url: 'https://x.org/'}",
                "  - {id: a, title: U, url: 'https://y.org/'}",
            ),
            8,
            "source id 'a' is already used by source 1",
        ),
    ],
)
def test_each_mistake_is_reported_at_its_line(
    lines: tuple[str, ...], line: int, message: str
) -> None:
    meta, messages = check(text_of(*HEAD, *lines))
    assert meta is None
    assert any(
        m.startswith(f"{PATH}:{line}:") and m.endswith(f"error: {message}") for m in messages
    ), messages
