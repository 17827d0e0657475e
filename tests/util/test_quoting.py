"""How rejected values are shown in messages: single-quoted like a repr, cut to one short line."""

from __future__ import annotations

import datetime as dt

import pytest

from briefgen.util.quoting import quoted


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("tomorrow", "'tomorrow'"),
        ("it's", "'it\\'s'"),  # single quotes always, as the rest of the messages use
        ('say "no"', "'say \"no\"'"),
        ("a\nb", "'a\\nb'"),  # one message, one line
        (0, "0"),
        (2.5, "2.5"),
        (True, "true"),
        (None, "null"),
        (dt.date(2025, 2, 4), "2025-02-04"),
        ([1, 2], "a list"),
        ({"a": 1}, "a mapping"),
    ],
)
def test_values_are_shown_as_written(value: object, shown: str) -> None:
    assert quoted(value) == shown


def test_long_text_is_cut_to_sixty_characters() -> None:
    shown = quoted("x" * 200)
    assert shown == "'" + "x" * 59 + "…'"
    assert len(shown) == 62
