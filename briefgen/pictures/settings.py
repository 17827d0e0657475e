"""The ``images:`` settings of ``site.yaml``: the widths pictures are published at, the
modern formats they are converted to, the encoders' quality, and the ``sizes`` attribute
that tells browsers how wide a picture in a brief's column is shown. The values, and the
checks on the mapping ``site.yaml`` gives, which reading the configuration calls."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from briefgen.util.quoting import quoted

FORMATS = ("avif", "webp")
IMAGE_KEYS = {"widths", "formats", "quality", "sizes"}
_MAX_WIDTH = 10000


@dataclass(frozen=True)
class ImagesConfig:
    """How local pictures are published."""

    widths: tuple[int, ...] = (480, 800, 1200, 1600)  # never wider than the source
    formats: tuple[str, ...] = ("avif", "webp")  # beside a JPEG or PNG fallback
    quality: int = 80  # of the lossy encoders, 1 to 100
    # how wide a picture in a brief's column is shown: the text measure, or the screen
    sizes: str = "(min-width: 40rem) 37rem, calc(100vw - 2.5rem)"


class Checker(Protocol):
    """What these checks ask of the configuration's checker (``SettingsChecker``, which
    ranks above this package): the common checks, and an error at a setting's line. ``at``
    and ``path`` are the keys leading to the setting in ``site.yaml``."""

    def positive_int(self, data: dict, key: str, default: int, at: tuple = ()) -> int: ...

    def text(
        self, data: dict, key: str, default: str = "", required: bool = False, at: tuple = ()
    ) -> str: ...

    def error(self, path: tuple[Any, ...], message: str) -> None: ...  # Any: YAML keys


def check_images(
    check: Checker,
    section: dict[Any, Any],  # Any: values as site.yaml gives them
) -> ImagesConfig:
    """The ``images:`` mapping checked, each problem reported at its key; a value that is
    not usable leaves its default."""
    at = ("images",)
    default = ImagesConfig()
    widths = _widths(check, section.get("widths"), default.widths)
    formats = _formats(check, section.get("formats"), default.formats)
    quality = check.positive_int(section, "quality", default.quality, at)
    if quality > 100:
        check.error(at + ("quality",), f"'quality' must be between 1 and 100, not {quality}")
        quality = default.quality
    sizes = check.text(section, "sizes", default.sizes, at=at)
    return ImagesConfig(widths, formats, quality, sizes)


def _widths(
    check: Checker,
    raw: Any,  # Any: values as site.yaml gives them
    default: tuple[int, ...],
) -> tuple[int, ...]:
    if raw is None:
        return default
    ok = (
        isinstance(raw, list)
        and raw
        and all(isinstance(w, int) and not isinstance(w, bool) and 0 < w <= _MAX_WIDTH for w in raw)
    )
    if not ok:
        check.error(
            ("images", "widths"),
            "'widths' must be a list of widths in pixels "
            f"(1 to {_MAX_WIDTH}), e.g. [480, 800, 1200, 1600], not {quoted(raw)}",
        )
        return default
    return tuple(sorted(set(raw)))


def _formats(
    check: Checker,
    raw: Any,  # Any: values as site.yaml gives them
    default: tuple[str, ...],
) -> tuple[str, ...]:
    if raw is None:
        return default
    if not isinstance(raw, list) or any(f not in FORMATS for f in raw):
        check.error(
            ("images", "formats"),
            "'formats' must list modern formats among "
            f"{', '.join(FORMATS)} (or be []), not {quoted(raw)}",
        )
        return default
    return tuple(f for f in FORMATS if f in raw)
