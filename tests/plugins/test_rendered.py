"""Work on the rendered pages, as a site's own plugin does it (briefgen's search is the same
code): the pages carrying a mark, a file made of them in a folder of the plugin's own, a
state kept from one build to the next, and the work left for later and caught up."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from briefgen.model.diagnostics import ContentError
from briefgen.pipeline.build import build
from briefgen.pipeline.deferred import catch_up

from conftest import SITE_YAML, brief, topic

PLUGIN = """
import json
from briefgen.plugins import Added, Later, Output, PageWork, hookimpl

@hookimpl
def briefgen_page_work():
    return PageWork(marks=(b'<article class="brief"',), folders=("marked/",))

@hookimpl
def briefgen_rendered(pages, folder, state, later):
    builds = (state or 0) + 1
    if later and state is not None:
        kept = [Output(r, source=folder.source_of(r), digest=d) for r, d in folder.known.items()
                if r.startswith("marked/")]
        return Added(tuple(kept), state, Later("list of briefs", ("index.html",)))
    marked = sorted(p.file for p in pages if p.marks)
    data = json.dumps({"briefs": marked, "builds": builds}).encode()
    return Added((Output("marked/briefs.json", data),), builds)
"""


def _edit(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


@pytest.fixture
def site(make_site) -> Path:
    return make_site(
        {
            "content/topics/cartels.md": topic(),
            "content/briefs/a.md": brief(body="See [the list](/briefings/marked/briefs.json).\n"),
            "content/briefs/b.md": brief(title="Another brief"),
            "plugins/marked.py": PLUGIN,
        },
        SITE_YAML + "search: {enabled: false}\nplugins: [marked]\n",
    )


def _listed(site: Path) -> dict[str, object]:
    return json.loads((site / "public/marked/briefs.json").read_text())


def test_the_marked_pages_make_a_file_and_the_state_comes_back(site: Path) -> None:
    result = build(site)
    assert _listed(site) == {
        "briefs": ["briefs/a/index.html", "briefs/b/index.html"],
        "builds": 1,
    }
    assert not [d for d in result.diagnostics.items if d.kind == "dead-link"]
    _edit(site / "content/briefs/b.md", brief(title="Another brief", body="New text.\n"))
    build(site)
    assert _listed(site)["builds"] == 2  # the state of the last build, given back


def test_work_left_for_later_is_caught_up(site: Path) -> None:
    build(site)
    _edit(site / "content/briefs/b.md", brief(title="Another brief", body="New text.\n"))
    result = build(site, defer=True)
    assert [(name, later.work) for name, later in result.deferred] == [("marked", "list of briefs")]
    assert _listed(site)["builds"] == 1  # the file as it was
    assert [later.work for _, later in catch_up(site)] == ["list of briefs"]
    assert _listed(site)["builds"] == 2
    assert catch_up(site) == ()


def test_a_file_outside_the_declared_folders_is_the_plugins_error(make_site) -> None:
    plugin = """
from briefgen.plugins import Added, Output, PageWork, hookimpl

@hookimpl
def briefgen_page_work():
    return PageWork(folders=("mine/",))

@hookimpl
def briefgen_rendered():
    return Added((Output("mine/ok.txt", b"ok"), Output("index.html", b"x")))
"""
    root = make_site(
        {
            "content/topics/cartels.md": topic(),
            "content/briefs/a.md": brief(),
            "plugins/stray.py": plugin,
        },
        SITE_YAML + "plugins: [stray]\n",
    )
    with pytest.raises(ContentError) as failed:
        build(root)
    assert [d.message for d in failed.value.diagnostics.errors] == [
        "plugin 'stray': file path 'index.html' is in no folder of briefgen_page_work"
    ]
    assert not (root / "public").exists()
