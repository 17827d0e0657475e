"""Site-wide collections of briefing data, gathered from the finished briefs: people,
organizations and places with their pages, storylines, the merged timeline, and per topic
the figures from key facts ("by the numbers")."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from briefgen.config.values import Config
from briefgen.model.briefing import PartialDate
from briefgen.model.diagnostics import Diagnostics
from briefgen.model.meta import EntityMeta
from briefgen.model.rendered import RenderedBody
from briefgen.model.site import Brief, Dated, Entity, Period, Site, Story, TopicFact
from briefgen.model.urls import entity_path, slugify, story_path


def entities(
    ordered: tuple[Brief, ...],
    kind: str,
    config: Config,
    described: Mapping[str, Described] | None = None,
) -> tuple[Entity, ...]:
    """Everyone (or every organization or place) the briefs name, by name, each with the
    briefs naming it, newest first. Names that slug alike are one entity, shown under the
    spelling most briefs use (``Querétaro`` and ``Queretaro`` are one page, ``queretaro``),
    unless its file in ``content/entities/`` gives a ``name``. ``described`` maps
    ``<kind>/<slug>`` to what that file says."""
    described = described or {}
    named: dict[str, list[Brief]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for brief in ordered:
        slugs = {}
        for name in getattr(brief, kind):
            slugs.setdefault(slugify(name), name)
        for slug, name in slugs.items():  # a brief counts once per entity
            named[slug].append(brief)
            spellings[slug][name] += 1
    out = []
    for slug, briefs in named.items():
        name = min(spellings[slug], key=lambda n: (-spellings[slug][n], n))
        path = entity_path(kind, slug)
        about = described.get(f"{kind}/{slug}")
        out.append(
            Entity(
                kind,
                slug,
                about.name or name if about else name,
                tuple(briefs),
                path,
                config.url(path),
                about.description if about else "",
                about.html if about else "",
                about.path if about else None,
            )
        )
    return tuple(sorted(out, key=lambda e: (e.name.casefold(), e.slug)))


def stories(ordered: tuple[Brief, ...], config: Config) -> tuple[Story, ...]:
    """Storylines: the briefs sharing a ``story:``, oldest first; titled as the newest brief
    writes the story's name."""
    members: dict[str, list[Brief]] = defaultdict(list)
    for brief in reversed(ordered):  # oldest first
        if brief.story:
            members[brief.story].append(brief)
    out = []
    for slug, briefs in members.items():
        path = story_path(slug)
        title = briefs[-1].story_title or slug.replace("-", " ").capitalize()
        out.append(Story(slug, title, tuple(briefs), path, config.url(path)))
    return tuple(sorted(out, key=lambda s: (s.title.casefold(), s.slug)))


@dataclass(frozen=True)
class Described:
    """What a file in ``content/entities/<kind>/`` says about one entity."""

    path: str
    name: str  # "" keeps the spelling the briefs use
    description: str
    html: str  # its body, rendered


def topic_numbers(briefs: Iterable[Brief]) -> tuple[TopicFact, ...]:
    """The key facts with a figure of ``briefs`` (newest first), in each brief's order."""
    return tuple(TopicFact(b, fact) for b in briefs for fact in b.key_facts if fact.figure)


def timeline_periods(briefs: Iterable[Brief]) -> tuple[Period, ...]:
    """Every timeline event of ``briefs``, merged, in date order (an event known only to the
    month or year before the days of that month or year; ties by brief date, then slug),
    grouped by month, or by year for events known only to the year."""
    entries = [Dated(b, event=e) for b in briefs for e in b.timeline]
    entries.sort(key=lambda d: (d.event.date, d.brief.date, d.brief.slug, d.event.event))  # type: ignore[union-attr]
    periods: dict[str, list[Dated]] = {}
    for entry in entries:
        when = entry.event.date  # type: ignore[union-attr]
        key = when.isoformat()[:7]
        periods.setdefault(key, []).append(entry)
    return tuple(
        Period(key, PartialDate(int(key[:4]), int(key[5:7] or 0)).human(), tuple(items))
        for key, items in periods.items()
    )


def described(
    metas: Iterable[EntityMeta], rendered: Mapping[str, RenderedBody]
) -> dict[str, Described]:
    """``<kind>/<slug>`` → what its entity file says, with its body rendered."""
    return {
        f"{m.kind}/{m.slug}": Described(m.path, m.name, m.description, rendered[m.path].body.html)
        for m in metas
    }


def check_described(files: Mapping[str, Described], site: Site, diags: Diagnostics) -> None:
    """An entity file that no published brief names is reported: its page does not exist."""
    named = {f"{kind}/{e.slug}" for kind, items in site.entities.items() for e in items}
    for key, about in files.items():
        if key not in named:
            kind, slug = key.split("/")
            diags.warning(
                about.path,
                1,
                1,
                f"no published brief names this entity ({kind}: {slug}); no page is made",
            )


# (kind, name) → the (text, page URL) pairs that link an entity's name in bodies
EntityURL = Callable[[str, str], tuple[tuple[str, str], ...]]


def entity_links(config: Config, files: list[EntityMeta]) -> EntityURL | None:
    """(kind, name) → the (text, page URL) pairs that link to the entity in bodies: its name
    and the aliases its file gives; None when bodies do not link entity names."""
    if not config.markdown.link_entities:
        return None
    return links_of_entities(config, {(f.kind, f.slug): f.aliases for f in files})


def links_of_entities(
    config: Config, aliases: Mapping[tuple[str, str], tuple[str, ...]]
) -> EntityURL:
    """:func:`entity_links` from each entity file's aliases, by (kind, slug)."""

    def links(kind: str, name: str) -> tuple[tuple[str, str], ...]:
        slug = slugify(name)
        url = config.url(entity_path(kind, slug))
        return tuple((text, url) for text in (name, *aliases.get((kind, slug), ())))

    return links
