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
from typing import TYPE_CHECKING, Any

from briefgen.config.load import load_config
from briefgen.config.overrides import NONE, Overrides
from briefgen.config.values import Config
from briefgen.model.diagnostics import (
    ConfigError,
    ContentError,
    Diagnostic,
    Diagnostics,
    cannot_write,
)
from briefgen.model.site import Site
from briefgen.pipeline.cache import Cache, CacheMiss
from briefgen.pipeline.stamps import config_key, input_stamp, templates_key, valid_until
from briefgen.render.theme import find_theme
from briefgen.util.hashing import digest
from briefgen.util.parallel import cpu_count
from briefgen.write.writer import ForeignFiles, Stamp, Writer, trusted

if TYPE_CHECKING:
    pass


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

    @property
    def pages(self) -> int:
        return sum(1 for path in self.files if path.endswith(".html"))


@dataclass(frozen=True)
class OutputState:
    """What the cache knows about one output folder after a successful build."""

    inputs: Any  # sizes and times of every input, for the nothing-changed check
    valid_until: float | None  # the next moment a brief is published or expires
    manifest: dict[str, Stamp]
    diagnostics: tuple[Diagnostic, ...]
    stats: dict[str, int]


Progress = Callable[[str, int, int], None]  # (stage, done, total)


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
    """
    if write and not pages:
        raise ValueError("a build that renders no page cannot write the site")
    args = {"write": write, "pages": pages, "strict": strict, "jobs": jobs, "progress": progress,
            "on_wait": on_wait, "stale": stale, "force": force, "overrides": overrides}  # fmt: skip
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
                return _build(root, store, **args)
        except CacheMiss:  # a record went missing or bad under the cache's feet: start afresh
            with Cache(root.resolve(), enabled=cache, writable=write) as store:
                store.clear()
        try:
            with Cache(root.resolve(), enabled=cache and write, writable=write) as store:
                return _build(root, store, **args)
        except CacheMiss:  # a cache that cannot be cleared or kept: build without it
            return _build(root, Cache(root.resolve(), enabled=False), **args)
    finally:
        if collecting:
            gc.enable()


def _build(
    root: Path,
    store: Cache,
    *,
    write: bool,
    pages: bool,
    strict: bool,
    jobs: int | None,
    progress: Progress | None,
    on_wait: Callable[[], None] | None,
    stale: dt.timedelta | None = None,
    force: bool = False,
    overrides: Overrides = NONE,
) -> BuildResult:
    started = time.perf_counter()
    config, diags = load_config(root, overrides)  # gate 1
    theme = find_theme(config)
    workers = jobs or cpu_count()
    state_name = output_state_name(config.output_path)
    state = store.load(state_name) if write else None
    inputs = input_stamp(config, theme, store.fingerprint) if store.enabled else None
    if isinstance(state, OutputState) and _unchanged(state, inputs, config):
        diags.extend(list(state.diagnostics))
        if diags.has_errors(strict):
            raise ContentError(diags)
        manifest = trusted(config.output_path, state.manifest)
        if manifest != state.manifest:  # touched but unchanged files: remember their new times
            store.save(state_name, dataclasses.replace(state, manifest=manifest))
        result = BuildResult(config, None, {r: s.digest for r, s in state.manifest.items()}, diags)
        result.written, result.stats = True, dict(state.stats)
        result.seconds = time.perf_counter() - started
        return result

    # the rest of the pipeline, imported only when there is work to do
    from briefgen.assemble import editorial, gather, publishing
    from briefgen.assemble import site as assembly
    from briefgen.markdown.renderer import Resolver
    from briefgen.model.briefing import ENTITY_KINDS
    from briefgen.pipeline import prepare
    from briefgen.read import discover
    from briefgen.read.gitdates import last_commit_dates
    from briefgen.render import search
    from briefgen.render.assets import Assets
    from briefgen.render.pages import render_pages
    from briefgen.render.plan import plan_pages, site_files
    from briefgen.render.sitelinks import check_body_links
    from briefgen.render.theme import check_templates, make_environment

    index = prepare.load_index(store)
    all_briefs, parsed = prepare.parse_briefs(config.root, index, diags, workers, progress)
    if config.git_dates:
        all_briefs = assembly.with_git_dates(
            all_briefs, last_commit_dates(config.root, discover.BRIEFS_DIR)
        )
    topic_metas = discover.load_topics(config.root, diags)
    entity_metas = discover.load_entities(config.root, ENTITY_KINDS, diags)
    selected = publishing.select(all_briefs, config)
    metas = assembly.unique_slugs(selected, diags)
    assets = Assets(config.root, theme.static_dirs, config.base_path)
    resolver = Resolver(
        targets=assembly.link_targets(metas, all_briefs, topic_metas, config),
        unpublished=(unpublished := publishing.unpublished_targets(all_briefs, config)),
        images=assets.resolve,
        site_host=config.site_host,
    )
    # every selected brief is rendered, duplicates too, so their link errors are reported
    rendered = prepare.render_bodies(config.root, [*selected, *topic_metas, *entity_metas], parsed,
                                     config.markdown, resolver, index, store, diags, workers,
                                     progress, gather.entity_links(config, entity_metas))  # fmt: skip
    index.parsed = parsed
    prepare.save_index(store, index)
    assembly.check_anchors({m.path: rendered[m.path] for m in selected}, diags)
    where = editorial.Positions(config.root)
    editorial.check_all(selected, rendered, config, where, diags)
    titles = {m.path: m.title for m in metas}
    metas = [editorial.resolve_go_deeper(m, resolver, titles, where, diags) for m in metas]
    site = assembly.assemble(
        config,
        [
            assembly.make_brief(m, config, rendered[m.path], _meta_digest(parsed, m.path))
            for m in metas
        ],  # fmt: skip
        {m.path: m for m in metas},
        topic_metas,
        {t.path: rendered[t.path].body.html for t in topic_metas},
        diags,
        described := gather.described(entity_metas, rendered),
    )
    gather.check_described(described, site, diags)
    if stale is not None:
        editorial.check_stale(site, {m.path: m for m in metas}, config.now, stale, where, diags)

    if not check_templates(theme, config.root, diags):
        raise ContentError(diags)
    stats = {"briefs": len(site.briefs), "topics": len(site.topics),
             **publishing.left_out(unpublished.values())}  # fmt: skip
    env = make_environment(theme, config)
    jobs_list = plan_pages(site, config) if pages else []
    extras = [*site_files(site, config, jobs_list, theme), *assets.outputs()] if pages else []
    scope = digest(repr((config_key(config), templates_key(theme), store.fingerprint)))
    if not write:
        results = render_pages(jobs_list, site, config, env, scope, {}, {}, None, diags,
                               workers, progress)  # fmt: skip
        if pages:
            check_body_links(rendered, [*(r.file for r in results), *(o.path for o in extras)],
                         config, diags)  # fmt: skip
        if diags.has_errors(strict):  # gate 2
            raise ContentError(diags)
        files = {r.file: r.digest or "" for r in results}
        result = BuildResult(config, site, files, diags, stats=stats)
        result.stats["pages"] = result.pages
        result.seconds = time.perf_counter() - started
        return result

    previous = state if isinstance(state, OutputState) else None
    try:
        with Writer(config.output_path, previous and previous.manifest, on_wait, force) as writer:
            records = (
                store.load_map(_pages_name(state_name)) if previous and writer.incremental else {}
            )
            results = render_pages(jobs_list, site, config, env, scope, records, writer.known,
                                   writer.stage, diags, workers, progress)  # fmt: skip
            writer.staged_elsewhere(r.file for r in results if r.staged)
            files = {r.file: r.digest for r in results if r.digest is not None}
            for out in extras:
                if out.path in files:
                    raise ValueError(f"two outputs for {out.path}")  # a bug, not bad input
                value = digest(out.data if out.data is not None else out.source.read_bytes())  # type: ignore[union-attr]
                files[out.path] = value
                if writer.known.get(out.path) != value:
                    if out.data is not None:
                        writer.stage(out.path, out.data)
                    else:
                        writer.stage_copy(out.path, out.source)  # type: ignore[arg-type]
            check_body_links(rendered, files, config, diags)
            if diags.has_errors(strict):  # gate 2
                raise ContentError(diags)
            if store.failed:  # a cache that cannot be written is a disk that will not take the site
                diags.error("", 0, 0, _failure(store.failed))
                raise ContentError(diags)
            finalize = search.build_index if config.search.enabled else None
            manifest = writer.commit(files, finalize, search.BUNDLE_DIR)
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

    result = BuildResult(config, site, {r: s.digest for r, s in manifest.items()}, diags)
    result.written, result.written_files = True, written
    result.pages_rendered = sum(1 for r in results if r.rendered)
    result.stats = {**stats, "pages": result.pages}
    records = {r.file: r.record for r in results if r.record is not None}
    if inputs is not None:  # saved only once the output holds what they describe
        store.save_map(_pages_name(state_name), records)  # read only when there is work to do
        store.save(state_name, OutputState(inputs, valid_until(all_briefs, config), manifest,
                                           tuple(diags.items), result.stats))  # fmt: skip
        if store.failed:  # the site is written; this build's record of it is not
            diags.error("", 0, 0, _failure(store.failed) + "; the site was written, "
                        "but the next build cannot reuse this one's work")  # fmt: skip
            raise ContentError(diags)
    result.seconds = time.perf_counter() - started
    return result


def _failure(failed: tuple[str, str]) -> str:
    """The message of a cache write that failed: (path, reason), or ("", a whole message)
    from a worker."""
    return cannot_write(*failed) if failed[0] else failed[1]


def forget_output(root: Path, output: Path) -> None:
    """Drop the cache records of an output folder that is gone (the dev server's)."""
    name = output_state_name(output.resolve())
    with Cache(root.resolve(), enabled=True) as store:
        for record in (name, f"{_pages_name(name)}.pickle", f"{_pages_name(name)}.delta.pickle"):
            store.remove(record)


def _pages_name(state_name: str) -> str:
    return state_name.replace(".pickle", "-pages")


def _meta_digest(parsed: dict[str, Any], path: str) -> str:
    entry = parsed.get(path)
    return entry.meta_digest if entry is not None else ""


def output_state_name(output: Path) -> str:
    """The cache record of one output folder (the dev server's folder gets its own)."""
    return f"output-{digest(str(output))[:20]}.pickle"


def _unchanged(state: OutputState, inputs: Any, config: Config) -> bool:
    if inputs is None or state.inputs != inputs:
        return False
    if state.valid_until is not None and config.now.timestamp() >= state.valid_until:
        return False
    return len(trusted(config.output_path, state.manifest)) == len(state.manifest)
