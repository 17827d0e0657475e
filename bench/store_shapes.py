"""Three shapes for the store a rebuild loads in proportion to its change, measured on the
records of a real build.

The cache keeps each brief's front matter as read (``parsed``) and, per output folder, what
each page read (``pages``). A rebuild driven by what changed needs two things of them: a
few records by key (the briefs that changed, the pages that read them), and, from a part of
the model, the pages that read it (the reverse of ``pages``). Three shapes are compared:

- **one pickle**: today's, a whole mapping per file (with a file of changes beside it);
- **shards**: the mapping split into 256 pickles by a hash of the key;
- **SQLite** (the standard library's): one row per record, an indexed table of part → page.

Each is written whole, loaded whole, asked for 20 records, and has 20 records replaced.
Every record is signed with HMAC-SHA256 as the cache signs its files (per file for the
pickles, per row for SQLite), so the shapes pay the same for trust. The cycle collector is
off, as it is during a build.

    python bench/store_shapes.py SITE        # a site built once, so that its cache is full
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import hmac
import os
import pickle
import random
import sqlite3
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from briefgen.config.load import load_config  # noqa: E402
from briefgen.pipeline.cache import Cache  # noqa: E402
from briefgen.pipeline.extensions import cache_fingerprint, load_plugins  # noqa: E402
from briefgen.pipeline.state import output_state_name, pages_name  # noqa: E402

KEY = os.urandom(32)
SHARDS = 256
ASKED = 20


def _sign(blob: bytes) -> bytes:
    return hmac.new(KEY, blob, hashlib.sha256).digest() + blob


def _check(blob: bytes) -> bytes:
    mac, body = blob[:32], blob[32:]
    assert hmac.compare_digest(mac, hmac.new(KEY, body, hashlib.sha256).digest())
    return body


def _dump(value: object) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


class OnePickle:
    name = "one pickle"

    def __init__(self, folder: Path) -> None:
        self.path = folder / "all.pickle"

    def write_all(self, records: dict[str, object]) -> None:
        self.path.write_bytes(_sign(_dump(records)))

    def load_all(self) -> dict[str, object]:
        return pickle.loads(_check(self.path.read_bytes()))

    def get(self, keys: Iterable[str]) -> list[object]:
        every = self.load_all()
        return [every[k] for k in keys]

    def put(self, changed: dict[str, object]) -> None:  # today: a file of changes beside it
        (self.path.parent / "delta.pickle").write_bytes(_sign(_dump(changed)))


class Shards:
    name = "256 shards"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @staticmethod
    def shard(key: str) -> int:
        return hashlib.blake2b(key.encode(), digest_size=2).digest()[0]

    def _path(self, n: int) -> Path:
        return self.folder / f"{n:02x}.pickle"

    def write_all(self, records: dict[str, object]) -> None:
        split: dict[int, dict[str, object]] = defaultdict(dict)
        for key, value in records.items():
            split[self.shard(key)][key] = value
        for n, part in split.items():
            self._path(n).write_bytes(_sign(_dump(part)))

    def _load(self, n: int) -> dict[str, object]:
        try:
            return pickle.loads(_check(self._path(n).read_bytes()))
        except FileNotFoundError:
            return {}

    def load_all(self) -> dict[str, object]:
        every: dict[str, object] = {}
        for n in range(SHARDS):
            every.update(self._load(n))
        return every

    def get(self, keys: Iterable[str]) -> list[object]:
        loaded: dict[int, dict[str, object]] = {}
        out = []
        for key in keys:
            n = self.shard(key)
            if n not in loaded:
                loaded[n] = self._load(n)
            out.append(loaded[n][key])
        return out

    def put(self, changed: dict[str, object]) -> None:
        by_shard: dict[int, dict[str, object]] = defaultdict(dict)
        for key, value in changed.items():
            by_shard[self.shard(key)][key] = value
        for n, part in by_shard.items():
            merged = self._load(n) | part
            self._path(n).write_bytes(_sign(_dump(merged)))


class Sqlite:
    name = "SQLite"

    def __init__(self, folder: Path) -> None:
        self.db = sqlite3.connect(folder / "store.db")
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("CREATE TABLE facts (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID")
        self.db.execute("CREATE TABLE readers (part BLOB, page TEXT)")

    def write_all(self, records: dict[str, object]) -> None:
        with self.db:
            self.db.executemany(
                "INSERT INTO facts VALUES (?, ?)",
                ((k, _sign(_dump(v))) for k, v in records.items()),
            )

    def load_all(self) -> dict[str, object]:
        rows = self.db.execute("SELECT key, value FROM facts")
        return {k: pickle.loads(_check(v)) for k, v in rows}

    def get(self, keys: Iterable[str]) -> list[object]:
        out = []
        for key in keys:
            (blob,) = self.db.execute("SELECT value FROM facts WHERE key = ?", (key,)).fetchone()
            out.append(pickle.loads(_check(blob)))
        return out

    def put(self, changed: dict[str, object]) -> None:
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO facts VALUES (?, ?)",
                ((k, _sign(_dump(v))) for k, v in changed.items()),
            )

    def write_readers(self, readers: dict[bytes, list[str]]) -> None:
        with self.db:
            self.db.executemany(
                "INSERT INTO readers VALUES (?, ?)",
                ((part, page) for part, pages in readers.items() for page in pages),
            )
            self.db.execute("CREATE INDEX readers_part ON readers (part)")

    def readers_of(self, parts: list[bytes]) -> set[str]:
        found: set[str] = set()
        for part in parts:
            found.update(
                p for (p,) in self.db.execute("SELECT page FROM readers WHERE part = ?", (part,))
            )
        return found

    def size(self) -> int:
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return sum(
            p.stat().st_size
            for p in Path(self.db.execute("PRAGMA database_list").fetchone()[2]).parent.iterdir()
        )


def _timed(action: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    value = action()
    return time.perf_counter() - started, value


def _folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir())


def measure(name: str, records: dict[str, object], shape_of: Callable[[Path], object]) -> None:
    keys = random.Random(7).sample(sorted(records), ASKED)
    with tempfile.TemporaryDirectory() as tmp:
        store = shape_of(Path(tmp))
        write, _ = _timed(lambda: store.write_all(records))  # type: ignore[attr-defined]
        size = store.size() if isinstance(store, Sqlite) else _folder_size(Path(tmp))
        load, _ = _timed(store.load_all)  # type: ignore[attr-defined]
        get, _ = _timed(lambda: store.get(keys))  # type: ignore[attr-defined]
        put, _ = _timed(lambda: store.put({k: records[k] for k in keys}))  # type: ignore[attr-defined]
        print(
            f"| {name} | {store.name} | {write * 1000:,.0f} | {load * 1000:,.0f} | "  # type: ignore[attr-defined]
            f"{get * 1000:,.1f} | {put * 1000:,.1f} | {size / 1e6:,.1f} |"
        )


def readers(pages: dict[str, object]) -> dict[bytes, list[str]]:
    """The reverse of the page records: each part of the model → the pages that read it."""
    out: dict[bytes, list[str]] = defaultdict(list)
    for page, record in pages.items():
        for dep, _digest in record.reads:  # type: ignore[attr-defined]
            out[_dump(dep)].append(page)
    return out


def measure_readers(pages: dict[str, object]) -> None:
    started = time.perf_counter()
    reverse = readers(pages)
    invert = time.perf_counter() - started
    parts = random.Random(7).sample(sorted(reverse), ASKED)
    with tempfile.TemporaryDirectory() as tmp:
        store = Sqlite(Path(tmp))
        write, _ = _timed(lambda: store.write_readers(reverse))
        ask, found = _timed(lambda: store.readers_of(parts))
        scan, _ = _timed(lambda: _scan(pages, parts))
    print(
        f"\npart → pages: {len(reverse):,} parts, {sum(map(len, reverse.values())):,} readings;"
        f" inverted in memory in {invert * 1000:,.0f} ms, written to SQLite in"
        f" {write * 1000:,.0f} ms; the readers of {ASKED} parts ({len(found):,} pages):"
        f" {ask * 1000:,.1f} ms by index, {scan * 1000:,.0f} ms by scanning every record"
    )


def _scan(pages: dict[str, object], parts: list[bytes]) -> set[str]:
    wanted = {pickle.loads(p) for p in parts}
    return {
        page
        for page, record in pages.items()
        if any(dep in wanted for dep, _ in record.reads)  # type: ignore[attr-defined]
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="a site built once (its cache is read)")
    args = parser.parse_args()
    gc.disable()  # as a build runs (pipeline/build.py): the collector would walk every record
    root = args.site.resolve()
    config, diags = load_config(root)
    config = load_plugins(config, diags, ())
    with Cache(root, writable=False) as cache:
        parsed = cache.load_map("parsed")
        cache.fingerprint = cache_fingerprint(cache.fingerprint, config)
        pages = cache.load_map(pages_name(output_state_name(config.output_path)))
    if not parsed or not pages:
        sys.exit(f"{root}: no cache of a build of public/ here; build the site first")
    print(f"{len(parsed):,} parsed records, {len(pages):,} page records\n")
    print("| records | shape | write all ms | load all ms | get 20 ms | put 20 ms | MB |")
    print("|---|---|--:|--:|--:|--:|--:|")
    for name, records in (("parsed", parsed), ("pages", pages)):
        for shape in (OnePickle, Shards, Sqlite):
            measure(name, records, shape)
    measure_readers(pages)


if __name__ == "__main__":
    main()
