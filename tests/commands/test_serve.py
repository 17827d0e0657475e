"""``briefgen serve``: live rebuilds and reloads, the error page, and a server that never hands
out a file from outside the built site. Every wait is bounded; everything listens on 127.0.0.1."""

from __future__ import annotations

import errno
import gc
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from briefgen.commands.serve import BuildReport, DevServer
from briefgen.commands.serve_files import resolve
from briefgen.commands.serve_memory import PUT_OFF, Collections
from briefgen.commands.serve_pages import EVENTS_PATH, Status, error_page
from briefgen.features.search import pagefind as search

from conftest import REPO, SITE_YAML, brief, topic, write_site

SECRET = "secret-marker-5f1c"  # in site.yaml and in files outside the output folder
SCRIPT_MARK = EVENTS_PATH.encode()  # only the live-reload script mentions it


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


def request(port: int, target: str, method: str = "GET", timeout: float = 5) -> Response:
    """One raw HTTP/1.0 request: the target is sent exactly as given, never normalised."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(f"{method} {target} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("iso-8859-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return Response(int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, body)


def eventually(check: Callable[[], object], timeout: float = 2.0) -> float:
    """Seconds until ``check()`` is truthy; fails after ``timeout``."""
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > timeout:
            pytest.fail(f"not true within {timeout} s")
        time.sleep(0.02)
    return time.monotonic() - started


class EventStream:
    """A client of the server-sent events, read in a thread: (event, data) pairs, comments as
    ("comment", text), then ("closed", "") when the server hangs up."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.sock.sendall(f"GET {EVENTS_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        self.head = ""
        self.events: queue.Queue[tuple[str, str]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        buffer = b""
        try:
            while chunk := self.sock.recv(4096):
                buffer += chunk
                if not self.head and b"\r\n\r\n" in buffer:
                    head, buffer = buffer.split(b"\r\n\r\n", 1)
                    self.head = head.decode()
                while self.head and b"\n\n" in buffer:
                    block, buffer = buffer.split(b"\n\n", 1)
                    fields = dict(line.split(": ", 1) for line in block.decode().split("\n"))
                    if "" in fields:
                        self.events.put(("comment", fields[""]))
                    else:
                        self.events.put((fields.get("event", "message"), fields.get("data", "")))
        except OSError:
            pass
        self.events.put(("closed", ""))

    def wait_for(self, event: str, timeout: float = 3.0) -> str:
        """The data of the next ``event``, skipping others."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                name, data = self.events.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                pytest.fail(f"no {event!r} event within {timeout} s")
            if name == event:
                return data
            assert name != "closed", f"stream closed while waiting for {event!r}"

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def tmpdir_for_serve(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The preview's temporary output goes under tmp_path/tmp, so tests can see it go."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@contextmanager
def another_preview(root: Path) -> Iterator[None]:
    """Hold the site's own preview folder as a preview running elsewhere would."""
    import fcntl

    lock = root / ".briefgen-cache/serve/serve.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("ab") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield


SITE_FILES = {
    "content/briefs/2025-02-04-raids.md": brief("Raids in Sinaloa", body="First text.\n"),
    "content/briefs/2025-02-05-talks.md": brief("Talks resume", date="2025-02-05"),
    "content/topics/cartels.md": topic(),
    "static/data/blob.bin": bytes(range(256)) * 4,
    "static/data/module.wasm": b"\0asm\1\0\0\0",
}


@pytest.fixture
def site(make_site: Callable[..., Path]) -> Path:
    return make_site(SITE_FILES, site_yaml=SITE_YAML + f"# {SECRET}\n")


@pytest.fixture
def serve(tmpdir_for_serve: Path) -> Iterator[Callable[..., DevServer]]:
    """Start a DevServer on a free port; every one started is stopped after the test."""
    started: list[DevServer] = []

    def start(root: Path, **options: object) -> DevServer:
        options.setdefault("port", 0)
        server = DevServer(root, **options)  # type: ignore[arg-type]
        started.append(server)
        server.start()
        return server

    yield start
    for server in started:
        server.stop()


def test_an_edit_shows_within_two_seconds_and_open_pages_are_told_to_reload(site, serve):
    server = serve(site)
    stream = EventStream(server.port)
    try:
        assert stream.wait_for("hello") == "1"
        assert b"First text." in request(server.port, "/briefs/raids/").body
        path = site / "content/briefs/2025-02-04-raids.md"
        path.write_text(brief("Raids in Sinaloa", body="Edited text.\n"), encoding="utf-8")
        seconds = eventually(
            lambda: b"Edited text." in request(server.port, "/briefs/raids/").body, timeout=2
        )
        assert seconds < 2
        # the quick page of the edited brief first (still build 1), then the build
        assert stream.wait_for("reload", timeout=1) == "1"
        assert stream.wait_for("reload", timeout=2) == "2"
    finally:
        stream.close()


@pytest.fixture
def held_builds(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Builds after the first wait until the returned event is set: what a preview serves
    while a (long) build runs can be looked at."""
    from briefgen.commands import serve as serve_module

    release = threading.Event()
    real = serve_module.build
    calls = []

    def held(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) > 1:
            release.wait(10)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(serve_module, "build", held)
    return release


def test_a_saved_brief_is_served_before_the_build_has_run(site, serve, held_builds):
    server = serve(site)
    stream = EventStream(server.port)
    try:
        assert stream.wait_for("hello") == "1"
        path = site / "content/briefs/2025-02-04-raids.md"
        path.write_text(brief("Raids in Sinaloa", body="Edited *text*.\n"), encoding="utf-8")
        assert stream.wait_for("reload", timeout=2) == "1"  # the build is held
        page = request(server.port, "/briefs/raids/").body
        assert b"Edited <em>text</em>." in page
        assert b"Talks resume" in page  # the rest of the page as the last build made it
        assert b"First text." in (server.output / "briefs/raids/index.html").read_bytes()
        held_builds.set()
        assert stream.wait_for("reload", timeout=5) == "2"
        built = (server.output / "briefs/raids/index.html").read_bytes()
        assert request(server.port, "/briefs/raids/").body.startswith(built[:200])
        assert b"Edited <em>text</em>." in built
    finally:
        held_builds.set()
        stream.close()


def test_the_quick_page_draws_shortcodes_as_the_build_does(site, serve, held_builds):
    box = site / "templates/shortcodes/box.html"
    box.parent.mkdir(parents=True, exist_ok=True)
    box.write_text('<aside class="box">{{ body }}</aside>\n', encoding="utf-8")
    server = serve(site)
    stream = EventStream(server.port)
    try:
        assert stream.wait_for("hello") == "1"
        path = site / "content/briefs/2025-02-04-raids.md"
        body = "Edited.\n\n{{< box >}}\nIn a *box*.\n{{< /box >}}\n"
        path.write_text(brief("Raids in Sinaloa", body=body), encoding="utf-8")
        assert stream.wait_for("reload", timeout=2) == "1"  # the build is held
        quick = request(server.port, "/briefs/raids/").body
        assert b'<aside class="box"><p>In a <em>box</em>.</p>\n</aside>' in quick
        held_builds.set()
        assert stream.wait_for("reload", timeout=5) == "2"
        built = (server.output / "briefs/raids/index.html").read_bytes()

        def body(page: bytes) -> bytes:
            return page.split(b'<div class="body">')[1].split(b"</div>")[0]

        assert body(quick) == body(built)
    finally:
        held_builds.set()
        stream.close()


@pytest.mark.parametrize(
    "text",
    [
        brief("Raids in Sinaloa", body="Edited text.\n").replace("title:", "title: [", 1),
        brief("Raids in Sinaloa", body="Edited text.\n", extra="slug: other-raids\n"),
        brief("Raids in Sinaloa", body="Edited text.\n", extra="expires: 2020-01-01\n"),
        brief("Raids in Sinaloa", body="Edited [text](missing.md).\n"),
        brief("Raids in Sinaloa", body="Edited.\n\n{{< no-such-shortcode >}}\n"),
    ],
    ids=["bad front matter", "new slug", "expired", "broken link", "shortcode mistake"],
)
def test_no_quick_page_when_the_build_may_decide_otherwise(site, serve, held_builds, text):
    server = serve(site)
    stream = EventStream(server.port)
    try:
        assert stream.wait_for("hello") == "1"
        (site / "content/briefs/2025-02-04-raids.md").write_text(text, encoding="utf-8")
        time.sleep(0.5)  # long enough for a quick page; the build is held
        assert stream.events.empty()
        assert b"First text." in request(server.port, "/briefs/raids/").body
    finally:
        held_builds.set()
        stream.close()


def test_a_broken_edit_shows_its_errors_until_it_is_fixed(site, serve):
    logs: list[str] = []
    server = serve(site, log=logs.append)
    stream = EventStream(server.port)
    try:
        stream.wait_for("hello")
        path = site / "content/briefs/2025-02-04-raids.md"
        path.write_text(brief("Raids in Sinaloa", date="tomorrow"), encoding="utf-8")
        assert stream.wait_for("reload") == "2"  # a failed build reloads pages too
        page = request(server.port, "/briefs/raids/")
        assert page.status == 500
        text = page.body.decode()
        assert "content/briefs/2025-02-04-raids.md:3:1: error: 'date' must be a date" in text
        assert "1 error, 0 warnings" in text
        assert SCRIPT_MARK in page.body
        assert request(server.port, "/").status == 500  # every page, not only the broken one
        css = request(server.port, "/static/css/style.css")  # the server goes on serving
        assert css.status == 200 and SCRIPT_MARK not in css.body

        path.write_text(brief("Raids in Sinaloa", body="Fixed text.\n"), encoding="utf-8")
        assert stream.wait_for("reload") == "3"
        page = request(server.port, "/briefs/raids/")
        assert page.status == 200 and b"Fixed text." in page.body
        assert logs == []
    finally:
        stream.close()


def test_a_failed_first_build_still_serves_the_error_page(make_site, serve):
    root = make_site({"content/briefs/a.md": brief(date="tomorrow")})
    reports = []
    server = serve(root, on_build=reports.append)
    assert reports[0].number == 1 and reports[0].error is not None
    page = request(server.port, "/")
    assert page.status == 500
    assert b"content/briefs/a.md:3:1: error: &#x27;date&#x27;" not in page.body
    assert b"content/briefs/a.md:3:1: error: 'date' must be a date" in page.body

    (root / "content/briefs/a.md").write_text(brief(body="Now it builds.\n"), encoding="utf-8")
    eventually(lambda: b"Now it builds." in request(server.port, "/briefs/a/").body)
    assert request(server.port, "/").status == 200


def test_the_error_page_escapes_diagnostics() -> None:
    status = Status(4, True, ("x.md:1:1: error: <script>alert(1)</script> & more",), "1 error")
    page = error_page(status).decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
    assert "<script>alert" not in page
    assert 'var built = "4"' in page


TRAVERSALS = [
    "/../secret.txt",
    "/..",
    "/%2e%2e/secret.txt",
    "/%2E%2E%2Fsecret.txt",
    "/.%2e/secret.txt",
    "/..%5csecret.txt",
    "/static/../../secret.txt",
    "/static/%2e%2e/%2e%2e/secret.txt",
    "/../../site/site.yaml",
    "/%2e%2e/%2e%2e/site/site.yaml",
    "//etc/passwd",
    "/%2fetc/passwd",
    "/static//../../secret.txt",
    "/%00",
    "/index.html%00.txt",
    "/" + "a" * 10_000,
    "/" + "../" * 40 + "etc/passwd",
    "secret.txt",
    "http://127.0.0.1/../secret.txt",
]


@pytest.fixture(scope="module")
def attacked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevServer]:
    """One server of ``site`` for every traversal (none changes anything), its output in the
    site's own preview folder beside a secret.txt that must never be served."""
    root = write_site(
        tmp_path_factory.mktemp("attacked") / "site", SITE_FILES, SITE_YAML + f"# {SECRET}\n"
    )
    folder = root / ".briefgen-cache/serve"
    folder.mkdir(parents=True)
    (folder / "secret.txt").write_text(SECRET, encoding="utf-8")
    server = DevServer(root, port=0)
    server.start()
    try:
        assert server.output is not None and server.output.parent == folder
        yield server
    finally:
        server.stop()


@pytest.mark.parametrize("target", TRAVERSALS, ids=lambda t: t[:40])
def test_nothing_outside_the_output_folder_is_served(attacked: DevServer, target: str) -> None:
    server = attacked
    response = request(server.port, target)
    assert response.status in (400, 404), response.status
    assert SECRET.encode() not in response.body
    assert b"root:x:0" not in response.body
    assert request(server.port, "/").status == 200  # and the server is still there


def test_symlinks_leading_out_of_the_output_folder_are_not_followed(site, serve, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    server = serve(site)
    assert server.output is not None
    (server.output / "leak.txt").symlink_to(outside / "secret.txt")
    (server.output / "leakdir").symlink_to(outside, target_is_directory=True)
    (server.output / "inside.txt").symlink_to(server.output / "robots.txt")
    for target in ("/leak.txt", "/leakdir/secret.txt", "/leakdir/", "/leakdir"):
        response = request(server.port, target)
        assert response.status == 404, target
        assert SECRET.encode() not in response.body
    assert request(server.port, "/inside.txt").status == 200


def test_resolve_decodes_once_and_refuses_tricks(tmp_path: Path) -> None:
    root = tmp_path / "out"
    (root / "topics").mkdir(parents=True)
    (root / "topics/index.html").write_text("x")
    (root / "a b.txt").write_text("x")
    real = os.path.realpath(root)
    assert resolve(real, "/topics/").file == os.path.join(real, "topics/index.html")
    assert resolve(real, "/topics?page=2").location == "/topics/?page=2"
    assert resolve(real, "/a%20b.txt?x=1#y").file == os.path.join(real, "a b.txt")
    assert resolve(real, "/%252e%252e/x").status == 404  # decoded once: a name "%2e%2e"
    assert resolve(real, "/nope/").page and not resolve(real, "/nope.css").page


def test_html_gets_the_script_other_files_are_served_as_built(site, serve):
    server = serve(site)
    out = server.output
    assert out is not None
    home = request(server.port, "/")
    assert home.status == 200 and home.headers["content-type"] == "text/html; charset=utf-8"
    assert home.body.count(SCRIPT_MARK) == 1 and home.body.rstrip().endswith(b"</html>")
    assert SCRIPT_MARK not in (out / "index.html").read_bytes()  # the build's own files: never
    assert home.headers["cache-control"] == "no-store"
    assert int(home.headers["content-length"]) == len(home.body)
    expected = {
        "/static/css/style.css": "text/css; charset=utf-8",
        "/static/js/search.js": "text/javascript; charset=utf-8",
        "/feed.xml": "application/xml; charset=utf-8",
        "/feed.json": "application/json",
        "/sitemap.xml": "application/xml; charset=utf-8",
        "/static/favicon.svg": "image/svg+xml",
        "/static/data/blob.bin": "application/octet-stream",
        "/static/data/module.wasm": "application/wasm",
    }
    pagefind = out / "pagefind"
    for file in sorted(pagefind.rglob("*.pf_*")) + sorted(pagefind.glob("*.pagefind")):
        expected[f"/{file.relative_to(out).as_posix()}"] = "application/octet-stream"
    assert any(path.endswith(".pf_meta") for path in expected)
    for path, ctype in expected.items():
        response = request(server.port, path)
        assert response.status == 200, path
        assert response.headers["content-type"] == ctype, path
        assert response.body == (out / path.lstrip("/")).read_bytes(), path
    missing = request(server.port, "/no/such/page/")
    assert missing.status == 404 and b"Test Briefings" in missing.body  # the site's 404 page


def test_folders_redirect_and_only_get_and_head_are_allowed(site, serve):
    server = serve(site)
    moved = request(server.port, "/topics?x=1")
    assert moved.status == 301 and moved.headers["location"] == "/topics/?x=1"
    assert request(server.port, "/topics/").status == 200
    for method in ("POST", "PUT", "DELETE", "OPTIONS", "BREW"):
        response = request(server.port, "/", method=method)
        assert response.status == 405, method
        assert response.headers["allow"] == "GET, HEAD"
    head = request(server.port, "/", method="HEAD")
    assert head.status == 200 and head.body == b""
    assert int(head.headers["content-length"]) == len(request(server.port, "/").body)


DRAFTS = {
    "content/briefs/published.md": brief("Published one"),
    "content/briefs/draft-one.md": brief("Draft one", extra="draft: true"),
    "content/briefs/later-one.md": brief("Later one", date="2999-01-01"),
}


def test_drafts_and_future_briefs_are_served_with_their_badges(make_site, serve):
    server = serve(make_site(DRAFTS))
    assert (
        '<span class="badge">Draft</span>'
        in request(server.port, "/briefs/draft-one/").body.decode()
    )
    assert (
        '<span class="badge">Scheduled</span>'
        in request(server.port, "/briefs/later-one/").body.decode()
    )


def test_no_drafts_leaves_drafts_out(make_site, serve):
    server = serve(make_site(DRAFTS), drafts=False)
    assert request(server.port, "/briefs/draft-one/").status == 404
    assert request(server.port, "/briefs/later-one/").status == 200
    assert request(server.port, "/briefs/published/").status == 200


def test_fifty_concurrent_requests_all_succeed(site, serve):
    server = serve(site)
    paths = ["/", "/briefs/raids/", "/topics/", "/static/css/style.css", "/feed.xml"] * 10
    with ThreadPoolExecutor(max_workers=16) as pool:
        responses = list(pool.map(lambda p: request(server.port, p, timeout=10), paths))
    assert [r.status for r in responses] == [200] * 50
    assert all(r.body for r in responses)


def test_stop_removes_a_temporary_output_and_frees_the_port(site, serve, tmpdir_for_serve):
    with another_preview(site):
        server = serve(site)
    assert not server.kept
    stream = EventStream(server.port)
    stream.wait_for("hello")
    port, output = server.port, server.output
    assert output is not None and output.is_dir() and output.is_relative_to(tmpdir_for_serve)
    server.stop()
    assert stream.wait_for("closed", timeout=3) == ""
    assert not output.exists()
    assert list(tmpdir_for_serve.iterdir()) == []  # no staging folder left either
    with pytest.raises(OSError):
        request(port, "/", timeout=1)
    again = serve(site, port=port)  # the same port can be used at once
    assert again.port == port and request(port, "/").status == 200
    server.stop()  # twice is fine


def test_the_sites_own_folder_is_kept_and_the_next_start_reuses_it(site, serve, tmpdir_for_serve):
    reports: list[BuildReport] = []
    first = serve(site)
    assert first.kept and first.output == site / ".briefgen-cache/serve/site"
    second = serve(site)  # a second preview meanwhile: a folder of its own
    assert second.output != first.output and not second.kept
    second.stop()
    first.stop()
    assert (first.output / "briefs/raids/index.html").is_file()
    assert list(tmpdir_for_serve.iterdir()) == []
    again = serve(site, port=first.port, on_build=reports.append)
    assert again.output == first.output
    assert reports[0].result is not None and reports[0].result.site is None  # nothing built
    assert b"First text." in request(again.port, "/briefs/raids/").body
    eventually(lambda: again._preview is not None, timeout=10)  # the model, for quick pages
    assert reports == reports[:1]  # loading it neither reports nor reloads
    path = site / "content/briefs/2025-02-04-raids.md"
    path.write_text(brief("Raids in Sinaloa", body="Edited text.\n"), encoding="utf-8")
    eventually(lambda: b"Edited text." in request(again.port, "/briefs/raids/").body, timeout=5)


def test_event_streams_send_heartbeats_and_forget_clients_that_leave(site, serve):
    logs: list[str] = []
    server = serve(site, heartbeat=0.2, log=logs.append)
    assert server.live is not None
    stream = EventStream(server.port)
    stream.wait_for("hello")
    assert "text/event-stream" in stream.head
    assert stream.wait_for("comment", timeout=2) == "keep-alive"
    stream.close()
    eventually(lambda: server.live.events.clients == 0, timeout=3)
    server.rebuild()
    assert logs == []


def test_scratch_files_do_not_rebuild_but_site_yaml_and_new_folders_do(site, serve):
    reports = []
    server = serve(site, on_build=reports.append)
    (site / "content/briefs/.raids.md.swp").write_text("swap")
    (site / "content/briefs/raids.md~").write_text("backup")
    (site / "notes.txt").write_text("not a source")
    time.sleep(0.5)
    assert len(reports) == 1

    yaml = (site / "site.yaml").read_text().replace("Test Briefings", "Renamed Briefings")
    (site / "site.yaml").write_text(yaml)
    eventually(lambda: b"Renamed Briefings" in request(server.port, "/").body)

    (site / "templates").mkdir()  # a folder that did not exist at start is watched too
    time.sleep(0.5)
    (site / "templates/404.html").write_text("<!DOCTYPE html><title>x</title><p>Custom 404</p>")
    eventually(lambda: b"Custom 404" in request(server.port, "/nowhere").body)


def test_example_site_edit_shows_within_a_second(tmp_path, serve):
    root = tmp_path / "example"
    root.mkdir()
    shutil.copy(REPO / "site.yaml", root)
    shutil.copytree(REPO / "content", root / "content")
    server = serve(root)
    path = root / "content/briefs/2025-02-05-border-apprehensions-fall-to-229.md"
    path.write_text(path.read_text() + "\nA sentence added while previewing.\n")
    seconds = eventually(
        lambda: (
            b"A sentence added while previewing."
            in request(server.port, "/briefs/border-apprehensions-fall-to-229/").body
        ),
        timeout=2,
    )
    assert seconds < 1


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_command_serves_until_ctrl_c(site, tmp_path):
    tmp = tmp_path / "cli-tmp"
    tmp.mkdir()
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "briefgen",
        "serve",
        "--source",
        str(site),
        "--port",
        str(port),
    ]
    env = {**os.environ, "TMPDIR": str(tmp)}
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()  # type: ignore[union-attr]
    try:
        first = lines.get(timeout=20)
        serving = lines.get(timeout=20)
        assert first.startswith("built 2 briefs, 1 topic, ")
        assert serving == (
            f"serving http://127.0.0.1:{port}/ (drafts and future briefs included) — Ctrl-C to stop\n"
        )
        assert (site / ".briefgen-cache/serve/site/index.html").is_file()
        assert request(port, "/").status == 200
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
    finally:
        proc.kill()
        proc.wait(timeout=5)
    err = proc.stderr.read()  # type: ignore[union-attr]
    assert "Traceback" not in err and err == ""
    assert lines.get(timeout=1).startswith("stopped")
    assert list(tmp.iterdir()) == []


def test_a_taken_port_is_one_line_and_exit_2(site, cli, tmpdir_for_serve):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli("serve", "--source", site, "--port", port)
    assert result.code == 2
    assert result.err.splitlines() == [
        f"briefgen serve: error: cannot listen on 127.0.0.1:{port}: the address is already in"
        " use (another server?); choose another with --port"
    ]
    assert result.out == ""
    assert list(tmpdir_for_serve.iterdir()) == []


def test_serving_a_folder_without_a_site_is_exit_2(tmp_path, cli):
    result = cli("serve", "--source", tmp_path / "nowhere", "--port", 0)
    assert result.code == 2
    assert "site folder does not exist" in result.err


def test_publishing_flags_default_to_on() -> None:
    from briefgen.cli.arguments import parser as _parser

    args = _parser().parse_args(["serve"])
    assert (args.port, args.bind, args.drafts, args.future) == (8000, "127.0.0.1", True, True)
    args = _parser().parse_args(["serve", "--no-drafts", "--no-future", "--port", "0"])
    assert (args.drafts, args.future, args.port) == (False, False, 0)


@pytest.mark.parametrize("target", ["/../site.yaml", "/%2e%2e/site.yaml", "/%2E%2E%2Fsite.yaml"])
def test_parent_folder_requests_are_not_found(site, serve, target):
    server = serve(site)
    response = request(server.port, target)
    assert response.status == 404
    assert b"base_url" not in response.body


def test_serve_gives_its_own_address_and_does_not_warn_about_base_url(make_site, serve, cli):
    root = make_site(
        {"content/briefs/2025-02-04-raids.md": brief(), "content/topics/cartels.md": topic()},
        site_yaml="title: T\nbase_url: /\nchecks:\n  sources: false\n",
    )
    assert "base_url '/' has no scheme and host" in cli("check", "--source", root).err
    reports: list = []
    serve(root, on_build=reports.append)
    assert reports and reports[0].result is not None
    assert [d.format() for d in reports[0].result.diagnostics.items] == []


def _served_one_brief(make_site, serve):  # type: ignore[no-untyped-def]
    """A site of one brief, served, its first build done: (root, server, reports, log)."""
    root = make_site(
        {"content/briefs/2025-02-04-a.md": brief(), "content/topics/cartels.md": topic()}
    )
    reports: queue.Queue[BuildReport] = queue.Queue()
    logged: list[str] = []
    server = serve(root, on_build=reports.put, log=logged.append)
    assert reports.get(timeout=10).error is None
    return root, server, reports, logged


def test_a_system_error_fails_one_rebuild_in_one_line_and_the_next_save_recovers(
    make_site, serve, monkeypatch
):
    root, server, reports, logged = _served_one_brief(make_site, serve)

    def emfile(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EMFILE, os.strerror(errno.EMFILE), str(root / "site.yaml"))

    monkeypatch.setattr(
        "briefgen.pipeline.editions.check_templates", emfile
    )  # the traceback
    # a heading: not a body edit alone, so the build is a full one (pipeline/patch.py)
    (root / "content/briefs/2025-02-04-a.md").write_text(brief(body="## New\n\nSecond.\n"))
    failed = _next(reports, lambda r: r.error is not None)
    assert failed.error is not None
    assert [d.format() for d in failed.error.diagnostics.sorted()] == [
        "site.yaml: error: cannot build the site: Too many open files"
    ]
    assert request(server.port, "/").status == 500  # pages show the error

    monkeypatch.undo()
    (root / "content/briefs/2025-02-04-a.md").write_text(brief(body="Third text.\n"))
    _next(reports, lambda r: r.error is None)
    page = request(server.port, "/briefs/a/")
    assert page.status == 200 and b"Third text." in page.body
    assert not [line for line in logged if "Traceback" in line]


def test_the_page_does_not_wait_for_search_and_an_indexer_failure_is_one_line(
    make_site, serve, monkeypatch
):
    """The search index follows a save in the background: a failing indexer leaves the new
    page served and says so in one line; the next save brings the index up to date."""
    root, server, reports, logged = _served_one_brief(make_site, serve)

    def emfile(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EMFILE, os.strerror(errno.EMFILE))

    monkeypatch.setattr(subprocess, "Popen", emfile)
    (root / "content/briefs/2025-02-04-a.md").write_text(brief(body="Second text.\n"))
    assert _next(reports, lambda r: True).error is None  # the pages do not wait for search
    page = request(server.port, "/briefs/a/")
    assert page.status == 200 and b"Second text." in page.body
    expected = "briefgen serve: search index not updated: cannot run the Pagefind indexer: Too many open files"
    _wait_until(lambda: expected in logged)

    monkeypatch.undo()
    (root / "content/briefs/2025-02-04-a.md").write_text(brief(body="Third text.\n"))
    assert _next(reports, lambda r: True).error is None
    _wait_until(lambda: _index_has(server, b"Third"))
    assert not [line for line in logged if "Traceback" in line]


def _wait_until(condition: Callable[[], bool], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def _index_has(server: DevServer, word: bytes) -> bool:
    """Whether the search index of the preview has a fragment containing ``word``."""
    import gzip

    folder = server.output / "pagefind" / "fragment"
    for path in folder.glob("*.pf_fragment") if folder.is_dir() else ():
        try:
            if word in gzip.decompress(path.read_bytes()):
                return True
        except OSError:
            continue
    return False


def _next(reports: queue.Queue[BuildReport], wanted: Callable[[BuildReport], bool]) -> BuildReport:
    deadline = time.monotonic() + 20
    while True:
        report = reports.get(timeout=max(0.1, deadline - time.monotonic()))
        if wanted(report):
            return report


def hold_the_indexer(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Make the Pagefind indexer wait until the returned file exists."""
    gate = tmp_path / "gate"
    slow = tmp_path / "pagefind-slow"
    slow.write_text(
        f'#!/bin/sh\nwhile [ ! -e "{gate}" ]; do sleep 0.05; done\nexec "{search.find_indexer()}" "$@"\n'
    )
    slow.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(slow))
    return gate


def _save_with_the_indexer_held(root, server, reports, monkeypatch, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """Save the brief of :func:`_served_one_brief` with the Pagefind indexer held until the
    returned file exists; returns once the build is reported and the indexer is waiting."""
    gate = hold_the_indexer(monkeypatch, tmp_path)
    (root / "content/briefs/2025-02-04-a.md").write_text(brief(body="Second text.\n"))
    assert _next(reports, lambda r: True).error is None
    # the indexer is asked for after the report is sent, and then held at the gate
    _wait_until(lambda: b"search-updating" in request(server.port, "/search/").body)
    return gate


def test_the_search_page_says_when_its_index_is_being_updated(
    make_site, serve, monkeypatch, tmp_path: Path
):
    root, server, reports, _ = _served_one_brief(make_site, serve)
    _wait_until(lambda: b"search-updating" not in request(server.port, "/search/").body)

    gate = _save_with_the_indexer_held(root, server, reports, monkeypatch, tmp_path)
    page = request(server.port, "/search/")
    assert b"search-updating" in page.body and b"being updated" in page.body
    assert b"search-updating" not in request(server.port, "/briefs/a/").body
    gate.touch()
    _wait_until(lambda: b"search-updating" not in request(server.port, "/search/").body)
    assert _index_has(server, b"Second")


def test_the_collector_waits_for_the_search_index_and_a_quiet_moment_then_runs_once(
    make_site, serve, monkeypatch, tmp_path: Path
):
    """Python's cyclic collector stays off from a build until what it left for later is
    done (it would scan the whole new model in the middle of that work) and a moment has
    passed without a save, then runs once."""
    monkeypatch.setattr(Collections, "quiet", 0.5)
    root, server, reports, _ = _served_one_brief(make_site, serve)
    _wait_until(lambda: b"search-updating" not in request(server.port, "/search/").body)
    _wait_until(lambda: not server._collections.paused)
    assert gc.isenabled()
    collected: list[float] = []
    real_collect = gc.collect
    monkeypatch.setattr(
        gc, "collect", lambda *a: collected.append(time.monotonic()) or real_collect(*a)
    )

    gate = _save_with_the_indexer_held(root, server, reports, monkeypatch, tmp_path)
    assert server._collections.paused and not gc.isenabled() and not collected
    gate.touch()
    _wait_until(lambda: b"search-updating" not in request(server.port, "/search/").body)
    caught_up = time.monotonic()
    _wait_until(lambda: not server._collections.paused)
    assert gc.isenabled() and len(collected) == 1
    assert collected[0] - caught_up >= 0.3  # after a quiet moment, not at once


def test_the_collector_is_left_as_it_was_found_and_a_pause_puts_off_its_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    collections = Collections()
    collections.quiet = 0.2
    collected: list[int] = []
    real_collect = gc.collect
    monkeypatch.setattr(gc, "collect", lambda *a: collected.append(1) or real_collect(*a))
    collections.settle()  # not paused: nothing to do
    assert gc.isenabled() and not collected
    collections.pause()
    collections.pause()
    assert not gc.isenabled() and collections.paused
    collections.settle()
    collections.pause()  # a build before the quiet moment: no collection yet
    time.sleep(0.4)
    assert collections.paused and not gc.isenabled() and not collected
    collections.settle()
    _wait_until(lambda: not collections.paused)
    assert gc.isenabled() and collected == [1]
    gc.disable()
    try:
        collections.pause()
        collections.settle(collect=False)
        assert not gc.isenabled() and not collections.paused  # off before: still off
    finally:
        gc.enable()


def test_saves_that_never_leave_a_quiet_moment_still_get_a_collection_every_tenth_build(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    collections = Collections()
    collections.quiet = 60.0  # never quiet enough
    collected: list[int] = []
    real_collect = gc.collect
    monkeypatch.setattr(gc, "collect", lambda *a: collected.append(1) or real_collect(*a))
    try:
        for _ in range(PUT_OFF - 1):
            collections.pause()
            collections.settle()
        assert collections.paused and not collected
        collections.pause()
        collections.settle()  # the tenth: at once
        assert collected == [1] and not collections.paused and gc.isenabled()
    finally:
        collections.settle(collect=False)
