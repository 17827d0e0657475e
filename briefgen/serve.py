"""``briefgen serve``: build the site into a temporary folder, serve it on a local address,
rebuild when a source file changes and tell open pages to reload."""

from __future__ import annotations

import errno
import os
import re
import shutil
import socket
import socketserver
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path

import watchfiles

from briefgen.build import BuildResult, build, forget_output
from briefgen.config import CONFIG_FILE, PROTECTED_DIRS, load_config
from briefgen.devserver import Handler, Live, Status
from briefgen.diagnostics import BriefgenError

# What a build reads: site.yaml and these folders under the site root.
SOURCE_DIRS = PROTECTED_DIRS
_WATCHED = frozenset((CONFIG_FILE, *SOURCE_DIRS))
_IGNORED_DIRS = frozenset(watchfiles.DefaultFilter.ignore_dirs)
# Editors' swap, backup and lock files: vim's .swp and 4913, emacs' #x# and .#x, x~, Chrome's .crswap
_SCRATCH = re.compile(
    "|".join((*watchfiles.DefaultFilter.ignore_entity_patterns, r"^#.*#$", r"^4913$", r"\.crswap$"))
)
_STEP_MS = 50  # changes are handed on once none came for this long


@dataclass(frozen=True)
class BuildReport:
    """One build of the preview: its number (from 1) and its result or the error that stopped it."""

    number: int
    result: BuildResult | None = None
    error: BriefgenError | None = None


class ServeError(Exception):
    """The preview cannot start: the address is taken or unusable."""


class DevServer:
    """Serves a site from a temporary folder while keeping it built.

    ``start()`` binds the address, builds, and starts four daemon threads: the HTTP server,
    a watcher of the site root (``site.yaml``, source folders appearing or going), a watcher of
    the source folders, and the rebuilder. Watchers only flag a change; the rebuilder builds
    once per burst of changes, then every connected page gets a ``reload`` event, whether the
    build worked or not (a failed build turns every page into the error page).
    """

    def __init__(
        self,
        root: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        drafts: bool = True,
        future: bool = True,
        on_build: Callable[[BuildReport], None] | None = None,
        log: Callable[[str], None] | None = None,
        verbose: bool = False,
        heartbeat: float = 15.0,
    ) -> None:
        self.root = Path(root).resolve()
        self.host, self.port = host, port
        self.drafts, self.future = drafts, future
        self._on_build = on_build or (lambda report: None)
        self._log = log or (lambda message: None)
        self._verbose, self._heartbeat = verbose, heartbeat
        self.output: Path | None = None
        self.live: Live | None = None
        self._httpd: DevHTTPServer | None = None
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()
        self._relist = threading.Event()  # the set of source folders changed
        self._wake = threading.Condition()
        self._dirty = False
        self._number = 0
        self._closed = False

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def start(self) -> int:
        """Bind, build once and start watching; returns the port (useful with port 0).

        A failed first build does not stop the server: pages show its errors. Raises
        ConfigError when there is no site at ``root`` and ServeError when the address is unusable.
        """
        if not (self.root / CONFIG_FILE).is_file():
            load_config(self.root)  # raises the usual "no site.yaml here" error
        # the output and the lock file a build keeps beside it both live in one temporary folder
        self._workdir = Path(tempfile.mkdtemp(prefix="briefgen-serve-"))
        self.output = self._workdir / "site"
        self.output.mkdir()
        self.live = Live(os.path.realpath(self.output), self._log, self._verbose, self._heartbeat)
        try:
            self._httpd = DevHTTPServer((self.host, self.port), self.live)
        except (OSError, OverflowError) as exc:
            shutil.rmtree(self._workdir, ignore_errors=True)
            raise ServeError(f"cannot listen on {self.host}:{self.port}: {_reason(exc)}") from None
        self.port = self._httpd.server_address[1]
        try:
            ready = [threading.Event(), threading.Event()]
            self._spawn("http", self._httpd.serve_forever, 0.1)
            self._spawn("watch-root", self._watch_root, ready[0])
            self._spawn("watch-sources", self._watch_sources, ready[1])
            self._spawn("rebuild", self._rebuild_when_asked)
            self.rebuild()
            for event in ready:  # an edit made as soon as start() returns must be seen
                event.wait(5)
        except BaseException:
            self.stop()
            raise
        return self.port

    def rebuild(self) -> BuildReport | None:
        """Build now, publish the outcome to open pages; None once stopped."""
        assert self.live is not None and self.output is not None, "start() first"
        with self.live.building:
            if self._closed:
                return None
            number = self._number + 1
            try:
                result = build(
                    self.root,
                    output_dir=str(self.output),
                    base_url=self.url,
                    drafts=self.drafts,
                    future=self.future,
                )
                report = BuildReport(number, result=result)
                self.live.status = Status(number)
            except BriefgenError as exc:
                report = BuildReport(number, error=exc)
                diags = exc.diagnostics
                errors = tuple(d.format() for d in diags.sorted())
                self.live.status = Status(number, True, errors, diags.summary())
            self._number = number
        self.live.events.publish(number)
        self._on_build(report)
        return report

    def stop(self) -> None:
        """Stop threads and connections, remove the temporary folder; safe to call twice."""
        if self._stopping.is_set():
            return
        self._stopping.set()
        self._relist.set()
        with self._wake:
            self._wake.notify_all()
        if self.live is not None:
            self.live.events.close()
        if self._httpd is not None:
            if self._threads:  # the first one runs serve_forever, which shutdown() waits for
                self._httpd.shutdown()
            self._httpd.close_connections()
            self._httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        if self.live is not None and self.output is not None:
            with self.live.building:
                self._closed = True
                shutil.rmtree(self._workdir, ignore_errors=True)
                forget_output(self.root, self.output)  # its cache record dies with the folder

    def _spawn(self, name: str, target: Callable[..., object], *args: object) -> None:
        thread = threading.Thread(target=target, args=args, name=f"briefgen-{name}", daemon=True)
        self._threads.append(thread)
        thread.start()

    def _request_rebuild(self) -> None:
        with self._wake:
            self._dirty = True
            self._wake.notify()

    def _rebuild_when_asked(self) -> None:
        while True:
            with self._wake:
                self._wake.wait_for(lambda: self._dirty or self._stopping.is_set())
                if self._stopping.is_set():
                    return
                self._dirty = False
            try:
                self.rebuild()
            except Exception as exc:  # a bug in briefgen: show it and keep serving
                self._log("".join(traceback.format_exception(exc)).rstrip())

    def _relevant(self, change: watchfiles.Change, path: str) -> bool:
        """A change the site depends on: not in .git, not an editor's scratch file."""
        parts = Path(os.path.relpath(path, self.root)).parts
        if not parts or parts[0] not in _WATCHED:
            return False
        return not (_IGNORED_DIRS.intersection(parts) or _SCRATCH.search(parts[-1]))

    def _watch_root(self, ready: threading.Event) -> None:
        """site.yaml, and source folders created, removed or renamed."""
        for changes in self._watch([self.root], ready, self._stopping, recursive=False):
            if any(os.path.basename(path) != CONFIG_FILE for _, path in changes):
                self._relist.set()
            self._request_rebuild()

    def _watch_sources(self, ready: threading.Event) -> None:
        """Every file under the source folders that exist; watched again when that set changes."""
        while not self._stopping.is_set():
            self._relist.clear()
            folders = [self.root / name for name in SOURCE_DIRS if (self.root / name).is_dir()]
            if not folders:
                ready.set()
                self._relist.wait()
                continue
            for _ in self._watch(folders, ready, self._stopping, self._relist):
                self._request_rebuild()
            self._relist.wait()  # at once after a relist; after a failed watch, until one

    def _watch(
        self,
        paths: list[Path],
        ready: threading.Event,
        *stops: threading.Event,
        recursive: bool = True,
    ) -> Iterator[set[tuple[watchfiles.Change, str]]]:
        """watchfiles.watch until one of ``stops`` is set; a watch that fails is logged."""
        try:
            yield from watchfiles.watch(
                *paths,
                watch_filter=self._relevant,
                step=_STEP_MS,
                stop_event=_StopWhen(ready, stops),
                recursive=recursive,
                raise_interrupt=False,
                ignore_permission_denied=True,
            )
        except (OSError, RuntimeError) as exc:  # a watched folder vanished, a watch limit hit
            if not self._stopping.is_set():
                self._log(f"briefgen serve: cannot watch {', '.join(map(str, paths))}: {exc}")
        finally:
            ready.set()


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


class _StopWhen:
    """watchfiles' stop_event: set when any of ``stops`` is. watchfiles polls it only once
    its watches are in place, so the first poll also tells that changes are now seen."""

    def __init__(self, ready: threading.Event, stops: tuple[threading.Event, ...]) -> None:
        self.ready, self.stops = ready, stops

    def is_set(self) -> bool:
        self.ready.set()
        return any(event.is_set() for event in self.stops)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.errno == errno.EADDRINUSE:
        return "the address is already in use (another server?); choose another with --port"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)
