"""``briefgen serve`` under attack, on 127.0.0.1 only: no file from outside the built site is
ever served, bad requests are refused cleanly, and the server keeps answering.

A secret marker sits in site.yaml, in a file beside the output folder, in a file beside the
site, in a folder that symbolic links inside the output point to, and in /etc/passwd's
"root:x:0"; no response may ever contain any of them.

Cases:
- traversal: ``/../``, ``%2e%2e%2f``, ``..%5c``, ``%2e%2e/``, ``.%2e``, double-encoded,
  overlong UTF-8 and full-width dots, backslashes, NUL, absolute paths (``/etc/passwd``,
  ``//etc/passwd``, ``%2fetc``), an absolute-form target, a site source file, symbolic links
  inside the output folder leading out (file and folder, with and without a trailing slash)
- redirects (a folder without its slash) only to a path on this server, never ``//host``,
  never with CR/LF from the query
- very long targets (64 kB, 70 kB, 20,000 segments) and oversized headers: refused quickly
- malformed request lines (garbage, a missing target, HTTP/9.9, binary, markup in the line,
  an empty line, lowercase and unknown methods) and idle or half-sent connections: refused
  or timed out without disturbing other clients; the reflected request is escaped
- fifty open live-reload event streams: pages are still served at once
- 200 requests, legitimate and hostile mixed, through 20 threads at once: every page 200,
  every attack 400/404, no secret, and the server answers afterwards
- a build that fails on hostile file names and links: the error page shows them escaped
- no traceback in the server's log after all of this
"""

from __future__ import annotations

import socket
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from briefgen.commands.serve import DevServer

from conftest import SITE_YAML, brief, topic

SECRET = "secret-marker-7c41"
FORBIDDEN = (SECRET.encode(), b"root:x:0")


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


def send(port: int, data: bytes, timeout: float = 5) -> bytes:
    """Send raw bytes, read until the server closes (or ``timeout``)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except (TimeoutError, ConnectionResetError):
            pass
    return received


def request(port: int, target: str | bytes, method: str = "GET", timeout: float = 5) -> Response:
    """One HTTP/1.0 request with the target sent exactly as given."""
    raw = target if isinstance(target, bytes) else target.encode("utf-8")
    data = send(
        port, method.encode() + b" " + raw + b" HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n", timeout
    )
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("iso-8859-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return Response(int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, body)


def no_secret(data: bytes) -> None:
    for marker in FORBIDDEN:
        assert marker not in data, marker


@pytest.fixture(scope="module")
def serve(tmp_path_factory) -> Iterator[Callable[..., DevServer]]:
    """Start DevServers on free ports of 127.0.0.1, their output under a temporary folder of
    the tests; every one is stopped at the end of the module."""
    folder = tmp_path_factory.mktemp("serve-tmp")
    started: list[DevServer] = []

    def start(root: Path, **options: object) -> DevServer:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(tempfile, "tempdir", str(folder))
            server = DevServer(root, port=0, **options)  # type: ignore[arg-type]
            started.append(server)
            server.start()
        assert server.host == "127.0.0.1"
        assert server._httpd is not None and server._httpd.server_address[0] == "127.0.0.1"
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="module")
def server(serve, tmp_path_factory) -> DevServer:
    """One server for the module's read-only attacks (none of them changes anything)."""
    base = tmp_path_factory.mktemp("attacked")
    root = base / "site"
    files = {
        "site.yaml": SITE_YAML + "search:\n  enabled: false\n" + f"# {SECRET}\n",
        "content/briefs/2025-02-04-raids.md": brief("Raids in Sinaloa"),
        "content/topics/cartels.md": topic(),
        "notes.txt": SECRET,
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    (base / "secret.txt").write_text(SECRET)
    (base / "outside").mkdir()
    (base / "outside/secret.txt").write_text(SECRET)
    logs: list[str] = []
    server = serve(root, log=logs.append)
    server.logs = logs  # type: ignore[attr-defined]
    assert server.output is not None
    (server.output.parent / "secret.txt").write_text(SECRET)  # beside the output folder
    (server.output / "leak.txt").symlink_to(base / "secret.txt")
    (server.output / "leakdir").symlink_to(base / "outside", target_is_directory=True)
    (server.output / "static/leak.txt").symlink_to(base / "secret.txt")
    return server


def _still_answers(server: DevServer) -> None:
    response = request(server.port, "/briefs/raids/")
    assert response.status == 200 and b"Raids in Sinaloa" in response.body
    assert not any("Traceback" in line for line in server.logs)  # type: ignore[attr-defined]


TRAVERSALS = [
    "/../secret.txt",
    "/..%2fsecret.txt",
    "/%2e%2e%2fsecret.txt",
    "/%2E%2E%2Fsecret.txt",
    "/%2e%2e/secret.txt",
    "/.%2e/secret.txt",
    "/%2e./secret.txt",
    "/..%5csecret.txt",
    "/%2e%2e%5csecret.txt",
    "/..\\secret.txt",
    "/static/..%2f..%2fsecret.txt",
    "/static/%2e%2e/%2e%2e/secret.txt",
    "/%252e%252e/secret.txt",
    "/%c0%ae%c0%ae/secret.txt",
    "/%ef%bc%8e%ef%bc%8e/secret.txt",
    "/..;/secret.txt",
    "/./../secret.txt",
    "/static/../../secret.txt",
    "/..%00/secret.txt",
    "/secret.txt%00.html",
    "/etc/passwd",
    "//etc/passwd",
    "///etc/passwd",
    "/%2fetc%2fpasswd",
    "/%2Fetc/passwd",
    "/\\etc\\passwd",
    "/C:%5cWindows%5cwin.ini",
    "/" + "../" * 30 + "etc/passwd",
    "/" + "%2e%2e%2f" * 30 + "etc/passwd",
    "/../site/site.yaml",
    "/../../site/notes.txt",
    "/site.yaml",
    "/notes.txt",
    "http://127.0.0.1/../secret.txt",
    "http://evil.example/etc/passwd",
    "secret.txt",
    "*",
    "/leak.txt",
    "/leakdir",
    "/leakdir/",
    "/leakdir/secret.txt",
    "/static/leak.txt",
    "/leakdir/../leak.txt",
    "/static/../leak.txt",
]


@pytest.mark.parametrize("target", TRAVERSALS, ids=lambda t: t[:40])
def test_nothing_outside_the_output_folder_is_served(server, target) -> None:
    response = request(server.port, target)
    assert response.status in (400, 404), response.status
    no_secret(response.body)
    head = request(server.port, target, method="HEAD")
    assert head.status == response.status and head.body == b""
    _still_answers(server)


@pytest.mark.parametrize(
    ("target", "statuses"),
    [
        ("/" + "a" * 65_536, (414,)),
        ("/" + "a" * 70_000, (414,)),
        ("/" + "a" * 60_000, (404,)),
        ("/a" * 20_000, (404,)),
        ("/" + "%2e%2e/" * 9_000, (404,)),
    ],
    ids=["64kB", "70kB", "60kB-name", "20000-segments", "9000-encoded-dotdots"],
)
def test_very_long_targets_are_refused_quickly(server, target, statuses) -> None:
    started = time.perf_counter()
    data = send(server.port, f"GET {target} HTTP/1.0\r\n\r\n".encode())
    assert time.perf_counter() - started < 2.0
    assert int(data.split(b" ", 2)[1]) in statuses
    no_secret(data)
    _still_answers(server)


MALFORMED = [
    (b"GARBAGE\r\n\r\n", 400),
    (b"GET\r\n\r\n", 400),
    (b"GET / HTTP/9.9\r\n\r\n", 505),
    (b"GET / HTTP/1.1 extra\r\n\r\n", 400),
    (b"\x00\x01\x02\xff\xfe\r\n\r\n", 400),
    (b"<script>alert(1)</script> / HTTP/1.0\r\n\r\n", 405),
    (b"GET /<script>alert(1)</script> HTTP/1.0\r\n\r\n", 404),
    (b"get / HTTP/1.0\r\n\r\n", 405),
    (b"BREW / HTTP/1.0\r\n\r\n", 405),
    (b"GET /%zz HTTP/1.0\r\n\r\n", 404),
    (b"GET /\xff\xfe HTTP/1.0\r\n\r\n", 404),
    (b"GET / HTTP/1.0\r\n" + b"X: y\r\n" * 200 + b"\r\n", 431),
    (b"GET / HTTP/1.0\r\nX: " + b"y" * 70_000 + b"\r\n\r\n", 431),
    (b"GET / HTTP/1.0\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 200),
    (
        b"GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n",
        200,
    ),
    (b"<script>alert(1)</script>\r\n\r\n", 400),
    (b"\r\n\r\n", None),
]


@pytest.mark.parametrize(("data", "status"), MALFORMED, ids=[repr(m[0][:24]) for m in MALFORMED])
def test_malformed_requests_are_refused_cleanly(server, data, status) -> None:
    received = send(server.port, data)
    no_secret(received)
    if status is None:
        assert received == b""
    elif received.startswith(b"HTTP/"):
        assert int(received.split(b" ", 2)[1]) == status, received[:80]
    else:  # a line that is not HTTP/1.x gets an HTTP/0.9 answer: the error page alone
        assert f"<p>Error code: {status}</p>".encode() in received, received[:300]
    assert b"<script>alert" not in received
    _still_answers(server)


REDIRECTS = {
    "/topics": "/topics/",
    "/topics?next=//evil.example": "/topics/?next=//evil.example",
    "/topics?x=%0d%0aSet-Cookie:a=b": "/topics/?x=%0d%0aSet-Cookie:a=b",
    "/topics#x": "/topics/",
    "/briefs?//evil.example/": "/briefs/?//evil.example/",
}


@pytest.mark.parametrize("target", list(REDIRECTS))
def test_redirects_stay_on_this_server(server, target) -> None:
    """A folder without its slash is redirected to the same path with one: never to another
    host (``//host``), never with a header injected."""
    response = request(server.port, target)
    assert response.status == 301
    assert response.headers["location"] == REDIRECTS[target]
    assert "set-cookie" not in response.headers


@pytest.mark.parametrize(
    "target", ["//evil.example/topics", "/%2f%2fevil.example", "/\\evil.example"]
)
def test_no_redirect_to_another_host(server, target) -> None:
    response = request(server.port, target)
    assert response.status in (400, 404)
    assert "location" not in response.headers


def test_idle_and_half_sent_connections_do_not_block_others(server) -> None:
    idle = []
    try:
        for i in range(30):
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            if i % 3 == 1:
                sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # headers never end
            elif i % 3 == 2:
                sock.sendall(b"GET /")  # the request line never ends
            idle.append(sock)
        started = time.perf_counter()
        _still_answers(server)
        assert time.perf_counter() - started < 2.0
    finally:
        for sock in idle:
            sock.close()


def test_many_open_event_streams_do_not_block_pages(server) -> None:
    """Every open page holds a reload stream; fifty of them leave the server answering."""
    streams = []
    try:
        for _ in range(50):
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            sock.sendall(b"GET /__briefgen/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            streams.append(sock)
        for sock in streams:  # each one connected and greeted
            received = b""
            while b"event: hello" not in received:
                chunk = sock.recv(4096)
                assert chunk, received
                received += chunk
        started = time.perf_counter()
        _still_answers(server)
        assert time.perf_counter() - started < 2.0
    finally:
        for sock in streams:
            sock.close()


def test_two_hundred_mixed_requests_through_twenty_threads(server) -> None:
    good = [
        "/",
        "/briefs/raids/",
        "/topics/",
        "/topics/cartels/",
        "/archive/",
        "/feed.xml",
        "/static/css/style.css",
        "/404.html",
    ]
    targets = [(t, True) for t in good * 13] + [(t, False) for t in (TRAVERSALS * 3)[:96]]
    assert len(targets) == 200

    def fetch(item: tuple[str, bool]) -> tuple[str, bool, Response]:
        return item[0], item[1], request(server.port, item[0], timeout=20)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(fetch, targets))
    assert time.perf_counter() - started < 20
    for target, legit, response in results:
        no_secret(response.body)
        if legit:
            assert response.status == 200, target
        else:
            assert response.status in (400, 404), target
    _still_answers(server)


def test_the_error_page_escapes_hostile_names_and_links(serve, make_site) -> None:
    hostile = "<img src=x onerror=alert(1)>"
    root = make_site(
        {
            "content/topics/cartels.md": topic(),
            f"content/briefs/{hostile}.md": brief(date="tomorrow"),
            "content/briefs/linking.md": brief(body='[x]("><script>alert(2)</script>.md)\n'),
        },
        site_yaml=SITE_YAML + "search:\n  enabled: false\n",
    )
    server = serve(root)
    page = request(server.port, "/")
    assert page.status == 500
    assert b"&lt;img src=x onerror=alert(1)&gt;" in page.body
    assert b"&lt;script&gt;alert(2)&lt;/script&gt;" in page.body
    assert b"<img src=x" not in page.body and b"<script>alert" not in page.body
