"""The parts of the last build's site model that a rebuild after a body edit reads, kept by
key in an SQLite file of the cache (``<output record>-parts.sqlite``): each published brief
as templates saw it with what its render found (headings, links, citations, problems), the
job of each brief's page with the record of what that page read, which pages read each
brief's body, which briefs' bodies plugins read of the whole site, the stamp of every input
and what rendering one body needs (the link resolver). A rebuild loads the few rows it needs
(:mod:`briefgen.pipeline.patch`), not the model of every brief.

Why SQLite: measured in ``bench/README.md`` ("The store's shape"), it answers a lookup by
key in milliseconds whatever the size of the site, where a pickle must be loaded whole, and
its transactions keep the file whole when a write fails. Rows are pickles signed with the
cache's key, like every record of the cache: a file that arrives with the site is never
unpickled. A row that fails its signature makes the whole file unusable (a full build
follows, and writes it again).

Objects are stored once: a page job names the briefs, topics and the site it holds by key
by key, and loading it fetches each brief's row. A topic keeps its briefs as keys, each
brief fetched when it is read (:class:`~briefgen.pipeline.parts_pickle.Fetched`). The site's
other collections are withheld: a page that reads one stops the rebuild, and a full build
does the work.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from briefgen.model.output import PageJob
from briefgen.model.site import Brief, Site, Topic
from briefgen.pipeline.cache import Cache
from briefgen.pipeline.parts_pickle import (
    AS_ROW,
    BY_KEY,
    TOPIC_ROW,
    Fetched,
    Withdrawn,
    dumps,
    loading,
    withheld_site,
)
from briefgen.util.hashing import digest

__all__ = ["Changes", "Parts", "PartsUnusable", "Withdrawn", "brief_row"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS facts (name TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS briefs (path TEXT PRIMARY KEY, digest TEXT NOT NULL,
                                   value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS topics (slug TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS pages (brief TEXT PRIMARY KEY, file TEXT NOT NULL,
                                  value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS readers (brief TEXT NOT NULL, file TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS readers_brief ON readers (brief);
CREATE INDEX IF NOT EXISTS readers_file ON readers (file);
"""


class Parts:
    """One output folder's parts, in ``<cache>/<name>-parts.sqlite``. Every method that
    reads raises :class:`PartsUnusable` when the file is damaged, not this user's or not
    this code's."""

    def __init__(self, cache: Cache, state_name: str) -> None:
        self.cache = cache
        self.path = cache.folder / state_name.replace(".pickle", "-parts.sqlite")
        self._db: sqlite3.Connection | None = None
        self._site = withheld_site()
        self._briefs: dict[str, Brief] = {}
        self._topics: dict[str, Topic] = {}

    @property
    def site(self) -> Site:
        """The site that stored page jobs hold: every collection withheld."""
        return self._site

    def __enter__(self) -> Parts:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _connect(self, create: bool) -> sqlite3.Connection:
        if self._db is None:
            if not create and not self.path.is_file():
                raise PartsUnusable("absent", damaged=False)
            try:
                if create:  # private, as every record of the cache is
                    os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
                db = sqlite3.connect(self.path, isolation_level=None)
                if create:
                    db.executescript(_SCHEMA)
                else:
                    _whole(db, self.path)
            except sqlite3.Error as exc:
                raise PartsUnusable(str(exc)) from None
            self._db = db
        return self._db

    # reading ----------------------------------------------------------------------------

    def fact(self, name: str) -> Any:  # Any: a fact's own value
        """A fact of the whole site (``token``, ``stamps``, ``kit``, ``watched``), or None."""
        row = self._one("SELECT value FROM facts WHERE name = ?", name)
        return None if row is None else self._loads(row)

    def brief(self, path: str) -> tuple[Brief, Any] | None:  # Any: what its render found
        """The brief at ``path`` as the last build made it, and what its render found."""
        row = self._one("SELECT value FROM briefs WHERE path = ?", path)
        return None if row is None else self._loads(row)

    def page(self, brief: Brief) -> tuple[PageJob, Any] | None:  # Any: its page record
        """The job of ``brief``'s page, holding ``brief`` itself (a newer version of the
        stored one, perhaps), and the record of what the page read when it was built."""
        row = self._one("SELECT value FROM pages WHERE brief = ?", brief.source_path)
        if row is None:
            return None
        self._briefs[brief.source_path] = brief
        return self._loads(row)

    def whole_site(self) -> Site:
        """The site as the hooks that are handed the whole site see it: its briefs and each
        topic's, fetched from the parts as they are read (a feed reads the newest); every
        other collection withheld. An edited brief given to :meth:`page` is its new self."""
        order, slugs = self.fact("order"), self.fact("topics")
        if order is None or slugs is None:
            raise PartsUnusable("no order of the briefs")
        topics = tuple(self._part("topic", slug) for slug in slugs)
        return dataclasses.replace(
            self._site,
            briefs=Fetched(order, lambda key: self._part("brief", key)),
            topics=topics,
            topics_by_slug={t.slug: t for t in topics},
        )

    def readers(self, path: str) -> set[str]:
        """The pages that read the body of the brief at ``path``."""
        try:
            rows = self._connect(False).execute("SELECT file FROM readers WHERE brief = ?", (path,))
            return {file for (file,) in rows}
        except sqlite3.Error as exc:
            raise PartsUnusable(str(exc)) from None

    def _one(self, sql: str, key: str) -> bytes | None:
        try:
            row = self._connect(False).execute(sql, (key,)).fetchone()
        except sqlite3.Error as exc:
            raise PartsUnusable(str(exc)) from None
        return None if row is None else row[0]

    def _loads(self, blob: bytes) -> Any:  # Any: a row's value
        data = self.cache.unseal(blob)
        if data is None:
            raise PartsUnusable("a row fails its signature")
        with loading(self._part, self.cache.get_body):
            try:
                return pickle.loads(data)
            except Withdrawn:
                raise
            except Exception as exc:  # noqa: BLE001 - signed, but unreadable: damaged
                raise PartsUnusable(f"a row cannot be read: {exc}") from None

    def _part(self, kind: str, key: str) -> Any:  # Any: a brief, a topic or the site
        if kind == "site":
            return self._site
        if kind == "brief":
            if key not in self._briefs:
                found = self.brief(key)
                if found is None:
                    raise PartsUnusable(f"no row for the brief {key}")
                self._briefs[key] = found[0]
            return self._briefs[key]
        if key not in self._topics:
            row = self._one("SELECT value FROM topics WHERE slug = ?", key)
            if row is None:
                raise PartsUnusable(f"no row for the topic {key}")
            self._topics[key] = self._loads(row)
        return self._topics[key]

    # writing ----------------------------------------------------------------------------

    def write(self, changes: Changes) -> bool:
        """Write ``changes`` in one transaction: the file holds all of them or none. A disk
        that refuses is the cache's failure (``cache.failed``); a file found damaged is
        removed. Returns whether the changes were written."""
        if not self.cache.writable:
            return False
        try:
            if changes.whole:  # whatever the file held, damaged perhaps, goes
                self.remove()
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = self._connect(True)
            db.execute("BEGIN")
            try:
                self._apply(db, changes)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        except (sqlite3.OperationalError, OSError) as exc:  # a full or read-only disk
            self.close()
            self.remove()
            if self.cache.failed is None:
                self.cache.failed = (str(self.path), str(exc))
            return False
        except (sqlite3.Error, PartsUnusable):  # damaged under the build: none kept
            self.close()
            self.remove()
            return False
        return True

    def _apply(self, db: sqlite3.Connection, changes: Changes) -> None:
        seal = self.cache.seal
        db.executemany(
            "INSERT OR REPLACE INTO facts VALUES (?, ?)",
            [(name, seal(dumps(value, AS_ROW))) for name, value in changes.facts.items()],
        )
        db.executemany(
            "INSERT OR REPLACE INTO briefs VALUES (?, ?, ?)",
            [(path, name, seal(data)) for path, (name, data) in changes.briefs.items()],
        )
        db.executemany("DELETE FROM briefs WHERE path = ?", [(p,) for p in changes.gone])
        db.executemany("DELETE FROM pages WHERE brief = ?", [(p,) for p in changes.gone])
        db.executemany(
            "INSERT OR REPLACE INTO topics VALUES (?, ?)",
            [(t.slug, seal(dumps(t, TOPIC_ROW))) for t in changes.topics],
        )
        db.executemany(
            "INSERT OR REPLACE INTO pages VALUES (?, ?, ?)",
            [
                (job.context["brief"].source_path, job.file, seal(dumps((job, rec), BY_KEY)))
                for job, rec in changes.pages
            ],
        )
        db.executemany("DELETE FROM readers WHERE file = ?", [(f,) for f in changes.read])
        db.executemany(
            "INSERT INTO readers VALUES (?, ?)",
            [(brief, file) for file, briefs in changes.read.items() for brief in briefs],
        )

    def digests(self) -> dict[str, str]:
        """Each stored brief's digest, by path (empty when the file is absent)."""
        try:
            rows = self._connect(False).execute("SELECT path, digest FROM briefs")
            return dict(rows.fetchall())
        except (sqlite3.Error, PartsUnusable):
            return {}

    def remove(self) -> None:
        self.close()
        if self.cache.writable:
            for suffix in ("", "-journal"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)


def _whole(db: sqlite3.Connection, path: Path) -> None:
    """Raise when the file is shorter than its header says: cut short, its last pages would
    be found missing only when a query reads them."""
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    size = db.execute("PRAGMA page_size").fetchone()[0]
    if path.stat().st_size < pages * size:
        db.close()
        raise PartsUnusable("cut short")


@dataclasses.dataclass
class Changes:
    """What a build changes in the stored parts. ``whole``: everything stored goes first."""

    whole: bool
    facts: dict[str, Any] = dataclasses.field(default_factory=dict)  # Any: each fact's value
    briefs: dict[str, tuple[str, bytes]] = dataclasses.field(default_factory=dict)
    gone: list[str] = dataclasses.field(default_factory=list)  # briefs no longer published
    topics: list[Topic] = dataclasses.field(default_factory=list)
    pages: list[tuple[PageJob, Any]] = dataclasses.field(default_factory=list)  # (job, record)
    read: dict[str, Iterable[str]] = dataclasses.field(default_factory=dict)  # page → bodies


def brief_row(brief: Brief, found: Any) -> tuple[str, bytes]:  # Any: what its render found
    """A brief's row: the digest that tells whether it changed, and its pickle."""
    data = dumps((brief, found), AS_ROW)
    return digest(data), data


class PartsUnusable(Exception):
    """The stored parts cannot be used: absent, or ``damaged`` (cut short, bytes changed,
    a row that fails its signature)."""

    def __init__(self, why: str, damaged: bool = True) -> None:
        super().__init__(why)
        self.damaged = damaged
