"""The languages of a multilingual site, tied together once every edition is planned: each
page's translations (``<link rel="alternate" hreflang>`` and the language switcher), and
the list of every language's pages with their alternates that the sitemap feature writes.

Which pages translate one another: a brief's page and the pages of its translations (its
translation group, see :mod:`briefgen.languages.files`); a story and the story of the same
brief's translation; every other page and the page of the same path in the other edition
(``topics/cartels/`` and ``es/topics/cartels/``). Alternates are reciprocal by construction:
the set of a page's editions is the same seen from each of them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from briefgen.languages.editions import Edition
from briefgen.model.language import Language
from briefgen.model.output import PageJob
from briefgen.model.urls import HOME_PATH, NOT_FOUND_FILE
from briefgen.plugins.types import Listed

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


def link_translations(
    editions: Sequence[tuple[Edition, Sequence[PageJob]]], group: Mapping[str, str]
) -> tuple[list[list[PageJob]], list[Listed]]:
    """Every edition's pages (its config and jobs, the default language's first), each given
    its alternates (``alternates``, ``x_default`` and ``languages`` in its context); and
    every page of every language with its alternates, as a sitemap lists them. ``group``:
    each brief's translation group, by content path."""
    configs = [config for config, _ in editions]
    table: dict[tuple[str, str], dict[str, tuple[str, str]]] = {}
    keys = []
    for config, jobs in editions:
        mine = [_key(job, group) for job in jobs]
        keys.append(mine)
        for key, job in zip(mine, jobs, strict=True):
            table.setdefault(key, {})[config.language] = (
                _href(config, job.path),
                config.permalink(job.path),
            )
    homes = {c.language: (_href(c, HOME_PATH), c.permalink(HOME_PATH)) for c in configs}
    languages = configs[0].languages
    linked = [
        [
            dataclasses.replace(
                job, context={**job.context, **_context(config, table[key], homes, languages)}
            )
            for job, key in zip(jobs, mine, strict=True)
        ]
        for (config, jobs), mine in zip(editions, keys, strict=True)
    ]
    order = [lang.code for lang in languages]
    entries = []
    for config, jobs, mine in zip(configs, linked, keys, strict=True):
        for job, key in zip(jobs, mine, strict=True):
            if job.path != NOT_FOUND_FILE:
                editions = table[key]
                alternates = tuple((c, editions[c][1]) for c in order if c in editions)
                entries.append(
                    Listed(
                        job.prefix + job.path,
                        config.permalink(job.path),
                        job.lastmod,
                        config.language,
                        alternates,
                    )
                )
    return linked, entries


def _key(job: PageJob, group: Mapping[str, str]) -> tuple[str, str]:
    if job.kind == "brief":
        path = job.context["brief"].source_path
        return ("brief", group.get(path, path))
    if job.kind == "story":
        first = job.context["story"].briefs[0].source_path
        return ("story", group.get(first, first))
    return ("page", job.path)


def _href(config: Edition, path: str) -> str:
    """The address a link in another edition uses: absolute when the edition has a host
    of its own, else the server path."""
    return config.permalink(path) if config.shared_base else config.url(path)


def _context(
    config: Edition,
    here: dict[str, tuple[str, str]],
    homes: dict[str, tuple[str, str]],
    languages: Sequence[Language],
) -> dict[str, Any]:  # Any: what a template's context holds
    alternates = []
    switch = []
    for lang in languages:
        found = here.get(lang.code)
        url, permalink = found or homes[lang.code]
        entry = Alternate(
            lang.code,
            lang.name,
            lang.dir,
            url,
            permalink,
            lang.code == config.language,
            found is not None,
        )
        switch.append(entry)
        if found is not None:
            alternates.append(entry)
    default = here.get(languages[0].code)
    return {
        "alternates": tuple(alternates) if len(alternates) > 1 else (),
        "x_default": default[1] if default is not None and len(alternates) > 1 else None,
        "languages": tuple(switch),
    }
