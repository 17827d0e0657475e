"""``@record``: frozen, slotted dataclasses that pickle as a tuple of their fields and are
copied with changes without running ``__init__`` again."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle

import pytest

from briefgen.model.dates import Timestamp
from briefgen.model.site import Body
from briefgen.render.pages import PageRecord
from briefgen.util.records import evolve, record


@record
class Point:
    x: int
    y: int = 0
    label: str = ""

    def __post_init__(self) -> None:
        if self.x < 0:
            raise ValueError("x below zero")


@record(order=True)
class One:
    value: int


def test_a_record_is_a_frozen_slotted_dataclass() -> None:
    point = Point(1, 2)
    assert dataclasses.is_dataclass(point) and not hasattr(point, "__dict__")
    with pytest.raises(dataclasses.FrozenInstanceError):
        point.x = 3  # type: ignore[misc]
    assert One(1) < One(2)


@pytest.mark.parametrize(
    "value",
    [
        Point(1, 2, "a"),
        One(5),
        Body("digest", "text", ("a.pack", 0, 4)),
        PageRecord("key", ((("brief", "a.md", "body"), "d"),), (b"mark",)),
    ],
    ids=["fields", "one-field", "body", "page-record"],
)
def test_a_record_comes_back_from_a_pickle_equal(value: object) -> None:
    for protocol in (2, pickle.HIGHEST_PROTOCOL):
        again = pickle.loads(pickle.dumps(value, protocol=protocol))
        assert again == value and type(again) is type(value)


def test_the_state_is_the_fields_in_order() -> None:
    assert Point(1, 2, "a").__getstate__() == (1, 2, "a")
    assert One(5).__getstate__() == (5,)


def test_evolve_changes_the_fields_named_and_leaves_the_original() -> None:
    point = Point(1, 2, "a")
    moved = evolve(point, y=7, label="b")
    assert moved == Point(1, 7, "b") and point == Point(1, 2, "a")
    day = Timestamp.from_value(dt.date(2025, 1, 2))
    assert evolve(day, has_time=True) == Timestamp(day.moment, True)


def test_evolve_does_not_check_again_and_refuses_unknown_fields() -> None:
    assert evolve(Point(1), x=-1).x == -1  # __post_init__ ran when the record was made
    with pytest.raises(KeyError):
        evolve(Point(1), z=3)
