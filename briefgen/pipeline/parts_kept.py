"""What a full build keeps of its site model for the next rebuild after a body edit
(:mod:`briefgen.pipeline.patch`), in the stored parts (:mod:`briefgen.pipeline.parts`): every
published brief with what its render found, each brief's page job and record, the topics,
which pages read each body, which bodies plugins read, what rendering one body needs and
the stamp of every input.

A build after one edit writes only the rows that changed: the briefs whose row differs,
the pages it rendered, the readers of those pages. A build that finds the parts missing or
not of the last build (another token than the output's record names) writes them whole.
A site with several languages keeps none: its rebuilds are full ones.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from briefgen.model.meta import EntityMeta
from briefgen.model.rendered import RenderedBody
from briefgen.pipeline.parts import Changes, Parts, PartsUnusable, brief_row
from briefgen.pipeline.records import Parsed

if TYPE_CHECKING:
    from briefgen.pipeline.editions import Editions
    from briefgen.pipeline.run import Run
    from briefgen.render.pages import PageResult
    from briefgen.write.writer import Stamp

# what a brief's render found besides its HTML and word count: a rebuild from the parts
# needs all of it to be as it was (Any: problems, headings, links, the resolver's answers)
Found = tuple[Any, ...]


def found(parsed: Parsed | None, rendered: RenderedBody) -> Found:
    """What reading and rendering a brief found that the rest of the site may depend on."""
    read = parsed.problems if parsed is not None else ()
    return (
        read,
        rendered.headings,
        # where a link to another brief stands is told only by the error for an anchor it
        # does not have, which stops a build: the last one had none
        tuple((link.target, link.anchor) for link in rendered.links),
        rendered.problems,
        rendered.trace,
        rendered.cited,
        rendered.site_links,
    )


def entity_aliases(entities: list[EntityMeta]) -> dict[tuple[str, str], tuple[str, ...]]:
    """What linking entity names in bodies needs of the entity files."""
    return {(f.kind, f.slug): f.aliases for f in entities}


def keep_parts(
    run: Run,
    editions: Editions,
    results: list[PageResult],
    manifest: Mapping[str, Stamp],
) -> str:
    """Bring the stored parts up to date with this build; returns the token that names
    them, for the output's record ("" when none are kept)."""
    store, previous = run.store, run.state
    with Parts(store, run.state_name) as parts:
        if len(editions.sites) > 1 or not store.writable or run.seen is None:
            parts.remove()
            return ""
        try:
            token = parts.fact("token")
        except PartsUnusable:
            token = None
        whole = previous is None or not previous.parts or token != previous.parts
        try:
            changes = _changes(run, editions, results, manifest, whole)
        except Exception:  # noqa: BLE001 - a value that cannot be pickled (a plugin's field)
            parts.remove()  # keeps no parts: the next rebuild is a full one
            return ""
        if not whole:
            stored = parts.digests()
            changes.briefs = {p: r for p, r in changes.briefs.items() if stored.get(p) != r[0]}
            changes.gone = sorted(stored.keys() - {b.source_path for b in editions.sites[0].briefs})
        return changes.facts["token"] if parts.write(changes) else ""


def _changes(
    run: Run,
    editions: Editions,
    results: list[PageResult],
    manifest: Mapping[str, Stamp],
    whole: bool,
) -> Changes:
    content, site, plan = editions.contents[0], editions.sites[0], editions.plans[0]
    changes = Changes(whole)
    changes.facts = {
        "token": secrets.token_hex(8),
        "stamps": run.seen,
        "targets": dict(content.resolver.targets),
        "unpublished": dict(content.resolver.unpublished),
        "entities": entity_aliases(content.entities) if content.entity_url else None,
        "wording": content.wording,
        "watched": {hook: frozenset(paths) for hook, paths in editions.watched.items()},
        "order": tuple(b.source_path for b in site.briefs),
        "topics": tuple(t.slug for t in site.topics),
        "given": editions.given,
    }
    changes.briefs = {
        b.source_path: brief_row(
            b, found(content.parsed.get(b.source_path), content.rendered[b.source_path])
        )
        for b in site.briefs
    }
    changes.topics = list(site.topics)
    own = results[: len(plan.jobs)]
    for job, result in zip(plan.jobs, own, strict=True):
        if result.record is None or not (whole or result.rendered):
            continue
        if job.kind == "brief":
            changes.pages.append((job, result.record))
        changes.read[job.file] = [
            dep[1] for dep, _ in result.record.reads if dep[0] == "brief" and dep[2] == "body"
        ]
    if not whole and run.state is not None:
        for file in run.state.manifest.keys() - manifest.keys():
            changes.read.setdefault(file, [])
    return changes
