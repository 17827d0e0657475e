"""`briefgen serve` runs all day: rebuilds hold no more files or memory as they go, and a
signal in any state ends the programs of a build under way, removes the preview's temporary
folder and leaves its own folder whole. (A system error during a
rebuild is tested in test_serve.py, with its fixtures.)"""

from __future__ import annotations

import json
import os
import queue
import signal
import stat
import subprocess
import sys
import threading
from contextlib import ExitStack
from pathlib import Path

import pytest
from test_serve import _free_port, another_preview, eventually

from briefgen.config.overrides import Overrides
from briefgen.features.search import pagefind as search
from briefgen.pipeline.cache import Cache

from conftest import REPO, brief, topic

linux_only = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")


@linux_only
def test_three_hundred_rebuilds_hold_no_more_files_or_memory() -> None:
    """scripts/serve_soak.py, in its own process under a limit of 128 open files: it edits a
    brief that shows a PDF, a video card, a post and a quote, and calls DevServer.rebuild()
    (search index included) 300 times; every tenth round replaces the PDF."""
    command = [
        sys.executable,
        str(REPO / "scripts/serve_soak.py"),
        "--rebuilds",
        "300",
        "--nofile",
        "128",
        "--shortcodes",
        "--json",
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads(run.stdout)
    assert report["failures"] == []
    samples = {int(n): s for n, s in report["samples"].items()}
    early, late = samples[20], samples[300]
    print(f"open files: {[(n, s['fds']) for n, s in sorted(samples.items())]}")
    print(f"RSS KiB: {[(n, s['rss_kib']) for n, s in sorted(samples.items())]}")
    assert late["fds"] <= early["fds"] + 1  # each leaked build would add two or more
    assert late["rss_kib"] - early["rss_kib"] < 8 * 1024


def test_a_closed_cache_has_no_pack_open_and_still_reads_bodies(make_site) -> None:
    from briefgen.pipeline.build import build

    root = make_site(
        {"content/briefs/2025-02-04-a.md": brief(), "content/topics/cartels.md": topic()}
    )
    result = build(root, overrides=Overrides(str(root / "out")))  # fills the cache
    result = build(root, write=False)  # reads bodies back from packs, then closes them
    if Path("/proc/self/fd").is_dir():
        assert not [path for path in _open_files() if path.endswith(".pack")]
    assert result.site is not None
    assert "Body text." in result.site.briefs[0].body.html  # the model outlives its cache
    with Cache(root.resolve()) as store:
        assert store.enabled
    store.close()  # twice is fine


BROKEN = "---\ntitle: [unclosed\ndate: 2025-02-04\n---\n\nBody.\n"


@pytest.mark.parametrize("folder", ["own", "temporary"])
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("state", ["after-a-failed-build", "while-building"])
def test_a_signal_stops_the_preview_cleanly(make_site, tmp_path, sig, state, folder) -> None:
    """While building, the search indexer (a stand-in) hangs until it is ended: the server
    must end it rather than wait, and leave no indexer running. A preview that builds in a
    temporary folder (another preview holds the site's own) removes it; one that builds in
    the site's own folder leaves it, and the next start serves it."""
    files = {"content/briefs/2025-02-04-a.md": brief(), "content/topics/cartels.md": topic()}
    if state == "after-a-failed-build":
        files["content/briefs/2025-02-05-b.md"] = BROKEN
    root = make_site(files)
    tmp = tmp_path / "serve-tmp"
    tmp.mkdir()
    hang, pid_file = tmp_path / "hang", tmp_path / "indexer.pid"
    indexer = tmp_path / "indexer"
    indexer.write_text(
        f'#!/bin/sh\nif [ -e "{hang}" ]; then echo $$ > "{pid_file}"; exec sleep 60; fi\n'
        f'exec "{search.find_indexer()}" "$@"\n'
    )
    indexer.chmod(indexer.stat().st_mode | stat.S_IXUSR)
    env = {**os.environ, "TMPDIR": str(tmp), "PAGEFIND_BINARY_PATH": str(indexer)}
    command = [
        sys.executable,
        "-m",
        "briefgen",
        "serve",
        "--source",
        str(root),
        "--port",
        str(_free_port()),
    ]
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()  # type: ignore[union-attr]
    held = ExitStack()
    if folder == "temporary":
        held.enter_context(another_preview(root))
    try:
        while not lines.get(timeout=20).startswith("serving "):
            pass
        assert bool(list(tmp.glob("briefgen-serve-*"))) == (folder == "temporary")
        if state == "while-building":
            hang.touch()
            (root / "content/briefs/2025-02-04-a.md").write_text(brief(body="New.\n"))
            eventually(lambda: pid_file.is_file() and pid_file.read_text().strip(), timeout=10)
        proc.send_signal(sig)
        assert proc.wait(timeout=15) == 0
    finally:
        proc.kill()
        proc.wait(timeout=5)
        held.close()
    err = proc.stderr.read()  # type: ignore[union-attr]
    assert "Traceback" not in err
    assert list(tmp.iterdir()) == []
    own = root / ".briefgen-cache/serve/site"
    assert (own / "index.html").is_file() == (folder == "own" and state == "while-building")
    if state == "while-building":
        assert not _alive(int(pid_file.read_text())), "the indexer outlived the server"


def _alive(pid: int) -> bool:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[0] != "Z"  # a zombie is dead, waiting to be reaped


def _open_files() -> list[str]:
    found = []
    for name in os.listdir("/proc/self/fd"):
        try:
            found.append(os.readlink(f"/proc/self/fd/{name}"))
        except OSError:  # the descriptor listdir itself used
            pass
    return found
