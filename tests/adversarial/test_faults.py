"""Faults during a build: signals, a read-only folder, a full disk, two builds at once.

After each one: a non-zero exit status with a clear message and no traceback, the previous
public/ byte-identical, and no ``.public.new-*`` / ``.public.old-*`` folder left behind.

Cases:
- (a) SIGINT and SIGTERM sent to ``python -m briefgen build`` on a site of 200 briefs (half a
  second to build) at four points: while it reads the briefs, while it renders pages, while
  it writes the new folder, while the search indexer runs. The points are made certain, not
  guessed from timings: a brief that is a named pipe holds the build while it reads; its
  progress bar, drawn on a pseudo-terminal, shows it rendering pages (made slow by a site
  template); files appearing in its staging folder show it writing; and a stand-in for the
  Pagefind binary (``PAGEFIND_BINARY_PATH``) holds it before indexing, so the swap can never
  happen before the signal arrives. Exit status 130, "interrupted" alone on the terminal
  (the progress bar cleared). The next build
  succeeds and leaves nothing behind either, also after ``kill -9``; an interrupt that lands
  just after the staging folder was made, before its name reached the code, leaves nothing.
- (b) a read-only parent of the output folder (a real ``chmod 0o555`` when not root; as root,
  where permissions do not stop writes, ``tempfile.mkdtemp`` is made to raise
  PermissionError): exit 1, "cannot write PATH: Permission denied"
- (c) a full disk: ``OSError(ENOSPC)`` from the Nth ``atomic.write_file`` (first, fifth,
  last) and the Nth ``shutil.copyfile`` (first, last), from the search indexer, and a
  failing ``Path.rename`` at the first or second rename of the swap
- (d) two builds of the same site started together: both succeed (one waits for the other)
  and public/ is exactly what a single build gives, with nothing left behind
"""

from __future__ import annotations

import errno
import os
import pty
import select
import shutil
import signal
import stat
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from briefgen.features.search import pagefind as search
from briefgen.write import atomic

from ._support import FAST_SITE, briefgen_command, build, subprocess_env
from conftest import SITE_YAML, brief, read_tree, staging_left, topic

BRIEFS = 200


@dataclass(frozen=True)
class BigSite:
    root: Path
    tree: dict[str, bytes]  # public/ after a good build


@pytest.fixture(scope="module")
def big_site_template(tmp_path_factory) -> BigSite:
    """200 briefs over three topics, built once in a child process. Each test works on a
    copy made of hard links (fast): builds never change a file in place, they replace
    public/ whole."""
    root = tmp_path_factory.mktemp("big") / "site"
    briefs = root / "content/briefs"
    briefs.mkdir(parents=True)
    (root / "content/topics").mkdir()
    (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    for slug in ("cartels", "border", "drones"):
        (root / f"content/topics/{slug}.md").write_text(topic(title=slug.title()), encoding="utf-8")
    for i in range(BRIEFS):
        day = f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}"
        body = f"## Background\n\nParagraph {i} on the raids. " * 20 + "\n"
        topics = ["[cartels]", "[border, cartels]", "[drones]"][i % 3]
        (briefs / f"b{i:04d}.md").write_text(
            brief(title=f"Brief number {i}", date=day, topics=topics, body=body), encoding="utf-8"
        )
    subprocess.run(
        briefgen_command("build", "--source", root, "--quiet"),
        check=True,
        timeout=60,
        env=subprocess_env(),
    )
    return BigSite(root, read_tree(root / "public"))


@pytest.fixture
def big_site(big_site_template: BigSite, tmp_path: Path) -> BigSite:
    """A fresh copy of the built site, with one brief more, so that a build that finished
    would change public/."""
    root = tmp_path / "site"
    shutil.copytree(big_site_template.root, root, symlinks=True, copy_function=os.link)
    (root / "content/briefs/new.md").write_text(brief(title="Added"), encoding="utf-8")
    return BigSite(root, big_site_template.tree)


def _fifo(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    return path


@contextmanager
def _reader_waiting(fifo: Path, proc: subprocess.Popen, timeout: float = 20) -> Iterator[None]:
    """Wait until ``proc`` (or its child) has ``fifo`` open for reading and is stuck on it;
    afterwards let it go (EOF) in case it is still there."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            break
        except OSError as exc:  # ENXIO: nobody reads it yet
            assert exc.errno == errno.ENXIO
        assert proc.poll() is None, f"build ended early: {proc.communicate()}"
        assert time.monotonic() < deadline, "the build never reached the named pipe"
        time.sleep(0.002)
    try:
        yield
    finally:
        os.close(fd)


def _signal_until_it_ends(proc: subprocess.Popen, sig: int, timeout: float = 20) -> None:
    """Send ``sig`` again every half second until ``proc`` ends. A signal that lands after
    the pipe's open() returned but before its read() starts cannot interrupt that read
    (Python runs handlers between bytecodes, and the read then blocks): a person pressing
    Ctrl-C twice, which is what this does."""
    deadline = time.monotonic() + timeout
    while True:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=0.5)
            return
        except subprocess.TimeoutExpired:
            assert time.monotonic() < deadline, "the build ignored the signal"


def _staging_filling(root: Path, proc: subprocess.Popen, timeout: float = 20) -> None:
    """Wait until the build has begun writing files into its staging folder."""
    deadline = time.monotonic() + timeout

    def filling() -> bool:
        for folder in root.glob(".public.new-*"):
            try:
                if any(folder.iterdir()):
                    return True
            except FileNotFoundError:  # removed meanwhile
                pass
        return False

    while not filling():
        assert proc.poll() is None, f"build ended early: {proc.communicate()}"
        assert time.monotonic() < deadline, "no staging folder was filled"
        time.sleep(0.001)


class _Terminal:
    """A pseudo-terminal for the build's stderr, so that it draws its progress bar."""

    def __init__(self) -> None:
        self.master, self.slave = pty.openpty()
        self.text = ""

    def read_until(self, word: str, proc: subprocess.Popen, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while word not in self.text:
            assert proc.poll() is None, f"build ended early: {self.text}"
            assert time.monotonic() < deadline, f"never saw {word!r}: {self.text!r}"
            if select.select([self.master], [], [], 0.05)[0]:
                self.text += os.read(self.master, 4096).decode(errors="replace")

    def read_rest(self) -> str:
        while select.select([self.master], [], [], 1)[0]:
            try:
                chunk = os.read(self.master, 4096)
            except OSError:  # EIO: the build closed its end
                break
            if not chunk:
                break
            self.text += chunk.decode(errors="replace")
        os.close(self.master)
        return self.text


def _indexer_stand_in(folder: Path, fifo: Path) -> Path:
    """A stand-in for Pagefind's binary that waits on ``fifo`` and then runs the real one."""
    real = search.find_indexer()
    script = folder / "pagefind-stand-in"
    script.write_text(
        f'#!/bin/sh\nread line < "{fifo}" || exit 1\nexec "{real}" "$@"\n', encoding="utf-8"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def _screen(text: str) -> str:
    """What a terminal shows: each line as left by its last carriage return, escapes gone."""
    lines = text.replace("\r\n", "\n").replace("\x1b[K", "").split("\n")
    return "\n".join(line.rsplit("\r", 1)[-1] for line in lines)


PHASES = ["reading", "rendering", "writing", "indexing"]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("phase", PHASES)
def test_a_signal_during_a_build_leaves_the_previous_site(big_site, tmp_path, phase, sig) -> None:
    root = big_site.root
    hold = _fifo(tmp_path / "hold")  # the indexer stand-in waits on it: no swap without us
    env = subprocess_env(PAGEFIND_BINARY_PATH=str(_indexer_stand_in(tmp_path, hold)))
    if phase == "reading":
        pipe = _fifo(root / "content/briefs/zzzz-pipe.md")  # read last
    elif phase == "rendering":  # brief pages slow enough for the progress bar to show
        (root / "templates").mkdir()
        (root / "templates/brief.html").write_text(
            '{% extends "base.html" %}\n{% block content %}'
            "{{ range(1000000) | sum }} {{ brief.title }}{% endblock %}\n",  # ~10 ms a page
            encoding="utf-8",
        )
    terminal = _Terminal()
    proc = subprocess.Popen(
        briefgen_command("build", "--source", root),
        env=env,
        stdout=subprocess.PIPE,
        stderr=terminal.slave,
        text=True,
    )
    os.close(terminal.slave)
    try:
        if phase == "reading":
            with _reader_waiting(pipe, proc):
                _signal_until_it_ends(proc, sig)
        elif phase == "rendering":
            terminal.read_until("pages", proc)  # the progress bar is on the pages
            time.sleep(0.05)  # between two redraws of the bar (at most ten a second)
            proc.send_signal(sig)
        elif phase == "writing":
            _staging_filling(root, proc)
            proc.send_signal(sig)
        else:
            with _reader_waiting(hold, proc):
                proc.send_signal(sig)
                proc.wait(timeout=20)
        out = proc.communicate(timeout=20)[0]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    err = _screen(terminal.read_rest())
    assert proc.returncode == 130, (proc.returncode, err)
    assert err.strip().splitlines() == ["interrupted"], err
    assert "Traceback" not in err and out == ""
    assert read_tree(root / "public") == big_site.tree
    assert staging_left(root) == []


def test_a_build_after_an_interrupted_one_succeeds_and_tidies_up(big_site, tmp_path) -> None:
    root = big_site.root
    hold = _fifo(tmp_path / "hold")
    env = subprocess_env(PAGEFIND_BINARY_PATH=str(_indexer_stand_in(tmp_path, hold)))
    proc = subprocess.Popen(
        briefgen_command("build", "--source", root, "-q"),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    with _reader_waiting(hold, proc):
        proc.kill()  # kill -9: no chance to tidy up
        proc.wait(timeout=10)
    assert staging_left(root) != []  # what a killed build leaves
    result = subprocess.run(
        briefgen_command("build", "--source", root, "-q"),
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert staging_left(root) == []
    assert "briefs/new/index.html" in read_tree(root / "public")


@pytest.mark.parametrize("mode", ["full", "incremental"])
def test_an_interrupt_right_after_the_staging_folder_is_made_leaves_nothing(
    cli, make_site, monkeypatch, mode
) -> None:
    root = make_site(
        {"content/briefs/a.md": brief(), "content/topics/cartels.md": topic()}, site_yaml=FAST_SITE
    )
    build(cli, root, "--quiet", expect=0)
    before = read_tree(root / "public")
    real = tempfile.mkdtemp

    def mkdtemp_then_signal(*args: object, **kwargs: object) -> str:
        real(*args, **kwargs)
        raise KeyboardInterrupt  # what the SIGTERM handler raises, one bytecode later

    (root / "content/briefs/a.md").write_text(brief(body="Changed.\n"), encoding="utf-8")
    monkeypatch.setattr(tempfile, "mkdtemp", mkdtemp_then_signal)
    run = cli("build", "--source", root, *(["--no-cache"] if mode == "full" else []))
    monkeypatch.undo()
    assert run.code == 130 and run.err == "interrupted\n"
    assert read_tree(root / "public") == before
    assert staging_left(root) == []


# ---- (b) read-only output parent -----------------------------------------------------------


@pytest.fixture
def small_site(make_site) -> Path:
    root = make_site(
        {
            "content/briefs/a.md": brief(),
            "content/briefs/b.md": brief(title="B"),
            "content/topics/cartels.md": topic(),
            "static/img/x.png": b"png",
        },
        site_yaml=FAST_SITE,
    )
    return root


def _built(cli, root: Path) -> dict[str, bytes]:
    build(cli, root, "--quiet", expect=0)
    (root / "content/briefs/c.md").write_text(brief(title="C"), encoding="utf-8")
    return read_tree(root / "public")


def _failed_cleanly(run, root: Path, before: dict[str, bytes], words: str) -> None:
    assert run.code == 1, run.err
    assert "Traceback" not in run.err
    errors = [line for line in run.err.splitlines() if "error:" in line]
    assert len(errors) == 1 and errors[0].startswith("error: cannot write "), run.err
    assert errors[0].endswith(f": {words}")
    assert run.err.splitlines()[-1] == "build failed; the previous output was left as it was"
    assert read_tree(root / "public") == before
    assert staging_left(root) == []


def test_a_read_only_output_parent_is_a_clear_error(cli, small_site, monkeypatch, tmp_path) -> None:
    root = small_site
    before = _built(cli, root)
    out_parent = tmp_path / "www"
    target = out_parent / "public"
    if os.geteuid() != 0:
        shutil.copytree(root / "public", target)
        out_parent.chmod(0o555)
        try:
            run = cli("build", "--source", root, "--output", target)
        finally:
            out_parent.chmod(0o755)
        _failed_cleanly(run, out_parent, read_tree(root / "public"), "Permission denied")
        return

    def refuse(*args: object, **kwargs: object) -> str:  # root ignores chmod: simulate it
        name = f"{kwargs.get('prefix', 'tmp')}x1y2"
        raise PermissionError(
            errno.EACCES, "Permission denied", os.path.join(str(kwargs.get("dir")), name)
        )

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    run = cli("build", "--source", root)
    monkeypatch.undo()
    _failed_cleanly(run, root, before, "Permission denied")


# ---- (c) a full disk -------------------------------------------------------------------------


def _no_space(path: object) -> OSError:
    return OSError(errno.ENOSPC, "No space left on device", str(path))


def _count_calls(monkeypatch, owner: object, name: str, cli, root: Path, scratch: Path) -> int:
    """How many times a build of ``root`` without its cache (as the tests of faults build)
    calls ``owner.name`` (built into ``scratch``)."""
    calls = []
    real = getattr(owner, name)

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counting)
    build(cli, root, "--quiet", "--no-cache", "--output", scratch, expect=0)
    monkeypatch.undo()
    return len(calls)


@pytest.mark.parametrize("which", ["first", "fifth", "last"])
def test_a_full_disk_at_the_nth_page_leaves_the_previous_site(
    cli, small_site, monkeypatch, tmp_path, which
) -> None:
    root = small_site
    before = _built(cli, root)
    total = _count_calls(monkeypatch, atomic, "write_file", cli, root, tmp_path / "scratch")
    assert total > 5
    n = {"first": 1, "fifth": 5, "last": total}[which]
    real = atomic.write_file
    calls = []

    def write_file(path: Path, data: bytes) -> None:
        calls.append(path)
        if len(calls) == n:
            raise _no_space(path)
        real(path, data)

    monkeypatch.setattr(atomic, "write_file", write_file)
    run = cli("build", "--source", root, "--no-cache")  # a full build: staged, then swapped
    monkeypatch.undo()
    _failed_cleanly(run, root, before, "No space left on device")
    assert len(calls) == n


@pytest.mark.parametrize("which", ["first", "last"])
def test_a_full_disk_while_copying_static_files(
    cli, small_site, monkeypatch, tmp_path, which
) -> None:
    root = small_site
    before = _built(cli, root)
    total = _count_calls(monkeypatch, atomic.shutil, "copyfile", cli, root, tmp_path / "scratch")
    assert total >= 2
    n = 1 if which == "first" else total
    real = shutil.copyfile
    calls = []

    def copyfile(src: object, dst: object, **kwargs: object) -> object:
        calls.append(dst)
        if len(calls) == n:
            raise _no_space(dst)
        return real(src, dst, **kwargs)

    monkeypatch.setattr(atomic.shutil, "copyfile", copyfile)
    run = cli("build", "--source", root, "--no-cache")  # a full build: staged, then swapped
    monkeypatch.undo()
    _failed_cleanly(run, root, before, "No space left on device")
    assert len(calls) == n


def test_a_full_disk_while_publishing_a_shortcodes_file(cli, make_site, monkeypatch) -> None:
    """A PDF the document shortcode shows is copied as a static file is: the disk filling up
    on it is the same one line, and the previous site stays."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    with tempfile.SpooledTemporaryFile() as out:
        writer.write(out)
        out.seek(0)
        pdf = out.read()
    body = '{{< document report.pdf title="The report" >}}\n'
    files = {
        "content/briefs/2025-02-04-a.md": brief(body=body),
        "content/briefs/report.pdf": pdf,
        "content/topics/cartels.md": topic(),
    }
    root = make_site(files)
    before = _built(cli, root)
    assert "media/briefs/report.pdf" in before
    real = shutil.copyfile
    refused = []

    def copyfile(src: object, dst: object, **kwargs: object) -> object:
        if str(dst).endswith("report.pdf"):
            refused.append(dst)
            raise _no_space(dst)
        return real(src, dst, **kwargs)

    monkeypatch.setattr(atomic.shutil, "copyfile", copyfile)
    run = cli("build", "--source", root, "--no-cache")
    monkeypatch.undo()
    _failed_cleanly(run, root, before, "No space left on device")
    assert len(refused) == 1


def test_a_full_disk_while_indexing(cli, make_site, monkeypatch) -> None:
    root = make_site(
        {"content/briefs/a.md": brief(), "content/topics/cartels.md": topic()}, site_yaml=SITE_YAML
    )
    before = _built(cli, root)

    def index(site_dir: Path, out_dir: Path) -> None:
        (out_dir / "half.pf_index").write_bytes(b"half")
        raise _no_space(out_dir / "more.pf_index")

    monkeypatch.setattr(search, "index_folder", index)
    run = cli("build", "--source", root)
    monkeypatch.undo()
    _failed_cleanly(run, root, before, "No space left on device")


@pytest.mark.parametrize("fail_at", [1, 2], ids=["first-rename", "second-rename"])
def test_a_failing_rename_during_the_swap_keeps_the_previous_site(
    cli, small_site, monkeypatch, fail_at
) -> None:
    root = small_site
    before = _built(cli, root)
    real = Path.rename
    calls = []

    def rename(self: Path, target: object) -> Path:
        calls.append((self.name, Path(str(target)).name))
        if len(calls) == fail_at:
            raise OSError(errno.EIO, "Input/output error", str(self))
        return real(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    run = cli("build", "--source", root, "--no-cache")  # a full build: staged, then swapped
    monkeypatch.undo()
    _failed_cleanly(run, root, before, "Input/output error")
    if fail_at == 2:  # public/ had been moved aside: it was put back
        assert calls[2][1] == "public"


# ---- (d) two builds at once ------------------------------------------------------------------


def test_two_builds_at_once_take_turns(big_site_template, tmp_path) -> None:
    root = tmp_path / "site"
    shutil.copytree(
        big_site_template.root,
        root,
        symlinks=True,
        copy_function=os.link,
        ignore=shutil.ignore_patterns("public", ".public.lock"),
    )
    command = briefgen_command("build", "--source", root, "--quiet")
    procs = [
        subprocess.Popen(
            command, env=subprocess_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert out == ""
        assert "Traceback" not in err
        assert err in ("", "waiting for another build of this site to finish…\n"), err
    assert read_tree(root / "public") == big_site_template.tree  # builds are reproducible
    assert staging_left(root) == []
