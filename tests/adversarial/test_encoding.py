"""Bytes that are not plain LF-terminated UTF-8.

Cases:
- a UTF-8 byte order mark, CRLF line ends, lone CR line ends, a mix of all three: accepted,
  with the BOM nowhere in the output, and a later error (in the front matter and in the body)
  still reported at its true line and column
- invalid UTF-8 (a Latin-1 byte, a truncated sequence, an overlong encoding, an encoded
  surrogate, UTF-16): an error naming the file and the byte offset, at its line
- invalid UTF-8 and NUL bytes in a file with lone CR line ends: still at their true line
- a NUL byte; control characters (BEL, form feed, vertical tab, ESC, DEL, NEL, U+FFFE) in the
  front matter or the body, also in a CR file: an error at their line and column; character
  references to them (``&#12;``) build, and the feeds stay well-formed XML
- an empty file; a file holding only a BOM; odd but legal characters (zero width, bidi
  overrides, emoji, soft hyphen)
- U+2028 / U+2029 inside a quoted title (YAML counts them as line breaks, the file does
  not): a later error still at its true line
- terminal escape sequences in a file name and in a quoted title: printed escaped
- a 50 MB brief: refused with the limit in the message, within a second or two, without
  reading it (peak memory of the child build stays far below 500 MB); a file one byte over
  the limit is refused too
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
import xml.etree.ElementTree as ET

import pytest

from ._support import build, diagnostic, live_markup, subprocess_env, summary
from conftest import brief

BRIEF = "content/briefs/x.md"
LIMIT = 5 * 1024 * 1024

# title on 2, bad date on 3, body from line 8: a link to a missing brief at 10:5
BROKEN = brief(date="tomorrow", body="First paragraph.\n\n[x](nope.md) is missing.\n")


def _errors_at_true_lines(run) -> None:
    diagnostic(run, BRIEF, 3, "'date' must be a date")
    assert f"{BRIEF}:3:1: error:" in run.err


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: "\ufeff" + t,
        lambda t: t.replace("\n", "\r\n"),
        lambda t: t.replace("\n", "\r"),
        lambda t: "\ufeff" + t.replace("\n", "\r\n"),
    ],
    ids=["bom", "crlf", "cr", "bom-crlf"],
)
def test_bom_and_line_ends_are_accepted(site, cli, encode) -> None:
    text = encode(brief(title="Raids in Sinaloa", body="One.\n\nTwo.\n"))
    root = site({BRIEF: text.encode("utf-8")})
    build(cli, root, expect=0)
    page = (root / "public/briefs/x/index.html").read_text(encoding="utf-8")
    assert "<h1>Raids in Sinaloa</h1>" in page
    assert "<p>One.</p>\n<p>Two.</p>" in page
    assert "\ufeff" not in page and "\r" not in page


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: "\ufeff" + t,
        lambda t: t.replace("\n", "\r\n"),
        lambda t: t.replace("\n", "\r"),
        lambda t: "".join(
            line + ("\r\n", "\n", "\r")[i % 3] for i, line in enumerate(t.split("\n")[:-1])
        ),
    ],
    ids=["bom", "crlf", "cr", "mixed"],
)
def test_later_errors_keep_their_true_lines(site, cli, encode) -> None:
    root = site({BRIEF: encode(BROKEN).encode("utf-8")})
    run = build(cli, root, expect=1)
    _errors_at_true_lines(run)
    # the body is only checked once the front matter is valid
    fixed = encode(BROKEN.replace("date: tomorrow", "date: 2025-02-04")).encode("utf-8")
    (root / BRIEF).write_bytes(fixed)
    run = build(cli, root, expect=1)
    assert run.err.splitlines()[0] == (
        f"{BRIEF}:10:5: error: link to 'nope.md': no such brief or topic (content/briefs/nope.md)"
    )


INVALID = [
    ("latin-1", "Quer\xe9taro".encode("latin-1"), 5),
    ("truncated", b"Caf\xc3", 4),
    ("overlong", b"a\xc0\xafb", 2),
    ("surrogate", b"a\xed\xa0\x80b", 2),
    ("stray continuation", b"ab\x80", 3),
]


@pytest.mark.parametrize(("case", "bad", "col"), INVALID, ids=[i[0] for i in INVALID])
def test_invalid_utf8_names_file_line_and_byte_offset(site, cli, case, bad, col) -> None:
    head = brief().encode("utf-8")  # 8 lines; the bad line is the 9th
    data = head + b"Tail " + bad + b"\n"
    offset = len(head) + len(b"Tail ") + col - 1
    run = build(cli, site({BRIEF: data}), expect=1)
    assert run.err.splitlines()[0] == (
        f"{BRIEF}:9:{5 + col}: error: not valid UTF-8 (byte offset {offset})"
    )


def test_utf16_is_not_utf8(site, cli) -> None:
    run = build(cli, site({BRIEF: brief().encode("utf-16")}), expect=1)
    assert run.err.splitlines()[0] == f"{BRIEF}:1:1: error: not valid UTF-8 (byte offset 0)"


def test_invalid_utf8_in_front_matter_of_a_crlf_file(site, cli) -> None:
    data = b"---\r\ntitle: Caf\xe9\r\n" + brief().split("\n", 2)[2].replace("\n", "\r\n").encode()
    run = build(cli, site({BRIEF: data}), expect=1)
    assert run.err.splitlines()[0] == f"{BRIEF}:2:11: error: not valid UTF-8 (byte offset 15)"


def test_invalid_utf8_in_a_cr_file_is_reported_at_its_line(site, cli) -> None:
    data = (brief().replace("\n", "\r") + "Tail ").encode() + b"\xff\r"
    run = build(cli, site({BRIEF: data}), expect=1)
    assert run.err.splitlines()[0] == f"{BRIEF}:9:6: error: not valid UTF-8 (byte offset 104)"


def test_nul_byte_is_an_error_at_its_line(site, cli) -> None:
    run = build(cli, site({BRIEF: brief(body="one\n\x00two\n")}), expect=1)
    assert (
        run.err.splitlines()[0]
        == f"{BRIEF}:9:1: error: file contains a NUL byte; is it a binary file?"
    )


def test_nul_byte_in_a_cr_file_is_reported_at_its_line(site, cli) -> None:
    run = build(cli, site({BRIEF: brief(body="one\n\x00two\n").replace("\n", "\r")}), expect=1)
    assert (
        run.err.splitlines()[0]
        == f"{BRIEF}:9:1: error: file contains a NUL byte; is it a binary file?"
    )


CONTROLS = [
    ("bell in the front matter", brief(title="Raids\x07 in Sinaloa"), 2, 13, "0007"),
    ("form feed in the body", brief(body="Page one\x0cpage two.\n"), 8, 9, "000C"),
    ("vertical tab in the body", brief(body="a\x0bb\n"), 8, 2, "000B"),
    ("ESC in the body", brief(body="a \x1b[31mred\n"), 8, 3, "001B"),
    ("DEL in the body", brief(body="a\x7fb\n"), 8, 2, "007F"),
    ("NEL in the body", brief(body="one\x85two\n"), 8, 4, "0085"),
    ("NEL in a title", brief(title='"Raids\x85in Sinaloa"'), 2, 14, "0085"),
    ("non-character in the body", brief(body="a\ufffeb\n"), 8, 2, "FFFE"),
    ("ESC in a CR file", brief(body="one\ntwo \x1b\n").replace("\n", "\r"), 9, 5, "001B"),
]


@pytest.mark.parametrize(
    ("case", "text", "line", "col", "code"), CONTROLS, ids=[c[0] for c in CONTROLS]
)
def test_control_characters_are_an_error_at_their_place(
    site, cli, case, text, line, col, code
) -> None:
    """None belongs in a brief, and the Atom feeds could not carry them (XML 1.0)."""
    run = build(cli, site({BRIEF: text}), expect=1)
    assert run.err.splitlines()[:2] == [
        f"{BRIEF}:{line}:{col}: error: file contains the control character U+{code}",
        "1 error, 0 warnings",
    ]


@pytest.mark.parametrize(
    "data", [b"", b"\xef\xbb\xbf", b"\n\n"], ids=["empty", "bom-only", "blank"]
)
def test_empty_files_are_missing_front_matter(site, cli, data) -> None:
    run = build(cli, site({BRIEF: data}), expect=1)
    assert run.err.splitlines()[:2] == [
        f"{BRIEF}:1:1: error: missing front matter: the file must start with a '---' line",
        "1 error, 0 warnings",
    ]


@pytest.mark.parametrize(
    "char", ["\u2028", "\u2029"], ids=["line-separator", "paragraph-separator"]
)
def test_unicode_line_separators_in_a_title_do_not_shift_later_lines(site, cli, char) -> None:
    run = build(
        cli, site({BRIEF: brief(title=f'"Raids{char}in Sinaloa"', date="tomorrow")}), expect=1
    )
    assert run.err.splitlines()[0].startswith(f"{BRIEF}:3:1: error: 'date' must be a date")


def test_unicode_line_separators_in_the_body_are_harmless(site, cli) -> None:
    text = brief(body="One\u2028two\u2029three.\n\n[x](nope.md)\n")
    run = build(cli, site({BRIEF: text}), expect=1)
    assert run.err.splitlines()[0].startswith(f"{BRIEF}:10:5: error: link to 'nope.md'")


def test_character_references_to_controls_never_break_the_feeds(site, cli) -> None:
    """``&#12;`` is not a control character in the file, but becomes one in the HTML."""
    root = site({BRIEF: brief(body="Page one&#12;two &#27; three &#0; four &#x85; five.\n")})
    build(cli, root, expect=0)
    for feed in ("feed.xml", "topics/cartels/feed.xml"):
        ET.parse(root / "public" / feed)
    assert live_markup(root / "public") == []


def test_a_body_with_odd_but_legal_characters_builds_safely(site, cli) -> None:
    body = "Zero\u200bwidth, \u202eright-to-left\u202c, \U0001f600, soft\u00adhyphen, tab\there.\n"
    root = site({BRIEF: brief(body=body)})
    build(cli, root, expect=0)
    assert live_markup(root / "public") == []


# ---- size limit ----------------------------------------------------------------------------

# The build's processor time, not the clock's: reading 50 MB would show in it, and unlike
# the clock it does not count the time other processes of a busy machine (other tests
# running at once, on as many workers as cores) held the processor.
_MEASURE = textwrap.dedent(
    """
    import resource, subprocess, sys
    child = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=60)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds, peak_kb = usage.ru_utime + usage.ru_stime, usage.ru_maxrss
    sys.stdout.write(f"{child.returncode} {seconds:.3f} {peak_kb}\\n" + child.stderr)
    """
)


def test_a_50_mb_brief_is_refused_quickly_without_reading_it(site) -> None:
    """The build runs in a child of a fresh interpreter, so RUSAGE_CHILDREN measures that
    build alone."""
    root = site()
    (root / BRIEF).parent.mkdir(parents=True)
    size = 50 * 1024 * 1024
    line = b"Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 17 + b"\n"
    with open(root / BRIEF, "wb") as handle:
        handle.write(brief().encode())
        handle.write(line * ((size - handle.tell()) // len(line) + 1))
    actual = (root / BRIEF).stat().st_size
    command = [
        sys.executable,
        "-c",
        _MEASURE,
        sys.executable,
        "-m",
        "briefgen",
        "build",
        "--source",
        str(root),
    ]
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=60, env=subprocess_env()
        )
    finally:
        (root / BRIEF).unlink()  # 50 MB: not kept among pytest's last temporary folders
    code, seconds, peak_kb = result.stdout.splitlines()[0].split()
    stderr = result.stdout.split("\n", 1)[1]
    assert int(code) == 1, stderr
    assert stderr.splitlines()[0] == (
        f"{BRIEF}: error: file is {actual:,} bytes; the limit is {LIMIT:,}"
    )
    assert "Traceback" not in stderr
    assert float(seconds) < 2.0
    assert int(peak_kb) < 500 * 1024, f"peak RSS {int(peak_kb) // 1024} MB"
    assert not (root / "public").exists()


def test_one_byte_over_the_limit_is_refused_and_others_still_reported(site, cli) -> None:
    root = site({"content/briefs/bad-date.md": brief(date="tomorrow")})
    text = brief().encode()
    (root / BRIEF).write_bytes(text + b"x" * (LIMIT + 1 - len(text)))
    started = time.perf_counter()
    run = build(cli, root, expect=1)
    assert time.perf_counter() - started < 2.0
    assert run.err.splitlines()[:3] == [
        "content/briefs/bad-date.md:3:1: error: 'date' must be a date; invalid date 'tomorrow': expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM",
        f"{BRIEF}: error: file is {LIMIT + 1:,} bytes; the limit is {LIMIT:,}",
        "2 errors, 0 warnings",
    ]
    assert summary(run) == "2 errors, 0 warnings"


def test_terminal_escapes_in_names_and_text_are_printed_escaped(site, cli) -> None:
    """A file name or a quoted value can hold ESC sequences (retitle the terminal, clear the
    screen); diagnostics show them as escapes, one line each."""
    root = site(
        {
            "content/briefs/\x1b]0;pwned\x07\x1b[2J.md": "no front matter\n",
            "content/briefs/b.md": brief(title='"a\\u001b[31mred"'),
        }
    )
    run = build(cli, root, expect=1)
    assert "\x1b" not in run.err and "\x07" not in run.err
    assert run.err.splitlines()[:3] == [
        "content/briefs/\\x1b]0;pwned\\x07\\x1b[2J.md:1:1: error: missing front matter: "
        "the file must start with a '---' line",
        "content/briefs/b.md:2:1: error: 'title' contains the control character U+001B",
        "2 errors, 0 warnings",
    ]
