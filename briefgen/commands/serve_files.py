"""What the preview serves for a request path: a file inside the output folder and nothing
outside it (decoded once, no ``..``, symlinks resolved), a redirect for a folder without its
slash, or not found; and the content type each file is sent with."""

from __future__ import annotations

import mimetypes
import os
from dataclasses import dataclass
from urllib.parse import unquote

# Explicit types for what a site holds; mimetypes (which reads the system's tables) for the rest.
_TYPES = {
    **dict.fromkeys((".html", ".htm"), "text/html; charset=utf-8"),
    **dict.fromkeys((".js", ".mjs"), "text/javascript; charset=utf-8"),
    ".css": "text/css; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".wasm": "application/wasm",
    **dict.fromkeys(
        (".pagefind", ".pf_meta", ".pf_index", ".pf_filter", ".pf_fragment"),
        "application/octet-stream",
    ),
}

HTML_TYPE = _TYPES[".html"]


@dataclass(frozen=True)
class Found:
    """Where a request path leads: a file (200), a redirect (301), 400 or 404 (with the
    file it would be, when inside the folder)."""

    status: int
    file: str = ""
    location: str = ""
    page: bool = False  # the path names an HTML page (a folder, .html or no extension)


def resolve(root: str, target: str) -> Found:
    """Map a request target to a file inside ``root`` (a realpath), refusing anything else.

    The path is decoded once; a NUL or a backslash is a bad request (400) and an empty, ``.``
    or ``..`` segment is not found (404), so ``//host/x`` and ``%2e%2e`` never reach the file
    system. What remains is resolved with symlinks and must still be inside ``root``.
    """
    raw, _, query = target.partition("#")[0].partition("?")
    if not raw.startswith("/"):
        return Found(400)
    path = unquote(raw)
    if "\x00" in path or "\\" in path:
        return Found(400)
    names = path.split("/")[1:]
    if names[-1] == "":
        names.pop()
    if any(n in ("", ".", "..") or os.path.splitdrive(n)[0] for n in names):
        return Found(404)  # no file of the site has such a name: not found, like any other
    last = names[-1] if names else ""
    page = path.endswith("/") or last.endswith((".html", ".htm")) or "." not in last
    full = os.path.realpath(os.path.join(root, *names))
    if os.path.isdir(full) and _inside(root, full):
        if not path.endswith("/"):
            return Found(301, location=raw + "/" + (f"?{query}" if query else ""), page=page)
        full = os.path.realpath(os.path.join(full, "index.html"))
    if not _inside(root, full):
        return Found(404, page=page)
    # a missing file is named all the same: the preview may serve it from memory
    return Found(200 if os.path.isfile(full) else 404, file=full, page=page)


def _inside(root: str, path: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def content_type(path: str) -> str:
    ext = os.path.splitext(path)[1].lower()
    if ext in _TYPES:
        return _TYPES[ext]
    guessed = mimetypes.guess_type(path)[0] or "application/octet-stream"
    return f"{guessed}; charset=utf-8" if guessed.startswith("text/") else guessed


def read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None
