"""Writing the site: everything goes into a fresh folder beside the output, which then
replaces the old one in two renames. The only module that writes files."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from briefgen.urls import safe_relpath


@dataclass(frozen=True)
class Output:
    """One file of the built site: rendered bytes, or a static file to copy."""

    path: str  # relative to the output folder, forward slashes
    data: bytes | None = None
    source: Path | None = None


def write_site(
    outputs: list[Output], target: Path, finalize: Callable[[Path], None] | None = None
) -> int:
    """Write ``outputs`` into a temporary folder, then swap it in place of ``target``.

    ``finalize`` runs on the complete temporary folder before the swap (the search indexer
    reads the written pages). If anything fails before the swap, the previous ``target`` is
    untouched and the temporary folder is removed. Returns the number of files written.
    """
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        seen: set[str] = set()
        for out in outputs:
            rel = safe_relpath(out.path)
            if rel in seen:
                raise ValueError(f"two outputs for {rel}")  # a bug, not bad input
            seen.add(rel)
            dest = staging / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            if out.data is not None:
                dest.write_bytes(out.data)
            elif out.source is not None:
                shutil.copyfile(out.source, dest)
        if finalize is not None:
            finalize(staging)
        os.chmod(staging, 0o755)  # mkdtemp makes it private; a web server must read it
        _swap(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return len(outputs)


def _swap(staging: Path, target: Path) -> None:
    if not target.exists():
        staging.rename(target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    old.rmdir()
    target.rename(old)
    try:
        staging.rename(target)
    except BaseException:
        old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)
