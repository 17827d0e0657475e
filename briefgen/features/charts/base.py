"""What every part of a chart's drawing shares: the plot's measures, the data and how it is
written (:class:`Drawing`), the annotations (:class:`Marks`), and text placed in per cent
across and in pixels down (see :mod:`briefgen.features.charts.svg`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from briefgen.features.charts.data import Table
from briefgen.features.charts.scale import Axis

TOP = 18  # px above the plot: the highest tick's label
PLOT = 200  # px: the plot's height in line and column charts


@dataclass(frozen=True)
class Marks:
    """The annotations: a labelled point (at a key), a reference line (at a value), a band
    (between two keys), each with its label; empty when not given."""

    point: tuple[int, str] | None = None  # (row index, label)
    rule: tuple[float, str] | None = None
    band: tuple[int, int, str] | None = None


@dataclass(frozen=True)
class Drawing:
    """What every kind needs to draw: the data, the value axis, how a number and a key are
    written, the edition's direction, and an id for the page."""

    table: Table
    axis: Axis
    number: Callable[[float], str]
    key: Callable[[int], str]  # row index → the key as the axis shows it
    rtl: bool
    marks: Marks


def text(x: str, y: float, words: str, anchor: str, cls: str = "", dx: int = 0) -> str:
    klass = f' class="{cls}"' if cls else ""
    shift = f' dx="{dx}"' if dx else ""
    return f'<text x="{x}" y="{y:g}"{shift} text-anchor="{anchor}"{klass}>{escape(words)}</text>'


def anchor(start: bool, rtl: bool) -> str:
    return "start" if start != rtl else "end"


def y_of(d: Drawing, value: float) -> float:
    return round(TOP + PLOT * (1 - d.axis.share(value)), 2)
