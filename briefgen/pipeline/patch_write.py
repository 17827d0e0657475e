"""The last steps of a rebuild from the stored parts (:mod:`briefgen.pipeline.patch`): the
edited briefs' pages and the files plugins make of the pages committed to the output, then
the cache's record of it: the pages' records, the parts, and the output's record last."""

from __future__ import annotations

import dataclasses
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from briefgen.config.values import Config
from briefgen.model.diagnostics import ContentError, Diagnostics
from briefgen.model.site import Brief
from briefgen.pipeline.parts import Changes, Parts, brief_row
from briefgen.pipeline.run import BuildResult, Run
from briefgen.pipeline.state import failure, pages_name

if TYPE_CHECKING:
    from briefgen.render.pages import PageRecord, PageResult
    from briefgen.write.writer import Stamp, Writer


@dataclass
class Page:
    """An edited brief as it now reads, what its render found, and its page rendered."""

    brief: Brief
    found: tuple[Any, ...]  # Any: what its render found (parts_kept.Found)
    result: PageResult


@dataclass
class Written:
    """What :func:`_commit` wrote, for the cache's record of it."""

    result: BuildResult
    manifest: dict[str, Stamp]
    kept: dict[str, object]  # each plugin's state
    records: dict[str, PageRecord]  # of the pages rendered


def commit_pages(
    run: Run,
    config: Config,
    writer: Writer,
    done: list[Page],
    added: dict[str, str],
    within: tuple[str, ...],
    diags: Diagnostics,
) -> Written:
    """The pages into the output, with the files plugins make of them in the folders they
    fill (``within``); ``added``: the files plugins add that were made again. Plugins that fill no folder and kept nothing of the last build are
    not asked: they make no file of pages."""
    from briefgen.pipeline.deferred import late_work
    from briefgen.plugins.types import Rendered

    state, store = run.state, run.store
    assert state is not None
    diags.extend(list(state.diagnostics))
    if diags.has_errors(run.options.strict):
        raise ContentError(diags)
    files = {rel: stamp.digest for rel, stamp in state.manifest.items()}
    for page in done:
        files[page.result.file] = page.result.digest or ""
    files.update(added)  # the files plugins add, made again (feeds): staged already
    records = {page.result.file: page.result.record for page in done}
    kept, deferred = state.plugin_states, state.deferred
    if within or kept:
        every = {**store.load_map(pages_name(run.state_name)), **records}
        files = {rel: d for rel, d in files.items() if not rel.startswith(within)}
        pages = [Rendered(rel, files[rel], r.marks) for rel, r in every.items() if rel in files]
        later = run.options.defer
        kept, deferred = late_work(
            pages, config, writer, files, kept, later, within, run.workers, diags
        )
    manifest = writer.commit(files)
    result = BuildResult(config, None, {r: s.digest for r, s in manifest.items()}, diags)
    result.written, result.written_files = True, sorted(writer.staged)
    result.pages_rendered = len(done)
    result.stats = dict(state.stats)
    if "pictures_encoded" in result.stats:  # every picture is as the last build left it
        result.stats["pictures_reused"] += result.stats["pictures_encoded"]
        result.stats["pictures_encoded"] = 0
    result.deferred = deferred
    return Written(result, manifest, dict(kept), records)


def keep_record(run: Run, parts: Parts, written: Written, done: list[Page]) -> None:
    """The cache's record of this build: the pages' records, the parts, then the output's
    record, which names the parts (the last write: a failure before it leaves the last
    build's record, which no longer holds, and the next build is a full one)."""
    state, store = run.state, run.store
    assert state is not None
    store.amend_map(pages_name(run.state_name), written.records)
    token = secrets.token_hex(8)
    changes = Changes(False, facts={"token": token, "stamps": run.seen})
    changes.briefs = {p.brief.source_path: brief_row(p.brief, p.found) for p in done}
    if not parts.write(changes):
        token = ""  # none kept: the next build is a full one
    store.save(
        run.state_name,
        dataclasses.replace(
            state,
            inputs=run.inputs,
            manifest=written.manifest,
            plugin_states=written.kept,
            deferred=written.result.deferred,
            parts=token,
        ),
    )
    if store.failed:
        diags = written.result.diagnostics
        diags.error(
            "",
            0,
            0,
            failure(store.failed) + "; the site was written, "
            "but the next build cannot reuse this one's work",
        )
        raise ContentError(diags)
