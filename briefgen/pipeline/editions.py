"""Stages read, assemble and plan for every language's edition: one edition for a site with
one language, one per language of ``languages:`` otherwise, the default language's first
(what an edition holds is :mod:`briefgen.languages`). The editions share the reading of the
content folder, the cache and the output; each has its own site model, pages and feeds, and
every page names its translations once all are planned. This module is the pipeline's side
of the languages: it runs the stages with the cache and the theme, and hands the languages
package what they made (its translation checks, the theme's words)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from briefgen import languages
from briefgen.config.values import Config
from briefgen.model.diagnostics import ContentError, Diagnostics
from briefgen.model.site import Site
from briefgen.pipeline import planning, stages
from briefgen.pipeline.cache import Cache
from briefgen.pipeline.pictures import picture_stage
from briefgen.plugins.types import PageWork
from briefgen.render.plan import listed as listed_pages
from briefgen.render.theme import Theme, check_templates

if TYPE_CHECKING:
    from briefgen.assemble.related import Remembered
    from briefgen.languages import Coverage, ThemeWords
    from briefgen.pipeline.run import Options
    from briefgen.pipeline.stages import Progress
    from briefgen.render.pages import PageRecord, PageResult
    from briefgen.write.writer import Writer


RELATED = "related.pickle"  # the related lists of the last build, by what they came from


@dataclass
class Editions:
    contents: list[stages.Content]
    sites: list[Site]
    plans: list[stages.Plan]
    stats: dict[str, int]
    coverage: tuple[Coverage, ...] = field(default=())  # by language
    work: PageWork = field(default_factory=PageWork)  # what plugins do with the pages
    # the briefs whose body plugins' hooks read, by the hook (render/watch.py)
    watched: dict[str, set[str]] = field(default_factory=dict)
    # what the files plugins add were made from: every page, and the paths already planned
    given: planning.Given = field(default_factory=planning.Given)

    def __iter__(self) -> Iterator[tuple[stages.Content, Site, stages.Plan]]:
        return iter(zip(self.contents, self.sites, self.plans, strict=True))

    def render(
        self,
        diags: Diagnostics,
        workers: int,
        progress: Progress | None,
        records: Mapping[str, PageRecord] | None = None,
        writer: Writer | None = None,
    ) -> list[PageResult]:
        """Stage render for every edition, in one pool of workers: the :class:`PageResult`
        of every page, in order."""
        return stages.render_all(
            [(p, s, c.config) for c, s, p in self],
            self.work.marks,
            diags,
            workers,
            progress,
            records,
            writer,
        )


def make_editions(
    config: Config, theme: Theme, store: Cache, diags: Diagnostics, workers: int, options: Options
) -> Editions:
    """Every edition read, assembled, checked and planned, with the briefs whose body the
    hooks plugins are handed the whole site in read (:mod:`briefgen.render.watch`). Raises
    ContentError on a template that is not UTF-8 text."""
    from briefgen.render.watch import WATCHED

    watched: dict[str, set[str]] = {}
    token = WATCHED.set(watched)
    try:
        editions = _make_editions(config, theme, store, diags, workers, options)
    finally:
        WATCHED.reset(token)
    editions.watched = watched
    return editions


def _make_editions(
    config: Config, theme: Theme, store: Cache, diags: Diagnostics, workers: int, options: Options
) -> Editions:
    from briefgen.assemble import publishing
    from briefgen.pipeline import page_hooks

    read = stages.read_content(config, store, diags, workers, options.progress)
    contents = stages.select_editions(config, theme, store, read, diags)
    contents = stages.render_markdown(contents, read, store, diags, workers, options.progress)
    sites: list[Site] = []
    remembered = _remembered(store)
    for content in contents:
        default = (contents[0], sites[0]) if sites else None
        site = stages.assemble_site(
            content.config, content, diags, options.stale, default, remembered
        )
        sites.append(site)
    if remembered.now.keys() != remembered.before.keys():
        store.save(RELATED, remembered.now)
    coverage: tuple[Coverage, ...] = ()
    if config.languages:
        coverage = _check_translations(config, contents, diags)
        _check_strings(theme, config, diags)
    if not check_templates(theme, config.root, diags):
        raise ContentError(diags)
    stats = {
        "briefs": sum(len(c.metas) for c in contents),
        "topics": len(sites[0].topics),
        **publishing.left_out(contents[0].unpublished.values()),
    }
    plans = [
        planning.plan_output(site, c.config, theme, c, store, options.pages, diags)
        for site, c in zip(sites, contents, strict=True)
    ]
    given = planning.Given()
    if options.pages:
        if len(plans) > 1:
            listed = planning.link_editions(plans, contents)
        else:
            listed = listed_pages(plans[0].jobs, config)
        given = planning.plugin_outputs(plans, sites, contents, listed, diags)
    if options.pages:
        made = picture_stage(contents, sites, plans, theme, store, diags, workers)
        stats.update(pictures_encoded=made.encoded, pictures_reused=made.reused)
    work = page_hooks.page_work(config, diags)
    return Editions(contents, sites, plans, stats, coverage, work, given=given)


def _remembered(store: Cache) -> Remembered:
    """The related lists of the last build, by what they were worked out from."""
    from briefgen.assemble.related import Remembered

    before = store.load(RELATED)
    return Remembered(before if isinstance(before, dict) else {})


def _check_translations(
    config: Config, contents: list[stages.Content], diags: Diagnostics
) -> tuple[Coverage, ...]:
    editions = [(c.config.language, c.metas, c.rendered) for c in contents]
    found = contents[0].translations
    return languages.check_translations(config.languages, editions, found, diags)


def _check_strings(theme: Theme, config: Config, diags: Diagnostics) -> None:
    """The theme's words each language lacks, once for the whole build."""
    from briefgen.render.theme import catalog

    tables = catalog(theme, config)
    languages.check_words(tables, config.languages, config.where("languages"), diags)


def theme_words(config: Config) -> tuple[ThemeWords, ...]:
    """``check --translations``: every language of the site, the default first, with the
    theme's table it reads and the theme's keys that neither that table nor the site's own
    ``i18n/<code>.yaml`` gives it. Read only when asked: a build needs none of it."""
    from briefgen.render.theme import catalog, find_theme

    tables = catalog(find_theme(config), config)
    return tuple(
        tables.words(c.language, c.edition.name if c.edition else None) for c in config.editions()
    )
