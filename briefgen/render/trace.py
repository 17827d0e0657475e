"""What a page was made from. Every attribute a template reads from the site model passes
through the Jinja environment's ``getattr``/``getitem``; a page's render writes those reads
down, and the page is rendered again only when one of them would now read differently.

A dependency names a part of the model, never a value: ``("brief", path, "meta")`` is a
brief's front matter and addresses, ``("brief", path, "body")`` its rendered body and what
is derived from it, ``("topic", slug, "briefs")`` the list of a topic's briefs, ``("site",
name)`` one of the site's collections. :class:`Digests` says what each part holds now.
Rendering is deterministic, so a page whose dependencies all read the same renders the same
bytes (the verifying-trace model of build systems).

Not seen by this: a filter or test written in Python that reads a model object itself (the
theme's own filters take strings and dates), and ``{{ brief }}`` printed whole.
"""

from __future__ import annotations

import dataclasses
import functools
import pickle
from collections.abc import Mapping
from typing import Any

import jinja2

from briefgen.model.site import Brief, Month, Site, Topic
from briefgen.render.watch import BODY_ATTRS
from briefgen.util.hashing import digest

_TOPIC_LIST_ATTRS = frozenset({"briefs", "count"})
_BRIEF_META = tuple(
    f.name for f in dataclasses.fields(Brief) if f.name not in BODY_ATTRS | {"fingerprint"}
)
_TOPIC_META = tuple(f.name for f in dataclasses.fields(Topic) if f.name != "briefs")
_SITE_MAPPINGS = ("neighbours", "related", "topics_by_slug", "briefs_by_slug")

_MISSING = object()

# a part of the model a page read: ("brief", path, "body"), ("site", name), ("month", 2025, 2)…
Dep = tuple[Any, ...]  # Any: names, paths and numbers, by the kind of part


def identity(value: Any) -> Any:  # Any: whatever a page's context holds
    """A value with every model object replaced by its name: what a page was given, apart
    from what those objects hold (that is read through the tracer)."""
    kind = type(value)
    if kind is str or value is None or kind is int or kind is bool:
        return value
    if kind is Brief:
        return ("brief", value.source_path)
    if kind is Topic:
        return ("topic", value.slug)
    if kind is Month:
        return ("month", value.year, value.month)
    if kind is Site:
        return ("site",)
    if kind is tuple or kind is list:
        return tuple([identity(v) for v in value])
    if isinstance(value, Mapping):
        return tuple([(k, identity(v)) for k, v in value.items()])
    names = _field_names(kind)
    if names:
        return (kind.__name__, *[identity(getattr(value, n)) for n in names])
    return value


@functools.cache
def _field_names(kind: type) -> tuple[str, ...]:
    if not dataclasses.is_dataclass(kind):
        return ()
    return tuple(f.name for f in dataclasses.fields(kind))


def _fingerprint(values: tuple[Any, ...]) -> str:  # Any: plain values of any type
    """A digest of plain values, by pickling (in C, unlike repr). Equal values pickled with
    different object sharing may differ: that costs a render, never a stale page."""
    try:
        return digest(pickle.dumps(values, protocol=5))
    except Exception:  # an unpicklable front matter value: fall back to its text
        return digest(repr(values))


def _named(value: Any) -> str:  # Any: a part of the site model
    """The digest of ``identity(value)``'s text, made without it for a tuple of briefs (a
    topic's, a month's, the site's: 10,000 at 10,000 briefs)."""
    if type(value) is tuple and all(type(item) is Brief for item in value):
        return digest("briefs\0" + "\0".join([item.source_path for item in value]))
    return digest(repr(identity(value)))


class Digests:
    """What each dependency holds in this build's site, worked out once per dependency."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.briefs = {b.source_path: b for b in site.briefs}
        self.months = {(m.year, m.month): m for m in site.months}
        self.memo: dict[Dep, str | None] = {}

    def __call__(self, dep: Dep) -> str | None:
        try:
            return self.memo[dep]
        except KeyError:
            value = self.memo[dep] = self._compute(dep)
            return value

    def hold(self, reads: tuple[tuple[Dep, str | None], ...]) -> bool:
        """Whether every part read still has the digest it had (:meth:`__call__` for each,
        without a call per part: a site of 10,000 briefs checks some 150,000 of them)."""
        memo, missing = self.memo, _MISSING
        for dep, had in reads:
            now = memo.get(dep, missing)
            if now is missing:
                now = memo[dep] = self._compute(dep)
            if now != had:
                return False
        return True

    def _compute(self, dep: Dep) -> str | None:
        kind = dep[0]
        if kind == "brief":
            brief = self.briefs.get(dep[1])
            if brief is None:
                return None
            if dep[2] == "body":  # the body's digest names its HTML; the rest is read apart
                toc = [(h.level, h.id, h.text) for h in brief.toc]
                named = f"{brief.body.digest}|{brief.show_toc:d}|{brief.word_count}"
                return f"{named}|{digest(repr(toc))}" if toc else named
            if brief.fingerprint:  # the metadata as read, with all that assembling adds to it
                return digest(repr((brief.fingerprint, brief.citations, brief.go_deeper)))
            return digest(repr(tuple(getattr(brief, name) for name in _BRIEF_META)))
        if kind == "topic":
            topic = self.site.topics_by_slug.get(dep[1])
            if topic is None:
                return None
            if dep[2] == "briefs":
                return _named(topic.briefs)
            # briefs in a topic's numbers and timeline count by name: what a page reads of
            # them is traced on its own
            return _fingerprint(tuple([identity(getattr(topic, name)) for name in _TOPIC_META]))
        if kind == "month":
            month = self.months.get((dep[1], dep[2]))
            return None if month is None else _named(month.briefs)
        if kind == "site":
            value = getattr(self.site, dep[1])
            if dep[1] in _SITE_MAPPINGS:
                value = tuple(value)  # which keys exist; each value read is its own dependency
            return _named(value)
        if kind == "site-item":
            mapping = getattr(self.site, dep[1])
            return digest(repr(identity(mapping.get(dep[2]))))
        if kind == "site-all":
            return digest(repr(identity(getattr(self.site, dep[1]))))
        return None


class TracingEnvironment(jinja2.Environment):
    """A Jinja environment that writes down which parts of the site model a render reads,
    into ``reads`` while it is a set (between :meth:`start` and :meth:`stop`)."""

    reads: set[Dep] | None = None
    mappings: dict[int, str] = {}  # noqa: RUF012 - set per instance by start()

    def start(self, site: Site) -> None:
        self.reads = set()
        self.mappings = {id(getattr(site, name)): name for name in _SITE_MAPPINGS}

    def stop(self) -> set[Dep]:
        reads, self.reads = self.reads or set(), None
        return reads

    def getattr(self, obj: Any, attribute: str) -> Any:  # Any: Jinja's own signature
        if self.reads is not None:
            self._note(obj, attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:  # Any: Jinja's own signature
        if self.reads is not None:
            self._note(obj, argument)
        return super().getitem(obj, argument)

    def _note(self, obj: Any, name: Any) -> None:  # Any: what a template reads, and by what
        reads = self.reads
        assert reads is not None
        kind = type(obj)
        if kind is Brief:
            part = "body" if name in BODY_ATTRS else "meta"
            reads.add(("brief", obj.source_path, part))
        elif kind is Topic:
            part = "briefs" if name in _TOPIC_LIST_ATTRS else "meta"
            reads.add(("topic", obj.slug, part))
        elif kind is Month:
            if name == "briefs":
                reads.add(("month", obj.year, obj.month))
        elif kind is Site:
            reads.add(("site", name))
        else:
            mapping = self.mappings.get(id(obj))
            if mapping is not None:
                if isinstance(name, str) and name in ("items", "values", "keys", "get"):
                    reads.add(("site-all", mapping))
                else:
                    reads.add(("site-item", mapping, name))
