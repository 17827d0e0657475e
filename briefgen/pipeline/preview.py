"""The first look at an edit in ``briefgen serve``: when a save changed one published brief,
its page is rendered at once from the new text against the last build's site model, and
served until the build that follows (seconds on a large site) has written the whole site.

What the quick page may show out of date until then is what other briefs say about this
one: its related briefs, its neighbours and its story are those of the last build. Anything
that would change what the build publishes, or that the build would report, gets no quick
page: an error in the file, a new slug, a brief turned into a draft, a body with a broken
link. The build then decides alone, as it always does.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from briefgen.config.values import Config
from briefgen.model.diagnostics import Diagnostic, Diagnostics
from briefgen.model.rendered import Wording
from briefgen.model.site import Brief, Site

if TYPE_CHECKING:
    from briefgen.assemble.gather import EntityURL
    from briefgen.markdown.links import Resolver
    from briefgen.pipeline.editions import Editions
    from briefgen.render.trace import TracingEnvironment


@dataclass(frozen=True)
class Preview:
    """What a written build keeps for quick pages: its settings, site model, template
    environment and link resolver."""

    config: Config
    site: Site
    env: TracingEnvironment
    resolver: Resolver
    entity_url: EntityURL | None = None
    # on a site with several languages: what each brief page's context has besides its own
    # (its translations, the switcher), by content path
    extra: Mapping[str, Mapping[str, Any]] | None = None  # Any: what a template's context holds
    wording: Wording = Wording()  # what bodies write in the edition's language

    def warm(self) -> None:
        """Load now what a quick page needs, so that the first one does not wait for it: a
        build that rendered on several processes left the Markdown parser and the brief
        template unloaded in this one (half a second at 10,000 briefs)."""
        from briefgen.markdown.renderer import make_parser

        try:
            make_parser(self.config.markdown)
            self.env.get_template("brief.html")
        except Exception:  # noqa: BLE001 - a theme without it: no quick pages, as before
            pass

    def page(self, rel: str) -> tuple[str, bytes] | None:
        """The output file and bytes of the brief at ``rel`` (a content path) as it reads
        now, or None when a quick page would not be what the build makes of it."""
        try:
            return self._page(rel)
        except Exception:  # noqa: BLE001 - whatever went wrong, the build reports it
            return None

    def _page(self, rel: str) -> tuple[str, bytes] | None:
        """The build's own steps for one brief (:func:`~briefgen.pipeline.reading.read_brief`,
        :func:`~briefgen.pipeline.prepare.render_one`, :func:`~briefgen.assemble.briefs.make_briefs`,
        :func:`~briefgen.render.plan.brief_page`, :func:`~briefgen.render.pages.render_one`),
        against the last build's site model."""
        from briefgen.assemble import publishing
        from briefgen.assemble.briefs import make_briefs
        from briefgen.pipeline import prepare, reading
        from briefgen.render.pages import render_one
        from briefgen.render.plan import brief_page

        config, site = self.config, self.site
        old = _published(site, rel)
        if old is None:
            return None
        entry, meta = reading.read_brief(config, rel)
        if meta is None or _errors(entry.problems) or meta.slug != old.slug:
            return None
        if not publishing.select([meta], config):
            return None
        if config.git_dates and meta.updated is None:
            meta = dataclasses.replace(meta, updated=old.updated)
        rendered = prepare.render_one(
            meta, config.markdown, self.resolver, self.entity_url, self.wording
        )
        if _errors(rendered.problems):
            return None
        diags = Diagnostics()
        titles = {b.source_path: b.title for b in site.briefs}
        digests = {rel: entry.meta_digest}
        _, briefs = make_briefs(
            [meta], config, {rel: rendered}, digests, self.resolver, titles, diags
        )
        if diags.has_errors(False):
            return None
        job = brief_page(site, briefs[0])
        if config.languages:
            job = dataclasses.replace(
                job,
                prefix=config.prefix,
                context={**job.context, **(self.extra or {}).get(rel, {})},
            )
        return job.file, render_one(job, site, config, self.env)


@dataclass(frozen=True)
class Previews:
    """The quick pages of a site with several languages: each edition's :class:`Preview`,
    the default language's first; a brief's page is its own language's."""

    editions: tuple[Preview, ...]

    def warm(self) -> None:
        for preview in self.editions:
            preview.warm()

    def page(self, rel: str) -> tuple[str, bytes] | None:
        for preview in self.editions:
            mine = _published(preview.site, rel)
            if mine is not None and mine.language == preview.config.language:
                return preview.page(rel)
        return None


def _published(site: Site, rel: str) -> Brief | None:
    return next((b for b in site.briefs if b.source_path == rel), None)


def _errors(problems: Iterable[Diagnostic]) -> bool:
    return Diagnostics(list(problems)).has_errors()


def for_editions(editions: Editions) -> Preview | Previews:
    """What ``serve`` needs for quick pages of the next edit, in every language, from a
    written build's :class:`~briefgen.pipeline.editions.Editions`."""
    from briefgen.languages import EDITION_KEYS

    previews = []
    for content, site, plan in editions:
        extra = {
            job.context["brief"].source_path: {k: job.context[k] for k in EDITION_KEYS}
            for job in plan.jobs
            if job.kind == "brief" and "languages" in job.context
        }
        previews.append(
            Preview(
                config=content.config,
                site=site,
                env=plan.env,
                resolver=content.resolver,
                entity_url=content.entity_url,
                extra=extra or None,
                wording=content.wording,
            )
        )
    return previews[0] if len(previews) == 1 else Previews(tuple(previews))
