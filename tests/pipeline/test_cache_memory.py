"""The cache's large records kept in memory between the builds of one process (``briefgen
serve``): reused while their file is the very file that was read, read and checked again as
soon as it is not."""

from __future__ import annotations

import os
import pickle
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefgen.pipeline import cache as cache_module
from briefgen.pipeline import cache_memory
from briefgen.pipeline.cache import CACHE_DIR, Cache, CacheDamaged

RECORDS = {f"brief-{i}.md": (i, f"title {i}") for i in range(10)}


@pytest.fixture(autouse=True)
def alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """No preview of another test, in this process, holds the memory during these."""
    monkeypatch.setattr(cache_memory, "_holders", 0)
    monkeypatch.setattr(cache_memory, "_kept", OrderedDict())


@pytest.fixture
def held() -> Iterator[None]:
    cache_memory.hold()
    try:
        yield
    finally:
        cache_memory.release()


@pytest.fixture
def unpickled(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of each record the cache unpickles, in order."""
    sizes: list[int] = []
    real = pickle.loads

    def counting(data: bytes) -> object:
        sizes.append(len(data))
        return real(data)

    monkeypatch.setattr(cache_module.pickle, "loads", counting)
    return sizes


def saved(root: Path, records: dict[str, object] = RECORDS) -> None:
    with Cache(root) as cache:  # a cache that loaded nothing saves a full copy
        cache.save_map("m", dict(records))


def load(root: Path, all_or_nothing: bool = False) -> dict[object, object]:
    with Cache(root, all_or_nothing=all_or_nothing) as cache:
        return cache.load_map("m")


def test_a_kept_full_copy_is_not_unpickled_again(
    tmp_path: Path, held: None, unpickled: list[int]
) -> None:
    saved(tmp_path)
    assert load(tmp_path) == RECORDS
    assert len(unpickled) == 2  # the full copy and the changes since
    unpickled.clear()
    assert load(tmp_path) == RECORDS
    assert len(unpickled) == 1  # the changes file only
    assert unpickled[0] < (tmp_path / CACHE_DIR / "m.pickle").stat().st_size


def test_without_a_hold_each_load_reads_the_file(tmp_path: Path, unpickled: list[int]) -> None:
    saved(tmp_path)
    load(tmp_path)
    load(tmp_path)
    assert len(unpickled) == 4


def test_the_mapping_given_may_be_changed_without_changing_what_is_kept(
    tmp_path: Path, held: None
) -> None:
    saved(tmp_path)
    given = load(tmp_path)
    given["new.md"] = (99, "new")
    del given["brief-0.md"]
    assert load(tmp_path) == RECORDS


def test_a_copy_saved_again_is_read_again(tmp_path: Path, held: None) -> None:
    saved(tmp_path)
    load(tmp_path)
    saved(tmp_path, {"only.md": (1, "only")})
    assert load(tmp_path) == {"only.md": (1, "only")}


def test_a_copy_changed_in_place_is_read_and_found_damaged(tmp_path: Path, held: None) -> None:
    """Same size, same inode, the modification time put back: the change time still moves."""
    saved(tmp_path)
    load(tmp_path)
    path = tmp_path / CACHE_DIR / "m.pickle"
    before = path.stat()
    with open(path, "r+b") as handle:
        handle.seek(before.st_size // 2)
        byte = handle.read(1)
        handle.seek(before.st_size // 2)
        handle.write(bytes([byte[0] ^ 0x5A]))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_ino, path.stat().st_size) == (before.st_ino, before.st_size)
    with pytest.raises(CacheDamaged):
        load(tmp_path, all_or_nothing=True)


def test_another_users_key_does_not_see_what_was_kept(
    tmp_path: Path, held: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved(tmp_path)
    load(tmp_path)
    monkeypatch.setattr(cache_module, "user_key", lambda: b"another key, 32 bytes long......")
    assert load(tmp_path) == {}  # signed with another key: a miss, not the kept copy


def test_only_the_newest_records_are_kept(tmp_path: Path, held: None) -> None:
    for n in range(cache_memory.LIMIT + 2):
        saved(tmp_path / str(n))
        load(tmp_path / str(n))
    assert len(cache_memory._kept) == cache_memory.LIMIT


def test_the_last_release_forgets_what_was_kept(tmp_path: Path) -> None:
    cache_memory.hold()
    cache_memory.hold()
    saved(tmp_path)
    load(tmp_path)
    cache_memory.release()
    assert cache_memory._kept
    cache_memory.release()
    assert not cache_memory._kept
    load(tmp_path)
    assert not cache_memory._kept  # nothing held: nothing kept
