"""The command line's commands and options (argparse); :mod:`briefgen.cli.main` runs them."""

from __future__ import annotations

import argparse
import datetime as dt
import re

from briefgen import __version__
from briefgen.cli.terminal import positive


def parser() -> argparse.ArgumentParser:
    """Every command and option; ``command_name`` names the command run."""
    parser = argparse.ArgumentParser(
        prog="briefgen",
        description="Build a static website of news briefings from Markdown briefs.",
    )
    parser.add_argument("--version", action="version", version=f"briefgen {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = commands.add_parser(
        "build",
        help="build the site into the output folder",
        description="Build the site into the output folder (default: public/).",
    )
    _common(build)
    build.add_argument(
        "--output", metavar="DIR", help="output folder (default: output_dir from site.yaml)"
    )
    build.add_argument(
        "--base-url", metavar="URL", help="site address, e.g. https://example.org/briefings/"
    )
    build.add_argument(
        "--no-cache",
        dest="cache",
        action="store_false",
        help="ignore .briefgen-cache/ and render everything from scratch",
    )
    build.add_argument(
        "--force",
        action="store_true",
        help="replace the output folder even when it holds files briefgen did not write",
    )
    build.add_argument("-v", "--verbose", action="store_true", help="list every file written")
    build.set_defaults(command_name="build")

    check = commands.add_parser(
        "check",
        help="validate everything, write nothing",
        description="Validate site.yaml, every brief, topic, link and template; write nothing.",
    )
    _common(check)
    check.add_argument(
        "--format", choices=("text", "json"), default="text", help="diagnostics format"
    )
    check.add_argument(
        "--stale",
        type=age,
        metavar="AGE",
        help="also warn about briefs last changed longer ago than AGE (30d, 6w) in topics "
        "with newer briefs",
    )
    check.add_argument(
        "--translations",
        action="store_true",
        help="also print, per language, how many briefs are translated, missing or behind, "
        "and which of the theme's words it lacks",
    )
    check.set_defaults(command_name="check")

    digest = commands.add_parser(
        "digest",
        help="write an email digest of new and updated briefs",
        description="Write an email-ready HTML digest of the briefs published or updated since a day, and its plain-text alternative beside it (same name, ending in .txt).",
    )
    _common(digest)
    digest.add_argument(
        "--since",
        required=True,
        type=iso_day,
        metavar="YYYY-MM-DD",
        help="first day covered: briefs dated on or after it are new, older "
        "briefs changed on or after it are updated",
    )
    digest.add_argument("--topic", metavar="SLUG", help="only briefs with this topic")
    digest.add_argument(
        "--lang",
        metavar="CODE",
        help="the digest of this language's edition (default: the default "
        "language's), on a site with several",
    )
    digest.add_argument(
        "--output",
        metavar="FILE",
        default="digest.html",
        help="the HTML file (default: digest.html in the current folder); "
        "the text goes beside it, ending in .txt",
    )
    digest.add_argument(
        "--base-url",
        metavar="URL",
        help="site address for the links, when base_url in site.yaml is a path",
    )
    digest.set_defaults(command_name="digest")

    init = commands.add_parser(
        "init",
        help="create a new, empty site that builds at once",
        description="Create a new site in DIR (absent or empty): site.yaml, one topic, one brief.",
    )
    init.add_argument("directory", metavar="DIR", help="folder for the new site")
    init.add_argument("--title", default="Briefings", help="the site's title")
    init.add_argument(
        "--base-url",
        metavar="URL",
        help="the site's address, e.g. https://example.org/briefings/ (default: a "
        "placeholder that check --strict flags until it is replaced)",
    )
    init.set_defaults(command_name="init")

    new = commands.add_parser(
        "new",
        help="create a brief with valid front matter",
        description="Create content/briefs/YYYY-MM-DD-<slug>.md (today's date) as a draft in the site at --source; never overwrites a file nor reuses a brief's slug (it takes <slug>-2 instead).",
    )
    new.add_argument("title", nargs="?", help="the brief's title")
    new.add_argument(
        "--topic",
        action="append",
        metavar="SLUG",
        help="topic slug (repeat for more than one; required for a new brief)",
    )
    new.add_argument(
        "--lang",
        metavar="CODE",
        help="with --translation-of: the language of the translation (e.g. es)",
    )
    new.add_argument(
        "--translation-of",
        metavar="FILE",
        help="write the --lang translation of this brief beside it, its facts "
        "copied and its texts marked TRANSLATE:",
    )
    new.add_argument("--summary", help="the one- or two-sentence summary")
    new.add_argument(
        "--source", metavar="DIR", default=".", help="site root (default: current folder)"
    )
    new.set_defaults(command_name="new")

    serve = commands.add_parser(
        "serve",
        help="preview the site, rebuilt and reloaded as you edit",
        description="Build the site into a temporary folder, serve it on this computer, rebuild it when a source file changes and reload open pages.",
    )
    serve.add_argument(
        "--source", metavar="DIR", default=".", help="site root (default: current folder)"
    )
    serve.add_argument(
        "--port", type=int, default=8000, help="port (default: 8000; 0: any free one)"
    )
    serve.add_argument(
        "--bind",
        metavar="ADDR",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this computer only)",
    )
    serve.add_argument(
        "--drafts",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="include briefs marked draft: true",
    )
    serve.add_argument(
        "--future",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="include briefs dated in the future",
    )
    serve.add_argument(
        "-q", "--quiet", action="store_true", help="print problems only: no build summaries"
    )
    serve.add_argument("-v", "--verbose", action="store_true", help="log every request")
    serve.set_defaults(command_name="serve")
    return parser


def _common(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--source", metavar="DIR", default=".", help="site root (default: current folder)"
    )
    sub.add_argument("--drafts", action="store_true", help="include briefs marked draft: true")
    sub.add_argument("--future", action="store_true", help="include briefs dated in the future")
    sub.add_argument(
        "--expired", action="store_true", help="include briefs whose 'expires' date has passed"
    )
    sub.add_argument("--strict", action="store_true", help="treat warnings as errors")
    sub.add_argument(
        "-j",
        "--jobs",
        type=positive,
        metavar="N",
        help="processes to use (default: every core; BRIEFGEN_JOBS also sets it)",
    )
    sub.add_argument(
        "-q", "--quiet", action="store_true", help="print problems only: no summary line"
    )
    sub.add_argument(
        "--debug",
        action="store_true",
        help="let an exception raised in a plugin stop the run with its traceback",
    )


def iso_day(text: str) -> dt.date:
    """An argument type: a day written ``YYYY-MM-DD``."""
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise argparse.ArgumentTypeError(f"expected a day as YYYY-MM-DD, not {text!r}")


def publishing(args: argparse.Namespace) -> dict[str, bool | None]:
    """--drafts, --future, --expired and --debug as config overrides (None leaves the
    default)."""
    names = ("drafts", "future", "expired", "debug")
    return {name: getattr(args, name, None) or None for name in names}


_UNITS = {"d": 1, "w": 7}


def age(text: str) -> dt.timedelta:
    """An argument type: a number of days (``30d``, ``30``) or weeks (``6w``)."""
    match = re.fullmatch(r"\s*(\d+)\s*([dw]?)\s*", text.lower())
    if not match or int(match.group(1)) < 1:
        raise argparse.ArgumentTypeError(f"expected an age such as 30d or 6w, not {text!r}")
    return dt.timedelta(days=int(match.group(1)) * _UNITS[match.group(2) or "d"])
