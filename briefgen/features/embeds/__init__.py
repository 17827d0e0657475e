"""The embeds feature: briefgen's own shortcodes, ``video``, ``audio``, ``document``,
``post``, ``embed``, ``figure`` and ``quote`` (docs/shortcodes.md).

Nothing is asked of another host before the reader asks: a player or frame of another host
is a card that links to the original (it works without JavaScript and is reached with the
keyboard), and the theme's ``embeds.js`` puts the player in its place on a click. The card
shows a picture of the site's own, never one of the other host's. ``embeds:`` in
``site.yaml`` lists the hosts ``embed`` may frame (and the PeerTube hosts), keeps YouTube
and Vimeo from tracking (``privacy``, on by default), or leaves every card a plain link
(``links_only``).

The arguments are declared in :mod:`~briefgen.features.embeds.declarations`, worked out for
the templates in :mod:`~briefgen.features.embeds.media` (players and documents),
:mod:`~briefgen.features.embeds.still` (posts, quotes, figures) and
:mod:`~briefgen.features.embeds.providers` (what another host's address leads to); the
markup is the theme's ``templates/shortcodes/<name>.html``, which draws nothing when this
feature is left out."""

from __future__ import annotations

from briefgen.config.values import Config
from briefgen.features.embeds.declarations import declarations
from briefgen.plugins import Shortcode, hookimpl

__all__ = ["Embeds"]


class Embeds:
    @hookimpl
    def briefgen_shortcodes(self, config: Config) -> tuple[Shortcode, ...]:
        return declarations(config.markdown.image_sizes)
