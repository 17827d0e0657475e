"""A file of the built site before it is written: what the render stage hands the writer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Output:
    """One file of the built site: rendered bytes, or a static file to copy."""

    path: str  # relative to the output folder, forward slashes
    data: bytes | None = None
    source: Path | None = None
    digest: str = ""  # names the bytes when known without reading them (an encoded picture)
