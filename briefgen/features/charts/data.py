"""A chart's data, read from its shortcode: CSV in the shortcode's body or in a file beside
the brief (``data="flows.csv"``). The first row names the columns; the first column holds
the dates (a line chart: ``2025``, ``2025-02`` or ``2025-02-04``, as the timeline's) or the
categories (the other kinds); each further column is a series of numbers. An empty cell is
a missing value. Every problem is reported at its line of the file: a value that is no
number, a date that is no date, a row of the wrong width."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from briefgen.model.briefing import PartialDate
from briefgen.plugins import ShortcodeProblem

_DATE = re.compile(r"(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$")
_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")


@dataclass(frozen=True)
class Table:
    """The data of one chart: the first column's values (``keys``, text as written), their
    dates when they are dates, the series' names and, by series, one value a row (None
    where the cell is empty), with the file line each row was read from."""

    key_name: str
    keys: tuple[str, ...]
    dates: tuple[PartialDate, ...]  # empty unless every key is a date
    names: tuple[str, ...]
    values: tuple[tuple[float | None, ...], ...]  # by series, then by row
    lines: tuple[int, ...]  # the line of each row

    def rows(self) -> list[tuple[str, tuple[float | None, ...]]]:
        return [(k, tuple(s[i] for s in self.values)) for i, k in enumerate(self.keys)]

    def csv(self) -> str:
        """The data as CSV, as the reader downloads it: numbers as written by Python."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow((self.key_name, *self.names))
        for key, row in self.rows():
            writer.writerow((key, *("" if v is None else _plain(v) for v in row)))
        return out.getvalue()

    def sorted_by_date(self) -> Table:
        order = sorted(range(len(self.keys)), key=lambda i: self.dates[i])
        return Table(
            self.key_name,
            tuple(self.keys[i] for i in order),
            tuple(self.dates[i] for i in order),
            self.names,
            tuple(tuple(s[i] for i in order) for s in self.values),
            tuple(self.lines[i] for i in order),
        )


def _plain(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


def parse_date(text: str) -> PartialDate | None:
    found = _DATE.match(text.strip())
    if found is None:
        return None
    year, month, day = found.groups()
    return PartialDate(int(year), int(month or 0), int(day or 0))


def read_csv(text: str, first_line: int, dated: bool) -> Table:
    """The table of ``text`` (CSV), whose first line is ``first_line`` of its file; raises
    :class:`ShortcodeProblem` holding every mistake, each at its line."""
    rows = [(first_line + n, row) for n, row in enumerate(csv.reader(io.StringIO(text)))]
    rows = [(n, [c.strip() for c in row]) for n, row in rows if any(c.strip() for c in row)]
    if len(rows) < 2:
        raise ShortcodeProblem("no data: a header row, then a row for each point", "data")
    (head_line, head), body = rows[0], rows[1:]
    if len(head) < 2:
        raise ShortcodeProblem(
            "the first row names the columns: the dates or categories, then each series",
            line=head_line,
        )
    problems: list[ShortcodeProblem] = []
    keys, dates, lines, columns = [], [], [], [[] for _ in head[1:]]
    for line, row in body:
        if len(row) != len(head):
            problems.append(
                ShortcodeProblem(
                    f"{_count(len(row))} where the header names {len(head)}", line=line
                )
            )
            continue
        keys.append(row[0])
        lines.append(line)
        day = parse_date(row[0])
        if dated and day is None:
            problems.append(
                ShortcodeProblem(
                    f"{row[0]!r} is not a date (2025, 2025-02 or 2025-02-04)", line=line
                )
            )
        dates.append(day)
        for column, cell in zip(columns, row[1:], strict=True):
            column.append(_number(cell, line, problems))
    if problems:
        raise ShortcodeProblem(problems[0].message, line=problems[0].line, also=tuple(problems[1:]))
    every_date = all(d is not None for d in dates)
    return Table(
        head[0],
        tuple(keys),
        tuple(d for d in dates if d is not None) if every_date else (),
        tuple(head[1:]),
        tuple(tuple(c) for c in columns),
        tuple(lines),
    )


def _count(values: int) -> str:
    return f"{values} value" + ("" if values == 1 else "s")


def _number(cell: str, line: int, problems: list[ShortcodeProblem]) -> float | None:
    if not cell:
        return None
    plain = cell.replace("_", "")
    if _NUMBER.match(plain):
        return float(plain)
    problems.append(
        ShortcodeProblem(
            f"{cell!r} is not a number (write 2100 or 2100.5, no thousands separator)", line=line
        )
    )
    return None
