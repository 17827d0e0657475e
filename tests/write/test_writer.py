"""Incremental writing: only changed files move, an error puts everything back, a build
killed half way is completed by the next one."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from briefgen.util.hashing import digest
from briefgen.write.atomic import JOURNAL, recover
from briefgen.write.writer import Writer

from conftest import read_tree, staging_left


def _full(target: Path, files: dict[str, bytes]) -> dict:
    with Writer(target, None) as writer:
        for rel, data in files.items():
            writer.stage(rel, data)
        return writer.commit({rel: digest(data) for rel, data in files.items()})


def _update(target: Path, manifest: dict, files: dict[str, bytes]) -> tuple[dict, set[str]]:
    with Writer(target, manifest) as writer:
        assert writer.incremental
        for rel, data in files.items():
            if writer.known.get(rel) != digest(data):
                writer.stage(rel, data)
        staged = set(writer.staged)
        return writer.commit({rel: digest(data) for rel, data in files.items()}), staged


OLD = {"index.html": b"home", "a/index.html": b"a", "b/index.html": b"b"}
NEW = {"index.html": b"home", "a/index.html": b"a2", "c/index.html": b"c"}


def test_only_changed_files_are_written_and_removed_ones_go(tmp_path: Path) -> None:
    target = tmp_path / "public"
    manifest = _full(target, OLD)
    old = os.stat(target / "index.html").st_mtime_ns
    manifest, staged = _update(target, manifest, NEW)
    assert staged == {"a/index.html", "c/index.html"}
    assert read_tree(target) == NEW
    assert os.stat(target / "index.html").st_mtime_ns == old
    assert not (target / "b").exists()  # its empty folder went too
    assert set(manifest) == set(NEW)
    assert staging_left(tmp_path) == []


def test_a_file_changed_by_hand_is_written_again(tmp_path: Path) -> None:
    target = tmp_path / "public"
    manifest = _full(target, OLD)
    (target / "index.html").write_bytes(b"edited by hand")
    _, staged = _update(target, manifest, OLD)
    assert staged == {"index.html"}
    assert read_tree(target) == OLD


def test_an_error_while_moving_files_puts_every_file_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "public"
    manifest = _full(target, OLD)
    real = os.replace
    calls = []

    def failing(src: object, dst: object) -> None:
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(errno.EIO, "Input/output error", str(dst))
        real(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(OSError):
        _update(target, manifest, NEW)
    monkeypatch.undo()
    assert read_tree(target) == OLD
    assert len(calls) >= 2
    assert staging_left(tmp_path) == []


def test_a_build_killed_while_moving_files_is_completed_by_the_next(tmp_path: Path) -> None:
    target = tmp_path / "public"
    _full(target, OLD)
    # what a kill -9 after the journal and the first move leaves behind
    txn = tmp_path / ".public.txn-killed"
    (txn / "files/c").mkdir(parents=True)
    (txn / "files/c/index.html").write_bytes(b"c")
    (target / "a/index.html").write_bytes(b"a2")  # already moved into place
    (txn / JOURNAL).write_text("W a/index.html\nW c/index.html\nD b/index.html\n")
    recover(target)
    assert read_tree(target) == NEW
    assert not txn.exists()


def test_staging_without_a_journal_is_discarded(tmp_path: Path) -> None:
    target = tmp_path / "public"
    _full(target, OLD)
    txn = tmp_path / ".public.txn-early"
    (txn / "files").mkdir(parents=True)
    (txn / "files/index.html").write_bytes(b"half")
    recover(target)
    assert read_tree(target) == OLD
    assert not txn.exists()
