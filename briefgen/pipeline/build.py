"""The build pipeline, stage by stage: each stage takes values, returns values and adds its
problems to one collector, so a single run reports everything.

Builds are incremental. The cache (``.briefgen-cache/``, see :mod:`briefgen.pipeline.cache`) keeps
each brief's parsed front matter and rendered body, and for each output folder a record of
every file written and what each page read from the site model. A rebuild parses and
renders only what changed, renders only the pages whose reads changed, and writes only the
files whose bytes changed, so unchanged files keep their modification time. When nothing
under the site changed at all, the build ends after looking at file sizes and times.
``cache=False`` (``--no-cache``) builds from scratch and neither reads nor writes the cache.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen.config.load import load_config
from briefgen.config.overrides import NONE, Overrides
from briefgen.config.values import Config
from briefgen.model.diagnostics import ConfigError, ContentError, Diagnostics, cannot_write
from briefgen.model.site import Site
from briefgen.pipeline import stages
from briefgen.pipeline.cache import Cache, CacheMiss
from briefgen.pipeline.editions import Editions, make_editions
from briefgen.pipeline.extensions import after_build, cache_fingerprint, load_plugins
from briefgen.pipeline.preview import Preview, Previews, for_editions
from briefgen.pipeline.stamps import input_stamp, valid_until
from briefgen.pipeline.state import (
    OutputState,
    failure,
    forget_output,
    output_state_name,
    pages_name,
    unchanged,
)
from briefgen.plugins.manager import PluginError
from briefgen.render.theme import Theme, find_theme
from briefgen.util.parallel import cpu_count
from briefgen.write.writer import ForeignFiles, Writer, trusted

__all__ = ["BuildResult", "Options", "build", "forget_output"]

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class BuildResult:
    config: Config
    site: Site | None  # None when nothing had changed and the model was not rebuilt
    files: dict[str, str]  # every file of the output → digest of its bytes
    diagnostics: Diagnostics
    written: bool = False
    written_files: list[str] = field(default_factory=list)  # files this build wrote
    seconds: float = 0.0
    stats: dict[str, int] = field(default_factory=dict)
    pages_rendered: int = 0
    search_pending: bool = False  # written with search_later: the index is behind the pages
    preview: Preview | Previews | None = None  # for quick pages of the next edit (``serve``)
    sites: list[Site] = field(default_factory=list)  # every language's, the default first
    coverage: tuple[Any, ...] = ()  # check --translations: each language's share, when several

    @property
    def pages(self) -> int:
        return sum(1 for path in self.files if path.endswith(".html"))


@dataclass(frozen=True)
class Options:
    """How to build (see :func:`build`); the settings themselves come from ``site.yaml`` and
    ``overrides``."""

    write: bool = True
    pages: bool = True
    strict: bool = False
    jobs: int | None = None
    progress: Progress | None = None
    on_wait: Callable[[], None] | None = None
    stale: dt.timedelta | None = None
    force: bool = False
    overrides: Overrides = NONE
    search_later: bool = False
    without: tuple[str, ...] = ()  # briefgen's own features left out, by name


def build(
    root: Path,
    *,
    write: bool = True,
    pages: bool = True,
    strict: bool = False,
    cache: bool = True,
    jobs: int | None = None,
    progress: Progress | None = None,
    on_wait: Callable[[], None] | None = None,
    stale: dt.timedelta | None = None,
    force: bool = False,
    overrides: Overrides = NONE,
    search_later: bool = False,
    without: tuple[str, ...] = (),
) -> BuildResult:
    """Build the site at ``root``; with ``write=False`` this is ``briefgen check``.

    Raises ConfigError (gate 1: site.yaml or theme unusable) or ContentError (gate 2: any
    error, or any warning when ``strict``). Nothing is written unless both gates pass.
    ``jobs`` is the number of processes (default: every core). ``pages=False`` (with
    ``write=False``) stops once the site model is assembled and checked, rendering no page:
    what ``briefgen digest`` needs. ``stale`` also reports briefs overtaken by newer ones
    and unchanged for that long (``check --stale``). ``force`` lets a build replace an
    output folder that holds files no briefgen build wrote (else a ConfigError).
    ``overrides``: what the command line changes in ``site.yaml``'s settings.
    ``search_later`` writes the pages and leaves the search index as it was, for
    :func:`briefgen.pipeline.search_update.update_search` to bring up to date (``serve``).
    ``without`` leaves out briefgen's own features by name (``feeds``, ``sitemap``).
    """
    if write and not pages:
        raise ValueError("a build that renders no page cannot write the site")
    options = Options(
        write,
        pages,
        strict,
        jobs,
        progress,
        on_wait,
        stale,
        force,
        overrides,
        search_later,
        without,
    )
    # The cycle collector would walk the whole model again and again while it is built and
    # unpickled (a 10,000-brief cache loads 3.6 times faster without it); reference counting
    # frees almost everything, and the collector runs again once the build is over.
    collecting = gc.isenabled()
    gc.disable()
    # Every Cache made here is closed in a finally (its `with`): each holds open pack files,
    # and `briefgen serve` builds hundreds of times in one process.
    try:
        try:
            with Cache(root.resolve(), enabled=cache, writable=write) as store:
                return _build(root, store, options)
        except CacheMiss:  # a record went missing or bad under the cache's feet: start afresh
            with Cache(root.resolve(), enabled=cache, writable=write) as store:
                store.clear()
        try:
            with Cache(root.resolve(), enabled=cache and write, writable=write) as store:
                return _build(root, store, options)
        except CacheMiss:  # a cache that cannot be cleared or kept: build without it
            return _build(root, Cache(root.resolve(), enabled=False), options)
    finally:
        if collecting:
            gc.enable()


@dataclass
class Run:
    """What one build carries from stage to stage besides the values the stages return."""

    store: Cache
    options: Options
    started: float
    workers: int
    state_name: str = ""
    state: OutputState | None = None  # the cache's record of the last good build here
    inputs: Any = None  # stamps of every input, when the cache is on

    def begin(self, config: Config, theme: Theme) -> None:
        self.state_name = output_state_name(config.output_path)
        state = self.store.load(self.state_name) if self.options.write else None
        self.state = state if isinstance(state, OutputState) else None
        if self.store.enabled:
            self.inputs = input_stamp(config, theme, self.store.fingerprint)

    def finish(self, result: BuildResult) -> BuildResult:
        result.seconds = time.perf_counter() - self.started
        return result


def _build(root: Path, store: Cache, options: Options) -> BuildResult:
    """The stages in order. Gate 1 (configuration and theme) raises ConfigError; gate 2 (any
    error, or any warning under ``strict``) raises ContentError before anything is written."""
    run = Run(store, options, time.perf_counter(), options.jobs or cpu_count())
    config, diags = load_config(root, options.overrides)  # gate 1
    config = load_plugins(config, diags, options.without)  # gate 1 too
    if store.enabled:
        store.fingerprint = cache_fingerprint(store.fingerprint, config)
    theme = find_theme(config)
    run.begin(config, theme)
    try:
        return _stages(run, config, theme, diags)
    except PluginError as exc:  # raised where no collector was at hand
        exc.report(diags)
        raise ContentError(diags) from None


def _stages(run: Run, config: Config, theme: Theme, diags: Diagnostics) -> BuildResult:
    """Every stage after the configuration's, in order (see :func:`_build`)."""
    options, store = run.options, run.store
    if (reused := _reuse(run, config, diags)) is not None:
        return after_build(reused, diags)
    editions = make_editions(config, theme, store, diags, run.workers, options)
    contents, sites, plans, stats = (
        editions.contents,
        editions.sites,
        editions.plans,
        editions.stats,
    )
    if not options.write:
        results = editions.render(diags, run.workers, options.progress)
        if options.pages:
            stages.check_links(contents, [*(r.file for r in results),
                                          *(o.path for p in plans for o in p.extras)], config,
                               diags)  # fmt: skip
        if diags.has_errors(options.strict):  # gate 2
            raise ContentError(diags)
        result = BuildResult(config, sites[0], {r.file: r.digest or "" for r in results}, diags,
                             stats=stats)  # fmt: skip
        result.stats["pages"] = result.pages
        result.sites, result.coverage = sites, editions.coverage
        return run.finish(result)
    return after_build(_write(run, config, editions, stats, diags), diags)


def _reuse(run: Run, config: Config, diags: Diagnostics) -> BuildResult | None:
    """The last build's result when nothing it read has changed, else None."""
    state = run.state
    if state is None or not unchanged(state, run.inputs, config):
        return None
    if state.search_pending and not run.options.search_later:
        return None  # the pages are as they were, the search index is behind them
    diags.extend(list(state.diagnostics))
    if diags.has_errors(run.options.strict):
        raise ContentError(diags)
    manifest = trusted(config.output_path, state.manifest)
    if manifest != state.manifest:  # touched but unchanged files: remember their new times
        run.store.save(run.state_name, dataclasses.replace(state, manifest=manifest))
    result = BuildResult(config, None, {r: s.digest for r, s in state.manifest.items()}, diags)
    result.written, result.stats = True, dict(state.stats)
    result.search_pending = state.search_pending
    return run.finish(result)


def _write(
    run: Run, config: Config, editions: Editions, stats: dict[str, int], diags: Diagnostics
) -> BuildResult:
    """Stages render and write: pages rendered into the writer's staging folder, the output
    made to hold exactly the new files, then the cache's record of what was built.
    ``editions``: (Content, Site, Plan) of each language, the default first."""
    from briefgen.render import search

    options, store, previous = run.options, run.store, run.state
    contents = editions.contents
    try:
        with Writer(config.output_path, previous and previous.manifest, options.on_wait,
                    options.force) as writer:  # fmt: skip
            records = (
                store.load_map(pages_name(run.state_name))
                if previous and writer.incremental else {}
            )  # fmt: skip
            results = editions.render(diags, run.workers, options.progress, records, writer)
            files = {r.file: r.digest for r in results if r.digest is not None}
            for plan in editions.plans:
                stages.stage_extras(plan, files, writer)
            stages.check_links(contents, files, config, diags)
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
        records = {r.file: r.record for r in results if r.record is not None}
        store.save_map(pages_name(run.state_name), records)  # read only when there is work
        every = [m for c in contents for m in c.all_briefs]
        store.save(run.state_name, OutputState(run.inputs, valid_until(every, config),
                                               manifest, tuple(diags.items), result.stats,
                                               found, pending))  # fmt: skip
        if store.failed:  # the site is written; this build's record of it is not
            diags.error("", 0, 0, failure(store.failed) + "; the site was written, "
                        "but the next build cannot reuse this one's work")  # fmt: skip
            raise ContentError(diags)
    return run.finish(result)


def _search(
    run: Run, writer: Writer, config: Config, files: dict[str, str], results: list[Any]
) -> tuple[Any, bool]:
    """Stage search: the index's partitions brought up to date, or with ``search_later`` kept
    as they are (then behind the pages: True). Returns the new search state."""
    if not config.search.enabled:
        return None, False
    previous = run.state.search if run.state is not None and writer.incremental else None
    if run.options.search_later and previous is not None:
        stages.keep_search(files, writer.known)
        return previous, True
    return stages.index_all(writer, files, results, previous, config, run.workers), False
