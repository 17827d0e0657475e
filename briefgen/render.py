"""Site model → the list of output files (path, bytes). Renders templates; writes nothing."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from briefgen.config import Config
from briefgen.diagnostics import Diagnostics
from briefgen.feeds import feed_outputs
from briefgen.model import Brief, Site, Timestamp, Topic
from briefgen.output import Output
from briefgen.search import SEARCH_PATH
from briefgen.sitemap import robots, sitemap
from briefgen.theme import Theme, template_problem
from briefgen.urls import (
    ARCHIVE_PATH,
    HOME_PATH,
    NOT_FOUND_FILE,
    TOPICS_PATH,
    join_url,
    output_file,
    topic_path,
)  # fmt: skip


@dataclass(frozen=True)
class Page:
    """What every template gets as ``page``: the page's own title, description and address."""

    kind: str  # home, brief, topics, topic, archive, 404
    title: str
    description: str
    path: str
    url: str
    permalink: str


@dataclass(frozen=True)
class Paginator:
    number: int  # from 1
    total: int
    items: tuple[Brief, ...]
    previous_url: str | None
    next_url: str | None
    first_url: str
    urls: tuple[str, ...]  # every page's URL, for numbered links


def render_site(
    site: Site,
    config: Config,
    theme: Theme,
    env: jinja2.Environment,
    diags: Diagnostics,
    progress: Callable[[str, int, int], None] | None = None,
) -> list[Output]:
    """Every page of the site plus the static files; template problems go to ``diags``.

    ``progress`` hears ("pages", done, total) as pages render.
    """
    paginated = [(topic, paginate(topic, config)) for topic in site.topics]
    fixed = 4 + int(config.search.enabled)  # home, topics, archive, 404 and search
    total = fixed + len(site.briefs) + sum(len(pages) for _, pages in paginated)
    renderer = _Renderer(
        site, config, env, diags, lambda done: progress and progress("pages", done, total)
    )
    latest = _latest(site.briefs)
    home_description = config.description or config.title
    renderer.page("home.html", "home", config.title, home_description, HOME_PATH, latest,
                  briefs=site.briefs[: config.per_page], topics=site.topics)  # fmt: skip
    for brief in site.briefs:
        renderer.page(
            "brief.html", "brief", brief.title, brief.summary, brief.path, brief.last_modified,
            brief=brief,
            brief_topics=tuple(site.topics_by_slug[s] for s in brief.topics),
            neighbours=site.neighbours[brief.slug],
            related=site.related[brief.slug],
        )  # fmt: skip
    renderer.page("topics.html", "topics", "Topics", f"Every topic of {config.title}",
                  TOPICS_PATH, latest, topics=site.topics)  # fmt: skip
    for topic, paginators in paginated:
        for paginator in paginators:
            title = (
                topic.title if paginator.number == 1 else f"{topic.title} (page {paginator.number})"
            )
            renderer.page(
                "topic.html", "topic", title, topic.description or f"Briefs on {topic.title}",
                topic_path(topic.slug, paginator.number), _latest(topic.briefs),
                topic=topic, paginator=paginator,
            )  # fmt: skip
    renderer.page("archive.html", "archive", "Archive", f"Every brief of {config.title} by month",
                  ARCHIVE_PATH, latest, months=site.months)  # fmt: skip
    if config.search.enabled:
        renderer.page("search.html", "search", "Search", f"Search the briefs of {config.title}",
                      SEARCH_PATH, latest)  # fmt: skip
    renderer.page(
        "404.html", "404", "Page not found", "This page does not exist.", NOT_FOUND_FILE, None
    )
    listed = [(path, lastmod) for path, lastmod in renderer.pages if path != NOT_FOUND_FILE]
    extra = [*feed_outputs(site, config), sitemap(config, listed), robots(config)]
    return renderer.outputs + extra + static_files(theme)


def _latest(briefs: tuple[Brief, ...]) -> Timestamp | None:
    return max((b.last_modified for b in briefs), default=None)


def paginate(topic: Topic, config: Config) -> list[Paginator]:
    per_page = config.per_page
    total = max(1, math.ceil(len(topic.briefs) / per_page))
    urls = tuple(join_url(config.base_path, topic_path(topic.slug, n)) for n in range(1, total + 1))
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


def static_files(theme: Theme) -> list[Output]:
    """Theme ``static/`` then site ``static/`` (a site file replaces the theme's of that name)."""
    files: dict[str, Path] = {}
    for folder in theme.static_dirs:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.is_symlink() and not path.name.startswith("."):
                files["static/" + path.relative_to(folder).as_posix()] = path
    return [Output(rel, source=path) for rel, path in sorted(files.items())]


class _Renderer:
    def __init__(
        self,
        site: Site,
        config: Config,
        env: jinja2.Environment,
        diags: Diagnostics,
        tick: Callable[[int], object],
    ) -> None:
        self.tick = tick
        self.site = site
        self.config = config
        self.env = env
        self.diags = diags
        self.outputs: list[Output] = []
        self.pages: list[tuple[str, Timestamp | None]] = []  # (path, last modified) for the sitemap
        self.failed: set[str] = set()

    def page(
        self, template: str, kind: str, title: str, description: str, path: str,
        lastmod: Timestamp | None, **context: Any,
    ) -> None:  # fmt: skip
        self.pages.append((path, lastmod))
        self.tick(len(self.pages))
        if template in self.failed:
            return
        page = Page(
            kind, title, description, path,
            join_url(self.config.base_path, path), join_url(self.config.absolute_base, path),
        )  # fmt: skip
        try:
            html = self.env.get_template(template).render(site=self.site, page=page, **context)
        except Exception as exc:
            if not template_problem(exc, self.config.root, self.diags):
                raise
            self.failed.add(template)  # one report per template, not one per page
            return
        self.outputs.append(Output(output_file(path), html.encode("utf-8")))
