"""The desk's rules: inline citations and their checks, word budgets, "go deeper" links,
stale briefs, entity descriptions and entity links, and the per-topic numbers and timeline."""

from __future__ import annotations

import json
import re

import pytest

from conftest import SITE_YAML, brief, topic

SOURCED_YAML = SITE_YAML.replace("sources: false", "sources: true")

SOURCES = """\
sources:
  - {id: nyt, title: Drone report, publisher: The New York Times, url: 'https://www.nytimes.com/'}
  - {id: cnn, title: Flight count, publisher: CNN, url: 'https://www.cnn.com/'}
"""


@pytest.fixture
def make_site(make_site):
    """Sites with the sourcing rules on, as they are unless ``site.yaml`` turns them off."""
    return lambda files=None, site_yaml=SOURCED_YAML: make_site(files, site_yaml)


def _site(make_site, body: str, extra: str = SOURCES, **more: str):
    files = {
        "content/briefs/a.md": brief(body=body, extra=extra),
        "content/topics/cartels.md": topic(),
        **more,
    }
    return make_site(files)


def _diagnostics(cli, root, *args: str) -> list[dict]:
    run = cli("check", "--source", root, "--format", "json", *args)
    return json.loads(run.out)["diagnostics"]


def test_citations_render_as_numbered_links_to_the_sources(make_site, cli) -> None:
    root = _site(make_site, "Drones flew [@nyt]. Officials counted 18 [@cnn; @nyt].\n")
    assert cli("build", "--source", root, "-q").code == 0
    page = (root / "public/briefs/a/index.html").read_text(encoding="utf-8")
    assert (
        'Drones flew<sup class="cite"><a href="#source-1" id="cite-1-1" aria-label="source 1">'
        "1</a></sup>." in page
    )
    assert (
        '<a href="#source-2" id="cite-2-1" aria-label="source 2">2</a>,'
        '<a href="#source-1" id="cite-1-2" aria-label="source 1">1</a>' in page
    )
    sources = page[page.index('<section class="sources"') :]
    assert '<li id="source-1">' in sources and '<li id="source-2">' in sources
    assert sources.index("The New York Times") < sources.index("CNN")
    assert '<a href="https://www.cnn.com/">Flight count</a>' in sources
    # each entry links back to every citation of it
    backs = re.findall(r'<li id="source-(\d)">.*?</li>', sources, re.S)
    assert backs == ["1", "2"]
    assert re.findall(r'href="#(cite-\d-\d)"', sources) == ["cite-1-1", "cite-1-2", "cite-2-1"]


def test_unknown_citation_is_an_error_at_its_line_and_column(make_site, cli) -> None:
    root = _site(make_site, "First paragraph [@nyt] [@cnn].\n\nThen a claim [@wapo].\n")
    run = cli("check", "--source", root)
    assert run.code == 1
    # 4 fields, 3 lines of sources and the fences; then a blank line, a paragraph, a blank
    assert (
        "content/briefs/a.md:13:14: error: citation of unknown source 'wapo' "
        "(source ids here: cnn, nyt)" in run.err
    )


def test_uncited_source_is_a_warning_at_the_source(make_site, cli) -> None:
    root = _site(make_site, "Only one claim [@nyt].\n")
    found = _diagnostics(cli, root)
    assert [(d["line"], d["col"], d["severity"]) for d in found] == [(8, 5, "warning")]
    assert (
        "source 2 ('Flight count') is never cited: cite it in the body with [@cnn]"
        in (found[0]["message"])
    )


def test_a_source_used_by_a_key_fact_or_timeline_counts_as_cited(make_site, cli) -> None:
    extra = SOURCES + (
        "key_facts:\n  - {figure: 18, label: flights, source: cnn}\n"
        "timeline:\n  - {date: 2025-02, event: Flights begin, source: nyt}\n"
    )
    root = _site(make_site, "No citation in the body.\n", extra)
    assert _diagnostics(cli, root) == []


def test_source_without_id_cannot_be_cited_and_is_reported(make_site, cli) -> None:
    extra = "sources:\n  - {title: Wire copy, url: 'https://example.org/wire'}\n"
    root = _site(make_site, "Text.\n", extra)
    found = _diagnostics(cli, root)
    assert [d["message"] for d in found] == [
        "source 1 ('Wire copy') is never cited: give it an 'id' and cite it in the body with [@id]"
    ]


def test_brief_without_sources_warns_and_fails_with_strict(make_site, cli) -> None:
    root = _site(make_site, "Text.\n", "")
    run = cli("check", "--source", root)
    assert run.code == 0
    assert "content/briefs/a.md:1:1: warning: brief has no sources" in run.err
    strict = cli("check", "--source", root, "--strict")
    assert strict.code == 1
    assert "content/briefs/a.md:1:1: error: brief has no sources" in strict.err


def test_sourcing_rules_can_be_turned_off_but_not_unknown_citations(make_site, cli) -> None:
    root = _site(make_site, "Text [@nyt].\n", "")
    root.joinpath("site.yaml").write_text(SITE_YAML)
    run = cli("check", "--source", root)
    assert run.code == 1
    assert [line.split(": ")[1] for line in run.err.splitlines()[:-1]] == ["error"]
    assert "citation of unknown source 'nyt' (source ids here: none; give a source an 'id')" in (
        run.err
    )


def test_citation_syntax_leaves_other_brackets_alone(make_site, cli) -> None:
    root = _site(make_site, "Mail [@ someone] or [see @nyt] [@nyt][@cnn] `[@code]`.\n")
    assert cli("build", "--source", root, "-q").code == 0
    page = (root / "public/briefs/a/index.html").read_text(encoding="utf-8")
    assert "Mail [@ someone] or [see @nyt]" in page
    assert "<code>[@code]</code>" in page
    assert page.count('<sup class="cite">') == 2


def test_word_budgets_warn_at_the_field(make_site, cli) -> None:
    long = " ".join(["word"] * 41)
    extra = SOURCES + f"why_it_matters: {long}\nwhats_next: Short.\n"
    root = _site(make_site, "Cited [@nyt] [@cnn].\n", extra)
    found = _diagnostics(cli, root)
    assert [(d["line"], d["message"]) for d in found] == [
        (
            9,
            "'why_it_matters' has 41 words, over its budget of 40 "
            "(budgets.why_it_matters in site.yaml)",
        )
    ]
    root.joinpath("site.yaml").write_text(
        root.joinpath("site.yaml").read_text() + "budgets:\n  why_it_matters: 0\n  summary: 2\n"
    )
    found = _diagnostics(cli, root)
    assert [(d["line"], d["message"]) for d in found] == [
        (4, "'summary' has 3 words, over its budget of 2 (budgets.summary in site.yaml)")
    ]


def test_go_deeper_budget_counts_links(make_site, cli) -> None:
    links = "".join(f"  - 'https://example.org/{i}'\n" for i in range(6))
    root = _site(make_site, "Cited [@nyt] [@cnn].\n", SOURCES + "go_deeper:\n" + links)
    messages = [d["message"] for d in _diagnostics(cli, root)]
    assert messages == [
        "'go_deeper' has 6 links, over its budget of 5 (budgets.go_deeper in site.yaml)"
    ]


def test_go_deeper_links_resolve_to_briefs_and_addresses(make_site, cli) -> None:
    extra = SOURCES + (
        "go_deeper:\n  - b.md\n  - {link: 'https://example.org/report', title: The report}\n"
        "  - 'https://example.org/raw/'\n"
    )
    root = _site(
        make_site,
        "Cited [@nyt] [@cnn].\n",
        extra,
        **{
            "content/briefs/b.md": brief(
                title="The other brief", extra=SOURCES, body="[@nyt] [@cnn]\n"
            )
        },
    )
    assert cli("build", "--source", root, "-q").code == 0
    page = (root / "public/briefs/a/index.html").read_text(encoding="utf-8")
    section = page[page.index('<section class="go-deeper"') :]
    section = section[: section.index("</section>")]
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', section) == [
        ("/briefings/briefs/b/", "The other brief"),
        ("https://example.org/report", "The report"),
        ("https://example.org/raw/", "example.org/raw"),
    ]


def test_go_deeper_to_a_missing_brief_is_an_error(make_site, cli) -> None:
    root = _site(make_site, "Cited [@nyt] [@cnn].\n", SOURCES + "go_deeper:\n  - gone.md\n")
    run = cli("check", "--source", root)
    assert run.code == 1
    assert (
        "content/briefs/a.md:10:5: error: go_deeper link 'gone.md': "
        "no such brief (content/briefs/gone.md)" in run.err
    )


def test_stale_lists_briefs_overtaken_in_their_topic(make_site, cli) -> None:
    root = make_site(
        {
            "content/briefs/old.md": brief(
                title="Old", date="2025-01-01", extra=SOURCES, body="[@nyt] [@cnn]\n"
            ),
            "content/briefs/new.md": brief(
                title="New", date="2025-03-01", extra=SOURCES, body="[@nyt] [@cnn]\n"
            ),
            "content/briefs/alone.md": brief(
                title="Alone",
                date="2025-01-01",
                topics="[trade]",
                extra=SOURCES,
                body="[@nyt] [@cnn]\n",
            ),
            "content/topics/cartels.md": topic(),
            "content/topics/trade.md": topic(title="Trade"),
        }
    )
    assert _diagnostics(cli, root) == []
    found = _diagnostics(cli, root, "--stale", "30d")
    assert [(d["path"], d["line"], d["col"]) for d in found] == [("content/briefs/old.md", 3, 1)]
    assert "'Cartels' has newer briefs, the latest 'New' (1 March 2025)" in found[0]["message"]
    assert cli("check", "--source", root, "--stale", "soon").code == 2


def test_stale_counts_from_the_last_change(make_site, cli, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1741305600")  # 7 March 2025
    updated = SOURCES + "updates:\n  - {date: 2025-03-02, kind: update, note: New figures.}\n"
    root = make_site(
        {
            "content/briefs/old.md": brief(
                title="Old", date="2025-01-01", extra=updated, body="[@nyt] [@cnn]\n"
            ),
            "content/briefs/new.md": brief(
                title="New", date="2025-03-01", extra=SOURCES, body="[@nyt] [@cnn]\n"
            ),
            "content/topics/cartels.md": topic(),
        }
    )
    assert _diagnostics(cli, root, "--stale", "4w") == []  # changed after the newer brief
    assert _diagnostics(cli, root, "--stale", "2") == []  # changed 5 days ago


def test_topic_page_has_its_numbers_and_timeline(make_site, cli) -> None:
    extra = SOURCES + (
        "key_facts:\n  - Plain fact\n  - {figure: 229, label: migrants, source: cnn}\n"
        "timeline:\n  - {date: 2025-02-04, event: Low count, source: nyt}\n"
        "  - {date: 2025-01, event: Crackdown starts}\n"
    )
    root = _site(make_site, "Text.\n", extra)
    assert cli("build", "--source", root, "-q").code == 0
    page = (root / "public/topics/cartels/index.html").read_text(encoding="utf-8")
    numbers = page[page.index('<section class="by-the-numbers"') :]
    assert '<strong class="figure">229</strong> <span class="label">migrants</span>' in numbers
    assert "Plain fact" not in numbers[: numbers.index("</section>")]
    timeline = page[page.index('<section class="topic-timeline"') :]
    assert (
        timeline.index("January 2025")
        < timeline.index("Crackdown starts")
        < (timeline.index("February 2025"))
        < timeline.index("Low count")
    )
    assert '<a class="from" href="/briefings/briefs/a/">A brief</a>' in timeline


def test_entity_file_describes_its_page(make_site, cli) -> None:
    extra = SOURCES + "places: [Querétaro]\n"
    entity = (
        "---\ndescription: A state in central Mexico.\n---\n\nSee [the brief](../../briefs/a.md).\n"
    )
    root = _site(
        make_site,
        "Text [@nyt] [@cnn].\n",
        extra,
        **{
            "content/entities/places/queretaro.md": entity,
            "content/entities/people/nobody.md": "---\ndescription: Named by no brief.\n---\n",
        },
    )
    run = cli("build", "--source", root, "-q")
    assert run.code == 0
    assert (
        "content/entities/people/nobody.md:1:1: warning: no published brief names this "
        "entity (people: nobody); no page is made" in run.err
    )
    page = (root / "public/places/queretaro/index.html").read_text(encoding="utf-8")
    assert '<p class="lede">A state in central Mexico.</p>' in page
    assert 'See <a href="/briefings/briefs/a/">the brief</a>.' in page
    index = (root / "public/places/index.html").read_text(encoding="utf-8")
    assert '<span class="description">A state in central Mexico.</span>' in index
    assert not (root / "public/people/nobody").exists()


def test_entity_file_name_must_match_its_file(make_site, cli) -> None:
    root = _site(
        make_site,
        "Text [@nyt] [@cnn].\n",
        **{"content/entities/people/ana.md": "---\nname: Bea Ruiz\n---\n"},
    )
    run = cli("check", "--source", root)
    assert run.code == 1
    assert (
        "content/entities/people/ana.md:2:1: error: name 'Bea Ruiz' would have the page" in run.err
    )


def test_entity_names_link_on_first_mention_when_asked(make_site, cli) -> None:
    extra = SOURCES + "people: [Claudia Sheinbaum]\norganizations: [CIA]\n"
    body = (
        "## Claudia Sheinbaum speaks\n\nClaudia Sheinbaum said the CIA flew [@nyt]. "
        "Claudia Sheinbaum again, and [CIA](https://www.cia.gov/) [@cnn].\n"
    )
    root = _site(make_site, body, extra)
    assert cli("build", "--source", root, "-q").code == 0
    page = (root / "public/briefs/a/index.html").read_text(encoding="utf-8")
    assert "entity-link" not in page
    yaml = root.joinpath("site.yaml")
    yaml.write_text(yaml.read_text() + "markdown:\n  link_entities: true\n")
    assert cli("build", "--source", root, "-q").code == 0
    page = (root / "public/briefs/a/index.html").read_text(encoding="utf-8")
    body_html = page[page.index('<div class="body">') :]
    assert body_html.count("entity-link") == 2
    assert (
        '<p><a href="/briefings/people/claudia-sheinbaum/" class="entity-link">Claudia '
        'Sheinbaum</a> said the <a href="/briefings/organizations/cia/" class="entity-link">'
        "CIA</a> flew" in body_html
    )
    assert '<h2 id="claudia-sheinbaum-speaks">Claudia Sheinbaum speaks</h2>' in body_html


def test_incremental_builds_follow_every_briefing_input(make_site, monkeypatch, tmp_path) -> None:
    """Each edit below changes a page through one of this module's features; the cached
    build must match a clean build after each."""
    from briefgen.pipeline.build import build

    from trees import assert_same_as_clean

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1748779200")
    cited = "[@nyt] [@cnn]\n"
    root = _site(
        make_site,
        "Claudia Sheinbaum spoke [@nyt] [@cnn].\n",
        SOURCES + "people: [Claudia Sheinbaum]\ngo_deeper: [b.md]\n"
        "key_facts:\n  - {figure: 18, label: flights}\n",
        **{
            "content/briefs/b.md": brief(title="Other", extra=SOURCES, body=cited),
            "content/entities/people/claudia-sheinbaum.md": "---\ndescription: First.\n---\n",
        },
    )
    clean = tmp_path / "clean"

    def step(path: str, old: str, new: str) -> None:
        file = root / path
        file.write_text(file.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        build(root)
        assert_same_as_clean(root, clean)

    build(root)
    assert_same_as_clean(root, clean)
    step("content/briefs/b.md", "title: Other", "title: Retitled")  # go_deeper shows titles
    step("content/entities/people/claudia-sheinbaum.md", "First.", "Second.")
    step("content/briefs/a.md", "figure: 18", "figure: 19")  # topic numbers
    step("site.yaml", "sources: true", "sources: true\nmarkdown:\n  link_entities: true")
    nyt, cnn = SOURCES.splitlines()[1:3]
    step("content/briefs/a.md", f"{nyt}\n{cnn}", f"{cnn}\n{nyt}")  # renumbers the citations
    page = (root / "public/briefs/a/index.html").read_text(encoding="utf-8")
    assert 'class="entity-link">Claudia Sheinbaum</a>' in page
    assert 'spoke<sup class="cite"><a href="#source-2"' in page
    assert "Retitled" in page and "19" in (root / "public/topics/cartels/index.html").read_text()


def test_an_alias_from_the_entity_file_links_the_first_mention(make_site, cli) -> None:
    extra = SOURCES + "organizations: [Central Intelligence Agency]\n"
    body = "The CIA flew drones [@nyt]. The Central Intelligence Agency told Congress [@cnn].\n"
    entity = "---\naliases: [CIA, the Agency]\n---\n"
    root = _site(
        make_site,
        body,
        extra,
        **{"content/entities/organizations/central-intelligence-agency.md": entity},
    )
    yaml = root.joinpath("site.yaml")
    yaml.write_text(yaml.read_text() + "markdown:\n  link_entities: true\n")
    assert cli("build", "--source", root, "-q").code == 0
    page = (root / "public/briefs/a/index.html").read_text(encoding="utf-8")
    body_html = page[page.index('<div class="body">') :]
    assert body_html.count("entity-link") == 1  # one entity, linked once
    assert (
        'The <a href="/briefings/organizations/central-intelligence-agency/" '
        'class="entity-link">CIA</a> flew' in body_html
    )


def test_a_rebuild_places_the_warnings_of_unchanged_briefs_without_reading_them_again(
    make_site, monkeypatch
) -> None:
    """Positions are recorded when a brief is first read: ten thousand briefs with an
    uncited source once cost a second parse of each on every rebuild."""
    from briefgen.pipeline.build import build
    from briefgen.read import frontmatter

    files = {
        f"content/briefs/b{n}.md": brief(title=f"B {n}", body="Cites [@nyt].\n", extra=SOURCES)
        for n in range(6)
    }
    root = make_site({**files, "content/topics/cartels.md": topic()})
    first = build(root)
    uncited = sorted(d.format() for d in first.diagnostics.items if "never cited" in d.message)
    assert len(uncited) == 6 and all(":8:5: warning:" in line for line in uncited), uncited
    edited = root / "content/briefs/b0.md"
    edited.write_text(edited.read_text().replace("Cites", "Now cites"))
    parsed: list[str] = []
    split = frontmatter.split
    monkeypatch.setattr(
        frontmatter, "split", lambda path, *a: parsed.append(path) or split(path, *a)
    )
    again = build(root)
    assert [p for p in parsed if p.startswith("content/briefs/")] == ["content/briefs/b0.md"]
    assert (
        sorted(d.format() for d in again.diagnostics.items if "never cited" in d.message) == uncited
    )
