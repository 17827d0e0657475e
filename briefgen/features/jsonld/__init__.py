"""The JSON-LD feature: schema.org ``NewsArticle`` metadata on every brief page, for search
engines and social sites. The theme writes it where ``news_article_json`` is defined, so a
build without this feature has brief pages without the script and nothing else changed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from briefgen.config.values import Config
from briefgen.features.jsonld.article import news_article
from briefgen.model.site import Brief, Topic
from briefgen.pictures import Share
from briefgen.plugins import hookimpl

__all__ = ["JsonLd", "news_article"]


class JsonLd:
    @hookimpl
    def briefgen_template_globals(self, config: Config) -> dict[str, Any]:  # Any: any kind
        """``news_article_json(brief, topics, share)``: the brief's NewsArticle as JSON."""

        def news_article_json(
            brief: Brief, topics: Sequence[Topic], share: Share | None = None
        ) -> Markup:
            return Markup(news_article(brief, topics, config, share))

        return {"news_article_json": news_article_json}
