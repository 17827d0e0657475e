"""The social card of a page: a 1200×630 palette PNG of the site's name, the first topic (the
kicker), the title and the date (placed by :mod:`briefgen.features.cards.layout`), in the
theme's colours and fonts, with an accent bar down the starting edge. The palette is the
background, then each text colour over it in 16 steps; the PNG holds no metadata or time.

Each block (the lines of one colour) is drawn on rows of its own, only the rows its ink
crosses, and compressed apart (:mod:`briefgen.features.cards.png`): the blank rows and the
site's name are compressed once for every card, the kicker and the date once for each
text, so that a card's own work is its title. A title is drawn straight in palette
indices; the accent and the muted colour in ranges of grey a table maps to them (RANGES).
Glyphs come from :mod:`briefgen.features.cards.glyphs`, drawn once for each font.

Speed, CPU per card, old and new code by turns on the two-core build machine (Pillow 13,
zlib 1.2.13, shared with other work): in a build of ``bench/corpus.py 1000`` (``-j 1``, no
cache) 4.1–4.6 ms before, 1.1–1.2 ms after; the same 1,001 cards drawn in a loop 2.9–3.5 ms
before, 1.15–1.4 ms after; 21.5 KiB a card before, 20.3 KiB after (level 2 both). cProfile
of 3.3 ms before: 1.37 ms compressing the whole image (756,000 bytes; zlib takes ~1.7 ns a
byte, blank or not, at levels 1–3 and with the filtered, RLE or Huffman-only strategies
alike), 0.86 ms rendering glyphs (Pillow renders each glyph twice for each line it draws),
0.23 ms measuring lines, 0.23 ms the lookup table. After, of 1.04 ms: zlib 0.50 on the
~190 rows a title crosses and the date's, measuring and wrapping 0.16, placing glyphs 0.09,
canvases 0.07. zlib is the floor: RLE is 7% faster for 11% larger files, 4-bit pixels
compress no faster (their bytes repeat less) and cost 0.4 ms to pack, and PNG's Up filter
costs more than it saves (bench/README.md, "Where the time goes").
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import PIL
from PIL import Image, ImageDraw, features

from briefgen.features.cards.glyphs import Ink
from briefgen.features.cards.layout import (
    ACCENT,
    BAR,
    FOREGROUND,
    HEIGHT,
    MARGIN_X,
    MUTED,
    WIDTH,
    Block,
    CardText,
    layout,
)
from briefgen.features.cards.png import Part, compress, png, repeated
from briefgen.util.quoting import quoted

__all__ = ["CARD_VERSION", "CardStyle", "CardText", "card_key", "card_keys", "draw_card", "rgb"]

CARD_VERSION = 2  # 2: rows compressed apart, glyphs drawn one by one (the pixels of 1)
STEPS = 16  # anti-aliasing steps of each text colour in the palette
COLOURS = ("background", "foreground", "accent", "muted")
ROW = WIDTH + 1  # a scanline: the filter byte (none), then one byte a pixel
BAR_INDEX = ACCENT * STEPS + STEPS  # the accent's last step: the bar
# The grey values the accent and the muted colour are drawn in: the bottom of a range is no
# ink, the top full ink (the table maps them to the palette).
RANGES = {ACCENT: (64, 127), MUTED: (0, 63)}


@dataclass(frozen=True)
class _Ink:
    """How a block of one colour is drawn: its rows filled with ``low``, its text in
    ``high``, the bar in ``bar``, then mapped to the palette by ``table`` (when not None)."""

    low: int
    high: int
    bar: int
    table: bytes | None


_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


@dataclass(frozen=True)
class CardStyle:
    background: str  # "#rrggbb" or "#rgb"
    foreground: str
    accent: str
    muted: str
    bold_font: Path
    regular_font: Path

    def __post_init__(self) -> None:
        for name in COLOURS:
            rgb(getattr(self, name), name)


def rgb(value: str, name: str = "colour") -> tuple[int, int, int]:
    """``(r, g, b)`` of ``#rgb`` or ``#rrggbb``; a ValueError naming the colour otherwise."""
    if not isinstance(value, str) or not _HEX.fullmatch(value):
        msg = f"card colour {name} is {quoted(value)}; write it as #rgb or #rrggbb, like #1b1b1b"
        raise ValueError(msg)
    digits = value[1:] if len(value) == 7 else "".join(c * 2 for c in value[1:])
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def draw_card(text: CardText, style: CardStyle) -> bytes:
    """The PNG bytes of the card."""
    blocks = layout(text, style.bold_font, style.regular_font)
    edges = [(a.span()[1] + b.span()[0]) // 2 for a, b in zip(blocks, blocks[1:], strict=False)]
    blank = _blank(text.rtl)
    parts: list[Part] = []
    done = 0  # the rows so far
    for block, top, bottom in zip(blocks, [0, *edges], [*edges, HEIGHT], strict=False):
        for first, end, part in _rows(block, top, bottom, text.rtl):
            if first > done:
                parts.append(repeated(blank, first - done))
            parts.append(part)
            done = end
    if done < HEIGHT:
        parts.append(repeated(blank, HEIGHT - done))
    return png(WIDTH, HEIGHT, _palette(style), parts)


def _rows(block: Block, top: int, bottom: int, rtl: bool) -> list[tuple[int, int, Part]]:
    """The runs of rows the block's ink crosses between ``top`` and ``bottom`` (its band),
    compressed: a line of one line's block is drawn once for every card that has it."""
    if len(block.lines) > 1:
        return _drawn(block, top, bottom, rtl)
    at = block.baseline
    alone = Block(block.slot, block.face, block.lines, 0)
    return [
        (first + at, end + at, part)
        for first, end, part in _line(alone, top - at, bottom - at, rtl)
    ]


def _drawn(block: Block, top: int, bottom: int, rtl: bool) -> list[tuple[int, int, Part]]:
    """The block's runs of rows with ink between ``top`` and ``bottom``, each compressed."""
    lines = enumerate(block.lines)
    inks = [(block.baseline + i * block.leading, block.face.ink(line)) for i, line in lines]
    runs = _runs((max(y + above, top), min(y + below, bottom)) for y, (_, above, below) in inks)
    return [(first, end, _run(block.slot, inks, first, end, rtl)) for first, end in runs]


def _run(slot: int, inks: list[tuple[int, Ink]], first: int, end: int, rtl: bool) -> Part:
    """The rows from ``first`` to ``end`` drawn and compressed. Each run is drawn on rows of
    its own, which keeps every buffer under glibc's 128 KiB: larger ones come from fresh
    pages, and the page faults made a 230-row title 10 times slower to read out."""
    ink = _inks()[slot]
    canvas = Image.new("L", (ROW, end - first), ink.low)
    draw = ImageDraw.Draw(canvas).draw
    x = 1 + (WIDTH - BAR - MARGIN_X if rtl else BAR + MARGIN_X)  # after the filter byte
    for y, (pieces, above, below) in inks:
        if y + above < end and y + below > first:
            for dx, dy, mask in pieces:
                draw.draw_bitmap((x + dx, y + dy - first), mask, ink.high)
    canvas.paste(ink.bar, _bar(rtl, end - first))
    data = canvas.tobytes()
    return compress(data if ink.table is None else data.translate(ink.table))


_line = functools.lru_cache(maxsize=256)(_drawn)


def _runs(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans of rows (first, end) joined where they touch or overlap; empty ones left out."""
    runs: list[tuple[int, int]] = []
    for first, end in sorted(span for span in spans if span[0] < span[1]):
        if runs and first <= runs[-1][1]:
            runs[-1] = (runs[-1][0], max(end, runs[-1][1]))
        else:
            runs.append((first, end))
    return runs


def _bar(rtl: bool, height: int) -> tuple[int, int, int, int]:
    """The accent bar's columns on the starting edge, after the filter byte."""
    return (ROW - BAR, 0, ROW, height) if rtl else (1, 0, 1 + BAR, height)


@functools.lru_cache(maxsize=2)
def _blank(rtl: bool) -> bytes:
    """A scanline with no text: the filter byte, the background and the accent bar."""
    row = bytearray(ROW)
    left, _, right, _ = _bar(rtl, 1)
    row[left:right] = bytes([BAR_INDEX]) * BAR
    return bytes(row)


@functools.lru_cache(maxsize=1)
def _inks() -> dict[int, _Ink]:
    """The foreground is drawn in its palette indices (0 the background, 1–16 its steps):
    Pillow's blend of a glyph's coverage over 0 with ink 16 rounds to the step the range
    of greys 128–255 gave, for each of the 256 coverages, and a title needs no table.
    Over the narrower ranges of the accent and the muted colour it would round 10 of them
    to the next step: those are drawn in greys."""
    table = _table()
    inks = {FOREGROUND: _Ink(0, STEPS, BAR_INDEX, None)}
    for slot, (low, high) in RANGES.items():
        inks[slot] = _Ink(low, high, RANGES[ACCENT][1], table)
    return inks


def card_key(text: CardText, style: CardStyle) -> str:
    """A digest of all the card depends on: fields, font bytes, CARD_VERSION, libraries."""
    return card_keys([text], style)[0]


def card_keys(texts: list[CardText], style: CardStyle) -> list[str]:
    """:func:`card_key` of each of ``texts``, the style's part worked out once (the fonts'
    digests and the libraries' versions cost a quarter of a millisecond, a card's own
    text a few microseconds)."""
    fixed = {
        "version": CARD_VERSION,
        "colours": [rgb(getattr(style, name)) for name in COLOURS],
        "fonts": [_file_digest(style.bold_font), _file_digest(style.regular_font)],
        "libraries": [
            PIL.__version__,
            *map(features.version, ("freetype2", "raqm")),
            zlib.ZLIB_RUNTIME_VERSION,  # Python's zlib compresses the rows, not Pillow's
        ],
    }
    keys = []
    for text in texts:
        record = {**fixed, "text": [text.site, text.title, text.kicker, text.date, text.rtl]}
        data = json.dumps(record, ensure_ascii=False, sort_keys=True)
        keys.append(hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest())
    return keys


@functools.lru_cache(maxsize=16)
def _palette(style: CardStyle) -> bytes:
    """The background, then each text colour blended over it in STEPS steps up to itself."""
    out = list(rgb(style.background))
    for ink in (rgb(style.foreground), rgb(style.accent), rgb(style.muted)):
        for n in range(1, STEPS + 1):
            out += [round(b + (c - b) * n / STEPS) for b, c in zip(out[:3], ink, strict=True)]
    return bytes(out)


def _table() -> bytes:
    """The palette index of each grey: its range's colour at the nearest step (0: background)."""
    table = bytearray(256)
    for slot, (low, high) in RANGES.items():
        for grey in range(low, high + 1):
            step = ((grey - low) * STEPS * 2 + (high - low)) // ((high - low) * 2)
            table[grey] = slot * STEPS + step if step else 0
    return bytes(table)


def _file_digest(path: Path) -> str:
    """The sha256 of a file's bytes, read again only when its size or time changes."""
    stat = os.stat(path)
    return _bytes_digest(Path(path).resolve(), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=32)
def _bytes_digest(path: Path, size: int, mtime_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
