"""``/sitemap.xml`` and ``/robots.txt``: one sitemap for the whole site, every language's
pages in it, each naming its translations (``xhtml:link``) on a multilingual site."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from briefgen.config.values import Config
from briefgen.model.output import Output
from briefgen.plugins.types import Listed

SITEMAP_FILE = "sitemap.xml"
_URLSET = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
_XHTML = ' xmlns:xhtml="http://www.w3.org/1999/xhtml"'


def sitemap(pages: Sequence[Listed], default: str | None) -> Output:
    """One ``<url>`` per page, in address order, with ``lastmod`` where a page has a date.
    On a multilingual site (``default``: its default language) each names every edition of
    the page, itself included, and the default language's as ``x-default``."""
    head = _URLSET + (_XHTML if default else "") + ">"
    lines = ['<?xml version="1.0" encoding="utf-8"?>', head]
    for page in sorted(pages, key=lambda p: p.permalink):
        lines.append(f"  <url><loc>{escape(page.permalink)}</loc>")
        if page.lastmod is not None:
            lines.append(f"    <lastmod>{page.lastmod.isoformat()}</lastmod>")
        if default and len(page.alternates) > 1:
            lines.extend(_alternates(page.alternates, default))
        lines.append("  </url>")
    lines.append("</urlset>")
    return Output(SITEMAP_FILE, ("\n".join(lines) + "\n").encode("utf-8"))


def _alternates(alternates: Sequence[tuple[str, str]], default: str) -> list[str]:
    link = '    <xhtml:link rel="alternate" hreflang={} href={}/>'
    lines = [link.format(quoteattr(code), quoteattr(url)) for code, url in alternates]
    url = dict(alternates).get(default)
    if url is not None:
        lines.append(link.format('"x-default"', quoteattr(url)))
    return lines


def robots(config: Config) -> Output:
    """Allows everything and names the sitemap. Crawlers read robots.txt only at a host's
    root, so under a subpath this file is informative until the host's own one points here."""
    text = f"User-agent: *\nAllow: /\n\nSitemap: {config.permalink(SITEMAP_FILE)}\n"
    return Output("robots.txt", text.encode("utf-8"))
