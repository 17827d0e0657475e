"""Located YAML loading: positions of keys and values, duplicate keys, unsafe tags,
malformed documents, alias bombs and impossible dates."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from briefgen.util import yamlio
from briefgen.util.yamlio import YamlProblem, load

NESTED = """\
title: T
markdown:
  toc: true
  levels: [2, 3]
sources:
  - title: First
    url: https://a.example/
  - title: Second
"""


def test_top_level_key_positions_are_one_based() -> None:
    doc = load("title: T\n  \nper_page: 5\n")
    assert doc.data == {"title": "T", "per_page": 5}
    assert doc.key_marks[("title",)] == (1, 1)
    assert doc.key_marks[("per_page",)] == (3, 1)
    assert doc.value_marks[("per_page",)] == (3, 11)


def test_nested_mapping_and_list_positions() -> None:
    doc = load(NESTED)
    assert doc.key_marks[("markdown", "toc")] == (3, 3)
    assert doc.key_marks[("markdown", "levels")] == (4, 3)
    assert doc.value_marks[("markdown", "levels", 1)] == (4, 15)
    assert doc.key_marks[("sources", 0, "title")] == (6, 5)
    assert doc.key_marks[("sources", 0, "url")] == (7, 5)
    assert doc.key_marks[("sources", 1, "title")] == (8, 5)
    assert doc.value_marks[("sources", 1)] == (8, 5)


def test_where_falls_back_to_value_then_parent() -> None:
    doc = load(NESTED)
    assert doc.where(("sources", 1, "title")) == (8, 5)
    assert doc.where(("sources", 1)) == (8, 5)  # a list item has only a value mark
    assert doc.where(("sources", 1, "url")) == (8, 5)  # missing key: its parent
    assert doc.where(("nothing", "here")) == (1, 1)
    assert doc.value_where(("markdown", "toc")) == (3, 8)


def test_empty_and_comment_only_documents_load_as_none() -> None:
    assert load("").data is None
    assert load("# just a comment\n").data is None


def test_duplicate_key_is_an_error_at_the_second_key() -> None:
    with pytest.raises(YamlProblem) as info:
        load("a: 1\nb: 2\na: 3\n")
    assert (info.value.line, info.value.col) == (3, 1)
    assert info.value.message == "duplicate key 'a' (first defined on line 1)"


def test_duplicate_nested_key_is_an_error() -> None:
    with pytest.raises(YamlProblem) as info:
        load("markdown:\n  toc: true\n  toc: false\n")
    assert (info.value.line, info.value.col) == (3, 3)
    assert "duplicate key 'toc' (first defined on line 2)" in info.value.message


def test_same_key_in_different_mappings_is_fine() -> None:
    doc = load("sources:\n  - title: a\n  - title: b\n")
    assert [s["title"] for s in doc.data["sources"]] == ["a", "b"]


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system",
        "!!python/object/apply:subprocess.call",
        "!!python/object/new:os.system",
    ],
)
def test_python_tags_are_refused_and_never_executed(tmp_path: Path, tag: str) -> None:
    marker = tmp_path / "pwned"
    text = f'title: T\nx: {tag} ["touch {marker}"]\n'
    with pytest.raises(YamlProblem) as info:
        load(text)
    assert "could not determine a constructor for the tag" in info.value.message
    assert info.value.line == 2
    assert not marker.exists()


def test_python_name_tag_is_refused() -> None:
    with pytest.raises(YamlProblem, match="could not determine a constructor"):
        load("x: !!python/name:os.system ''\n")


def test_unclosed_flow_sequence_is_reported_where_it_opens() -> None:
    with pytest.raises(YamlProblem) as info:
        load("a: [1, 2\nb: 3\n")
    assert (info.value.line, info.value.col) == (1, 4)  # the '[', not line 2 where parsing stopped
    assert info.value.message.startswith("invalid YAML: while parsing a flow sequence")
    assert info.value.message.endswith("(the parser stopped on line 2)")


def test_a_flow_sequence_problem_on_its_own_line_keeps_its_column() -> None:
    with pytest.raises(YamlProblem) as info:
        load("a: [1, b: c: d]\n")
    assert info.value.line == 1 and info.value.col > 4


@pytest.mark.parametrize("quote", ['"', "'"])
def test_an_open_quote_that_runs_into_a_commented_quote_is_reported_where_it_opens(
    quote: str,
) -> None:
    # the quote opened on line 2 closes at the quote in the comment on line 4; PyYAML then
    # fails on line 4, which is not where the mistake is
    text = f"title: T\nsummary: {quote}Open\ndraft: true\n# title: {quote}Headline{quote}\n"
    with pytest.raises(YamlProblem) as info:
        load(text, line_offset=1)
    assert (info.value.line, info.value.col) == (3, 10)
    assert info.value.message.startswith(
        "invalid YAML: the quoted value that starts here runs on to line 5: "
        "is its closing quote missing?"
    )


def test_a_quoted_value_over_several_lines_is_still_fine() -> None:
    assert load('summary: "one\n  two"\nb: 1\n').data == {"summary": "one two", "b": 1}


def test_mapping_value_in_wrong_place_reports_its_column() -> None:
    with pytest.raises(YamlProblem) as info:
        load("title: ok\na: b: c\n")
    assert (info.value.line, info.value.col) == (2, 5)
    assert info.value.message == "invalid YAML: mapping values are not allowed in this context"


def test_unterminated_quote_is_reported() -> None:
    with pytest.raises(YamlProblem) as info:
        load("a: 'unterminated\n")
    assert "found unexpected end of stream" in info.value.message
    assert (info.value.line, info.value.col) == (1, 4)
    assert "\n" not in info.value.message


def test_billion_laughs_is_refused_quickly() -> None:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        name, prev = chr(97 + i), chr(96 + i)
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    started = time.perf_counter()
    with pytest.raises(YamlProblem, match="too many"):
        load("\n".join(levels) + "\n")
    assert time.perf_counter() - started < 2


def test_too_many_alias_references_are_refused() -> None:
    text = "a: &a [1, 2]\n" + "".join(f"k{i}: *a\n" for i in range(yamlio.MAX_NODES + 1))
    started = time.perf_counter()
    with pytest.raises(YamlProblem) as info:
        load(text)
    assert f"more than {yamlio.MAX_NODES} values (too many aliases?)" in info.value.message
    assert time.perf_counter() - started < 5


def test_too_many_plain_values_are_refused() -> None:
    with pytest.raises(YamlProblem, match="too many aliases"):
        load("x: [" + ", ".join(["1"] * (yamlio.MAX_NODES + 1)) + "]\n")


def test_a_few_aliases_are_allowed() -> None:
    doc = load("base: &b {x: 1}\nother: *b\n")
    assert doc.data == {"base": {"x": 1}, "other": {"x": 1}}


def test_merge_keys_still_work() -> None:
    doc = load("defaults: &d {a: 1}\nthing:\n  <<: *d\n  b: 2\n")
    assert doc.data["thing"] == {"a": 1, "b": 2}


def test_impossible_date_is_a_problem_at_its_value() -> None:
    with pytest.raises(YamlProblem) as info:
        load("title: T\ndate: 2025-02-30\n")
    assert info.value.message == "cannot read value '2025-02-30': day is out of range for month"
    assert (info.value.line, info.value.col) == (2, 7)


def test_impossible_nested_date_is_a_problem_at_its_value() -> None:
    with pytest.raises(YamlProblem) as info:
        load("title: T\nsources:\n  - title: A\n    date: 2025-13-01\n")
    assert info.value.message.startswith("cannot read value '2025-13-01': ")
    assert (info.value.line, info.value.col) == (4, 11)


def test_dates_and_datetimes_are_constructed() -> None:
    doc = load("d: 2025-02-04\nt: 2025-02-04T09:30:00-06:00\n")
    assert doc.data["d"] == dt.date(2025, 2, 4)
    assert doc.data["t"].utcoffset() == dt.timedelta(hours=-6)


def test_yaml_problem_carries_its_fields() -> None:
    problem = YamlProblem("boom", 3, 4)
    assert (problem.message, problem.line, problem.col, str(problem)) == ("boom", 3, 4, "boom")
