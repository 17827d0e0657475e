"""The hooks of the stages, each called from here and its answers checked and turned into
the stage's own values: front matter fields, additions to the site model, problems, pages
and files.
What a plugin returns that briefgen cannot use is an error naming the plugin and the hook,
never a traceback. (The markdown and render stages call theirs where they make their
parser and their template environment.)"""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Sequence
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, TypeVar

from briefgen.config.values import Config
from briefgen.model.diagnostics import Diagnostics
from briefgen.model.output import Output, PageJob
from briefgen.model.site import Site
from briefgen.plugins.manager import Answer
from briefgen.plugins.types import (
    Drawn,
    Field,
    FieldTable,
    Listed,
    Page,
    Problem,
)
from briefgen.read.plugin_fields import NONE as NO_FIELDS
from briefgen.render.watch import watches_bodies

if TYPE_CHECKING:
    from briefgen.languages import Strings
    from briefgen.markdown.shortcodes import ShortcodeTable

T = TypeVar("T")

_SEVERITIES = ("error", "warning", "note")


def fields(config: Config, diags: Diagnostics) -> FieldTable:
    """Stage read: the front matter fields plugins add, by name. A name briefgen or another
    plugin already uses is an error, and the field is left out."""
    if config.plugins is None:
        return NO_FIELDS
    from briefgen.read.validate import BRIEF_FIELDS

    table: dict[str, tuple[str, Field]] = {}
    for answer in config.plugins.call("briefgen_fields", diags):
        for field in items_of(answer, Field, diags):
            taken = "briefgen" if field.name in BRIEF_FIELDS else table.get(field.name, ("",))[0]
            if taken:
                plugin_wrong(
                    answer, f"front matter field {field.name!r} is {taken}'s already", diags
                )
            elif not isinstance(field.name, str) or not field.name.isidentifier():
                plugin_wrong(answer, f"front matter field {field.name!r} is not a name", diags)
            else:
                table[field.name] = (answer.plugin, field)
    return MappingProxyType(table) if table else NO_FIELDS


def shortcodes(
    config: Config, template_dirs: tuple[Path, ...], diags: Diagnostics
) -> ShortcodeTable:
    """Stage markdown: the shortcodes plugins declare, by name, with the template folders a
    shortcode's template is found in (the site's first). A name two plugins declare, or that
    is not a shortcode's name, is an error, and the later declaration is left out."""
    from briefgen.markdown.shortcode_syntax import NAME
    from briefgen.markdown.shortcodes import ShortcodeTable
    from briefgen.plugins.shortcodes import KINDS, Shortcode

    defined: dict[str, tuple[str, Shortcode]] = {}
    answers = (
        config.plugins.call("briefgen_shortcodes", diags, config=config) if config.plugins else []
    )
    for answer in answers:
        for code in items_of(answer, Shortcode, diags):
            wrong = [p.kind for p in code.params if p.kind not in KINDS]
            if not isinstance(code.name, str) or not NAME.fullmatch(code.name):
                plugin_wrong(
                    answer,
                    f"shortcode name {code.name!r}: lowercase letters, digits, - and _",
                    diags,
                )
            elif code.name in defined:
                plugin_wrong(
                    answer, f"shortcode {code.name!r} is {defined[code.name][0]}'s already", diags
                )
            elif wrong or code.body not in ("none", "optional", "required", "text"):
                what = f"argument kind {wrong[0]!r}" if wrong else f"body {code.body!r}"
                plugin_wrong(answer, f"shortcode {code.name!r}: unknown {what}", diags)
            else:
                defined[code.name] = (answer.plugin, code)
    settings = MappingProxyType(dataclasses.asdict(config.embeds))
    return ShortcodeTable(MappingProxyType(defined), template_dirs, settings, config.root)


@watches_bodies
def site_extras(site: Site, config: Config, diags: Diagnostics) -> Site:
    """Stage assemble: ``site`` with what each plugin adds (``site.extras[<name>]``)."""
    if config.plugins is None:
        return site
    answers = config.plugins.call("briefgen_site", diags, site=site, config=config)
    if not answers:
        return site
    extras = {a.plugin: a.value for a in answers}
    return dataclasses.replace(site, extras=MappingProxyType(extras))


@watches_bodies
def checks(site: Site, config: Config, diags: Diagnostics) -> None:
    """Stage assemble: every plugin's problems, reported with briefgen's own."""
    if config.plugins is None:
        return
    for answer in config.plugins.call("briefgen_check", diags, site=site, config=config):
        for problem in items_of(answer, Problem, diags):
            severity = problem.severity if problem.severity in _SEVERITIES else "warning"
            add = getattr(diags, severity)
            add(problem.path, problem.line, problem.col, problem.message)


@watches_bodies
def pages(site: Site, config: Config, strings: Strings, diags: Diagnostics) -> list[PageJob]:
    """Stage plan: the pages plugins add, in the order of the plugins (``strings``: the
    edition's words)."""
    if config.plugins is None:
        return []
    jobs = []
    call = config.plugins.call
    for answer in call("briefgen_pages", diags, site=site, config=config, strings=strings):
        for page in items_of(answer, Page, diags):
            path = page_path(page.path)
            if path is None:
                plugin_wrong(
                    answer, f"page path {page.path!r} must be relative, inside the site", diags
                )
                continue
            jobs.append(
                PageJob(
                    page.template,
                    answer.plugin,
                    page.title,
                    page.description,
                    path,
                    page.lastmod,
                    dict(page.context),
                )
            )
    return jobs


@watches_bodies
def outputs(
    site: Site, config: Config, listed: Sequence[Listed], taken: set[str], diags: Diagnostics
) -> list[Output]:
    """Stage plan: the files plugins add (``taken``: the paths already planned, which a
    plugin may not write over)."""
    if config.plugins is None:
        return []
    made = []
    call = config.plugins.call
    for answer in call("briefgen_outputs", diags, site=site, config=config, pages=listed):
        for out in items_of(answer, Output, diags):
            path = _file_path(answer, out.path, diags, "file")
            if path is None:
                continue
            if path in taken:
                plugin_wrong(answer, f"{path} is written by another part of the build", diags)
            elif out.data is None and out.source is None:
                plugin_wrong(answer, f"{path} has neither bytes (data) nor a source file", diags)
            else:
                taken.add(path)
                made.append(out)
    return made


@watches_bodies
def drawn(
    site: Site, config: Config, strings: Strings, taken: dict[str, str], diags: Diagnostics
) -> list[Drawn]:
    """Stage pictures: the files plugins draw for one edition (the social cards).
    ``taken``: every path the build already writes, with the key of a file drawn there (""
    for a page or another file); a plugin may draw a path again only as the same file."""
    if config.plugins is None:
        return []
    made = []
    call = config.plugins.call
    for answer in call("briefgen_drawn", diags, site=site, config=config, strings=strings):
        for item in items_of(answer, Drawn, diags):
            path = _file_path(answer, item.path, diags, "drawn file")
            if path is None:
                continue
            before = taken.get(path)
            if before is None:
                taken[path] = item.key
                made.append(item)
            elif before != item.key:
                plugin_wrong(answer, f"{path} is written by another part of the build", diags)
    return made


def _file_path(answer: Answer, path: str, diags: Diagnostics, what: str) -> str | None:
    """``path`` when it names a file inside the output folder as it is written (no ``..``,
    no ``./``, no folder); else the plugin's error, and None. A drawn file (a picture) needs
    an extension too, which its type is served by; a file may be ``CNAME``."""
    normal = posixpath.normpath(path) if path else ""
    drawn = what == "drawn file"
    if page_path(normal) is None or normal != path or normal.endswith("/"):
        plugin_wrong(answer, f"{what} path {path!r} must be relative, inside the site", diags)
        return None
    if drawn and "." not in posixpath.basename(normal):
        plugin_wrong(answer, f"{what} path {path!r} needs an extension: .png, .webp", diags)
        return None
    return normal


def items_of(answer: Answer, kind: type[T], diags: Diagnostics) -> list[T]:
    """An answer's items of the type the hook returns; anything else is the plugin's error."""
    try:
        items = list(answer.value)
    except TypeError:
        items = [answer.value]
    wrong = [item for item in items if not isinstance(item, kind)]
    if wrong:
        found = type(wrong[0]).__name__
        plugin_wrong(answer, f"returned a {found} where a {kind.__name__} was expected", diags)
    return [item for item in items if isinstance(item, kind)]


def plugin_wrong(answer: Answer, message: str, diags: Diagnostics) -> None:
    diags.error("site.yaml", 0, 0, f"plugin {answer.plugin!r}: {message}")


def page_path(path: str) -> str | None:
    """A page's path as the plan writes it (``reading-list/``), or None when it would leave
    the output folder."""
    if not path or path.startswith(("/", "\\")) or "\\" in path or "\x00" in path:
        return None
    parts = path.split("/")
    if any(part in ("..", ".") for part in parts) or ":" in parts[0]:
        return None
    return path
