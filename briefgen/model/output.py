"""A file of the built site before it is written: what the render stage hands the writer; and
a page before it is rendered, as the plan gives it (every stage after it may add to a page's
context: plugins, and the languages a page is in)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen.model.dates import Timestamp
from briefgen.model.urls import output_file


@dataclass(frozen=True)
class Output:
    """One file of the built site: rendered bytes, or a static file to copy."""

    path: str  # relative to the output folder, forward slashes
    data: bytes | None = None
    source: Path | None = None
    digest: str = ""  # names the bytes when known without reading them (an encoded picture)


@dataclass(frozen=True)
class PageJob:
    """One page to render: its template, its own description and what the template gets."""

    template: str
    kind: str
    title: str
    description: str
    path: str
    lastmod: Timestamp | None
    context: dict[str, Any]  # Any: what the template gets, of every type
    prefix: str = ""  # its language's folder, on a site with several languages

    @property
    def file(self) -> str:
        return output_file(self.prefix + self.path)
