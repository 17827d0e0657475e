"""Encoding: a source decoded once, turned upright by its EXIF orientation, resized to each
width and written in each format with no metadata at all. EXIF (a camera's GPS position,
its serial number, the time), XMP and IPTC never reach the published files; only the colour
profile is kept, so that colours stay as they were. Output bytes depend only on the source,
the settings and the installed Pillow."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefgen.pictures.variants import Job

if TYPE_CHECKING:
    import PIL.Image

# Per format: what Pillow is asked for. One thread keeps the bytes independent of the
# machine and leaves the other cores to the other workers. Measured on 1600-pixel pictures
# (a photograph, a noisy synthetic photograph, a drawn map):
# - AVIF at speed 9 took a quarter to a third of speed 8's time for files 1-4 % larger on
#   photographs (up to 40 % on flat drawings); its quality scale needs a lower number than
#   JPEG's and WebP's for the same look, so it is asked for ``quality - AVIF_LOWER``: at
#   80 - 20 its files were 25-50 % smaller than WebP's on photographs, in about WebP's time.
# - WebP's method 2 is twice as fast as 4 for files about 3 % larger.
AVIF_LOWER = 20
_OPTIONS: dict[str, dict[str, Any]] = {  # Any: Pillow's save options, of their own types
    "avif": {"speed": 9, "max_threads": 1},
    "webp": {"method": 2},
    "jpeg": {"optimize": True, "progressive": True},
    "png": {"optimize": False, "compress_level": 9},
}
_PIL_FORMAT = {"avif": "AVIF", "webp": "WEBP", "jpeg": "JPEG", "png": "PNG"}


def encode_all(source: Path, jobs: Sequence[Job]) -> list[bytes]:
    """The bytes of every job of one source, in order (the source is decoded once)."""
    from PIL import Image, ImageOps

    # The jobs' sizes and every larger size they are made through: a rebuild that needs only
    # the 480-pixel files goes down through the same sizes as a build that makes them all,
    # so that it gives the same bytes (a file's key names that path).
    wanted = {size for job in jobs for size in ((job.width, job.height), *job.larger)}
    with Image.open(source) as opened:
        if opened.format == "JPEG":  # decode at a fraction of the size when that suffices
            widest, tall = max(wanted)
            opened.draft("RGB", _stored(opened, widest, tall))
        opened.load()
        icc = opened.info.get("icc_profile")
        upright = ImageOps.exif_transpose(opened)
    image = _plain(upright)
    # Each size is made from the next larger one, not from the source: a 2400-pixel photo
    # is resampled once at full size instead of once per width (about half the time).
    sizes: dict[tuple[int, int], PIL.Image.Image] = {image.size: image}
    for size in sorted(wanted, reverse=True):
        if size not in sizes:
            larger = min((s for s in sizes if s[0] > size[0]), key=lambda s: s[0])
            sizes[size] = sizes[larger].resize(size, Image.Resampling.LANCZOS)
    return [_save(sizes[(job.width, job.height)], job, icc) for job in jobs]


def _stored(image: PIL.Image.Image, width: int, height: int) -> tuple[int, int]:
    """The size asked of the decoder, in the file's own orientation (before turning)."""
    orientation = image.getexif().get(0x0112)
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def _plain(image: PIL.Image.Image) -> PIL.Image.Image:
    """RGB, or RGBA where the picture has transparency; with an empty ``info``, so that no
    metadata the decoder read can be written back."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    mode = "RGBA" if has_alpha else "RGB"
    plain = image.convert(mode) if image.mode != mode else image.copy()
    plain.info = {}
    return plain


def _save(image: PIL.Image.Image, job: Job, icc: bytes | None) -> bytes:
    target = image
    if job.format == "jpeg" and image.mode == "RGBA":
        target = image.convert("RGB")
    buffer = io.BytesIO()
    options = dict(_OPTIONS[job.format])
    if job.format != "png":
        options["quality"] = (
            max(1, job.quality - AVIF_LOWER) if job.format == "avif" else job.quality
        )
    if icc:
        options["icc_profile"] = icc
    target.save(buffer, _PIL_FORMAT[job.format], **options)
    return buffer.getvalue()
