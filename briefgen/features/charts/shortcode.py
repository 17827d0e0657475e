"""The ``chart`` shortcode: its arguments, and what its template is given.

Why a shortcode, not front matter: a chart's data sits where the reader meets it, beside
the sentence it backs, and a changed figure is one changed line in a diff; a file of data
beside the brief (``data="flows.csv"``) serves a long series. The honest-chart rules are
checked here: the value axis of a bar, column or stacked chart starts at zero; a value
that is no number is an error at its line; a chart of one point is a warning, as is one
without a title or a source (errors with ``--strict``); dates out of order are sorted, with
a note."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from briefgen.features.charts.base import Drawing, Marks
from briefgen.features.charts.data import Table, parse_date, read_csv
from briefgen.features.charts.formats import Formats
from briefgen.features.charts.scale import Axis, nice_axis
from briefgen.features.charts.svg import KINDS, svg
from briefgen.languages import direction_of
from briefgen.plugins import Call, LocalFile, Param, Shortcode, ShortcodeProblem

ZERO_BASED = ("bar", "column", "stacked")


def declaration() -> Shortcode:
    return Shortcode(
        "chart",
        (
            Param(
                "kind", required=True, positional=True, choices=tuple(KINDS), help="what is drawn"
            ),
            Param("title", help="the finding, in a sentence: what the reader should see"),
            Param("source", "source", help="the id of the brief's source of the data"),
            Param("data", "file", help="a CSV file beside the brief, instead of the body"),
            Param("unit", help="what the numbers count: apprehensions a day"),
            Param("min", help="where a line chart's value axis starts (bars start at zero)"),
            Param("mark", help="a labelled point: 2025-02-04: Troops arrive"),
            Param("rule", help="a reference line at a value: 1000: The 2024 average"),
            Param("band", help="a band between two keys: 2025-01-20..2025-02-04: Two weeks"),
        ),
        body="text",
        prepare=prepare,
        help="a chart drawn at build time as SVG, with its data as a table and a CSV file",
        words=("chart.data", "chart.download", "chart.source"),
    )


def prepare(call: Call) -> Mapping[str, Any]:  # Any: the template's context
    kind = call.args["kind"]
    table = _table(call, kind)
    if kind == "line" and table.dates:
        table = _in_order(call, table)
    if len([v for s in table.values for v in s if v is not None]) < 2:
        call.warn("one point makes no chart: give two or more, or state the figure in a sentence")
    for missing in ("title", "source"):
        if missing not in call.args:
            call.warn(f'a chart needs a {missing}: {missing}="…"')
    axis = nice_axis(_numbers(table, kind), _low(call, kind))
    formats = Formats(call.language)
    marks = _marks(call, table)
    names = [formats.date(d, short=False) for d in table.dates] if table.dates else table.keys
    ident = "chart-" + hashlib.sha256(f"{call.path}:{call.line}".encode()).hexdigest()[:8]
    return {
        "chart": {
            **drawn(kind, table, axis, formats, marks, ident, call.args.get("title", "")),
            "rows": [
                (names[i], [_cell(v, formats) for v in row])
                for i, (_, row) in enumerate(table.rows())
            ],
            "columns": (table.key_name, *table.names),
            "file": f"{Path(call.path).stem}-{call.line}.csv",
        }
    }


def drawn(
    kind: str, table: Table, axis: Axis, formats: Formats, marks: Marks, ident: str, title: str
) -> dict[str, Any]:  # Any: markup and text, as the templates take them
    """What every chart's template takes, a brief's or a topic's series: its ``svg`` (keys
    on the axis short, in the edition's words and direction), its ``csv`` download, its ``id``."""
    keys = [formats.date(d) for d in table.dates] if table.dates else list(table.keys)
    rtl = direction_of(formats.language) == "rtl"
    drawing = Drawing(table, axis, formats.number, lambda i: keys[i], rtl, marks)
    return {
        "svg": Markup(svg(kind, drawing, ident, title, describe(table, formats))),
        "csv": "data:text/csv;charset=utf-8," + quote(table.csv()),
        "id": ident,
    }


def _in_order(call: Call, table: Table) -> Table:
    """The table sorted by date, with a note at the first row out of order, if one is."""
    dates = table.dates
    later = [i for i in range(1, len(dates)) if dates[i] < dates[i - 1]]
    if not later:
        return table
    call.warn("the dates are out of order: the chart sorts them", table.lines[later[0]], note=True)
    return table.sorted_by_date()


def _cell(value: float | None, formats: Formats) -> str:
    return "" if value is None else formats.number(value)


def _table(call: Call, kind: str) -> Table:
    file: LocalFile | None = call.args.get("data")
    if file is not None and call.text.strip():
        raise ShortcodeProblem("the data is in a file or in the body, not both", "data")
    if file is not None:
        try:
            text = (Path(call.root) / file.path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise ShortcodeProblem(f"cannot read {file.path!r}: {exc}", "data") from None
        return _read(text, 1, kind, file.path)
    if not call.text.strip():
        raise ShortcodeProblem('no data: CSV in the body, or data="file.csv"')
    return _read(call.text, call.text_line, kind, "")


def _read(text: str, first: int, kind: str, where: str) -> Table:
    try:
        return read_csv(text, first, dated=kind == "line")
    except ShortcodeProblem as problem:
        if where:  # a line of another file: named in the message, reported at the argument
            raise ShortcodeProblem(f"{where}:{problem.line}: {problem.message}", "data") from None
        raise


def _numbers(table: Table, kind: str) -> list[float]:
    if kind == "stacked":
        for series in table.values:
            if any(v is not None and v < 0 for v in series):
                raise ShortcodeProblem("a stacked bar adds its parts: no part may be negative")
        return [sum(v or 0 for v in row) for _, row in table.rows()]
    return [v for s in table.values for v in s if v is not None]


def _low(call: Call, kind: str) -> float | None:
    if "min" not in call.args:
        return None
    try:
        low = float(call.args["min"])
    except ValueError:
        raise ShortcodeProblem(f"min {call.args['min']!r} is not a number", "min") from None
    if kind in ZERO_BASED and low != 0:
        raise ShortcodeProblem(
            f"a {kind} chart's value axis starts at zero: its bars' lengths are the values", "min"
        )
    return low


def _marks(call: Call, table: Table) -> Marks:
    point = rule = band = None
    if "mark" in call.args:
        key, label = _split(call.args["mark"], "mark")
        point = (_row(table, key, "mark"), label)
    if "rule" in call.args:
        value, label = _split(call.args["rule"], "rule")
        try:
            rule = (float(value), label)
        except ValueError:
            raise ShortcodeProblem(f"rule: {value!r} is not a number", "rule") from None
    if "band" in call.args:
        span, label = _split(call.args["band"], "band")
        first, _, last = span.partition("..")
        band = (_row(table, first, "band"), _row(table, last, "band"), label)
    if (point or band) and call.args["kind"] not in ("line", "column"):
        raise ShortcodeProblem(
            "a point or a band is drawn on a line or column chart", "mark" if point else "band"
        )
    return Marks(point, rule, band)


def _split(text: str, arg: str) -> tuple[str, str]:
    at, sep, label = text.partition(": ")
    if not sep or not label.strip():
        raise ShortcodeProblem(f"{arg} is written 'where: what it shows'", arg)
    return at.strip(), label.strip()


def _row(table: Table, key: str, arg: str) -> int:
    if key in table.keys:
        return table.keys.index(key)
    day = parse_date(key)
    if day is not None and day in table.dates:
        return table.dates.index(day)
    raise ShortcodeProblem(f"{key!r} is not a key of the data ({', '.join(table.keys[:4])}…)", arg)


def describe(table: Table, formats: Formats) -> str:
    """The generated description: from the first to the last value of each series, or the
    highest and lowest category."""
    parts = []
    for name, values in zip(table.names, table.values, strict=True):
        known = [(i, v) for i, v in enumerate(values) if v is not None]
        if not known:
            continue
        if table.dates:
            (a, first), (b, last) = known[0], known[-1]
            parts.append(
                f"{name}: {formats.number(first)} ({formats.date(table.dates[a], short=False)}) "
                f"→ {formats.number(last)} ({formats.date(table.dates[b], short=False)})"
            )
        else:
            high = max(known, key=lambda iv: iv[1])
            low = min(known, key=lambda iv: iv[1])
            parts.append(
                f"{name}: {table.keys[high[0]]} {formats.number(high[1])} … "
                f"{table.keys[low[0]]} {formats.number(low[1])}"
            )
    return "; ".join(parts)
