"""Validated metadata and rendered bodies → the site model: briefs as templates see them,
unique slugs, link targets, topics with their briefs, orders, archive months and
previous/next links. Reports problems; writes nothing."""

from __future__ import annotations

import dataclasses
import difflib
import operator
import posixpath
from collections import defaultdict
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from briefgen.assemble.gather import Described, entities, stories, timeline_periods, topic_numbers
from briefgen.assemble.related import Remembered, related_briefs
from briefgen.config.values import Config, MarkdownConfig
from briefgen.model.briefing import ENTITY_KINDS, Structure
from briefgen.model.diagnostics import Diagnostics
from briefgen.model.meta import BriefMeta, TopicMeta
from briefgen.model.rendered import RenderedBody, file_names
from briefgen.model.site import Brief, Dated, Heading, Month, Neighbours, Site, Topic
from briefgen.model.urls import MAX_SLUG, brief_path, slug_was_shortened, topic_path
from briefgen.pictures import Shown


def unique_slugs(metas: list[BriefMeta], diags: Diagnostics) -> list[BriefMeta]:
    """Report briefs whose slugs collide (naming both files); keep the first of each slug."""
    first: dict[str, BriefMeta] = {}
    for meta in metas:
        other = first.setdefault(meta.slug, meta)
        if other is not meta:
            line, col = meta.slug_line
            stem = posixpath.splitext(posixpath.basename(meta.path))[0]
            cut = (
                f" (made from the file name and shortened to {MAX_SLUG} characters)"
                if meta.slug_line == (1, 1) and slug_was_shortened(stem)
                else ""
            )
            diags.error(
                meta.path,
                line,
                col,
                f"slug {meta.slug!r}{cut} is already used by {other.path}; set a different 'slug:'",
            )
    return list(first.values())


def link_targets(
    metas: list[BriefMeta], all_metas: list[BriefMeta], topics: list[TopicMeta], config: Config
) -> dict[str, str]:
    """Content path → page URL for everything a brief may link to with a ``.md`` path."""
    targets = {m.path: config.url(brief_path(m.slug)) for m in metas}
    targets.update({t.path: config.url(topic_path(t.slug)) for t in topics})
    targets.update(file_names(m.path for m in all_metas))
    return targets


# a brief's structure (stories, timeline, entities…) is copied field by field into the Brief
_STRUCTURE = tuple(f.name for f in dataclasses.fields(Structure))
_structure_values = operator.attrgetter(*_STRUCTURE)


def make_brief(
    meta: BriefMeta,
    config: Config,
    rendered: RenderedBody,
    meta_digest: str = "",
    picture: Shown | None = None,
) -> Brief:
    """The brief as templates see it, from its metadata and its rendered body
    (:class:`~briefgen.model.rendered.RenderedBody`). ``meta_digest`` names ``meta`` as it was read;
    with what this build adds (a commit date, the clock) it fingerprints the metadata."""
    path = brief_path(meta.slug)
    review = meta.structure.review_by
    outdated = review is not None and review.moment <= config.now
    md = config.markdown
    toc = tuple(h for h in rendered.headings if 2 <= h.level <= md.toc_levels)
    return Brief(
        source_path=meta.path,
        slug=meta.slug,
        title=meta.title,
        date=meta.date,
        summary=meta.summary,
        topics=meta.topics,
        body=rendered.body,
        updated=meta.updated,
        tags=meta.tags,
        sources=meta.sources,
        key_facts=meta.key_facts,
        citations=tuple(rendered.cited.count(n) for n in range(1, len(meta.sources) + 1)),
        **dict(zip(_STRUCTURE, _structure_values(meta.structure), strict=True)),
        draft=meta.draft,
        scheduled=meta.date.moment > config.now,
        expires=meta.expires,
        toc=toc,
        show_toc=shows_toc(meta, rendered, md, toc),
        word_count=rendered.words,
        params=meta.params,
        path=path,
        url=config.url(path),
        permalink=config.permalink(path),
        outdated=outdated,
        language=config.language if config.languages else "",
        picture=picture,
        fingerprint=f"{meta_digest}|{meta.updated!r}|{meta.date.moment > config.now}|{outdated}"
        if meta_digest
        else "",
    )


def shows_toc(
    meta: BriefMeta, rendered: RenderedBody, md: MarkdownConfig, toc: tuple[Heading, ...]
) -> bool:
    """Whether the brief's page shows its table of contents: as its front matter says, else
    as the settings do, or when the body is long enough and has two headings for it."""
    if meta.toc is not None:
        return meta.toc
    long_enough = bool(md.toc_min_words) and rendered.words >= md.toc_min_words and len(toc) >= 2
    return md.toc or long_enough


def check_anchors(
    rendered: Mapping[str, RenderedBody],
    diags: Diagnostics,
    targets: Mapping[str, RenderedBody] | None = None,
) -> None:
    """A link to ``other.md#section`` must name a heading that exists in the other brief
    (in ``targets`` when given: where each file's links lead, a translation perhaps)."""
    targets = rendered if targets is None else targets
    for result in rendered.values():
        for link in result.links:
            target = targets.get(link.target)
            if not link.anchor or target is None:
                continue
            ids = {h.id for h in target.headings}
            if link.anchor not in ids:
                hint = difflib.get_close_matches(link.anchor, sorted(ids), n=1)
                extra = f"; did you mean '#{hint[0]}'?" if hint else ""
                diags.error(
                    link.source,
                    link.line,
                    link.col,
                    f"{link.target} has no heading with id '#{link.anchor}'{extra}",
                )


def newest_first(briefs: Iterable[Brief]) -> tuple[Brief, ...]:
    """Newest first; briefs of the same moment in slug order, so output never depends on disk order."""
    by_slug = sorted(briefs, key=lambda b: b.slug)
    # by the fields Timestamp orders by: tuples compare in C, Timestamps in Python
    return tuple(sorted(by_slug, key=lambda b: (b.date.moment, b.date.has_time), reverse=True))


def assemble(
    config: Config,
    briefs: list[Brief],
    metas: Mapping[str, BriefMeta],
    topic_metas: list[TopicMeta],
    intros: Mapping[str, str],
    diags: Diagnostics,
    entity_files: Mapping[str, Described] | None = None,
    remembered: Remembered | None = None,
) -> Site:
    """The site model; ``intros`` maps each topic file to its rendered introduction and
    ``entity_files`` each ``<kind>/<slug>`` to its entity file; ``remembered``: related
    lists worked out before (:class:`~briefgen.assemble.related.Remembered`)."""
    ordered = newest_first(briefs)
    described = {t.slug: t for t in topic_metas}
    members: dict[str, list[Brief]] = defaultdict(list)
    for brief in ordered:
        for slug in brief.topics:
            members[slug].append(brief)

    _warn_undescribed(members, described, metas, diags)
    topics = _topics(members, described, intros, config)
    by_slug = {t.slug: t for t in topics}
    neighbours = _neighbours(ordered, topics, by_slug)
    return Site(
        briefs=ordered,
        topics=tuple(topics),
        months=_months(ordered),
        neighbours=MappingProxyType(neighbours),
        related=MappingProxyType(related_briefs(ordered, config.related, remembered)),
        topics_by_slug=MappingProxyType(by_slug),
        briefs_by_slug=MappingProxyType({b.slug: b for b in ordered}),
        timeline=timeline_periods(ordered),
        stories=stories(ordered, config),
        entities=MappingProxyType(
            {kind: entities(ordered, kind, config, entity_files) for kind in ENTITY_KINDS}
        ),
        corrections=tuple(
            sorted(
                (Dated(b, update=u) for b in ordered for u in b.updates if u.kind == "correction"),
                key=lambda d: (d.update.date, d.brief.slug) if d.update else None,  # type: ignore[arg-type,return-value]
                reverse=True,
            )
        ),
    )


def _warn_undescribed(
    members: Mapping[str, list[Brief]],
    described: Mapping[str, TopicMeta],
    metas: Mapping[str, BriefMeta],
    diags: Diagnostics,
) -> None:
    """One warning per topic that briefs name but no file describes."""
    for slug in sorted(set(members) - set(described)):
        # one cause, one warning: at the first brief (by path) that uses the topic
        users = sorted(brief.source_path for brief in members[slug])
        meta = metas[users[0]]
        line, col = meta.topic_lines[meta.topics.index(slug)]
        close = difflib.get_close_matches(slug, sorted(described), n=1, cutoff=0.75)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        count = f" ({len(users):,} briefs use it; this is the first)" if len(users) > 1 else ""
        diags.warning(
            meta.path,
            line,
            col,
            f"topic {slug!r} has no file content/topics/{slug}.md; its title is made from the slug{hint}{count}",
            kind="topic-file",
        )


def _topics(
    members: Mapping[str, list[Brief]],
    described: Mapping[str, TopicMeta],
    intros: Mapping[str, str],
    config: Config,
) -> list[Topic]:
    """Every topic a brief names or a file describes, by title: a topic page's data."""
    topics = []
    for slug in sorted(set(members) | set(described)):
        meta = described.get(slug)
        path = topic_path(slug)
        topics.append(
            Topic(
                slug=slug,
                title=meta.title if meta else slug.replace("-", " ").capitalize(),
                description=meta.description if meta else "",
                intro_html=intros.get(meta.path, "") if meta else "",
                described=meta is not None,
                source_path=meta.path if meta else None,
                briefs=tuple(members.get(slug, ())),
                numbers=topic_numbers(members.get(slug, ())),
                timeline=timeline_periods(members.get(slug, ())),
                params=meta.params if meta else MappingProxyType({}),
                path=path,
                url=config.url(path),
                permalink=config.permalink(path),
            )
        )
    topics.sort(key=lambda t: (t.title.casefold(), t.slug))

    return topics


def _neighbours(
    ordered: tuple[Brief, ...], topics: list[Topic], by_slug: Mapping[str, Topic]
) -> dict[str, Neighbours]:
    """Previous and next brief of each brief, within its first topic."""
    neighbours = {}
    # positions by identity: comparing frozen dataclasses field by field is quadratic here
    position = {t.slug: {id(b): i for i, b in enumerate(t.briefs)} for t in topics}
    for brief in ordered:
        topic = by_slug[brief.topics[0]]
        index = position[topic.slug][id(brief)]
        neighbours[brief.slug] = Neighbours(
            previous=topic.briefs[index + 1] if index + 1 < len(topic.briefs) else None,
            next=topic.briefs[index - 1] if index > 0 else None,
            topic=topic,
        )

    return neighbours


def _months(ordered: tuple[Brief, ...]) -> tuple[Month, ...]:
    groups: dict[tuple[int, int], list[Brief]] = defaultdict(list)
    for brief in ordered:
        groups[(brief.date.day.year, brief.date.day.month)].append(brief)
    return tuple(Month(y, m, tuple(groups[(y, m)])) for (y, m) in sorted(groups, reverse=True))
