"""Site model → the plan of the output: every page to render (template, path, context) in a
fixed order, and the theme's static files; feeds, the sitemap and the search page come from
their features (``briefgen/features/``). Renders nothing (:mod:`briefgen.render.pages` does)
and writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefgen.config.values import Config
from briefgen.model.dates import Timestamp
from briefgen.model.output import Output, PageJob
from briefgen.model.site import Brief, Site
from briefgen.model.urls import (
    ARCHIVE_PATH,
    CORRECTIONS_PATH,
    HOME_PATH,
    NOT_FOUND_FILE,
    TIMELINE_PATH,
    TOPICS_PATH,
    entity_path,
    topic_path,
)
from briefgen.plugins.types import Listed
from briefgen.render.listings import latest_change, paginate, recently_updated
from briefgen.render.theme import Theme, find_theme, load_strings

if TYPE_CHECKING:
    from briefgen.languages import Strings


@dataclass(frozen=True)
class Page:
    """What every template gets as ``page``: the page's own title, description and address."""

    kind: str  # home, brief, topics, topic, archive, 404
    title: str
    description: str
    path: str
    url: str
    permalink: str


def plan_pages(site: Site, config: Config, strings: Strings | None = None) -> list[PageJob]:
    """Every page of the site, in a fixed order: home, briefs, topics, archive, entities,
    stories, timeline, corrections, 404 (plugins add theirs: the search page).
    Titles and descriptions are in ``strings``' language (by default, the site theme's
    strings for ``config.language``)."""
    text = (strings or load_strings(find_theme(config), config)).text
    site_title = config.title
    jobs: list[PageJob] = []
    page = _adder(jobs)
    latest = latest_change(site.briefs)
    _home_page(site, config, page, latest)
    # a language with ``fallback`` lists the default language's briefs it lacks; their
    # pages are the default language's
    mine = (
        tuple(b for b in site.briefs if b.language == config.language) if config.languages else None
    )
    _brief_pages(site, page, mine)
    _topic_pages(site, config, page, latest, text)
    page(
        "archive.html",
        "archive",
        text("page.archive"),
        text("about.archive", site=site_title),
        ARCHIVE_PATH,
        latest,
        months=site.months,
    )
    _entity_pages(site, config, page, latest, text)
    _story_pages(site, page, text)
    page(
        "timeline.html",
        "timeline",
        text("page.timeline"),
        text("about.timeline", site=site_title),
        TIMELINE_PATH,
        latest,
        periods=site.timeline,
    )
    _corrections_page(site, config, page, text)
    page("404.html", "404", text("page.not_found"), text("about.not_found"), NOT_FOUND_FILE, None)
    return jobs


_Page = Callable[..., None]  # page(template, kind, title, description, path, lastmod, **context)


def _adder(jobs: list[PageJob]) -> _Page:
    """A ``page(...)`` that appends its job to ``jobs``."""

    def page(
        template: str,
        kind: str,
        title: str,
        description: str,
        path: str,
        lastmod: Timestamp | None,
        **context: Any,  # Any: what the template gets
    ) -> None:
        jobs.append(PageJob(template, kind, title, description, path, lastmod, context))

    return page


def _home_page(site: Site, config: Config, page: _Page, latest: Timestamp | None) -> None:
    page(
        "home.html",
        "home",
        config.title,
        config.description or config.title,
        HOME_PATH,
        latest,
        briefs=site.briefs[: config.per_page],
        topics=site.topics,
        recently_updated=recently_updated(site.briefs, config.per_page),
    )


def brief_page(site: Site, brief: Brief) -> PageJob:
    """The page of one brief, which may be a newer version of one of ``site``'s (same source
    and slug): what ``briefgen serve`` shows of an edit before the site is built again."""
    jobs: list[PageJob] = []
    _brief_pages(site, _adder(jobs), (brief,))
    return jobs[0]


def _brief_pages(site: Site, page: _Page, briefs: tuple[Brief, ...] | None = None) -> None:
    in_story = {
        b.source_path: (story, i) for story in site.stories for i, b in enumerate(story.briefs)
    }
    for brief in site.briefs if briefs is None else briefs:
        story, i = in_story.get(brief.source_path, (None, 0))
        page(
            "brief.html",
            "brief",
            brief.title,
            brief.why_it_matters or brief.summary,
            brief.path,
            brief.last_modified,
            brief=brief,
            brief_topics=tuple(site.topics_by_slug[s] for s in brief.topics),
            neighbours=site.neighbours[brief.slug],
            related=site.related[brief.slug],
            story=story,
            story_previous=story.briefs[i - 1] if story and i > 0 else None,
            story_next=story.briefs[i + 1] if story and i + 1 < len(story.briefs) else None,
        )


def _topic_pages(
    site: Site, config: Config, page: _Page, latest: Timestamp | None, text: Callable[..., str]
) -> None:
    """The index of topics, then each topic's numbered pages."""
    page(
        "topics.html",
        "topics",
        text("page.topics"),
        text("about.topics", site=config.title),
        TOPICS_PATH,
        latest,
        topics=site.topics,
    )
    for topic in site.topics:
        topic_latest = latest_change(topic.briefs)
        description = topic.description or text("about.topic", topic=topic.title)
        for paginator in paginate(topic, config):
            n = paginator.number
            title = topic.title if n == 1 else text("topic.page_title", topic=topic.title, page=n)
            page(
                "topic.html",
                "topic",
                title,
                description,
                topic_path(topic.slug, paginator.number),
                topic_latest,
                topic=topic,
                paginator=paginator,
            )


def _entity_pages(
    site: Site, config: Config, page: _Page, latest: Timestamp | None, text: Callable[..., str]
) -> None:
    for kind, found in site.entities.items():
        label = text(f"entities.{kind}")
        page(
            "entities.html",
            "entities",
            label,
            text(f"about.{kind}", site=config.title),
            entity_path(kind),
            latest,
            entity_kind=kind,
            label=label,
            entities=found,
        )
        for entity in found:
            page(
                "entity.html",
                "entity",
                entity.name,
                text("about.entity", name=entity.name),
                entity.path,
                latest_change(entity.briefs),
                entity=entity,
                label=label,
            )


def _story_pages(site: Site, page: _Page, text: Callable[..., str]) -> None:
    for story in site.stories:
        page(
            "story.html",
            "story",
            story.title,
            text("about.story", story=story.title),
            story.path,
            story.briefs[-1].last_modified,
            story=story,
        )


def _corrections_page(site: Site, config: Config, page: _Page, text: Callable[..., str]) -> None:
    """Dated by the newest correction (``site.corrections`` is newest first)."""
    newest = site.corrections[0].update if site.corrections else None
    page(
        "corrections.html",
        "corrections",
        text("page.corrections"),
        text("about.corrections", site=config.title),
        CORRECTIONS_PATH,
        newest.date if newest else None,
        corrections=site.corrections,
    )


def listed(jobs: list[PageJob], config: Config) -> list[Listed]:
    """The pages of one edition as a sitemap lists them (the 404 page left out)."""
    return [
        Listed(job.prefix + job.path, config.permalink(job.path), job.lastmod, config.language)
        for job in jobs
        if job.path != NOT_FOUND_FILE
    ]


def static_files(theme: Theme) -> list[Output]:
    """Theme ``static/`` then site ``static/`` (a site file replaces the theme's of that name)."""
    files: dict[str, Path] = {}
    for folder in theme.static_dirs:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.is_symlink() and not path.name.startswith("."):
                files["static/" + path.relative_to(folder).as_posix()] = path
    return [Output(rel, source=path) for rel, path in sorted(files.items())]
