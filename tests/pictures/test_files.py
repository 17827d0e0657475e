"""The files of pictures and drawings, apart from any build: made into a folder under their
key and recorded; found there again while the record vouches for them; made into a folder
of their own when the folder may not be written; and pruned to what a build names."""

from __future__ import annotations

import os
from pathlib import Path

from briefgen.pictures import Assets, ImagesConfig, make_files, prune
from briefgen.plugins.types import Drawn

from conftest import picture


def drawn(path: str, key: str, data: bytes = b"card") -> Drawn:
    return Drawn(path, key, lambda: data)


def test_a_file_is_made_once_then_found_while_the_record_vouches_for_it(tmp_path: Path) -> None:
    record: dict[str, tuple[int, int, str]] = {}
    jobs = [drawn("media/cards/a.png", "k1"), drawn("media/cards/b.png", "k2", b"other")]
    first = make_files(jobs, record, tmp_path, reuse=True, keep=True, workers=1)
    assert (first.encoded, first.reused, first.keys) == (2, 0, {"k1", "k2"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k1.png", "k2.png"]
    assert first.sizes == {"media/cards/a.png": 4, "media/cards/b.png": 5}
    assert set(record) == {"k1", "k2"}
    again = make_files(jobs, record, tmp_path, reuse=True, keep=True, workers=1)
    assert (again.encoded, again.reused) == (0, 2)
    assert [o.source for o in again.outputs] == [tmp_path / "k1.png", tmp_path / "k2.png"]
    (tmp_path / "k1.png").write_bytes(b"changed")  # a file the record no longer vouches for
    third = make_files(jobs, record, tmp_path, reuse=True, keep=True, workers=1)
    assert (third.encoded, third.reused) == (1, 1)
    assert (tmp_path / "k1.png").read_bytes() == b"card"


def test_a_file_whose_time_alone_changed_is_found_by_its_digest(tmp_path: Path) -> None:
    record: dict[str, tuple[int, int, str]] = {}
    jobs = [drawn("media/cards/a.png", "k1")]
    make_files(jobs, record, tmp_path, reuse=True, keep=True, workers=1)
    os.utime(tmp_path / "k1.png", ns=(0, 1_000_000_000))  # a CI cache that kept whole seconds
    again = make_files(jobs, record, tmp_path, reuse=True, keep=True, workers=1)
    assert (again.encoded, again.reused) == (0, 1)
    assert record["k1"][1] == 1_000_000_000


def test_a_folder_that_may_not_be_written_is_left_alone(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    done = make_files(
        [drawn("media/cards/a.png", "k1")], {}, cache, reuse=False, keep=False, workers=1
    )
    assert done.scratch is not None and not cache.exists()
    assert done.outputs[0].source == Path(done.scratch.name) / "k1.png"
    done.scratch.cleanup()


def test_a_picture_is_encoded_at_each_width_and_format(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "map.png").write_bytes(picture(1000, 500))
    images = ImagesConfig(widths=(480, 1200), formats=())  # and its own 1000
    assets = Assets(tmp_path, (), lambda path: "/" + path, images)
    shown = assets.resolve("map.png", "content/brief.md")
    assert shown.src == "/media/map-png-1000w.png" and shown.width == 1000
    done = make_files(
        list(assets.jobs.values()), {}, tmp_path / "cache", reuse=True, keep=True, workers=1
    )
    assert sorted(done.sizes) == ["media/map-png-1000w.png", "media/map-png-480w.png"]
    assert done.encoded == 2 and done.failed is None


def test_prune_keeps_the_files_keys_name(tmp_path: Path) -> None:
    for name in ("k1.png", "k2.webp", ".k1.png.12.tmp", "old.png"):
        (tmp_path / name).write_bytes(b"x")
    prune(tmp_path, {"k1", "k2"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k1.png", "k2.webp"]
    prune(tmp_path / "missing", set())  # no folder: nothing to do
