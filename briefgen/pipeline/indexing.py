"""Stage search: the pages of the new output indexed by Pagefind, in partitions, each
indexed again only when its pages changed (see :mod:`briefgen.render.search`); one index per
language on a site with several."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from threading import Event
from typing import TYPE_CHECKING

from briefgen.config.values import Config
from briefgen.util.hashing import digest

if TYPE_CHECKING:
    from concurrent.futures import Future

    from briefgen.render.pages import PageResult
    from briefgen.render.search import SearchIndex, SearchState
    from briefgen.write.writer import Writer

    # one partition to index: its index's state, its number, folder and key, its pages
    # (file, digest) and the folder its addresses are below
    Partition = tuple[SearchState, int, str, str, list[tuple[str, str]], str]


def index_all(
    writer: Writer,
    files: dict[str, str],
    results: list[PageResult],
    previous: SearchIndex | None,
    config: Config,
    workers: int,
) -> SearchIndex:
    """Stage search for every language: one index (and :class:`SearchState`) for a site
    with one language; else one per language, each in its own bundle (``pagefind/`` for the
    default language, ``pagefind/es/`` for the pages under ``es/``), in a dict by code. The
    partitions of every language are indexed by one pool, so no core waits between two."""
    if not config.languages:  # the last build's state is a dict when it had languages
        before = None if isinstance(previous, dict) else previous
        return index_search(writer, files, results, before, config, workers)
    prefixes = [lang.prefix for lang in config.languages if lang.prefix]
    bundles = []
    for lang in config.languages:
        mine = [
            r
            for r in results
            if next((p for p in prefixes if r.file.startswith(p)), "") == lang.prefix
        ]
        before = previous.get(lang.code) if isinstance(previous, dict) else None
        # a language on a host of its own is published from its folder: its pages' addresses
        # in the index are those below the folder
        strip = lang.prefix if lang.base_url else ""
        bundles.append(_plan(writer, files, mine, before, config, f"pagefind/{lang.prefix}", strip))
    _index([job for bundle in bundles for job in bundle.todo], writer, files, workers)
    for bundle in bundles:
        _listing(bundle, writer, files)
    return {lang.code: b.state for lang, b in zip(config.languages, bundles, strict=True)}


def index_search(
    writer: Writer,
    files: dict[str, str],
    results: list[PageResult],
    previous: SearchState | None,
    config: Config,
    workers: int,
    bundle: str = "pagefind/",
) -> SearchState:
    """Stage search: every partition of the index whose pages changed is indexed again, up
    to ``workers`` at once; the others keep their files. ``files`` gains every file of the
    index. Returns the new :class:`~briefgen.render.search.SearchState`. ``bundle`` is the
    folder of the index of ``results`` (a language's, on a site with several)."""
    planned = _plan(writer, files, results, previous, config, bundle)
    _index(planned.todo, writer, files, workers)
    _listing(planned, writer, files)
    return planned.state


@dataclass
class _Bundle:
    """One index's partitions: its state so far, its folder, and those to index again."""

    state: SearchState
    bundle: str
    parts: list[int]
    first: int
    todo: list[Partition]


def _plan(
    writer: Writer,
    files: dict[str, str],
    results: list[PageResult],
    previous: SearchState | None,
    config: Config,
    bundle: str,
    strip: str = "",
) -> _Bundle:
    """The partitions of one index: those kept from the last build (``files`` gains their
    files) and those to index again."""
    from briefgen.render import search

    searchable = {
        r.file: r.digest
        for r in results
        if r.record is not None and search.MARKER in r.record.marks and r.digest
    }
    count, parts = search.partitions(searchable, config.search.partition_size)
    state = search.SearchState(count)
    first = next(iter(parts), 0)
    todo = []
    for part, items in parts.items():
        folder = search.folder_of(part, first, bundle)
        key = search.partition_key(count, folder + strip, items)
        kept = _kept_partition(previous, part, key, folder, writer.known)
        if kept is None:
            todo.append((state, part, folder, key, items, strip))
            continue
        files.update({rel: writer.known[rel] for rel in kept})
        state.keys[part], state.folders[part], state.files[part] = key, folder, kept
    return _Bundle(state, bundle, list(parts), first, todo)


def _index(todo: list[Partition], writer: Writer, files: dict[str, str], workers: int) -> None:
    """Index the partitions of ``todo``, up to ``workers`` at once, each into its state."""
    from briefgen.render import search

    stopped = Event()

    def index(job: Partition) -> Path:
        if stopped.is_set():  # the build is ending: start no other indexer
            raise search.SearchError("stopped")
        out = writer.scratch()
        search.index_folder(writer.view((page for page, _ in job[4]), job[5]), out)
        return out

    pool = ThreadPoolExecutor(max(1, workers))
    futures = [pool.submit(index, job) for job in todo]
    try:
        for (state, part, folder, key, _items, _), future in zip(todo, futures, strict=True):
            out = future.result()
            made = []
            for path in sorted(p for p in out.rglob("*") if p.is_file()):
                rel = folder + path.relative_to(out).as_posix()
                files[rel] = value = digest(path.read_bytes())
                made.append(rel)
                if writer.known.get(rel) != value:
                    writer.stage_move(rel, path)
            state.keys[part], state.folders[part], state.files[part] = key, folder, tuple(made)
    except BaseException:  # Ctrl-C, a failed indexer: the others must not outlive the build
        stopped.set()
        _end_indexers(futures, writer.target.parent)  # every view is beside the output
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _listing(planned: _Bundle, writer: Writer, files: dict[str, str]) -> None:
    """The bundle's ``parts.json``: its partitions other than the first."""
    from briefgen.render import search

    state, bundle = planned.state, planned.bundle
    listing = search.parts_file(
        [state.folders[p] for p in planned.parts if p != planned.first], bundle
    )
    rel = f"{bundle}{search.PARTS_FILE}"
    files[rel] = digest(listing)
    if writer.known.get(rel) != files[rel]:
        writer.stage(rel, listing)


def _end_indexers(futures: list[Future[Path]], under: Path) -> None:
    """End the indexers under way until every job is over: one whose process started just
    after a round of stopping is ended by the next round."""
    from briefgen.util import processes

    while True:
        processes.stop(under)
        if not wait(futures, timeout=0.05).not_done:
            return


def _kept_partition(
    previous: SearchState | None, part: int, key: str, folder: str, known: dict[str, str]
) -> tuple[str, ...] | None:
    """The files of a partition the last build wrote from the same pages, when every one of
    them is still in the output as written."""
    if previous is None or previous.keys.get(part) != key or previous.folders.get(part) != folder:
        return None
    kept = previous.files.get(part, ())
    return kept if kept and all(rel in known for rel in kept) else None


def keep_search(files: dict[str, str], known: dict[str, str]) -> None:
    """For a build that leaves the search index for later: ``files`` keeps the index as it is
    in the output (``known``), to be brought up to date afterwards."""
    from briefgen.render import search

    prefix = f"{search.BUNDLE_DIR}/"
    files.update({rel: value for rel, value in known.items() if rel.startswith(prefix)})
