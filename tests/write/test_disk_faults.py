"""A disk that will not take the cache, and cache records that are damaged.

- A file-size limit (``RLIMIT_FSIZE``, what a nearly full disk looks like to one file): the
  build ends in one ``error: cannot write PATH: File too large`` line, exit status 1, no
  traceback, and the previous site byte for byte.
- A read-only cache folder: the same, in the operating system's words.
- Pack files of rendered bodies truncated or gone, every record cut short: the build redoes
  the work and equals a clean build.
"""

from __future__ import annotations

import errno
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from briefgen.pipeline import cache as cache_module

from conftest import bench_corpus, read_tree

LIMIT = 200 * 1024


def _corpus(root: Path, count: int = 300) -> None:
    corpus = bench_corpus()
    corpus.write_site(corpus.generate(count), root)


def _build(root: Path, *args: str, limit: int | None = None) -> subprocess.CompletedProcess[str]:
    def restrict() -> None:
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {**os.environ, "NO_COLOR": "1", "SOURCE_DATE_EPOCH": "1748779200"}
    return subprocess.run(
        [sys.executable, "-m", "briefgen", "build", "--source", str(root), *args],
        capture_output=True,
        text=True,
        env=env,
        preexec_fn=restrict,
        stdin=subprocess.DEVNULL,
    )


def _edit(root: Path) -> None:
    first = sorted((root / "content" / "briefs").glob("*.md"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    _corpus(root)
    assert _build(root, "--quiet").returncode == 0
    return root


def test_a_file_size_limit_is_one_clear_error_and_the_site_stays(corpus: Path) -> None:
    before = read_tree(corpus / "public", record=True)
    _edit(corpus)
    for record in (corpus / ".briefgen-cache").rglob("*"):  # every body is rendered again
        if record.is_file() and record.name != ".gitignore":
            record.unlink()
    run = _build(corpus, limit=LIMIT)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    errors = [line for line in run.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1 and errors[0].startswith("error: cannot write ")
    assert errors[0].endswith(": File too large")
    assert read_tree(corpus / "public", record=True) == before
    assert _build(corpus, "--quiet").returncode == 0  # and once the disk has room, it builds


def test_a_read_only_cache_folder_is_one_clear_error(make_site, cli, monkeypatch) -> None:
    from conftest import brief, topic

    root = make_site({"content/briefs/a.md": brief(), "content/topics/cartels.md": topic()})
    assert cli("build", "--source", root, "--quiet").code == 0
    before = read_tree(root / "public", record=True)
    (root / "content/briefs/b.md").write_text(brief(title="B"), encoding="utf-8")
    folder = root / ".briefgen-cache"
    real = tempfile.mkstemp

    def read_only(*args: object, **kwargs: object) -> tuple[int, str]:
        where = Path(str(kwargs.get("dir", "")))
        if folder == where or folder in where.parents:
            raise OSError(errno.EROFS, "Read-only file system", str(where / ".tmp-x"))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    if os.geteuid() != 0:  # a real read-only folder where permissions hold
        for path in [folder, *folder.rglob("*")]:
            path.chmod(0o555 if path.is_dir() else 0o444)
        words = "Permission denied"
    else:  # root writes through permissions: make the cache's writes fail as such a disk's do
        monkeypatch.setattr(cache_module.tempfile, "mkstemp", read_only)
        words = "Read-only file system"
    try:
        run = cli("build", "--source", root)
    finally:
        for path in [folder, *folder.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
    assert run.code == 1
    assert "Traceback" not in run.err
    errors = [line for line in run.err.splitlines() if "error:" in line]
    assert len(errors) == 1 and f"error: cannot write {folder}" in errors[0]
    assert errors[0].endswith(words)
    assert read_tree(root / "public", record=True) == before


@pytest.mark.parametrize("damage", ["truncate-packs", "remove-packs", "truncate-all"])
def test_damaged_cache_records_cost_a_rebuild_and_nothing_else(
    corpus: Path, tmp_path: Path, damage: str
) -> None:
    folder = corpus / ".briefgen-cache"
    records = [p for p in folder.rglob("*") if p.is_file() and p.name != ".gitignore"]
    for record in records:
        if damage == "truncate-all" or record.suffix == ".pack":
            if damage == "remove-packs":
                record.unlink()
            else:
                record.write_bytes(record.read_bytes()[: record.stat().st_size // 2])
    # a new title re-renders every page, which reads every body back from its pack
    (corpus / "site.yaml").write_text(
        (corpus / "site.yaml").read_text(encoding="utf-8").replace("Benchmark", "Renamed")
    )
    run = _build(corpus)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    clean = tmp_path / "clean"
    assert _build(corpus, "--no-cache", "--output", str(clean), "--quiet").returncode == 0
    assert read_tree(corpus / "public", record=True) == read_tree(clean, record=True)
