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
from pathlib import Path

from briefgen.config.load import load_config
from briefgen.config.overrides import NONE, Overrides
from briefgen.config.values import Config
from briefgen.model.diagnostics import BriefgenError, ContentError, Diagnostics
from briefgen.pipeline import stages
from briefgen.pipeline.cache import CACHE_DIR, Cache, CacheDamaged, CacheMiss
from briefgen.pipeline.editions import make_editions
from briefgen.pipeline.extensions import (
    after_build,
    cache_fingerprint,
    load_plugins,
    with_shortcodes,
)
from briefgen.pipeline.patch import patch
from briefgen.pipeline.run import BuildResult, Options, Progress, Run
from briefgen.pipeline.state import (
    forget_output,
    unchanged,
)
from briefgen.pipeline.writing import write_output
from briefgen.plugins.manager import PluginError
from briefgen.plugins.types import ExternalError
from briefgen.render.theme import Theme, find_theme
from briefgen.util.parallel import cpu_count

__all__ = ["BuildResult", "Options", "build", "forget_output"]


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
    defer: bool = False,
    without: tuple[str, ...] = (),
    reuse: bool = True,
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
    ``defer`` writes the pages and lets plugins leave for later the work that can wait
    (the search index), for :func:`briefgen.pipeline.deferred.catch_up` to do (``serve``).
    ``without`` leaves out briefgen's own features by name (``feeds``, ``sitemap``).
    ``reuse=False`` makes the site model even when nothing changed (nothing is rendered or
    written again then), for the quick pages of ``serve`` after a start that reused its
    last build.
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
        defer,
        without,
        reuse,
    )
    return _with_cache(root, cache, options)


def _with_cache(root: Path, cache: bool, options: Options) -> BuildResult:
    """:func:`_build` with the cache, after clearing it if a record went bad, and without
    it if it cannot be cleared or kept. A damaged record is reported once, in a note (not
    kept in the cache's record of the build, which is made before it is added)."""
    # The cycle collector would walk the whole model again and again while it is built and
    # unpickled (a 10,000-brief cache loads 3.6 times faster without it); reference counting
    # frees almost everything, and the collector runs again once the build is over.
    collecting = gc.isenabled()
    gc.disable()
    damaged: list[str] = []  # the first damaged record met, if any
    try:
        result = _attempts(root, cache, options, damaged)
    except BriefgenError as exc:
        _note_damage(exc.diagnostics, damaged, options.write)
        raise
    finally:
        if collecting:
            gc.enable()
    _note_damage(result.diagnostics, damaged, options.write)
    return result


def _attempts(root: Path, cache: bool, options: Options, damaged: list[str]) -> BuildResult:
    """The build with all of the cache, else, once a record is damaged or not this user's,
    with the cache cleared, else without it; ``damaged`` gains the damaged record's path."""
    write = options.write
    # Every Cache made here is closed in a finally (its `with`): each holds open pack files,
    # and `briefgen serve` builds hundreds of times in one process.
    try:
        with Cache(root.resolve(), enabled=cache, writable=write, all_or_nothing=True) as store:
            return _build(root, store, options)
    except CacheMiss as exc:  # a record went missing or bad under the cache's feet: start afresh
        _damage(exc, damaged)
        with Cache(root.resolve(), enabled=cache, writable=write) as store:
            store.clear()
    try:
        with Cache(
            root.resolve(), enabled=cache and write, writable=write, all_or_nothing=True
        ) as store:
            return _build(root, store, options)
    except CacheMiss as exc:  # a cache that cannot be cleared or kept: build without it
        _damage(exc, damaged)
        return _build(root, Cache(root.resolve(), enabled=False), options)


def _damage(miss: CacheMiss, damaged: list[str]) -> None:
    if isinstance(miss, CacheDamaged) and not damaged:
        damaged.append(f"{CACHE_DIR}/{miss.record}")


def _note_damage(diags: Diagnostics, damaged: list[str], write: bool) -> None:
    """``.briefgen-cache/parsed.pickle: note: the cache was damaged; rebuilt from scratch``"""
    if damaged:
        done = "rebuilt from scratch" if write else "checked without it"
        diags.note(damaged[0], 0, 0, f"the cache was damaged; {done}")


def _build(root: Path, store: Cache, options: Options) -> BuildResult:
    """The stages in order. Gate 1 (configuration and theme) raises ConfigError; gate 2 (any
    error, or any warning under ``strict``) raises ContentError before anything is written."""
    run = Run(store, options, time.perf_counter(), options.jobs or cpu_count())
    config, diags = load_config(root, options.overrides)  # gate 1
    config = load_plugins(config, diags, options.without)  # gate 1 too
    if store.enabled:
        store.fingerprint = cache_fingerprint(store.fingerprint, config)
    theme = find_theme(config)
    config = with_shortcodes(config, theme.template_dirs, diags)
    run.begin(config, theme)
    try:
        return _stages(run, config, theme, diags)
    except PluginError as exc:  # raised where no collector was at hand
        exc.report(diags)
        raise ContentError(diags) from None
    except ExternalError as exc:  # a program a plugin runs failed: nothing was written
        diags.error("", 0, 0, str(exc))
        raise ContentError(diags) from None


def _stages(run: Run, config: Config, theme: Theme, diags: Diagnostics) -> BuildResult:
    """Every stage after the configuration's, in order (see :func:`_build`)."""
    options, store = run.options, run.store
    if (reused := _reuse(run, config, diags)) is not None:
        return after_build(reused, diags)
    if (patched := patch(run, config, theme, diags)) is not None:
        return after_build(patched, diags)
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
            stages.check_links(
                contents,
                [*(r.file for r in results), *(o.path for p in plans for o in p.extras)],
                editions.work.folders,
                config,
                diags,
            )
        if diags.has_errors(options.strict):  # gate 2
            raise ContentError(diags)
        result = BuildResult(
            config, sites[0], {r.file: r.digest or "" for r in results}, diags, stats=stats
        )
        result.stats["pages"] = result.pages
        result.sites, result.coverage = sites, editions.coverage
        return run.finish(result)
    return after_build(write_output(run, config, editions, stats, diags), diags)


def _reuse(run: Run, config: Config, diags: Diagnostics) -> BuildResult | None:
    """The last build's result when nothing it read has changed, else None."""
    state = run.state
    if state is None or not run.options.reuse:
        return None
    if state.deferred and not run.options.defer:
        return None  # the pages are as they were, work left for later is behind them
    manifest = unchanged(state, run.inputs, config)
    if manifest is None:
        return None
    diags.extend(list(state.diagnostics))
    if diags.has_errors(run.options.strict):
        raise ContentError(diags)
    if manifest != state.manifest:  # touched but unchanged files: remember their new times
        run.store.save(run.state_name, dataclasses.replace(state, manifest=manifest))
    result = BuildResult(config, None, {r: s.digest for r, s in state.manifest.items()}, diags)
    result.written, result.stats = True, dict(state.stats)
    result.deferred = state.deferred
    return run.finish(result)
