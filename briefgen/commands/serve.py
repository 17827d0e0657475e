"""``briefgen serve``: build the site into a temporary folder, serve it on a local address,
rebuild when a source file changes and tell open pages to reload."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from briefgen.commands.serve_errors import ServeError, not_updated, reason, remove, system_error
from briefgen.commands.serve_http import DevHTTPServer, Live
from briefgen.commands.serve_pages import Status, described
from briefgen.commands.serve_watch import SiteWatch
from briefgen.config.load import load_config
from briefgen.config.overrides import Overrides
from briefgen.config.schema import CONFIG_FILE
from briefgen.model.diagnostics import BriefgenError
from briefgen.pipeline.build import BuildResult, build, forget_output
from briefgen.pipeline.deferred import catch_up
from briefgen.pipeline.preview import Preview, Previews
from briefgen.plugins.types import ExternalError
from briefgen.util import processes

_STOP_WAIT = 10.0  # seconds stop() waits for a build under way


@dataclass(frozen=True)
class BuildReport:
    """One build of the preview: its number (from 1) and its result or the error that stopped it."""

    number: int
    result: BuildResult | None = None
    error: BriefgenError | None = None


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
        self._watch = SiteWatch(self.root, self._request_rebuild, self._log, self._stopping)
        self._wake = threading.Condition()
        self._dirty = False
        self._changes: set[str] | None = set()  # files saved since the last build (None: unknown)
        self._preview: Preview | Previews | None = None  # the last written build's, for quick pages
        self._catch_up_wanted = False
        self._catch_up_stopped = False  # a save ended the work: no need to say so
        self._number = 0
        self._closed = False
        self._workdir: Path | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    @property
    def overrides(self) -> Overrides:
        """The preview's settings: its own folder and address, drafts and future briefs."""
        assert self.output is not None, "start() first"
        return Overrides(str(self.output), self.url, drafts=self.drafts, future=self.future)

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
            raise ServeError(f"cannot listen on {self.host}:{self.port}: {reason(exc)}") from None
        self.port = self._httpd.server_address[1]
        try:
            ready = [threading.Event(), threading.Event()]
            self._spawn("http", self._httpd.serve_forever, 0.1)
            self._spawn("watch-root", self._watch.watch_root, ready[0])
            self._spawn("watch-sources", self._watch.watch_sources, ready[1])
            self._spawn("rebuild", self._rebuild_when_asked)
            self._spawn("catch-up", self._catch_up_when_asked)
            self.rebuild()
            for event in ready:  # an edit made as soon as start() returns must be seen
                event.wait(5)
        except BaseException:
            self.stop()
            raise
        return self.port

    def rebuild(self) -> BuildReport | None:
        """Build now, publish the outcome to open pages; None once stopped.

        A system error (no file descriptor left, a full disk) fails this build like a
        content error, with one diagnostic; the next save builds again.
        """
        assert self.live is not None and self.output is not None, "start() first"
        with self.live.building:
            if self._closed:
                return None
            number = self._number + 1
            with self._wake:
                changes, self._changes = self._changes, set()
            self._show_first(changes)
            try:
                # pages first; the search index follows in the background
                result = build(self.root, overrides=self.overrides, defer=True)
                report = BuildReport(number, result=result)
                self._preview = result.preview or self._preview  # None: nothing had changed
                self.live.status = Status(number)
            except (BriefgenError, OSError) as exc:
                error = exc if isinstance(exc, BriefgenError) else system_error(self.root, exc)
                report = BuildReport(number, error=error)
                diags = error.diagnostics
                errors = tuple(d.format() for d in diags.sorted())
                self.live.status = Status(number, True, errors, diags.summary())
            finally:
                self.live.overlay = {}
                if self._closed:  # stop() may have given up waiting and removed the folder,
                    self._discard()  # which this build then made again
            if self._closed:
                return None
            self._number = number
        self.live.events.publish(number)
        self._on_build(report)
        if report.result is not None and report.result.preview is not None:
            report.result.preview.warm()
        if report.result is not None and report.result.deferred:
            self.live.deferred = report.result.deferred  # the work to do, and the pages showing it
            self._request_catch_up()
        return report

    def stop(self) -> None:
        """Stop threads and connections, remove the temporary folder; safe to call again,
        and a call interrupted half way (a second Ctrl-C) is finished by the next one.

        A build under way is cut short: the programs it runs (the search indexer) are ended,
        and after ``_STOP_WAIT`` seconds the folder is removed without waiting any longer.
        """
        self._stopping.set()
        self._closed = True  # no build starts from now on
        self._watch.stop()
        with self._wake:
            self._wake.notify_all()
        if self.live is not None:
            self.live.events.close()
        if self._httpd is not None:
            if self._threads:  # the first one runs serve_forever, which shutdown() waits for
                self._httpd.shutdown()
            self._httpd.close_connections()
            self._httpd.server_close()
        if self._workdir is None:
            return
        held = self._wait_for_build() if self.live is not None else False
        try:
            for thread in self._threads:
                thread.join(timeout=1)
            self._discard()
        finally:
            if held:
                self.live.building.release()

    def _discard(self) -> None:
        """Remove the temporary folder, and the cache's record of it (it dies with the folder)."""
        assert self._workdir is not None and self.output is not None
        remove(self._workdir, self._log)
        forget_output(self.root, self.output)

    def _wait_for_build(self) -> bool:
        """Take the build lock, ending the programs a build under way runs; False on timeout."""
        assert self.live is not None and self._workdir is not None
        deadline = time.monotonic() + _STOP_WAIT
        while not self.live.building.acquire(timeout=0.05):
            processes.stop(self._workdir)  # again: the build may start one later
            if time.monotonic() > deadline:
                self._log("briefgen serve: a build is still running; its folder goes anyway")
                return False
        return True

    def _spawn(self, name: str, target: Callable[..., object], *args: object) -> None:
        thread = threading.Thread(target=target, args=args, name=f"briefgen-{name}", daemon=True)
        self._threads.append(thread)
        thread.start()

    def _show_first(self, changes: set[str] | None) -> None:
        """When the save changed one published brief, serve its quick page (see
        :mod:`briefgen.pipeline.preview`) and reload open pages, before the build."""
        live, preview = self.live, self._preview
        assert live is not None and self.output is not None
        if preview is None or live.status.failed or not changes or len(changes) != 1:
            return
        path = Path(next(iter(changes)))
        if not path.is_relative_to(self.root):
            return
        started = time.perf_counter()
        quick = preview.page(path.relative_to(self.root).as_posix())
        if quick is None:
            return
        file, data = quick
        live.overlay = {os.path.realpath(self.output / file): data}
        live.events.publish(self._number)
        if self._verbose:
            self._log(f"quick page {file} in {time.perf_counter() - started:.2f} s")

    def _request_rebuild(self, paths: set[str] | None = None) -> None:
        """Ask for a build; ``paths`` are the files saved (None: not known)."""
        with self._wake:
            self._dirty = True
            if paths is None or self._changes is None:
                self._changes = None
            else:
                self._changes |= paths
            self._wake.notify_all()  # two threads wait on it: the rebuilder and the indexer
        if self.live is not None and self.live.catching_up and self._workdir is not None:
            self._catch_up_stopped = True
            processes.stop(self._workdir)  # a save does not wait for the search index

    def _request_catch_up(self) -> None:
        with self._wake:
            self._catch_up_wanted = True
            self._wake.notify_all()

    def _asked(self, flag: str) -> bool:
        """Wait until the flag named ``flag`` is set, clear it and say True; False once the
        server is stopping."""
        with self._wake:
            self._wake.wait_for(lambda: getattr(self, flag) or self._stopping.is_set())
            if self._stopping.is_set():
                return False
            setattr(self, flag, False)
            return True

    def _catch_up_when_asked(self) -> None:
        """Do what each build left for later (the search index), between builds."""
        assert self.live is not None
        while self._asked("_catch_up_wanted"):
            with self.live.building:
                if self._closed or self._dirty:
                    continue  # a save came first: its build asks again
                self._catch_up_stopped = False
                started = time.perf_counter()
                try:
                    with self.live.behind():
                        done = catch_up(self.root, self.overrides)
                except (ExternalError, BriefgenError, OSError) as exc:
                    done = ()
                    if not self._catch_up_stopped and not self._closed:  # not stopped for a save
                        self._log(not_updated(self.live.deferred, exc))
            if done:
                self.live.events.publish_caught_up()
                if self._verbose:
                    self._log(f"{described(done)} updated in {time.perf_counter() - started:.2f} s")

    def _rebuild_when_asked(self) -> None:
        while self._asked("_dirty"):
            try:
                self.rebuild()
            except Exception as exc:  # a bug in briefgen: show it and keep serving
                self._log("".join(traceback.format_exception(exc)).rstrip())
