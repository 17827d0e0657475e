"""The social card of a page: a 1200×630 PNG of the site's name, the first topic (the kicker),
the title and the date (placed by :mod:`briefgen.features.cards.layout`), in the theme's
colours and fonts, with an accent bar down the starting edge.

Speed, for 200 cards of real titles on the two-core build machine (Pillow 13): an RGB card takes
~17 ms, saving the RGB PNG ~10 ms at compress_level 1, ~15 at 6. ``Image.quantize`` to a palette
of the known colours costs 1 ms, then the PNG saves in 1.7 ms (levels 1–3), 4.3 (6) or 38 (9);
zlib's RLE, Huffman-only and fixed strategies are no faster, 4-bit packing costs more than it saves.
Chosen, no RGB at all: each colour owns a range of greys (RANGES); a block's band is filled with
the bottom of its range and its text drawn with the top, so one greyscale image (~40% faster to
draw than RGB) holds every colour with its anti-aliasing, and one lookup table maps the greys to
the palette: background, then each text colour over it in 16 steps. Level 2: ~4 ms a card
(~1.7 saving, ~1.2 rendering glyphs), ~23 KiB; level 6 saves 6 KiB for 2.5 ms more; a 256-entry
palette indexed by the grey itself is no faster and 20% larger.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import PIL
from PIL import Image, ImageDraw, features

from briefgen.features.cards.layout import (
    ACCENT,
    BAR,
    FOREGROUND,
    HEIGHT,
    MARGIN_X,
    MUTED,
    WIDTH,
    CardText,
    layout,
)
from briefgen.util.quoting import quoted

__all__ = ["CARD_VERSION", "CardStyle", "CardText", "card_key", "draw_card", "rgb"]

CARD_VERSION = 1
COMPRESS_LEVEL = 2
STEPS = 16  # anti-aliasing steps of each text colour in the palette
# The grey values each text colour is drawn in: the bottom of a range is no ink, the top full
# ink.
RANGES = {FOREGROUND: (128, 255), ACCENT: (64, 127), MUTED: (0, 63)}
COLOURS = ("background", "foreground", "accent", "muted")

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
    canvas = Image.new("L", (WIDTH, HEIGHT), 0)
    draw = ImageDraw.Draw(canvas)
    blocks = layout(text, style.bold_font, style.regular_font)
    edges = [(a.span()[1] + b.span()[0]) // 2 for a, b in zip(blocks, blocks[1:], strict=False)]
    x, anchor = (WIDTH - BAR - MARGIN_X, "rs") if text.rtl else (BAR + MARGIN_X, "ls")
    for block, top, bottom in zip(blocks, [0, *edges], [*edges, HEIGHT], strict=False):
        low, high = RANGES[block.slot]
        canvas.paste(low, (0, top, WIDTH, bottom))  # the block's band, in its colour's range
        options = block.face.options()
        for i, line in enumerate(block.lines):
            y = block.baseline + i * block.leading
            draw.text((x, y), line, fill=high, font=block.face.font, anchor=anchor, **options)
    bar = (WIDTH - BAR, 0, WIDTH, HEIGHT) if text.rtl else (0, 0, BAR, HEIGHT)
    canvas.paste(RANGES[ACCENT][1], bar)
    card = canvas.point(_table())
    card.putpalette(_palette(style), "RGB")
    out = io.BytesIO()
    card.save(out, "PNG", compress_level=COMPRESS_LEVEL)
    return out.getvalue()


def card_key(text: CardText, style: CardStyle) -> str:
    """A digest of all the card depends on: fields, font bytes, CARD_VERSION, libraries."""
    record = {
        "version": CARD_VERSION,
        "text": [text.site, text.title, text.kicker, text.date, text.rtl],
        "colours": [rgb(getattr(style, name)) for name in COLOURS],
        "fonts": [_file_digest(style.bold_font), _file_digest(style.regular_font)],
        "libraries": [PIL.__version__, *map(features.version, ("freetype2", "raqm", "zlib"))],
    }
    data = json.dumps(record, ensure_ascii=False, sort_keys=True).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


@functools.lru_cache(maxsize=16)
def _palette(style: CardStyle) -> tuple[int, ...]:
    """The background, then each text colour blended over it in STEPS steps up to itself."""
    out = list(rgb(style.background))
    for ink in (rgb(style.foreground), rgb(style.accent), rgb(style.muted)):
        for n in range(1, STEPS + 1):
            out += [round(b + (c - b) * n / STEPS) for b, c in zip(out[:3], ink, strict=True)]
    return tuple(out)


@functools.lru_cache(maxsize=1)
def _table() -> tuple[int, ...]:
    """The palette index of each grey: its range's colour at the nearest step (0: background)."""
    table = []
    for grey in range(256):
        slot, (low, high) = next((s, r) for s, r in RANGES.items() if r[0] <= grey <= r[1])
        step = ((grey - low) * STEPS * 2 + (high - low)) // ((high - low) * 2)
        table.append(1 + slot * STEPS + step - 1 if step else 0)
    return tuple(table)


def _file_digest(path: Path) -> str:
    """The sha256 of a file's bytes, read again only when its size or time changes."""
    stat = os.stat(path)
    return _bytes_digest(Path(path).resolve(), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=32)
def _bytes_digest(path: Path, size: int, mtime_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
