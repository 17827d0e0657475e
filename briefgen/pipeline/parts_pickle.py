"""How the stored parts of a site model (:mod:`briefgen.pipeline.parts`) are pickled: a part
by itself, or a value that holds parts by their keys (a page job holds its briefs, topics
and the site), so that each is stored once; a topic's briefs fetched as they are read
(:class:`Fetched`); and what stands in for the site's collections the parts do not hold,
which stops a rebuild that reads one (:class:`Withdrawn`)."""

from __future__ import annotations

import contextlib
import contextvars
import copyreg
import dataclasses
import io
import pickle
import types
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, overload

from briefgen.model.site import Body, Brief, Site, Topic, Unreadable


class Withdrawn(Unreadable):
    """A part of the model the stored parts do not hold was read: the rebuild from the
    parts stops, and a full build does the work (an ``Unreadable``: it passes through the
    handlers that report template errors)."""


class Withheld(tuple):  # type: ignore[type-arg]
    """A collection of the site the parts do not hold: empty, and reading it (but for its
    length) is :class:`Withdrawn`."""

    def __getitem__(self, index: Any) -> Any:  # Any: tuple's own signature
        raise Withdrawn("a collection of the site")

    def __iter__(self) -> Iterator[Any]:
        raise Withdrawn("a collection of the site")

    def __contains__(self, item: object) -> bool:
        raise Withdrawn("a collection of the site")


def withheld_site() -> Site:
    """A site whose every collection is :class:`Withheld`: a brief's page that reads one
    stops the rebuild."""
    return Site(
        briefs=Withheld(),
        topics=Withheld(),
        months=Withheld(),
        neighbours=_WithheldMapping(),
        related=_WithheldMapping(),
        topics_by_slug=_WithheldMapping(),
        briefs_by_slug=_WithheldMapping(),
        timeline=Withheld(),
        entities=_WithheldMapping(),
        stories=Withheld(),
        corrections=Withheld(),
        extras=_WithheldMapping(),
    )


class _WithheldMapping(Mapping[str, Any]):
    def __getitem__(self, key: str) -> Any:  # Any: what the site's mappings hold
        raise Withdrawn("a mapping of the site")

    def __iter__(self) -> Iterator[str]:
        raise Withdrawn("a mapping of the site")

    def __len__(self) -> int:
        raise Withdrawn("a mapping of the site")


_BRIEF_FIELDS = tuple(f.name for f in dataclasses.fields(Brief))
_TOPIC_FIELDS = tuple(f.name for f in dataclasses.fields(Topic) if f.name != "briefs")

# while a row is unpickled: what a key names (a brief, a topic, the site), and how a body
# kept in the cache's pack files is read
_LOADING: contextvars.ContextVar[_Loading] = contextvars.ContextVar("parts")


@dataclasses.dataclass
class _Loading:
    part: Callable[[str, str], Any]  # Any: a brief, a topic or a site
    body: Callable[[Body], str] | None


def _brief(values: tuple[Any, ...]) -> Brief:  # Any: every field's own type
    made = object.__new__(Brief)
    for name, value in zip(_BRIEF_FIELDS, values, strict=True):
        object.__setattr__(made, name, value)
    return made


def _body(name: str, text: str | None, where: tuple[str, int, int] | None) -> Body:
    loading = _LOADING.get(None)
    return Body(name, text, where, loading.body if loading is not None and where else None)


def _proxy(values: dict[str, Any]) -> Mapping[str, Any]:  # Any: front matter values
    return types.MappingProxyType(values)


def _ref(kind: str, key: str) -> Any:  # Any: the part the key names
    return _LOADING.get().part(kind, key)


def _topic(values: tuple[Any, ...], keys: tuple[str, ...]) -> Topic:  # Any: each field's type
    part = _LOADING.get().part
    briefs = Fetched(keys, lambda key: part("brief", key))
    return Topic(briefs=briefs, **dict(zip(_TOPIC_FIELDS, values, strict=True)))  # type: ignore[arg-type]


class Fetched(Sequence[Brief]):
    """A list of briefs kept as their keys: each brief is fetched from the parts when it is
    read (a feed reads the newest of a topic's briefs, not all of them)."""

    def __init__(self, keys: tuple[str, ...], fetch: Callable[[str], Brief]) -> None:
        self.keys, self._fetch = keys, fetch

    def __len__(self) -> int:
        return len(self.keys)

    @overload
    def __getitem__(self, index: int) -> Brief: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Brief, ...]: ...

    def __getitem__(self, index: int | slice) -> Brief | tuple[Brief, ...]:
        if isinstance(index, slice):
            return tuple(self._fetch(key) for key in self.keys[index])
        return self._fetch(self.keys[index])

    def __iter__(self) -> Iterator[Brief]:
        return (self._fetch(key) for key in self.keys)


def _plain_table() -> dict[type, Callable[[Any], tuple[Any, ...]]]:
    table: dict[type, Callable[[Any], tuple[Any, ...]]] = dict(copyreg.dispatch_table)
    table[Body] = lambda b: (_body, (b.digest, b.text, b.where))
    table[types.MappingProxyType] = lambda m: (_proxy, (dict(m),))
    return table


AS_ROW = _plain_table()
AS_ROW[Brief] = lambda b: (_brief, (tuple(getattr(b, n) for n in _BRIEF_FIELDS),))
AS_ROW[Topic] = lambda t: (
    _topic,
    (tuple(getattr(t, n) for n in _TOPIC_FIELDS), tuple(b.source_path for b in t.briefs)),
)
BY_KEY = _plain_table()
BY_KEY[Brief] = lambda b: (_ref, ("brief", b.source_path))
BY_KEY[Topic] = lambda t: (_ref, ("topic", t.slug))
BY_KEY[Site] = lambda s: (_ref, ("site", ""))
TOPIC_ROW = dict(BY_KEY)  # a topic itself, naming the briefs of its figures and timeline
TOPIC_ROW[Topic] = AS_ROW[Topic]


def dumps(value: Any, table: Mapping[type, Any]) -> bytes:  # Any: a row's value
    """``value`` pickled with ``table``: :data:`AS_ROW` for a part itself, :data:`BY_KEY`
    for a value that names the parts it holds, :data:`TOPIC_ROW` for a topic."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = table  # type: ignore[assignment]
    pickler.dump(value)
    return out.getvalue()


@contextlib.contextmanager
def loading(
    part: Callable[[str, str], Any], body: Callable[[Body], str] | None
) -> Iterator[None]:  # Any: a brief, a topic or the site
    """While open, an unpickled key finds its part with ``part(kind, key)``, and a body
    kept in the cache's pack files is read with ``body``."""
    token = _LOADING.set(_Loading(part, body))
    try:
        yield
    finally:
        _LOADING.reset(token)
