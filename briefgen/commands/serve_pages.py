"""What the preview adds to the site's pages: the live-reload script on every HTML page, the
page that shows a failed build's errors, the notice on a page that shows work left for
later (the search page while its index catches up with the latest save), and the quick page
of a saved brief, shown before the build."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefgen.pipeline.deferred import Deferred
    from briefgen.pipeline.preview import Preview, Previews

EVENTS_PATH = "/__briefgen/events"


# Added to HTML responses only (never to the built files). "hello" carries the number of the
# latest build when the page connects, so a rebuild that finished while it loaded is not missed.
_SCRIPT = (
    "<script>/* briefgen serve: reload this page when the site is rebuilt */"
    '(function () {{ var built = "{build}";'
    ' var events = new EventSource("' + EVENTS_PATH + '");'
    ' events.addEventListener("hello", function (e) {{ if (e.data !== built) location.reload(); }});'
    ' events.addEventListener("reload", function () {{ location.reload(); }}); }})();</script>'
)

_ERROR_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="color-scheme" content="light dark">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build failed · briefgen serve</title>
<style>body {{ font: 1rem/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto;
padding: 0 1rem; }} pre {{ white-space: pre-wrap; padding: 1rem; border-left: 4px solid #b00020; }}
</style></head><body>
<h1>The site did not build</h1>
<p>{summary}. Fix the files below and save: this page reloads by itself.</p>
<pre>{lines}</pre>
{script}
</body></html>
"""


@dataclass(frozen=True)
class Status:
    """The latest build: its number (from 1) and, when it failed, its diagnostics as text."""

    build: int = 0
    failed: bool = False
    errors: tuple[str, ...] = ()  # formatted diagnostics, `path:line:col: error: message`
    summary: str = ""  # `2 errors, 0 warnings`


def inject(page: bytes, build: int) -> bytes:
    """``page`` with the live-reload script before its last ``</body>`` (or at the end)."""
    script = _SCRIPT.format(build=build).encode()
    at = page.lower().rfind(b"</body>")
    return page + script if at < 0 else page[:at] + script + page[at:]


# Shown on a page while the work it shows (``work`` of the plugin ``name``: the search index)
# catches up with the latest save; the page reloads when the work is done.
_BEHIND = (
    '<p class="{name}-updating" role="status">The {work} is being updated with your'
    " latest changes; this page reloads when it is ready.</p>"
    "<script>/* briefgen serve: reload this page when the work it shows is done */"
    ' new EventSource("' + EVENTS_PATH + '").addEventListener("caught-up",'
    " function () {{ location.reload(); }});</script>"
)


def behind(deferred: Deferred, page: str) -> tuple[str, str] | None:
    """(plugin, work) of the work left for later that ``page`` shows, if any."""
    return next(((n, later.work) for n, later in deferred if page in later.pages), None)


def described(deferred: Deferred) -> str:
    """The work left for later, in a few words: ``search index``."""
    return " and ".join(later.work for _, later in deferred)


def behind_notice(page: bytes, name: str, work: str) -> bytes:
    """``page`` with a notice that the ``work`` of the plugin ``name`` it shows is behind,
    first in its main content."""
    notice = _BEHIND.format(name=html.escape(name), work=html.escape(work)).encode()
    at = page.lower().find(b"<main")
    end = page.find(b">", at) + 1 if at >= 0 else 0
    return page + notice if end <= 0 else page[:end] + notice + page[end:]


def error_page(status: Status) -> bytes:
    lines = "\n".join(html.escape(line, quote=False) for line in status.errors)
    text = _ERROR_PAGE.format(
        summary=html.escape(status.summary.capitalize(), quote=False),
        lines=lines,
        script=_SCRIPT.format(build=status.build),
    )
    return text.encode()


def quick_page(
    preview: Preview | Previews | None, root: Path, changes: set[str] | None
) -> tuple[str, bytes] | None:
    """The quick page (see :mod:`briefgen.pipeline.preview`) when the save changed one
    published brief of the site at ``root``: the output file and its bytes."""
    if preview is None or not changes or len(changes) != 1:
        return None
    path = Path(next(iter(changes)))
    if not path.is_relative_to(root):
        return None
    return preview.page(path.relative_to(root).as_posix())
