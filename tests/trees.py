"""Comparing output trees: an incremental build against a clean build of the same sources,
for every test that edits a site and builds it again (tests/pipeline, tests/plugins,
tests/assemble)."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import pytest

from briefgen.config.overrides import Overrides
from briefgen.pipeline.build import build


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and folder (``None``) under ``folder``: unlike ``read_tree``, an
    empty folder left behind by a deleted page counts as a difference too."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() else None
        for p in sorted(folder.rglob("*"))
    }


def tree_difference(
    got: dict[str, bytes | None], want: dict[str, bytes | None], names: tuple[str, str]
) -> str:
    """What differs between two snapshots, with a unified diff of the first differing text file
    (truncated); empty when they are equal."""
    if got == want:
        return ""
    got_name, want_name = names
    differ = sorted(k for k in set(got) & set(want) if got[k] != want[k])
    lines = [
        f"only in {got_name}: {sorted(set(got) - set(want))}",
        f"only in {want_name}: {sorted(set(want) - set(got))}",
        f"different bytes: {differ}",
    ]
    for rel in differ:
        ours_bytes, theirs_bytes = got[rel], want[rel]
        if ours_bytes is None or theirs_bytes is None:
            continue  # a folder on one side
        try:
            ours, theirs = ours_bytes.decode("utf-8"), theirs_bytes.decode("utf-8")
        except UnicodeDecodeError:
            continue  # binary: the search index
        diff = list(
            difflib.unified_diff(
                theirs.splitlines(),
                ours.splitlines(),
                f"{want_name}/{rel}",
                f"{got_name}/{rel}",
                lineterm="",
                n=2,
            )
        )
        lines += diff[:60] + ([f"… {len(diff) - 60} more diff lines"] if len(diff) > 60 else [])
        break
    return "\n".join(lines)


def clean_build(root: Path, folder: Path, **options: Any) -> dict[str, bytes | None]:
    build(root, cache=False, overrides=Overrides(str(folder), **options))
    return snapshot(folder)


def assert_same_as_clean(
    root: Path, clean: Path, output: str = "public", **options: Any
) -> dict[str, bytes | None]:
    """The site's output equals a clean build of the same sources; returns that tree."""
    want = clean_build(root, clean, **options)
    got = snapshot(root / output)
    if got != want:
        pytest.fail(
            "incremental and clean builds differ:\n"
            + tree_difference(got, want, ("incremental", "clean"))
        )
    return got
