"""Where values and dates fall on a chart: round ticks for the value axis, and positions in
per cent of the plot's width, so that a chart drawn once fits any column with its text at
its own size (see :mod:`briefgen.features.charts.svg`)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from briefgen.model.briefing import PartialDate

LEFT, RIGHT = 2.0, 96.0  # the plot's edges, per cent of the width: room for end labels
LINE_LEFT = 12.0  # a line chart's first date: clear of the value labels over the grid lines


@dataclass(frozen=True)
class Axis:
    """The value axis: from ``low`` to ``high``, with its ``ticks``."""

    low: float
    high: float
    ticks: tuple[float, ...]

    def share(self, value: float) -> float:
        """Where ``value`` falls, from 0 (low) to 1 (high)."""
        return (value - self.low) / (self.high - self.low) if self.high > self.low else 0.0


def nice_axis(values: list[float], low: float | None = None, count: int = 4) -> Axis:
    """An axis holding ``values`` and ``low`` (zero unless a value is negative, for a chart
    whose axis may start elsewhere), with about ``count`` round steps."""
    top = max([*values, 0.0])
    bottom = min([*values, 0.0]) if low is None else min([low, *values])
    if top == bottom:
        top = bottom + 1
    step = _step((top - bottom) / count)
    first = math.floor(bottom / step) * step
    last = math.ceil(top / step) * step
    ticks = []
    n = 0
    while first + n * step <= last + step / 1000:
        ticks.append(round(first + n * step, 10))
        n += 1
    return Axis(first, last, tuple(ticks))


def _step(rough: float) -> float:
    power = 10 ** math.floor(math.log10(rough))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= rough:
            return factor * power
    return 10 * power


def day_of(date: PartialDate) -> dt.date:
    """The day a date stands for on a time axis: the middle of its month or year."""
    if not date.month:
        return dt.date(date.year, 7, 1)
    return dt.date(date.year, date.month, date.day or 15)


def time_positions(dates: tuple[PartialDate, ...]) -> list[float]:
    """Each date's place across the plot, in per cent: in proportion to time."""
    days = [day_of(d).toordinal() for d in dates]
    first, last = min(days), max(days)
    if first == last:
        return [50.0 for _ in days]
    return [LINE_LEFT + (RIGHT - LINE_LEFT) * (d - first) / (last - first) for d in days]


def band_positions(count: int) -> list[tuple[float, float]]:
    """Each category's column, as (start, width) in per cent."""
    width = (RIGHT - LEFT) / max(count, 1)
    return [(LEFT + i * width, width) for i in range(count)]


def pct(value: float, rtl: bool = False) -> str:
    """A position across, in per cent, mirrored in a right-to-left edition."""
    return f"{round(100 - value if rtl else value, 2):g}%"
