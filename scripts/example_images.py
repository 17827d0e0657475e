#!/usr/bin/env python3
"""Draw the pictures of the example site into content/briefs/img/, with Pillow only.

- border-figures-chart.png: bar chart of the border figures the briefs give (the script
  stops if a brief no longer gives a figure the chart shows)
- places-map.png: schematic map of the places the briefs name (the script stops if a brief
  names a place the map does not show)
- surveillance-aircraft-diagram.png: labelled top view of a generic long-endurance drone
- border-patrol-road.jpg: an illustration in the manner of a photograph, a road beside the
  border fence at dusk. It is stored sideways with EXIF Orientation 6, camera tags and a GPS
  position, as a camera would write it, so that the example site exercises briefgen's handling
  of orientation and of metadata that must not be published.

Every shape is drawn here from made-up points; text uses the DejaVu fonts of the system. The
images are committed; the script is run by hand after a change, from the repository root:

    .venv/bin/python scripts/example_images.py

The output is deterministic: two runs write byte-identical files.
"""

from __future__ import annotations

import hashlib
import math
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml
from PIL import ExifTags, Image, ImageChops, ImageDraw, ImageFilter, ImageFont, ImageOps
from PIL.TiffImagePlugin import IFDRational

ROOT = Path(__file__).resolve().parent.parent
BRIEFS = ROOT / "content" / "briefs"
OUT = BRIEFS / "img"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
SS = 2  # drawings are made at twice their size and reduced, for smooth edges

Point = tuple[float, float]
RGB = tuple[int, int, int]
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont

INK: RGB = (31, 41, 51)
MUTED: RGB = (84, 94, 106)
PAPER: RGB = (248, 247, 243)
WHITE: RGB = (255, 255, 255)
BLUE: RGB = (0, 114, 178)  # Okabe-Ito blue and vermilion: told apart with any colour vision
VERMILION: RGB = (213, 94, 0)


@cache
def font(size: int, bold: bool = False) -> Font:
    path = FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    if path.is_file():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    _, head, _ = text.split("---\n", 2)
    return yaml.safe_load(head) or {}


def english_briefs() -> list[Path]:
    return sorted(p for p in BRIEFS.glob("*.md") if not p.name.endswith(".es.md"))


def lerp(a: float, b: float, t: float) -> float:
    return a + (b - a) * t


def smooth(points: Sequence[Point], steps: int = 10) -> list[Point]:
    """A Catmull-Rom curve through the points of an open polyline."""
    pts = [points[0], *points, points[-1]]
    out: list[Point] = []
    for i in range(1, len(pts) - 2):
        (ax, ay), (bx, by), (cx, cy), (dx, dy) = pts[i - 1], pts[i], pts[i + 1], pts[i + 2]
        for s in range(steps):
            t = s / steps
            t2, t3 = t * t, t * t * t
            x = 0.5 * (2 * bx + (cx - ax) * t + (2 * ax - 5 * bx + 4 * cx - dx) * t2)
            y = 0.5 * (2 * by + (cy - ay) * t + (2 * ay - 5 * by + 4 * cy - dy) * t2)
            x += 0.5 * (-ax + 3 * bx - 3 * cx + dx) * t3
            y += 0.5 * (-ay + 3 * by - 3 * cy + dy) * t3
            out.append((x, y))
    out.append(points[-1])
    return out


def ellipse_points(cx: float, cy: float, rx: float, ry: float, n: int = 72) -> list[Point]:
    return [
        (cx + rx * math.cos(2 * math.pi * i / n), cy + ry * math.sin(2 * math.pi * i / n))
        for i in range(n + 1)
    ]


class Pen:
    """ImageDraw on a canvas SS times the final size, addressed in final pixels."""

    def __init__(self, size: tuple[int, int], background: RGB) -> None:
        self.size = size
        self.image = Image.new("RGB", (size[0] * SS, size[1] * SS), background)
        self.draw = ImageDraw.Draw(self.image)

    @staticmethod
    def _p(points: Sequence[Point]) -> list[Point]:
        return [(x * SS, y * SS) for x, y in points]

    def polygon(
        self,
        points: Sequence[Point],
        fill: RGB | None,
        outline: RGB | None = None,
        width: float = 0,
    ) -> None:
        self.draw.polygon(self._p(points), fill=fill)
        if outline is not None:
            self.line([*points, points[0]], outline, width)

    def line(self, points: Sequence[Point], fill: RGB, width: float) -> None:
        self.draw.line(self._p(points), fill=fill, width=round(width * SS), joint="curve")

    def dashed(
        self, points: Sequence[Point], fill: RGB, width: float, dash: float = 12, gap: float = 8
    ) -> None:
        on, left = True, dash
        for (x0, y0), (x1, y1) in pairwise(points):
            seg, pos = math.hypot(x1 - x0, y1 - y0), 0.0
            while seg > 0 and pos < seg:
                step = min(left, seg - pos)
                if on:
                    a, b = pos / seg, (pos + step) / seg
                    start = (lerp(x0, x1, a), lerp(y0, y1, a))
                    self.line([start, (lerp(x0, x1, b), lerp(y0, y1, b))], fill, width)
                pos, left = pos + step, left - step
                if left <= 0:
                    on = not on
                    left = dash if on else gap

    def ellipse(
        self,
        box: Sequence[float],
        fill: RGB | None = None,
        outline: RGB | None = None,
        width: float = 0,
    ) -> None:
        self.draw.ellipse(
            [v * SS for v in box], fill=fill, outline=outline, width=round(width * SS)
        )

    def rect(self, box: Sequence[float], fill: RGB, radius: float = 0) -> None:
        self.draw.rounded_rectangle([v * SS for v in box], radius=radius * SS, fill=fill)

    def text(
        self,
        xy: Point,
        text: str,
        size: int,
        fill: RGB = INK,
        bold: bool = False,
        anchor: str = "la",
        halo: RGB | None = None,
    ) -> None:
        self.draw.text(
            (xy[0] * SS, xy[1] * SS),
            text,
            font=font(size * SS, bold),
            fill=fill,
            anchor=anchor,
            stroke_width=5 * SS if halo else 0,
            stroke_fill=halo,
        )

    def rotated_text(self, centre: Point, text: str, size: int, fill: RGB, angle: float) -> None:
        """Text turned by angle degrees (counter-clockwise) about its centre."""
        face = font(size * SS)
        _, _, right, bottom = face.getbbox(text)
        layer = Image.new("L", (round(right) + 8, round(bottom) + 8), 0)
        ImageDraw.Draw(layer).text((4, 4), text, font=face, fill=255)
        layer = layer.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
        x, y = centre[0] * SS - layer.width / 2, centre[1] * SS - layer.height / 2
        self.image.paste(Image.new("RGB", layer.size, fill), (round(x), round(y)), mask=layer)

    def finish(self, colors: int = 128) -> Image.Image:
        small = self.image.resize(self.size, Image.Resampling.LANCZOS)
        return small.quantize(colors, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)


# --- 1. Bar chart --------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    brief: str
    figure: str  # as the brief's key_facts give it
    label: str
    group: str


NORTHCOM = "2025-01-24-northern-command-reinforces-border.md"
APPREHENSIONS = "2025-02-05-border-apprehensions-fall-to-229.md"
DEPLOYMENT = "U.S. deployment at the southern border"
ONE_DAY = "Apprehensions in one day"
GROUP_COLOURS: dict[str, RGB] = {DEPLOYMENT: BLUE, ONE_DAY: VERMILION}
CHART_BARS = (
    Bar(NORTHCOM, "1,500", "Troops already stationed on the border", DEPLOYMENT),
    Bar(NORTHCOM, "500", "Personnel added by U.S. Northern Command", DEPLOYMENT),
    Bar(NORTHCOM, "140", "Intelligence officers watching cartel trafficking networks", DEPLOYMENT),
    Bar(APPREHENSIONS, "229", "Migrants apprehended along the whole border on Feb. 4", ONE_DAY),
)


def brief_figures(name: str) -> set[str]:
    facts = front_matter(BRIEFS / name).get("key_facts") or []
    return {str(f["figure"]) for f in facts if isinstance(f, dict) and "figure" in f}


def draw_chart() -> Image.Image:
    for bar in CHART_BARS:
        if bar.figure not in brief_figures(bar.brief):
            sys.exit(f"{bar.brief} no longer gives the figure {bar.figure}: update the chart")
    pen = Pen((1600, 1000), PAPER)
    pen.text((80, 60), "The border in figures, early 2025", 52, bold=True)
    pen.text((80, 134), "Numbers of people, as reported; bars drawn to scale", 28, fill=MUTED)
    top = max(int(bar.figure.replace(",", "")) for bar in CHART_BARS)
    y, group = 200.0, ""
    for bar in CHART_BARS:
        colour = GROUP_COLOURS[bar.group]
        if bar.group != group:
            group, y = bar.group, y + 24
            pen.text((80, y), bar.group.upper(), 24, fill=colour, bold=True)
            pen.line([(80, y + 36), (1520, y + 36)], (214, 216, 220), 2)
            y += 58
        pen.text((80, y), bar.label, 30)
        width = 1260 * int(bar.figure.replace(",", "")) / top
        pen.rect((80, y + 44, 80 + width, y + 100), colour, radius=6)
        pen.text((80 + width + 18, y + 72), bar.figure, 40, bold=True, anchor="lm")
        y += 134
    pen.text((80, 942), "Source: Puerto Vallarta Daily News, early 2025.", 24, fill=MUTED)
    return pen.finish()


# --- 2. Schematic map ------------------------------------------------------------------------

# Longitude, latitude: a handful of rounded points per coast, not survey data.
# fmt: off
BORDER: list[Point] = [
    (-117.1, 32.5), (-114.7, 32.7), (-114.8, 32.5), (-111.0, 31.3), (-108.2, 31.3),
    (-108.2, 31.8), (-106.5, 31.8), (-105.0, 30.7), (-104.5, 29.6), (-103.2, 29.0),
    (-102.4, 29.8), (-101.4, 29.8), (-100.3, 28.3), (-99.5, 27.5), (-98.5, 26.2), (-97.2, 25.9),
]
MEXICO_COAST: list[Point] = [
    # Gulf of Mexico and the Caribbean, then Belize and Guatemala
    (-97.5, 24.0), (-97.8, 22.3), (-97.2, 20.6), (-96.1, 19.2), (-94.5, 18.2), (-92.0, 18.7),
    (-90.7, 19.3), (-90.4, 20.9), (-88.9, 21.4), (-86.8, 21.4), (-87.4, 19.9), (-88.2, 18.5),
    (-89.2, 17.9), (-91.0, 17.8), (-91.0, 17.3), (-91.4, 17.3), (-90.5, 16.1), (-91.7, 16.1),
    (-92.2, 15.3), (-92.2, 14.6),
    # Pacific coast to the head of the Gulf of California
    (-93.9, 15.9), (-94.9, 16.2), (-96.5, 15.7), (-98.6, 16.3), (-99.9, 16.8), (-101.6, 17.6),
    (-102.5, 18.0), (-104.3, 19.1), (-105.3, 20.5), (-105.3, 21.5), (-105.8, 22.6),
    (-106.4, 23.2), (-107.4, 24.3), (-108.1, 25.0), (-109.0, 25.6), (-109.4, 26.3),
    (-109.9, 27.0), (-110.9, 27.9), (-112.2, 29.9), (-113.1, 31.2), (-114.8, 31.8),
    # Baja California, down the gulf side and up the ocean side
    (-114.6, 30.9), (-114.3, 29.8), (-113.4, 28.8), (-112.3, 27.3), (-111.4, 26.0),
    (-110.5, 24.5), (-109.5, 23.3), (-109.9, 22.9), (-110.3, 23.5), (-111.6, 24.4),
    (-112.1, 24.9), (-112.7, 26.1), (-113.6, 26.8), (-115.1, 27.9), (-114.1, 28.0),
    (-114.7, 29.0), (-115.7, 30.1), (-116.0, 30.6), (-116.7, 31.8),
]
US_COASTS: tuple[list[Point], list[Point]] = (
    [(-120.0, 35.5), (-120.0, 34.4), (-118.5, 34.0), (-118.0, 33.7), (-117.3, 33.1)],
    [(-97.3, 27.0), (-97.2, 27.8), (-96.4, 28.4), (-95.0, 29.2), (-93.8, 29.7), (-92.3, 29.5),
     (-91.0, 29.2), (-89.3, 29.0), (-89.6, 30.2), (-88.1, 30.4), (-86.5, 30.4), (-85.4, 29.7),
     (-84.0, 29.9), (-84.0, 35.5)],
)
CENTRAL_AMERICA: list[Point] = [
    (-88.3, 17.5), (-88.8, 15.9), (-88.2, 15.7), (-86.0, 15.9), (-84.0, 15.9), (-84.0, 12.5),
    (-87.6, 13.2), (-89.8, 13.5), (-91.4, 13.9),
]
SINALOA: list[Point] = [
    (-105.8, 22.6), (-106.4, 23.2), (-107.4, 24.3), (-108.1, 25.0), (-109.0, 25.6),
    (-109.4, 26.3), (-108.6, 26.9), (-107.3, 26.1), (-106.3, 24.7), (-105.5, 23.3),
]
# fmt: on
CULIACAN: Point = (-107.4, 24.8)
MEXICO_CITY: Point = (-99.1, 19.4)
SPY_PLANES: Point = (-107.9, 23.0)
# The names, as the briefs list them under places:, that the map shows.
MAPPED_PLACES = {"U.S.-Mexico border", "Sinaloa", "Mexico City"}
SEA: RGB = (214, 230, 242)
LAND: RGB = (236, 233, 225)
MEXICO_LAND: RGB = (250, 240, 214)
SINALOA_FILL: RGB = (240, 196, 120)
SEA_INK: RGB = (52, 101, 143)
BORDER_RED: RGB = (192, 57, 43)


def project(lon: float, lat: float) -> Point:
    """Plate carrée squeezed by cos(24°), framed on 118.6°W-85.4°W, 34.4°N-13.5°N."""
    k = 1600 / 33.2
    return ((lon + 118.6) * k, (34.4 - lat) * k / 0.9135)


def projected(points: Sequence[Point]) -> list[Point]:
    return [project(lon, lat) for lon, lat in points]


def check_places() -> None:
    for path in sorted(BRIEFS.glob("*.md")):
        for place in front_matter(path).get("places") or []:
            if place not in MAPPED_PLACES:
                sys.exit(f"{path.name} names {place!r}, which the map does not show")


def draw_map_land(pen: Pen) -> None:
    west, gulf = US_COASTS
    us = [*west, *BORDER, *gulf]
    pen.polygon(projected(us), LAND)
    pen.polygon(
        projected(
            [
                (-92.2, 14.6),
                (-92.2, 15.3),
                (-91.7, 16.1),
                (-90.5, 16.1),
                (-91.4, 17.3),
                (-91.0, 17.3),
                (-91.0, 17.8),
                (-89.2, 17.9),
                (-88.2, 18.5),
                *CENTRAL_AMERICA,
            ]
        ),
        LAND,
    )
    mexico = projected([*BORDER, *MEXICO_COAST])
    pen.polygon(mexico, MEXICO_LAND, outline=(150, 140, 120), width=2)
    pen.line(projected([*west, BORDER[0]]), (150, 140, 120), 2)
    pen.line(projected([BORDER[-1], *gulf]), (150, 140, 120), 2)
    pen.polygon(projected(SINALOA), SINALOA_FILL, outline=(176, 120, 40), width=2)
    border = projected(BORDER)
    pen.line(border, WHITE, 12)
    pen.line(border, BORDER_RED, 6)


def place_dot(pen: Pen, at: Point, label: str, label_at: Point, anchor: str) -> None:
    """A city's dot, and its name at label_at, with a leader line if the name is away."""
    x, y = project(*at)
    lx, ly = project(*label_at)
    if math.hypot(lx - x, ly - y) > 60:
        pen.line([(x, y), (lx - 8, ly)], INK, 2)
    pen.ellipse((x - 11, y - 11, x + 11, y + 11), fill=WHITE)
    pen.ellipse((x - 8, y - 8, x + 8, y + 8), fill=INK)
    pen.text((lx, ly), label, 30, bold=True, anchor=anchor, halo=MEXICO_LAND)


def draw_map_labels(pen: Pen) -> None:
    pen.text(project(-99.5, 32.6), "UNITED STATES", 34, fill=MUTED, bold=True, anchor="mm")
    pen.text(project(-102.5, 23.4), "MEXICO", 46, fill=(120, 100, 70), bold=True, anchor="mm")
    pen.text(project(-113.0, 18.4), "PACIFIC OCEAN", 36, fill=SEA_INK, anchor="mm")
    pen.text(project(-91.5, 24.6), "GULF OF MEXICO", 36, fill=SEA_INK, anchor="mm")
    pen.rotated_text(project(-111.3, 27.4), "Gulf of California", 22, SEA_INK, -59.8)
    x, y = project(-103.0, 31.2)
    pen.text((x, y), "U.S.–Mexico border", 30, fill=BORDER_RED, bold=True, halo=MEXICO_LAND)
    pen.text((x, y + 38), "about 1,800 miles", 26, fill=BORDER_RED, halo=MEXICO_LAND)
    sx, sy = project(-106.0, 26.7)
    pen.line([(sx - 8, sy), project(-107.9, 25.7)], INK, 2)
    pen.text((sx, sy), "SINALOA", 32, bold=True, anchor="lm", halo=MEXICO_LAND)
    place_dot(pen, CULIACAN, "Culiacán", (-105.6, 24.9), "lm")
    place_dot(pen, MEXICO_CITY, "Mexico City", (-99.1, 19.0), "mt")
    cx, cy = project(*SPY_PLANES)
    pen.dashed(ellipse_points(cx, cy, 40, 26), VERMILION, 4)
    lx, ly = project(-110.2, 21.6)
    pen.line([(cx - 14, cy + 25), (lx + 20, ly - 34)], VERMILION, 2)
    pen.text((lx, ly), "Spy planes detected", 26, fill=VERMILION, bold=True, anchor="mb")
    pen.text((lx, ly + 4), "off the coast, early Feb.", 26, fill=VERMILION, anchor="mt")


def draw_map() -> Image.Image:
    check_places()
    pen = Pen((1600, 1100), SEA)
    draw_map_land(pen)
    draw_map_labels(pen)
    pen.rect((28, 28, 650, 142), PAPER, radius=10)
    pen.text((52, 46), "Places in the briefs", 40, bold=True)
    pen.text((52, 100), "U.S. surveillance and Mexico, early 2025", 24, fill=MUTED)
    pen.rect((28, 1040, 420, 1080), PAPER, radius=8)
    pen.text((46, 1060), "Schematic, not to scale", 24, fill=MUTED, anchor="lm")
    return pen.finish()


# --- 3. Aircraft diagram --------------------------------------------------------------------

AIRFRAME: RGB = (201, 209, 217)
AIRFRAME_LIGHT: RGB = (228, 233, 238)
LINE: RGB = (46, 58, 70)
AX = 800.0  # the fuselage axis; the nose points up
NOSE, TAIL = 175.0, 735.0
# Half-width of the fuselage along its length (0 at the nose, 1 at the tail).
# fmt: off
FUSELAGE = [(0.0, 0), (0.03, 24), (0.08, 40), (0.16, 47), (0.26, 44), (0.45, 38), (0.65, 33),
            (0.82, 23), (0.94, 14), (1.0, 11)]
# fmt: on


def fuselage_outline() -> list[Point]:
    side = smooth([(AX + w, lerp(NOSE, TAIL, t)) for t, w in FUSELAGE], steps=12)
    return [*side, *[(2 * AX - x, y) for x, y in reversed(side)]]


def mirrored(points: Sequence[Point]) -> tuple[list[Point], list[Point]]:
    return list(points), [(2 * AX - x, y) for x, y in points]


def trailing_edge(x: float) -> float:
    """Where the left wing's trailing edge is at x (it runs from (162, 458) to (AX, 492))."""
    return lerp(458, 492, (x - 162) / (AX - 162))


def draw_airframe(pen: Pen) -> None:
    wing = [(AX, 405), (170, 418), (158, 432), (162, 458), (AX, 492)]
    tail = [(AX + 10, 655), (AX + 178, 722), (AX + 184, 736), (AX + 172, 748), (AX + 8, 722)]
    for shape in (*mirrored(wing), *mirrored(tail)):
        pen.polygon(shape, AIRFRAME, outline=LINE, width=3)
    for side in (1, -1):
        for x0, x1 in ((210, 430), (450, 740)):  # ailerons, then flaps
            a, b = AX + side * (AX - x0), AX + side * (AX - x1)
            ya, yb = trailing_edge(x0), trailing_edge(x1)
            pen.line([(a, ya - 16), (b, yb - 18)], LINE, 2)
            pen.line([(b, yb - 18), (b, yb)], LINE, 2)
            pen.line([(a, ya - 16), (a, ya)], LINE, 2)
        pen.line([(AX + side * 22, 700), (AX + side * 168, 740)], LINE, 2)
    pen.ellipse((AX - 100, 742, AX + 100, 762), fill=(226, 230, 236), outline=LINE, width=2)
    pen.polygon([(AX - 96, 749), (AX + 96, 749), (AX + 90, 755), (AX - 90, 755)], LINE)
    pen.polygon([(AX - 11, 733), (AX + 11, 733), (AX, 762)], LINE)
    pen.polygon(fuselage_outline(), AIRFRAME, outline=LINE, width=3)
    pen.ellipse((AX - 38, 242, AX + 38, 350), fill=AIRFRAME_LIGHT, outline=LINE, width=2)
    pen.ellipse((AX - 9, 612, AX + 9, 640), fill=LINE)
    pen.dashed([(AX, 120), (AX, 800)], (140, 150, 160), 1.5, dash=22, gap=8)
    pen.dashed(ellipse_points(AX, 214, 22, 22), VERMILION, 3, dash=8, gap=6)
    pen.dashed(
        [(AX - 22, 650), (AX + 22, 650), (AX + 20, 726), (AX - 20, 726), (AX - 22, 650)],
        LINE,
        2,
        dash=8,
        gap=6,
    )


def callout(pen: Pen, target: Point, label: Point, lines: Sequence[str]) -> None:
    """A dot on the part, a line to the label, the label beside the line's end."""
    tx, ty = target
    lx, ly = label
    right = lx > tx
    end = (lx - 12, ly) if right else (lx + 12, ly)
    pen.line([target, end], LINE, 2)
    pen.ellipse((tx - 6, ty - 6, tx + 6, ty + 6), fill=LINE)
    anchor = "lm" if right else "rm"
    pen.text((lx, ly), lines[0], 28, bold=True, anchor=anchor)
    for i, extra in enumerate(lines[1:], start=1):
        pen.text((lx, ly + 34 * i), extra, 22, fill=MUTED, anchor=anchor)


def draw_aircraft() -> Image.Image:
    pen = Pen((1600, 900), (244, 246, 248))
    pen.text((60, 48), "A long-endurance surveillance drone, seen from above", 40, bold=True)
    pen.text((60, 102), "Generic and simplified, not to scale", 24, fill=MUTED)
    draw_airframe(pen)
    callout(pen, (AX - 28, 290), (480, 250), ["Satellite antenna dome", "link to distant crews"])
    callout(pen, (AX + 18, 206), (1120, 190), ["Sensor ball", "cameras, under the nose"])
    callout(pen, (300, 424), (350, 340), ["Long, straight wings", "for hours of flight"])
    callout(pen, (330, 470), (380, 580), ["Control surfaces", "ailerons and flaps"])
    callout(pen, (AX - 20, 690), (560, 690), ["Turboprop engine", "inside the rear fuselage"])
    callout(pen, (AX + 120, 712), (1120, 640), ["V-tail", "angled tail surfaces"])
    callout(pen, (AX + 70, 752), (1120, 800), ["Pusher propeller", "at the very back"])
    pen.dashed([(1300, 120), (1348, 120)], VERMILION, 3, dash=8, gap=6)
    pen.text((1360, 120), "hidden from above", 22, fill=MUTED, anchor="lm")
    return pen.finish()


# --- 4. Road at dusk, with camera metadata -------------------------------------------------

W, H = 2400, 1600
HORIZON = 930
CX = 1150.0  # where the road meets the horizon
FOCAL = 1200.0  # pixels
EYE = 2.2  # metres above the road
FENCE_X = 8.0  # metres to the right of the road's centre
SKY = [(0.0, (30, 36, 74)), (0.45, (86, 68, 118)), (0.8, (206, 118, 98)), (1.0, (250, 190, 124))]


def view(x: float, h: float, d: float) -> Point:
    """The pixel of a point x metres across, h up and d ahead of the camera."""
    return (CX + FOCAL * x / d, HORIZON + FOCAL * (EYE - h) / d)


def gradient(width: int, height: int, stops: Sequence[tuple[float, RGB]]) -> Image.Image:
    column = Image.new("RGB", (1, height))
    for y in range(height):
        t = y / max(height - 1, 1)
        i = max(i for i, (at, _) in enumerate(stops) if at <= t or i == 0)
        (t0, c0), (t1, c1) = stops[i], stops[min(i + 1, len(stops) - 1)]
        k = 0 if t1 == t0 else (t - t0) / (t1 - t0)
        column.putpixel((0, y), tuple(round(lerp(a, b, k)) for a, b in zip(c0, c1, strict=True)))
    return column.resize((width, height), Image.Resampling.NEAREST)


def glow(img: Image.Image, box: Sequence[float], colour: RGB, blur: float, strength: int) -> None:
    mask = Image.new("L", img.size, 0)
    ImageDraw.Draw(mask).ellipse(list(box), fill=strength)
    mask = mask.filter(ImageFilter.GaussianBlur(blur))
    img.paste(Image.new("RGB", img.size, colour), mask=mask)


def ridge(rng: random.Random, base: float, height: float, waves: int) -> list[Point]:
    terms = [
        (rng.uniform(0.8, 2.2) * (k + 1), rng.uniform(0, 6.3), 1 / (k + 1)) for k in range(waves)
    ]
    top: list[Point] = []
    for x in range(-8, W + 16, 8):
        s = sum(a * math.sin(f * x / 400 + p) for f, p, a in terms)
        top.append((float(x), base - height * (0.55 + 0.3 * s)))
    return [(-8.0, float(HORIZON + 2)), *top, (float(W + 16), float(HORIZON + 2))]


def draw_sky(img: Image.Image, rng: random.Random) -> None:
    img.paste(gradient(W, HORIZON, SKY), (0, 0))
    draw = ImageDraw.Draw(img)
    for _ in range(70):
        x, y = rng.uniform(0, W), rng.uniform(0, HORIZON * 0.35)
        v = rng.randint(150, 230)
        draw.ellipse((x - 1.4, y - 1.4, x + 1.4, y + 1.4), fill=(v, v, min(255, v + 20)))
    clouds = Image.new("L", img.size, 0)
    cdraw = ImageDraw.Draw(clouds)
    for _ in range(9):
        x, y = rng.uniform(-200, W), rng.uniform(260, 640)
        cdraw.ellipse((x, y, x + rng.uniform(300, 800), y + rng.uniform(14, 34)), fill=120)
    img.paste(
        Image.new("RGB", img.size, (238, 150, 140)),
        mask=clouds.filter(ImageFilter.GaussianBlur(14)),
    )
    glow(img, (300, HORIZON - 260, 1300, HORIZON + 160), (255, 214, 150), 160, 210)
    draw.polygon(ridge(rng, HORIZON - 40, 110, 5), fill=(108, 80, 112))
    draw.polygon(ridge(rng, HORIZON - 4, 46, 4), fill=(70, 52, 76))


def ground_quad(x0: float, x1: float, d0: float, d1: float) -> list[Point]:
    return [view(x0, 0, d0), view(x1, 0, d0), view(x1, 0, d1), view(x0, 0, d1)]


def draw_ground(img: Image.Image, rng: random.Random) -> None:
    ground = gradient(W, H - HORIZON, [(0.0, (132, 96, 88)), (1.0, (60, 44, 40))])
    img.paste(ground, (0, HORIZON))
    draw = ImageDraw.Draw(img)
    bushes: list[tuple[float, float, float, int, float]] = []
    for _ in range(1400):
        d = 5 * 200 ** rng.random()
        x = rng.uniform(-80, 80)
        if abs(x) < 4.4 or abs(x - FENCE_X) < 0.6:
            continue
        bushes.append((d, x, rng.uniform(0.15, 0.5), rng.randint(0, 14), rng.random()))
    for d, x, size, shade, seed in sorted(bushes, reverse=True):
        px, py = view(x, 0, d)
        r = FOCAL * size / d
        tuft = random.Random(seed)
        for _ in range(5):  # a scrub bush: a few overlapping clumps
            cx, cy = px + tuft.uniform(-r, r), py - tuft.uniform(0, r * 0.5)
            cr = r * tuft.uniform(0.35, 0.6)
            draw.ellipse(
                (cx - cr, cy - cr * 0.8, cx + cr, cy + cr * 0.3),
                fill=(48 + shade, 40 + shade, 34 + shade // 2),
            )
    road = Image.new("L", img.size, 0)
    ImageDraw.Draw(road).polygon(ground_quad(-3.6, 3.6, 3.0, 6000), fill=255)
    asphalt = gradient(
        W, H - HORIZON, [(0.0, (128, 104, 112)), (0.3, (78, 70, 78)), (1.0, (46, 44, 50))]
    )
    img.paste(asphalt, (0, HORIZON), mask=road.crop((0, HORIZON, W, H)))
    for x0 in (-3.35, 3.2):
        draw.polygon(ground_quad(x0, x0 + 0.15, 3.0, 3000), fill=(196, 184, 176))
    d = 4.0
    while d < 900:
        draw.polygon(ground_quad(-0.07, 0.07, d, d + 3), fill=(214, 168, 72))
        d += 12


def draw_fence(img: Image.Image) -> None:
    draw = ImageDraw.Draw(img)
    rust, dark, shadow = (70, 46, 40), (42, 30, 32), (30, 22, 26)
    far = [view(FENCE_X, 0, 400), view(FENCE_X, 5.5, 400), view(FENCE_X, 5.5, 6000)]
    draw.polygon([*far, view(FENCE_X, 0, 6000)], fill=dark)
    d = 400.0
    while d > 7.0:  # one bollard every 25 cm, far to near, each with its shaded side
        x0, top = view(FENCE_X - 0.075, 5.4, d)
        x1, base = view(FENCE_X + 0.075, 0, d)
        t = min(1.0, (d - 7) / 120)
        colour = tuple(round(lerp(a, b, t)) for a, b in zip(rust, dark, strict=True))
        draw.rectangle((x0, top, max(x1, x0 + 1), base), fill=colour)
        if x1 - x0 >= 3:
            draw.rectangle((x0, top, x0 + (x1 - x0) * 0.3, base), fill=shadow)
        d -= 0.25
    plate = [view(FENCE_X, 5.5, 7.0), view(FENCE_X, 5.5, 6000), view(FENCE_X, 4.7, 6000)]
    draw.polygon([*plate, view(FENCE_X, 4.7, 7.0)], fill=dark)
    pole: RGB = (38, 30, 40)
    wires: list[tuple[Point, Point]] = []
    for d in range(12, 1300, 60):
        x, base = view(-10, 0, d)
        _, top = view(-10, 9, d)
        w = max(1.0, FOCAL * 0.14 / d)
        draw.rectangle((x - w, top, x + w, base), fill=pole)
        arm = (view(-11.2, 8.4, d), view(-8.8, 8.4, d))
        draw.line(arm, fill=pole, width=max(1, round(w)))
        wires.append(arm)
    for (a0, a1), (b0, b1) in pairwise(wires):
        draw.line((a0, b0), fill=pole, width=2)
        draw.line((a1, b1), fill=pole, width=2)


def finish_photo(img: Image.Image, rng: random.Random) -> Image.Image:
    img = img.filter(ImageFilter.GaussianBlur(0.8))
    small = Image.new("L", (48, 32))
    for y in range(32):
        for x in range(48):
            r = math.hypot((x - 23.5) / 24, (y - 15.5) / 16)
            small.putpixel((x, y), round(255 * (1 - 0.38 * max(0.0, r - 0.45) ** 1.5)))
    vignette = small.resize(img.size, Image.Resampling.BICUBIC)
    img = ImageChops.multiply(img, Image.merge("RGB", (vignette, vignette, vignette)))
    grain = Image.frombytes("L", (W // 2, H // 2), rng.randbytes(W * H // 4))
    grain = grain.point(lambda v: 128 + (v - 128) // 22).resize(img.size, Image.Resampling.BILINEAR)
    return ImageChops.add(img, Image.merge("RGB", (grain, grain, grain)), offset=-128)


def dms(degrees: float) -> tuple[IFDRational, IFDRational, IFDRational]:
    whole = int(degrees)
    minutes = int((degrees - whole) * 60)
    seconds = round(((degrees - whole) * 60 - minutes) * 60 * 100)
    return IFDRational(whole, 1), IFDRational(minutes, 1), IFDRational(seconds, 100)


def camera_exif() -> Image.Exif:
    """The tags a camera writes, with a position near Nogales on the border."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Example Optics"
    exif[ExifTags.Base.Model] = "Field 24"
    exif[ExifTags.Base.DateTime] = "2025:01:24 18:06:40"
    exif[ExifTags.Base.Artist] = "Drones over Mexico desk"
    exif[ExifTags.Base.Orientation] = 6  # stored turned left: turn right to view
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSVersionID] = b"\x02\x03\x00\x00"
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = dms(31.33)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = dms(110.94)
    return exif


def draw_photo() -> Image.Image:
    rng = random.Random(20250124)
    img = Image.new("RGB", (W, H))
    draw_sky(img, rng)
    draw_ground(img, rng)
    draw_fence(img)
    return finish_photo(img, rng)


def mean_colour(img: Image.Image, top: int) -> tuple[int, ...]:
    """The average colour of the band a tenth of the picture high from row top down."""
    band = img.crop((0, top, img.width, top + img.height // 10))
    return tuple(band.resize((1, 1), Image.Resampling.BOX).getpixel((0, 0)))


def check_photo(path: Path) -> None:
    with Image.open(path) as stored:
        exif = stored.getexif()
        problems: list[str] = []
        if ExifTags.IFD.GPSInfo not in exif or not exif.get_ifd(ExifTags.IFD.GPSInfo):
            problems.append("no GPS IFD")
        if exif.get(ExifTags.Base.Orientation) != 6:
            problems.append("orientation is not 6")
        if stored.size != (H, W):
            problems.append(f"stored size {stored.size}")
        upright = ImageOps.exif_transpose(stored).convert("RGB")
    if upright.size != (W, H):
        problems.append(f"upright size {upright.size}")
    sky, land = mean_colour(upright, 0), mean_colour(upright, H - H // 10)
    if not (sky[2] > sky[0] and land[0] > land[2]):
        problems.append(f"sky not at the top (top {sky}, bottom {land})")
    if path.stat().st_size > 900_000:
        problems.append(f"{path.stat().st_size} bytes, over 900 KB")
    if problems:
        sys.exit(f"{path.name}: " + "; ".join(problems))


# --- Writing -------------------------------------------------------------------------------


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    pictures = {
        "border-figures-chart.png": draw_chart,
        "places-map.png": draw_map,
        "surveillance-aircraft-diagram.png": draw_aircraft,
    }
    written: list[Path] = []
    for name, draw in pictures.items():
        draw().save(OUT / name, optimize=True)
        written.append(OUT / name)
    photo = OUT / "border-patrol-road.jpg"
    stored = draw_photo().transpose(Image.Transpose.ROTATE_90)
    stored.save(photo, quality=85, exif=camera_exif().tobytes())
    check_photo(photo)
    written.append(photo)
    for path in written:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        print(f"{digest}  {path.stat().st_size:>8}  {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
