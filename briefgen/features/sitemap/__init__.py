"""The sitemap feature: ``sitemap.xml`` of every page of the build, every language's, and a
``robots.txt`` that names it. Always on; a build without it (``build(without=("sitemap",))``)
writes neither file."""

from __future__ import annotations

from collections.abc import Sequence

from briefgen.config.values import Config
from briefgen.features.sitemap.files import SITEMAP_FILE, robots, sitemap
from briefgen.model.output import Output
from briefgen.plugins import Listed, hookimpl

__all__ = ["SITEMAP_FILE", "Sitemap"]


class Sitemap:
    """Written once, by the default language's edition: other editions add no file."""

    @hookimpl
    def briefgen_outputs(self, config: Config, pages: Sequence[Listed]) -> list[Output] | None:
        if config.prefix:
            return None
        default = config.languages[0].code if config.languages else None
        return [sitemap(pages, default), robots(config)]
