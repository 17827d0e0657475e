"""Read, validate and render every brief and topic: from the cache where the input is
unchanged, on every core where it is not. Writes nothing but cache records."""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.config.values import MarkdownConfig
from briefgen.markdown import links, renderer
from briefgen.markdown.answers import recording, replays
from briefgen.model.diagnostics import Diagnostic, Diagnostics, cannot_write
from briefgen.model.meta import BriefMeta, ContentMeta
from briefgen.model.rendered import Asked, RenderedBody, Wording
from briefgen.model.site import Body
from briefgen.pipeline.cache import Cache
from briefgen.pipeline.records import Index, Parsed, RenderKey, load_index, save_index
from briefgen.plugins.types import FieldTable
from briefgen.read import discover, frontmatter, validate
from briefgen.read.plugin_fields import NONE as NO_FIELDS
from briefgen.util.hashing import digest
from briefgen.util.parallel import map_chunks
from briefgen.util.records import evolve

if TYPE_CHECKING:
    from briefgen.assemble.gather import EntityURL

Progress = Callable[[str, int, int], None]
WRITE_FAILED = "write-failed"  # a worker could not store bodies in the cache
PARSE_PER_WORKER = 256  # reading front matter is quick: fork only for this many per worker

__all__ = [
    "Index",
    "Parsed",
    "load_index",
    "parse_briefs",
    "read_one",
    "render_bodies",
    "render_one",
    "save_index",
]

ENGLISH = Wording()  # what a body writes on a site in English without shortcode words


def parse_briefs(
    root: Path,
    index: Index,
    diags: Diagnostics,
    jobs: int,
    progress: Progress | None = None,
    fields: FieldTable = NO_FIELDS,
) -> tuple[list[BriefMeta], dict[str, Parsed]]:
    """Validated metadata of every brief, in path order; files with errors are left out.
    ``fields``: the front matter fields plugins add.

    A file whose size, times and inode match the index is not read again; its metadata
    comes back without the body (``body_digest`` names it).
    """
    paths = discover.discover(root, discover.BRIEFS_DIR, diags)
    rels = [discover.relative(root, path) for path in paths]
    parsed: dict[str, Parsed] = {}
    todo = []
    for path, rel in zip(paths, rels, strict=True):
        try:
            st = os.stat(path)
        except OSError:
            todo.append(path)
            continue
        old = index.parsed.get(rel)
        if old is not None and old.stamp == _stamp(st):
            parsed[rel] = old
        else:
            todo.append(path)
    fresh: dict[str, BriefMeta] = {}
    done = (lambda n: progress("reading", n, len(todo))) if progress else None
    for rel, entry, meta in map_chunks(
        lambda chunk: [_parse(root, p, fields) for p in chunk],
        todo,
        jobs,
        done,
        min_per_worker=PARSE_PER_WORKER,
    ):
        parsed[rel] = entry
        if meta is not None:
            fresh[rel] = meta
    metas = []
    for rel in rels:
        entry = parsed.get(rel)
        if entry is None:
            continue
        diags.extend(list(entry.problems))
        meta = fresh.get(rel, entry.meta)
        if meta is not None:
            metas.append(meta)
    return metas, parsed


def _parse(
    root: Path, path: Path, fields: FieldTable = NO_FIELDS
) -> tuple[str, Parsed, BriefMeta | None]:
    rel = discover.relative(root, path)
    diags = Diagnostics()
    try:
        stamp = _stamp(path.stat())
    except OSError:
        stamp = ()  # never matches: read again next time
    source = discover.read(root, path, diags)
    doc = source and frontmatter.split(source.path, source.text, diags)
    meta = doc and validate.validate_brief(doc, diags, path.stem, fields)
    body_digest = digest(meta.body) if meta else ""
    kept = replace(meta, body="") if meta else None
    meta_digest = digest(pickle.dumps(kept, protocol=5)) if kept else ""
    return rel, Parsed(stamp, kept, body_digest, meta_digest, tuple(diags.items)), meta or None


def read_one(
    root: Path, rel: str, fields: FieldTable = NO_FIELDS
) -> tuple[Parsed, BriefMeta | None]:
    """One brief file read and validated, body included (None when it has errors)."""
    _, entry, meta = _parse(root, root / rel, fields)
    return entry, meta


def _stamp(st: os.stat_result) -> tuple[int, ...]:
    """The change time too, as git does: an edit that puts back the size and modification
    time (``cp -p``, a restored backup) still changes it."""
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _reread(root: Path, meta: BriefMeta) -> BriefMeta:
    """The body of a brief whose metadata came from the cache (its fields as they were
    checked then: only the body is taken)."""
    _, _, fresh = _parse(root, root / meta.path)
    return fresh if fresh is not None else meta


@dataclass(frozen=True)
class _Job:
    path: str
    body: str
    body_line: int
    sources: tuple[str | None, ...] = ()  # ids of the brief's sources, in order
    entities: tuple[tuple[str, str], ...] = ()  # (name, page URL) to link on first mention
    wording: Wording = field(default_factory=Wording)  # in the edition's language


def _context(item: ContentMeta, entity_url: EntityURL | None) -> tuple[tuple, tuple]:
    """What a body's render depends on besides its text: its sources and its entities."""
    if not isinstance(item, BriefMeta):
        return (), ()
    sources = tuple(s.id for s in item.sources)
    s = item.structure
    named = (("people", s.people), ("organizations", s.organizations), ("places", s.places))
    entities = (
        tuple(pair for kind, names in named for name in names for pair in entity_url(kind, name))
        if entity_url
        else ()
    )
    return sources, entities


def render_bodies(
    root: Path,
    items: Sequence[ContentMeta],
    parsed: Mapping[str, Parsed],
    options: MarkdownConfig,
    resolver: links.Resolver,
    index: Index,
    cache: Cache,
    diags: Diagnostics,
    jobs: int,
    progress: Progress | None = None,
    entity_url: EntityURL | None = None,
    edition: str = "",
    wording: Wording = ENGLISH,
) -> dict[str, RenderedBody]:
    """Every body rendered, keyed by content path; cached renders are reused when the body,
    its sources and entities, and every resolver answer they depend on are unchanged.
    ``entity_url`` is given when entity names are to be linked. ``edition`` names the
    language's edition the bodies are rendered for, when a site has several: a file one
    edition borrows from another (a topic not yet translated) has one render in each."""
    flavour = repr(options)
    results: dict[str, RenderedBody] = {}
    keys: dict[str, RenderKey] = {}
    todo: list[_Job] = []
    for item in items:
        known = parsed.get(item.path)
        body_digest = known.body_digest if known and not item.body else digest(item.body)
        sources, entities = _context(item, entity_url)
        key: RenderKey = (item.path, body_digest, item.body_line, flavour, sources, entities)
        if edition:
            key += (edition,)
        if wording != ENGLISH:
            key += (wording,)
        keys[item.path] = key
        old = index.rendered.get(key)
        if old is not None and replays(old.trace, resolver):
            results[item.path] = old
            continue
        if not item.body and known is not None:
            item = _reread(root, item)
        todo.append(_Job(item.path, item.body, item.body_line, sources, entities, wording))
    store = cache if cache.writable else None
    done = (lambda n: progress("markdown", n, len(todo))) if progress else None
    work = lambda chunk: _render_chunk(chunk, options, resolver, store)  # noqa: E731
    for job, result in zip(todo, map_chunks(work, todo, jobs, done), strict=True):
        results[job.path] = result
        replays(result.trace, resolver)  # images are registered for copying here, once
    for path, result in results.items():
        failed = [p for p in result.problems if p.kind == WRITE_FAILED]
        if failed:  # the build reports the cache's first failure, once; never cached
            cache.failed = cache.failed or ("", failed[0].message)
            kept = tuple(p for p in result.problems if p.kind != WRITE_FAILED)
            results[path] = replace(result, problems=kept)
    index.kept.update({keys[path]: result for path, result in results.items()})
    for result in results.values():
        diags.extend(list(result.problems))
    if cache.enabled:
        loader = cache.get_body
        results = {p: evolve(r, body=evolve(r.body, load=loader)) for p, r in results.items()}
    return results


def render_one(
    meta: BriefMeta,
    options: MarkdownConfig,
    resolver: links.Resolver,
    entity_url: EntityURL | None,
    wording: Wording = ENGLISH,
) -> RenderedBody:
    """One brief's body rendered, without the cache."""
    sources, entities = _context(meta, entity_url)
    return _render(
        _Job(meta.path, meta.body, meta.body_line, sources, entities, wording), options, resolver
    )


def _render_chunk(
    jobs: Sequence[_Job], options: MarkdownConfig, resolver: links.Resolver, store: Cache | None
) -> list[RenderedBody]:
    """Render a chunk of bodies; with a cache, their HTML goes to disk in one pack file and
    only its place travels back."""
    results = [_render(job, options, resolver) for job in jobs]
    if store is None or not results:
        return results
    try:
        placed = store.put_bodies([r.body.text or "" for r in results])
    except OSError as exc:  # the bodies stay in memory; the build reports the disk
        problem = Diagnostic("", 0, 0, "error", cannot_write(exc.filename, exc), kind=WRITE_FAILED)
        return [replace(results[0], problems=(*results[0].problems, problem)), *results[1:]]
    return [
        replace(r, body=Body(digest=name, where=where))
        for r, (name, where) in zip(results, placed, strict=True)
    ]


def _render(job: _Job, options: MarkdownConfig, resolver: links.Resolver) -> RenderedBody:
    trace: list[Asked] = []
    diags = Diagnostics()
    out = renderer.render(
        job.body,
        path=job.path,
        body_line=job.body_line,
        options=options,
        resolver=recording(resolver, trace),
        diags=diags,
        sources=job.sources,
        entities=job.entities,
        citation_label=job.wording.citation,
        language=job.wording.language,
        shortcode_words=dict(job.wording.words),
    )
    body = Body(digest=digest(out.html), text=out.html)
    trace.append(("site_host", resolver.site_host))  # which absolute links were kept
    return RenderedBody(
        body,
        out.headings,
        out.links,
        out.words,
        tuple(diags.items),
        tuple(trace),
        out.cited,
        out.site_links,
    )
