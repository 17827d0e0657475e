"""The social cards feature: a picture drawn for every brief without one of its own, and one
for the site, shared as the page's ``og:image`` (``social_cards: false`` in ``site.yaml``
turns it off for a site). The pictures stage draws the cards on every core and keeps them
in the cache; a build without this feature shares no picture for such pages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from briefgen.config.values import Config
from briefgen.features.cards.cards import card_share, card_style, cards
from briefgen.model.site import Brief, Site
from briefgen.pictures import Share, share_of
from briefgen.plugins import hookimpl
from briefgen.plugins.types import Drawn
from briefgen.render.theme import bundled_theme, find_theme

if TYPE_CHECKING:
    from briefgen.languages import Strings

__all__ = ["Cards"]


class Cards:
    @hookimpl
    def briefgen_drawn(self, site: Site, config: Config, strings: Strings) -> list[Drawn]:
        if not config.social_cards:
            return []
        style = card_style(find_theme(config).folder, bundled_theme())
        return cards(site, config, style, strings)

    @hookimpl
    def briefgen_template_globals(self, config: Config) -> dict[str, Any]:  # Any: any kind
        """``share_of(brief)``: the lead picture, else the card (the site's off a brief)."""
        if not config.social_cards:
            return {}

        def share(brief: Brief | None = None) -> Share:
            return share_of(brief, config.base_path, config.permalink) or card_share(brief, config)

        return {"share_of": share}
