"""The charts feature: the ``chart`` shortcode, drawn at build time as inline SVG with no
script (docs/charts.md).

A chart's data is CSV, in the shortcode's body or in a file beside the brief
(:mod:`~briefgen.features.charts.data`); the shortcode checks it and the honest-chart rules
(:mod:`~briefgen.features.charts.shortcode`); the drawing is
:mod:`~briefgen.features.charts.svg`, in the edition's numbers and dates
(:mod:`~briefgen.features.charts.formats`). The theme's ``templates/shortcodes/chart.html``
shows the drawing with its title, its source, its data as a table and a link to the data
as CSV; it draws nothing when this feature is left out. Key facts that name a series are
gathered into a chart on their topics' pages (:mod:`~briefgen.features.charts.series`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from briefgen.config.values import Config
from briefgen.features.charts import series
from briefgen.features.charts.shortcode import declaration
from briefgen.model.site import Site
from briefgen.plugins import Problem, Shortcode, hookimpl

__all__ = ["Charts"]


class Charts:
    @hookimpl
    def briefgen_shortcodes(self, config: Config) -> tuple[Shortcode, ...]:
        return (declaration(),)

    @hookimpl
    def briefgen_site(self, site: Site, config: Config) -> Mapping[str, Any]:  # Any: the template's
        """``site.extras.charts.series``: topic slug → the charts of its series."""
        return {"series": series.charts(site, config.language)}

    @hookimpl
    def briefgen_check(self, site: Site, config: Config) -> Iterable[Problem]:
        return tuple(series.problems(site))
