"""Browser fixtures: the example site built for a local server, served on 127.0.0.1, and
Debian's Chromium driven by Playwright.

Nothing here is skipped when a tool is missing: `make test` installs Chromium (Debian's
archive) and axe-core (npm), so a missing one is a failure that says how to get it.
"""

from __future__ import annotations

import contextlib
import functools
import re
import shutil
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from conftest import REPO, copy_site

try:
    from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
except ImportError:  # a clear failure below instead of a collection error
    sync_playwright = None

# One set of launch options for the tests and `make screenshots` (scripts/screenshots.py).
sys.path.insert(0, str(REPO / "scripts"))
from screenshots import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
BASE_PATH = "/briefings/"
HOST = "127.0.0.1"
TIMEOUT_MS = 15_000


# --- the site ------------------------------------------------------------------------------


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's name
        pass


@dataclass(frozen=True)
class Site:
    """The example site as served: ``url("briefs/x/")`` → ``http://127.0.0.1:PORT/briefings/briefs/x/``."""

    root: str  # http://127.0.0.1:PORT/briefings/
    folder: Path  # the built site (its index.html is the home page)

    def url(self, path: str = "") -> str:
        return self.root + path.lstrip("/")


@contextlib.contextmanager
def _served(www: Path, source: Path) -> Iterator[Site]:
    """``source`` built into ``www`` for ``http://127.0.0.1:PORT/briefings/``, served while
    the context lasts."""
    from briefgen.cli.main import main

    handler = functools.partial(_QuietHandler, directory=str(www))
    server = ThreadingHTTPServer((HOST, 0), handler)
    server.daemon_threads = True
    root = f"http://{HOST}:{server.server_address[1]}{BASE_PATH}"
    folder = www / BASE_PATH.strip("/")
    args = ["build", "--quiet", "--source", source, "--output", folder, "--base-url", root]
    code = main([str(a) for a in args])
    assert code == 0, f"briefgen build of {source} exited {code}"
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield Site(root=root, folder=folder)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """Build the example site for ``http://127.0.0.1:PORT/briefings/`` and serve it."""
    # the example content with its index in partitions of 4 briefs, so that searches go
    # through the merging of partitions that a large site's search page does
    source = tmp_path_factory.mktemp("source")
    shutil.copytree(REPO / "content", source / "content")
    config = (REPO / "site.yaml").read_text(encoding="utf-8")
    assert "\nsearch:" not in config, "the example's site.yaml sets search: merge it here"
    (source / "site.yaml").write_text(config + "search:\n  partition_size: 4\n", encoding="utf-8")
    with _served(tmp_path_factory.mktemp("www"), source) as served:
        yield served


@pytest.fixture(scope="session")
def rtl_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """tests/sites/right-to-left (English and Arabic) built for a local server and served."""
    source = copy_site(
        REPO / "tests" / "sites" / "right-to-left", tmp_path_factory.mktemp("rtl") / "site"
    )
    with _served(tmp_path_factory.mktemp("www-rtl"), source) as served:
        yield served


# --- the example content -------------------------------------------------------------------


@dataclass(frozen=True)
class Brief:
    path: Path
    slug: str
    front: dict
    body: str

    @property
    def language(self) -> str:
        """``es`` for ``x.es.md``, the Spanish edition; ``en`` otherwise."""
        return "es" if self.path.name.endswith(".es.md") else "en"

    @property
    def url_path(self) -> str:
        prefix = "" if self.language == "en" else f"{self.language}/"
        return f"{BASE_PATH}{prefix}briefs/{self.slug}/"


def _split(text: str) -> tuple[dict, str]:
    _, front, body = text.split("---", 2)
    return yaml.safe_load(front) or {}, body


def _slug_of(path: Path, front: dict) -> str:
    if front.get("slug"):
        return str(front["slug"])
    return re.sub(r"^\d{4}-\d{2}-\d{2}-", "", path.stem.removesuffix(".es")).lower()


@functools.cache
def example_briefs(language: str = "en") -> tuple[Brief, ...]:
    """The published briefs of one of the example's languages."""
    briefs = []
    for path in sorted((REPO / "content" / "briefs").rglob("*.md")):
        front, body = _split(path.read_text(encoding="utf-8"))
        brief = Brief(path, _slug_of(path, front), front, body)
        if not front.get("draft") and brief.language == language:
            briefs.append(brief)
    return tuple(briefs)


@functools.cache
def example_topics() -> dict[str, str]:
    """Topic slug → title, for every described topic."""
    topics = {}
    for path in sorted((REPO / "content" / "topics").glob("*.md")):
        front, _ = _split(path.read_text(encoding="utf-8"))
        if "." not in path.stem:  # cartels.es.md is the Spanish edition of cartels.md
            topics[path.stem] = str(front["title"])
    return topics


@functools.cache
def unique_word() -> tuple[str, Brief]:
    """The alphabetically first of :func:`unique_words`."""
    found = unique_words()
    word = min(found)
    return word, found[word]


@functools.cache
def unique_words(language: str = "en") -> dict[str, Brief]:
    """Every word of six letters or more that is in one brief's body and in
    no other content: not in that brief's front matter, in no other brief or topic, not in
    site.yaml. Its first five letters must be just as unique, so that a search engine's
    stemming and prefix matching cannot find it anywhere else either."""
    others = {
        p: p.read_text(encoding="utf-8").lower() for p in sorted((REPO / "content").rglob("*.md"))
    }
    others[REPO / "site.yaml"] = (REPO / "site.yaml").read_text(encoding="utf-8").lower()
    found: dict[str, Brief] = {}
    for brief in example_briefs(language):
        body = brief.body.lower()
        front_text = brief.path.read_text(encoding="utf-8").lower().split("---", 2)[1]
        for word in set(re.findall(r"\b[a-zñáéíóú]{6,}\b", body)):
            stem = word[:5]
            if stem in front_text:
                continue
            if [p for p, text in others.items() if stem in text] == [brief.path]:
                found.setdefault(word, brief)
    assert found, "no word of the example briefs is unique to one brief"
    return found


# --- the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if sync_playwright is None:
        pytest.fail(
            "the Python package playwright is not installed: run `make test`", pytrace=False
        )
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: run `make test`, which installs Debian's "
            "chromium package (or `apt-get install chromium`)",
            pytrace=False,
        )
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def axe_js() -> Path:
    if not AXE_JS.exists():
        pytest.fail(
            f"axe-core is not installed ({AXE_JS.relative_to(REPO)} is missing): run `make test`, "
            "which runs `npm ci`",
            pytrace=False,
        )
    return AXE_JS


@dataclass
class Watch:
    """What went wrong in a browser context: console errors, uncaught exceptions, failed
    requests, and requests to any host but 127.0.0.1."""

    problems: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def attach_page(self, page: Page) -> None:
        page.on("console", lambda msg: self._console(page, msg))
        page.on(
            "pageerror", lambda exc: self.problems.append(f"uncaught error on {page.url}: {exc}")
        )

    def _console(self, page: Page, msg) -> None:
        if msg.type == "error":
            where = msg.location.get("url", "") if msg.location else ""
            self.problems.append(f"console error on {page.url}: {msg.text} ({where})")

    def attach_context(self, context: BrowserContext) -> None:
        context.on("page", self.attach_page)
        context.on("request", self._request)
        context.on("requestfailed", self._failed)
        context.on("response", self._response)

    def _request(self, request) -> None:
        self.requests.append(request.url)
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname != HOST:
            self.problems.append(f"request to an external host: {request.url}")

    def _failed(self, request) -> None:
        # ERR_ABORTED is the browser cancelling a load itself, as it does with the icon still
        # loading when the test moves on to the next page; a missing file is a 404 below.
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"request failed: {request.url} ({request.failure})")

    def _response(self, response) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status} for {response.url}")


MakePage = Callable[..., Page]


@pytest.fixture
def make_page(browser: Browser, site: Site) -> Iterator[MakePage]:
    """``make_page(viewport=..., java_script_enabled=False, color_scheme="dark")``: a page in a
    new context; at teardown, the test fails if anything in it logged an error, failed to
    load, or left 127.0.0.1."""
    contexts: list[tuple[BrowserContext, Watch]] = []

    def make(**options: object) -> Page:
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        watch = Watch()
        watch.attach_context(context)
        contexts.append((context, watch))
        page = context.new_page()
        return page

    yield make
    problems = []
    for context, watch in contexts:
        context.close()
        problems += watch.problems
    assert not problems, "the browser reported problems:\n" + "\n".join(problems)


@pytest.fixture
def page(make_page: MakePage) -> Page:
    return make_page()
