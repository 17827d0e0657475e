"""``briefgen serve`` on the command line: start the preview, print the outcome of every
build, stop cleanly on Ctrl-C or SIGTERM (a temporary folder of the preview is removed; the
site's own preview folder is kept for the next start)."""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path

from briefgen.cli.terminal import EXIT_OK, print_diagnostics
from briefgen.commands.serve import BuildReport, DevServer
from briefgen.model.diagnostics import plural


def run_serve(args: argparse.Namespace) -> int:
    """Start the preview, print each build's outcome, stop on Ctrl-C or SIGTERM."""
    server = DevServer(
        Path(args.source),
        host=args.bind,
        port=args.port,
        drafts=args.drafts,
        future=args.future,
        on_build=lambda built: _report(built, args),
        log=lambda line: print(line, file=sys.stderr, flush=True),
        verbose=args.verbose,
    )
    included = " and ".join(
        name for name, on in (("drafts", args.drafts), ("future briefs", args.future)) if on
    )
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.start()
        print(
            f"serving {server.url}{f' ({included} included)' if included else ''} — Ctrl-C to stop",
            flush=True,
        )
        if args.bind not in ("127.0.0.1", "localhost", "::1"):
            print(
                f"warning: listening on {args.bind}: others on the network can see the preview",
                file=sys.stderr,
                flush=True,
            )
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        # a second Ctrl-C or kill while stopping must not cut the clean-up short
        sigint = signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        try:
            server.stop()
        finally:
            signal.signal(signal.SIGTERM, previous)
            signal.signal(signal.SIGINT, sigint)
    print(
        "stopped" if server.kept else "stopped; the preview's temporary folder is removed",
        flush=True,
    )
    return EXIT_OK


def _report(built: BuildReport, args: argparse.Namespace) -> None:
    """One build's diagnostics and, unless quiet, its counts and time."""
    if built.result is None:
        assert built.error is not None
        print_diagnostics(built.error.diagnostics, sys.stderr)
        print("build failed: pages show these errors until it builds again", file=sys.stderr)
        return
    diags, s = built.result.diagnostics, built.result.stats
    print_diagnostics(diags, sys.stderr, summary=bool(diags.items) and not args.quiet)
    if not args.quiet:
        print(
            f"{'built' if built.number == 1 else 'rebuilt:'} {plural(s['briefs'], 'brief')}, "
            f"{plural(s['topics'], 'topic')}, {plural(s['pages'], 'page')} in {built.result.seconds:.2f} s",
            flush=True,
        )


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # so that `kill` cleans up as Ctrl-C does
