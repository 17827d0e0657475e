"""Find content files in a stable order, read them, and turn them into validated metadata."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from briefgen.languages import split_name, stem_of
from briefgen.model.diagnostics import Diagnostics
from briefgen.model.meta import EntityMeta, TopicMeta
from briefgen.model.urls import is_within
from briefgen.read import frontmatter, validate
from briefgen.read.frontmatter import FORBIDDEN_CHARS, normalise_newlines

CONTENT_DIR = "content"
BRIEFS_DIR = "content/briefs"
TOPICS_DIR = "content/topics"
ENTITIES_DIR = "content/entities"
MAX_FILE_BYTES = 5 * 1024 * 1024  # a brief is a few hundred words; anything this big is a mistake


@dataclass(frozen=True)
class SourceFile:
    path: str  # relative to the site root, forward slashes
    text: str


def discover(root: Path, folder: str, diags: Diagnostics) -> list[Path]:
    """Every ``*.md`` under ``root/folder``, sorted by its path from ``root``; hidden files
    and folders, symbolic links to folders and symbolic links leading outside the site are
    skipped. (A folder is listed once, with what it knows of each entry: on a site of 10,000
    briefs, a second system call per file is most of the time this takes.)"""
    base = root / folder
    if not base.is_dir():
        return []
    if not is_within(base, root):
        diags.warning(folder, 0, 0, "symbolic link leads outside the site; not read")
        return []
    found: list[tuple[str, Path]] = []
    _walk(root, base, found, diags)
    found.sort(key=lambda item: item[0])
    return [path for _, path in found]


def _walk(root: Path, here: Path, found: list[tuple[str, Path]], diags: Diagnostics) -> None:
    try:
        with os.scandir(here) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError:  # a folder that cannot be listed is skipped, as os.walk skips it
        return
    folders = []
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        path = here / name
        if _is_dir(entry):
            if entry.is_symlink():
                diags.warning(relative(root, path), 0, 0, "symbolic link to a folder not followed")
            else:
                folders.append(path)
        elif name.endswith(".md"):
            if entry.is_symlink() and not is_within(path, root):
                diags.warning(
                    relative(root, path), 0, 0, "symbolic link leads outside the site; skipped"
                )
                continue
            found.append((relative(root, path), path))
    for folder in folders:
        _walk(root, folder, found, diags)


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def read(root: Path, path: Path, diags: Diagnostics) -> SourceFile | None:
    """Read a file as UTF-8, reporting where undecodable bytes are."""
    rel = relative(root, path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            diags.error(rel, 0, 0, f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}")
            return None
        data = path.read_bytes()
    except OSError as exc:
        diags.error(rel, 0, 0, f"cannot read: {exc.strerror or exc}")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _position(data[: exc.start].decode("utf-8", "replace"))
        diags.error(rel, line, col, f"not valid UTF-8 (byte offset {exc.start})")
        return None
    bad = FORBIDDEN_CHARS.search(text)
    if bad:
        line, col = _position(text[: bad.start()])
        code = ord(bad.group())
        what = (
            "a NUL byte; is it a binary file?"
            if code == 0
            else f"the control character U+{code:04X}"
        )
        diags.error(rel, line, col, f"file contains {what}")
        return None
    return SourceFile(rel, text)


def _position(before: str) -> tuple[int, int]:
    """1-based (line, col) just after ``before``, with CRLF, CR and LF all ending a line."""
    lines = normalise_newlines(before).split("\n")
    return len(lines), len(lines[-1]) + 1


def load_topics(root: Path, diags: Diagnostics, codes: tuple[str, ...] = ()) -> list[TopicMeta]:
    """Validated topic descriptions in path order; of two files with one slug (in one
    language, when ``codes`` name the site's languages), the first."""
    topics: dict[tuple[str | None, str], TopicMeta] = {}
    for path in discover(root, TOPICS_DIR, diags):
        source = read(root, path, diags)
        doc = source and frontmatter.split(source.path, source.text, diags)
        rel = relative(root, path)
        meta = doc and validate.validate_topic(doc, diags, stem_of(rel, codes))
        if not meta:
            continue
        other = topics.setdefault((split_name(rel, codes)[1], meta.slug), meta)
        if other is not meta:
            diags.error(
                meta.path, 1, 1, f"topic slug {meta.slug!r} is already described by {other.path}"
            )
    return list(topics.values())


def load_entities(
    root: Path, kinds: tuple[str, ...], diags: Diagnostics, codes: tuple[str, ...] = ()
) -> list[EntityMeta]:
    """Validated entity descriptions, from ``content/entities/<kind>/<slug>.md`` (and
    ``<slug>.<code>.md`` for each language of ``codes``)."""
    out = []
    for path in discover(root, ENTITIES_DIR, diags):
        rel = relative(root, path)
        kind = rel[len(ENTITIES_DIR) + 1 :].split("/")[0]
        if kind not in kinds or rel.count("/") != 3:
            where = " or ".join(f"{ENTITIES_DIR}/{k}/" for k in kinds)
            diags.warning(rel, 0, 0, f"not read: entity files go in {where}")
            continue
        source = read(root, path, diags)
        doc = source and frontmatter.split(source.path, source.text, diags)
        meta = doc and validate.validate_entity(doc, diags, kind, stem_of(rel, codes))
        if meta:
            out.append(meta)
    return out


def relative(root: Path, path: Path) -> str:
    """``path`` from ``root`` with forward slashes (``path`` itself when not under it)."""
    top, full = str(root), str(path)
    if full.startswith(top) and full[len(top) : len(top) + 1] == os.sep:
        return full[len(top) + 1 :].replace(os.sep, "/")
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
