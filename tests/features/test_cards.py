"""Social cards: a 1200×630 PNG Pillow reads back, the same bytes for the same inputs, a key
that follows every input (the font files' bytes included), text that never leaves the margins
whatever the title, colours checked, and right-to-left text aligned to the right."""

from __future__ import annotations

import dataclasses
import io
import shutil
from pathlib import Path

import pytest
from PIL import Image

from briefgen.features.cards.draw import CardStyle, CardText, card_key, draw_card

FONTS = Path(__file__).resolve().parents[2] / "themes" / "default" / "fonts"
STYLE = CardStyle(
    background="#ffffff",
    foreground="#1b1b1b",
    accent="#8a1c1c",
    muted="#595959",
    bold_font=FONTS / "DejaVuSans-Bold.ttf",
    regular_font=FONTS / "DejaVuSans.ttf",
)
WHITE, ACCENT = (255, 255, 255), (0x8A, 0x1C, 0x1C)
TEXT = CardText(
    site="The Morning Brief",
    title="Central bank holds rates as inflation cools",
    kicker="Economy",
    date="4 February 2025",
)
BAR = 20  # the accent bar, on the starting edge
EDGE = 40  # the outer margin checked for ink


def _image(card: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(card))
    image.load()
    return image.convert("RGB")


def _ink_box(image: Image.Image, rtl: bool = False) -> tuple[int, int, int, int] | None:
    """The box of every pixel that is not background, the accent bar left out."""
    left, right = (0, image.width - BAR) if rtl else (BAR, image.width)
    inner = image.crop((left, 0, right, image.height))
    box = Image.eval(inner.convert("L"), lambda v: 255 if v < 250 else 0).getbbox()
    return None if box is None else (box[0] + left, box[1], box[2] + left, box[3])


def test_a_card_is_a_1200_by_630_png_pillow_reads() -> None:
    card = draw_card(TEXT, STYLE)
    assert card.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(card))
    assert image.format == "PNG"
    assert image.size == (1200, 630)
    assert image.mode in ("P", "RGB", "L")
    rgb = _image(card)
    assert rgb.getpixel((5, 300)) == ACCENT  # the bar
    assert rgb.getpixel((600, 10)) == WHITE  # the background
    assert set(Image.open(io.BytesIO(card)).info) <= {"transparency"}  # no text chunks, no time


def test_the_same_inputs_give_the_same_bytes_and_key() -> None:
    assert draw_card(TEXT, STYLE) == draw_card(TEXT, STYLE)
    assert card_key(TEXT, STYLE) == card_key(TEXT, STYLE)


def test_short_colours_are_the_long_ones() -> None:
    short = dataclasses.replace(STYLE, background="#fff")
    assert draw_card(TEXT, short) == draw_card(TEXT, STYLE)


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Central bank cuts rates as inflation cools"},
        {"kicker": "Markets"},
        {"date": "5 February 2025"},
        {"site": "The Evening Brief"},
        {"rtl": True},
    ],
)
def test_a_different_text_gives_different_bytes_and_key(change: dict[str, object]) -> None:
    other = dataclasses.replace(TEXT, **change)
    assert draw_card(other, STYLE) != draw_card(TEXT, STYLE)
    assert card_key(other, STYLE) != card_key(TEXT, STYLE)


def test_a_different_colour_gives_a_different_key() -> None:
    other = dataclasses.replace(STYLE, accent="#1c4a8a")
    assert draw_card(TEXT, other) != draw_card(TEXT, STYLE)
    assert card_key(TEXT, other) != card_key(TEXT, STYLE)


def test_the_key_follows_the_font_files_bytes_not_their_place(tmp_path: Path) -> None:
    for name in ("DejaVuSans-Bold.ttf", "DejaVuSans.ttf"):
        shutil.copyfile(FONTS / name, tmp_path / name)
    copied = dataclasses.replace(
        STYLE,
        bold_font=tmp_path / "DejaVuSans-Bold.ttf",
        regular_font=tmp_path / "DejaVuSans.ttf",
    )
    assert card_key(TEXT, copied) == card_key(TEXT, STYLE)  # same bytes elsewhere: same key
    for font in (copied.bold_font, copied.regular_font):
        before = card_key(TEXT, copied)
        font.write_bytes(font.read_bytes() + b"\0")
        assert card_key(TEXT, copied) != before


LONG_WORD = "https://example.com/" + "a" * 300
HARD_TEXTS = {
    "300 characters": CardText("Brief", ("Parliament passes sweeping reform " * 10)[:300], "", ""),
    "one long word": CardText("Brief", LONG_WORD, "Economy", "4 February 2025"),
    "long words": CardText("Brief", " ".join(["Donaudampfschifffahrtsgesellschaft"] * 12), "", ""),
    "everything long": CardText("W" * 200, "M" * 400, "K" * 200, "D" * 200),
    "empty": CardText("", "", "", ""),
    "spaces and controls": CardText(" \t", "\n\x00 Title\r\n\ud800 ", "\x1b", " "),
    "missing glyphs": CardText(
        "新闻简报", "日本銀行は金利を据え置き、インフレ率は低下" * 8, "経済", "2025年"
    ),
    "arabic": CardText("موجز", "البنك المركزي يبقي أسعار الفائدة ثابتة " * 8, "اقتصاد", "٤ فبراير"),
    "arabic rtl": CardText("موجز", "البنك المركزي يبقي أسعار الفائدة " * 8, "اقتصاد", "", True),
    "latin rtl": CardText("Brief", LONG_WORD + " and more words " * 6, "Economy", "Today", True),
    "combining marks": CardText("Brief", "e\u0301" * 300 + " Zalgo" + "\u0336" * 50, "", ""),
}


@pytest.mark.parametrize("text", HARD_TEXTS.values(), ids=HARD_TEXTS.keys())
def test_text_never_reaches_the_outer_margin(text: CardText) -> None:
    image = _image(draw_card(text, STYLE))
    assert image.size == (1200, 630)
    bar = (image.width - BAR, image.width) if text.rtl else (0, BAR)
    for x in (*range(BAR, EDGE + BAR), *range(image.width - EDGE - BAR, image.width - BAR)):
        column = image.crop((x, 0, x + 1, image.height))
        assert column.getcolors() == [(image.height, WHITE)], f"ink in column {x}"
    for x in range(*bar):
        assert image.getpixel((x, 0)) == ACCENT
    for top in (0, image.height - EDGE):
        row = image.crop((BAR, top, image.width - BAR, top + EDGE))
        assert row.getcolors() == [(row.width * row.height, WHITE)], f"ink in rows from {top}"


def test_the_right_margin_is_background_for_a_very_long_title() -> None:
    """The brief's own check: the outer 40 px on the right hold nothing but background."""
    text = CardText("The Morning Brief", "W" * 300, "Economy", "4 February 2025")
    image = _image(draw_card(text, STYLE))
    strip = image.crop((image.width - EDGE, 0, image.width, image.height))
    assert strip.getcolors() == [(EDGE * image.height, WHITE)]
    assert _ink_box(image) is not None


@pytest.mark.parametrize("title", ["Rates hold", "البنك المركزي"])
def test_right_to_left_text_is_aligned_to_the_right(title: str) -> None:
    ltr = _ink_box(_image(draw_card(CardText("", title, "", ""), STYLE)))
    rtl = _ink_box(_image(draw_card(CardText("", title, "", "", rtl=True), STYLE)), rtl=True)
    assert ltr is not None and rtl is not None
    assert ltr[0] < 1200 - ltr[2]  # nearer the left edge
    assert 1200 - rtl[2] < rtl[0]  # nearer the right edge
    assert 1200 - rtl[2] < 120


@pytest.mark.parametrize("value", ["blue", "#12", "#12345", "#1234567", "#ggg", "ffffff", "", 0])
def test_a_colour_that_is_not_hex_is_refused(value: object) -> None:
    with pytest.raises(ValueError, match=r"accent .*#rgb or #rrggbb"):
        dataclasses.replace(STYLE, accent=value)


def test_titles_shrink_to_fit() -> None:
    """A short title is drawn larger than a long one: its ink is taller per line."""
    short = _ink_box(_image(draw_card(CardText("", "Rates", "", ""), STYLE)))
    long = _ink_box(_image(draw_card(CardText("", "Rates " * 40, "", ""), STYLE)))
    assert short is not None and long is not None
    assert short[3] - short[1] > 45  # one line at 72 px
    assert long[3] - long[1] > short[3] - short[1]  # several lines, each smaller
