"""The cache's records of the content folder: each brief's validated front matter as it was
read (:class:`Parsed`), each body as it was rendered with the questions its render asked
(:class:`~briefgen.model.rendered.RenderedBody`), and the index of both that a build loads
and saves."""

from __future__ import annotations

from dataclasses import dataclass, field

from briefgen.model.diagnostics import Diagnostic
from briefgen.model.meta import BriefMeta
from briefgen.model.rendered import RenderedBody
from briefgen.pipeline.cache import Cache
from briefgen.util.records import record

# what a render is reused for: (content path, body digest, body line, Markdown options, source
# ids, entity links), then the edition's prefix and the citation label when they are not the
# default's; of mixed types, compared whole
RenderKey = tuple[object, ...]


@record
class Parsed:
    """A brief file's validated front matter (``meta`` is None when it has errors)."""

    stamp: tuple[int, ...]  # size, modification and change times, inode
    meta: BriefMeta | None  # the body is dropped before it is cached
    body_digest: str
    meta_digest: str  # of ``meta``: lets pages check a brief's metadata without reading it
    problems: tuple[Diagnostic, ...]


@dataclass
class Index:
    """The cache's record of the content folder, saved after every build: what the last
    build parsed and rendered, and (``kept``) what this one rendered or reused."""

    parsed: dict[str, Parsed]
    rendered: dict[RenderKey, RenderedBody]
    kept: dict[RenderKey, RenderedBody] = field(default_factory=dict)


def load_index(cache: Cache) -> Index:
    return Index(cache.load_map("parsed"), cache.load_map("rendered"))


def save_index(cache: Cache, index: Index) -> None:
    """Save what this build parsed and rendered; pack files no render of it uses go."""
    cache.save_map("parsed", index.parsed)
    cache.save_map("rendered", index.kept)
    if cache.enabled:
        cache.prune_packs({r.body.where[0] for r in index.kept.values() if r.body.where})
