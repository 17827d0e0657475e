"""The search feature: full-text search that needs no server, a Pagefind index of the briefs
and the ``/search/`` page that queries it in the browser, in every language's edition.
``search: {enabled: false}`` in ``site.yaml`` turns it off for a site; the theme shows the
search box and marks what the index holds only where ``search`` is defined.

The index is made once the pages are rendered, in partitions that a rebuild indexes again
only when their pages changed (:mod:`~briefgen.features.search.pagefind`); the state of the
partitions is kept in the build's cache. ``serve``'s builds leave it for later, and it
catches up with the pages in the background."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from briefgen.config.values import Config
from briefgen.features.search.indexing import index_all, kept_index
from briefgen.features.search.pagefind import BUNDLE_DIR, MARKER, SEARCH_PATH, SearchIndex
from briefgen.model.site import Site
from briefgen.model.urls import output_file
from briefgen.plugins import Added, Later, Page, PageWork, Rendered, Staging, hookimpl
from briefgen.render.listings import latest_change

if TYPE_CHECKING:
    from briefgen.render.i18n import Strings

__all__ = ["Search"]


class Search:
    @hookimpl
    def briefgen_pages(self, site: Site, config: Config, strings: Strings) -> list[Page]:
        if not config.search.enabled:
            return []
        title = strings.text("page.search")
        about = strings.text("about.search", site=config.title)
        return [Page("search.html", SEARCH_PATH, title, about, latest_change(site.briefs))]

    @hookimpl
    def briefgen_page_work(self, config: Config) -> PageWork | None:
        """Pages that carry the marker are the index's; its folder is filled once the
        pages are rendered."""
        if not config.search.enabled:
            return None
        return PageWork(marks=(MARKER,), folders=(f"{BUNDLE_DIR}/",))

    @hookimpl
    def briefgen_template_globals(self, config: Config) -> dict[str, Any]:  # Any: any kind
        """``search.page`` and ``search.bundle``: the search page and the folder of the
        index, for the theme's search box and the page's script."""
        if not config.search.enabled:
            return {}
        return {"search": {"page": SEARCH_PATH, "bundle": f"{BUNDLE_DIR}/"}}

    @hookimpl
    def briefgen_rendered(
        self,
        pages: Sequence[Rendered],
        config: Config,
        folder: Staging,
        state: SearchIndex | None,
        later: bool,
        workers: int,
    ) -> Added | None:
        """The partitions whose pages changed indexed again, or, left for later, the index
        kept as it is (a first build indexes at once: there is no index to keep)."""
        if not config.search.enabled:
            return None
        if later and state is not None:
            return Added(tuple(kept_index(folder)), state, Later("search index", _pages(config)))
        found, files = index_all(folder, pages, state, config, workers)
        return Added(tuple(files), found)


def _pages(config: Config) -> tuple[str, ...]:
    """The search page of every edition: what shows the index."""
    prefixes = [lang.prefix for lang in config.languages] or [""]
    return tuple(output_file(prefix + SEARCH_PATH) for prefix in prefixes)
