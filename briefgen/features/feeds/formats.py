"""Atom 1.0 and JSON Feed 1.1 documents for the site and for each topic."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

from briefgen.config.values import Config
from briefgen.model.dates import Timestamp
from briefgen.model.output import Output
from briefgen.model.site import Brief, Site
from briefgen.model.urls import topic_path
from briefgen.util.jsontext import dumps

ATOM_FILE = "feed.xml"
JSON_FILE = "feed.json"
_EPOCH = "1970-01-01T00:00:00Z"  # `updated` of a feed with no entries: fixed, so builds repeat


# Characters XML 1.0 cannot carry at all (briefs cannot contain them, but an entity such as
# &#12; in Markdown or a setting in site.yaml can still produce one).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _x(text: str) -> str:
    """Element text: escaped, unusable characters dropped, CR kept as a reference (a raw CR
    would be read back as LF)."""
    return escape(_XML_INVALID.sub("", text)).replace("\r", "&#13;")


def feed_outputs(site: Site, config: Config) -> list[Output]:
    """``/feed.xml``, ``/feed.json`` and ``/topics/<slug>/feed.xml``."""
    limit = config.feeds.limit
    briefs = own(site.briefs, config, limit)
    outputs = [
        Output(ATOM_FILE, atom(config, briefs, config.title, ATOM_FILE, "")),
        Output(JSON_FILE, json_feed(config, briefs)),
    ]
    for topic in site.topics:
        path = topic_path(topic.slug) + ATOM_FILE
        title = f"{topic.title} · {config.title}"
        entries = own(topic.briefs, config, limit)
        outputs.append(Output(path, atom(config, entries, title, path, topic.path)))
    return outputs


def own(briefs: Sequence[Brief], config: Config, limit: int) -> tuple[Brief, ...]:
    """The first ``limit`` briefs of this language's edition: a feed leaves out those a
    language with ``fallback`` lists from the default one (they are in the default
    language's feeds). Only those are read: a rebuild from the stored parts fetches each
    brief it reads (pipeline/patch.py)."""
    if not config.languages:
        return tuple(briefs[:limit])
    return tuple(itertools.islice((b for b in briefs if b.language == config.language), limit))


def entry_id(config: Config, brief: Brief) -> str:
    """A tag URI (RFC 4151) that survives moving the site to another subpath or scheme; a
    language's edition names its folder in it (``es/briefs/<slug>``)."""
    host = urlsplit(config.absolute_base).hostname or "localhost"
    return f"tag:{host},{brief.date.day.isoformat()}:{config.prefix}briefs/{brief.slug}"


def absolute_html(config: Config, brief: Brief) -> str:
    """The body with root-relative and fragment links made absolute, as feed readers need,
    after the lead picture (with its caption and credit) when the brief has one."""
    origin = _origin(config)
    html = _lead_html(brief) + brief.body_html
    # poster: a video of the site's own (the video shortcode)
    html = re.sub(r'(href|src|poster)="/(?!/)', lambda m: f'{m.group(1)}="{origin}/', html)
    html = re.sub(
        r'srcset="([^"]*)"',
        lambda m: (
            'srcset="'
            + ", ".join(
                origin + part.strip()
                if part.strip().startswith("/") and not part.strip().startswith("//")
                else part.strip()
                for part in m.group(1).split(",")
            )
            + '"'
        ),
        html,
    )
    return re.sub(r'href="#', f'href="{brief.permalink}#', html)


def _origin(config: Config) -> str:
    parts = urlsplit(config.absolute_base)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme else ""


def _lead_html(brief: Brief) -> str:
    if brief.picture is None or brief.image is None:
        return ""
    from html import escape

    from briefgen.pictures import picture_html

    image = brief.image
    words = " ".join(x for x in (image.caption, image.credit) if x)
    return (
        f"<figure>{picture_html(brief.picture, image.alt, '100vw')}"
        f"<figcaption>{escape(words)}</figcaption></figure>\n"
    )


def lead_image_url(config: Config, brief: Brief) -> str:
    """The absolute address of the brief's lead picture at its widest, or ''."""
    if brief.picture is None:
        return ""
    url = brief.picture.largest[0]
    return _origin(config) + url if url.startswith("/") and not url.startswith("//") else url


def _updated(briefs: Sequence[Brief]) -> str:
    latest = max((b.last_modified for b in briefs), default=None)
    return latest.datetime_iso() if isinstance(latest, Timestamp) else _EPOCH


def atom(
    config: Config, briefs: Sequence[Brief], title: str, self_path: str, page_path: str
) -> bytes:
    author = config.author or config.title
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(config.language)}>',
        f"  <title>{_x(title)}</title>",
    ]
    if config.description:
        lines.append(f"  <subtitle>{_x(config.description)}</subtitle>")
    lines += [
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(config.permalink(self_path))}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(config.permalink(page_path))}/>',
        f"  <id>{_x(config.permalink(self_path))}</id>",
        f"  <updated>{_updated(briefs)}</updated>",
        f"  <author><name>{_x(author)}</name></author>",
        "  <generator>briefgen</generator>",
    ]
    for brief in briefs:
        lines += [
            "  <entry>",
            f"    <title>{_x(brief.title)}</title>",
            f'    <link rel="alternate" type="text/html" href={quoteattr(brief.permalink)}/>',
            f"    <id>{_x(entry_id(config, brief))}</id>",
            f"    <published>{brief.date.datetime_iso()}</published>",
            f"    <updated>{brief.last_modified.datetime_iso()}</updated>",
            *(
                f"    <category term={quoteattr(t)} scheme={quoteattr(config.permalink(topic_path(t)))}/>"
                for t in brief.topics
            ),
            *(
                f'    <link rel="enclosure" type={quoteattr(brief.picture.mime)} href={quoteattr(lead_image_url(config, brief))}/>'
                for _ in ([1] if brief.picture is not None else [])
            ),
            f"    <summary>{_x(brief.why_it_matters or brief.summary)}</summary>",
            f'    <content type="html">{_x(absolute_html(config, brief))}</content>',
            "  </entry>",
        ]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def json_feed(config: Config, briefs: Sequence[Brief]) -> bytes:
    base = config.absolute_base
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": config.title,
        "home_page_url": base,
        "feed_url": config.permalink(JSON_FILE),
        "description": config.description,
        "language": config.language,
        "authors": [{"name": config.author or config.title}],
        "items": [
            {
                "id": entry_id(config, b),
                "url": b.permalink,
                "title": b.title,
                "summary": b.why_it_matters or b.summary,
                "content_html": absolute_html(config, b),
                "date_published": b.date.datetime_iso(),
                "date_modified": b.last_modified.datetime_iso(),
                "tags": list(b.topics) + [t for t in b.tags if t not in b.topics],
                **({"image": lead_image_url(config, b)} if b.picture is not None else {}),
            }
            for b in briefs
        ],
    }
    return (dumps(feed) + "\n").encode("utf-8")
