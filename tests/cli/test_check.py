"""`briefgen check` on a site seeded with one mistake of every kind: each is reported with its
file and line, in text and as JSON that validates against docs/check-output.schema.json;
`new` and `init` produce content that check accepts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema

from conftest import REPO, brief, picture, topic

SCHEMA = json.loads((REPO / "docs/check-output.schema.json").read_text())

SEEDED = {
    "content/topics/border-crackdown.md": topic(title="Border crackdown"),
    "content/topics/cartels.md": topic(),
    "content/briefs/2025-02-01-target.md": brief(title="Target", body="## The numbers\n\nSix.\n"),
    # front matter schema: a date that is not a date
    "content/briefs/bad-date.md": brief(title="Bad date", date="tomorrow"),
    # a link to a brief that does not exist, and an anchor the target does not have
    "content/briefs/links.md": brief(
        title="Links",
        body="See [gone](missing.md).\n\nAnd [the part](2025-02-01-target.md#the-number).\n",
    ),
    # a topic used but not described, close to a described one
    "content/briefs/typo.md": brief(title="Typo", topics="[border-crackdwon]"),
    # two briefs whose slugs collide
    "content/briefs/2025-02-02-same.md": brief(title="Same one"),
    "content/briefs/same.md": brief(title="Same two"),
    # updated before date
    "content/briefs/dates.md": brief(title="Dates", extra="updated: 2025-01-01\n"),
    # a source without a URL
    "content/briefs/sourced.md": brief(title="Sourced", extra="sources:\n  - title: A report\n"),
    # an image that does not exist, and one that does
    "content/briefs/pictures.md": brief(
        title="Pictures",
        body="A map:\n\n![The border](img/map.png)\n\n![chart](img/missing.png)\n",
    ),
    "content/briefs/img/map.png": picture(),
}

EXPECTED = [
    "content/briefs/bad-date.md:3:1: error: 'date' must be a date; invalid date 'tomorrow': expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM",
    "content/briefs/dates.md:6:1: error: 'updated' (2025-01-01) is before 'date' (2025-02-04)",
    "content/briefs/links.md:8:12: error: link to 'missing.md': no such brief or topic (content/briefs/missing.md)",
    "content/briefs/links.md:10:16: error: content/briefs/2025-02-01-target.md has no heading with id "
    "'#the-number'; did you mean '#the-numbers'?",
    "content/briefs/pictures.md:12:10: error: image 'img/missing.png' not found",
    "content/briefs/same.md:1:1: error: slug 'same' is already used by content/briefs/2025-02-02-same.md; "
    "set a different 'slug:'",
    "content/briefs/sourced.md:7:5: warning: source 1 has no 'url': readers cannot check it",
    "content/briefs/typo.md:5:10: warning: topic 'border-crackdwon' has no file "
    "content/topics/border-crackdwon.md; its title is made from the slug; did you mean 'border-crackdown'?",
    "6 errors, 2 warnings",
]


def test_every_seeded_mistake_is_reported_with_file_and_line(make_site, cli) -> None:
    root = make_site(SEEDED)
    run = cli("check", "--source", root)
    assert run.code == 1
    assert run.err.splitlines() == EXPECTED
    assert not (root / "public").exists()  # check writes nothing


def test_json_output_validates_against_the_documented_shape(make_site, cli) -> None:
    root = make_site(SEEDED)
    run = cli("check", "--source", root, "--format", "json")
    assert run.code == 1
    payload = json.loads(run.out)
    jsonschema.validate(payload, SCHEMA)
    assert (payload["ok"], payload["errors"], payload["warnings"]) == (False, 6, 2)
    first = payload["diagnostics"][0]
    assert first == {
        "path": "content/briefs/bad-date.md",
        "line": 3,
        "col": 1,
        "severity": "error",
        "message": "'date' must be a date; invalid date 'tomorrow': expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM",
        "kind": "",
    }


def test_the_schema_rejects_a_wrong_shape() -> None:
    bad = {"ok": True, "errors": 0, "warnings": 0, "diagnostics": [{"path": "x", "line": 1}]}
    try:
        jsonschema.validate(bad, SCHEMA)
    except jsonschema.ValidationError:
        return
    raise AssertionError("the schema accepted a diagnostic without col, severity and message")


def test_strict_turns_the_warnings_into_errors(make_site, cli) -> None:
    files = {
        k: v
        for k, v in SEEDED.items()
        if k
        in (
            "content/topics/border-crackdown.md",
            "content/briefs/typo.md",
            "content/briefs/sourced.md",
        )
    }
    root = make_site(files)
    assert cli("check", "--source", root).code == 0
    strict = cli("check", "--strict", "--source", root, "--format", "json")
    assert strict.code == 1
    assert json.loads(strict.out)["ok"] is False


def test_a_clean_site_checks_ok_and_images_are_published(make_site, cli) -> None:
    files = {
        k: v
        for k, v in SEEDED.items()
        if k in ("content/topics/cartels.md", "content/briefs/img/map.png")
    }
    files["content/briefs/pictures.md"] = brief(
        title="Pictures", body="![The border](img/map.png)\n"
    )
    root = make_site(files)
    run = cli("check", "--source", root, "--format", "json")
    assert run.code == 0 and json.loads(run.out)["ok"] is True
    assert cli("build", "-q", "--source", root).code == 0
    html = (root / "public/briefs/pictures/index.html").read_text()
    assert '<img src="/briefings/media/briefs/img/map-png-800w.png"' in html
    assert 'width="800" height="500" alt="The border"' in html
    assert (root / "public/media/briefs/img/map-png-480w.webp").is_file()
    assert not (root / "public/media/briefs/img/map.png").exists()  # only what was made of it


def test_static_images_get_the_base_path_and_outside_paths_are_refused(make_site, cli) -> None:
    root = make_site(
        {
            "static/logo.png": picture(),
            "secret.png": picture(),
            "content/briefs/a.md": brief(
                body="![The desk's logo](/static/logo.png)\n\n![out](../../secret.png)\n\n![web](https://example.org/x.png)\n"
            ),
        }
    )
    run = cli("check", "--source", root)
    assert run.code == 1
    assert "content/briefs/a.md:10:8: error: image '../../secret.png' not found" in run.err
    assert "logo" not in run.err and "example.org" not in run.err
    assert "secret.png: warning" not in run.err  # outside content/: not a picture of the site


def test_new_brief_is_accepted_by_check(make_site, cli, monkeypatch) -> None:
    root = make_site({"content/topics/cartels.md": topic()})
    made = cli("new", "Querétaro raids: what we know", "--topic", "cartels", "--source", root)
    assert made.code == 0
    path = root / f"content/briefs/{dt.date.today().isoformat()}-queretaro-raids-what-we-know.md"
    assert path.is_file()
    for args in (("check", "--strict"), ("check", "--strict", "--drafts")):
        run = cli(*args, "--source", root)
        assert run.code == 0, run.err


def test_init_makes_a_site_that_builds_at_once(tmp_path: Path, cli, monkeypatch) -> None:
    target = tmp_path / "newsite"
    made = cli("init", target, "--title", "Desk notes", "--base-url", "https://news.example/desk/")
    assert made.code == 0, made.err
    assert "base_url: https://news.example/desk/\n" in (target / "site.yaml").read_text()
    monkeypatch.chdir(target)
    run = cli("build")
    assert run.code == 0, run.err
    assert run.err == ""
    assert cli("check", "--strict").code == 0
    home = (target / "public/index.html").read_text()
    assert "<title>Desk notes</title>" in home
    assert (target / "public/briefs/first-brief/index.html").is_file()
    assert (target / "public/topics/general/index.html").is_file()
    assert (target / ".gitignore").read_text().startswith("/public/")


def test_init_without_base_url_writes_a_placeholder_that_strict_flags(tmp_path: Path, cli) -> None:
    target = tmp_path / "newsite"
    made = cli("init", target)
    assert made.code == 0
    assert "set base_url in site.yaml" in made.out
    site_yaml = (target / "site.yaml").read_text()
    assert "base_url: https://example.org/\n" in site_yaml  # absolute: feeds stay valid
    line = site_yaml.splitlines().index("base_url: https://example.org/") + 1
    message = (
        f"site.yaml:{line}:1: warning: base_url is still the placeholder 'https://example.org/' "
        "that 'briefgen init' wrote: set it to the site's address"
    )
    run = cli("check", "--source", target)
    assert run.code == 0 and run.err.splitlines()[0] == message
    strict = cli("check", "--source", target, "--strict")
    assert strict.code == 1
    assert strict.err.splitlines()[0] == message.replace("warning:", "error:") + " (--strict)"
    # the one address given on the command line is the one used: no placeholder warning
    run = cli("build", "--source", target, "--base-url", "https://news.example/")
    assert run.code == 0 and run.err == ""


def test_init_refuses_a_base_url_that_is_not_one(tmp_path: Path, cli) -> None:
    run = cli("init", tmp_path / "newsite", "--base-url", "example.org")
    assert (run.code, run.out) == (2, "")
    assert run.err == (
        "briefgen init: error: --base-url: base_url 'example.org' must be an absolute URL "
        "or start with /\n"
    )
    assert not (tmp_path / "newsite").exists()


def test_init_refuses_a_folder_with_files(tmp_path: Path, cli) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    run = cli("init", tmp_path)
    assert run.code == 2
    assert "exists and is not an empty folder" in run.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


def test_a_cause_repeated_across_many_briefs_is_one_line_or_a_few_and_a_count(
    make_site, cli
) -> None:
    files = {
        f"content/briefs/b{n:02}.md": brief(title=f"Brief {n}", topics="[cartels, orphan]")
        for n in range(30)
    }
    files["content/briefs/b29.md"] = brief(title="Brief 29", topics="[cartels, orphan, lone]")
    site_yaml = "title: T\ndescription: D\nbase_url: https://news.example.net/\n"
    root = make_site({"content/topics/cartels.md": topic(), **files}, site_yaml=site_yaml)
    run = cli("check", "--source", root)
    assert run.code == 0
    lines = run.err.splitlines()
    orphan = [line for line in lines if "topic 'orphan' has no file" in line]
    assert orphan == [
        "content/briefs/b00.md:5:19: warning: topic 'orphan' has no file content/topics/orphan.md; "
        "its title is made from the slug (30 briefs use it; this is the first)"
    ]
    assert sum("brief has no sources" in line for line in lines) == 5
    # the repeated kind comes after every other problem (b29's too), its count right after it
    assert lines[0].startswith("content/briefs/b00.md:5:19: warning: topic 'orphan'")
    assert lines[1].startswith("content/briefs/b29.md:5:27: warning: topic 'lone'")
    assert all("brief has no sources" in line for line in lines[2:7])
    assert (
        lines[7] == "… and 25 more briefs have no sources; `checks.sources: false` turns this off"
    )
    assert lines[8:] == ["0 errors, 32 warnings (30 briefs have no sources, 2 topics have no file)"]
    payload = json.loads(cli("check", "--source", root, "--format", "json").out)
    kinds = [d["kind"] for d in payload["diagnostics"]]
    assert kinds.count("no-sources") == 30 and kinds.count("topic-file") == 2


def test_links_by_url_that_match_no_page_are_reported(make_site, cli) -> None:
    body = (
        "Release [notes](/blog/release/v4.2.0/) and [topics](/briefings/topics/).\n\n"
        "The [old brief](https://example.org/briefings/briefs/a-brif/) and "
        "[elsewhere](/other-app/) and [home](https://example.org/briefings/).\n\n"
        "A [feed](/briefings/feed.xml) and [an outside site](https://other.example/x/).\n"
    )
    root = make_site(
        {
            "content/topics/cartels.md": topic(),
            "content/briefs/a-brief.md": brief(),
            "content/briefs/links.md": brief(title="Links", body=body),
        }
    )
    run = cli("check", "--source", root)
    assert run.code == 0, run.err
    found = [line for line in run.err.splitlines() if "link" in line]
    assert found == [
        "content/briefs/links.md:8:17: warning: link '/blog/release/v4.2.0/' is outside the "
        "site's base path '/briefings/'; it leads to no page of this site",
        "content/briefs/links.md:10:17: warning: link 'https://example.org/briefings/briefs/a-brif/'"
        " leads to no page of the site; did you mean '/briefings/briefs/a-brief/'?",
        "content/briefs/links.md:10:79: warning: link '/other-app/' is outside the site's base "
        "path '/briefings/'; it leads to no page of this site",
    ]
    strict = cli("build", "--strict", "--source", root)
    assert strict.code == 1 and not (root / "public").exists()


def test_a_link_by_url_is_checked_again_when_its_page_appears(make_site, cli) -> None:
    root = make_site(
        {
            "content/topics/cartels.md": topic(),
            "content/briefs/a.md": brief(body="See [b](/briefings/briefs/b/).\n"),
        }
    )
    assert "leads to no page" in cli("build", "--source", root).err
    (root / "content/briefs/b.md").write_text(brief(title="B"), encoding="utf-8")
    assert "leads to no page" not in cli("build", "--source", root).err


def test_text_and_json_name_the_same_place_for_a_line_a_whole_file_and_the_run(
    make_site, cli
) -> None:
    """A picture's problem concerns the whole file: ``path: warning: …`` in the text, line
    and col 0 in the JSON; every other line of the text is the JSON's ``path:line:col``."""
    from conftest import picture

    body = "![A map of the region](img/tiny.png)\n"
    root = make_site(
        {
            "content/topics/cartels.md": topic(),
            "content/briefs/a.md": brief(body=body, extra="bogus_list: [1\n"),
            "content/briefs/b.md": brief(title="B", body=body),
            "content/briefs/img/tiny.png": picture(8, 8),
        }
    )
    text = cli("check", "--source", root).err.splitlines()[:-1]
    payload = json.loads(cli("check", "--source", root, "--format", "json").out)
    jsonschema.validate(payload, SCHEMA)
    places = []
    for d in payload["diagnostics"]:
        where = f"{d['path']}:{d['line']}:{d['col']}" if d["line"] else d["path"]
        places.append(f"{where}: {d['severity']}: {d['message']}" if where else d["message"])
    assert text == places
    whole = [d for d in payload["diagnostics"] if d["path"].endswith("tiny.png")]
    assert [(d["line"], d["col"]) for d in whole] == [(0, 0)]
    assert any(line.startswith("content/briefs/img/tiny.png: warning: ") for line in text)
    assert any(d["line"] > 0 for d in payload["diagnostics"])


def test_the_schema_ties_col_to_line() -> None:
    shape = {"path": "a.md", "severity": "error", "message": "m", "kind": ""}
    for line, col, valid in ((0, 0, True), (3, 1, True), (0, 4, False), (3, 0, False)):
        payload = {
            "ok": False,
            "errors": 1,
            "warnings": 0,
            "diagnostics": [{**shape, "line": line, "col": col}],
        }
        try:
            jsonschema.validate(payload, SCHEMA)
        except jsonschema.ValidationError:
            assert not valid, (line, col)
        else:
            assert valid, (line, col)


# --- check --translations: the theme's words each language lacks ----------------------------

WORDS_SITE = """\
title: T
description: D
base_url: https://news.example.net/
checks:
  sources: false
languages:
  en:
    name: English
  es:
    name: Español
  haw:
    name: ʻŌlelo Hawaiʻi
"""
DATE_PATTERNS = {"date_format", "month_format", "year_format"}


def _english_keys() -> list[str]:
    from briefgen.languages import Catalog

    theme = Catalog([REPO / "themes/default/i18n"], REPO / "no-such-folder", REPO)
    return sorted(set(theme.table("en")) - DATE_PATTERNS)


def _words_site(make_site, site_yaml: str = WORDS_SITE) -> Path:
    files = {
        "content/topics/cartels.md": topic(),
        "content/briefs/a.md": brief(),
        "i18n/haw.yaml": "site:\n  skip_link: Lele i ka ʻatikala\n",
    }
    return make_site(files, site_yaml=site_yaml)


def test_check_translations_lists_the_theme_words_a_language_lacks(make_site, cli) -> None:
    root = _words_site(make_site)
    lacking = [k for k in _english_keys() if k != "site.skip_link"]  # the site gives that one
    run = cli("check", "--source", root, "--translations")
    assert run.code == 0, run.err
    words = run.out[run.out.index("theme words in en") :].splitlines()
    assert words == [
        "theme words in en (English): the theme's en table, none missing",
        "theme words in es (Español): the theme's es table, none missing",
        f"theme words in haw (ʻŌlelo Hawaiʻi): no table in the theme, {len(lacking)} missing: "
        "add them to i18n/haw.yaml",
        *[f"  missing: {key}" for key in lacking],
    ]
    assert len(lacking) > 100 and not DATE_PATTERNS & set(lacking)

    payload = json.loads(cli("check", "--source", root, "--translations", "--format", "json").out)
    jsonschema.validate(payload, SCHEMA)
    assert payload["theme_words"] == [
        {"code": "en", "name": "English", "table": "en", "missing": []},
        {"code": "es", "name": "Español", "table": "es", "missing": []},
        {"code": "haw", "name": "ʻŌlelo Hawaiʻi", "table": None, "missing": lacking},
    ]


def test_a_site_table_that_gives_every_key_empties_the_list(make_site, cli) -> None:
    import yaml

    root = _words_site(make_site)
    table: dict = {}
    for key in _english_keys():
        *parents, last = key.split(".")
        place = table
        for name in parents:
            place = place.setdefault(name, {})
        place[last] = "ʻŌlelo"
    (root / "i18n/haw.yaml").write_text(yaml.safe_dump(table, allow_unicode=True), "utf-8")
    payload = json.loads(cli("check", "--source", root, "--translations", "--format", "json").out)
    haw = {"code": "haw", "name": "ʻŌlelo Hawaiʻi", "table": None, "missing": []}
    assert payload["theme_words"][2] == haw
    text = cli("check", "--source", root, "--translations").out
    assert "theme words in haw (ʻŌlelo Hawaiʻi): no table in the theme, none missing" in text


def test_a_site_with_one_language_is_told_its_theme_words_too(make_site, cli) -> None:
    site_yaml = "title: T\ndescription: D\nbase_url: https://news.example.net/\nlanguage: haw\n"
    run = cli("check", "--source", _words_site(make_site, site_yaml), "--translations")
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    start = lines.index("translations: this site has one language (no 'languages:' in site.yaml)")
    assert lines[start + 1].startswith("theme words in haw (ʻŌlelo Hawaiʻi): no table in the theme")
    assert "  missing: site.skip_link" not in lines
