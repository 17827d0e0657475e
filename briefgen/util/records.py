"""Frozen, slotted dataclasses that the cache pickles by the hundred thousand.

``@record`` is ``@dataclass(frozen=True, slots=True)`` with a quicker way back from a pickle.
The standard library restores such a class field by field through ``dataclasses.fields``,
which walks the class's field table for every object: a third of the time a cache of
10,000 briefs takes to load (155,000 objects). A record keeps its state as a tuple in the
order of its fields and sets it back through the slots' own descriptors, which a frozen
class's ``__setattr__`` does not guard. :func:`evolve` makes a changed copy the same way.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable
from typing import TypeVar, dataclass_transform

T = TypeVar("T")


@dataclass_transform(frozen_default=True)
def record(cls: type[T] | None = None, /, *, order: bool = False) -> type[T] | Callable[..., T]:
    """``@record`` or ``@record(order=True)`` on a class: see the module's docstring."""

    def wrap(plain: type[T]) -> type[T]:
        return _quick_pickle(dataclasses.dataclass(frozen=True, slots=True, order=order)(plain))

    return wrap if cls is None else wrap(cls)


def _quick_pickle(cls: type[T]) -> type[T]:
    names = tuple(field.name for field in dataclasses.fields(cls))
    setters = tuple(cls.__dict__[name].__set__ for name in names)
    values = operator.attrgetter(*names)
    one = len(names) == 1

    def __getstate__(self: T) -> tuple[object, ...]:
        return (values(self),) if one else values(self)

    def __setstate__(self: T, state: tuple[object, ...]) -> None:
        for put, value in zip(setters, state, strict=True):
            put(self, value)

    cls.__getstate__ = __getstate__
    cls.__setstate__ = __setstate__
    cls.__record_places__ = {name: place for place, name in enumerate(names)}
    return cls


def evolve(value: T, **changes: object) -> T:
    """A copy of a ``@record`` with ``changes``, made as a pickle restores one: without
    ``__init__`` and ``__post_init__``, which checked the values when the record was made
    (``dataclasses.replace`` runs both, for each of the tens of thousands of records a
    build changes in this way)."""
    kind = type(value)
    places = kind.__record_places__
    state = list(value.__getstate__())
    for name, new in changes.items():
        state[places[name]] = new
    copy = object.__new__(kind)
    copy.__setstate__(state)
    return copy
