"""The last step of stage write: the files plugins make of the rendered pages (briefgen's
search index), made with the rest of the output or left for later and made by
:func:`catch_up`.

``briefgen serve`` builds with ``defer``: a save shows the changed page as soon as its pages
are written, and the work that can wait follows here, in the background. Nothing of the site
is read again: the page records in the cache say which marks each page holds and the
manifest gives each page's digest, so a plugin does only what the changed pages ask (the
search index indexes only the partitions whose pages changed)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from pathlib import Path

from briefgen.config.load import load_config
from briefgen.config.overrides import NONE, Overrides
from briefgen.config.values import Config
from briefgen.model.diagnostics import ContentError, Diagnostics
from briefgen.model.output import Output
from briefgen.pipeline import page_hooks
from briefgen.pipeline.cache import Cache
from briefgen.pipeline.extensions import cache_fingerprint, load_plugins
from briefgen.pipeline.state import OutputState, output_state_name, pages_name
from briefgen.plugins.types import Later, Rendered
from briefgen.util.hashing import digest
from briefgen.util.parallel import cpu_count
from briefgen.write.writer import Writer

# work plugins left for later, by the plugin's name: (plugin, what)
Deferred = tuple[tuple[str, Later], ...]


def late_work(
    pages: Sequence[Rendered],
    config: Config,
    writer: Writer,
    files: dict[str, str],
    states: Mapping[str, object],
    later: bool,
    within: tuple[str, ...],
    workers: int,
    diags: Diagnostics,
) -> tuple[dict[str, object], Deferred]:
    """The files plugins make of the rendered ``pages``, staged where their bytes changed
    (``files`` gains the digest of each). Returns each plugin's state, for the next build,
    and the work plugins left for later (only when ``later``). A plugin's failure is an
    error and raises ContentError: nothing is written."""
    made = page_hooks.rendered(pages, config, writer, states, later, workers, within, diags)
    if diags.has_errors():
        raise ContentError(diags)
    for name, added in made.items():
        for out in added.files:
            if out.path in files:
                taken = f"{out.path} is written by another part of the build"
                diags.error("site.yaml", 0, 0, f"plugin {name!r}: {taken}")
                raise ContentError(diags)
            files[out.path] = _stage(out, writer)
    states = {name: added.state for name, added in made.items() if added.state is not None}
    deferred = tuple((name, added.later) for name, added in made.items() if added.later)
    return states, deferred


def catch_up(root: Path, overrides: Overrides = NONE, jobs: int | None = None) -> Deferred:
    """Do the work the last build of this output left for later; returns the work done,
    empty when nothing was behind or when the output lost files since that build (the next
    build, which finds them gone, does it). Raises ExternalError when a program a plugin
    runs fails or is stopped (the next build or catch-up starts again from the same
    record), OSError when the disk will not take it, ConfigError or ContentError when the
    site's configuration or a plugin fails."""
    config, diags = load_config(root, overrides)
    config = load_plugins(config, diags)
    with Cache(config.root, enabled=True) as store:
        store.fingerprint = cache_fingerprint(store.fingerprint, config)
        name = output_state_name(config.output_path)
        state = store.load(name)
        if not isinstance(state, OutputState) or not state.deferred:
            return ()
        records = store.load_map(pages_name(name))
        if not records:  # lost or damaged: an index of no pages would be wrong; a build redoes it
            return ()
        within = page_hooks.page_work(config, diags).folders
        with Writer(config.output_path, state.manifest) as writer:
            # the files plugins made of the pages are made again; the others stay
            files = {rel: d for rel, d in writer.known.items() if not rel.startswith(within)}
            wanted = sum(1 for rel in state.manifest if not rel.startswith(within))
            if not writer.incremental or len(files) < wanted:
                return ()  # the output went, or lost pages: the next build makes it whole
            pages = [
                Rendered(rel, files[rel], record.marks)
                for rel, record in records.items()
                if rel in files
            ]
            workers = jobs or cpu_count()
            kept = state.plugin_states
            states, _ = late_work(pages, config, writer, files, kept, False, within, workers, diags)
            manifest = writer.commit(files)
        done = dataclasses.replace(state, manifest=manifest, plugin_states=states, deferred=())
        store.save(name, done)
    return state.deferred


def _stage(out: Output, writer: Writer) -> str:
    """Stage a plugin's file when its bytes are not those in the output; returns their
    digest."""
    if out.data is not None:
        value = out.digest or digest(out.data)
        if writer.known.get(out.path) != value:
            writer.stage(out.path, out.data)
        return value
    assert out.source is not None  # checked with the plugin's answer
    value = out.digest or digest(out.source.read_bytes())
    if writer.known.get(out.path) != value:
        writer.stage_made(out.path, out.source)
    return value
