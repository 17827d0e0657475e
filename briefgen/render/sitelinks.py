"""Links into the site by URL: ``/briefings/topics/x/`` or ``https://example.org/briefings/x/``
in a body must lead to a file the build writes.

A ``.md`` link is resolved while the body is rendered; a link by URL can only be checked
once every page is planned, so bodies keep such links (:class:`briefgen.model.rendered.SiteLink`)
and this module checks them against the list of output files. A path that matches no file
is a warning (an error with ``--strict``) with the closest page as a suggestion; so is a
root-relative link outside the site's base path, which on a host serving the site under a
subpath leads to another site or to nothing. Relative links by URL (``../x/``) are not
checked: what they resolve against depends on the page that shows the body.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from urllib.parse import unquote, urlsplit

from briefgen.config.values import Config
from briefgen.model.diagnostics import Diagnostics
from briefgen.model.rendered import RenderedBody, SiteLink

SUGGESTED = 20  # did-you-mean costs a scan of every page: only for the first dead links


def check_body_links(
    rendered: Mapping[str, RenderedBody],
    files: Iterable[str],
    config: Config,
    generated: tuple[str, ...],
    diags: Diagnostics,
) -> None:
    """Check the site links of every rendered body (by content path) against the output
    files of this build and the folders ``generated`` after it (see :func:`check_site_links`)."""
    links = {path: r.site_links for path, r in rendered.items() if r.site_links}
    check_site_links(links, files, config.base_path, generated, diags)


def check_site_links(
    links: Mapping[str, tuple[SiteLink, ...]],
    files: Iterable[str],
    base_path: str,
    generated: tuple[str, ...],
    diags: Diagnostics,
) -> None:
    """Report every link of ``links`` (content path → its site links) that no file of
    ``files`` (output paths) answers. ``generated`` are folders whose files are made after
    this check (the search index's): links into them are taken as good."""
    outputs = set(files)
    pages: list[str] | None = None
    suggested = 0
    for path in sorted(links):
        for link in links[path]:
            target = unquote(urlsplit(link.href).path)
            if not target.startswith(base_path):
                diags.warning(
                    path,
                    link.line,
                    link.col,
                    f"link {link.href!r} is outside the site's base path {base_path!r}; "
                    "it leads to no page of this site",
                    kind="dead-link",
                )
                continue
            rel = target[len(base_path) :]
            if _answered(rel, outputs) or rel.startswith(generated):
                continue
            hint = ""
            if suggested < SUGGESTED:
                suggested += 1
                if pages is None:
                    pages = sorted(_page_url(f) for f in outputs if f.endswith(".html"))
                close = difflib.get_close_matches(rel, pages, n=1, cutoff=0.6)
                hint = f"; did you mean {base_path + close[0]!r}?" if close else ""
            diags.warning(
                path,
                link.line,
                link.col,
                f"link {link.href!r} leads to no page of the site{hint}",
                kind="dead-link",
            )


def _answered(rel: str, outputs: set[str]) -> bool:
    """Whether a static host serves a file of ``outputs`` for the path ``rel``: the file
    itself, a folder's ``index.html``, or (as servers redirect) ``rel/index.html``."""
    if rel == "" or rel.endswith("/"):
        return rel + "index.html" in outputs
    return rel in outputs or rel + "/index.html" in outputs


def _page_url(file: str) -> str:
    return file[: -len("index.html")] if file.endswith("index.html") else file
