"""The steps of stages read, select and markdown: the content read once, and each edition's
links and bodies."""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefgen.config.values import Config
from briefgen.model.diagnostics import Diagnostics
from briefgen.model.meta import BriefMeta, EntityMeta, TopicMeta
from briefgen.pipeline.cache import Cache

if TYPE_CHECKING:
    from briefgen.languages import Translations
    from briefgen.markdown.links import Resolver
    from briefgen.model.rendered import RenderedBody
    from briefgen.pictures import Assets
    from briefgen.pipeline.records import Index, Parsed
    from briefgen.pipeline.stages import Content, Progress

    # an edition's config, the briefs it selected, those it publishes (one per slug), its topics
    Chosen = tuple[Config, list[BriefMeta], list[BriefMeta], list[TopicMeta]]


def read_files(
    config: Config, index: Index, diags: Diagnostics, workers: int, progress: Progress | None
) -> tuple[list[BriefMeta], dict[str, Parsed], list[TopicMeta], list[EntityMeta]]:
    """Stage read, once for every edition: every brief validated, from the cache where the
    input is unchanged (dated by git with ``git_dates``), and every topic and entity file."""
    from briefgen.model.briefing import ENTITY_KINDS
    from briefgen.pipeline import hooks, prepare
    from briefgen.read import discover
    from briefgen.read.gitdates import last_commit_dates, with_git_dates

    fields = hooks.fields(config, diags)  # those plugins add
    all_briefs, parsed = prepare.parse_briefs(config.root, index, diags, workers, progress, fields)
    if config.git_dates:
        dates = last_commit_dates(config.root, discover.BRIEFS_DIR)
        all_briefs = with_git_dates(all_briefs, dates)
    codes = tuple(lang.code for lang in config.languages)
    topics = discover.load_topics(config.root, diags, codes)
    entities = discover.load_entities(config.root, ENTITY_KINDS, diags, codes)
    return all_briefs, parsed, topics, entities


def read_brief(config: Config, rel: str) -> tuple[Parsed, BriefMeta | None]:
    """One brief read as a build reads each (``serve``'s quick page): validated with the
    fields plugins add and, on a site with several languages, given the slug of the file it
    translates as :func:`select_editions <briefgen.pipeline.stages.select_editions>` does."""
    from briefgen.languages import own_slug
    from briefgen.pipeline import hooks, prepare

    entry, meta = prepare.read_one(config.root, rel, hooks.fields(config, Diagnostics()))
    if meta is not None and config.languages:
        meta = own_slug(meta, tuple(lang.code for lang in config.languages))
    return entry, meta


def link_targets(
    config: Config,
    chosen: list[Chosen],
    here: int,
    found: Translations,
    all_briefs: list[BriefMeta],
) -> dict[str, str]:
    """Where links to content files lead in the edition ``here`` of ``chosen`` (each edition's
    config, selected briefs, briefs by slug and topics): with several languages, to the
    translation in the edition's language where there is one."""
    from briefgen import languages
    from briefgen.assemble import site as assembly

    if config.languages:
        return languages.link_targets([(c, m, t) for c, _, m, t in chosen], here, found, all_briefs)
    _, _, metas, topics = chosen[here]
    return assembly.link_targets(metas, all_briefs, topics, config)


def resolver(
    targets: dict[str, str], unpublished: dict[str, str], assets: Assets, config: Config
) -> Resolver:
    """Where the links of an edition's bodies lead: ``targets``, the briefs it publishes
    by content path; ``unpublished``, why the others are left out."""
    from briefgen.markdown.links import Resolver

    table = config.markdown.shortcodes
    return Resolver(
        targets=targets,
        unpublished=unpublished,
        images=assets.resolve,
        site_host=config.site_host,
        files=assets.file,
        shortcodes=table.digest if table is not None else None,
    )


def bodies(
    content: Content,
    borrowed: frozenset[str],
    index: Index,
    store: Cache,
    diags: Diagnostics,
    workers: int,
    progress: Progress | None,
) -> dict[str, RenderedBody]:
    """The bodies of an edition's briefs, topics and entity files: every selected brief,
    duplicates too, so that their link errors are reported. A file the edition borrows
    from the default language had its problems reported there."""
    from briefgen.pipeline import prepare

    config = content.config
    own = [
        *content.selected,
        *(x for x in [*content.topics, *content.entities] if x.path not in borrowed),
    ]
    others = [x for x in [*content.topics, *content.entities] if x.path in borrowed]
    edition, wording = config.prefix, content.wording
    rendered = prepare.render_bodies(
        config.root,
        own,
        content.parsed,
        config.markdown,
        content.resolver,
        index,
        store,
        diags,
        workers,
        progress,
        content.entity_url,
        edition,
        wording,
    )
    if others:
        rendered.update(
            prepare.render_bodies(
                config.root,
                others,
                content.parsed,
                config.markdown,
                content.resolver,
                index,
                store,
                Diagnostics(),
                workers,
                None,
                content.entity_url,
                edition,
                wording,
            )
        )
    return rendered
