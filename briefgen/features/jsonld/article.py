"""schema.org ``NewsArticle`` metadata for a brief page, as JSON that is safe inside a
``<script type="application/ld+json">`` element whatever the content says."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from briefgen.config.values import Config
from briefgen.model.site import Brief, Topic
from briefgen.pictures import Share
from briefgen.util.jsontext import dumps


def news_article(
    brief: Brief, topics: Sequence[Topic], config: Config, share: Share | None = None
) -> str:
    """The JSON-LD of ``brief``: headline, dates, author and publisher from ``site.yaml``,
    what it is about (topics, people, organizations, places), its sources as citations, and
    the picture it shares (its lead picture with its credit, or its card)."""
    publisher: dict[str, Any] = {  # Any: JSON values
        "@type": "Organization",
        "name": config.title,
        "url": config.absolute_base,
    }
    author = {"@type": "Organization", "name": config.author} if config.author else publisher
    about: list[dict[str, Any]] = [  # Any: JSON values
        {"@type": "Thing", "name": t.title, "url": t.permalink} for t in topics
    ]
    about += [{"@type": "Person", "name": n} for n in brief.people]
    about += [{"@type": "Organization", "name": n} for n in brief.organizations]
    about += [{"@type": "Place", "name": n} for n in brief.places]
    data: dict[str, Any] = {  # Any: JSON values
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": brief.title,
        "description": brief.why_it_matters or brief.summary,
        "url": brief.permalink,
        "mainEntityOfPage": brief.permalink,
        "datePublished": brief.date.datetime_iso(),
        "dateModified": brief.last_modified.datetime_iso(),
        "inLanguage": config.language,
        "author": author,
        "publisher": publisher,
        "about": about,
        "keywords": list(brief.tags),
    }
    if share is not None:
        data["image"] = _image(brief, share)
    citations = []
    for source in brief.sources:
        item: dict[str, Any] = {"@type": "CreativeWork", "name": source.title}  # Any: JSON values
        if source.url:
            item["url"] = source.url
        if source.publisher:
            item["publisher"] = {"@type": "Organization", "name": source.publisher}
        if source.date:
            item["datePublished"] = source.date.isoformat()
        citations.append(item)
    if citations:
        data["citation"] = citations
    return dumps(data)  # inside a script element: no <, > or & at all


def _image(brief: Brief, share: Share) -> dict[str, Any]:  # Any: JSON values
    image: dict[str, Any] = {  # Any: JSON values
        "@type": "ImageObject",
        "url": share.url,
        "width": share.width,
        "height": share.height,
        "description": share.alt,
    }
    lead = brief.image if brief.picture is not None else None
    if lead is not None:
        image["creditText"] = lead.credit
        if lead.caption:
            image["caption"] = lead.caption
        if lead.license:
            image["license"] = lead.license
    return image
