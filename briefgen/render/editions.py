"""The languages of a multilingual site, tied together once every edition is planned: each
page's translations (``<link rel="alternate" hreflang>`` and the language switcher), the
sitemap with its ``xhtml:link`` alternates, and the feeds of a language's edition in its
folder.

Which pages translate one another: a brief's page and the pages of its translations (its
translation group, see :mod:`briefgen.read.languages`); a story and the story of the same
brief's translation; every other page and the page of the same path in the other edition
(``topics/cartels/`` and ``es/topics/cartels/``). Alternates are reciprocal by construction:
the set of a page's editions is the same seen from each of them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from briefgen.config.values import Config
from briefgen.model.output import Output
from briefgen.model.site import Site
from briefgen.model.urls import HOME_PATH, NOT_FOUND_FILE
from briefgen.render.feeds import feed_outputs
from briefgen.render.sitemap import SITEMAP_FILE

# what a page of a multilingual site has in its context besides its own
EDITION_KEYS = ("alternates", "x_default", "languages")


@dataclass(frozen=True)
class Alternate:
    """A page in one language: what ``hreflang`` links and the switcher name."""

    code: str  # BCP 47
    name: str  # as its readers write it
    dir: str
    url: str  # the address links use (the server path, or absolute for another host)
    permalink: str
    current: bool  # the page being rendered
    translated: bool  # False: the page has no edition in this language; url is its home


def edition_outputs(site: Site, config: Config) -> list[Output]:
    """The files of a language's edition besides its pages: its feeds, in its folder."""
    return [dataclasses.replace(out, path=config.prefix + out.path)
            for out in feed_outputs(site, config)]  # fmt: skip


def link(plans: Sequence[Any], sites: Sequence[Site], contents: Sequence[Any]) -> None:
    """Give every page of every edition its alternates (``alternates``, ``x_default`` and
    ``languages`` in its context), and the default edition the sitemap of all of them."""
    configs = [c.config for c in contents]
    group = contents[0].translations.group
    table: dict[Any, dict[str, tuple[str, str]]] = {}
    keys = []
    for config, plan in zip(configs, plans, strict=True):
        mine = [_key(job, group) for job in plan.jobs]
        keys.append(mine)
        for key, job in zip(mine, plan.jobs, strict=True):
            table.setdefault(key, {})[config.language] = (_href(config, job.path),
                                                          config.permalink(job.path))  # fmt: skip
    homes = {c.language: (_href(c, HOME_PATH), c.permalink(HOME_PATH)) for c in configs}
    languages = configs[0].languages
    for config, plan, mine in zip(configs, plans, keys, strict=True):
        plan.jobs[:] = [
            dataclasses.replace(job, context={**job.context,
                                              **_context(config, table[key], homes, languages)})
            for job, key in zip(plan.jobs, mine, strict=True)
        ]  # fmt: skip
    entries = []
    for config, plan, mine in zip(configs, plans, keys, strict=True):
        for job, key in zip(plan.jobs, mine, strict=True):
            if job.path != NOT_FOUND_FILE:
                entries.append((config.permalink(job.path), job.lastmod, table[key]))
    plans[0].extras[:] = [out if out.path != SITEMAP_FILE else sitemap(entries, languages)
                          for out in plans[0].extras]  # fmt: skip


def _key(job: Any, group: dict[str, str]) -> Any:
    if job.kind == "brief":
        path = job.context["brief"].source_path
        return ("brief", group.get(path, path))
    if job.kind == "story":
        first = job.context["story"].briefs[0].source_path
        return ("story", group.get(first, first))
    return ("page", job.path)


def _href(config: Config, path: str) -> str:
    """The address a link in another edition uses: absolute when the edition has a host
    of its own, else the server path."""
    return config.permalink(path) if config.shared_base else config.url(path)


def _context(
    config: Config, here: dict[str, tuple[str, str]], homes: dict[str, tuple[str, str]],
    languages: Sequence[Any],
) -> dict[str, Any]:  # fmt: skip
    alternates = []
    switch = []
    for lang in languages:
        found = here.get(lang.code)
        url, permalink = found or homes[lang.code]
        entry = Alternate(lang.code, lang.name, lang.dir, url, permalink,
                          lang.code == config.language, found is not None)  # fmt: skip
        switch.append(entry)
        if found is not None:
            alternates.append(entry)
    default = here.get(languages[0].code)
    return {
        "alternates": tuple(alternates) if len(alternates) > 1 else (),
        "x_default": default[1] if default is not None and len(alternates) > 1 else None,
        "languages": tuple(switch),
    }


def sitemap(entries: list[tuple[str, Any, dict[str, tuple[str, str]]]],
            languages: Sequence[Any]) -> Output:  # fmt: skip
    """One ``<url>`` per page of every language, in address order, each naming every
    edition of the page (itself included) and the default one as ``x-default``."""
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    order = [lang.code for lang in languages]
    for loc, lastmod, editions in sorted(entries, key=lambda e: e[0]):
        lines.append(f"  <url><loc>{escape(loc)}</loc>")
        if lastmod is not None:
            lines.append(f"    <lastmod>{lastmod.isoformat()}</lastmod>")
        if len(editions) > 1:
            for code in order:
                if code in editions:
                    lines.append(f'    <xhtml:link rel="alternate" hreflang={quoteattr(code)} '
                                 f"href={quoteattr(editions[code][1])}/>")  # fmt: skip
            if order[0] in editions:
                lines.append('    <xhtml:link rel="alternate" hreflang="x-default" '
                             f"href={quoteattr(editions[order[0]][1])}/>")  # fmt: skip
        lines.append("  </url>")
    lines.append("</urlset>")
    return Output(SITEMAP_FILE, ("\n".join(lines) + "\n").encode("utf-8"))
