"""Images referenced from briefs: where each ``src`` points, whether the file exists, and
which content files must be copied into the output."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from briefgen.model.output import Output
from briefgen.model.urls import is_within

MEDIA_DIR = "media/"


class Assets:
    """Resolves image sources for the Markdown renderer and remembers what it must copy.

    - ``https://…``, ``data:…`` and other URLs with a scheme are left as they are.
    - ``/static/x.png`` names a file of the theme's or the site's ``static/``; the base path
      is prepended so the image works under a subpath.
    - A relative path is a file next to the brief (``img/map.png``), anywhere under
      ``content/``; it is copied to ``/media/<path under content/>``.
    """

    def __init__(
        self, root: Path, static_dirs: tuple[Path, ...], url: Callable[[str], str]
    ) -> None:
        self.root = root
        self.content = root / "content"
        self.static_dirs = static_dirs
        self.url = url  # site path → address with the base path (Config.url)
        self.copies: dict[str, Path] = {}  # output path → source file

    def resolve(self, src: str, from_path: str) -> str | None:
        parts = urlsplit(src)
        if parts.scheme or parts.netloc or not parts.path:
            return src
        path = unquote(parts.path)
        if path.startswith("/"):
            rel = posixpath.normpath(path).lstrip("/")
            if not rel.startswith("static/"):
                return None
            inner = rel[len("static/") :]
            for folder in self.static_dirs:
                candidate = folder / inner
                if candidate.is_file() and is_within(candidate, folder):
                    return self.url(rel)
            return None
        source = (self.root / posixpath.dirname(from_path) / path).resolve()
        if not source.is_file() or not is_within(source, self.content):
            return None
        out = MEDIA_DIR + source.relative_to(self.content.resolve()).as_posix()
        self.copies[out] = source
        return self.url(out)

    def outputs(self) -> list[Output]:
        return [Output(path, source=source) for path, source in sorted(self.copies.items())]
