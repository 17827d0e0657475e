"""The plugin API, tried as a desk would: the installed example package
(tests/plugins/example, entry point ``priorities``) and a site's own plugins/ module, their
output, their mistakes, the cache and the dev server. The golden sites are
tests/sites/plugin-*."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen.pipeline.build import build

from conftest import REPO, SITE_YAML, TESTS, brief, read_tree, topic

SITES = TESTS / "sites"


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    """A copy of the golden site that runs both plugins, to build and edit."""
    root = tmp_path / "desk"
    shutil.copytree(SITES / "plugin-priorities", root)
    return root


def test_the_example_package_adds_its_file_and_page_and_both_are_in_the_sitemap(desk) -> None:
    result = build(desk)
    out = desk / "public"
    rows = json.loads((out / "priorities.json").read_text())
    assert rows == [
        {"priority": 1, "slug": "apprehensions", "url": "/briefs/apprehensions/"},
        {"priority": 3, "slug": "troops", "url": "/briefs/troops/"},
        {"priority": None, "slug": "order", "url": "/briefs/order/"},
    ]
    assert "<loc>https://desk.example/priorities/</loc>" in (out / "sitemap.xml").read_text()
    from briefgen.features import BUILTIN

    names = [p.name for p in result.config.plugins.registered]
    assert names == [*BUILTIN, "priorities", "house"]  # briefgen's own first
    versions = {p.name: (p.origin, p.version) for p in result.config.plugins.registered}
    assert versions["priorities"] == ("briefgen-example-plugin", "1.0.0")
    assert versions["house"][0] == "plugins/house.py" and len(versions["house"][1]) == 32


def test_an_installed_plugin_runs_only_when_the_site_names_it(make_site) -> None:
    """Entry points are looked up by name: installing a plugin loads and runs nothing."""
    root = make_site(
        {"content/topics/cartels.md": topic(), "content/briefs/a.md": brief(extra="priority: 99\n")}
    )
    code = (
        "import sys; from pathlib import Path; from briefgen.pipeline.build import build; "
        f"build(Path({str(root)!r})); print('briefgen_example' in sys.modules)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "False"
    assert not (root / "public/priorities.json").exists()


@pytest.mark.parametrize(
    "edit",
    ["add", "remove", "settings", "local-source"],
)
def test_incremental_builds_equal_clean_ones_when_plugins_change(desk, tmp_path, edit) -> None:
    from trees import assert_same_as_clean

    build(desk)
    site_yaml = desk / "site.yaml"
    text = site_yaml.read_text()
    if edit == "add":  # from none to both
        site_yaml.write_text(text.split("plugins:")[0])
        build(desk)
        site_yaml.write_text(text)
    elif edit == "remove":  # the plugin's page and file go with it
        cut = "  - priorities:\n      max_title_words: 6\n      page_title: Ranked briefs\n"
        assert cut in text
        site_yaml.write_text(text.replace(cut, ""))
    elif edit == "settings":
        site_yaml.write_text(text.replace("page_title: Ranked briefs", "page_title: By rank"))
    else:
        house = desk / "plugins/house.py"
        house.write_text(house.read_text().replace("Checked against", "Read against"))
    build(desk)
    tree = assert_same_as_clean(desk, tmp_path / "clean")
    if edit == "remove":
        assert "priorities/index.html" not in tree and "priorities.json" not in tree
        return
    page = tree["priorities/index.html"]
    assert page is not None
    expected = {"add": b"Ranked briefs", "settings": b"By rank", "local-source": b"Read against"}
    assert expected[edit] in page


def test_debug_shows_a_failing_plugins_traceback_and_otherwise_there_is_none(tmp_path) -> None:
    root = tmp_path / "raises"
    shutil.copytree(SITES / "plugin-raises", root)
    command = [sys.executable, "-m", "briefgen", "build", "--source", str(root)]
    plain = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    assert plain.returncode == 1 and "Traceback" not in plain.stderr
    assert "plugin 'priorities' failed in briefgen_check" in plain.stderr
    debug = subprocess.run([*command, "--debug"], capture_output=True, text=True, cwd=REPO)
    assert debug.returncode != 0 and "Traceback" in debug.stderr
    assert "RuntimeError: failing on purpose in briefgen_check" in debug.stderr


def test_a_plugin_may_not_write_outside_the_output_or_over_a_page(make_site) -> None:
    plugin = """
from briefgen.plugins import Drawn, Output, Page, hookimpl

@hookimpl
def briefgen_outputs():
    return [Output("../escape.txt", b"x"), Output("index.html", b"x"), Output("ok.txt", b"ok")]

@hookimpl
def briefgen_pages():
    return [Page("home.html", "/etc/", "Nope"), "not a page"]

@hookimpl
def briefgen_drawn():
    png = lambda: b"png"
    return [
        Drawn("ok.txt", "k1", png),  # over the plugin's own output
        Drawn("media/x.png", "k2", png),
        Drawn("media/x.png", "k3", png),  # the same path, another file
        Drawn("media/x.png", "k2", png),  # the same file again: fine
        Drawn("media/noext", "k4", png),
        Drawn("../card.png", "k5", png),
    ]
"""
    root = make_site(
        {
            "content/topics/cartels.md": topic(),
            "content/briefs/a.md": brief(),
            "plugins/greedy.py": plugin,
        },
        SITE_YAML + "plugins: [greedy]\n",
    )
    from briefgen.model.diagnostics import ContentError

    with pytest.raises(ContentError) as failed:
        build(root)
    messages = sorted(d.message for d in failed.value.diagnostics.errors)
    assert messages == [
        "plugin 'greedy': drawn file path '../card.png' must be relative, inside the site",
        "plugin 'greedy': drawn file path 'media/noext' needs an extension: .png, .webp",
        "plugin 'greedy': file path '../escape.txt' must be relative, inside the site",
        "plugin 'greedy': index.html is written by another part of the build",
        "plugin 'greedy': media/x.png is written by another part of the build",
        "plugin 'greedy': ok.txt is written by another part of the build",
        "plugin 'greedy': page path '/etc/' must be relative, inside the site",
        "plugin 'greedy': returned a str where a Page was expected",
    ]
    assert not (root / "public").exists() and not (root.parent / "escape.txt").exists()


def test_serve_picks_up_an_edit_to_a_sites_plugin(desk, tmp_path, monkeypatch) -> None:
    import tempfile
    import time
    import urllib.request

    from briefgen.commands.serve import DevServer

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    server = DevServer(desk, port=0)
    server.start()
    try:
        url = f"http://127.0.0.1:{server.port}/priorities/"
        assert b"Checked against the house style." in urllib.request.urlopen(url).read()
        house = desk / "plugins/house.py"
        house.write_text(house.read_text().replace("Checked against", "Read against"))
        deadline = time.monotonic() + 10
        while b"Read against the house style." not in urllib.request.urlopen(url).read():
            assert time.monotonic() < deadline, "the edit to plugins/house.py was not picked up"
            time.sleep(0.05)
    finally:
        server.stop()


def test_the_golden_site_with_plugins_builds_the_same_twice(desk, tmp_path) -> None:
    build(desk)
    first = read_tree(desk / "public")
    shutil.rmtree(desk / "public")
    build(desk)
    assert read_tree(desk / "public") == first


def test_the_hook_reference_in_the_docs_is_the_specifications() -> None:
    """docs/plugins.md's hook reference is made from briefgen/plugins/spec.py: run
    scripts/hook_reference.py after changing a hook."""
    from briefgen.plugins.reference import updated

    text = (REPO / "docs/plugins.md").read_text(encoding="utf-8")
    assert updated(text) == text, "run scripts/hook_reference.py"
    from briefgen.plugins import spec

    for name in spec.HOOKS:
        assert f"### `{name}`" in text
    assert sorted(spec.HOOKS) == sorted(n for n in dir(spec) if n.startswith("briefgen_"))
