"""Slugs, output paths and URLs: every rule for naming a page lives here."""

from __future__ import annotations

import posixpath
import re
import unicodedata
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A slug is one folder name of the output (``briefs/<slug>/``); file systems allow 255 bytes
# for one. Slugs are cut only near that limit, never where ordinary long titles would
# collide, and a cut slug that collides says so (see ``slug_was_shortened``).
MAX_SLUG = 200
_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}[-_ ]+")
# letters that Unicode does not decompose into a base letter plus accents
_EXTRA = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "þ": "th",
        "Þ": "th",
        "ł": "l",
        "Ł": "l",
        "ı": "i",
        "&": " and ",
    }
)
# folder names Windows refuses, whatever the extension
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{i}" for p in ("com", "lpt") for i in range(10)}


def slugify(text: str, max_length: int = MAX_SLUG) -> str:
    """``Querétaro Raids`` → ``queretaro-raids``: ASCII letters, digits and single hyphens.

    Accents are transliterated, everything else becomes a separator. The result may be empty
    when the text has no letters or digits at all; callers decide what that means.
    """
    text = (
        unicodedata.normalize("NFKD", text.translate(_EXTRA)).replace("'", "").replace("\u2019", "")
    )
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(slug) > max_length:
        cut = slug[:max_length]
        # keep whole words: drop the last one unless the cut falls exactly at its end
        if slug[max_length] != "-" and "-" in cut:
            cut = cut.rsplit("-", 1)[0]
        slug = cut.rstrip("-")
    if slug in _RESERVED:
        slug += "-page"
    return slug


def slug_from_filename(stem: str) -> str:
    """A brief's default slug: the file name without a leading ``YYYY-MM-DD-``."""
    return slugify(_DATE_PREFIX.sub("", stem))


def slug_was_shortened(stem: str) -> bool:
    """Whether the slug made from file name ``stem`` was cut to ``MAX_SLUG`` characters."""
    return len(slugify(_DATE_PREFIX.sub("", stem), max_length=10**6)) > MAX_SLUG


def is_slug(text: str) -> bool:
    return bool(SLUG_RE.match(text)) and len(text) <= MAX_SLUG


def brief_path(slug: str) -> str:
    return f"briefs/{slug}/"


def topic_path(slug: str, page: int = 1) -> str:
    return f"topics/{slug}/" if page == 1 else f"topics/{slug}/page/{page}/"


def entity_path(kind: str, slug: str = "") -> str:
    """``people/``, ``people/<slug>/`` (and the same for organizations and places)."""
    return f"{kind}/{slug}/" if slug else f"{kind}/"


def story_path(slug: str) -> str:
    return f"stories/{slug}/"


TOPICS_PATH = "topics/"
ARCHIVE_PATH = "archive/"
TIMELINE_PATH = "timeline/"
CORRECTIONS_PATH = "corrections/"
HOME_PATH = ""
NOT_FOUND_FILE = "404.html"


def output_file(page_path: str) -> str:
    """The file that serves a page: ``briefs/x/`` → ``briefs/x/index.html``."""
    if page_path == "" or page_path.endswith("/"):
        return page_path + "index.html"
    return page_path


def safe_relpath(path: str) -> str:
    """Check that ``path`` stays inside the output folder; return it normalised.

    Raises ValueError for absolute paths, ``..`` segments, backslashes and NUL bytes.
    """
    if not path or "\x00" in path or "\\" in path or path.startswith("/"):
        raise ValueError(f"unsafe output path {path!r}")
    norm = posixpath.normpath(path)
    if norm == ".." or norm.startswith("../") or PurePosixPath(norm).is_absolute():
        raise ValueError(f"unsafe output path {path!r}")
    if any(part in ("..", "") for part in PurePosixPath(norm).parts):
        raise ValueError(f"unsafe output path {path!r}")
    return norm


def base_path_of(base_url: str) -> str:
    """The path part of ``base_url``, always starting and ending with ``/``."""
    path = urlsplit(base_url).path or "/"
    if not path.endswith("/"):
        path += "/"
    return path


def join_url(base: str, path: str) -> str:
    """Append a site-relative path to ``base`` (a base path or an absolute base URL)."""
    return base + path.lstrip("/")


def is_within(child: Path, parent: Path) -> bool:
    try:
        child.resolve().relative_to(parent.resolve())
    except ValueError:
        return False
    return True
