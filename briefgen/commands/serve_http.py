"""The preview's HTTP side: the server and its handler. Files come from the output folder
(:mod:`briefgen.commands.serve_files` says which), HTML gets the live-reload script, a failed
build shows its errors, and open pages receive reload events."""

from __future__ import annotations

import html
import queue
import socket
import socketserver
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Protocol

from briefgen.commands.serve_files import HTML_TYPE, content_type, read, resolve

EVENTS_PATH = "/__briefgen/events"

_TEXT = "text/plain; charset=utf-8"

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


class Broadcaster:
    """Hands each build number to every connected page, through one queue per client."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._inboxes: set[queue.SimpleQueue[int | None]] = set()
        self._closed = False

    @property
    def clients(self) -> int:
        with self._lock:
            return len(self._inboxes)

    def subscribe(self) -> queue.SimpleQueue[int | None] | None:
        """A new client's inbox, or None once the server is stopping."""
        with self._lock:
            if self._closed:
                return None
            inbox: queue.SimpleQueue[int | None] = queue.SimpleQueue()
            self._inboxes.add(inbox)
            return inbox

    def unsubscribe(self, inbox: queue.SimpleQueue[int | None]) -> None:
        with self._lock:
            self._inboxes.discard(inbox)

    def publish(self, build: int) -> None:
        with self._lock:
            for inbox in self._inboxes:
                inbox.put(build)

    def close(self) -> None:
        """End every event stream (None tells a client to hang up)."""
        with self._lock:
            self._closed = True
            for inbox in self._inboxes:
                inbox.put(None)


@dataclass
class Live:
    """What request handlers share with the rebuild thread."""

    root: str  # realpath of the output folder
    log: Callable[[str], None]
    verbose: bool = False  # log every request
    heartbeat: float = 15.0  # seconds between keep-alive comments on event streams
    status: Status = field(default_factory=Status)  # replaced whole, never mutated
    events: Broadcaster = field(default_factory=Broadcaster)
    building: threading.Lock = field(default_factory=threading.Lock)  # held during a build


class LiveServer(Protocol):
    """What a Handler needs of its server."""

    live: Live


def inject(page: bytes, build: int) -> bytes:
    """``page`` with the live-reload script before its last ``</body>`` (or at the end)."""
    script = _SCRIPT.format(build=build).encode()
    at = page.lower().rfind(b"</body>")
    return page + script if at < 0 else page[:at] + script + page[at:]


def error_page(status: Status) -> bytes:
    lines = "\n".join(html.escape(line, quote=False) for line in status.errors)
    text = _ERROR_PAGE.format(
        summary=html.escape(status.summary.capitalize(), quote=False),
        lines=lines,
        script=_SCRIPT.format(build=status.build),
    )
    return text.encode()


class Handler(BaseHTTPRequestHandler):
    """GET and HEAD of the output folder, plus the event stream; nothing else."""

    server: LiveServer  # type: ignore[assignment]  # DevHTTPServer, below
    protocol_version = "HTTP/1.1"
    server_version = "briefgen"
    timeout = 30  # an idle keep-alive connection gives its thread back after this

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if self.command in ("GET", "HEAD"):
            return True
        self.close_connection = True  # its body, if any, is not read
        self._reply(
            405, b"method not allowed\n", _TEXT, {"Allow": "GET, HEAD", "Connection": "close"}
        )
        return False

    def do_GET(self) -> None:
        live = self.server.live
        if self.path.partition("?")[0] == EVENTS_PATH:
            self._events(live)
            return
        status = live.status  # before reading any file: a page never claims a newer build
        found = resolve(live.root, self.path)
        if found.status == 400:
            self._reply(400, b"bad request\n", _TEXT)
            return
        if status.failed and found.page:
            self._reply(500, error_page(status), HTML_TYPE)
            return
        if found.status == 404:  # perhaps asked between the two renames of a rebuild's swap
            with live.building:
                status, found = live.status, resolve(live.root, self.path)
        if found.status == 301:
            self._reply(301, b"", _TEXT, {"Location": found.location})
        elif found.status == 200 and (data := read(found.file)) is not None:
            ctype = content_type(found.file)
            if ctype.startswith("text/html"):
                data = inject(data, status.build)
            self._reply(200, data, ctype)
        else:
            self._not_found(live, status)

    do_HEAD = do_GET

    def _not_found(self, live: Live, status: Status) -> None:
        """404 with the site's own 404 page when it has one."""
        found = resolve(live.root, "/404.html")
        page = read(found.file) if found.status == 200 else None
        if page is None:
            page = b"<!DOCTYPE html>\n<title>Not found</title>\n<h1>Not found</h1>\n"
        self._reply(404, inject(page, status.build), HTML_TYPE)

    def _events(self, live: Live) -> None:
        """Server-sent events: ``hello`` with the latest build, then ``reload`` after each build."""
        if self.command == "HEAD":
            self._reply(200, b"", "text/event-stream")
            return
        inbox = live.events.subscribe()
        if inbox is None:
            self._reply(503, b"stopping\n", _TEXT)
            return
        self.close_connection = True  # the stream ends when the connection does
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self._send(f"retry: 1000\nevent: hello\ndata: {live.status.build}\n\n")
            while True:
                try:
                    build = inbox.get(timeout=live.heartbeat)
                except queue.Empty:
                    self._send(": keep-alive\n\n")
                    continue
                if build is None:
                    return
                self._send(f"event: reload\ndata: {build}\n\n")
        except (ConnectionError, TimeoutError):
            pass  # the page went away; nothing to report
        finally:
            live.events.unsubscribe(inbox)

    def _send(self, text: str) -> None:
        self.wfile.write(text.encode())
        self.wfile.flush()

    def _reply(
        self, code: int, body: bytes, ctype: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: object) -> None:
        if self.server.live.verbose:
            self.server.live.log(f"{self.address_string()} {format % args}")


class DevHTTPServer(ThreadingHTTPServer):
    """One thread per connection; every open connection can be cut when the preview stops."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], live: Live) -> None:
        self.live = live
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks up the host's FQDN, which can stall on a slow resolver.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]

    def process_request(self, request: socket.socket, client_address: object) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: socket.socket) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self._open_lock:
            for sock in self._open:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def handle_error(self, request: object, client_address: object) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)) or error is None:
            return  # a browser closed the connection mid-response: routine
        self.live.log("".join(traceback.format_exception(error)).rstrip())
