"""What a page shares on social media (``og:image``): a brief's lead picture, else its social
card, a 1200×630 picture drawn for it (``social_cards: true``, the default); pages that are
not briefs share the site's card. The cards are drawn by :mod:`briefgen.media.cards` in the
theme's colours and fonts (``card.yaml`` and ``fonts/`` of the theme, else the default
theme's), at addresses that depend only on the page: ``media/cards/briefs/<slug>.png`` and
``media/cards/site.png`` (under a language's prefix for its edition)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen.config.values import Config
from briefgen.model.pictures import Share
from briefgen.model.site import Brief, Site
from briefgen.util import yamlio

CARDS_DIR = "media/cards/"
CARD_SIZE = (1200, 630)
_COLOURS = {"background": "#f5f3ef", "foreground": "#1b1b1b", "accent": "#8a1c1c",
            "muted": "#595959"}  # fmt: skip
_FONTS = {"bold_font": "fonts/DejaVuSans-Bold.ttf", "regular_font": "fonts/DejaVuSans.ttf"}


@dataclass(frozen=True)
class Card:
    """A social card to draw: where it goes and what it says."""

    path: str
    text: Any  # briefgen.media.cards.CardText
    style: Any  # briefgen.media.cards.CardStyle
    key: str


def card_path(config: Config, brief: Brief | None = None) -> str:
    folder = CARDS_DIR + config.prefix
    return f"{folder}briefs/{brief.slug}.png" if brief is not None else f"{folder}site.png"


def share_of(brief: Brief | None, config: Config) -> Share | None:
    """The picture a page shares: the brief's lead picture at its widest, else its card,
    else the site's card; None with ``social_cards: false`` and no picture."""
    if brief is not None and brief.picture is not None and brief.image is not None:
        url, width, height = brief.picture.largest
        return Share(_absolute(url, config), width, height, brief.image.alt,
                     brief.picture.mime)  # fmt: skip
    if not config.social_cards:
        return None
    alt = brief.title if brief is not None else config.title
    return Share(config.permalink(card_path(config, brief)), *CARD_SIZE, alt)


def _absolute(url: str, config: Config) -> str:
    """An address with the base path (``/briefings/media/…``) made absolute."""
    base = config.base_path
    return config.permalink(url[len(base) :]) if url.startswith(base) else url


def cards(site: Site, config: Config, style: Any, strings: Any) -> list[Card]:
    """Every card of one edition: the site's, and one per brief of its own without a
    picture (a language's fallback lists borrow the default edition's)."""
    if not config.social_cards:
        return []
    from briefgen.media.cards import CardText, card_key

    rtl = any(lang.dir == "rtl" for lang in config.languages if lang.code == config.language)
    texts = [(card_path(config), CardText(config.title, config.description or "", "", "", rtl))]
    for brief in site.briefs:
        if brief.picture is not None or (config.languages and brief.language != config.language):
            continue
        topic = site.topics_by_slug.get(brief.topics[0]) if brief.topics else None
        text = CardText(config.title, brief.title, topic.title if topic else "",
                        strings.date(brief.date), rtl)  # fmt: skip
        texts.append((card_path(config, brief), text))
    return [Card(path, text, style, card_key(text, style)) for path, text in texts]


def card_style(folder: Path, default: Path) -> Any:
    """The card colours and fonts of the theme in ``folder`` (its ``card.yaml``: background,
    foreground, accent, muted as ``#rrggbb``; bold_font and regular_font as paths in the
    theme), the default theme's (in ``default``) for whatever it does not set. A value
    that is not usable is passed over: the card is drawn with the default's."""
    from briefgen.media.cards import CardStyle, rgb

    values: dict[str, Any] = dict(_COLOURS)
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
