"""How the preview words what goes wrong: an address it cannot use, a system error that
stopped a build, work left for later that could not be done, a temporary folder it cannot
remove."""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.commands.serve_pages import described
from briefgen.model.diagnostics import ContentError, Diagnostics, UsageError

if TYPE_CHECKING:
    from briefgen.pipeline.deferred import Deferred


class ServeError(UsageError):
    """The preview cannot start: the address is taken or unusable."""


def reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.errno == errno.EADDRINUSE:
        return "the address is already in use (another server?); choose another with --port"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)


def not_updated(deferred: Deferred, exc: BaseException) -> str:
    """``briefgen serve: search index not updated: REASON``: the work a build left for later
    could not be done (it is done again after the next save)."""
    return f"briefgen serve: {described(deferred)} not updated: {reason(exc)}"


def system_error(root: Path, exc: OSError) -> ContentError:
    """An OSError that stopped a build as one diagnostic: ``path: error: cannot build the
    site: Too many open files``, the path relative to the site when it is inside it."""
    diags = Diagnostics()
    where = ""
    if exc.filename:
        path = Path(os.fsdecode(exc.filename))
        where = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    diags.error(where, 0, 0, f"cannot build the site: {exc.strerror or exc}")
    return ContentError(diags)


def remove(folder: Path, log: Callable[[str], None]) -> None:
    """Remove the preview's folder; say so when it cannot be (it is in the system's
    temporary folder, so it would otherwise be left without a word)."""
    problems: list[str] = []
    shutil.rmtree(folder, onerror=lambda _f, path, info: problems.append(f"{path}: {info[1]}"))
    if problems and folder.exists():
        log(f"briefgen serve: cannot remove {folder}: {problems[0]}")
