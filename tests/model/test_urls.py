"""Slugs, output paths and URLs: slugify, slug_from_filename, safe_relpath, base_path_of,
output_file and the page path helpers."""

from __future__ import annotations

import pytest

from briefgen.model.urls import (
    MAX_SLUG,
    base_path_of,
    brief_path,
    is_slug,
    join_url,
    output_file,
    safe_relpath,
    slug_from_filename,
    slug_was_shortened,
    slugify,
    topic_path,
)

from conftest import brief


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Querétaro", "queretaro"),
        ("Jalisco Nueva Generación", "jalisco-nueva-generacion"),
        ("Straße", "strasse"),
        ("Ærø", "aero"),
        ("Øresund", "oresund"),
        ("Łódź", "lodz"),
        ("AT&T", "at-and-t"),
        ("Homan's", "homans"),
        ("Homan\u2019s plan", "homans-plan"),
        ("Hello, World! (2025)", "hello-world-2025"),
        ("  spaced   out  ", "spaced-out"),
        ("already-a-slug", "already-a-slug"),
        ("UPPER case", "upper-case"),
    ],
)
def test_slugify_transliterates_and_joins_words_with_single_hyphens(
    text: str, expected: str
) -> None:
    assert slugify(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("../etc/passwd", "etc-passwd"),
        ("a/b", "a-b"),
        ("a\\b", "a-b"),
        ("a%2Fb", "a-2fb"),
        ("a\x00b", "a-b"),
        ("..", ""),
        ("/", ""),
    ],
)
def test_slugify_never_keeps_path_characters(text: str, expected: str) -> None:
    slug = slugify(text)
    assert slug == expected
    for bad in ("/", "\\", ".", "%", "\x00"):
        assert bad not in slug


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CON", "con-page"),
        ("con", "con-page"),
        ("Nul", "nul-page"),
        ("COM1", "com1-page"),
        ("lpt9", "lpt9-page"),
    ],
)
def test_slugify_avoids_windows_reserved_names(text: str, expected: str) -> None:
    assert slugify(text) == expected


def test_slugify_reserved_name_with_suffix_is_left_alone() -> None:
    assert slugify("con.txt") == "con-txt"
    assert slugify("console") == "console"


def test_slugify_truncates_long_text_at_a_hyphen() -> None:
    slug = slugify("word " * 60)  # 300 characters
    assert len(slug) <= MAX_SLUG
    assert slug == "-".join(["word"] * 40)
    assert not slug.endswith("-")


def test_slugify_truncates_a_single_long_word_hard() -> None:
    assert slugify("x" * 300) == "x" * MAX_SLUG


def test_slugify_keeps_a_word_that_ends_exactly_at_the_limit() -> None:
    text = "a " + "b" * (MAX_SLUG - 2) + " c"  # "a-bbb…b" is exactly MAX_SLUG characters
    assert slugify(text) == "a-" + "b" * (MAX_SLUG - 2)


def test_slugify_honours_max_length() -> None:
    assert slugify("alpha beta gamma", max_length=12) == "alpha-beta"


@pytest.mark.parametrize("text", ["", "!!!", "---", "\u2019\u2019", "../"])
def test_slugify_can_be_empty(text: str) -> None:
    assert slugify(text) == ""


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("2025-02-04-Querétaro-Raids", "queretaro-raids"),
        ("2025-02-04_spy-planes", "spy-planes"),
        ("2025-02-04 spy planes", "spy-planes"),
        ("no-date-here", "no-date-here"),
        ("2025-02-04", "2025-02-04"),
        ("2025-02-04-!!!", ""),
    ],
)
def test_slug_from_filename_drops_the_date_prefix(stem: str, expected: str) -> None:
    assert slug_from_filename(stem) == expected


@pytest.mark.parametrize(
    "path", ["../x", "/abs", "a/../../b", "a\\b", "a\x00b", "", "..", "../../etc/passwd"]
)
def test_safe_relpath_rejects_paths_leaving_the_output(path: str) -> None:
    with pytest.raises(ValueError, match="unsafe output path"):
        safe_relpath(path)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("briefs/x/index.html", "briefs/x/index.html"),
        ("./a/b.html", "a/b.html"),
        ("a//b.html", "a/b.html"),
        ("a/./b.html", "a/b.html"),
        ("404.html", "404.html"),
    ],
)
def test_safe_relpath_accepts_and_normalises_inner_paths(path: str, expected: str) -> None:
    assert safe_relpath(path) == expected


@pytest.mark.parametrize(
    ("base_url", "expected"),
    [
        ("https://example.org/briefings/", "/briefings/"),
        ("https://example.org/briefings", "/briefings/"),
        ("https://example.org", "/"),
        ("https://example.org/", "/"),
        ("/", "/"),
        ("/x/y", "/x/y/"),
    ],
)
def test_base_path_of_starts_and_ends_with_slash(base_url: str, expected: str) -> None:
    assert base_path_of(base_url) == expected


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("", "index.html"),
        ("briefs/x/", "briefs/x/index.html"),
        ("topics/x/page/2/", "topics/x/page/2/index.html"),
        ("404.html", "404.html"),
    ],
)
def test_output_file_serves_folders_with_index_html(page: str, expected: str) -> None:
    assert output_file(page) == expected


def test_page_paths() -> None:
    assert brief_path("spy-planes") == "briefs/spy-planes/"
    assert topic_path("cartels") == "topics/cartels/"
    assert topic_path("cartels", 1) == "topics/cartels/"
    assert topic_path("cartels", 3) == "topics/cartels/page/3/"


def test_join_url_never_doubles_slashes() -> None:
    assert join_url("/briefings/", "/briefs/x/") == "/briefings/briefs/x/"
    assert join_url("https://example.org/b/", "topics/") == "https://example.org/b/topics/"
    assert join_url("/", "") == "/"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("abc-def", True),
        ("a1", True),
        ("Abc", False),
        ("a--b", False),
        ("-a", False),
        ("a" * (MAX_SLUG + 1), False),
        ("", False),
    ],
)
def test_is_slug(text: str, expected: bool) -> None:
    assert is_slug(text) is expected


def test_long_titles_sharing_their_first_hundred_characters_get_different_slugs() -> None:
    prefix = "Release notes for the quarterly infrastructure review of the regional newsroom " * 2
    one, two = slugify(prefix + "part 1"), slugify(prefix + "part 2")
    assert one != two and one.endswith("part-1")


def test_slugs_are_cut_only_near_the_file_system_limit() -> None:
    assert 150 < MAX_SLUG <= 255 - len("index.html")
    assert not slug_was_shortened("2025-01-01-" + "word-" * 30)
    assert slug_was_shortened("2025-01-01-" + "word-" * 60)


def test_a_duplicate_slug_that_was_shortened_says_so(make_site, cli) -> None:
    stem = "a-" + "very-long-" * 23  # 232 characters: a file name the disk allows
    site = make_site(
        {
            f"content/briefs/{stem}one.md": brief(title="One"),
            f"content/briefs/{stem}two.md": brief(title="Two"),
        }
    )
    result = cli("check", "--source", site)
    assert result.code == 1
    assert f"shortened to {MAX_SLUG} characters) is already used by" in result.err
    assert "set a different 'slug:'" in result.err
