"""A site-level template replaces the theme's template of the same name, and nothing else."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import REPO, read_tree


def test_override_changes_only_its_page(tmp_path: Path, cli) -> None:
    site = tmp_path / "site"
    site.mkdir()
    shutil.copytree(REPO / "content", site / "content")
    shutil.copy(REPO / "site.yaml", site / "site.yaml")
    assert cli("build", "--quiet", "--source", site).code == 0
    before = read_tree(site / "public")

    (site / "templates").mkdir()
    (site / "templates/archive.html").write_text(
        '{% extends "base.html" %}\n{% block content %}<h1>Our archive</h1>'
        "<p>{{ site.briefs | length }} briefs</p>{% endblock %}\n"
    )
    assert cli("build", "--quiet", "--source", site).code == 0
    after = read_tree(site / "public")

    assert before.keys() == after.keys()
    changed = sorted(k for k in before if before[k] != after[k])
    assert changed == ["archive/index.html", "es/archive/index.html"]  # every language's
    assert b"<h1>Our archive</h1><p>14 briefs</p>" in after["archive/index.html"]


def test_site_static_file_replaces_theme_file(tmp_path: Path, cli) -> None:
    site = tmp_path / "site"
    site.mkdir()
    shutil.copytree(REPO / "content", site / "content")
    shutil.copy(REPO / "site.yaml", site / "site.yaml")
    (site / "static/css").mkdir(parents=True)
    (site / "static/css/style.css").write_text("body { color: red }\n")
    (site / "static/logo.txt").write_text("logo\n")
    assert cli("build", "--quiet", "--source", site).code == 0
    assert (site / "public/static/css/style.css").read_text() == "body { color: red }\n"
    assert (site / "public/static/logo.txt").read_text() == "logo\n"
    assert (site / "public/static/favicon.svg").is_file()  # the theme's other files remain


def test_site_theme_folder_wins_over_bundled_theme(tmp_path: Path, cli) -> None:
    site = tmp_path / "site"
    shutil.copytree(REPO / "themes", site / "themes")
    shutil.copytree(REPO / "content", site / "content")
    (site / "site.yaml").write_text(
        (REPO / "site.yaml").read_text().replace("theme: default", "theme: mine")
    )
    (site / "themes/default").rename(site / "themes/mine")
    (site / "themes/mine/templates/404.html").write_text("gone\n")
    assert cli("build", "--quiet", "--source", site).code == 0
    assert (site / "public/404.html").read_text() == "gone\n"
