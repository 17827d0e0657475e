"""``briefgen serve``: build the site into a folder of the preview's own (kept between runs, see
:mod:`briefgen.commands.serve_folder`), serve it on a local address, rebuild when a source
file changes and tell open pages to reload."""

from __future__ import annotations

import os
import shutil
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from briefgen.commands.serve_errors import ServeError, not_updated, reason, system_error
from briefgen.commands.serve_folder import ServeFolder, serve_folder
from briefgen.commands.serve_http import DevHTTPServer, Live
from briefgen.commands.serve_memory import Collections
from briefgen.commands.serve_pages import Status, described
from briefgen.commands.serve_quick import QuickLook, Site
from briefgen.commands.serve_requests import BUILD, CATCH_UP, WARM, BuildReport, Requests
from briefgen.commands.serve_watch import SiteWatch
from briefgen.config.load import load_config
from briefgen.config.overrides import Overrides
from briefgen.config.schema import CONFIG_FILE
from briefgen.model.diagnostics import BriefgenError
from briefgen.pipeline.build import build
from briefgen.pipeline.deferred import catch_up
from briefgen.pipeline.preview import Preview, Previews
from briefgen.plugins.types import ExternalError
from briefgen.util import processes

_STOP_WAIT = 10.0  # seconds stop() waits for a build under way


class DevServer:
    """Serves a site from its own folder while keeping it built.

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
        self._asks = Requests(self._stopping)
        self._collections = Collections()  # paused from a build until what it left is done
        self._preview: Preview | Previews | None = None  # the last written build's, for quick pages
        self._catch_up_stopped = False  # a save ended the work: no need to say so
        self._number = 0
        self._closed = False
        self._workdir: Path | None = None
        self._folder: ServeFolder | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    @property
    def kept(self) -> bool:
        """Whether the preview builds into the site's own folder, kept for the next start."""
        return self._folder is not None and self._folder.kept

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
        # the output and the lock file a build keeps beside it both live in one folder
        self._folder = serve_folder(self.root)
        self._workdir, self.output = self._folder.work, self._folder.output
        self.live = Live(os.path.realpath(self.output), self._log, self._verbose, self._heartbeat)
        try:
            self._httpd = DevHTTPServer((self.host, self.port), self.live)
        except (OSError, OverflowError) as exc:
            if not self._folder.kept:
                shutil.rmtree(self._workdir, ignore_errors=True)
            self._folder.release()
            raise ServeError(f"cannot listen on {self.host}:{self.port}: {reason(exc)}") from None
        self.port = self._httpd.server_address[1]
        site = Site(self.root, self.overrides, self.output, self._workdir)
        self._quick = QuickLook(self.live, site, self._log, self._verbose)
        try:
            ready = [threading.Event(), threading.Event()]
            self._spawn("http", self._httpd.serve_forever, 0.1)
            self._spawn("watch-root", self._watch.watch_root, ready[0])
            self._spawn("watch-sources", self._watch.watch_sources, ready[1])
            self._spawn("rebuild", self._rebuild_when_asked)
            self._spawn("catch-up", self._catch_up_when_asked)
            first = self.rebuild()
            if first is not None and first.result is not None and self._preview is None:
                self._asks.ask(WARM)  # the last run's pages stand: no model was made
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
            self._collections.pause()
            self._quick.show(self._preview, self._asks.take_changes(), number)
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
            self._quick.left(report.result.deferred)
            self._asks.ask(CATCH_UP)
        else:
            self._collections.settle()
        return report

    def stop(self) -> None:
        """Stop threads and connections, remove the temporary folder; safe to call again,
        and a call interrupted half way (a second Ctrl-C) is finished by the next one.

        A build under way is cut short: the programs it runs (the search indexer) are ended,
        and after ``_STOP_WAIT`` seconds the folder is removed without waiting any longer.
        """
        self._stopping.set()
        self._closed = True  # no build starts from now on
        self._collections.settle(collect=False)
        self._watch.stop()
        self._asks.wake_all()
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
        assert self._folder is not None
        self._folder.discard(self.root, self._log)

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

    def _request_rebuild(self, paths: set[str] | None = None) -> None:
        """Ask for a build; ``paths`` are the files saved (None: not known)."""
        self._asks.saved(paths)
        if self.live is not None and self.live.catching_up and self._workdir is not None:
            self._catch_up_stopped = True
            processes.stop(self._workdir)  # a save does not wait for the search index

    def _warm_up(self) -> None:
        """After a start that found nothing changed, build once more without reusing the last
        result (nothing is rendered again) to have the model that quick pages are made from;
        the pages stand as they are, so nothing is reported or reloaded."""
        assert self.live is not None
        with self.live.building:
            if self._closed or self._asks.pending(BUILD) or self._preview is not None:
                return  # a save came first: its build makes the model
            started = time.perf_counter()
            self._collections.pause()
            try:
                result = build(self.root, overrides=self.overrides, defer=True, reuse=False)
            except (BriefgenError, OSError):
                return  # the next save's build reports it
            finally:
                self._collections.settle()
            self._preview = result.preview or self._preview
        if self._verbose:
            self._log(f"model loaded for quick pages in {time.perf_counter() - started:.2f} s")
        if result.deferred:  # the index, behind no page, is checked; then saves get quick files
            self.live.deferred = result.deferred
            self._quick.left(result.deferred)
            self._asks.ask(CATCH_UP)

    def _catch_up_when_asked(self) -> None:
        """Do what each build left for later (the search index), between builds."""
        assert self.live is not None
        while self._asks.wait(CATCH_UP) is not None:
            with self.live.building:
                if self._closed or self._asks.pending(BUILD):
                    continue  # a save came first: its build asks again
                self._catch_up_stopped = False
                started, number = time.perf_counter(), self._number
                try:
                    with self.live.behind():
                        done = catch_up(self.root, self.overrides)
                except (ExternalError, BriefgenError, OSError) as exc:
                    done = ()
                    if not self._catch_up_stopped and not self._closed:  # not stopped for a save
                        self._log(not_updated(self.live.deferred, exc))
            if done:
                self._quick.caught_up(number)
                self.live.events.publish_caught_up()
                if self._verbose:
                    self._log(f"{described(done)} updated in {time.perf_counter() - started:.2f} s")
            if not self._asks.pending(BUILD):  # else the collector waits for that build's work
                self._collections.settle()

    def _rebuild_when_asked(self) -> None:
        while (flag := self._asks.wait(BUILD, WARM)) is not None:
            try:
                self.rebuild() if flag == BUILD else self._warm_up()
            except Exception as exc:  # a bug in briefgen: show it and keep serving
                self._collections.settle()
                self._log("".join(traceback.format_exception(exc)).rstrip())
