"""Front matter: splitting it from the body (BOM, CRLF, CR, missing, unterminated, empty, not
a mapping) and validating every brief field, with each problem at the line of its key
(line 1 is the opening ``---``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import jinja2
import pytest

from briefgen.model.briefing import KeyFact
from briefgen.model.dates import Timestamp
from briefgen.model.diagnostics import Diagnostics
from briefgen.model.meta import BriefMeta, TopicMeta
from briefgen.model.site import Brief
from briefgen.read import frontmatter, validate

from conftest import brief

PATH = "content/briefs/2025-02-04-x.md"
STEM = "2025-02-04-x"
VALID = {"title": "T", "date": "2025-02-04", "summary": "S", "topics": "[cartels]"}


def text_of(*lines: str, body: str = "Body.\n") -> str:
    return "---\n" + "".join(line + "\n" for line in lines) + "---\n\n" + body


def fields(**changes: str | None) -> str:
    """A brief whose front matter is VALID with ``changes`` (None drops a field, new keys go last)."""
    merged = {**VALID, **changes}
    return text_of(*(f"{k}: {v}" for k, v in merged.items() if v is not None))


def check(text: str, stem: str = STEM) -> tuple[BriefMeta | None, list[str]]:
    diags = Diagnostics()
    doc = frontmatter.split(PATH, text, diags)
    meta = validate.validate_brief(doc, diags, stem) if doc else None
    return meta, [d.format() for d in diags.sorted()]


def only_error(text: str, stem: str = STEM) -> str:
    meta, messages = check(text, stem)
    assert meta is None
    assert len(messages) == 1, messages
    return messages[0]


# --- splitting -------------------------------------------------------------------------------


def test_split_plain_file() -> None:
    diags = Diagnostics()
    doc = frontmatter.split(PATH, fields(), diags)
    assert doc is not None and not diags.items
    assert doc.meta.data["title"] == "T"
    assert doc.body == "\nBody.\n"
    assert doc.body_line == 7  # the blank line after the closing fence on line 6
    assert doc.meta.key_marks[("title",)] == (2, 1)
    assert doc.meta.key_marks[("topics",)] == (5, 1)


@pytest.mark.parametrize(
    ("name", "transform"),
    [
        ("bom", lambda t: "\ufeff" + t),
        ("crlf", lambda t: t.replace("\n", "\r\n")),
        ("cr", lambda t: t.replace("\n", "\r")),
        ("bom-crlf", lambda t: "\ufeff" + t.replace("\n", "\r\n")),
    ],
)
def test_split_handles_bom_and_line_ends(name: str, transform) -> None:
    diags = Diagnostics()
    doc = frontmatter.split(PATH, transform(fields()), diags)
    assert doc is not None, name
    assert not diags.items
    assert doc.body == "\nBody.\n"
    assert "\r" not in doc.body
    assert doc.body_line == 7
    assert doc.meta.data["summary"] == "S"


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_error_lines_are_right_with_crlf_and_cr(newline: str) -> None:
    text = fields(date="tomorrow").replace("\n", newline)
    assert (
        only_error(text)
        == f"{PATH}:3:1: error: 'date' must be a date; invalid date 'tomorrow': expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM"
    )


def test_error_lines_are_right_with_bom() -> None:
    assert only_error("\ufeff" + fields(title="42")).startswith(
        f"{PATH}:2:1: error: 'title' must be text"
    )


@pytest.mark.parametrize(
    "text",
    [
        "title: T\ndate: 2025-02-04\n",
        "",
        "\n---\ntitle: T\n---\n",
        "Just prose.\n",
        "----\ntitle: T\n----\n",
    ],
)
def test_missing_front_matter(text: str) -> None:
    assert (
        only_error(text)
        == f"{PATH}:1:1: error: missing front matter: the file must start with a '---' line"
    )


def test_unterminated_front_matter() -> None:
    text = "---\ntitle: T\ndate: 2025-02-04\n\nBody without a closing fence.\n"
    assert (
        only_error(text)
        == f"{PATH}:1:1: error: front matter is not closed: add a '---' line after it"
    )


def test_front_matter_closed_by_dots_and_fences_with_trailing_spaces() -> None:
    diags = Diagnostics()
    doc = frontmatter.split(PATH, "---  \ntitle: T\n...\nBody.\n", diags)
    assert doc is not None and not diags.items
    assert doc.body == "Body.\n"
    assert doc.body_line == 4


@pytest.mark.parametrize("inner", ["", "# only a comment\n", "\n\n"])
def test_empty_front_matter(inner: str) -> None:
    assert only_error(f"---\n{inner}---\nBody.\n") == f"{PATH}:1:1: error: front matter is empty"


@pytest.mark.parametrize("inner", ["- a\n- b\n", "just text\n", "42\n"])
def test_front_matter_must_be_a_mapping(inner: str) -> None:
    expected = f"{PATH}:2:1: error: front matter must be a mapping of fields (key: value)"
    assert only_error(f"---\n{inner}---\n") == expected


def test_malformed_yaml_is_reported_at_its_file_line() -> None:
    text = text_of("title: T", "date: 2025-02-04", "summary: [S", "topics: [cartels]")
    message = only_error(text)
    assert message.startswith(f"{PATH}:4:10:")  # where the '[' opens, not where parsing stopped
    assert "error: invalid YAML: while parsing a flow sequence" in message


def test_duplicate_key_is_reported_at_the_second_key() -> None:
    text = text_of("title: T", "date: 2025-02-04", "summary: S", "topics: [cartels]", "title: U")
    message = only_error(text)
    assert message.startswith(f"{PATH}:6:1: error: duplicate key 'title'")


def test_duplicate_key_message_names_the_file_line_of_the_first_key() -> None:
    text = text_of("title: T", "date: 2025-02-04", "summary: S", "topics: [cartels]", "title: U")
    assert only_error(text) == f"{PATH}:6:1: error: duplicate key 'title' (first defined on line 2)"


def test_python_tag_in_front_matter_is_refused(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    message = only_error(fields(extra=f'!!python/object/apply:os.system ["touch {marker}"]'))
    assert message.startswith(
        f"{PATH}:6:8: error: invalid YAML: could not determine a constructor for the tag"
    )
    assert not marker.exists()


def test_impossible_date_is_reported_at_its_line() -> None:
    assert only_error(fields(date="2025-02-30")) == (
        f"{PATH}:3:7: error: cannot read value '2025-02-30': day is out of range for month"
    )


def test_control_character_is_reported_on_one_line_at_its_line() -> None:
    message = only_error(fields(summary="'bad \x01 byte'"))
    assert "\n" not in message
    assert message.startswith(f"{PATH}:4:")


# --- title, date, summary ----------------------------------------------------------------------


def test_valid_brief_reads_every_field() -> None:
    meta, messages = check(fields())
    assert messages == []
    assert meta is not None
    assert (meta.path, meta.slug, meta.title, meta.summary) == (PATH, "x", "T", "S")
    assert meta.date == Timestamp.from_value(dt.date(2025, 2, 4))
    assert meta.topics == ("cartels",)
    assert (meta.updated, meta.tags, meta.sources, meta.key_facts) == (None, (), (), ())
    assert meta.draft is False and meta.toc is None
    assert meta.body == "\nBody.\n" and meta.body_line == 7


def test_title_missing() -> None:
    assert only_error(fields(title=None)) == f"{PATH}:2:1: error: missing required field 'title'"


def test_title_null_counts_as_missing() -> None:
    assert only_error(fields(title="")) == f"{PATH}:2:1: error: missing required field 'title'"


def test_title_number() -> None:
    assert only_error(fields(title="42")) == (
        f"{PATH}:2:1: error: 'title' must be text, not a number (42); put it in quotes"
    )


@pytest.mark.parametrize("value", ["''", "'   '"])
def test_title_empty(value: str) -> None:
    assert only_error(fields(title=value)) == f"{PATH}:2:1: error: 'title' must not be empty"


@pytest.mark.parametrize(
    ("value", "kind"),
    [("[a, b]", "a list"), ("true", "true/false (true)"), ("{a: 1}", "a mapping")],
)
def test_title_wrong_kind(value: str, kind: str) -> None:
    assert only_error(fields(title=value)) == f"{PATH}:2:1: error: 'title' must be text, not {kind}"


def test_title_is_stripped() -> None:
    meta, _ = check(fields(title="'  Padded  '"))
    assert meta is not None and meta.title == "Padded"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("tomorrow", "must be a date; invalid date 'tomorrow'"),
        ("04/02/2025", "must be a date; invalid date '04/02/2025'"),
        ("2025-2-4x", "must be a date; invalid date '2025-2-4x'"),
        ("[2025-02-04]", "must be a date, not a list"),
    ],
)
def test_date_not_a_date_quotes_the_value(value: str, problem: str) -> None:
    assert only_error(fields(date=value)) == (
        f"{PATH}:3:1: error: 'date' {problem}: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM"
    )


def test_date_missing() -> None:
    assert only_error(fields(date=None)) == f"{PATH}:2:1: error: missing required field 'date'"


def test_date_time_with_offset_is_accepted() -> None:
    meta, messages = check(fields(date="2025-02-04T09:30:00-06:00"))
    assert messages == [] and meta is not None
    assert meta.date.has_time
    assert meta.date.isoformat() == "2025-02-04T09:30:00-06:00"
    assert meta.date.datetime_iso() == "2025-02-04T09:30:00-06:00"


def test_quoted_date_time_with_z_is_accepted() -> None:
    meta, messages = check(fields(date="'2025-02-04T09:30:00Z'"))
    assert messages == [] and meta is not None
    assert meta.date.moment == dt.datetime(2025, 2, 4, 9, 30, tzinfo=dt.timezone.utc)
    assert meta.date.datetime_iso() == "2025-02-04T09:30:00Z"


def test_quoted_plain_date_is_accepted() -> None:
    meta, _ = check(fields(date="'2025-02-04'"))
    assert meta is not None and meta.date.isoformat() == "2025-02-04" and not meta.date.has_time


@pytest.mark.parametrize(
    "value", ["2025-02-04T09:30:00", "2025-02-04 09:30:00", "'2025-02-04T09:30:00'"]
)
def test_naive_date_time_is_rejected(value: str) -> None:
    shown = "'2025-02-04T09:30:00'" if value.startswith("'") else "2025-02-04T09:30:00"
    assert only_error(fields(date=value)) == (
        f"{PATH}:3:1: error: 'date' has a time but no UTC offset ({shown}); "
        "add one such as 'Z' or '-06:00'"
    )


def test_summary_missing() -> None:
    assert (
        only_error(fields(summary=None)) == f"{PATH}:2:1: error: missing required field 'summary'"
    )


def test_summary_number() -> None:
    assert only_error(fields(summary="3.5")) == (
        f"{PATH}:4:1: error: 'summary' must be text, not a number (3.5); put it in quotes"
    )


# --- topics ----------------------------------------------------------------------------------


def test_topics_as_a_string_suggests_a_list() -> None:
    assert only_error(fields(topics="trade")) == (
        f"{PATH}:5:1: error: 'topics' must be a list, not text; write [trade]"
    )


def test_topics_empty_list() -> None:
    assert (
        only_error(fields(topics="[]")) == f"{PATH}:5:1: error: 'topics' needs at least one entry"
    )


def test_topics_missing() -> None:
    assert only_error(fields(topics=None)) == f"{PATH}:2:1: error: missing required field 'topics'"


def test_topic_names_are_slugified_and_deduplicated() -> None:
    meta, messages = check(fields(topics="[Jalisco Nueva Generación, cartels, Cartels]"))
    assert messages == [] and meta is not None
    assert meta.topics == ("jalisco-nueva-generacion", "cartels")
    assert meta.topic_lines == ((5, 10), (5, 36))


def test_topic_without_letters_is_reported_at_its_item() -> None:
    text = text_of(
        "title: T", "date: 2025-02-04", "summary: S", "topics:", "  - cartels", "  - '!!!'"
    )
    assert only_error(text) == (
        f"{PATH}:7:5: error: topic '!!!' has no letters or digits to make a slug from"
    )


def test_topic_that_is_a_number_is_reported_at_its_item() -> None:
    assert only_error(fields(topics="[cartels, 7]")) == (
        f"{PATH}:5:19: error: 'topics.1' must be text, not a number (7); put it in quotes"
    )


# --- updated, tags, key_facts ------------------------------------------------------------------


def test_updated_before_date() -> None:
    assert only_error(fields(updated="2025-02-01")) == (
        f"{PATH}:6:1: error: 'updated' (2025-02-01) is before 'date' (2025-02-04)"
    )


@pytest.mark.parametrize("value", ["2025-02-04", "2025-02-05", "2025-02-04T10:00:00Z"])
def test_updated_on_or_after_date_is_fine(value: str) -> None:
    meta, messages = check(fields(updated=value))
    assert messages == [] and meta is not None and meta.updated is not None
    assert meta.last_modified if hasattr(meta, "last_modified") else True


def test_updated_not_a_date() -> None:
    assert only_error(fields(updated="soon")) == (
        f"{PATH}:6:1: error: 'updated' must be a date; invalid date 'soon': expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM"
    )


def test_tags_are_kept_in_order_without_duplicates() -> None:
    meta, _ = check(fields(tags="[sinaloa, drones, sinaloa]"))
    assert meta is not None and meta.tags == ("sinaloa", "drones")


def test_tags_as_a_string() -> None:
    assert only_error(fields(tags="drones")) == (
        f"{PATH}:6:1: error: 'tags' must be a list, not text; write [drones]"
    )


def test_key_facts_are_read_in_order() -> None:
    text = text_of(
        *(f"{k}: {v}" for k, v in VALID.items()), "key_facts:", "  - First fact", "  - Second fact"
    )
    meta, messages = check(text)
    assert messages == [] and meta is not None
    assert meta.key_facts == (KeyFact("First fact"), KeyFact("Second fact"))
    assert [str(f) for f in meta.key_facts] == ["First fact", "Second fact"]


def test_key_fact_that_is_not_text_is_reported_at_its_line() -> None:
    text = text_of(
        *(f"{k}: {v}" for k, v in VALID.items()), "key_facts:", "  - First fact", "  - 229"
    )
    assert only_error(text) == (
        f"{PATH}:8:5: error: 'key_facts.1' must be text, not a number (229); put it in quotes"
    )


# --- sources ---------------------------------------------------------------------------------


def with_sources(*lines: str) -> str:
    return text_of(*(f"{k}: {v}" for k, v in VALID.items()), "sources:", *lines)


def test_sources_full_and_shorthand() -> None:
    meta, messages = check(
        with_sources(
            "  - title: Drone report",
            "    url: https://news.example/drones",
            "    publisher: Example News",
            "    date: 2025-02-03",
            "  - A plain title",
        )
    )
    # a source without a URL is kept, with a warning that readers cannot follow it
    assert messages == [
        "content/briefs/2025-02-04-x.md:11:5: warning: source 2 has no 'url': readers cannot check it"
    ]
    assert meta is not None
    first, second = meta.sources
    assert (first.title, first.url, first.publisher) == (
        "Drone report",
        "https://news.example/drones",
        "Example News",
    )
    assert first.date is not None and first.date.isoformat() == "2025-02-03"
    assert (second.title, second.url, second.publisher, second.date) == (
        "A plain title",
        None,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("javascript:alert(1)", "javascript:"),
        ("JavaScript:alert(1)", "javascript:"),
        ("data:text/html,x", "data:"),
        ("vbscript:msgbox", "vbscript:"),
    ],
)
def test_source_url_with_unsafe_scheme(url: str, scheme: str) -> None:
    message = only_error(with_sources("  - title: A", f"    url: '{url}'"))
    assert message == (
        f"{PATH}:8:5: error: URL scheme '{scheme}' is not allowed (use http or https): '{url}'"
    )


@pytest.mark.parametrize(
    "url", ["https://a.example/", "http://a.example/x", "mailto:desk@example.org", "/relative/path"]
)
def test_source_url_with_safe_scheme(url: str) -> None:
    meta, messages = check(with_sources("  - title: A", f"    url: '{url}'"))
    assert messages == [] and meta is not None and meta.sources[0].url == url


def test_source_missing_title() -> None:
    assert only_error(
        with_sources("  - {title: A, url: 'https://a.example/'}", "  - url: https://a.example/")
    ) == (f"{PATH}:8:5: error: missing required field 'title'")


def test_source_that_is_not_a_mapping() -> None:
    assert only_error(with_sources("  - {title: A, url: 'https://a.example/'}", "  - 5")) == (
        f"{PATH}:8:5: error: source 2 must be a mapping with 'title' and 'url'"
    )


def test_sources_not_a_list() -> None:
    assert only_error(fields(sources="some paper")) == (
        f"{PATH}:6:1: error: 'sources' must be a list of {{title, url}} entries, not text"
    )


def test_source_bad_date() -> None:
    assert only_error(
        with_sources("  - title: A", "    url: https://a.example/", "    date: last week")
    ) == (
        f"{PATH}:9:5: error: 'date' must be a date; invalid date 'last week': expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM"
    )


def test_unknown_source_field_is_a_warning_only() -> None:
    meta, messages = check(with_sources("  - title: A", "    link: https://a.example/"))
    assert meta is not None
    assert messages == [
        f"{PATH}:7:5: warning: source 1 has no 'url': readers cannot check it",
        f"{PATH}:8:5: warning: unknown source field 'link'",
    ]


# --- slug, draft, toc, params --------------------------------------------------------------------


def test_slug_defaults_to_file_name_without_date() -> None:
    meta, _ = check(fields(), stem="2025-02-04-Querétaro-Raids")
    assert meta is not None and meta.slug == "queretaro-raids" and meta.slug_line == (1, 1)


def test_explicit_slug_is_slugified() -> None:
    meta, messages = check(fields(slug="'Querétaro Raids!'"))
    assert messages == [] and meta is not None
    assert meta.slug == "queretaro-raids"
    assert meta.slug_line == (6, 1)


def test_explicit_slug_without_letters() -> None:
    assert (
        only_error(fields(slug="'!!!'"))
        == f"{PATH}:6:1: error: slug '!!!' has no letters or digits"
    )


def test_file_name_without_letters_needs_a_slug() -> None:
    assert only_error(fields(), stem="2025-02-04-!!!") == (
        f"{PATH}:2:1: error: cannot make a slug from the file name '2025-02-04-!!!'; set 'slug:'"
    )


@pytest.mark.parametrize(
    ("value", "kind"), [("'true'", "text 'true'"), ("1", "a number (1)"), ("[true]", "a list")]
)
def test_draft_must_be_boolean(value: str, kind: str) -> None:
    assert (
        only_error(fields(draft=value))
        == f"{PATH}:6:1: error: 'draft' must be true or false, not {kind}"
    )


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("false", False)])
def test_draft_boolean(value: str, expected: bool) -> None:
    meta, _ = check(fields(draft=value))
    assert meta is not None and meta.draft is expected


def test_toc_must_be_boolean() -> None:
    assert (
        only_error(fields(toc="'yes please'"))
        == f"{PATH}:6:1: error: 'toc' must be true or false, not text 'yes please'"
    )


def test_unknown_keys_are_kept_in_params() -> None:
    meta, messages = check(fields(desk="Mexico City", priority="2"))
    assert messages == [] and meta is not None
    assert dict(meta.params) == {"desk": "Mexico City", "priority": 2}
    assert "title" not in meta.params


def test_every_problem_of_a_file_is_reported() -> None:
    meta, messages = check(fields(title="42", date="tomorrow", topics="trade", draft="maybe"))
    assert meta is None
    assert messages == [
        f"{PATH}:2:1: error: 'title' must be text, not a number (42); put it in quotes",
        f"{PATH}:3:1: error: 'date' must be a date; invalid date 'tomorrow': expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM",
        f"{PATH}:5:1: error: 'topics' must be a list, not text; write [trade]",
        f"{PATH}:6:1: error: 'draft' must be true or false, not text 'maybe'",
    ]


def test_params_read_as_attributes_of_brief() -> None:
    item = Brief(
        source_path=PATH,
        slug="x",
        title="T",
        date=Timestamp.from_value(dt.date(2025, 2, 4)),
        summary="S",
        topics=("cartels",),
        params={"desk": "Mexico City"},
    )
    assert item.desk == "Mexico City"
    with pytest.raises(AttributeError):
        item.nothing_here  # noqa: B018
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    assert env.from_string("{{ brief.desk }}").render(brief=item) == "Mexico City"
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ brief.nothing_here }}").render(brief=item)


def test_params_are_readable_in_site_templates(make_site, cli) -> None:
    override = (
        '{% extends "base.html" %}\n{% block content %}\n'
        '<p class="desk">{{ brief.desk }}</p><h1>{{ brief.title }}</h1>\n{% endblock %}\n'
    )
    root = make_site(
        {
            "content/briefs/2025-02-04-spy-planes.md": brief(
                title="Spy planes", extra="desk: Mexico City\n"
            ),
            "content/topics/cartels.md": "---\ntitle: Cartels\n---\n",
            "templates/brief.html": override,
        }
    )
    run = cli("build", "--source", root, "--quiet")
    assert run.code == 0, run.err
    html = (root / "public/briefs/spy-planes/index.html").read_text(encoding="utf-8")
    assert '<p class="desk">Mexico City</p><h1>Spy planes</h1>' in html


# --- topic files ---------------------------------------------------------------------------------


def check_topic(text: str, stem: str = "cartels") -> tuple[TopicMeta | None, list[str]]:
    diags = Diagnostics()
    path = f"content/topics/{stem}.md"
    doc = frontmatter.split(path, text, diags)
    meta = validate.validate_topic(doc, diags, stem) if doc else None
    return meta, [d.format() for d in diags.sorted()]


def test_topic_file_fields() -> None:
    meta, messages = check_topic(
        "---\ntitle: Cartels\ndescription: Criminal groups.\ncolour: red\n---\n\nIntro.\n"
    )
    assert messages == []
    assert (meta.slug, meta.title, meta.description) == ("cartels", "Cartels", "Criminal groups.")
    assert dict(meta.params) == {"colour": "red"}
    assert meta.body == "\nIntro.\n" and meta.body_line == 6


def test_topic_file_slug_comes_from_its_name() -> None:
    meta, _ = check_topic("---\ntitle: Border\n---\n", stem="Border Crackdown")
    assert meta.slug == "border-crackdown"


def test_topic_file_needs_a_title() -> None:
    meta, messages = check_topic("---\ndescription: D\n---\n")
    assert meta is None
    assert messages == ["content/topics/cartels.md:2:1: error: missing required field 'title'"]
