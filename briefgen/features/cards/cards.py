"""The social cards of a build: a 1200×630 picture drawn for each brief without a picture of
its own and one for the site, in the theme's colours and fonts (``card.yaml`` and
``fonts/`` of the theme, else the default theme's), at addresses that depend only on the
page: ``media/cards/briefs/<slug>.png`` and ``media/cards/site.png`` (under a language's
prefix for its edition)."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefgen.config.values import Config
from briefgen.features.cards.draw import CardStyle, CardText, card_keys, draw_card, rgb
from briefgen.model.site import Brief, Site
from briefgen.pictures import Share
from briefgen.plugins.types import Drawn
from briefgen.util import yamlio

if TYPE_CHECKING:
    from briefgen.languages import Strings

CARDS_DIR = "media/cards/"
CARD_SIZE = (1200, 630)
_COLOURS = {
    "background": "#f5f3ef",
    "foreground": "#1b1b1b",
    "accent": "#8a1c1c",
    "muted": "#595959",
}
_FONTS = {"bold_font": "fonts/DejaVuSans-Bold.ttf", "regular_font": "fonts/DejaVuSans.ttf"}


def card_path(config: Config, brief: Brief | None = None) -> str:
    folder = CARDS_DIR + config.prefix
    return f"{folder}briefs/{brief.slug}.png" if brief is not None else f"{folder}site.png"


def card_share(brief: Brief | None, config: Config) -> Share:
    """The card a page shares: the brief's, or the site's on a page that is not a brief."""
    alt = brief.title if brief is not None else config.title
    return Share(config.permalink(card_path(config, brief)), *CARD_SIZE, alt)


def cards(site: Site, config: Config, style: CardStyle, strings: Strings) -> list[Drawn]:
    """Every card of one edition: the site's, and one per brief of its own without a
    picture (a language's fallback lists borrow the default edition's)."""
    rtl = config.direction == "rtl"
    texts = [(card_path(config), CardText(config.title, config.description or "", "", "", rtl))]
    for brief in site.briefs:
        if brief.picture is not None or (config.languages and brief.language != config.language):
            continue
        topic = site.topics_by_slug.get(brief.topics[0]) if brief.topics else None
        kicker = topic.title if topic else ""
        text = CardText(config.title, brief.title, kicker, strings.date(brief.date), rtl)
        texts.append((card_path(config, brief), text))
    keys = card_keys([text for _, text in texts], style)
    return [
        Drawn(path, key, partial(draw_card, text, style))
        for (path, text), key in zip(texts, keys, strict=True)
    ]


def card_style(folder: Path, default: Path) -> CardStyle:
    """The card colours and fonts of the theme in ``folder`` (its ``card.yaml``: background,
    foreground, accent, muted as ``#rrggbb``; bold_font and regular_font as paths in the
    theme), the default theme's (in ``default``) for whatever it does not set. A value
    that is not usable is passed over: the card is drawn with the default's."""

    values: dict[str, Any] = dict(_COLOURS)  # Any: colours as card.yaml writes them, font paths
    values.update({k: default / v for k, v in _FONTS.items()})
    for theme in (default, folder):
        try:
            data = yamlio.load((theme / "card.yaml").read_text(encoding="utf-8")).data
        except (OSError, UnicodeDecodeError, yamlio.YamlProblem):
            continue
        data = data if isinstance(data, dict) else {}
        for key in _COLOURS:
            try:
                rgb(data.get(key))
                values[key] = data[key]
            except (TypeError, ValueError, AttributeError):
                pass
        for key in _FONTS:
            if isinstance(data.get(key), str) and (theme / data[key]).is_file():
                values[key] = theme / data[key]
    return CardStyle(**values)
