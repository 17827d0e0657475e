"""A cache record as it is written and read: signed while it is pickled into its file (never
held whole in memory), checked without copying it, and whole or absent after a failed write."""

from __future__ import annotations

import errno
import hashlib
import hmac
import os
import pickle
from pathlib import Path

import pytest

from briefgen.pipeline import cache as cache_module
from briefgen.pipeline.cache import CACHE_DIR, Cache

BIG = {f"content/briefs/{i:05}.md": (i, "x" * (i % 97), (i, i + 1)) for i in range(20_000)}


def test_a_record_larger_than_a_pickle_frame_comes_back_as_it_was(tmp_path: Path) -> None:
    with Cache(tmp_path) as store:
        store.save("big.pickle", BIG)
        assert store.load("big.pickle") == BIG


def test_a_record_is_its_signature_then_what_it_signs(tmp_path: Path) -> None:
    with Cache(tmp_path) as store:
        store.save("small.pickle", {"a": 1})
        assert store.key is not None
        blob = (tmp_path / CACHE_DIR / "small.pickle").read_bytes()
        mac, signed = blob[:32], blob[32:]
        assert mac == hmac.new(store.key, signed, hashlib.sha256).digest()
        fingerprint, value = pickle.loads(signed[len(store._key_id) :])
        assert (fingerprint, value) == (store.fingerprint, {"a": 1})


def test_a_byte_changed_past_the_first_frame_is_damage(tmp_path: Path) -> None:
    with Cache(tmp_path) as store:
        store.save("big.pickle", BIG)
    path = tmp_path / CACHE_DIR / "big.pickle"
    data = bytearray(path.read_bytes())
    assert len(data) > 3 * 65536
    data[3 * 65536] ^= 0x20
    path.write_bytes(bytes(data))
    with Cache(tmp_path) as store:
        assert store.load("big.pickle") is None
    with Cache(tmp_path, all_or_nothing=True) as store, pytest.raises(cache_module.CacheDamaged):
        store.load("big.pickle")


def test_a_disk_full_in_the_middle_of_a_record_keeps_the_one_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Cache(tmp_path) as store:
        store.save("big.pickle", {"before": 1})
    written = []

    class Full:
        """A file that takes two frames, then finds the disk full."""

        def __init__(self, handle: object, mac: object) -> None:
            self.handle, self.mac = handle, mac

        def write(self, data: bytes) -> int:
            written.append(len(data))
            if len(written) > 2:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "big.pickle")
            return self.handle.write(data)  # type: ignore[attr-defined]

    monkeypatch.setattr(cache_module, "_Signing", Full)
    with Cache(tmp_path) as store:
        store.save("big.pickle", BIG)
        assert store.failed is not None and "No space left" in store.failed[1]
        assert not store.writable  # no further write is tried
    monkeypatch.undo()
    assert len(written) == 3
    assert sorted(p.name for p in (tmp_path / CACHE_DIR).iterdir()) == [
        ".gitignore",
        "big.pickle",
    ]
    with Cache(tmp_path) as store:
        assert store.load("big.pickle") == {"before": 1}
