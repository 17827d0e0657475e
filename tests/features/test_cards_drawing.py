"""How a social card is drawn fast: the fixed parts (blank rows, the site's name) once for
every card rather than once a card, a valid PNG whose pixels are the theme's colours, the
same pixels as Pillow drawing each line whole, and text measured glyph by glyph as Pillow
measures it."""

from __future__ import annotations

import dataclasses
import io
import random
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from briefgen.features.cards import draw, png
from briefgen.features.cards.draw import CardStyle, CardText, draw_card
from briefgen.features.cards.glyphs import Face
from briefgen.features.cards.layout import BAR, HEIGHT, MARGIN_X, WIDTH, layout

FONTS = Path(__file__).resolve().parents[2] / "themes" / "default" / "fonts"
STYLE = CardStyle(
    background="#f5f3ef",
    foreground="#1b1b1b",
    accent="#8a1c1c",
    muted="#595959",
    bold_font=FONTS / "DejaVuSans-Bold.ttf",
    regular_font=FONTS / "DejaVuSans.ttf",
)
TEXT = CardText(
    site="The Morning Brief",
    title="Officials affirm the Treasury’s offer: “AV-TOWER” flights fly at 7.30",
    kicker="Economy",
    date="4 February 2025",
)
BACKGROUND, FOREGROUND, ACCENT, MUTED = (
    (0xF5, 0xF3, 0xEF),
    (0x1B,) * 3,
    (0x8A, 0x1C, 0x1C),
    (0x59,) * 3,
)


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """The chunks of a PNG, each checked against its CRC."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    out, at = [], 8
    while at < len(data):
        (size,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + size]
        (crc,) = struct.unpack(">I", data[at + 8 + size : at + 12 + size])
        assert crc == zlib.crc32(kind + body), kind
        out.append((kind, body))
        at += 12 + size
    return out


def test_a_card_is_a_valid_palette_png_of_1200_by_630() -> None:
    card = draw_card(TEXT, STYLE)
    chunks = _chunks(card)
    assert [kind for kind, _ in chunks] == [b"IHDR", b"PLTE", b"IDAT", b"IEND"]
    assert struct.unpack(">IIBBBBB", chunks[0][1]) == (1200, 630, 8, 3, 0, 0, 0)
    rows = zlib.decompress(chunks[2][1])  # checks the combined Adler-32 too
    assert len(rows) == 630 * 1201
    assert all(rows[y * 1201] == 0 for y in range(630))  # every scanline unfiltered
    image = Image.open(io.BytesIO(card))
    image.verify()


def test_the_pixels_are_the_themes_colours_where_each_part_is() -> None:
    image = Image.open(io.BytesIO(draw_card(TEXT, STYLE))).convert("RGB")
    assert image.getpixel((5, 300)) == ACCENT  # the bar
    assert image.getpixel((600, 10)) == image.getpixel((1190, 620)) == BACKGROUND
    site, kicker, title, date = (
        (block.baseline - block.face.font.getmetrics()[0], block.span()[1])
        for block in layout(TEXT, STYLE.bold_font, STYLE.regular_font)
    )
    for (top, bottom), colour in ((site, FOREGROUND), (kicker, ACCENT), (title, FOREGROUND)):
        band = image.crop((BAR + 1, top, WIDTH, bottom))
        counts = {rgb: n for n, rgb in band.getcolors(1 << 16)}
        assert counts.get(colour, 0) > 200, colour  # the text's full ink
    band = image.crop((BAR + 1, date[0], WIDTH, date[1]))
    assert dict((rgb, n) for n, rgb in band.getcolors(1 << 16)).get(MUTED, 0) > 50


def test_the_fixed_parts_are_drawn_once_not_once_a_card(monkeypatch) -> None:
    """Ten cards of one site: its name, the kicker and the date are drawn once, and blank
    rows are compressed once for each length; only the titles are drawn for every card."""
    draw._line.cache_clear()
    png.repeated.cache_clear()
    inked: list[str] = []
    ink = Face.ink
    monkeypatch.setattr(Face, "ink", lambda face, text: inked.append(text) or ink(face, text))
    blank: list[int] = []
    compress = png.compress
    monkeypatch.setattr(png, "compress", lambda rows: blank.append(len(rows)) or compress(rows))
    for n in range(10):
        draw_card(dataclasses.replace(TEXT, title=f"Rates hold for week {n}"), STYLE)
    assert inked.count(TEXT.site) == inked.count(TEXT.kicker) == inked.count(TEXT.date) == 1
    assert len([text for text in inked if text.startswith("Rates hold")]) == 10
    assert len(blank) == len(set(blank)) <= 5  # the same run of blank rows: compressed once


def _pillow_drawing(text: CardText, style: CardStyle) -> Image.Image:
    """The card as Pillow draws it, line by line, on one image in greys (each colour's range)
    mapped to the palette: how cards were drawn before their rows were compressed apart."""
    ranges = [(128, 255), (64, 127), (0, 63)]
    canvas = Image.new("L", (WIDTH, HEIGHT), 0)
    pen = ImageDraw.Draw(canvas)
    blocks = layout(text, style.bold_font, style.regular_font)
    edges = [(a.span()[1] + b.span()[0]) // 2 for a, b in zip(blocks, blocks[1:], strict=False)]
    for block, top, bottom in zip(blocks, [0, *edges], [*edges, HEIGHT], strict=True):
        low, high = ranges[block.slot]
        canvas.paste(low, (0, top, WIDTH, bottom))
        for i, line in enumerate(block.lines):
            xy = (BAR + MARGIN_X, block.baseline + i * block.leading)
            pen.text(xy, line, fill=high, font=block.face.font, anchor="ls")
    canvas.paste(127, (0, 0, BAR, HEIGHT))

    def step(grey: int) -> int:
        slot, (low, high) = next((s, r) for s, r in enumerate(ranges) if r[0] <= grey <= r[1])
        n = ((grey - low) * 32 + (high - low)) // ((high - low) * 2)
        return slot * 16 + n if n else 0

    return canvas.point([step(g) for g in range(256)])


@pytest.mark.parametrize(
    "text",
    [
        TEXT,
        CardText(
            "Brief", "Der Ausschuss prüft Änderungen — „Öffentlichkeit“ fürchtet", "", "Heute"
        ),
        CardText("Новости", "Правительство утвердило бюджет на 2026 год", "Экономика", ""),
        CardText("Brief", "W" * 300, "K" * 80, "D" * 80),
    ],
    ids=["latin", "german", "cyrillic", "cut"],
)
def test_the_pixels_are_pillows_own_drawing_of_each_line(text: CardText) -> None:
    """Glyph by glyph, a line is what Pillow draws of it whole: at most a few pixels where
    two glyphs' edges overlap differ, by one step of anti-aliasing."""
    ours = Image.open(io.BytesIO(draw_card(text, STYLE))).tobytes()
    theirs = _pillow_drawing(text, STYLE).tobytes()
    differ = [abs(a - b) for a, b in zip(ours, theirs, strict=True) if a != b]
    assert len(differ) <= 12 and max(differ, default=0) <= 1


WORDS = ["office", "affluent", "fjord", "AVATAR", "Te", "y.", "Κ‐T", "«Łódź»", "fifth", "“7.30”"]


@pytest.mark.parametrize("size", [72, 40, 28])
def test_simple_text_is_measured_and_drawn_as_pillow_does(size: int) -> None:
    font = ImageFont.truetype(str(STYLE.bold_font), size, layout_engine=ImageFont.Layout.RAQM)
    face = Face(font)
    rng = random.Random(size)
    for _ in range(40):
        line = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 6)))
        assert face.glyphs(line) is not None
        assert face.width(line) == font.getlength(line), line
        theirs = Image.new("L", (2000, 3 * size))
        ImageDraw.Draw(theirs).text((size, 2 * size), line, 255, font=font, anchor="ls")
        ours = Image.new("L", theirs.size)
        for x, y, mask in face.ink(line)[0]:
            ImageDraw.Draw(ours).draw.draw_bitmap((size + x, 2 * size + y), mask, 255)
        assert ours.tobytes() == theirs.tobytes(), line


def test_parts_compressed_apart_make_one_stream() -> None:
    rng = random.Random(7)
    pieces = [
        bytes(rng.choice(b"\0\0\0\x05\x10") for _ in range(rng.randint(1, 5000))) for _ in range(6)
    ]
    parts = [png.compress(piece) for piece in pieces]
    data = png.png(len(b"".join(pieces)) - 1, 1, bytes(3 * 17), parts)
    stream = _chunks(data)[2][1]
    assert zlib.decompress(stream) == b"".join(pieces)


def test_the_cache_key_follows_the_drawings_version(monkeypatch) -> None:
    """A card cached by an earlier drawing (other bytes, same pixels) is not taken."""
    before = draw.card_key(TEXT, STYLE)
    monkeypatch.setattr(draw, "CARD_VERSION", draw.CARD_VERSION + 1)
    assert draw.card_key(TEXT, STYLE) != before
