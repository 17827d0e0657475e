"""The feeds feature: Atom and JSON Feed documents of the latest briefs, and an Atom feed per
topic, in each language's folder; the theme links them (``feeds`` in its templates) only when
this feature is on. ``feeds: {limit: N}`` in ``site.yaml`` sets how many entries a feed has."""

from __future__ import annotations

import dataclasses
from typing import Any

from briefgen.config.values import Config
from briefgen.features.feeds.formats import ATOM_FILE, JSON_FILE, feed_outputs
from briefgen.model.output import Output
from briefgen.model.site import Site
from briefgen.plugins import hookimpl

__all__ = ["ATOM_FILE", "JSON_FILE", "Feeds"]


class Feeds:
    @hookimpl
    def briefgen_outputs(self, site: Site, config: Config) -> list[Output]:
        return [
            dataclasses.replace(out, path=config.prefix + out.path)
            for out in feed_outputs(site, config)
        ]

    @hookimpl
    def briefgen_template_globals(self) -> dict[str, Any]:  # Any: any kind
        """``feeds.atom`` and ``feeds.json``: the site's feed files, for the theme's links."""
        return {"feeds": {"atom": ATOM_FILE, "json": JSON_FILE}}
