"""``/sitemap.xml`` and ``/robots.txt``."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from briefgen.config.values import Config
from briefgen.model.dates import Timestamp
from briefgen.model.output import Output

SITEMAP_FILE = "sitemap.xml"


def sitemap(config: Config, pages: Sequence[tuple[str, Timestamp | None]]) -> Output:
    """One ``<url>`` per page path, in path order, with ``lastmod`` where a page has a date."""
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for path, lastmod in sorted(pages, key=lambda p: p[0]):
        lines.append(f"  <url><loc>{escape(config.permalink(path))}</loc>")
        if lastmod is not None:
            lines.append(f"    <lastmod>{lastmod.isoformat()}</lastmod>")
        lines.append("  </url>")
    lines.append("</urlset>")
    return Output(SITEMAP_FILE, ("\n".join(lines) + "\n").encode("utf-8"))


def robots(config: Config) -> Output:
    """Allows everything and names the sitemap. Crawlers read robots.txt only at a host's
    root, so under a subpath this file is informative until the host's own one points here."""
    text = f"User-agent: *\nAllow: /\n\nSitemap: {config.permalink(SITEMAP_FILE)}\n"
    return Output("robots.txt", text.encode("utf-8"))
