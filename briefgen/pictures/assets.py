"""Pictures referenced from briefs: where each ``src`` points, whether the file exists and
is an image, how pages show it (:class:`~briefgen.model.pictures.Shown`), and which files
the build must encode or copy for it."""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from briefgen.model.output import Output
from briefgen.model.pictures import Shown
from briefgen.model.urls import is_within
from briefgen.pictures.probe import Picture, PictureError, probe
from briefgen.pictures.settings import ImagesConfig
from briefgen.pictures.variants import Found, Job, as_is, plan
from briefgen.plugins.shortcodes import LocalFile

MEDIA_DIR = "media/"


@dataclass(frozen=True)
class Unreadable:
    """The answer for a file that exists but is not an image the build can read."""

    reason: str


# an image's src and the file it is written in → an address to leave as it is, how a local
# picture is shown, why it cannot be, or None: no such file (what :meth:`Assets.resolve` is)
ImageResolver = Callable[[str, str], "str | Shown | Unreadable | None"]


class Assets:
    """Resolves image sources for the Markdown renderer and lead images, and remembers
    what must be encoded or copied.

    - ``https://…``, ``data:…`` and other URLs with a scheme are left as they are.
    - ``/static/x.png`` names a file of the theme's or the site's ``static/``; it is
      published under ``/media/static/``.
    - A relative path is a file next to the brief (``img/map.png``), anywhere under
      ``content/``; it is published under ``/media/<path under content/>``.

    Raster pictures are published at several widths and formats (see
    :mod:`briefgen.pictures.variants`); SVG drawings and animations as they are. ``probes``
    maps a file to (its size and times, what it holds), kept between builds, so that an
    unchanged picture is not read again.
    """

    def __init__(
        self,
        root: Path,
        static_dirs: tuple[Path, ...],
        url: Callable[[str], str],
        images: ImagesConfig | None = None,
        probes: dict[str, tuple] | None = None,
    ) -> None:
        self.root = root
        self.content = root / "content"
        self.static_dirs = static_dirs
        self.url = url  # site path → address with the base path (Config.url)
        self.images = images or ImagesConfig()
        self.probes: dict[str, tuple] = probes if probes is not None else {}
        self.copies: dict[str, Path] = {}  # output path → source file, published as it is
        self.jobs: dict[str, Job] = {}  # output path → what to encode
        self.found: dict[str, Found] = {}  # source file → the picture, for the checks
        self.seen: set[str] = set()  # every source file asked for, readable or not

    def resolve(self, src: str, from_path: str) -> str | Shown | Unreadable | None:
        """The answer for ``src`` written in the file ``from_path``: an address to leave
        as it is, how a local picture is shown, why it cannot be, or None: no such file."""
        found = self._locate(src, from_path)
        if found is None or isinstance(found, str):
            return found
        return self.publish(*found)

    def file(self, src: str, from_path: str) -> LocalFile | str | None:
        """A file a shortcode names (a video, its captions, a PDF), by the same rules as a
        picture's ``src``, published as it is: an address to leave as it is, or None."""
        found = self._locate(src, from_path)
        if found is None or isinstance(found, str):
            return found
        source, out = found
        self.seen.add(str(source))  # a poster or a drawing a shortcode names is used
        self.copies[out] = source
        stat = source.stat()
        rel = source.relative_to(self.root.resolve()).as_posix()
        return LocalFile(self.url(out), rel, stat.st_size, stat.st_mtime_ns)

    def _locate(self, src: str, from_path: str) -> tuple[Path, str] | str | None:
        """The file ``src`` names and where it is published, ``src`` itself when it is an
        address, or None: no such file."""
        parts = urlsplit(src)
        if parts.scheme or parts.netloc or not parts.path:
            return src
        path = unquote(parts.path)
        if path.startswith("/"):
            rel = posixpath.normpath(path).lstrip("/")
            if not rel.startswith("static/"):
                return None
            inner = rel[len("static/") :]
            for folder in reversed(self.static_dirs):  # the site's own file wins
                candidate = folder / inner
                if candidate.is_file() and is_within(candidate, folder):
                    return candidate, MEDIA_DIR + rel
            return None
        source = (self.root / posixpath.dirname(from_path) / path).resolve()
        if not source.is_file() or not is_within(source, self.content):
            return None
        return source, MEDIA_DIR + source.relative_to(self.content.resolve()).as_posix()

    def publish(self, source: Path, out: str) -> Shown | Unreadable:
        self.seen.add(str(source))
        try:
            picture = self._probe(source)
        except PictureError as exc:
            return Unreadable(str(exc))
        self.found[str(source)] = Found(source, picture, out)
        if picture.passes_through:
            self.copies[out] = source
            shown = as_is(picture, self.url(out))
        else:
            images = self.images
            shown, jobs = plan(
                picture, source, out, images.widths, images.formats, images.quality, self.url
            )
            self.jobs.update((job.path, job) for job in jobs)
        return shown

    def _probe(self, source: Path) -> Picture:
        st = os.stat(source)
        stamp = (st.st_size, st.st_mtime_ns, st.st_ino)
        known = self.probes.get(str(source))
        if known is not None and known[0] == stamp:
            return known[1]
        picture = probe(source)
        self.probes[str(source)] = (stamp, picture)
        return picture

    def probes_kept(self) -> dict[str, tuple]:
        """What each picture this build publishes holds, by its file: ``probes`` for the
        next build (a file no brief names any more is forgotten)."""
        return {k: v for k, v in self.probes.items() if k in self.found}

    def outputs(self) -> list[Output]:
        """The files published as they are (the encoded ones come from the build's
        pictures stage)."""
        return [Output(path, source=source) for path, source in sorted(self.copies.items())]
