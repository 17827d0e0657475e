"""The plugins of a build: briefgen's own features first (``briefgen/features/``), then those
``site.yaml`` names, in its order. Loaded once a build, right after the configuration: a
plugin that cannot be found or set up stops the build at gate 1 (exit status 2), at its
line of ``site.yaml``."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen import __version__
from briefgen.config.values import Config
from briefgen.features import BUILTIN
from briefgen.model.diagnostics import ConfigError, ContentError, Diagnostics
from briefgen.plugins import loader
from briefgen.plugins.manager import Plugins, Registered
from briefgen.plugins.types import Built
from briefgen.util.hashing import digest

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

    from briefgen.pipeline.build import BuildResult


def load_plugins(config: Config, diags: Diagnostics, without: Iterable[str] = ()) -> Config:
    """``config`` with every plugin of the build registered; ``without`` leaves out some of
    briefgen's own features by name (the site then builds without them)."""
    left_out = set(without)
    unknown = left_out - set(BUILTIN)
    if unknown:
        raise ValueError(f"no built-in feature named {', '.join(sorted(unknown))}")
    plugins = Plugins(config.root, debug=config.debug)
    for name, make in BUILTIN.items():
        if name not in left_out:
            plugins.register(make(), Registered(name, "briefgen", __version__, {}))
    for entry in config.plugin_entries:
        if entry.name in BUILTIN:
            diags.error(
                "site.yaml",
                *entry.where,
                f"plugin {entry.name!r} is one of briefgen's own features, always on; "
                "choose another name",
            )
            continue
        loaded = loader.load(entry, config.root, diags)
        if loaded is not None:
            plugins.register(*loaded)
    if diags.has_errors():
        raise ConfigError(diags)
    # a site with only briefgen's features keeps the key it always had: they are its code
    own = [p for p in plugins.registered if p.origin != "briefgen"]
    key = plugins.key if own or left_out else ""
    config = dataclasses.replace(config, plugins=plugins, plugin_key=key)
    if plugins.implements("briefgen_markdown"):
        markdown = dataclasses.replace(config.markdown, extend=_markdown(config), plugin_key=key)
        config = dataclasses.replace(config, markdown=markdown)
    return config


def _markdown(config: Config) -> Callable[[MarkdownIt], None]:
    """The parser's extension: every plugin's briefgen_markdown, in order."""
    plugins = config.plugins
    assert plugins is not None

    def extend(md: MarkdownIt) -> None:
        plugins.call("briefgen_markdown", md=md, config=config)

    return extend


def with_shortcodes(config: Config, template_dirs: tuple[Path, ...], diags: Diagnostics) -> Config:
    """``config`` whose Markdown options carry the build's shortcodes (plugins' and the
    templates in ``template_dirs``), keyed by what a body drawn with them depends on besides
    each template: the declarations and ``embeds:``."""
    from briefgen.pipeline import hooks

    table = hooks.shortcodes(config, template_dirs, diags)
    declared = [
        (name, plugin, code.version, code.params, code.body, code.template, code.words)
        for name, (plugin, code) in sorted(table.defined.items())
    ]
    key = digest(repr((declared, sorted(table.settings.items()))))
    markdown = dataclasses.replace(config.markdown, shortcodes=table, shortcodes_key=key)
    return dataclasses.replace(config, markdown=markdown)


def cache_fingerprint(code: str, config: Config) -> str:
    """The cache's fingerprint with the plugins in it: a record made with other plugins, or
    the same ones set differently, is never read, so an incremental build with plugins
    equals a clean one."""
    return digest(code + config.plugin_key) if config.plugin_key else code


def after_build(result: BuildResult, diags: Diagnostics) -> BuildResult:
    """The last hook: every plugin learns what the build wrote. A plugin that fails here
    fails the build (exit status 1), though the site is written."""
    config = result.config
    if config.plugins is None or not config.plugins.implements("briefgen_after_build"):
        return result
    built = Built(
        str(config.output_path), tuple(result.written_files), result.pages, dict(result.stats)
    )
    config.plugins.call("briefgen_after_build", diags, built=built, config=config)
    if diags.has_errors():
        raise ContentError(diags)
    return result
