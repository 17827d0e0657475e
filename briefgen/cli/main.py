"""Command line: parse arguments, run a command, print diagnostics and summaries, set the
exit status (0 success, 1 content errors, 2 usage or configuration errors)."""

from __future__ import annotations

import argparse
import dataclasses
import gc
import os
import sys
from pathlib import Path
from typing import TextIO

from briefgen.cli import arguments, scaffold
from briefgen.cli.digest import cmd_digest
from briefgen.cli.terminal import (
    EXIT_OK,
    EXIT_USAGE,
    display_path,
    translation_summary,
)
from briefgen.config.overrides import Overrides
from briefgen.model.diagnostics import BriefgenError, Diagnostics, UsageError, plural
from briefgen.util.jsontext import dumps


def run() -> None:
    """The console script and ``python -m briefgen``: :func:`main`, then an exit that does not
    free the site model object by object (a third of a second after a build of 10,000
    briefs, for memory the process is about to give back). Output is flushed first; every
    file a command writes is closed before it returns."""
    code = main()
    if sys.getprofile() is not None or sys.gettrace() is not None:
        raise SystemExit(code)  # a profiler or coverage writes its report at exit
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said
            pass
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    parser = arguments.parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    import signal
    import threading

    # `kill` (SIGTERM, as CI runners send on cancel) unwinds like Ctrl-C, so the build
    # removes its staging folder and the previous output stays as it was.
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if in_main else None
    # The collector would walk the whole site model each time printing thousands of
    # warnings allocates (2 s after a 10,000-brief build with 20,000 of them); a command
    # that ends once it has printed keeps it paused. serve, which builds all day, does not.
    collecting = gc.isenabled() and args.command_name != "serve"
    if collecting:
        gc.disable()
    try:
        return COMMANDS[args.command_name](args)
    except UsageError as exc:
        print(f"briefgen {args.command_name}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except BriefgenError as exc:
        _print_diagnostics(exc.diagnostics, sys.stderr, strict=getattr(args, "strict", False))
        if args.command_name == "build":
            print(_build_failed(args), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, previous)
        if collecting:
            gc.enable()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _cmd_build(args: argparse.Namespace) -> int:
    from briefgen.cli.terminal import Progress
    from briefgen.pipeline.build import build  # imported here so --version and --help start fast

    output = str(Path(args.output).resolve()) if args.output else None  # relative to the cwd
    overrides = Overrides(output, args.base_url, **arguments.publishing(args))
    progress = Progress(sys.stderr) if not args.quiet else None
    try:
        result = build(
            Path(args.source),
            strict=args.strict,
            cache=args.cache,
            jobs=args.jobs,
            force=args.force,
            progress=progress,
            on_wait=lambda: print(
                "waiting for another build of this site to finish…", file=sys.stderr
            ),
            overrides=overrides,
        )
    finally:
        if progress:
            progress.clear()
    if args.verbose:
        for path in result.written_files:
            print(path)
    _print_diagnostics(
        result.diagnostics, sys.stderr, summary=bool(result.diagnostics.items) and not args.quiet
    )
    if not args.quiet:
        out = result.config.output_path
        s = result.stats
        print(
            f"built {plural(s['briefs'], 'brief')}, {plural(s['topics'], 'topic')}, "
            f"{plural(s['pages'], 'page')} in {result.seconds:.2f} s → {display_path(out)}"
            + _left_out(s)
        )
        if result.site is not None and (pictures := _pictures(s)):  # None: nothing to build
            print(pictures)
    return EXIT_OK


def _pictures(stats: dict[str, int]) -> str:
    """``pictures and cards: 2 files made, 34 from the cache``, or nothing for a build with
    neither: the line that shows in a CI log whether the cache the run restored was used."""
    made, reused = stats.get("pictures_encoded", 0), stats.get("pictures_reused", 0)
    if not made and not reused:
        return ""
    return f"pictures and cards: {plural(made, 'file')} made, {reused:,} from the cache"


def _left_out(stats: dict[str, int]) -> str:
    """`` (2 drafts, 1 scheduled, 1 expired not published)``, or nothing."""
    words = {
        "drafts": ("draft", "drafts"),
        "scheduled": ("scheduled",) * 2,
        "expired": ("expired",) * 2,
    }
    parts = [f"{n:,} {words[k][n != 1]}" for k in words if (n := stats.get(k, 0))]
    return f" ({', '.join(parts)} not published)" if parts else ""


def _cmd_serve(args: argparse.Namespace) -> int:
    from briefgen.cli.serve import run_serve  # the server's modules load only for `serve`

    return run_serve(args)


def _cmd_check(args: argparse.Namespace) -> int:
    from briefgen.pipeline.build import build
    from briefgen.pipeline.editions import theme_words

    try:
        result = build(
            Path(args.source),
            write=False,
            strict=args.strict,
            jobs=args.jobs,
            stale=args.stale,
            overrides=Overrides(**arguments.publishing(args)),
        )
        diags, code = result.diagnostics, EXIT_OK
    except BriefgenError as exc:
        diags, code = exc.diagnostics, exc.exit_code
    coverage = result.coverage if code == EXIT_OK and args.translations else ()
    words = theme_words(result.config) if code == EXIT_OK and args.translations else ()
    if args.format == "json":
        payload = {
            "ok": code == EXIT_OK,
            "errors": len(diags.errors),
            "warnings": len(diags.warnings),
            "diagnostics": [d.as_dict() for d in diags.sorted()],
        }
        if diags.notes:
            payload["notes"] = len(diags.notes)
        if args.translations:
            payload["translations"] = [dataclasses.asdict(c) for c in coverage]
            payload["theme_words"] = [dataclasses.asdict(w) for w in words]
        print(dumps(payload))
        return code
    _print_diagnostics(
        diags, sys.stderr, summary=not args.quiet or code != EXIT_OK, strict=args.strict
    )
    if code == EXIT_OK and not args.quiet:
        s = result.stats
        print(
            f"ok: {plural(s['briefs'], 'brief')}, {plural(s['topics'], 'topic')}, {plural(s['pages'], 'page')} checked"
        )
    if args.translations and code == EXIT_OK:
        print(translation_summary(coverage, result.config, words))
    return code


def _build_failed(args: argparse.Namespace) -> str:
    """The last line of a failed build. A failed build neither creates nor touches the
    output folder, so one that exists now existed before; only then is there a previous
    output to speak of."""
    previous = _output_folder(args).is_dir()
    return "build failed" + ("; the previous output was left as it was" if previous else "")


def _output_folder(args: argparse.Namespace) -> Path:
    """The folder the build would have written: --output, else output_dir from site.yaml
    (the default 'public' when site.yaml cannot be read)."""
    if args.output:
        return Path(args.output).resolve()
    from briefgen.config.load import load_config
    from briefgen.config.values import Config

    root = Path(args.source)
    try:
        return load_config(root)[0].output_path
    except BriefgenError:
        return (root / Config.output_dir).resolve()  # the default


def _print_diagnostics(
    diags: Diagnostics, stream: TextIO, summary: bool = True, strict: bool = False
) -> None:
    from briefgen.cli.terminal import print_diagnostics

    print_diagnostics(diags, stream, summary=summary, strict=strict)


COMMANDS = {
    "build": _cmd_build,
    "check": _cmd_check,
    "digest": cmd_digest,
    "init": scaffold.cmd_init,
    "new": scaffold.cmd_new,
    "serve": _cmd_serve,
}
