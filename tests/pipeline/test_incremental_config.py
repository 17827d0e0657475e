"""Incremental builds after changes to ``site.yaml`` and the theme, on a generated corpus.

The walks of ``test_incremental.py`` edit a 25-brief site, where a change touches few enough
pages that they render in this process. Here a corpus from ``bench/corpus.py`` is large
enough that a setting which changes every page (title, search, ``base_url``, the theme)
renders them in forked workers, as a user's site does. Each seeded step makes one random
configuration change and one content edit; after it, the cached build equals a clean build,
byte for byte, the output's record of written files included.
"""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest

from briefgen.config.overrides import Overrides
from briefgen.pipeline.build import build

from conftest import REPO, bench_corpus

BRIEFS = 160  # enough that a change to every page is rendered by two workers
STEPS = int(os.environ.get("BRIEFGEN_CONFIG_STEPS", 9))
THEME = REPO / "themes" / "default"


def snapshot(folder: Path) -> dict[str, bytes | None]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() else None
        for p in sorted(folder.rglob("*"))
    }


SETTINGS = {
    "title": ["Benchmark briefings", "Desk edition"],
    "base_url": ["https://example.org/briefings/", "https://news.example.net/", "/desk/"],
    "per_page": [20, 7],
    "related": [3, 0, 5],
    "search": [False, True],
    "partition_size": [500, 16, 5],  # one partition, or several: re-partitioned in place
    "typographer": [True, False],
    "toc": [False, True],
    "theme": ["default", "alt"],
    # English and Spanish (the example's .es.md files are translations), with Spanish lists
    # falling back to English briefs, or one language (the example keeps two: its .es.md
    # files would be English briefs of their own)
    "languages": ["en+es", "en+es fallback", "en"],
    # pictures: other widths and formats encode other files; cards on or off
    "widths": ["[480, 800, 1200, 1600]", "[320, 960]"],
    "formats": ["[avif, webp]", "[webp]"],
    "social_cards": [True, False],
    # embeds: privacy mode, every embed a plain link, the hosts an embed may frame
    "privacy": [True, False],
    "links_only": [False, True],
    "hosts": ["[datawrapper.dwcdn.net]", "[datawrapper.dwcdn.net, www.openstreetmap.org]"],
}
LANGUAGES = "languages:\n  en:\n    name: English\n  es:\n    name: Español\n    title: Informes\n"


def site_yaml(s: dict[str, object]) -> str:
    flag = lambda v: "true" if v else "false"  # noqa: E731
    return (
        f"title: {s['title']}\ndescription: A generated corpus.\nbase_url: {s['base_url']}\n"
        f"language: en\nper_page: {s['per_page']}\nrelated: {s['related']}\n"
        f"theme: {s['theme']}\nsearch:\n  enabled: {flag(s['search'])}\n"
        f"  partition_size: {s['partition_size']}\n"
        f"markdown:\n  typographer: {flag(s['typographer'])}\n  toc: {flag(s['toc'])}\n"
        "  link_entities: true\n"
        f"images:\n  widths: {s['widths']}\n  formats: {s['formats']}\n"
        f"social_cards: {flag(s['social_cards'])}\n"
        f"embeds:\n  privacy: {flag(s['privacy'])}\n  links_only: {flag(s['links_only'])}\n"
        f"  hosts: {s['hosts']}\n"
        + (LANGUAGES if s["languages"] != "en" else "")
        + ("    fallback: true\n" if s["languages"] == "en+es fallback" else "")
    )


@pytest.mark.parametrize(("seed", "site"), [(1, "corpus"), (2, "corpus"), (3, "example")])
def test_configuration_changes_equal_a_clean_build(
    seed: int, site: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the generated corpus and on the example site (its content and static files)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1748779200")
    root = tmp_path / "site"
    if site == "corpus":
        corpus = bench_corpus()
        corpus.write_site(corpus.generate(BRIEFS), root)
    else:
        shutil.copytree(REPO / "content", root / "content")
        if (REPO / "static").is_dir():
            shutil.copytree(REPO / "static", root / "static")
    # a second theme: the default with its own footer line
    alt = root / "themes" / "alt"
    shutil.copytree(THEME, alt)
    base = alt / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</body>", "<p>alt</p></body>"))
    card = alt / "card.yaml"  # and its own colour on its social cards
    card.write_text(card.read_text(encoding="utf-8").replace("#8a1c1c", "#1a4f8b"))
    for code in (alt / "templates" / "shortcodes").glob("*.html"):  # and its own embeds
        code.write_text(code.read_text(encoding="utf-8").replace(">", ' data-alt="1">', 1))
    rng = random.Random(seed)
    settings = {key: values[0] for key, values in SETTINGS.items()}
    briefs = sorted((root / "content" / "briefs").glob("*.md"))
    history = ["initial"]
    for step in range(STEPS + 1):
        if step:
            key = rng.choice(sorted(SETTINGS))
            if step == 1:
                key = "search"  # off → on first: the change that once failed every later build
            values = [v for v in SETTINGS[key] if v != settings[key]]
            if key == "languages" and site == "example":
                values = [v for v in values if v != "en"]
            settings[key] = rng.choice(values)
            target = rng.choice(briefs)
            text = target.read_text(encoding="utf-8")
            target.write_text(text.replace("\n---\n", f"\n---\n\nStep {step} edit.\n", 1))
            history.append(f"step {step}: {key} → {settings[key]!r}, edited {target.name}")
        (root / "site.yaml").write_text(site_yaml(settings), encoding="utf-8")
        build(root, jobs=2)
        build(root, cache=False, jobs=2, overrides=Overrides(str(tmp_path / "clean")))
        got, want = snapshot(root / "public"), snapshot(tmp_path / "clean")
        differ = sorted(k for k in set(got) | set(want) if got.get(k) != want.get(k))
        assert not differ, f"{len(differ)} files differ, e.g. {differ[:5]}\n" + "\n".join(history)
        shutil.rmtree(tmp_path / "clean")
