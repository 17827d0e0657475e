"""A chart as inline SVG, drawn with no script and no fixed width.

Every horizontal position is a percentage of the chart's width and every vertical one is in
pixels, so one drawing fills any column, from a 360 px phone to a desktop, while its text
keeps its own size (12 px and up: a chart scaled as a picture would shrink its labels on a
phone). A line is drawn segment by segment for that reason (a polyline takes no
percentages). Colours are the theme's: each series has a class (``chart-s1``…) that the
stylesheet colours with custom properties, for light, dark and print; each series also has
its own dash or marker shape, and is labelled where it ends, so that no reading depends on
colour alone. In a right-to-left edition the drawing is mirrored: time runs from the right,
the value labels stand on the right. The drawing sets its own base direction (ltr) so that
its anchors mean the same in every edition; a label in a right-to-left script still reads
right to left."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from briefgen.features.charts.base import PLOT, TOP, Drawing, anchor, text, y_of
from briefgen.features.charts.notes import band, point, rule
from briefgen.features.charts.scale import (
    LEFT,
    RIGHT,
    band_positions,
    pct,
    time_positions,
)

ROW = 44  # px: one category in bar, stacked bar and dot charts
DASHES = ("", "6 4", "2 3", "10 3 2 3")


def _grid(d: Drawing) -> list[str]:
    out = ['<g class="chart-grid">']
    for tick in d.axis.ticks:
        y = y_of(d, tick)
        zero = ' class="chart-zero"' if tick == 0 else ""
        out.append(f'<line x1="0" x2="100%" y1="{y:g}" y2="{y:g}"{zero}/>')
        out.append(text(pct(0, d.rtl), y - 4, d.number(tick), anchor(True, d.rtl), "chart-tick"))
    out.append("</g>")
    return out


def _bottom_labels(d: Drawing, xs: list[float], wrap: bool = False) -> tuple[list[str], int]:
    """The keys under the plot: all when few, else the first, the last and some between;
    with ``wrap`` (a column's category), each on lines of a few words. Also how many lines
    the tallest takes."""
    n = len(xs)
    shown = range(n) if n <= 5 else sorted({0, n - 1, *(round(i * (n - 1) / 3) for i in (1, 2))})
    y = TOP + PLOT + 18
    out, tallest = ['<g class="chart-keys">'], 1
    for i in shown:
        align = "middle"
        if not wrap and xs[i] < 12:
            align = anchor(True, d.rtl)
        elif not wrap and xs[i] > 88:
            align = anchor(False, d.rtl)
        lines = _lines(d.key(i)) if wrap else [d.key(i)]
        tallest = max(tallest, len(lines))
        out.append(_multiline(pct(xs[i], d.rtl), y, lines, align))
    out.append("</g>")
    return out, tallest


WRAP = 14  # characters a line of a column's label holds: a third of a phone's column


def _lines(label: str) -> list[str]:
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= WRAP:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [label]


def _multiline(x: str, y: float, lines: list[str], align: str) -> str:
    if len(lines) == 1:
        return text(x, y, lines[0], align)
    spans = "".join(
        f'<tspan x="{x}" dy="{0 if n == 0 else 15}">{escape(line)}</tspan>'
        for n, line in enumerate(lines)
    )
    return f'<text x="{x}" y="{y:g}" text-anchor="{align}">{spans}</text>'


def line_chart(d: Drawing) -> tuple[list[str], int]:
    xs = time_positions(d.table.dates)
    out = band(d, xs) + _grid(d)
    for s, values in enumerate(d.table.values):
        dash = f' stroke-dasharray="{DASHES[s % 4]}"' if DASHES[s % 4] else ""
        out.append(f'<g class="chart-s{s % 4 + 1} chart-series"{dash}>')
        points = [(xs[i], y_of(d, v)) for i, v in enumerate(values) if v is not None]
        for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
            x1s, x2s = pct(x1, d.rtl), pct(x2, d.rtl)
            out.append(f'<line x1="{x1s}" y1="{y1:g}" x2="{x2s}" y2="{y2:g}"/>')
        for x, y in points:
            out.append(f'<circle cx="{pct(x, d.rtl)}" cy="{y:g}" r="3"/>')
        last = max((i for i, v in enumerate(values) if v is not None), default=None)
        if last is not None and len(d.table.names) > 1:
            y = y_of(d, values[last]) - 8  # type: ignore[arg-type]
            out.append(
                text(pct(xs[last], d.rtl), y, d.table.names[s], anchor(False, d.rtl), "chart-name")
            )
        out.append("</g>")
    keys, _ = _bottom_labels(d, xs)
    out += rule(d) + point(d, xs) + keys
    return out, TOP + PLOT + 28


def column_chart(d: Drawing) -> tuple[list[str], int]:
    bands = band_positions(len(d.table.keys))
    # each column carries its value: no tick labels for the columns to hide, only the base
    zero = y_of(d, 0)
    out = [
        '<g class="chart-grid">',
        f'<line x1="0" x2="100%" y1="{zero:g}" y2="{zero:g}" class="chart-zero"/>',
        "</g>",
    ]
    out.append('<g class="chart-s1 chart-series">')
    values = d.table.values[0]
    for (start, width), value in zip(bands, values, strict=True):
        if value is None:
            continue
        top, zero = y_of(d, max(value, 0)), y_of(d, min(value, 0))
        x = start + width * 0.15 if not d.rtl else 100 - start - width * 0.85
        out.append(
            f'<rect x="{round(x, 2):g}%" y="{top:g}" width="{round(width * 0.7, 2):g}%" '
            f'height="{round(zero - top, 2):g}"/>'
        )
        out.append(
            text(pct(start + width / 2, d.rtl), top - 4, d.number(value), "middle", "chart-value")
        )
    out.append("</g>")
    centres = [start + width / 2 for start, width in bands]
    keys, lines = _bottom_labels(d, centres, wrap=True)
    out += rule(d) + point(d, centres) + keys
    return out, TOP + PLOT + 28 + 15 * (lines - 1)


def _bar_x(d: Drawing, start: float, end: float) -> tuple[str, str]:
    """(x, width) of a bar from ``start`` to ``end`` per cent of the axis (of 88 % wide)."""
    left, right = sorted((start, end))
    left, right = left * 0.88, right * 0.88
    x = 100 - right if d.rtl else left
    return f"{round(x, 2):g}%", f"{round(right - left, 2):g}%"


def bar_chart(d: Drawing, stacked: bool = False) -> tuple[list[str], int]:
    out = _legend(d) if stacked else []
    top = 22 if stacked else 0
    for row, (key, values) in enumerate(d.table.rows()):
        y = top + row * ROW
        out.append(text(pct(0, d.rtl), y + 14, key, anchor(True, d.rtl), "chart-key"))
        done = 0.0
        for s, value in enumerate(values if stacked else values[:1]):
            if value is None:
                continue
            start, end = (
                d.axis.share(done if stacked else 0) * 100,
                d.axis.share(done + value) * 100,
            )
            x, width = _bar_x(d, start, end)
            out.append(
                f'<rect class="chart-s{s % 4 + 1}" x="{x}" y="{y + 20}" width="{width}" height="16"/>'
            )
            done += value if stacked else 0
        total = sum(v or 0 for v in values) if stacked else (values[0] or 0)
        end = d.axis.share(total) * 88
        out.append(
            text(
                pct(end, d.rtl),
                y + 33,
                d.number(total),
                anchor(True, d.rtl),
                "chart-value",
                -4 if d.rtl else 4,
            )
        )
    return out, top + len(d.table.keys) * ROW + 4


def dot_chart(d: Drawing) -> tuple[list[str], int]:
    out = _legend(d)
    for row, (key, values) in enumerate(d.table.rows()):
        y = 22 + row * ROW
        out.append(text(pct(0, d.rtl), y + 14, key, anchor(True, d.rtl), "chart-key"))
        known = [(s, v) for s, v in enumerate(values) if v is not None]
        xs = [pct(LEFT + (RIGHT - LEFT) * d.axis.share(v), d.rtl) for _, v in known]
        if len(known) > 1:
            ends = sorted(known, key=lambda sv: sv[1])
            a = pct(LEFT + (RIGHT - LEFT) * d.axis.share(ends[0][1]), d.rtl)
            b = pct(LEFT + (RIGHT - LEFT) * d.axis.share(ends[-1][1]), d.rtl)
            out.append(f'<line class="chart-link" x1="{a}" x2="{b}" y1="{y + 28}" y2="{y + 28}"/>')
        for (s, v), x in zip(known, xs, strict=True):
            out.append(_marker(s, x, y + 28, f"{d.table.names[s]}: {d.number(v)}"))
    return out, 22 + len(d.table.keys) * ROW + 4


def _marker(series: int, x: str, y: float, label: str) -> str:
    """A dot of its series' shape: a circle, then a square, a diamond-like ring, a cross."""
    cls = f"chart-s{series % 4 + 1}"
    if series % 2 == 0:
        return f'<circle class="{cls}" cx="{x}" cy="{y:g}" r="{6 if series % 4 == 0 else 5}"><title>{escape(label)}</title></circle>'
    return f'<rect class="{cls}" x="{x}" y="{y - 5:g}" width="10" height="10" transform="translate(-5 0)"><title>{escape(label)}</title></rect>'


def _legend(d: Drawing) -> list[str]:
    out = ['<g class="chart-legend">']
    x = 0.0
    for s, name in enumerate(d.table.names):
        out.append(
            f'<rect class="chart-s{s % 4 + 1}" x="{pct(x, d.rtl)}" y="4" width="10" height="10"/>'
        )
        out.append(
            text(pct(x, d.rtl), 13, name, anchor(True, d.rtl), "chart-name", -14 if d.rtl else 14)
        )
        x += min(45.0, 100 / len(d.table.names))
    out.append("</g>")
    return out


KINDS: dict[str, Callable[[Drawing], tuple[list[str], int]]] = {
    "line": line_chart,
    "column": column_chart,
    "bar": bar_chart,
    "stacked": lambda d: bar_chart(d, stacked=True),
    "dots": dot_chart,
}


def svg(kind: str, d: Drawing, ident: str, title: str, description: str) -> str:
    """The chart's ``<svg>``: its marks, a title that states the finding and a description."""
    parts, height = KINDS[kind](d)
    head = (
        f'<svg class="chart-svg chart-{kind}" width="100%" height="{height}" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d" font-size="13" direction="ltr">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(description)}</desc>'
    )
    return "\n".join([head, *parts, "</svg>"])
