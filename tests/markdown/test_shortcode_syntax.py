"""How a shortcode's opening tag is read: its name and arguments, by position or by name."""

from __future__ import annotations

from briefgen.markdown.shortcode_syntax import parse_tag


def test_an_address_with_a_query_is_one_bare_argument() -> None:
    tag = parse_tag('{{< video https://www.youtube.com/watch?v=abc&t=5 title="A, B" >}}')
    assert tag.problem == ""
    assert [(a.key, a.value, a.col) for a in tag.args] == [
        (None, "https://www.youtube.com/watch?v=abc&t=5", 11),
        ("title", "A, B", 51),
    ]


def test_a_name_before_an_equals_sign_is_still_the_arguments_name() -> None:
    tag = parse_tag("{{< embed src=https://x.example/?a=1 height=400 >}}")
    assert [(a.key, a.value) for a in tag.args] == [
        ("src", "https://x.example/?a=1"),
        ("height", "400"),
    ]


def test_a_value_cannot_start_with_an_equals_sign() -> None:
    assert parse_tag("{{< quote =x >}}").problem.startswith("cannot read the argument '=x'")
