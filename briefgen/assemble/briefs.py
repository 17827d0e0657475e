"""The briefs of the site model, made from what reading and the Markdown stage hand on: each
brief's go-deeper links resolved, its lead picture found and checked, and the brief made as
templates see it. A build makes every brief here; ``serve``'s quick page makes the one that
was edited here too, so the two cannot drift apart."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from briefgen import pictures
from briefgen.assemble import editorial
from briefgen.assemble.site import make_brief
from briefgen.config.values import Config
from briefgen.markdown.links import Resolver
from briefgen.model.diagnostics import Diagnostics
from briefgen.model.meta import BriefMeta
from briefgen.model.rendered import RenderedBody
from briefgen.model.site import Brief


def make_briefs(
    metas: Sequence[BriefMeta],
    config: Config,
    rendered: Mapping[str, RenderedBody],
    digests: Mapping[str, str],
    resolver: Resolver,
    titles: Mapping[str, str],
    diags: Diagnostics,
) -> tuple[list[BriefMeta], list[Brief]]:
    """The metadata with go-deeper links resolved, and the brief of each, in order.
    ``digests``: each brief's metadata digest as it was read, by path; ``titles``: the title
    of every brief a go-deeper link may name, by path."""
    metas = [editorial.resolve_go_deeper(m, resolver, titles, diags) for m in metas]
    leads = pictures.lead_pictures(metas, resolver.images, diags)  # their own errors
    briefs = [
        make_brief(m, config, rendered[m.path], digests.get(m.path, ""), leads.get(m.path))
        for m in metas
    ]
    return metas, briefs
