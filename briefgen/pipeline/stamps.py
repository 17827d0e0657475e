"""What a build was made from, cheaply: sizes and times of every input, the configuration
and the theme, so that a build with nothing to do can say so without parsing anything."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from briefgen.config.values import Config
from briefgen.model.meta import BriefMeta
from briefgen.render.theme import Theme
from briefgen.util.hashing import digest

_NOT_KEYED = ("now", "plugins", "debug")  # the clock; the plugins' objects (plugin_key is)


def config_key(config: Config) -> str:
    fields = dataclasses.fields(config)
    return repr([(f.name, getattr(config, f.name)) for f in fields if f.name not in _NOT_KEYED])


def templates_key(theme: Theme, root: Path | None = None) -> str:
    """Names every template and translation table (of the theme, and the site's own under
    ``root``): a change to one renders every page again."""
    parts = []
    tables = [theme.folder / "i18n", *([root / "i18n"] if root is not None else [])]
    for folder in [*theme.template_dirs, *(t for t in tables if t.is_dir())]:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            parts.append((str(path), digest(path.read_bytes())))
    return digest(repr(parts))


def stamp_of(stamps: list[tuple[object, ...]]) -> str:
    """The digest of :func:`input_stamps`: equal digests mean nothing changed."""
    return digest(repr(stamps))


def input_stamps(config: Config, theme: Theme, fingerprint: str) -> list[tuple[object, ...]]:
    """The settings and code, then each input file's path, size, times and inode, in order:
    the entries that differ between two builds name what changed."""
    # the translation tables of the theme's strings: the theme's, and the site's overrides
    tables = [theme.folder / "i18n", config.root / "i18n"]
    # the card's colours and fonts, which theme files name
    folders = [
        config.root / "content",
        *theme.template_dirs,
        *theme.static_dirs,
        *tables,
        theme.folder / "fonts",
    ]
    if config.plugin_entries:  # a site's own plugins: an edit builds again
        folders.append(config.root / "plugins")
    seen: list[tuple[object, ...]] = [
        (config_key(config), fingerprint, config.git_dates and _git_head(config.root))
    ]
    seen.append(_stat_file(theme.folder / "card.yaml"))
    for folder in folders:
        seen.append(str(folder))
        seen.extend(_stat_tree(folder))
    return seen


def _stat_file(path: Path) -> tuple[str | int, ...]:
    try:
        st = os.stat(path)
    except OSError:
        return (str(path), -2, -2)
    return (str(path), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _stat_tree(folder: Path) -> list[tuple[str | int, ...]]:
    out = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return out
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                out.append((entry.path, -1, -1))
                out.extend(_stat_tree(Path(entry.path)))
            else:
                st = entry.stat()
                out.append((entry.path, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
        except OSError:
            out.append((entry.path, -2, -2))
    return out


def _git_head(root: Path) -> str:
    """The checked-out commit, as files under .git say (no git process is started)."""
    parts = []
    for name in ("HEAD", "packed-refs", "shallow"):
        try:
            parts.append((root / ".git" / name).read_text(errors="replace"))
        except OSError:
            parts.append("")
    head = parts[0].strip()
    if head.startswith("ref: "):
        try:
            parts.append((root / ".git" / head[5:]).read_text(errors="replace"))
        except OSError:
            pass
    return digest("\n".join(parts))


def valid_until(metas: list[BriefMeta], config: Config) -> float | None:
    """The next moment after ``now`` at which a brief is due to be published or to expire."""
    now = config.now
    moments = [m.date.moment for m in metas if m.date.moment > now]
    moments += [m.expires.moment for m in metas if m.expires is not None and m.expires.moment > now]
    reviews = [m.structure.review_by for m in metas if m.structure.review_by is not None]
    moments += [r.moment for r in reviews if r.moment > now]
    return min(moments).timestamp() if moments else None
