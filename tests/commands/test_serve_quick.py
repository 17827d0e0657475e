"""``briefgen serve``'s quick files: after a save, the search index that the preview serves
finds the saved words before the build is done, and is the index the catch-up then writes;
indexing that takes too long does not hold the build back."""

from __future__ import annotations

import gzip
import queue
import threading
from pathlib import Path

import pytest
from test_serve import (
    _next,
    _wait_until,
    hold_the_indexer,
    request,
    tmpdir_for_serve,  # noqa: F401 - a fixture it uses
)
from test_serve import serve as start_serve  # noqa: F401 - a fixture: starts a DevServer

from briefgen.commands import serve as serve_module
from briefgen.commands import serve_quick
from briefgen.commands.serve import BuildReport, DevServer
from briefgen.features.search import indexing

from conftest import SITE_YAML, brief, topic

CAUGHT_UP = "search index updated in"


class Hold:
    """Builds wait while ``on`` is set, until ``release`` is."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.on, self.release = threading.Event(), threading.Event()
        real = serve_module.build

        def build(*args: object, **kwargs: object) -> object:
            if self.on.is_set():
                self.release.wait(10)
            return real(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(serve_module, "build", build)


@pytest.fixture
def served(make_site, start_serve, monkeypatch):  # type: ignore[no-untyped-def]  # noqa: F811
    """A site of four briefs served, with a save already built and its index caught up (so
    the preview knows which plugins leave work for later): (root, server, reports, log, hold)."""
    indexing.MADE.clear()
    files = {
        f"content/briefs/b{i}.md": brief(title=f"Brief {i}", body=f"Text{i}.\n") for i in range(4)
    }
    files["content/topics/cartels.md"] = topic()
    root = make_site(files, site_yaml=SITE_YAML + "search:\n  partition_size: 2\n")
    hold = Hold(monkeypatch)
    reports: queue.Queue[BuildReport] = queue.Queue()
    logged: list[str] = []
    server = start_serve(root, on_build=reports.put, log=logged.append, verbose=True)
    assert reports.get(timeout=10).error is None
    (root / "content/briefs/b1.md").write_text(brief(title="Brief 1", body="Text1, again.\n"))
    assert _next(reports, lambda r: True).error is None
    _wait_until(lambda: any(CAUGHT_UP in line for line in logged))
    return root, server, reports, logged, hold


def _word_in(files: dict[str, bytes], word: bytes) -> bool:
    return any(
        word in gzip.decompress(data)
        for path, data in files.items()
        if path.endswith(".pf_fragment")
    )


def test_the_index_served_finds_a_save_before_its_build_and_is_what_the_catch_up_writes(served):
    root, server, reports, logged, hold = served
    hold.on.set()
    (root / "content/briefs/b2.md").write_text(brief(title="Brief 2", body="Zanzibarquux.\n"))
    _wait_until(lambda: bool(server.live.quick))
    assert any("updated for briefs/b2/index.html" in line for line in logged)
    live = server.live
    quick = {Path(f).relative_to(live.root).as_posix(): data for f, data in live.quick.items()}
    assert _word_in(quick, b"Zanzibarquux")
    assert not (server.output / "briefs/b2/index.html").read_bytes().count(b"Zanzibarquux")
    for path, data in quick.items():  # served while the build waits, some not yet on disk
        response = request(server.port, f"/{path}")
        assert (response.status, response.body) == (200, data), path
    assert any(not (server.output / path).exists() for path in quick)

    caught_up = sum(CAUGHT_UP in line for line in logged)
    hold.release.set()
    assert _next(reports, lambda r: True).error is None
    _wait_until(lambda: sum(CAUGHT_UP in line for line in logged) > caught_up)
    assert server.live.quick == {}
    assert {path: (server.output / path).read_bytes() for path in quick} == quick


def test_indexing_that_takes_too_long_does_not_hold_the_build_back(
    served, monkeypatch, tmp_path: Path
):
    root, server, reports, logged, _ = served
    gate = hold_the_indexer(monkeypatch, tmp_path)
    monkeypatch.setattr(serve_quick, "LIMIT", 0.3)
    caught_up = sum(CAUGHT_UP in line for line in logged)

    (root / "content/briefs/b2.md").write_text(brief(title="Brief 2", body="Zanzibarquux.\n"))
    assert _next(reports, lambda r: True).error is None  # the build did not wait for the index
    assert server.live.quick == {}
    assert not any("updated for" in line for line in logged)
    gate.touch()
    _wait_until(lambda: sum(CAUGHT_UP in line for line in logged) > caught_up)
    page = request(server.port, "/briefs/b2/")
    assert b"Zanzibarquux" in page.body


def test_a_missing_file_served_from_memory_does_not_wait_for_the_build(served):
    _, server, _, _, hold = served
    path = Path(server.live.root) / "pagefind" / "not-yet.pf_fragment"
    server.live.quick = {str(path): b"made a moment ago"}
    assert server.live.building.acquire(timeout=5)  # as a build under way holds it
    try:
        response = request(server.port, "/pagefind/not-yet.pf_fragment", timeout=2)
    finally:
        server.live.building.release()
    assert (response.status, response.body) == (200, b"made a moment ago")
    assert request(server.port, "/pagefind/other.pf_fragment").status == 404


def test_a_server_without_search_makes_no_quick_files(make_site, start_serve):  # type: ignore[no-untyped-def]  # noqa: F811
    root = make_site(
        {"content/briefs/b0.md": brief(body="Text.\n"), "content/topics/cartels.md": topic()},
        site_yaml=SITE_YAML + "search:\n  enabled: false\n",
    )
    reports: queue.Queue[BuildReport] = queue.Queue()
    server: DevServer = start_serve(root, on_build=reports.put)
    assert reports.get(timeout=10).error is None
    for text in ("Once.\n", "Twice.\n"):
        (root / "content/briefs/b0.md").write_text(brief(body=text))
        assert _next(reports, lambda r: True).error is None
        assert server.live.quick == {}


def test_the_first_save_after_a_start_that_built_nothing_has_quick_files(served, start_serve):  # noqa: F811
    root, first, _, _, hold = served
    port = first.port
    first.stop()
    logged: list[str] = []
    again = start_serve(root, port=port, log=logged.append, verbose=True)
    assert again.kept
    _wait_until(lambda: any("model loaded" in line for line in logged))
    _wait_until(lambda: any(CAUGHT_UP in line for line in logged))  # the index checked
    hold.on.set()
    (root / "content/briefs/b3.md").write_text(brief(title="Brief 3", body="Zanzibarquux.\n"))
    _wait_until(lambda: bool(again.live.quick))
    quick = {Path(f).name: data for f, data in again.live.quick.items()}
    assert _word_in(quick, b"Zanzibarquux")
    hold.release.set()
