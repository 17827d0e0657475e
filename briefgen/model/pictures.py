"""Pictures as pages show them: the files a picture is published in, at which widths and in
which formats, and its intrinsic size (so that a page reserves its space before it loads).
Frozen values, no I/O: :mod:`briefgen.pictures` makes them, and every module outside the model takes
them from there. They are defined here, below that package, because a :class:`Brief`
carries its lead picture as one (``Brief.picture``) and the model imports nothing above it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Srcset:
    """One format of a picture at every width it is published at, narrowest first."""

    mime: str  # image/webp
    # (address, width, height): the published file's own size in pixels, never recomputed
    # from another width, so that a size written anywhere is the size of the file it names
    files: tuple[tuple[str, int, int], ...]

    def attribute(self) -> str:
        return ", ".join(f"{url} {width}w" for url, width, _ in self.files)


@dataclass(frozen=True)
class Shown:
    """A local picture as a page shows it: ``src`` (the fallback at its default width) with
    its ``width`` and ``height``, the modern formats in ``sources`` (best first) and the
    fallback format's widths in ``fallback``. A picture published as it is (an SVG, an
    animated GIF) has no sources and no fallback set."""

    src: str
    width: int
    height: int
    sources: tuple[Srcset, ...] = ()
    fallback: Srcset | None = None
    mime: str = ""  # of ``src``

    @property
    def largest(self) -> tuple[str, int, int]:
        """The widest fallback file (address, width, height): what a social card shows."""
        if self.fallback is None or not self.fallback.files:
            return self.src, self.width, self.height
        return self.fallback.files[-1]
