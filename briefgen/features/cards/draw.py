"""The social card of a page: a 1200×630 PNG of the site's name, the first topic (the kicker),
the title and the date, in the theme's colours and fonts, with an accent bar down the starting
edge. The title takes up to four lines, shrunk from 72 to 40 px until it fits, then is cut with
"…"; a word wider than the column (a URL, CJK without spaces) is broken between characters.

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

libraqm lays text out (shaping, bidi; ~15 µs a line, the basic layout ~1 µs a character) except
CJK with nothing to shape, which it measures 20 times slower. A line takes as many words as fit,
guessed from widths measured so far (2–3 measurements a line). The PNG holds no metadata or time.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import PIL
from PIL import Image, ImageDraw, ImageFont, features

from briefgen.util.quoting import quoted

CARD_VERSION = 1
WIDTH, HEIGHT = 1200, 630
BAR = 20  # the accent bar's width
MARGIN_X, MARGIN_Y = 72, 64
COLUMN = WIDTH - BAR - 2 * MARGIN_X  # the width of the text
TITLE_SIZES = tuple(range(72, 39, -4))  # 72, 68, … 40 px
TITLE_LINES, LINE_HEIGHT = 4, 1.2
SITE_SIZE, KICKER_SIZE, DATE_SIZE = 30, 30, 28
GAP, KICKER_GAP = 36, 12  # around the middle block; between the kicker and the title
COMPRESS_LEVEL = 2
STEPS = 16  # anti-aliasing steps of each text colour in the palette
ELLIPSIS = "…"
# The text colours' places in the palette (after the background, index 0) and the grey values
# each is drawn in: the bottom of a range is no ink, the top full ink.
FOREGROUND, ACCENT, MUTED = 0, 1, 2
RANGES = {FOREGROUND: (128, 255), ACCENT: (64, 127), MUTED: (0, 63)}
COLOURS = ("background", "foreground", "accent", "muted")

_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_RAQM = features.check("raqm")
_SHAPED = {"R", "AL", "AN", "NSM", "RLE", "RLO", "LRE", "LRO", "PDF", "RLI", "LRI", "FSI", "PDI"}


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


@dataclass(frozen=True)
class CardText:
    site: str  # the site's name, top
    title: str  # the page title
    kicker: str  # the first topic, above the title, in the accent colour (may be "")
    date: str  # already formatted, bottom (may be "")
    rtl: bool = False  # a right-to-left language: the text is aligned to the right


@dataclass(frozen=True)
class _Block:
    """Lines of one colour in one font, and the baseline of the first."""

    slot: int
    font: ImageFont.FreeTypeFont
    lines: tuple[str, ...]
    baseline: int
    leading: int = 0

    def span(self) -> tuple[int, int]:
        """The top of the first line and the bottom of the last."""
        ascent, descent = self.font.getmetrics()
        last = self.baseline + self.leading * (len(self.lines) - 1)
        return self.baseline - ascent, last + descent


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
    blocks = _layout(text, style)
    edges = [(a.span()[1] + b.span()[0]) // 2 for a, b in zip(blocks, blocks[1:], strict=False)]
    x, anchor = (WIDTH - BAR - MARGIN_X, "rs") if text.rtl else (BAR + MARGIN_X, "ls")
    for block, top, bottom in zip(blocks, [0, *edges], [*edges, HEIGHT], strict=False):
        low, high = RANGES[block.slot]
        canvas.paste(low, (0, top, WIDTH, bottom))  # the block's band, in its colour's range
        options = _direction(block.font, text.rtl)
        for i, line in enumerate(block.lines):
            y = block.baseline + i * block.leading
            draw.text((x, y), line, fill=high, font=block.font, anchor=anchor, **options)
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


def _layout(text: CardText, style: CardStyle) -> list[_Block]:
    """The blocks of the card from top to bottom, each line already cut to the column."""
    site, kicker, date, title = (_clean(s) for s in (text.site, text.kicker, text.date, text.title))
    site_font = _font(style.bold_font, SITE_SIZE, _engine(site))
    date_font = _font(style.regular_font, DATE_SIZE, _engine(date))
    kicker_font = _font(style.bold_font, KICKER_SIZE, _engine(kicker))
    top = MARGIN_Y + sum(site_font.getmetrics()) + GAP
    bottom = HEIGHT - MARGIN_Y - sum(date_font.getmetrics()) - GAP
    kicker_height = sum(kicker_font.getmetrics()) + KICKER_GAP if kicker else 0
    font, lines = _fit_title(title, style.bold_font, bottom - top - kicker_height, text.rtl)
    leading = round(font.size * LINE_HEIGHT)
    title_height = leading * (len(lines) - 1) + sum(font.getmetrics()) if lines else 0
    y = top + (bottom - top - kicker_height - title_height) // 2  # the middle block, centred
    blocks = [
        _line(FOREGROUND, site_font, site, MARGIN_Y + site_font.getmetrics()[0], text.rtl),
        _line(ACCENT, kicker_font, kicker, y + kicker_font.getmetrics()[0], text.rtl),
        _Block(FOREGROUND, font, tuple(lines), y + kicker_height + font.getmetrics()[0], leading),
        _line(MUTED, date_font, date, HEIGHT - MARGIN_Y - date_font.getmetrics()[1], text.rtl),
    ]
    return [block for block in blocks if block.lines]


def _line(slot: int, font: ImageFont.FreeTypeFont, text: str, baseline: int, rtl: bool) -> _Block:
    """A block of one line cut to the column, or of no line for empty text."""
    return _Block(slot, font, (_cut(text, font, rtl),) if text else (), baseline)


def _fit_title(
    title: str, path: Path, height: int, rtl: bool
) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest size at which the title fits, and its lines (at 40 px, cut with "…")."""
    engine = _engine(title)
    rough = _width(title, _font(path, TITLE_SIZES[0], engine), rtl) / TITLE_SIZES[0]
    for size in TITLE_SIZES:
        font = _font(path, size, engine)
        leading = round(size * LINE_HEIGHT)
        most = max(1, min(TITLE_LINES, (height - sum(font.getmetrics())) // leading + 1))
        if size != TITLE_SIZES[-1] and rough * size > most * COLUMN * 0.97:
            continue  # would not fit even with every line full: not worth wrapping
        lines = _wrap(title, font, most + 1, rtl)
        if len(lines) <= most:
            return font, lines
    return font, [*lines[: most - 1], _prefix(lines[most - 1], font, rtl, ELLIPSIS) + ELLIPSIS]


def _wrap(text: str, font: ImageFont.FreeTypeFont, most: int, rtl: bool) -> list[str]:
    """Up to ``most`` lines of as many words as fit, a word wider than a line broken."""
    lines: list[str] = []
    words = text.split(" ") if text else []
    while words and len(lines) < most:
        count = _longest(len(words), lambda k: _width(" ".join(words[:k]), font, rtl))
        if count:
            lines.append(" ".join(words[:count]))
            del words[:count]
        else:
            lines.append(_prefix(words[0], font, rtl))
            words[:1] = filter(None, [words[0][len(lines[-1]) :]])  # the rest, if any
    return lines


def _cut(text: str, font: ImageFont.FreeTypeFont, rtl: bool) -> str:
    """``text`` if it fits the column, else its longest start that fits followed by "…"."""
    fits = _width(text, font, rtl) <= COLUMN
    return text if fits else _prefix(text, font, rtl, ELLIPSIS) + ELLIPSIS


def _prefix(text: str, font: ImageFont.FreeTypeFont, rtl: bool, suffix: str = "") -> str:
    """The longest start of ``text`` fitting the column with ``suffix``, marks kept whole."""
    end = max(1, _longest(len(text), lambda k: _width(text[:k] + suffix, font, rtl)))
    while end < len(text) and unicodedata.combining(text[end]):
        end += 1
    return text[:end].rstrip() if suffix else text[:end]


def _longest(count: int, width_of: Callable[[int], float]) -> int:
    """The largest ``k`` ≤ ``count`` whose growing ``width_of(k)`` fits: guessed, then halved."""
    high_width = width_of(count)
    if high_width <= COLUMN:
        return count
    low, high, low_width = 0, count, 0.0
    for attempt in range(count):
        if high - low <= 1:
            break
        share = (COLUMN - low_width) / max(high_width - low_width, 1e-9)
        guess = low + int(share * (high - low)) if attempt < 3 else (low + high) // 2
        guess = min(max(guess, low + 1), high - 1)
        if (width := width_of(guess)) <= COLUMN:
            low, low_width = guess, width
        else:
            high, high_width = guess, width
    return low


def _width(text: str, font: ImageFont.FreeTypeFont, rtl: bool) -> float:
    return font.getlength(text, **_direction(font, rtl)) if text else 0.0


def _direction(font: ImageFont.FreeTypeFont, rtl: bool) -> dict[str, str]:
    """Right-to-left paragraphs where libraqm lays out (the basic layout refuses the option)."""
    return {"direction": "rtl"} if rtl and font.layout_engine == ImageFont.Layout.RAQM else {}


def _clean(text: str) -> str:
    """One line of drawable text: no control characters, lone surrogates or runs of spaces."""
    drawable = "".join(" " if unicodedata.category(c) in ("Cc", "Cs") else c for c in text)
    return " ".join(drawable.split())


def _engine(text: str) -> ImageFont.Layout:
    """libraqm if Pillow has it, except for CJK text with nothing to shape or reorder."""
    if _RAQM and not any(unicodedata.east_asian_width(c) in "WF" for c in text):
        return ImageFont.Layout.RAQM
    shaped = any(unicodedata.bidirectional(c) in _SHAPED or unicodedata.combining(c) for c in text)
    return ImageFont.Layout.RAQM if _RAQM and shaped else ImageFont.Layout.BASIC


@functools.lru_cache(maxsize=128)
def _font(path: Path, size: int, engine: ImageFont.Layout) -> ImageFont.FreeTypeFont:
    """The font at ``path`` in ``size`` pixels, loaded once."""
    return ImageFont.truetype(str(path), size, layout_engine=engine)


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
