"""The files a picture is published in: every configured width up to its own (never wider
than the source), in each modern format the installed Pillow can write, and in a fallback
format every browser shows (JPEG for photographs, PNG for pictures with transparency or
drawn as PNG). Names are stable and readable: ``media/briefs/img/map-png-800w.webp``."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from briefgen.model.pictures import Shown, Srcset
from briefgen.pictures.probe import Picture
from briefgen.util.hashing import digest

ENCODER = 2  # raised when encoding changes: every cached file is made again
MIME = {
    "avif": "image/avif",
    "webp": "image/webp",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "svg": "image/svg+xml",
}
EXTENSION = {"avif": "avif", "webp": "webp", "jpeg": "jpg", "png": "png"}
MODERN = ("avif", "webp")
DEFAULT_WIDTH = 800  # the fallback ``src``: the narrowest file at least this wide


@dataclass(frozen=True)
class Found:
    """A local picture a build publishes: its file, what it holds, and where it goes (the
    assets of the render stage find it; the desk's checks on pictures read it)."""

    source: Path
    picture: Picture
    out: str  # its path under the output folder, before the width and format


@dataclass(frozen=True)
class Job:
    """One file to encode: ``source`` at ``width`` pixels in ``format``."""

    path: str  # in the output folder
    source: Path
    source_digest: str
    width: int
    height: int
    format: str  # avif, webp, jpeg, png
    quality: int
    larger: tuple[tuple[int, int], ...] = ()  # the sizes it is resized through, widest first

    @property
    def key(self) -> str:
        """Names the file's bytes: the source's, the settings' and the encoder's, and the
        larger sizes the picture goes through on its way down to this one (at widths 480
        and 800 the 480-pixel file is made from the 800-pixel one; at 480 and 900 it is not
        the same file)."""
        made_of = (self.source_digest, self.width, self.height, self.format, self.quality)
        return digest(repr((ENCODER, pillow_version(), *made_of, self.larger)))


@lru_cache(maxsize=1)
def pillow_version() -> str:
    from PIL import __version__, features

    return f"{__version__} {features.version('webp')} {features.version('avif')}"


@lru_cache(maxsize=8)
def writable(formats: tuple[str, ...]) -> tuple[str, ...]:
    """The modern formats of ``formats`` the installed Pillow can write, best first."""
    from PIL import features

    return tuple(f for f in MODERN if f in formats and features.check(f))


def widths_for(own: int, widths: tuple[int, ...]) -> tuple[int, ...]:
    """The configured widths narrower than the picture, and its own width when that is
    within the largest configured one: a picture is never made wider than it is."""
    out = sorted({w for w in widths if w < own})
    if not out or own <= max(widths):
        out.append(own)
    return tuple(out)


def fallback_format(picture: Picture) -> str:
    if picture.format == "JPEG" or (picture.format not in ("PNG", "GIF") and not picture.alpha):
        return "jpeg"
    return "png"


def stem(out: str) -> str:
    """``media/img/map.png`` → ``media/img/map-png``: two sources differing only in their
    extension never share a published name."""
    folder, name = posixpath.split(out)
    base, dot, ext = name.rpartition(".")
    return posixpath.join(folder, f"{base}-{ext.lower()}" if dot and base else name)


def plan(
    picture: Picture,
    source: Path,
    out: str,
    widths: tuple[int, ...],
    formats: tuple[str, ...],
    quality: int,
    url: Callable[[str], str],
) -> tuple[Shown, list[Job]]:
    """How a picture found at ``source`` (published under ``out``) is shown, and the files
    to encode for it."""
    base, jobs = stem(out), []
    fallback = fallback_format(picture)
    sizes = [
        (width, max(1, round(picture.height * width / picture.width)))
        for width in widths_for(picture.width, widths)
    ]
    sets = []
    for fmt in (*writable(formats), fallback):
        files = []
        for width, height in sizes:
            path = f"{base}-{width}w.{EXTENSION[fmt]}"
            larger = tuple(size for size in reversed(sizes) if size[0] > width)
            jobs.append(Job(path, source, picture.digest, width, height, fmt, quality, larger))
            files.append((url(path), width, height))
        sets.append(Srcset(MIME[fmt], tuple(files)))
    default = next((f for f in sets[-1].files if f[1] >= DEFAULT_WIDTH), sets[-1].files[-1])
    shown = Shown(*default, tuple(sets[:-1]), sets[-1], MIME[fallback])
    return shown, jobs


def as_is(picture: Picture, address: str) -> Shown:
    """A picture published as it is (SVG, animation): its own size, one file."""
    mime = MIME.get(picture.format.lower(), "")
    return Shown(address, picture.width, picture.height, (), None, mime)
