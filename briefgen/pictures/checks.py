"""A brief's lead picture found and checked, and the desk's checks on every picture: alt
text that is only the file name, pictures narrower than the column they are shown in,
published files over the size budget, and pictures under ``content/`` nothing uses."""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from briefgen.model.diagnostics import Diagnostics
from briefgen.model.meta import BriefMeta
from briefgen.model.pictures import Shown
from briefgen.pictures.assets import Assets, ImageResolver, Unreadable
from briefgen.pictures.variants import Found, stem

COLUMN_PX = 592  # the text column (37rem at 16 px): a narrower picture is blown up
PICTURE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".tif", ".tiff", ".svg"}


def lead_pictures(
    metas: Iterable[BriefMeta], resolve: ImageResolver, diags: Diagnostics
) -> dict[str, Shown]:
    """Each brief's lead picture as pages show it, by the brief's path; a picture that is
    missing, unreadable or not a file of the site is an error at its ``src``."""
    out = {}
    for meta in metas:
        image = meta.structure.image
        if image is None:
            continue
        found = resolve(image.src, meta.path)
        where = (meta.path, image.line, image.col)
        if isinstance(found, Shown):
            out[meta.path] = found
            if alt_is_file_name(image.alt, image.src):
                diags.warning(
                    *where,
                    f"alt text {image.alt!r} is the file's name: describe what the picture shows",
                )
        elif found is None:
            diags.error(*where, f"image {image.src!r} not found")
        elif isinstance(found, Unreadable):
            diags.error(*where, f"image {image.src!r} cannot be read: {found.reason}")
        else:
            diags.error(
                *where,
                f"lead image {image.src!r} must be a file of the site (under "
                "content/ or static/): a remote picture cannot be resized or checked",
            )
    return out


def alt_is_file_name(alt: str, src: str) -> bool:
    """Whether alt text only repeats the picture's file name (with or without extension)."""
    name = posixpath.basename(unquote(urlsplit(src).path)).lower()
    text = alt.strip().lower()
    return bool(text) and text in (name, posixpath.splitext(name)[0])


def check_published(
    assets: Assets, sizes: dict[str, int], budget_kb: int, diags: Diagnostics
) -> None:
    """The desk's checks on every picture ``assets`` found, once their files are made
    (``sizes``: bytes of each published file; ``budget_kb``: ``budgets.image_kb``)."""
    check_pictures(assets.found, assets.root, sizes, budget_kb, diags)
    check_unused(assets.seen, assets.root, diags)


def check_pictures(
    found: dict[str, Found], root: Path, sizes: dict[str, int], budget_kb: int, diags: Diagnostics
) -> None:
    """``found``: source file → the :class:`Found` of every picture this
    build publishes; ``sizes``: bytes of each published file."""
    heaviest: dict[str, tuple[int, str]] = {}
    stems = {stem(item.out): key for key, item in found.items()}
    for path, size in sizes.items():
        key = stems.get(path.rsplit("-", 1)[0])
        if key is not None and size > heaviest.get(key, (0, ""))[0]:
            heaviest[key] = (size, path)
    for key, item in sorted(found.items()):
        shown = _relative(item.source, root)
        picture = item.picture
        if picture.format != "SVG" and picture.width < COLUMN_PX:
            diags.warning(
                shown,
                0,
                0,
                f"is {picture.width} px wide, narrower than the "
                f"{COLUMN_PX} px column it is shown in: it will look blurred",
            )
        size, path = heaviest.get(
            key, (item.picture.size if item.picture.passes_through else 0, item.out)
        )
        if budget_kb and size > budget_kb * 1024:
            diags.warning(
                shown,
                0,
                0,
                f"is published at {round(size / 1024)} KB ({path}), over "
                f"budgets.image_kb ({budget_kb} KB): crop it or save it smaller",
            )


def check_unused(seen: Iterable[str], root: Path, diags: Diagnostics) -> None:
    """A picture under ``content/`` that no brief, topic or entity file asks for."""
    content = root / "content"
    used = {str(Path(k).resolve()) for k in seen}
    for path in sorted(_pictures_under(content)):
        if str(path.resolve()) not in used:
            diags.warning(
                _relative(path, root),
                0,
                0,
                "is never used: no brief, topic or entity file shows it (delete it, or link it)",
            )


def _pictures_under(folder: Path) -> Iterator[Path]:
    """Every file under ``folder`` named as a picture (a site of 10,000 briefs has ten
    thousand files there that are not: their names are looked at, nothing more)."""
    for here, _folders, files in os.walk(folder):
        for name in files:
            if os.path.splitext(name)[1].lower() in PICTURE_SUFFIXES:
                path = Path(here, name)
                if path.is_file():
                    yield path


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
