"""What a page shares on social media (``og:image``): a brief's lead picture at its widest.
A page with no picture of its own shares what the cards feature draws for it
(``briefgen/features/cards/``), while that feature is on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from briefgen.model.site import Brief


@dataclass(frozen=True)
class Share:
    """The picture a page shares on social media (``og:image``): an absolute address."""

    url: str
    width: int
    height: int
    alt: str
    mime: str = "image/png"


def share_of(brief: Brief | None, base_path: str, permalink: Callable[[str], str]) -> Share | None:
    """The brief's lead picture at its widest, as an absolute address; else None.
    ``base_path`` and ``permalink`` are the site's (``Config.base_path``, ``Config.permalink``)."""
    if brief is not None and brief.picture is not None and brief.image is not None:
        url, width, height = brief.picture.largest
        absolute = _absolute(url, base_path, permalink)
        return Share(absolute, width, height, brief.image.alt, brief.picture.mime)
    return None


def _absolute(url: str, base: str, permalink: Callable[[str], str]) -> str:
    """An address with the base path (``/briefings/media/…``) made absolute."""
    return permalink(url[len(base) :]) if url.startswith(base) else url
