"""Stages render, search and write of a build that writes its output: pages rendered into
the writer's staging folder, the search index brought up to date, the output made to hold
exactly the new files, then the cache's record of what was built."""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefgen.config.values import Config
from briefgen.model.diagnostics import ConfigError, ContentError, Diagnostics, cannot_write
from briefgen.pipeline import stages
from briefgen.pipeline.editions import Editions
from briefgen.pipeline.preview import for_editions
from briefgen.pipeline.run import BuildResult, Run
from briefgen.pipeline.stamps import valid_until
from briefgen.pipeline.state import OutputState, failure, pages_name
from briefgen.write.writer import ForeignFiles, Stamp, Writer

if TYPE_CHECKING:
    from briefgen.render.pages import PageResult
    from briefgen.render.search import SearchIndex


def write_output(
    run: Run, config: Config, editions: Editions, stats: dict[str, int], diags: Diagnostics
) -> BuildResult:
    """Stages render and write: pages rendered into the writer's staging folder, the output
    made to hold exactly the new files, then the cache's record of what was built.
    ``editions``: (Content, Site, Plan) of each language, the default first."""
    from briefgen.render import search

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
                stages.stage_extras(plan, files, writer)
            stages.check_links(contents, files, editions.work.folders, config, diags)
            if diags.has_errors(options.strict):  # gate 2
                raise ContentError(diags)
            if store.failed:  # a cache that cannot be written is a disk that will not take the site
                diags.error("", 0, 0, failure(store.failed))
                raise ContentError(diags)
            found, pending = _search(run, writer, config, files, results)
            manifest = writer.commit(files)
            written = sorted(writer.staged)
    except search.SearchError as exc:
        diags.error("", 0, 0, str(exc))
        raise ContentError(diags) from None
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
    result.search_pending = pending
    result.preview = for_editions(editions)
    result.sites, result.coverage = editions.sites, editions.coverage
    if run.inputs is not None:  # saved only once the output holds what they describe
        _save_record(run, result, contents, results, manifest, found)
    return run.finish(result)


def _save_record(
    run: Run,
    result: BuildResult,
    contents: list[stages.Content],
    results: list[PageResult],
    manifest: dict[str, Stamp],
    found: SearchIndex | None,
) -> None:
    """The cache's record of what was built: what each page read, and the state of the output
    (its inputs, files, diagnostics and search index) that lets the next build reuse this one."""
    store, config, diags = run.store, result.config, result.diagnostics
    records = {r.file: r.record for r in results if r.record is not None}
    store.save_map(pages_name(run.state_name), records)  # read only when there is work
    every = [m for c in contents for m in c.all_briefs]
    store.save(
        run.state_name,
        OutputState(
            run.inputs,
            valid_until(every, config),
            manifest,
            tuple(diags.items),
            result.stats,
            found,
            result.search_pending,
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


def _search(
    run: Run, writer: Writer, config: Config, files: dict[str, str], results: list[PageResult]
) -> tuple[SearchIndex | None, bool]:
    """Stage search: the index's partitions brought up to date, or with ``search_later`` kept
    as they are (then behind the pages: True). Returns the new search state."""
    if not config.search.enabled:
        return None, False
    previous = run.state.search if run.state is not None and writer.incremental else None
    if run.options.search_later and previous is not None:
        stages.keep_search(files, writer.known)
        return previous, True
    return stages.index_all(writer, files, results, previous, config, run.workers), False
