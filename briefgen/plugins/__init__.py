"""What a plugin imports: ``from briefgen.plugins import hookimpl, Setting, Field, Page``.

A plugin adds to a build through the hooks of :mod:`briefgen.plugins.spec`, on pluggy, the
library pytest is built on. briefgen's own optional features (feeds, the sitemap, JSON-LD,
social cards, search, shortcodes) are plugins of the same kind, in ``briefgen/features/``.
A site names the plugins it runs in ``site.yaml``; see ``docs/plugins.md``.
"""

from __future__ import annotations

import pluggy

from briefgen.model.output import Output
from briefgen.plugins.shortcodes import Call, LocalFile, Param, Shortcode, ShortcodeProblem
from briefgen.plugins.spec import PROJECT
from briefgen.plugins.types import (
    Added,
    Built,
    Drawn,
    ExternalError,
    Field,
    FieldProblem,
    Later,
    Listed,
    Page,
    PageWork,
    Problem,
    Rendered,
    Setting,
    Staging,
)

hookimpl = pluggy.HookimplMarker(PROJECT)

__all__ = [
    "Call",
    "LocalFile",
    "Param",
    "Shortcode",
    "ShortcodeProblem",
    "Added",
    "Built",
    "Drawn",
    "ExternalError",
    "Field",
    "FieldProblem",
    "Later",
    "Listed",
    "Output",
    "Page",
    "PageWork",
    "Problem",
    "Rendered",
    "Setting",
    "Staging",
    "hookimpl",
]
