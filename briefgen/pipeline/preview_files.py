"""What the plugins that leave work for later would make of the site with a quick page in
it: ``serve``'s first look at how a save changes the search index.

A build in ``serve`` leaves the search index for later (:mod:`briefgen.pipeline.deferred`):
on a large site the index catches up seconds after a save, once the build and then the
changed page's partition are done. When the save gave a quick page
(:mod:`briefgen.pipeline.preview`), :func:`preview_files` asks the plugins that left work
for later at once what they would make of the last build's pages with the quick page in
place of the page as built. Each is given its own ``briefgen_rendered`` hook, the last
build's pages and its own state, and a folder of scratch space as the output being written;
the search index therefore indexes again the one partition that holds the page and keeps
the others. ``serve`` serves the files that differ from the output from memory until the
catch-up has written the index, so a search in the preview finds the saved words before the
build is over.

Nothing is written to the output or the cache. The catch-up does the same work again from
the same pages, and so makes the same bytes, once the build has written them.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from briefgen.config.load import load_config
from briefgen.config.overrides import Overrides
from briefgen.model.output import Output
from briefgen.model.urls import safe_relpath
from briefgen.pipeline import page_hooks
from briefgen.pipeline.cache import Cache
from briefgen.pipeline.extensions import cache_fingerprint, load_plugins
from briefgen.pipeline.state import OutputState, output_state_name, pages_name
from briefgen.plugins.types import Rendered
from briefgen.util.hashing import digest
from briefgen.write.writer import link_or_copy


class _Scratch:
    """The output folder as a plugin sees it while a build writes it (the
    :class:`~briefgen.plugins.types.Staging` protocol), with the quick page in it: nothing is
    staged, every new folder is made inside ``base``."""

    def __init__(self, target: Path, known: Mapping[str, str], page: str, source: Path, base: Path):
        self._target, self._known = target, known
        self._page, self._source, self._base = page, source, base

    @property
    def target(self) -> Path:
        return self._target

    @property
    def known(self) -> Mapping[str, str]:
        return self._known

    def source_of(self, rel: str) -> Path:
        return self._source if rel == self._page else self._target / rel

    def scratch(self) -> Path:
        return Path(tempfile.mkdtemp(prefix="scratch-", dir=self._base))

    def view(self, rels: Iterable[str], strip: str = "") -> Path:
        folder = self.scratch()
        for rel in rels:
            link_or_copy(self.source_of(rel), folder / safe_relpath(rel[len(strip) :]))
        return folder


def preview_files(
    root: Path,
    overrides: Overrides,
    page: str,
    data: bytes,
    plugins: tuple[str, ...],
    base: Path,
) -> dict[str, bytes]:
    """The files of the output (path → bytes) that ``plugins`` would make otherwise than
    they are, were the page ``page`` of the output to hold ``data``; their work is done in
    a new folder inside ``base``, removed before this returns. Empty when the last build's
    records are missing, do not list the page, or when its work left for later is not yet
    done (the index is behind the pages: the catch-up under way brings it up to date).
    Raises what the plugins raise (the catch-up that follows reports it)."""
    config, diags = load_config(root, overrides)
    config = load_plugins(config, diags)
    with Cache(config.root, enabled=True, writable=False) as store:
        store.fingerprint = cache_fingerprint(store.fingerprint, config)
        name = output_state_name(config.output_path)
        state = store.load(name)
        if not isinstance(state, OutputState) or state.deferred:
            return {}
        records = store.load_map(pages_name(name))
    known = {rel: stamp.digest for rel, stamp in state.manifest.items()}
    if page not in records or page not in known:
        return {}
    work = page_hooks.page_work(config, diags)
    pages = [
        Rendered(rel, known[rel], record.marks)
        for rel, record in records.items()
        if rel in known and rel != page
    ]
    pages.append(Rendered(page, digest(data), tuple(m for m in work.marks if m in data)))
    pages.sort(key=lambda p: p.file)
    folder = Path(tempfile.mkdtemp(prefix="quick-", dir=base))
    try:
        source = folder / "page.html"
        source.write_bytes(data)
        staging = _Scratch(config.output_path, known, page, source, folder)
        made = page_hooks.rendered(
            pages, config, staging, state.plugin_states, False, 1, work.folders, diags, plugins
        )
        return {
            out.path: content
            for added in made.values()
            for out in added.files
            if (content := _changed(out, known.get(out.path))) is not None
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _changed(out: Output, had: str | None) -> bytes | None:
    """The bytes of a plugin's file when they are not those the output holds (``had``, its
    digest there), else None; a file the plugin names by digest is read only if it changed."""
    if out.digest is not None and out.digest == had:
        return None
    assert out.data is not None or out.source is not None  # checked by page_hooks.rendered
    content = out.data if out.data is not None else out.source.read_bytes()
    return None if digest(content) == had else content
