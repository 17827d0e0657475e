"""briefgen's own optional features, each a plugin in a folder of its own that holds all of
its code, registered before a site's plugins in this order. Taking one out of ``BUILTIN``
leaves a site that builds without it."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from briefgen.features.cards import Cards
from briefgen.features.charts import Charts
from briefgen.features.embeds import Embeds
from briefgen.features.feeds import Feeds
from briefgen.features.jsonld import JsonLd
from briefgen.features.search import Search
from briefgen.features.sitemap import Sitemap

BUILTIN: Mapping[str, Callable[[], object]] = {
    "feeds": Feeds,
    "sitemap": Sitemap,
    "jsonld": JsonLd,
    "cards": Cards,
    "search": Search,
    "embeds": Embeds,
    "charts": Charts,
}
