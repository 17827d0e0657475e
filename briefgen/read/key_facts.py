"""The ``key_facts`` field: plain strings, or figures with their label and source, a figure
that is a number possibly a point of a ``series`` at a ``date`` (the charts feature draws
a topic's series)."""

from __future__ import annotations

from typing import Any

from briefgen.model.briefing import KeyFact, PartialDate
from briefgen.read.fields import entries, partial_date, source_ref
from briefgen.read.frontmatter import FieldChecker


def key_facts(
    c: FieldChecker,
    value: Any,  # Any: a front matter value, any YAML type
    ids: set[str],
) -> tuple[KeyFact, ...]:
    """Strings, or ``{figure, label, source}`` mappings (``source`` names a source id), a
    figure that is a number possibly a point of a ``series`` at a ``date``."""
    out = []
    for i, item in entries(c, value, "key_facts", "a fact"):
        key = ("key_facts", i)
        if not isinstance(item, dict):
            text = c.text(item, key)
            if text is not None:
                out.append(KeyFact(text))
            continue
        for extra in sorted(set(item) - set(KEY_FACT_FIELDS), key=str):
            known = ", ".join(KEY_FACT_FIELDS)
            c.error(key + (extra,), f"unknown key fact field {extra!r} ({known})")
        number = item.get("figure")
        figure = number
        if isinstance(figure, (int, float)) and not isinstance(figure, bool):
            figure = f"{figure:,}" if isinstance(figure, int) else str(figure)
        figure = c.text(figure, key + ("figure",), required=True)
        label = c.text(item.get("label"), key + ("label",), required=True)
        source = source_ref(c, item.get("source"), key + ("source",), ids)
        series, date, point = _series_point(c, item, key, number)
        if figure and label:
            line = c.where(key)[0]
            out.append(
                KeyFact(f"{figure} {label}", figure, label, source, series, date, point, line)
            )
    return tuple(out)


KEY_FACT_FIELDS = ("figure", "label", "source", "series", "date")


def _series_point(
    c: FieldChecker,
    item: dict,
    key: tuple,
    number: Any,  # Any: the figure as written, any YAML type
) -> tuple[str | None, PartialDate | None, float | None]:
    """(series, date, value) of a key fact that is a point of a series; Nones otherwise."""
    if "series" not in item:
        if "date" in item:
            c.error(key + ("date",), "a key fact's 'date' places it in a 'series': name one")
        return None, None, None
    series = c.text(item.get("series"), key + ("series",), required=True)
    if isinstance(number, bool) or not isinstance(number, (int, float)):
        c.error(
            key + ("figure",), "a point of a series has a number for its figure: 229, not '229'"
        )
        return None, None, None
    if "date" not in item:
        c.error(key + ("series",), "a point of a series needs its 'date': 2025-02-04")
        return None, None, None
    date = partial_date(c, item["date"], key + ("date",))
    return (series, date, float(number)) if series and date else (None, None, None)
