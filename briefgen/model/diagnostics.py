"""Diagnostics: one problem at one place, the collector that gathers them, and their text form."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

# a note reports a state worth knowing that is not a mistake (a translation behind its
# original): printed, counted, never an error, not even with --strict
Severity = Literal["error", "warning", "note"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A problem at ``path:line:col`` (path relative to the site root, line and col from 1).

    ``line`` and ``col`` are 0 when the problem concerns a whole file or the whole site.
    ``kind`` names a problem that can repeat across many files (see ``KINDS``), so that a
    terminal can show a few of them and a count instead of thousands of lines.
    """

    path: str
    line: int
    col: int
    severity: Severity
    message: str
    kind: str = field(default="", compare=False)

    def format(self) -> str:
        if not self.path:
            return f"{self.severity}: {self.message}"
        where = self.path
        if self.line:
            where += f":{self.line}:{self.col}"
        return f"{where}: {self.severity}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "message": self.message,
            "kind": self.kind,
        }


# Problems that one cause repeats across a site, each with what the terminal says of the
# ones it leaves out: (how to count them, how to stop them).
KINDS: dict[str, tuple[str, str]] = {
    "no-sources": ("briefs have no sources", "`checks.sources: false` turns this off"),
    "uncited-source": ("sources are never cited", "`checks.sources: false` turns this off"),
    "topic-file": ("topics have no file", "add content/topics/<slug>.md for each"),
    "dead-link": ("links lead to no page of the site", "`briefgen check --format json` lists all"),
}
SHOWN = 5  # a repeated kind shows this many on a terminal, then a count
GROUPED = 10  # ... once it repeats more than this


@dataclass
class Diagnostics:
    """Collects every problem of a run; stages add to it and go on."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, path: str, line: int, col: int, message: str, kind: str = "") -> None:
        self._add(path, line, col, "error", message, kind)

    def warning(self, path: str, line: int, col: int, message: str, kind: str = "") -> None:
        self._add(path, line, col, "warning", message, kind)

    def note(self, path: str, line: int, col: int, message: str, kind: str = "") -> None:
        self._add(path, line, col, "note", message, kind)

    def _add(
        self, path: str, line: int, col: int, severity: Severity, message: str, kind: str
    ) -> None:
        # the text and the JSON say the same place (docs/check-output.schema.json): a line
        # has a column from 1; a problem of a whole file has neither, `path: severity: ...`
        col = max(col, 1) if line else 0
        self.items.append(
            Diagnostic(_one_line(path), line, col, severity, _one_line(message), kind)
        )

    def extend(self, other: Diagnostics | list[Diagnostic]) -> None:
        self.items.extend(other.items if isinstance(other, Diagnostics) else other)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.sorted() if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.sorted() if d.severity == "warning"]

    @property
    def notes(self) -> list[Diagnostic]:
        return [d for d in self.sorted() if d.severity == "note"]

    def has_errors(self, strict: bool = False) -> bool:
        if strict:
            return any(d.severity != "note" for d in self.items)
        return any(d.severity == "error" for d in self.items)

    def sorted(self) -> list[Diagnostic]:
        """Sorted by path, then line and column; duplicates removed."""
        return sorted(set(self.items), key=_order)

    def summary(self, strict: bool = False) -> str:
        """``2 errors, 1,204 warnings (1,032 briefs have no sources, 40 topics have no
        file)``: the counts, and, past a short list, those of each repeated kind. With ``strict`` every
        warning is an error, so only errors are counted."""
        items = self.sorted()
        notes = sum(1 for d in items if d.severity == "note")
        if strict:
            text = plural(len(items) - notes, "error")
        else:
            errors = sum(1 for d in items if d.severity == "error")
            text = f"{plural(errors, 'error')}, {plural(len(items) - errors - notes, 'warning')}"
        if notes:
            text += f", {plural(notes, 'note')}"
        if len(items) <= GROUPED:  # a short list speaks for itself
            return text
        counts = Counter(d.kind for d in items if d.kind in KINDS)
        kinds = [f"{counts[k]:,} {KINDS[k][0]}" for k in KINDS if counts[k] > 1]
        return f"{text} ({', '.join(kinds)})" if kinds else text

    def shown(self) -> list[Diagnostic | tuple[str, int]]:
        """What a terminal prints: every diagnostic in order, except the kinds repeated more
        than ``GROUPED`` times, which come after them, each as its first ``SHOWN`` and then
        ``(kind, how many more)``, so that a count follows the group it counts. The JSON
        form and ``sorted`` keep every one, in order."""
        items = self.sorted()
        counts = Counter(d.kind for d in items if d.kind in KINDS)
        grouped: dict[str, list[Diagnostic]] = {k: [] for k in KINDS if counts[k] > GROUPED}
        out: list[Diagnostic | tuple[str, int]] = []
        for item in items:
            group = grouped.get(item.kind)
            if group is None:
                out.append(item)
            elif len(group) < SHOWN:
                group.append(item)
        for kind, group in grouped.items():
            out += [*group, (kind, counts[kind] - SHOWN)]
        return out


def _order(d: Diagnostic) -> tuple[str, int, int, str, str]:
    """The order of ``Diagnostic``'s compared fields, as one tuple: much faster to sort by
    than the dataclass's generated comparisons on tens of thousands of warnings."""
    return (d.path, d.line, d.col, d.severity, d.message)


def _one_line(text: str) -> str:
    """Control characters (line breaks above all) shown as escapes: one diagnostic, one line."""
    if text.isprintable():  # nearly always: thousands of warnings skip the loop below
        return text
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)


def cannot_write(path: object, exc: OSError | str) -> str:
    """``cannot write PATH: No space left on device``: the one message for a failed write,
    in the operating system's words."""
    why = exc if isinstance(exc, str) else (exc.strerror or str(exc))
    return f"cannot write {path}: {why}"


def plural(count: int, word: str) -> str:
    """``1 error``, ``2 errors``: every count the project prints goes through here."""
    return f"{count} {word}" if count == 1 else f"{count:,} {word}s"


class UsageError(Exception):
    """A command cannot do what it was asked (options that do not go together, a file in
    the way, a port taken): one line, ``briefgen COMMAND: error: MESSAGE``, exit status 2.
    The command line prints it, as it prints every BriefgenError's diagnostics: in one place."""

    exit_code = 2


class BriefgenError(Exception):
    """A run stopped at a gate; carries every diagnostic gathered so far."""

    exit_code = 1

    def __init__(self, diagnostics: Diagnostics) -> None:
        super().__init__(diagnostics.summary())
        self.diagnostics = diagnostics


class ConfigError(BriefgenError):
    """site.yaml, the theme or a command-line option is unusable: exit status 2."""

    exit_code = 2


class ContentError(BriefgenError):
    """One or more briefs, topics or templates are wrong: exit status 1."""

    exit_code = 1
