"""``briefgen digest`` on the command line: the digest written by
:func:`briefgen.commands.digest.write_digest`, and what it holds printed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from briefgen.cli.arguments import publishing
from briefgen.cli.terminal import EXIT_OK, display_path, print_diagnostics
from briefgen.config.overrides import Overrides
from briefgen.model.diagnostics import plural


def cmd_digest(args: argparse.Namespace) -> int:
    from briefgen.commands.digest import write_digest

    overrides = Overrides(base_url=args.base_url, **publishing(args))
    written = write_digest(
        Path(args.source),
        Path(args.output),
        args.since,
        topic=args.topic,
        lang=args.lang,
        strict=args.strict,
        jobs=args.jobs,
        overrides=overrides,
    )
    diags = written.diagnostics
    print_diagnostics(diags, sys.stderr, summary=bool(diags.items) and not args.quiet)
    if not args.quiet:
        digest = written.digest
        topic = f" in topic {args.topic}" if args.topic else ""
        print(
            f"wrote {display_path(written.html_path)} and {display_path(written.text_path)}: "
            f"{digest.new} new, {plural(digest.updated, 'updated brief')} since "
            f"{digest.selection.since.human()}{topic}"
        )
    return EXIT_OK
