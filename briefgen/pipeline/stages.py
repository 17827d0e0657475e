"""The stages of a build, one function each, in the order :func:`briefgen.pipeline.build.build`
runs them. Each takes values and returns values, and adds its problems to the one collector
of the run, so that a single run reports every problem of every file.

    read      content files → validated metadata            (briefgen.read)
    select    each edition's published briefs and links      (briefgen.assemble)
    markdown  bodies → HTML, links resolved                  (briefgen.markdown)
    assemble  metadata and bodies → the site model, checked  (briefgen.assemble)
    plan      the model → the pages and files of the output  (briefgen.render.plan)
    render    pages rendered through the theme               (briefgen.render.pages)
    write     changed files moved into the output            (briefgen.write)

The heavy modules are imported inside the stages: a build with nothing to do never loads them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefgen.config.values import Config
from briefgen.model.diagnostics import Diagnostics
from briefgen.model.meta import BriefMeta, EntityMeta, TopicMeta
from briefgen.model.rendered import Wording
from briefgen.model.site import Site
from briefgen.pipeline import reading
from briefgen.pipeline.cache import Cache
from briefgen.pipeline.pictures import PROBES
from briefgen.render.theme import Theme

if TYPE_CHECKING:
    import datetime as dt

    from briefgen.assemble.gather import EntityURL
    from briefgen.assemble.related import Remembered
    from briefgen.languages import Strings, Translations
    from briefgen.markdown.links import Resolver
    from briefgen.model.output import Output, PageJob
    from briefgen.model.rendered import RenderedBody
    from briefgen.pictures import Assets
    from briefgen.pipeline.records import Index, Parsed
    from briefgen.render.pages import PageRecord, PageResult
    from briefgen.render.trace import TracingEnvironment
    from briefgen.write.writer import Writer

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True, kw_only=True)
class Content:
    """What reading and rendering the Markdown hand on to assembling, for one language's
    edition."""

    config: Config  # the edition's: the site's own, or one language's
    all_briefs: list[BriefMeta]  # every brief that validated, published or not
    metas: list[BriefMeta]  # the briefs this build publishes, one per slug
    selected: list[BriefMeta]  # the briefs this build publishes, duplicate slugs too
    topics: list[TopicMeta]
    entities: list[EntityMeta]
    parsed: dict[str, Parsed]
    unpublished: dict[str, str]  # content path → why this build leaves it out
    resolver: Resolver
    assets: Assets
    translations: Translations  # of every brief, in every language
    borrowed: frozenset[str] = frozenset()  # topic and entity files of the default language
    entity_url: EntityURL | None = None  # None when bodies do not link entity names
    strings: Strings | None = None  # the theme's words in the edition's language
    rendered: dict[str, RenderedBody] = dataclasses.field(default_factory=dict)  # by content path

    @property
    def wording(self) -> Wording:
        """What bodies write in the edition's language: a citation's aria-label, and the
        theme words of the shortcodes."""
        if self.strings is None:
            return Wording(language=self.config.language)
        table = self.config.markdown.shortcodes
        keys = table.words() if table is not None else ()
        words = tuple((key, self.strings.raw(key)) for key in keys)
        return Wording(self.strings.raw("brief.citation"), self.config.language, words)


@dataclass
class Plan:
    """What rendering needs: the page jobs, the other files, the template environment and
    the key under which page records are valid."""

    jobs: list[PageJob]
    extras: list[Output]
    env: TracingEnvironment
    scope: str
    keep: list[object] = dataclasses.field(default_factory=list)  # what its files need alive


@dataclass(frozen=True)
class Read:
    """What stage read hands on, once for every edition: every brief that validated, the
    parse of each (its body, from the cache where the file is unchanged), the topic and
    entity files, and the cache's index of what was read."""

    all_briefs: list[BriefMeta]
    parsed: dict[str, Parsed]
    topics: list[TopicMeta]
    entities: list[EntityMeta]
    index: Index


def read_content(
    config: Config, store: Cache, diags: Diagnostics, workers: int, progress: Progress | None
) -> Read:
    """Stage read: every content file read once and validated, from the cache where the
    input is unchanged (plugins' front matter fields checked with briefgen's own)."""
    from briefgen.pipeline import prepare

    index = prepare.load_index(store)
    all_briefs, parsed, topics, entities = reading.read_files(
        config, index, diags, workers, progress
    )
    return Read(all_briefs, parsed, topics, entities, index)


def select_editions(
    config: Config, theme: Theme, store: Cache, read: Read, diags: Diagnostics
) -> list[Content]:
    """The first step of assembling: each language's edition of what was read, with the
    briefs it publishes (one per slug, a collision reported), where its links lead, the
    pictures the site has and the theme's words in its language. One Content per edition,
    the default language's first (one in all for a site with one language); their bodies
    are rendered by :func:`render_markdown`."""
    from briefgen import languages
    from briefgen.assemble import gather, publishing
    from briefgen.assemble import site as assembly
    from briefgen.pictures import Assets
    from briefgen.render.theme import catalog

    all_briefs = read.all_briefs
    found = languages.of_briefs(config, all_briefs)
    parts = languages.split(config, all_briefs, read.topics, read.entities, found)
    tables = catalog(theme, config)  # every edition's words, read once for the whole build
    assets = Assets(config.root, theme.static_dirs, config.url, config.images, store.load(PROBES))
    unpublished = publishing.unpublished_targets(all_briefs, config)
    chosen = []
    for part in parts:
        selected = publishing.select(part.briefs, part.config)
        chosen.append((part.config, selected, assembly.unique_slugs(selected, diags), part.topics))
    contents = []
    for here, (part, (edition, selected, metas, _)) in enumerate(zip(parts, chosen, strict=True)):
        targets = reading.link_targets(config, chosen, here, found, all_briefs)
        contents.append(
            Content(
                config=edition,
                all_briefs=part.briefs,
                metas=metas,
                selected=selected,
                topics=part.topics,
                entities=part.entities,
                parsed=read.parsed,
                unpublished=unpublished,
                resolver=reading.resolver(targets, unpublished, assets, config),
                assets=assets,
                translations=found,
                borrowed=part.borrowed,
                entity_url=gather.entity_links(edition, part.entities),
                strings=tables.strings(edition.language, config.default_language),
            )
        )
    return contents


def render_markdown(
    contents: list[Content],
    read: Read,
    store: Cache,
    diags: Diagnostics,
    workers: int,
    progress: Progress | None,
) -> list[Content]:
    """Stage markdown: every edition's bodies rendered, from the cache where the input is
    unchanged; the cache's index of what was read and rendered saved."""
    from briefgen.markdown import renderer
    from briefgen.pipeline import prepare

    # plugins' rules join the parser here, not in a worker: a failing plugin is reported once
    if contents and contents[0].config.markdown.extend is not None:
        renderer.make_parser(contents[0].config.markdown)
    done = []
    for content in contents:
        rendered = reading.bodies(
            content, content.borrowed, read.index, store, diags, workers, progress
        )
        done.append(dataclasses.replace(content, rendered=rendered))
    read.index.parsed = read.parsed
    prepare.save_index(store, read.index)
    return done


def assemble_site(
    config: Config,
    content: Content,
    diags: Diagnostics,
    stale: dt.timedelta | None,
    default: tuple[Content, Site] | None = None,
    remembered: Remembered | None = None,
) -> Site:
    """Stage assemble: the site model, and the desk's checks on it (anchors, sources, word
    budgets, go-deeper links, described entities, stale briefs with ``check --stale``).
    ``default`` is the default language's (Content, Site) when this is another language's
    edition: a language with ``fallback`` lists that edition's briefs it has none of.
    ``remembered``: the related lists of earlier builds, from the cache."""
    from briefgen import languages
    from briefgen.assemble import editorial, gather
    from briefgen.assemble import site as assembly
    from briefgen.assemble.briefs import make_briefs
    from briefgen.pipeline import hooks

    rendered = content.rendered
    mine = {m.path: rendered[m.path] for m in content.selected}
    targets = dict(mine)
    if config.languages:  # a link to another brief's file leads to its translation, if any
        found = content.translations
        for path in list(found.group):
            other = found.translation(path, config.language)
            if other in mine and path not in mine:
                targets[path] = mine[other]
    assembly.check_anchors(mine, diags, targets)
    editorial.check_all(content.selected, rendered, config, diags)
    titles = {m.path: m.title for m in content.metas}
    digests = {
        m.path: getattr(content.parsed.get(m.path), "meta_digest", "") for m in content.metas
    }
    metas, briefs = make_briefs(
        content.metas, config, rendered, digests, content.resolver, titles, diags
    )
    by_path = {m.path: m for m in metas}
    checked = diags
    if default is not None:  # what the default edition reported is not reported again
        checked = Diagnostics()
        briefs = languages.behind(config, content.translations, default[1], briefs)
        briefs.extend(languages.fallback(config, content.translations, default[1]))
        by_path.update({m.path: m for m in default[0].metas if m.path not in by_path})
    described = gather.described(content.entities, rendered)
    intros = {t.path: rendered[t.path].body.html for t in content.topics}
    site = assembly.assemble(
        config, briefs, by_path, content.topics, intros, checked, described, remembered
    )
    site = hooks.site_extras(site, config, diags)  # plugins' additions to the model
    hooks.checks(site, config, diags)  # and their checks of it
    own = {k: v for k, v in described.items() if v.path not in content.borrowed}
    gather.check_described(own, site, diags)
    if stale is not None:
        found = Diagnostics()
        editorial.check_stale(site, by_path, config.now, stale, found)
        mine = {m.path for m in metas}
        diags.extend([d for d in found.items if default is None or d.path in mine])
    return site


def render_all(
    editions: list[tuple[Plan, Site, Config]],
    marks: tuple[bytes, ...],
    diags: Diagnostics,
    workers: int,
    progress: Progress | None,
    records: Mapping[str, PageRecord] | None = None,
    writer: Writer | None = None,
) -> list[PageResult]:
    """Stage render for the pages of every edition at once, each page's record noting which
    of ``marks`` it holds."""
    from briefgen.render.pages import Group, render_groups

    groups = [
        Group(plan.jobs, site, config, plan.env, plan.scope, marks)
        for plan, site, config in editions
    ]
    if writer is None:
        return render_groups(groups, {}, {}, None, diags, workers, progress)
    results = render_groups(
        groups, records or {}, writer.known, writer.stage, diags, workers, progress
    )
    writer.staged_elsewhere(r.file for r in results if r.staged)
    return results


def check_links(
    contents: list[Content],
    files: Iterable[str],
    later: tuple[str, ...],
    config: Config,
    diags: Diagnostics,
) -> None:
    """Links into the site by URL must lead to a file this build writes (a file rendered
    for several languages is checked once, as its own language rendered it); ``later``:
    folders plugins fill after this check, into which every link is taken as good."""
    from briefgen.render.sitelinks import check_body_links

    rendered: dict[str, RenderedBody] = {}
    for content in reversed(contents):
        rendered.update(content.rendered)
    check_body_links(rendered, files, config, later, diags)
