"""The index of a build: the pages of the new output indexed by Pagefind in partitions, each
indexed again only when its pages changed (see :mod:`briefgen.features.search.pagefind`); one
index per language on a site with several. Made in the writer's scratch folders and handed
back as files of the output, which the build moves into place."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from threading import Event, Lock
from typing import TYPE_CHECKING

from briefgen.config.values import Config
from briefgen.features.search import pagefind
from briefgen.features.search.pagefind import BUNDLE_DIR, SearchIndex, SearchState
from briefgen.model.output import Output
from briefgen.plugins.types import Rendered, Staging
from briefgen.util import processes
from briefgen.util.hashing import digest

if TYPE_CHECKING:
    from concurrent.futures import Future

# one partition to index: its index's state, its number, folder and key, its pages
# (file, digest) and the folder its addresses are below
Partition = tuple[SearchState, int, str, str, list[tuple[str, str]], str]


def index_all(
    folder: Staging,
    pages: Sequence[Rendered],
    previous: SearchIndex | None,
    config: Config,
    workers: int,
) -> tuple[SearchIndex, list[Output]]:
    """The index of every language and its files: one index (and :class:`SearchState`) for
    a site with one language; else one per language, each in its own bundle (``pagefind/``
    for the default language, ``pagefind/es/`` for the pages under ``es/``), in a dict by
    code. The partitions of every language are indexed by one pool, so no core waits
    between two."""
    files: list[Output] = []
    if not config.languages:  # the last build's state is a dict when it had languages
        before = None if isinstance(previous, dict) else previous
        planned = _plan(folder, files, pages, before, config, f"{BUNDLE_DIR}/")
        _index(planned.todo, folder, files, workers)
        _listing(planned, files)
        return planned.state, files
    prefixes = [lang.prefix for lang in config.languages if lang.prefix]
    bundles = []
    for lang in config.languages:
        mine = [
            p
            for p in pages
            if next((x for x in prefixes if p.file.startswith(x)), "") == lang.prefix
        ]
        before = previous.get(lang.code) if isinstance(previous, dict) else None
        # a language on a host of its own is published from its folder: its pages' addresses
        # in the index are those below the folder
        strip = lang.prefix if lang.base_url else ""
        bundle = f"{BUNDLE_DIR}/{lang.prefix}"
        bundles.append(_plan(folder, files, mine, before, config, bundle, strip))
    _index([job for bundle in bundles for job in bundle.todo], folder, files, workers)
    for planned in bundles:
        _listing(planned, files)
    states = {lang.code: b.state for lang, b in zip(config.languages, bundles, strict=True)}
    return states, files


def kept_index(folder: Staging) -> list[Output]:
    """For a build that leaves the index for later: the index as it is in the output, to be
    brought up to date afterwards."""
    prefix = f"{BUNDLE_DIR}/"
    return [
        Output(rel, source=folder.source_of(rel), digest=value)
        for rel, value in folder.known.items()
        if rel.startswith(prefix)
    ]


@dataclass
class _Bundle:
    """One index's partitions: its state so far, its folder, and those to index again."""

    state: SearchState
    bundle: str
    parts: list[int]
    first: int
    todo: list[Partition]


def _plan(
    folder: Staging,
    files: list[Output],
    pages: Sequence[Rendered],
    previous: SearchState | None,
    config: Config,
    bundle: str,
    strip: str = "",
) -> _Bundle:
    """The partitions of one index: those kept from the last build (``files`` gains their
    files, as they are in the output) and those to index again."""
    searchable = {p.file: p.digest for p in pages if pagefind.MARKER in p.marks}
    count, parts = pagefind.partitions(searchable, config.search.partition_size)
    state = SearchState(count)
    first = next(iter(parts), 0)
    todo = []
    for part, items in parts.items():
        where = pagefind.folder_of(part, first, bundle)
        key = pagefind.partition_key(count, where + strip, items)
        kept = _kept_partition(previous, part, key, where, folder.known)
        if kept is None:
            todo.append((state, part, where, key, items, strip))
            continue
        files.extend(
            Output(rel, source=folder.source_of(rel), digest=folder.known[rel]) for rel in kept
        )
        state.keys[part], state.folders[part], state.files[part] = key, where, kept
    return _Bundle(state, bundle, list(parts), first, todo)


def _index(todo: list[Partition], folder: Staging, files: list[Output], workers: int) -> None:
    """Index the partitions of ``todo``, up to ``workers`` at once, each into its state;
    ``files`` gains the files of each, in the scratch folder it was made in (or their bytes,
    for a partition made from the same pages a moment ago: see :class:`_Made`)."""
    stopped = Event()

    def index(job: Partition) -> list[Output]:
        where, key = job[2], (job[3], str(pagefind.find_indexer()))
        kept = MADE.recall(key)
        if kept is not None:
            return [Output(where + name, data, digest=digest(data)) for name, data in kept]
        if stopped.is_set():  # the build is ending: start no other indexer
            raise pagefind.SearchError("stopped")
        out = folder.scratch()
        pagefind.index_folder(folder.view((page for page, _ in job[4]), job[5]), out)
        made = [(p, p.relative_to(out).as_posix(), p.read_bytes()) for p in _files_in(out)]
        MADE.remember(key, tuple((name, data) for _, name, data in made))
        return [Output(where + name, source=p, digest=digest(data)) for p, name, data in made]

    pool = ThreadPoolExecutor(max(1, workers))
    futures = [pool.submit(index, job) for job in todo]
    try:
        for (state, part, where, key, _items, _), future in zip(todo, futures, strict=True):
            made = future.result()
            files.extend(made)
            state.keys[part], state.folders[part] = key, where
            state.files[part] = tuple(out.path for out in made)
    except BaseException:  # Ctrl-C, a failed indexer: the others must not outlive the build
        stopped.set()
        _end_indexers(futures, folder.target.parent)  # every view is beside the output
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _files_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


class _Made:
    """The files of the partitions indexed last, by the key of the pages they were made from
    and the indexer that made them (``KEEP`` of them). ``serve`` indexes the partition of a saved brief's quick page at
    once (:mod:`briefgen.pipeline.preview_files`), and the catch-up after the build then
    asks for the same partition from the same pages: Pagefind makes the same bytes of the
    same pages, so they are not made twice. Held in this process only."""

    KEEP = 2

    def __init__(self) -> None:
        self._lock = Lock()
        self._made: OrderedDict[tuple[str, str], tuple[tuple[str, bytes], ...]] = OrderedDict()

    def recall(self, key: tuple[str, str]) -> tuple[tuple[str, bytes], ...] | None:
        with self._lock:
            return self._made.get(key)

    def clear(self) -> None:
        with self._lock:
            self._made.clear()

    def remember(self, key: tuple[str, str], files: tuple[tuple[str, bytes], ...]) -> None:
        with self._lock:
            self._made[key] = files
            self._made.move_to_end(key)
            while len(self._made) > self.KEEP:
                self._made.popitem(last=False)


MADE = _Made()


def _listing(planned: _Bundle, files: list[Output]) -> None:
    """The bundle's ``parts.json``: its partitions other than the first."""
    state, bundle = planned.state, planned.bundle
    listing = pagefind.parts_file(
        [state.folders[p] for p in planned.parts if p != planned.first], bundle
    )
    files.append(Output(f"{bundle}{pagefind.PARTS_FILE}", listing))


def _end_indexers(futures: list[Future[Path]], under: Path) -> None:
    """End the indexers under way until every job is over: one whose process started just
    after a round of stopping is ended by the next round."""
    while True:
        processes.stop(under)
        if not wait(futures, timeout=0.05).not_done:
            return


def _kept_partition(
    previous: SearchState | None, part: int, key: str, folder: str, known: Mapping[str, str]
) -> tuple[str, ...] | None:
    """The files of a partition the last build wrote from the same pages, when every one of
    them is still in the output as written."""
    if previous is None or previous.keys.get(part) != key or previous.folders.get(part) != folder:
        return None
    kept = previous.files.get(part, ())
    return kept if kept and all(rel in known for rel in kept) else None
