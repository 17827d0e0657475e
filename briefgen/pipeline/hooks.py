"""The hooks of the stages, each called from here and its answers checked and turned into
the stage's own values: front matter fields, additions to the site model, problems, pages
and files.
What a plugin returns that briefgen cannot use is an error naming the plugin and the hook,
never a traceback. (The markdown and render stages call theirs where they make their
parser and their template environment.)"""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, TypeVar

from briefgen.config.values import Config
from briefgen.model.diagnostics import Diagnostics
from briefgen.model.output import Output, PageJob
from briefgen.model.site import Site
from briefgen.plugins.manager import Answer
from briefgen.plugins.types import (
    Added,
    Drawn,
    Field,
    FieldTable,
    Later,
    Listed,
    Page,
    PageWork,
    Problem,
    Rendered,
    Staging,
)
from briefgen.read.plugin_fields import NONE as NO_FIELDS

if TYPE_CHECKING:
    from briefgen.languages import Strings

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
        for field in _items(answer, Field, diags):
            taken = "briefgen" if field.name in BRIEF_FIELDS else table.get(field.name, ("",))[0]
            if taken:
                _wrong(answer, f"front matter field {field.name!r} is {taken}'s already", diags)
            elif not isinstance(field.name, str) or not field.name.isidentifier():
                _wrong(answer, f"front matter field {field.name!r} is not a name", diags)
            else:
                table[field.name] = (answer.plugin, field)
    return MappingProxyType(table) if table else NO_FIELDS


def site_extras(site: Site, config: Config, diags: Diagnostics) -> Site:
    """Stage assemble: ``site`` with what each plugin adds (``site.extras[<name>]``)."""
    if config.plugins is None:
        return site
    answers = config.plugins.call("briefgen_site", diags, site=site, config=config)
    if not answers:
        return site
    extras = {a.plugin: a.value for a in answers}
    return dataclasses.replace(site, extras=MappingProxyType(extras))


def checks(site: Site, config: Config, diags: Diagnostics) -> None:
    """Stage assemble: every plugin's problems, reported with briefgen's own."""
    if config.plugins is None:
        return
    for answer in config.plugins.call("briefgen_check", diags, site=site, config=config):
        for problem in _items(answer, Problem, diags):
            severity = problem.severity if problem.severity in _SEVERITIES else "warning"
            add = getattr(diags, severity)
            add(problem.path, problem.line, problem.col, problem.message)


def pages(site: Site, config: Config, strings: Strings, diags: Diagnostics) -> list[PageJob]:
    """Stage plan: the pages plugins add, in the order of the plugins (``strings``: the
    edition's words)."""
    if config.plugins is None:
        return []
    jobs = []
    call = config.plugins.call
    for answer in call("briefgen_pages", diags, site=site, config=config, strings=strings):
        for page in _items(answer, Page, diags):
            path = _page_path(page.path)
            if path is None:
                _wrong(answer, f"page path {page.path!r} must be relative, inside the site", diags)
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
        for out in _items(answer, Output, diags):
            path = _file_path(answer, out.path, diags, "file")
            if path is None:
                continue
            if path in taken:
                _wrong(answer, f"{path} is written by another part of the build", diags)
            elif out.data is None and out.source is None:
                _wrong(answer, f"{path} has neither bytes (data) nor a source file", diags)
            else:
                taken.add(path)
                made.append(out)
    return made


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
        for item in _items(answer, Drawn, diags):
            path = _file_path(answer, item.path, diags, "drawn file")
            if path is None:
                continue
            before = taken.get(path)
            if before is None:
                taken[path] = item.key
                made.append(item)
            elif before != item.key:
                _wrong(answer, f"{path} is written by another part of the build", diags)
    return made


def _file_path(answer: Answer, path: str, diags: Diagnostics, what: str) -> str | None:
    """``path`` when it names a file inside the output folder as it is written (no ``..``,
    no ``./``, no folder); else the plugin's error, and None. A drawn file (a picture) needs
    an extension too, which its type is served by; a file may be ``CNAME``."""
    normal = posixpath.normpath(path) if path else ""
    drawn = what == "drawn file"
    if _page_path(normal) is None or normal != path or normal.endswith("/"):
        _wrong(answer, f"{what} path {path!r} must be relative, inside the site", diags)
        return None
    if drawn and "." not in posixpath.basename(normal):
        _wrong(answer, f"{what} path {path!r} needs an extension: .png, .webp", diags)
        return None
    return normal


def page_work(config: Config, diags: Diagnostics) -> PageWork:
    """Stage render: what plugins do with the rendered pages, as one PageWork: every mark
    plugins look for (each once) and every folder they fill afterwards."""
    if config.plugins is None:
        return PageWork()
    marks: dict[bytes, None] = {}
    folders: dict[str, None] = {}
    for answer in config.plugins.call("briefgen_page_work", diags, config=config):
        for work in _items(answer, PageWork, diags):
            for mark in work.marks:
                if isinstance(mark, bytes) and mark:
                    marks[mark] = None
                else:
                    _wrong(answer, f"page mark {mark!r} is not bytes", diags)
            for folder in work.folders:
                if (
                    not isinstance(folder, str)
                    or _page_path(folder) is None
                    or not (folder.endswith("/") and posixpath.normpath(folder) == folder[:-1])
                ):
                    _wrong(answer, f"folder {folder!r} must be a folder inside the site", diags)
                else:
                    folders[folder] = None
    return PageWork(tuple(marks), tuple(folders))


def rendered(
    pages: Sequence[Rendered],
    config: Config,
    folder: Staging,
    states: Mapping[str, object],
    later: bool,
    workers: int,
    within: tuple[str, ...],
    diags: Diagnostics,
) -> dict[str, Added]:
    """Stage write: what each plugin makes of the rendered pages, by the plugin's name, each
    given its own state (``states``). A file outside the folders plugins declared
    (``within``) is the plugin's error, and left out."""
    if config.plugins is None:
        return {}
    made = {}
    for name in config.plugins.implementers("briefgen_rendered"):
        answer = config.plugins.call_one(
            name,
            "briefgen_rendered",
            diags,
            pages=pages,
            config=config,
            folder=folder,
            state=states.get(name),
            later=later,
            workers=workers,
        )
        if answer is None:
            continue
        if not isinstance(answer.value, Added):
            found = type(answer.value).__name__
            _wrong(answer, f"returned a {found} where an Added was expected", diags)
            continue
        files = _late_files(answer, within, diags)
        kept = answer.value.later if later else None  # work left for later only when asked
        if kept is not None and not isinstance(kept, Later):
            _wrong(
                answer, f"left a {type(kept).__name__} for later where a Later was expected", diags
            )
            kept = None
        made[name] = dataclasses.replace(answer.value, files=files, later=kept)
    return made


def _late_files(answer: Answer, within: tuple[str, ...], diags: Diagnostics) -> tuple[Output, ...]:
    """The files of a plugin's :class:`Added` that are inside the folders plugins declared
    (``within``) and have bytes or a source; any other is the plugin's error."""
    files = []
    for out in _items(Answer(answer.plugin, answer.value.files), Output, diags):
        path = out.path if isinstance(out.path, str) else ""
        if posixpath.normpath(path) != path or not within or not path.startswith(within):
            _wrong(answer, f"file path {out.path!r} is in no folder of briefgen_page_work", diags)
        elif out.data is None and out.source is None:
            _wrong(answer, f"{path} has neither bytes (data) nor a source file", diags)
        else:
            files.append(out)
    return tuple(files)


def _items(answer: Answer, kind: type[T], diags: Diagnostics) -> list[T]:
    """An answer's items of the type the hook returns; anything else is the plugin's error."""
    try:
        items = list(answer.value)
    except TypeError:
        items = [answer.value]
    wrong = [item for item in items if not isinstance(item, kind)]
    if wrong:
        found = type(wrong[0]).__name__
        _wrong(answer, f"returned a {found} where a {kind.__name__} was expected", diags)
    return [item for item in items if isinstance(item, kind)]


def _wrong(answer: Answer, message: str, diags: Diagnostics) -> None:
    diags.error("site.yaml", 0, 0, f"plugin {answer.plugin!r}: {message}")


def _page_path(path: str) -> str | None:
    """A page's path as the plan writes it (``reading-list/``), or None when it would leave
    the output folder."""
    if not path or path.startswith(("/", "\\")) or "\\" in path or "\x00" in path:
        return None
    parts = path.split("/")
    if any(part in ("..", ".") for part in parts) or ":" in parts[0]:
        return None
    return path
