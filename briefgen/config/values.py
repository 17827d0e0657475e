"""The frozen configuration every stage reads: ``site.yaml``'s settings with their defaults,
the command line's publishing switches and the build's clock. Values only; reading and
checking them is :mod:`briefgen.config.load`."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from briefgen.languages import SHARED, edition_settings
from briefgen.model.language import Language
from briefgen.model.urls import base_path_of, join_url
from briefgen.pictures import ImagesConfig
from briefgen.plugins.loader import Entry
from briefgen.plugins.manager import Plugins

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

    from briefgen.markdown.shortcodes import ShortcodeTable

# Folders of a site that must never be replaced by the output folder.
PROTECTED_DIRS = ("content", "themes", "templates", "static", "plugins")


@dataclass(frozen=True)
class MarkdownConfig:
    allow_html: bool = False  # raw HTML in briefs is escaped unless this is set
    typographer: bool = True  # smart quotes, dashes and ellipses
    toc: bool = False  # a table of contents on every brief (a brief's own `toc:` wins)
    toc_levels: int = 3  # deepest heading level listed in a table of contents
    toc_min_words: int = 400  # otherwise, briefs this long with 2+ headings get one (0: never)
    link_entities: bool = False  # link a brief's people, organizations, places on first mention
    # the ``sizes`` of pictures in bodies: ``images.sizes``, here so that bodies rendered
    # with other sizes are never reused
    image_sizes: str = "(min-width: 40rem) 37rem, calc(100vw - 2.5rem)"
    # rules plugins add to the parser (their briefgen_markdown hook), and the key of those
    # plugins: a parser, and a body rendered, with other plugins are never reused
    extend: Callable[[MarkdownIt], None] | None = field(default=None, compare=False, repr=False)
    plugin_key: str = ""
    # the shortcodes of the build (see briefgen.markdown.shortcodes), and what a body drawn
    # with them depends on besides each template: their declarations and ``embeds:``
    shortcodes: ShortcodeTable | None = field(default=None, compare=False, repr=False)
    shortcodes_key: str = ""


@dataclass(frozen=True)
class EmbedsConfig:
    """What shortcodes may show from other hosts (``embeds:``): nothing is loaded from one
    before the reader asks, whatever these say."""

    hosts: tuple[str, ...] = ()  # the hosts ``embed`` may frame (datawrapper.dwcdn.net)
    privacy: bool = True  # YouTube through its no-cookie host, Vimeo with do-not-track
    links_only: bool = False  # every embed a plain link: no third-party frame at all


@dataclass(frozen=True)
class BudgetsConfig:
    """How long the structured sections may be before ``check`` warns (0: no limit)."""

    summary: int = 60  # words: the dek on index pages and in feeds
    why_it_matters: int = 40  # words: one or two sentences
    whats_next: int = 60  # words
    go_deeper: int = 5  # links: a list of links is measured in links
    image_kb: int = 500  # kilobytes: the largest file a picture is published in


@dataclass(frozen=True)
class ChecksConfig:
    """Editorial rules that a site may turn off."""

    sources: bool = True  # warn about briefs without sources and sources never cited


@dataclass(frozen=True)
class FeedsConfig:
    limit: int = 20  # entries per feed, newest first


@dataclass(frozen=True)
class SearchConfig:
    enabled: bool = True  # build a Pagefind index and the /search/ page
    partition_size: int = 500  # pages per partition of the index (see briefgen.features.search)


@dataclass(frozen=True)
class Config:
    root: Path  # the site root, absolute
    title: str
    description: str = ""
    base_url: str = "/"  # absolute URL or a path; may include a subpath
    language: str = "en"
    direction: str = "ltr"  # "rtl" for a language written right to left (CLDR's, or `dir:`)
    theme: str = "default"
    output_dir: str = "public"
    per_page: int = 10
    author: str = ""  # named in feeds; defaults to the site title there
    related: int = 3  # related briefs listed under each brief (0: none)
    git_dates: bool = False  # a brief without `updated` takes its last commit date
    markdown: MarkdownConfig = field(default_factory=MarkdownConfig)
    feeds: FeedsConfig = field(default_factory=FeedsConfig)
    search: SearchConfig = field(default_factory=SearchConfig)
    embeds: EmbedsConfig = field(default_factory=EmbedsConfig)
    budgets: BudgetsConfig = field(default_factory=BudgetsConfig)
    checks: ChecksConfig = field(default_factory=ChecksConfig)
    images: ImagesConfig = field(default_factory=ImagesConfig)
    social_cards: bool = True  # draw a card for every brief without a picture of its own
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))  # Any: YAML
    # every language of a multilingual site, the default first; empty for one language
    languages: tuple[Language, ...] = ()
    # where this edition's pages go: "" for the default language, "es/" for another one
    prefix: str = ""
    # the address of the files every language shares (static/, pagefind/, media/) when
    # this edition has its own base_url; "" when they are under this edition's base
    shared_base: str = ""
    # the plugins site.yaml names, in order (briefgen.plugins.loader.Entry), and, once the
    # build has loaded them with briefgen's own, every plugin of the build and their key
    plugin_entries: tuple[Entry, ...] = ()
    plugins: Plugins | None = field(default=None, compare=False, repr=False)
    plugin_key: str = ""
    # set from the command line, not from site.yaml
    debug: bool = field(default=False, compare=False)  # --debug: a plugin's traceback
    drafts: bool = False  # include `draft: true` briefs
    future: bool = False  # include briefs dated after `now`
    expired: bool = False  # include briefs whose `expires` has passed
    now: dt.datetime = field(default_factory=lambda: build_time(), compare=False)
    positions: Mapping[str, tuple[int, int]] = field(
        default_factory=lambda: MappingProxyType({}), compare=False, repr=False
    )  # (line, col) of each top-level key in site.yaml, for later stages' messages

    def where(self, key: str) -> tuple[int, int]:
        return self.positions.get(key, (0, 0))

    @property
    def base_path(self) -> str:
        """The path every internal link starts with, e.g. ``/briefings/``."""
        return base_path_of(self.base_url)

    @property
    def absolute_base(self) -> str:
        """``base_url`` when absolute, else the base path (links can then only be relative)."""
        url = self.base_url if self.base_url.endswith("/") else self.base_url + "/"
        return url if urlsplit(url).scheme else self.base_path

    def url(self, path: str) -> str:
        """The address of a site path on the server, with the base path: ``/briefings/x/``.
        Every link a page or feed carries is made here or by :meth:`permalink`. In a
        language's edition, a page path gains its prefix (``/briefings/es/x/``); the files
        every language shares (``static/``, ``pagefind/``, ``media/``) do not."""
        if self.prefix and not path.startswith(SHARED):
            return join_url(self._edition_base(self.base_path), path)
        if self.shared_base and path.startswith(SHARED):
            return join_url(self.shared_base, path)
        return join_url(self.base_path, path)

    def permalink(self, path: str) -> str:
        """The absolute address of a site path (``https://example.org/briefings/x/``), or
        the server path when ``base_url`` is not absolute."""
        if self.prefix and not path.startswith(SHARED):
            return join_url(self._edition_base(self.absolute_base), path)
        if self.shared_base and path.startswith(SHARED):
            return join_url(self.shared_base, path)
        return join_url(self.absolute_base, path)

    def _edition_base(self, base: str) -> str:
        """This edition's base: the site's with the prefix, unless it has its own host."""
        return base if self.shared_base else base + self.prefix

    @property
    def default_language(self) -> str:
        return self.languages[0].code if self.languages else self.language

    @property
    def edition(self) -> Language | None:
        """This configuration's language of a multilingual site, else None."""
        return next((lang for lang in self.languages if lang.code == self.language), None)

    def editions(self) -> tuple[Config, ...]:
        """The configuration of every language's edition, the default first: the site's
        settings with that language's code, title, description, prefix and address. A site
        with one language has one edition: itself."""
        if not self.languages:
            return (self,)
        own = edition_settings(self.languages, self.base_url, self.absolute_base)
        return tuple(replace(self, **settings) for settings in own)

    @property
    def site_host(self) -> str:
        """The host of an absolute ``base_url`` (``example.org``), else empty."""
        return urlsplit(self.base_url).netloc.lower()

    @property
    def output_path(self) -> Path:
        return (self.root / self.output_dir).resolve()


def build_time() -> dt.datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` when set: what "future" and "expired" are measured against,
    so that a build can be repeated exactly (the reproducible-builds convention)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc)
