"""The terminal: colours only on a terminal and never with NO_COLOR, a progress bar only on a
terminal and only for builds that take a while, --verbose lists what was written."""

from __future__ import annotations

import io

import pytest

from briefgen.cli.terminal import Progress, print_diagnostics, wants_color
from briefgen.model.diagnostics import Diagnostics

from conftest import brief


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _diags() -> Diagnostics:
    diags = Diagnostics()
    diags.error("content/briefs/a.md", 3, 1, "'date' must be a date")
    diags.warning("site.yaml", 2, 1, "unknown setting 'x'")
    return diags


def test_colour_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    out = FakeTerminal()
    print_diagnostics(_diags(), out)
    assert out.getvalue().splitlines() == [
        "content/briefs/a.md:3:1: \x1b[1;31merror:\x1b[0m 'date' must be a date",
        "site.yaml:2:1: \x1b[1;33mwarning:\x1b[0m unknown setting 'x'",
        "\x1b[1m1 error, 1 warning\x1b[0m",
    ]


@pytest.mark.parametrize(
    ("env", "tty"), [({"NO_COLOR": "1"}, True), ({"TERM": "dumb"}, True), ({}, False)]
)
def test_no_colour_with_no_color_dumb_terminals_or_pipes(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], tty: bool
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    out = FakeTerminal() if tty else io.StringIO()
    assert not wants_color(out)
    print_diagnostics(_diags(), out)
    assert "\x1b[" not in out.getvalue()
    assert out.getvalue().splitlines()[0] == "content/briefs/a.md:3:1: error: 'date' must be a date"


def test_strict_shows_warnings_as_errors() -> None:
    out = io.StringIO()
    print_diagnostics(_diags(), out, strict=True)
    assert "site.yaml:2:1: error: unknown setting 'x' (--strict)" in out.getvalue()


def test_strict_summary_counts_promoted_warnings_as_errors() -> None:
    diags = _diags()
    diags.warning("site.yaml", 3, 1, "unknown setting 'y'")
    out = io.StringIO()
    print_diagnostics(diags, out, strict=True)
    # every line above says "error", so the count does too: not "1 error, 2 warnings"
    assert out.getvalue().splitlines()[-1] == "3 errors (warnings count as errors with --strict)"


def test_strict_summary_without_warnings_is_the_plain_one() -> None:
    diags = Diagnostics()
    diags.error("content/briefs/a.md", 3, 1, "'date' must be a date")
    out = io.StringIO()
    print_diagnostics(diags, out, strict=True)
    assert out.getvalue().splitlines()[-1] == "1 error"


def test_progress_draws_on_a_terminal_after_a_moment_and_clears() -> None:
    out = FakeTerminal()
    progress = Progress(out)
    progress("pages", 1, 10)
    assert out.getvalue() == ""  # a quick build shows no bar
    progress.started -= Progress.DELAY
    progress("pages", 5, 10)
    assert out.getvalue() == "\rpages      [###############...............] 5/10\x1b[K"
    progress.clear()
    assert out.getvalue().endswith("\r\x1b[K")


def test_progress_is_silent_off_a_terminal() -> None:
    out = io.StringIO()
    progress = Progress(out)
    progress.started -= 10
    progress("pages", 5, 10)
    progress.clear()
    assert out.getvalue() == ""


def test_build_reports_progress_for_every_brief_and_page(make_site) -> None:
    from briefgen.pipeline.build import build

    root = make_site({f"content/briefs/b{i}.md": brief(title=f"B{i}") for i in range(3)})
    seen: list[tuple[str, int, int]] = []
    result = build(root, progress=lambda *event: seen.append(event))
    assert [e for e in seen if e[0] == "markdown"] == [("markdown", i, 3) for i in (1, 2, 3)]
    pages = [e for e in seen if e[0] == "pages"]
    assert pages[-1] == ("pages", result.pages, result.pages)


def test_verbose_lists_every_file_written(make_site, cli) -> None:
    root = make_site({"content/briefs/a.md": brief()})
    run = cli("build", "--verbose", "--source", root)
    listed = run.out.splitlines()[:-2]  # then the summary: built…, pictures and cards…
    assert (
        "briefs/a/index.html" in listed
        and "feed.xml" in listed
        and "static/css/style.css" in listed
    )
    assert listed == sorted(listed)
    assert run.out.splitlines()[-2].startswith("built 1 brief")
