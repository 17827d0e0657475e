"""The ``images:`` settings of ``site.yaml``: the widths pictures are published at, the
modern formats they are converted to, the encoders' quality, and the ``sizes`` attribute
that tells browsers how wide a picture in a brief's column is shown."""

from __future__ import annotations

from typing import Any

from briefgen.config.schema import SettingsChecker
from briefgen.config.values import ImagesConfig
from briefgen.util.quoting import quoted

FORMATS = ("avif", "webp")
KEYS = {"widths", "formats", "quality", "sizes"}
_MAX_WIDTH = 10000


def check_images(
    check: SettingsChecker,
    section: dict[Any, Any],  # Any: values as site.yaml gives them
) -> ImagesConfig:
    at = ("images",)
    default = ImagesConfig()
    widths = _widths(check, section.get("widths"), default.widths)
    formats = _formats(check, section.get("formats"), default.formats)
    quality = check.positive_int(section, "quality", default.quality, at)
    if quality > 100:
        check._error(at + ("quality",), f"'quality' must be between 1 and 100, not {quality}")
        quality = default.quality
    sizes = check.text(section, "sizes", default.sizes, at=at)
    return ImagesConfig(widths, formats, quality, sizes)


def _widths(
    check: SettingsChecker,
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
        check._error(
            ("images", "widths"),
            "'widths' must be a list of widths in pixels "
            f"(1 to {_MAX_WIDTH}), e.g. [480, 800, 1200, 1600], not {quoted(raw)}",
        )
        return default
    return tuple(sorted(set(raw)))


def _formats(
    check: SettingsChecker,
    raw: Any,  # Any: values as site.yaml gives them
    default: tuple[str, ...],
) -> tuple[str, ...]:
    if raw is None:
        return default
    if not isinstance(raw, list) or any(f not in FORMATS for f in raw):
        check._error(
            ("images", "formats"),
            "'formats' must list modern formats among "
            f"{', '.join(FORMATS)} (or be []), not {quoted(raw)}",
        )
        return default
    return tuple(f for f in FORMATS if f in raw)
