"""A chart's annotations: a band between two keys, a reference line at a value, a
labelled point; each drawn over the data, its label in the chart's text."""

from __future__ import annotations

from briefgen.features.charts.base import PLOT, TOP, Drawing, anchor, text, y_of
from briefgen.features.charts.scale import pct


def band(d: Drawing, xs: list[float]) -> list[str]:
    if d.marks.band is None:
        return []
    first, last, label = d.marks.band
    left, right = sorted((xs[first], xs[last]))
    x = 100 - right if d.rtl else left
    return [
        '<g class="chart-note">',
        f'<rect class="chart-band" x="{round(x, 2):g}%" y="{TOP}" width="{round(right - left, 2):g}%" height="{PLOT}"/>',
        text(
            pct(left, d.rtl),
            TOP + 14,
            label,
            anchor(True, d.rtl),
            "chart-note-text",
            -4 if d.rtl else 4,
        ),
        "</g>",
    ]


def rule(d: Drawing) -> list[str]:
    if d.marks.rule is None:
        return []
    value, label = d.marks.rule
    y = y_of(d, value)
    return [
        '<g class="chart-note">',
        f'<line class="chart-rule" x1="0" x2="100%" y1="{y:g}" y2="{y:g}"/>',
        text(pct(100, d.rtl), y - 4, label, anchor(False, d.rtl), "chart-note-text"),
        "</g>",
    ]


def point(d: Drawing, xs: list[float]) -> list[str]:
    if d.marks.point is None:
        return []
    row, label = d.marks.point
    value = next((s[row] for s in d.table.values if s[row] is not None), 0.0)
    y = y_of(d, value)
    start = xs[row] < 50
    return [
        '<g class="chart-note">',
        f'<circle class="chart-point" cx="{pct(xs[row], d.rtl)}" cy="{y:g}" r="6"/>',
        text(pct(xs[row], d.rtl), y - 12, label, anchor(start, d.rtl), "chart-note-text"),
        "</g>",
    ]
