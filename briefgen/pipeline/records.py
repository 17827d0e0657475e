"""The cache's records of the content folder: each brief's validated front matter as it was
read (:class:`Parsed`), each body as it was rendered with the questions its render asked
(:class:`Rendered`), and the index of both that a build loads and saves."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from briefgen.markdown import links
from briefgen.model.diagnostics import Diagnostic
from briefgen.model.meta import BriefMeta
from briefgen.model.site import Body, Heading
from briefgen.pipeline.cache import Cache


@dataclass(frozen=True)
class Parsed:
    """A brief file's validated front matter (``meta`` is None when it has errors)."""

    stamp: tuple[int, ...]  # size, modification and change times, inode
    meta: BriefMeta | None  # the body is dropped before it is cached
    body_digest: str
    meta_digest: str  # of ``meta``: lets pages check a brief's metadata without reading it
    problems: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class Rendered:
    """A rendered body, and every question it asked the resolver with the answer it got:
    the render may be reused while every answer stays the same."""

    body: Body
    headings: tuple[Heading, ...]
    links: tuple[links.LinkRef, ...]
    words: int
    problems: tuple[Diagnostic, ...]
    trace: tuple[tuple[Any, ...], ...]
    cited: tuple[int, ...] = ()  # source numbers (small ints cost no memory of their own)
    site_links: tuple[links.SiteLink, ...] = ()  # checked once every page is planned


@dataclass
class Index:
    """The cache's record of the content folder, saved after every build: what the last
    build parsed and rendered, and (``kept``) what this one rendered or reused."""

    parsed: dict[str, Parsed]
    rendered: dict[tuple[Any, ...], Rendered]
    kept: dict[tuple[Any, ...], Rendered] = field(default_factory=dict)


def load_index(cache: Cache) -> Index:
    return Index(cache.load_map("parsed"), cache.load_map("rendered"))


def save_index(cache: Cache, index: Index) -> None:
    """Save what this build parsed and rendered; pack files no render of it uses go."""
    cache.save_map("parsed", index.parsed)
    cache.save_map("rendered", index.kept)
    if cache.enabled:
        cache.prune_packs({r.body.where[0] for r in index.kept.values() if r.body.where})
