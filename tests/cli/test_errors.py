"""Every class of mistake, end to end through the command line: the exact diagnostic at the
exact place, the exit status, no traceback, every problem of a run reported together, and a
failed build leaving the previous output untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Run, brief, read_tree, staging_left, topic

GOOD = {
    "content/briefs/2025-02-04-six-cartels.md": brief(
        title="Six cartels", date="2025-02-04", body="## The numbers\n\nSix groups.\n"
    ),
    "content/briefs/2025-02-05-spy-planes.md": brief(title="Spy planes", date="2025-02-05"),
    "content/topics/cartels.md": topic(),
}
ARCHIVE_HEAD = '{% extends "base.html" %}\n{% block content %}\n<h1>{{ page.title }}</h1>\n'


def build(cli, root: Path, *extra: object, expect: int = 1) -> Run:
    run = cli("build", "--source", root, *extra)
    assert run.code == expect, run.err
    assert "Traceback" not in run.err + run.out
    return run


def lines(run: Run) -> list[str]:
    return run.err.splitlines()


def test_good_site_builds_cleanly(make_site, cli) -> None:
    run = build(cli, make_site(GOOD), expect=0)
    assert run.err == ""


def test_missing_front_matter(make_site, cli) -> None:
    root = make_site({**GOOD, "content/briefs/2025-02-06-notes.md": "Just some notes.\n"})
    run = build(cli, root)
    assert lines(run) == [
        "content/briefs/2025-02-06-notes.md:1:1: error: missing front matter: the file must start with a '---' line",
        "1 error, 0 warnings",
        "build failed",  # nothing was built before: no previous output to speak of
    ]


def test_malformed_yaml(make_site, cli) -> None:
    text = brief(extra="key_facts:\n  - one\n - two\n")
    run = build(cli, make_site({**GOOD, "content/briefs/bad.md": text}))
    assert lines(run)[0] == (
        "content/briefs/bad.md:8:2: error: invalid YAML: while parsing a block mapping: did not find expected key"
    )
    assert lines(run)[1] == "1 error, 0 warnings"


def test_wrong_types(make_site, cli) -> None:
    run = build(
        cli, make_site({**GOOD, "content/briefs/bad.md": brief(date="tomorrow", topics="trade")})
    )
    assert lines(run)[:3] == [
        "content/briefs/bad.md:3:1: error: 'date' must be a date; invalid date 'tomorrow': expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM",
        "content/briefs/bad.md:5:1: error: 'topics' must be a list, not text; write [trade]",
        "2 errors, 0 warnings",
    ]


def test_missing_required_fields(make_site, cli) -> None:
    run = build(
        cli,
        make_site({**GOOD, "content/briefs/bare.md": "---\ntitle: Only a title\n---\n\nBody.\n"}),
    )
    assert lines(run)[:4] == [
        "content/briefs/bare.md:2:1: error: missing required field 'date'",
        "content/briefs/bare.md:2:1: error: missing required field 'summary'",
        "content/briefs/bare.md:2:1: error: missing required field 'topics'",
        "3 errors, 0 warnings",
    ]


def test_duplicate_slugs_name_the_other_file(make_site, cli) -> None:
    root = make_site(
        {
            **GOOD,
            "content/briefs/2025-02-04-raids.md": brief(title="Raids"),
            "content/briefs/2025/2025-02-05-Raids.md": brief(title="Raids again"),
        }
    )
    run = build(cli, root)
    assert lines(run)[:2] == [
        "content/briefs/2025/2025-02-05-Raids.md:1:1: error: slug 'raids' is already used by "
        "content/briefs/2025-02-04-raids.md; set a different 'slug:'",
        "1 error, 0 warnings",
    ]


def test_duplicate_explicit_slug_is_reported_at_the_slug_line(make_site, cli) -> None:
    root = make_site(
        {**GOOD, "content/briefs/other.md": brief(title="Other", extra="slug: Spy Planes\n")}
    )
    run = build(cli, root)
    assert lines(run)[0] == (
        "content/briefs/other.md:6:1: error: slug 'spy-planes' is already used by "
        "content/briefs/2025-02-05-spy-planes.md; set a different 'slug:'"
    )


def test_unknown_theme(make_site, cli) -> None:
    root = make_site(GOOD, site_yaml="title: T\ntheme: broadsheet\n")
    run = build(cli, root, expect=2)
    assert lines(run)[:2] == [
        "site.yaml:2:1: error: unknown theme 'broadsheet' (no themes/broadsheet/templates/); available: default",
        "1 error, 0 warnings",
    ]


def test_python_object_tag_is_refused_and_not_run(make_site, cli, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = brief(extra=f'hook: !!python/object/apply:os.system ["touch {marker}"]\n')
    run = build(cli, make_site({**GOOD, "content/briefs/evil.md": text}))
    assert lines(run)[0] == (
        "content/briefs/evil.md:6:7: error: invalid YAML: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system'"
    )
    assert not marker.exists()


def test_link_to_a_missing_brief(make_site, cli) -> None:
    body = "Intro paragraph.\n\nSee the [earlier brief](nope.md) for context.\n"
    run = build(cli, make_site({**GOOD, "content/briefs/linking.md": brief(body=body)}))
    # the closing fence is line 6, a blank line 7, and the link is on line 10
    assert lines(run)[:2] == [
        "content/briefs/linking.md:10:25: error: link to 'nope.md': no such brief or topic (content/briefs/nope.md)",
        "1 error, 0 warnings",
    ]


def test_link_to_a_missing_anchor_suggests_the_nearest(make_site, cli) -> None:
    body = "See [numbers](2025-02-04-six-cartels.md#the-number).\n"
    run = build(cli, make_site({**GOOD, "content/briefs/linking.md": brief(body=body)}))
    assert lines(run)[:2] == [
        "content/briefs/linking.md:8:15: error: content/briefs/2025-02-04-six-cartels.md has no heading with id "
        "'#the-number'; did you mean '#the-numbers'?",
        "1 error, 0 warnings",
    ]


def test_link_to_an_existing_anchor_is_fine(make_site, cli) -> None:
    body = "See [numbers](2025-02-04-six-cartels.md#the-numbers).\n"
    root = make_site({**GOOD, "content/briefs/linking.md": brief(body=body)})
    build(cli, root, expect=0)
    html = (root / "public/briefs/linking/index.html").read_text(encoding="utf-8")
    assert '<a href="/briefings/briefs/six-cartels/#the-numbers">numbers</a>' in html


def test_template_syntax_error_in_site_override(make_site, cli) -> None:
    template = (
        ARCHIVE_HEAD + "{% for month in months %}\n{{ month.title }\n{% endfor %}\n{% endblock %}\n"
    )
    run = build(cli, make_site({**GOOD, "templates/archive.html": template}))
    assert lines(run)[:2] == [
        "templates/archive.html:5:1: error: template syntax: unexpected '}'",
        "1 error, 0 warnings",
    ]


def test_undefined_variable_in_site_override(make_site, cli) -> None:
    template = ARCHIVE_HEAD + "{{ no_such_thing }}\n{% endblock %}\n"
    run = build(cli, make_site({**GOOD, "templates/archive.html": template}))
    assert lines(run)[:2] == [
        "templates/archive.html:4:1: error: template error: undefined: 'no_such_thing' is undefined",
        "1 error, 0 warnings",
    ]


def test_undefined_attribute_in_a_loop_is_reported_at_its_line(make_site, cli) -> None:
    template = (
        ARCHIVE_HEAD
        + "{% for month in months %}\n\n{{ month.colour }}\n{% endfor %}\n{% endblock %}\n"
    )
    run = build(cli, make_site({**GOOD, "templates/archive.html": template}))
    assert lines(run)[0] == (
        "templates/archive.html:6:1: error: template error: undefined: "
        "'briefgen.model.site.Month object' has no attribute 'colour'"
    )


def test_broken_brief_template_is_reported_once_not_per_page(make_site, cli) -> None:
    template = (
        '{% extends "base.html" %}\n{% block content %}\n{{ brief.nope_field }}\n{% endblock %}\n'
    )
    run = build(cli, make_site({**GOOD, "templates/brief.html": template}))
    assert lines(run)[:2] == [
        "templates/brief.html:3:1: error: template error: undefined: 'briefgen.model.site.Brief object' has no "
        "attribute 'nope_field'",
        "1 error, 0 warnings",
    ]


def test_undescribed_topic_warns_with_suggestion(make_site, cli) -> None:
    root = make_site({**GOOD, "content/briefs/near.md": brief(topics="[cartel, border-crackdown]")})
    run = build(cli, root, expect=0)
    assert lines(run) == [
        "content/briefs/near.md:5:10: warning: topic 'cartel' has no file content/topics/cartel.md; "
        "its title is made from the slug; did you mean 'cartels'?",
        "content/briefs/near.md:5:18: warning: topic 'border-crackdown' has no file "
        "content/topics/border-crackdown.md; its title is made from the slug",
        "0 errors, 2 warnings",
    ]
    assert (root / "public/topics/cartel/index.html").is_file()


def test_strict_turns_warnings_into_errors(make_site, cli) -> None:
    root = make_site({**GOOD, "content/briefs/near.md": brief(topics="[cartel]")})
    run = build(cli, root, "--strict", expect=1)
    assert lines(run) == [
        "content/briefs/near.md:5:10: error: topic 'cartel' has no file content/topics/cartel.md; "
        "its title is made from the slug; did you mean 'cartels'? (--strict)",
        "1 error (warnings count as errors with --strict)",
        "build failed",  # nothing was built before: no previous output to speak of
    ]
    assert not (root / "public").exists()


def test_not_utf8(make_site, cli) -> None:
    root = make_site(
        {**GOOD, "content/briefs/latin1.md": brief().encode("utf-8") + b"Quer\xe9taro\n"}
    )
    run = build(cli, root)
    assert lines(run)[0] == "content/briefs/latin1.md:9:5: error: not valid UTF-8 (byte offset 103)"


def test_nul_byte(make_site, cli) -> None:
    root = make_site({**GOOD, "content/briefs/binary.md": brief(body="one\n\x00two\n")})
    run = build(cli, root)
    assert (
        lines(run)[0]
        == "content/briefs/binary.md:9:1: error: file contains a NUL byte; is it a binary file?"
    )


def test_every_error_of_every_file_is_reported_in_one_run(make_site, cli) -> None:
    root = make_site(
        {
            **GOOD,
            "content/briefs/a-no-front-matter.md": "No fence here.\n",
            "content/briefs/b-wrong-types.md": brief(title="42", date="tomorrow", topics="trade"),
            "content/briefs/c-bad-link.md": brief(
                body="[x](gone.md) and [y](2025-02-04-six-cartels.md#nope)\n"
            ),
            "content/briefs/d-near-topic.md": brief(topics="[cartel]"),
            "content/topics/untitled.md": "---\ndescription: no title\n---\n",
            "templates/archive.html": ARCHIVE_HEAD + "{{ nope }}\n{% endblock %}\n",
        }
    )
    run = build(cli, root)
    assert lines(run) == [
        "content/briefs/a-no-front-matter.md:1:1: error: missing front matter: the file must start with a '---' line",
        "content/briefs/b-wrong-types.md:2:1: error: 'title' must be text, not a number (42); put it in quotes",
        "content/briefs/b-wrong-types.md:3:1: error: 'date' must be a date; invalid date 'tomorrow': expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM",
        "content/briefs/b-wrong-types.md:5:1: error: 'topics' must be a list, not text; write [trade]",
        "content/briefs/c-bad-link.md:8:5: error: link to 'gone.md': no such brief or topic (content/briefs/gone.md)",
        "content/briefs/c-bad-link.md:8:22: error: content/briefs/2025-02-04-six-cartels.md has no heading with id "
        "'#nope'",
        "content/briefs/d-near-topic.md:5:10: warning: topic 'cartel' has no file content/topics/cartel.md; "
        "its title is made from the slug; did you mean 'cartels'?",
        "content/topics/untitled.md:2:1: error: missing required field 'title'",
        "templates/archive.html:4:1: error: template error: undefined: 'nope' is undefined",
        "8 errors, 1 warning",
        "build failed",  # nothing was built before: no previous output to speak of
    ]


def test_check_reports_the_same_errors_and_writes_nothing(make_site, cli) -> None:
    root = make_site({**GOOD, "content/briefs/bad.md": brief(date="tomorrow")})
    run = cli("check", "--source", root)
    assert run.code == 1
    assert lines(run) == [
        "content/briefs/bad.md:3:1: error: 'date' must be a date; invalid date 'tomorrow': expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM",
        "1 error, 0 warnings",
    ]
    assert run.out == ""
    assert not (root / "public").exists()


@pytest.mark.parametrize(
    ("name", "files"),
    [
        ("front matter", {"content/briefs/bad.md": "no front matter\n"}),
        ("link", {"content/briefs/bad.md": brief(body="[x](nope.md)\n")}),
        ("template", {"templates/archive.html": ARCHIVE_HEAD + "{{ nope }}\n{% endblock %}\n"}),
    ],
)
def test_failed_build_leaves_previous_output_byte_identical(
    make_site, cli, name: str, files: dict
) -> None:
    root = make_site(GOOD)
    build(cli, root, "--quiet", expect=0)
    before = read_tree(root / "public")
    assert "index.html" in before and "briefs/six-cartels/index.html" in before

    make_site(
        {**files, "content/briefs/2025-02-07-new.md": brief(title="New brief", date="2025-02-07")}
    )
    build(cli, root)
    assert read_tree(root / "public") == before, name
    assert staging_left(root) == []


def test_failed_config_leaves_previous_output_byte_identical(make_site, cli) -> None:
    root = make_site(GOOD)
    build(cli, root, "--quiet", expect=0)
    before = read_tree(root / "public")
    (root / "site.yaml").write_text("title: T\nper_page: 0\n", encoding="utf-8")
    build(cli, root, expect=2)
    assert read_tree(root / "public") == before
    assert staging_left(root) == []


def test_successful_rebuild_leaves_no_staging_folders(make_site, cli) -> None:
    root = make_site(GOOD)
    build(cli, root, "--quiet", expect=0)
    (root / "content/briefs/2025-02-05-spy-planes.md").unlink()
    build(cli, root, "--quiet", expect=0)
    assert not (root / "public/briefs/spy-planes").exists()
    assert (root / "public/briefs/six-cartels/index.html").is_file()
    assert staging_left(root) == []


def test_previous_output_is_mentioned_only_when_there_was_one(make_site, cli, tmp_path) -> None:
    root = make_site({**GOOD, "content/briefs/bad.md": brief(date="tomorrow")})
    first = build(cli, root, expect=1)
    assert lines(first)[-1] == "build failed"  # no public/ yet: nothing was "left as it was"
    assert not (root / "public").exists()

    (root / "content/briefs/bad.md").unlink()
    build(cli, root, "--quiet", expect=0)
    (root / "content/briefs/bad.md").write_text(brief(date="tomorrow"), encoding="utf-8")
    again = build(cli, root, expect=1)
    assert lines(again)[-1] == "build failed; the previous output was left as it was"

    elsewhere = build(cli, root, "--output", tmp_path / "fresh", expect=1)
    assert lines(elsewhere)[-1] == "build failed"
    # a site.yaml that cannot be read: its output_dir is unknown, the default folder exists
    (root / "site.yaml").write_text("title: T\nper_page: 0\n", encoding="utf-8")
    broken = build(cli, root, expect=2)
    assert lines(broken)[-1] == "build failed; the previous output was left as it was"
