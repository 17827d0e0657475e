"""The preview's HTTP side: the server and its handler. Files come from the output folder
(:mod:`briefgen.commands.serve_files` says which), HTML gets the live-reload script, a failed
build shows its errors, and open pages receive reload events."""

from __future__ import annotations

import os
import queue
import socket
import socketserver
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Protocol

from briefgen.commands.serve_files import HTML_TYPE, Found, content_type, read, resolve
from briefgen.commands.serve_pages import (
    EVENTS_PATH,
    Status,
    behind,
    behind_notice,
    error_page,
    inject,
)
from briefgen.pipeline.deferred import Deferred

_TEXT = "text/plain; charset=utf-8"


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

    def publish_caught_up(self) -> None:
        """Tell pages that the work left for later is done (-1: only the pages that show it
        listen)."""
        self.publish(-1)

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
    catching_up: bool = False  # the work the last build left for later is being done
    deferred: Deferred = ()  # that work: the pages that show it say so while it is done

    @contextmanager
    def behind(self) -> Iterator[None]:
        """While the work left for later is done: the pages that show it say so, and a
        request for a missing file does not wait for the build lock (the work holds it)."""
        self.catching_up = True
        try:
            yield
        finally:
            self.catching_up = False

    # file (realpath) → bytes served instead of the file's: an edited brief's quick page
    # while the build runs (replaced whole, never mutated)
    overlay: dict[str, bytes] = field(default_factory=dict)
    # the same for the files plugins make of the pages (the search index) with the quick
    # page in them, until the work left for later is done (commands/serve_quick.py); some
    # are not in the output yet
    quick: dict[str, bytes] = field(default_factory=dict)


def _served(live: Live, found: Found) -> bytes | None:
    """The bytes served for a file found (or not) in the output: those of the quick page or
    of the quick files when there are, else the file's own."""
    if not found.file:
        return None
    data = live.overlay.get(found.file) or live.quick.get(found.file)
    return data if data is not None or found.status != 200 else read(found.file)


class LiveServer(Protocol):
    """What a Handler needs of its server."""

    live: Live


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
        missing = found.status == 404 and found.file not in live.quick
        if missing and not live.catching_up:  # between the renames of a swap?
            with live.building:
                status, found = live.status, resolve(live.root, self.path)
        if found.status == 301:
            self._reply(301, b"", _TEXT, {"Location": found.location})
        elif found.status in (200, 404) and (data := _served(live, found)):
            ctype = content_type(found.file)
            if ctype.startswith("text/html"):
                data = inject(data, status.build)
                page = os.path.relpath(found.file, live.root)
                if live.catching_up and (shown := behind(live.deferred, page)) is not None:
                    data = behind_notice(data, *shown)
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
                if build < 0:
                    self._send("event: caught-up\ndata: ready\n\n")
                    continue
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
