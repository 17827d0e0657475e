"""The search feature: full-text search that needs no server, a Pagefind index of the briefs
and the ``/search/`` page that queries it in the browser, in every language's edition.
``search: {enabled: false}`` in ``site.yaml`` turns it off for a site; the theme shows the
search box and marks what the index holds only where ``search`` is defined."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from briefgen.config.values import Config
from briefgen.model.site import Site
from briefgen.plugins import Page, PageWork, hookimpl
from briefgen.render.listings import latest_change
from briefgen.render.search import BUNDLE_DIR, MARKER, SEARCH_PATH

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
    def briefgen_template_globals(self, config: Config) -> dict[str, Any]:  # Any: any kind
        """``search.page`` and ``search.bundle``: the search page and the folder of the
        index, for the theme's search box and the page's script."""
        if not config.search.enabled:
            return {}
        return {"search": {"page": SEARCH_PATH, "bundle": f"{BUNDLE_DIR}/"}}

    @hookimpl
    def briefgen_page_work(self, config: Config) -> PageWork | None:
        """Pages that carry the marker are the index's; its folder is filled once the
        pages are written."""
        if not config.search.enabled:
            return None
        return PageWork(marks=(MARKER,), folders=(f"{BUNDLE_DIR}/",))
