"""Last-commit dates of content files, from one ``git log`` over the whole tree.

Used for a brief's ``updated`` when it has none and ``git_dates`` is on. Without git, outside
a repository, or for files never committed, there is simply no date and ``date`` stands.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from briefgen.model.dates import Timestamp
from briefgen.model.meta import BriefMeta

_RECORD, _FIELD = "\x1e", "\x1f"


def with_git_dates(metas: list[BriefMeta], dates: Mapping[str, Timestamp]) -> list[BriefMeta]:
    """Briefs without ``updated`` take their last commit date, when it is after ``date``."""
    out = []
    for meta in metas:
        when = dates.get(meta.path)
        if meta.updated is None and when is not None and when > meta.date:
            meta = replace(meta, updated=when)
        out.append(meta)
    return out


def last_commit_dates(root: Path, folder: str) -> dict[str, Timestamp]:
    """Site-relative path → committer date of the last commit that changed it.

    In a shallow clone, a file whose newest commit is a shallow boundary is left out: the
    boundary commit shows every file as added, so its date says nothing about that file.
    """
    toplevel = _git(root, "rev-parse", "--show-toplevel")
    if toplevel is None:
        return {}
    prefix = root.resolve().relative_to(Path(toplevel.strip()).resolve()).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    log = _git(
        root,
        "-c",
        "core.quotepath=off",
        "log",
        "--no-renames",
        "--name-only",
        f"--format={_RECORD}%H{_FIELD}%cI",
        "--",
        folder,
    )
    if log is None:
        return {}
    shallow_file = _git(root, "rev-parse", "--git-path", "shallow")
    boundary = set()
    if shallow_file:
        path = Path(shallow_file.strip())
        path = path if path.is_absolute() else root / path
        if path.is_file():
            boundary = set(path.read_text().split())
    dates: dict[str, Timestamp] = {}
    seen: set[str] = set()  # newest commit first: the first sighting of a file is its last change
    for record in log.split(_RECORD)[1:]:
        head, _, names = record.partition("\n")
        commit, _, when = head.partition(_FIELD)
        try:
            stamp = Timestamp.from_value(dt.datetime.fromisoformat(when.strip()))
        except ValueError:
            continue
        for name in names.split("\n"):
            path = name.strip()[len(prefix) :] if name.strip().startswith(prefix) else ""
            if not path or path in seen:
                continue
            seen.add(path)
            if commit not in boundary:
                dates[path] = stamp
    return dates


def _git(root: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None
