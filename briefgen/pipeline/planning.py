"""Stage plan: every page and file of each edition, the editions of a multilingual site tied
together, then the files plugins add once every page is known (feeds, the sitemap)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from briefgen.config.values import Config
from briefgen.model.diagnostics import Diagnostics
from briefgen.model.site import Site
from briefgen.pipeline.cache import Cache
from briefgen.pipeline.stages import Content, Plan
from briefgen.pipeline.stamps import config_key, templates_key
from briefgen.plugins.types import Listed
from briefgen.render.theme import Theme
from briefgen.util.hashing import digest

if TYPE_CHECKING:
    from briefgen.languages import Strings


def plan_output(
    site: Site,
    config: Config,
    theme: Theme,
    content: Content,
    store: Cache,
    pages: bool,
    diags: Diagnostics,
) -> Plan:
    """Stage plan: every page of the output, and the files of the theme and the content
    (none when ``pages`` is off); the files plugins add come once every edition is planned
    (:func:`plugin_outputs`)."""
    from briefgen.pipeline import hooks
    from briefgen.pipeline.templates import TemplateCache
    from briefgen.render.plan import plan_pages, static_files
    from briefgen.render.theme import load_strings, make_environment

    strings = content.strings or load_strings(theme, config)  # the edition's words
    scope = page_scope(config, theme, strings, store)
    env = make_environment(theme, config, strings, TemplateCache(store, scope))
    jobs = []
    if pages:
        jobs = [*plan_pages(site, config, strings), *hooks.pages(site, config, strings, diags)]
    extras = [*static_files(theme), *content.assets.outputs()] if pages else []
    if config.prefix:  # another language's edition: its pages go to its folder
        jobs = [dataclasses.replace(job, prefix=config.prefix) for job in jobs]
        extras = []
    return Plan(jobs, extras, env, scope)


@dataclasses.dataclass(frozen=True)
class Given:
    """What the files plugins add were made from (every page, and the paths planned before
    them, which they may not write over), and their paths."""

    listed: list[Listed] = dataclasses.field(default_factory=list)
    taken: frozenset[str] = frozenset()
    made: tuple[str, ...] = ()


def page_scope(config: Config, theme: Theme, strings: Strings, store: Cache) -> str:
    """What every page of an edition is given besides its job: the settings, the templates,
    the theme's words and the code (part of every page's key)."""
    key = (config_key(config), templates_key(theme, config.root), strings.key, store.fingerprint)
    return digest(repr(key))


def plugin_outputs(
    plans: list[Plan],
    sites: list[Site],
    contents: list[Content],
    listed: list[Listed],
    diags: Diagnostics,
) -> Given:
    """Stage plan, once every edition is planned: the files plugins add (feeds, the
    sitemap), before each edition's other files. ``listed``: every page of the build.
    Returns what they were given, and the paths of what they made."""
    from briefgen.pipeline import hooks

    taken = {job.file for plan in plans for job in plan.jobs}
    taken.update(out.path for plan in plans for out in plan.extras)
    before = frozenset(taken)
    made: list[str] = []
    for plan, site, content in zip(plans, sites, contents, strict=True):
        outputs = hooks.outputs(site, content.config, listed, taken, diags)
        plan.extras[:0] = outputs
        made.extend(out.path for out in outputs)
    return Given(listed, before, tuple(made))


def link_editions(plans: list[Plan], contents: list[Content]) -> list[Listed]:
    """A site with several languages: every page names its translations. Returns every
    page of every language with its alternates."""
    from briefgen import languages

    pages = [(content.config, plan.jobs) for content, plan in zip(contents, plans, strict=True)]
    linked, listed = languages.link_translations(pages, contents[0].translations.group)
    for plan, jobs in zip(plans, linked, strict=True):
        plan.jobs[:] = jobs
    return listed
