"""Where a card's text goes: the site's name at the top, the kicker (the first topic) and the
title in the middle, the date at the bottom, each a block of lines already cut to the
column. The title takes up to four lines, shrunk from 72 to 40 px until it fits, then is
cut with "…"; a word wider than the column (a URL, CJK without spaces) is broken between
characters.

libraqm lays text out (shaping, bidi) except CJK with nothing to shape, which it measures 20
times slower; simple text is measured from the advances each font keeps
(:mod:`briefgen.features.cards.glyphs`). A line takes as many words as fit, guessed from
widths measured so far (2–3 measurements a line)."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageFont, features

from briefgen.features.cards.glyphs import Face

WIDTH, HEIGHT = 1200, 630
BAR = 20  # the accent bar's width
MARGIN_X, MARGIN_Y = 72, 64
COLUMN = WIDTH - BAR - 2 * MARGIN_X  # the width of the text
TITLE_SIZES = tuple(range(72, 39, -4))  # 72, 68, … 40 px
TITLE_LINES, LINE_HEIGHT = 4, 1.2
SITE_SIZE, KICKER_SIZE, DATE_SIZE = 30, 30, 28
GAP, KICKER_GAP = 36, 12  # around the middle block; between the kicker and the title
ELLIPSIS = "…"
FOREGROUND, ACCENT, MUTED = 0, 1, 2  # the text colours, in the order of the palette

_RAQM = features.check("raqm")
# No character before this one is wide (East Asian Width W or F; Python's unicodedata
# gives F to unassigned code points, the first of which is U+0378).
WIDE = "\u0378"
_SHAPED = {"R", "AL", "AN", "NSM", "RLE", "RLO", "LRE", "LRO", "PDF", "RLI", "LRI", "FSI", "PDI"}


@dataclass(frozen=True)
class CardText:
    site: str  # the site's name, top
    title: str  # the page title
    kicker: str  # the first topic, above the title, in the accent colour (may be "")
    date: str  # already formatted, bottom (may be "")
    rtl: bool = False  # a right-to-left language: the text is aligned to the right


@dataclass(frozen=True)
class Block:
    """Lines of one colour in one face, and the baseline of the first."""

    slot: int  # FOREGROUND, ACCENT or MUTED
    face: Face
    lines: tuple[str, ...]
    baseline: int
    leading: int = 0

    def span(self) -> tuple[int, int]:
        """The top of the first line and the bottom of the last."""
        ascent, descent = self.face.font.getmetrics()
        last = self.baseline + self.leading * (len(self.lines) - 1)
        return self.baseline - ascent, last + descent


def layout(text: CardText, bold: Path, regular: Path) -> list[Block]:
    """The blocks of the card from top to bottom, each line already cut to the column."""
    site, kicker, date, title = (_clean(s) for s in (text.site, text.kicker, text.date, text.title))
    rtl = text.rtl
    site_face = Face(_font(bold, SITE_SIZE, _engine(site)), rtl)
    date_face = Face(_font(regular, DATE_SIZE, _engine(date)), rtl)
    kicker_face = Face(_font(bold, KICKER_SIZE, _engine(kicker)), rtl)
    top = MARGIN_Y + _height(site_face) + GAP
    bottom = HEIGHT - MARGIN_Y - _height(date_face) - GAP
    kicker_height = _height(kicker_face) + KICKER_GAP if kicker else 0
    face, lines = _fit_title(title, bold, bottom - top - kicker_height, rtl)
    leading = round(face.font.size * LINE_HEIGHT)
    title_height = leading * (len(lines) - 1) + _height(face) if lines else 0
    y = top + (bottom - top - kicker_height - title_height) // 2  # the middle block, centred
    blocks = [
        _line(FOREGROUND, site_face, site, MARGIN_Y + _ascent(site_face)),
        _line(ACCENT, kicker_face, kicker, y + _ascent(kicker_face)),
        Block(FOREGROUND, face, tuple(lines), y + kicker_height + _ascent(face), leading),
        _line(MUTED, date_face, date, HEIGHT - MARGIN_Y - date_face.font.getmetrics()[1]),
    ]
    return [block for block in blocks if block.lines]


def _height(face: Face) -> int:
    return sum(face.font.getmetrics())


def _ascent(face: Face) -> int:
    return face.font.getmetrics()[0]


def _line(slot: int, face: Face, text: str, baseline: int) -> Block:
    """A block of one line cut to the column, or of no line for empty text."""
    return Block(slot, face, (_cut(text, face),) if text else (), baseline)


def _fit_title(title: str, path: Path, height: int, rtl: bool) -> tuple[Face, list[str]]:
    """The largest size at which the title fits, and its lines (at 40 px, cut with "…")."""
    engine = _engine(title)
    rough = Face(_font(path, TITLE_SIZES[0], engine), rtl).width(title) / TITLE_SIZES[0]
    for size in TITLE_SIZES:
        face = Face(_font(path, size, engine), rtl)
        leading = round(size * LINE_HEIGHT)
        most = max(1, min(TITLE_LINES, (height - _height(face)) // leading + 1))
        if size != TITLE_SIZES[-1] and rough * size > most * COLUMN * 0.97:
            continue  # would not fit even with every line full: not worth wrapping
        lines = _wrap(title, face, most + 1)
        if len(lines) <= most:
            return face, lines
    return face, [*lines[: most - 1], _prefix(lines[most - 1], face, ELLIPSIS) + ELLIPSIS]


def _wrap(text: str, face: Face, most: int) -> list[str]:
    """Up to ``most`` lines of as many words as fit, a word wider than a line broken."""
    lines: list[str] = []
    words = text.split(" ") if text else []
    while words and len(lines) < most:
        count = _longest(len(words), lambda k: face.width(" ".join(words[:k])))
        if count:
            lines.append(" ".join(words[:count]))
            del words[:count]
        else:
            lines.append(_prefix(words[0], face))
            words[:1] = filter(None, [words[0][len(lines[-1]) :]])  # the rest, if any
    return lines


def _cut(text: str, face: Face) -> str:
    """``text`` if it fits the column, else its longest start that fits followed by "…"."""
    return text if face.width(text) <= COLUMN else _prefix(text, face, ELLIPSIS) + ELLIPSIS


def _prefix(text: str, face: Face, suffix: str = "") -> str:
    """The longest start of ``text`` fitting the column with ``suffix``, marks kept whole."""
    end = max(1, _longest(len(text), lambda k: face.width(text[:k] + suffix)))
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


def _clean(text: str) -> str:
    """One line of drawable text: no control characters, lone surrogates or runs of spaces."""
    if not text.isprintable():  # controls and surrogates are not printable
        text = "".join(" " if unicodedata.category(c) in ("Cc", "Cs") else c for c in text)
    return " ".join(text.split())


def _engine(text: str) -> ImageFont.Layout:
    """libraqm if Pillow has it, except for CJK text with nothing to shape or reorder."""
    wide = max(text, default=" ") >= WIDE and any(
        unicodedata.east_asian_width(c) in "WF" for c in text
    )
    if _RAQM and not wide:
        return ImageFont.Layout.RAQM
    shaped = any(unicodedata.bidirectional(c) in _SHAPED or unicodedata.combining(c) for c in text)
    return ImageFont.Layout.RAQM if _RAQM and shaped else ImageFont.Layout.BASIC


@functools.lru_cache(maxsize=128)
def _font(path: Path, size: int, engine: ImageFont.Layout) -> ImageFont.FreeTypeFont:
    """The font at ``path`` in ``size`` pixels, loaded once."""
    return ImageFont.truetype(str(path), size, layout_engine=engine)
