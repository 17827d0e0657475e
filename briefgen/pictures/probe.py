"""What an image file holds, read from its header: format, size as shown (after the camera's
orientation), transparency, animation, and the digest of its bytes that names it in the
cache. Opening an image reads only its header; nothing is decoded here."""

from __future__ import annotations

import re
import warnings
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

from briefgen.util.hashing import digest

ORIENTATION = 0x0112  # EXIF tag
_TURNED = {5, 6, 7, 8}  # orientations that swap width and height
_LENGTH = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*(px)?\s*\Z")


class PictureError(Exception):
    """The file is not an image this build can read (the message says why)."""


@dataclass(frozen=True)
class Picture:
    digest: str  # of the file's bytes
    format: str  # JPEG, PNG, WEBP, GIF, AVIF, SVG…
    width: int  # as shown, after orientation
    height: int
    alpha: bool = False
    animated: bool = False
    size: int = 0  # bytes

    @property
    def passes_through(self) -> bool:
        """Published as it is: a vector drawing or an animation is not resized."""
        return self.format == "SVG" or self.animated


def probe(path: Path) -> Picture:
    """Raises :class:`PictureError` for a file that is not a readable image."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PictureError(exc.strerror or str(exc)) from None
    if path.suffix.lower() == ".svg":
        width, height = svg_size(data)
        return Picture(digest(data), "SVG", width, height, True, False, len(data))
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                width, height = im.size
                turned = im.format in ("JPEG", "WEBP", "PNG", "TIFF", "AVIF") and (
                    im.getexif().get(ORIENTATION) in _TURNED
                )
                alpha = im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info
                animated = bool(getattr(im, "is_animated", False))
                kind = im.format or "?"
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        ValueError,
        SyntaxError,
    ) as exc:
        raise PictureError(_why(exc)) from None
    if turned:
        width, height = height, width
    return Picture(digest(data), kind, width, height, alpha, animated, len(data))


def _why(exc: BaseException) -> str:
    text = str(exc).split("\n")[0]
    if "cannot identify image file" in text:
        return "not an image format this build reads (JPEG, PNG, WebP, GIF, AVIF, TIFF, SVG)"
    return text or type(exc).__name__


def svg_size(data: bytes) -> tuple[int, int]:
    """The width and height an SVG declares (in pixels), or its viewBox's."""
    try:
        root = next(ElementTree.iterparse(_Reader(data), events=("start",)))[1]
    except (ElementTree.ParseError, StopIteration) as exc:
        raise PictureError(f"not a readable SVG file ({exc})") from None
    if not root.tag.endswith("svg"):
        raise PictureError("not an SVG drawing (its first element is not <svg>)")
    width, height = _length(root.get("width")), _length(root.get("height"))
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if (width is None or height is None) and len(box) == 4:
        try:
            bw, bh = float(box[2]), float(box[3])
        except ValueError:
            bw = bh = 0.0
        if bw > 0 and bh > 0:
            if width is None and height is None:
                width, height = bw, bh
            elif width is None:
                width = height * bw / bh  # type: ignore[operator]
            else:
                height = width * bh / bw
    if not width or not height:
        raise PictureError("an SVG needs width and height in pixels or a viewBox")
    return max(1, round(width)), max(1, round(height))


def _length(value: str | None) -> float | None:
    match = _LENGTH.match(value or "")
    return float(match.group(1)) if match and float(match.group(1)) > 0 else None


class _Reader:
    """The file's bytes as a file object (iterparse stops at the first element)."""

    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.at + size
        chunk, self.at = self.data[self.at : end], end
        return chunk
