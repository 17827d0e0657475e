"""``briefgen new`` (a brief, or a brief's translation) and ``briefgen init`` (a site): what
they print and the exit status."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from briefgen.cli.terminal import EXIT_OK, EXIT_USAGE, display_path


def cmd_new(args: argparse.Namespace) -> int:
    from briefgen.commands.new import ScaffoldError, new_brief

    root = Path(args.source)
    if args.translation_of or args.lang:
        return _new_translation(root, args)
    if not args.title or not args.topic:
        print(
            "briefgen new: error: a new brief needs a TITLE and --topic (or --lang and "
            "--translation-of for a translation)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        made = new_brief(root, args.title, args.topic, summary=args.summary)
    except ScaffoldError as exc:
        print(f"briefgen new: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for topic, close in made.unknown_topics:
        hint = (
            f"did you mean {' or '.join(map(repr, close))}?"
            if close
            else "the build will name it from its slug"
        )
        print(
            f"briefgen new: warning: topic {topic!r} has no file content/topics/{topic}.md; {hint}",
            file=sys.stderr,
        )
    print(f"created {display_path(made.path)} (a draft: remove 'draft: true' to publish)")
    if made.taken_by:
        print(f"its page is briefs/{made.slug}/: {made.taken_by} already has the title's slug")
    return EXIT_OK


def _new_translation(root: Path, args: argparse.Namespace) -> int:
    from briefgen.commands.new import ScaffoldError
    from briefgen.commands.translate import new_translation

    if not (args.translation_of and args.lang) or args.title or args.topic:
        print(
            "briefgen new: error: a translation takes --lang and --translation-of, and no "
            "title or --topic (they are the original's)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        made = new_translation(root, args.translation_of, args.lang)
    except ScaffoldError as exc:
        print(f"briefgen new: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(
        f"created {display_path(made)} (a draft: translate each TRANSLATE: text and the "
        "body, then remove 'draft: true')"
    )
    return EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    from briefgen.commands.init import init_site
    from briefgen.commands.new import ScaffoldError

    target = Path(args.directory)
    try:
        init_site(target, title=args.title, base_url=args.base_url)
    except ScaffoldError as exc:
        print(f"briefgen init: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(
        f"created a site in {display_path(target)}: cd there and run 'briefgen build' or 'briefgen serve'"
    )
    if args.base_url is None:
        print("set base_url in site.yaml to the site's address: feeds and the sitemap need it")
    return EXIT_OK
