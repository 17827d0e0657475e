"""Diagnostics: one problem at one place, the collector that gathers them, and their text form."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A problem at ``path:line:col`` (path relative to the site root, line and col from 1).

    ``line`` and ``col`` are 0 when the problem concerns a whole file or the whole site.
    """

    path: str
    line: int
    col: int
    severity: Severity
    message: str

    def format(self) -> str:
        if not self.path:
            return f"{self.severity}: {self.message}"
        where = self.path
        if self.line:
            where += f":{self.line}:{max(self.col, 1)}"
        return f"{where}: {self.severity}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "message": self.message,
        }


@dataclass
class Diagnostics:
    """Collects every problem of a run; stages add to it and go on."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, path: str, line: int, col: int, message: str) -> None:
        self.items.append(Diagnostic(_one_line(path), line, col, "error", _one_line(message)))

    def warning(self, path: str, line: int, col: int, message: str) -> None:
        self.items.append(Diagnostic(_one_line(path), line, col, "warning", _one_line(message)))

    def extend(self, other: Diagnostics | list[Diagnostic]) -> None:
        self.items.extend(other.items if isinstance(other, Diagnostics) else other)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.sorted() if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.sorted() if d.severity == "warning"]

    def has_errors(self, strict: bool = False) -> bool:
        return bool(self.items) if strict else any(d.severity == "error" for d in self.items)

    def sorted(self) -> list[Diagnostic]:
        """Sorted by path, then line and column; duplicates removed."""
        return sorted(set(self.items))

    def summary(self) -> str:
        return f"{plural(len(self.errors), 'error')}, {plural(len(self.warnings), 'warning')}"


def _one_line(text: str) -> str:
    """Control characters (line breaks above all) shown as escapes: one diagnostic, one line."""
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)


def plural(count: int, word: str) -> str:
    """``1 error``, ``2 errors``: every count the project prints goes through here."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


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
