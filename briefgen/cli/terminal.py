"""What the command line shows: coloured diagnostics and a progress bar for long builds.

Colour only on a terminal, never when ``NO_COLOR`` is set (https://no-color.org) or
``TERM=dumb``; the progress bar only on a terminal, and only once a build has run for a
moment, so quick builds and CI logs show just the summary line.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from briefgen.model.diagnostics import KINDS, Diagnostics, plural

if TYPE_CHECKING:
    from briefgen.config.values import Config
    from briefgen.languages import Coverage, ThemeWords

_STYLES = {"error": "1;31", "warning": "1;33", "bold": "1", "dim": "2"}

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2  # success, content errors, usage or configuration


def wants_color(stream: TextIO) -> bool:
    if "NO_COLOR" in os.environ or os.environ.get("TERM") == "dumb":
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def paint(text: str, style: str, color: bool) -> str:
    return f"\x1b[{_STYLES[style]}m{text}\x1b[0m" if color else text


def print_diagnostics(
    diags: Diagnostics, stream: TextIO, summary: bool = True, strict: bool = False
) -> None:
    """Every diagnostic, sorted, a kind repeated many times as its first few and a count
    (``… and 1,032 more briefs have no sources; …``), then the summary line."""
    color = wants_color(stream)
    for item in diags.shown():
        if isinstance(item, tuple):
            kind, more = item
            what, hint = KINDS[kind]
            print(paint(f"… and {more:,} more {what}; {hint}", "dim", color), file=stream)
            continue
        severity = "error" if strict and item.severity == "warning" else item.severity
        where, _, message = item.format().partition(f": {item.severity}: ")
        if not message:  # a problem of the whole run has no location
            where, message = "", item.message
        label = paint(severity + ":", severity, color)
        suffix = " (--strict)" if severity != item.severity else ""
        print(f"{where}: {label} {message}{suffix}" if where else f"{label} {message}", file=stream)
    if summary:
        note = " (warnings count as errors with --strict)" if strict and diags.warnings else ""
        print(paint(diags.summary(strict), "bold", color) + note, file=stream)


class Progress:
    """A one-line bar on a terminal: ``rendering [#######.......] 120/400``.

    Nothing is drawn during the first half second, nor more than ten times a second.
    """

    DELAY, INTERVAL, WIDTH = 0.5, 0.1, 30

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.enabled = hasattr(stream, "isatty") and stream.isatty()
        self.started = time.monotonic()
        self.last = 0.0
        self.drawn = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        now = time.monotonic()
        if now - self.started < self.DELAY or (now - self.last < self.INTERVAL and done < total):
            return
        self.last = now
        filled = self.WIDTH * done // total
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(f"\r{stage:<10} [{bar}] {done}/{total}\x1b[K")
        self.stream.flush()
        self.drawn = True

    def clear(self) -> None:
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.drawn = False


def display_path(path: Path) -> str:
    """``path`` relative to the current folder when it is inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix() or "."
    except ValueError:
        return str(path)


def positive(text: str) -> int:
    """An argument type: a whole number of at least 1."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return int(text)


def translation_summary(
    coverage: Sequence[Coverage], config: Config, words: Sequence[ThemeWords] = ()
) -> str:
    """``check --translations``: per language, how many of the default language's published
    briefs are translated, missing, or behind their original, and which; then, per language,
    the theme's table it reads and the theme's keys it lacks (``words``)."""
    if not config.languages:
        one = "translations: this site has one language (no 'languages:' in site.yaml)"
        return "\n".join([one, *_theme_words(words)])
    default = config.languages[0]
    lines = []
    for c in coverage:
        lines.append(
            f"{c.code} ({c.name}): {c.translated} of {plural(c.originals, 'brief')} "
            f"in {default.name} translated, {len(c.missing)} missing, "
            f"{len(c.behind)} behind"
        )
        lines += [f"  behind: {path}" for path in c.behind]
        lines += [f"  missing: {path}" for path in c.missing]
    return "\n".join(lines + _theme_words(words))


def _theme_words(words: Sequence[ThemeWords]) -> list[str]:
    """``theme words in ja (日本語): the theme's ja table, none missing``, or the keys a
    language lacks, one a line."""
    lines = []
    for w in words:
        table = f"the theme's {w.table} table" if w.table else "no table in the theme"
        gaps = f"{len(w.missing)} missing: add them to i18n/{w.code}.yaml"
        lines.append(
            f"theme words in {w.code} ({w.name}): {table}, {gaps if w.missing else 'none missing'}"
        )
        lines += [f"  missing: {key}" for key in w.missing]
    return lines
