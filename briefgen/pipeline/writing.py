"""Stages render and write of a build that writes its output: pages rendered into the
writer's staging folder, the files plugins make of them (the search index), the output made
to hold exactly the new files, then the cache's record of what was built."""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefgen.config.values import Config
from briefgen.model.diagnostics import ConfigError, ContentError, Diagnostics, cannot_write
from briefgen.pipeline import stages
from briefgen.pipeline.deferred import Deferred, late_work
from briefgen.pipeline.editions import Editions
from briefgen.pipeline.parts_kept import keep_parts
from briefgen.pipeline.preview import for_editions
from briefgen.pipeline.run import BuildResult, Run
from briefgen.pipeline.stamps import valid_until
from briefgen.pipeline.state import OutputState, failure, pages_name
from briefgen.plugins.types import Rendered
from briefgen.util.hashing import digest
from briefgen.write.writer import ForeignFiles, Stamp, Writer

if TYPE_CHECKING:
    from briefgen.pipeline.stages import Plan
    from briefgen.render.pages import PageResult


def write_output(
    run: Run, config: Config, editions: Editions, stats: dict[str, int], diags: Diagnostics
) -> BuildResult:
    """Stages render and write: pages rendered into the writer's staging folder, the files
    plugins make of them, the output made to hold exactly the new files, then the cache's
    record of what was built. ``editions``: (Content, Site, Plan) of each language, the
    default first."""
    options, store, previous = run.options, run.store, run.state
    contents = editions.contents
    try:
        with Writer(
            config.output_path, previous and previous.manifest, options.on_wait, options.force
        ) as writer:
            records = (
                store.load_map(pages_name(run.state_name))
                if previous and writer.incremental
                else {}
            )
            results = editions.render(diags, run.workers, options.progress, records, writer)
            files = {r.file: r.digest for r in results if r.digest is not None}
            for plan in editions.plans:
                stage_extras(plan, files, writer)
            stages.check_links(contents, files, editions.work.folders, config, diags)
            if diags.has_errors(options.strict):  # gate 2
                raise ContentError(diags)
            if store.failed:  # a cache that cannot be written is a disk that will not take the site
                diags.error("", 0, 0, failure(store.failed))
                raise ContentError(diags)
            kept, deferred = _late(run, writer, config, editions, files, results, diags)
            manifest = writer.commit(files)
            written = sorted(writer.staged)
    except ForeignFiles as exc:
        diags.error("", 0, 0, str(exc))
        raise ConfigError(diags) from None
    except OSError as exc:  # read-only or full disk: the previous site is still in place
        diags.error("", 0, 0, cannot_write(exc.filename or config.output_path, exc))
        raise ContentError(diags) from None

    site = editions.sites[0]
    result = BuildResult(config, site, {r: s.digest for r, s in manifest.items()}, diags)
    result.written, result.written_files = True, written
    result.pages_rendered = sum(1 for r in results if r.rendered)
    result.stats = {**stats, "pages": result.pages}
    result.deferred = deferred
    result.preview = for_editions(editions)
    result.sites, result.coverage = editions.sites, editions.coverage
    if run.inputs is not None:  # saved only once the output holds what they describe
        _save_record(run, result, editions, results, manifest, kept)
    return run.finish(result)


def _save_record(
    run: Run,
    result: BuildResult,
    editions: Editions,
    results: list[PageResult],
    manifest: dict[str, Stamp],
    kept: dict[str, object],
) -> None:
    """The cache's record of what was built: what each page read, and the state of the output
    (its inputs, files, diagnostics, what plugins keep) that lets the next build reuse this
    one."""
    store, config, diags = run.store, result.config, result.diagnostics
    records = {r.file: r.record for r in results if r.record is not None}
    store.save_map(pages_name(run.state_name), records)  # read only when there is work
    every = [m for c in editions.contents for m in c.all_briefs]
    parts = keep_parts(run, editions, results, manifest)
    store.save(
        run.state_name,
        OutputState(
            run.inputs,
            valid_until(every, config),
            manifest,
            tuple(diags.items),
            result.stats,
            kept,
            result.deferred,
            parts,
        ),
    )
    if store.failed:  # the site is written; this build's record of it is not
        diags.error(
            "",
            0,
            0,
            failure(store.failed) + "; the site was written, "
            "but the next build cannot reuse this one's work",
        )
        raise ContentError(diags)


def _late(
    run: Run,
    writer: Writer,
    config: Config,
    editions: Editions,
    files: dict[str, str],
    results: list[PageResult],
    diags: Diagnostics,
) -> tuple[dict[str, object], Deferred]:
    """What plugins make of the rendered pages (the search index), each given what it kept
    of the last build when the output is as that build left it; with ``defer``, what they
    leave for later. Returns what each keeps of this build, and what is left for later."""
    states = run.state.plugin_states if run.state is not None and writer.incremental else {}
    pages = [
        Rendered(r.file, r.digest, r.record.marks)
        for r in results
        if r.record is not None and r.digest is not None
    ]
    later, within = run.options.defer, editions.work.folders
    return late_work(pages, config, writer, files, states, later, within, run.workers, diags)


def stage_extras(plan: Plan, files: dict[str, str], writer: Writer) -> None:
    """Feeds, sitemap and static files whose bytes changed, staged for writing; ``files``
    gains the digest of each."""
    for out in plan.extras:
        if out.path in files:
            raise ValueError(f"two outputs for {out.path}")  # a bug, not bad input
        value = out.digest or digest(out.data if out.data is not None else out.source.read_bytes())  # type: ignore[union-attr]
        files[out.path] = value
        if writer.known.get(out.path) != value:
            if out.data is not None:
                writer.stage(out.path, out.data)
            else:
                writer.stage_copy(out.path, out.source)
