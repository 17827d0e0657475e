"""Writing the site: staged and swapped, so failures leave the previous site intact."""

from __future__ import annotations

import errno
import re
import shutil
from pathlib import Path

import pytest

from briefgen.write import atomic
from briefgen.write.writer import Writer

from conftest import brief, read_tree, staging_left, topic


def write_site(files: dict[str, bytes], target: Path) -> None:
    """A full (not incremental) write: stage every file, then swap the folder in."""
    with Writer(target, None) as writer:
        for rel, data in files.items():
            writer.stage(rel, data)
        writer.commit(dict.fromkeys(files, ""))


def test_write_replaces_the_whole_folder(tmp_path: Path) -> None:
    target = tmp_path / "public"
    write_site({"a/index.html": b"one", "stale.html": b"x"}, target)
    write_site({"a/index.html": b"two"}, target)
    assert read_tree(target) == {"a/index.html": b"two"}
    assert staging_left(tmp_path) == []


@pytest.mark.parametrize(
    "bad", ["../escape.html", "/abs.html", "a/../../b.html", "a\\b.html", "nul\x00.html"]
)
def test_paths_outside_the_output_are_refused(tmp_path: Path, bad: str) -> None:
    target = tmp_path / "public"
    write_site({"index.html": b"old"}, target)
    with pytest.raises(ValueError):
        write_site({"index.html": b"new", bad: b"evil"}, target)
    assert read_tree(target) == {"index.html": b"old"}
    assert not (tmp_path / "escape.html").exists()
    assert staging_left(tmp_path) == []


def test_full_disk_leaves_previous_site(make_site, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_site({"content/briefs/a.md": brief(), "content/topics/cartels.md": topic()})
    assert cli("build", "--source", root, "--quiet").code == 0
    before = read_tree(root / "public")

    def no_space(src: object, dst: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(dst))

    monkeypatch.setattr(atomic.shutil, "copyfile", no_space)
    result = cli("build", "--source", root, "--no-cache")  # a full build copies every file
    assert result.code == 1
    assert re.search(r"^error: cannot write \S+: No space left on device$", result.err, re.M)
    assert "Traceback" not in result.err
    assert read_tree(root / "public") == before
    assert staging_left(root) == []


def test_a_build_tidies_up_after_one_that_was_killed(tmp_path: Path) -> None:
    target = tmp_path / "public"
    write_site({"index.html": b"v1"}, target)
    # killed between the two renames of a swap: the site sits in .public.old-*, a staging
    # folder is half written
    target.rename(tmp_path / ".public.old-abc")
    (tmp_path / ".public.new-def").mkdir()
    (tmp_path / ".public.new-def/half.html").write_bytes(b"half")
    write_site({"index.html": b"v2"}, target)
    assert read_tree(target) == {"index.html": b"v2"}
    assert staging_left(tmp_path) == []


def test_interrupted_swap_keeps_the_old_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "public"
    write_site({"index.html": b"v1"}, target)
    real_rename = Path.rename
    calls = []

    def rename(self: Path, dest: Path) -> Path:
        calls.append(self.name)
        if len(calls) == 2:  # the staging folder's rename into place
            raise KeyboardInterrupt
        return real_rename(self, dest)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(KeyboardInterrupt):
        write_site({"index.html": b"v2"}, target)
    monkeypatch.undo()
    assert read_tree(target) == {"index.html": b"v1"}
    assert staging_left(tmp_path) == []


def test_an_output_folder_holding_files_of_others_is_refused(make_site, cli) -> None:
    """GitHub Pages' ``docs/`` convention: the folder may already hold the user's files."""
    root = make_site({"content/briefs/a.md": brief(), "content/topics/cartels.md": topic()})
    (root / "site.yaml").write_text(
        (root / "site.yaml").read_text(encoding="utf-8") + "output_dir: docs\n", encoding="utf-8"
    )
    (root / "docs").mkdir()
    (root / "docs/architecture.md").write_text("our notes", encoding="utf-8")
    (root / "docs/CNAME").write_text("news.example.org\n", encoding="utf-8")
    run = cli("build", "--source", root)
    assert run.code == 2
    assert "holds files that briefgen did not write (CNAME, architecture.md)" in run.err
    assert "--force" in run.err and "Traceback" not in run.err
    assert read_tree(root / "docs") == {
        "CNAME": b"news.example.org\n",
        "architecture.md": b"our notes",
    }
    forced = cli("build", "--source", root, "--force", "--quiet")
    assert forced.code == 0 and (root / "docs/index.html").is_file()


def test_the_record_of_written_files_outlives_the_cache(make_site, cli) -> None:
    root = make_site({"content/briefs/a.md": brief(), "content/topics/cartels.md": topic()})
    assert cli("build", "--source", root, "--quiet").code == 0
    record = (root / "public/.briefgen-files").read_text(encoding="utf-8").splitlines()
    assert "index.html" in record and "briefs/a/index.html" in record
    shutil.rmtree(root / ".briefgen-cache")
    assert cli("build", "--source", root, "--quiet").code == 0
    # a file added by hand survives an incremental build and stops a full one
    (root / "public/notes.txt").write_text("mine", encoding="utf-8")
    assert cli("build", "--source", root, "--quiet").code == 0
    assert (root / "public/notes.txt").read_text(encoding="utf-8") == "mine"
    run = cli("build", "--source", root, "--no-cache")
    assert run.code == 2 and "(notes.txt)" in run.err
    assert (root / "public/notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_build_creates_nothing_beside_an_output_outside_the_site(
    make_site, cli, tmp_path
) -> None:
    root = make_site({"content/briefs/a.md": brief(), "content/topics/cartels.md": topic()})
    out = tmp_path / "www" / "site"
    for _ in range(2):
        assert cli("build", "--source", root, "--output", out, "--quiet").code == 0
        assert sorted(p.name for p in (tmp_path / "www").iterdir()) == ["site"]
