"""``briefgen new`` (a brief, or a brief's translation) and ``briefgen init`` (a site): what
they print. Their errors reach the user through :func:`briefgen.cli.main.main`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from briefgen.cli.terminal import EXIT_OK, display_path
from briefgen.model.diagnostics import UsageError


def cmd_new(args: argparse.Namespace) -> int:
    from briefgen.commands.new import new_brief

    root = Path(args.source)
    if args.translation_of or args.lang:
        return _new_translation(root, args)
    if not args.title or not args.topic:
        raise UsageError(
            "a new brief needs a TITLE and --topic (or --lang and --translation-of for a "
            "translation)"
        )
    made = new_brief(root, args.title, args.topic, summary=args.summary)
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
    from briefgen.commands.translate import new_translation

    if not (args.translation_of and args.lang) or args.title or args.topic:
        raise UsageError(
            "a translation takes --lang and --translation-of, and no title or --topic (they "
            "are the original's)"
        )
    made = new_translation(root, args.translation_of, args.lang)
    print(
        f"created {display_path(made)} (a draft: translate each TRANSLATE: text and the "
        "body, then remove 'draft: true')"
    )
    return EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    from briefgen.commands.init import init_site

    target = Path(args.directory)
    init_site(target, title=args.title, base_url=args.base_url)
    print(
        f"created a site in {display_path(target)}: cd there and run 'briefgen build' or 'briefgen serve'"
    )
    if args.base_url is None:
        print("set base_url in site.yaml to the site's address: feeds and the sitemap need it")
    return EXIT_OK
