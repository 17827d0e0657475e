"""What a page shares on social media (``og:image``): a brief's lead picture at its widest.
A page with no picture of its own shares what the cards feature draws for it
(``briefgen/features/cards/``), while that feature is on."""

from __future__ import annotations

from briefgen.config.values import Config
from briefgen.model.pictures import Share
from briefgen.model.site import Brief


def share_of(brief: Brief | None, config: Config) -> Share | None:
    """The brief's lead picture at its widest, as an absolute address; else None."""
    if brief is not None and brief.picture is not None and brief.image is not None:
        url, width, height = brief.picture.largest
        return Share(_absolute(url, config), width, height, brief.image.alt, brief.picture.mime)
    return None


def _absolute(url: str, config: Config) -> str:
    """An address with the base path (``/briefings/media/…``) made absolute."""
    base = config.base_path
    return config.permalink(url[len(base) :]) if url.startswith(base) else url
