"""The hooks of the render and write stages, each called from here and its answers checked:
what plugins do with the rendered pages (the marks they look for, the folders they fill) and
the files they make of them (the search index). The earlier stages' hooks are in
:mod:`briefgen.pipeline.hooks`."""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Mapping, Sequence

from briefgen.config.values import Config
from briefgen.model.diagnostics import Diagnostics
from briefgen.model.output import Output
from briefgen.pipeline.hooks import items_of, page_path, plugin_wrong
from briefgen.plugins.manager import Answer
from briefgen.plugins.types import Added, Later, PageWork, Rendered, Staging


def page_work(config: Config, diags: Diagnostics) -> PageWork:
    """Stage render: what plugins do with the rendered pages, as one PageWork: every mark
    plugins look for (each once) and every folder they fill afterwards."""
    if config.plugins is None:
        return PageWork()
    marks: dict[bytes, None] = {}
    folders: dict[str, None] = {}
    for answer in config.plugins.call("briefgen_page_work", diags, config=config):
        for work in items_of(answer, PageWork, diags):
            for mark in work.marks:
                if isinstance(mark, bytes) and mark:
                    marks[mark] = None
                else:
                    plugin_wrong(answer, f"page mark {mark!r} is not bytes", diags)
            for folder in work.folders:
                if (
                    not isinstance(folder, str)
                    or page_path(folder) is None
                    or not (folder.endswith("/") and posixpath.normpath(folder) == folder[:-1])
                ):
                    plugin_wrong(
                        answer, f"folder {folder!r} must be a folder inside the site", diags
                    )
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
    only: tuple[str, ...] | None = None,
) -> dict[str, Added]:
    """Stage write: what each plugin makes of the rendered pages, by the plugin's name, each
    given its own state (``states``). A file outside the folders plugins declared
    (``within``) is the plugin's error, and left out. ``only``: the plugins to ask (None:
    every plugin that answers the hook)."""
    if config.plugins is None:
        return {}
    made = {}
    for name in config.plugins.implementers("briefgen_rendered"):
        if only is not None and name not in only:
            continue
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
            plugin_wrong(answer, f"returned a {found} where an Added was expected", diags)
            continue
        files = _late_files(answer, within, diags)
        kept = answer.value.later if later else None  # work left for later only when asked
        if kept is not None and not isinstance(kept, Later):
            plugin_wrong(
                answer, f"left a {type(kept).__name__} for later where a Later was expected", diags
            )
            kept = None
        made[name] = dataclasses.replace(answer.value, files=files, later=kept)
    return made


def _late_files(answer: Answer, within: tuple[str, ...], diags: Diagnostics) -> tuple[Output, ...]:
    """The files of a plugin's :class:`Added` that are inside the folders plugins declared
    (``within``) and have bytes or a source; any other is the plugin's error."""
    files = []
    for out in items_of(Answer(answer.plugin, answer.value.files), Output, diags):
        path = out.path if isinstance(out.path, str) else ""
        if posixpath.normpath(path) != path or not within or not path.startswith(within):
            plugin_wrong(
                answer, f"file path {out.path!r} is in no folder of briefgen_page_work", diags
            )
        elif out.data is None and out.source is None:
            plugin_wrong(answer, f"{path} has neither bytes (data) nor a source file", diags)
        else:
            files.append(out)
    return tuple(files)
