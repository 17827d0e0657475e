"""``briefgen digest`` on the command line: build the model of one edition, write the
e-mail digest's HTML and text files, and print what it holds."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from briefgen.cli.arguments import publishing
from briefgen.cli.terminal import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, display_path, print_diagnostics
from briefgen.config.overrides import Overrides
from briefgen.model.diagnostics import BriefgenError, plural


def cmd_digest(args: argparse.Namespace) -> int:
    from briefgen.commands.digest import DigestError, make_digest
    from briefgen.pipeline.build import build
    from briefgen.write.atomic import replace_files

    html_path = Path(args.output)  # relative to the current folder
    text_path = html_path.with_suffix(".txt")
    if html_path.suffix == ".txt" or html_path.is_dir():
        print(
            f"briefgen digest: error: --output {args.output!r} must name the HTML file "
            f"(the text goes beside it as {text_path.name})",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        result = build(
            Path(args.source),
            write=False,
            pages=False,
            strict=args.strict,
            jobs=args.jobs,
            overrides=Overrides(base_url=args.base_url, **publishing(args)),
        )
        assert result.site is not None  # a build that writes nothing always makes the model
        site, config = _edition(result, args.lang)
        digest = make_digest(site, config, args.since, args.topic)
    except BriefgenError as exc:
        print_diagnostics(exc.diagnostics, sys.stderr, strict=args.strict)
        return exc.exit_code
    except DigestError as exc:
        print(f"briefgen digest: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    diags = result.diagnostics
    print_diagnostics(diags, sys.stderr, summary=bool(diags.items) and not args.quiet)
    try:
        replace_files({html_path: digest.html.encode(), text_path: digest.text.encode()})
    except OSError as exc:
        print(
            f"briefgen digest: error: cannot write {exc.filename or html_path}: "
            f"{exc.strerror or exc}",
            file=sys.stderr,
        )
        return EXIT_CONTENT
    if not args.quiet:
        topic = f" in topic {args.topic}" if args.topic else ""
        print(
            f"wrote {display_path(html_path)} and {display_path(text_path)}: {digest.new} new, "
            f"{plural(digest.updated, 'updated brief')} since {digest.selection.since.human()}{topic}"
        )
    return EXIT_OK


def _edition(result: Any, code: str | None) -> tuple[Any, Any]:
    """The site model and configuration of the edition in ``code`` (default: the site's
    default language); a DigestError when the site has no such language."""
    from briefgen.commands.digest import DigestError

    editions = result.config.editions()
    if code is None:
        return result.site, editions[0]
    codes = [c.language.lower() for c in editions]
    if code.lower() not in codes or not result.config.languages:
        have = ", ".join(c.language for c in editions)
        raise DigestError(f"--lang {code!r} is not a language of this site ({have})")
    index = codes.index(code.lower())
    return result.sites[index], editions[index]
