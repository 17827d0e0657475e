"""Dates from git: one git log for the tree; the later commit wins; no git, no change."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from briefgen.read.gitdates import last_commit_dates

from conftest import brief

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

SITE_YAML = "title: T\nbase_url: https://example.org/\ngit_dates: true\n"
IDENTITY = {
    "GIT_AUTHOR_NAME": "Desk",
    "GIT_AUTHOR_EMAIL": "desk@example.org",
    "GIT_COMMITTER_NAME": "Desk",
    "GIT_COMMITTER_EMAIL": "desk@example.org",
}


def _git(root: Path, *args: str, when: str | None = None) -> None:
    env = {**os.environ, **IDENTITY}
    if when:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    subprocess.run(["git", "-C", str(root), *args], check=True, env=env, capture_output=True)


@pytest.fixture
def repo(make_site) -> Path:
    """A site in a repository with two commits: both briefs, then an edit of a.md."""
    root = make_site(
        {
            "content/briefs/a.md": brief(title="A", date="2025-02-01"),
            "content/briefs/b.md": brief(title="B", date="2025-02-01"),
        },
        site_yaml=SITE_YAML,
    )
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "first", when="2025-02-02T10:00:00+00:00")
    (root / "content/briefs/a.md").write_text(brief(title="A", date="2025-02-01", body="Edited.\n"))
    _git(root, "commit", "-q", "-am", "edit a", when="2025-02-05T09:30:00-06:00")
    return root


def test_last_commit_dates_of_each_file(repo: Path) -> None:
    dates = last_commit_dates(repo, "content/briefs")
    assert {p: d.isoformat() for p, d in dates.items()} == {
        "content/briefs/a.md": "2025-02-05T09:30:00-06:00",
        "content/briefs/b.md": "2025-02-02T10:00:00+00:00",
    }


def test_build_uses_the_later_commit_for_the_edited_brief(repo: Path, cli) -> None:
    assert cli("build", "-q", "--source", repo).code == 0
    a = (repo / "public/briefs/a/index.html").read_text()
    b = (repo / "public/briefs/b/index.html").read_text()
    assert 'Updated <time datetime="2025-02-05T09:30:00-06:00">5 February 2025</time>' in a
    assert 'Updated <time datetime="2025-02-02T10:00:00+00:00">2 February 2025</time>' in b
    assert "<updated>2025-02-05T09:30:00-06:00</updated>" in (repo / "public/feed.xml").read_text()


def test_an_explicit_updated_wins_over_git(repo: Path, cli) -> None:
    (repo / "content/briefs/b.md").write_text(
        brief(title="B", date="2025-02-01", extra="updated: 2025-02-01\n")
    )
    assert cli("build", "-q", "--source", repo).code == 0
    assert (
        'Updated <time datetime="2025-02-01">' in (repo / "public/briefs/b/index.html").read_text()
    )


def test_setting_off_means_no_git_dates(repo: Path, cli) -> None:
    (repo / "site.yaml").write_text(SITE_YAML.replace("true", "false"))
    assert cli("build", "-q", "--source", repo).code == 0
    assert "Updated" not in (repo / "public/briefs/a/index.html").read_text()


def test_without_a_repository_dates_stay(make_site, cli) -> None:
    root = make_site({"content/briefs/a.md": brief()}, site_yaml=SITE_YAML)
    assert last_commit_dates(root, "content/briefs") == {}
    assert cli("build", "-q", "--source", root).code == 0
    assert "Updated" not in (root / "public/briefs/a/index.html").read_text()


def test_site_in_a_subfolder_of_the_repository(repo: Path) -> None:
    outer = repo.parent / "outer"
    outer.mkdir()
    shutil.rmtree(repo / ".git")
    shutil.move(str(repo), outer / "site")
    _git(outer, "init", "-q", "-b", "main")
    _git(outer, "add", ".")
    _git(outer, "commit", "-q", "-m", "import", when="2025-03-01T00:00:00+00:00")
    dates = last_commit_dates(outer / "site", "content/briefs")
    assert {p: d.isoformat() for p, d in dates.items()} == {
        "content/briefs/a.md": "2025-03-01T00:00:00+00:00",
        "content/briefs/b.md": "2025-03-01T00:00:00+00:00",
    }


def test_shallow_clone_falls_back_to_date(repo: Path, tmp_path: Path, cli) -> None:
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)],
        check=True,
        capture_output=True,
    )
    assert last_commit_dates(clone, "content/briefs") == {}
    assert cli("build", "-q", "--source", clone).code == 0
    assert "Updated" not in (clone / "public/briefs/b/index.html").read_text()
