"""Which language a content file is in, and which files translate one another.

A translation sits beside its original with the language's code before the extension, as
Hugo names them: ``2025-02-18-sheinbaum-responds.es.md`` is the Spanish edition of
``2025-02-18-sheinbaum-responds.md``; ``content/topics/cartels.es.md`` and
``content/entities/people/claudia-sheinbaum.es.md`` translate a topic and an entity the same
way. A file without a code, or with a code the site does not configure, is in the default
language. Briefs whose file names differ are tied by one ``translation_key:`` in their front
matter. The slug a translated brief takes by default is its original's (under its language's
prefix); ``slug:`` gives it its own.

Only a site with ``languages:`` reads codes in file names: elsewhere ``x.es.md`` is a brief
named ``x.es``, as it always was.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

MD = ".md"


def split_name(path: str, codes: Iterable[str]) -> tuple[str, str | None]:
    """``content/briefs/x.es.md`` → (``content/briefs/x.md``, ``es``) when ``es`` is one of
    ``codes`` (compared without case); else (``path``, None)."""
    if not path.endswith(MD):
        return path, None
    stem = path[: -len(MD)]
    base, dot, code = stem.rpartition(".")
    if not dot or not base or posixpath.basename(base) == "":
        return path, None
    wanted = {c.lower(): c for c in codes}
    found = wanted.get(code.lower())
    if found is None:
        return path, None
    return base + MD, found


def stem_of(path: str, codes: Iterable[str]) -> str:
    """The file name stem a slug is made from: ``x`` for ``…/x.es.md``."""
    base, _ = split_name(path, codes)
    return posixpath.splitext(posixpath.basename(base))[0]


@dataclass(frozen=True)
class Translations:
    """Every brief's language and translation group: the group is its ``translation_key``
    when it has one, else its original's content path."""

    default: str = ""
    language: Mapping[str, str] = field(default_factory=dict)  # content path → code
    group: Mapping[str, str] = field(default_factory=dict)  # content path → group
    members: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # group → code → path

    def of(self, path: str) -> str:
        return self.language.get(path, self.default)

    def translation(self, path: str, code: str) -> str | None:
        """The content path of ``path``'s edition in ``code``, if there is one."""
        group = self.group.get(path)
        return self.members.get(group, {}).get(code) if group is not None else None

    def original(self, path: str) -> str | None:
        """The default language's edition of ``path``: what a translation translates."""
        return self.translation(path, self.default)


def translations(
    items: Iterable[tuple[str, str | None]], codes: Iterable[str], default: str
) -> Translations:
    """Languages and groups of the briefs given as (content path, translation_key or None)."""
    codes = tuple(codes)
    language: dict[str, str] = {}
    group: dict[str, str] = {}
    members: dict[str, dict[str, str]] = {}
    for path, key in items:
        base, code = split_name(path, codes)
        code = code or default
        language[path] = code
        group[path] = f"key:{key}" if key else base
    for path in sorted(group):
        # a key given on one edition only ties the others through their file name
        members.setdefault(group[path], {}).setdefault(language[path], path)
    for path, key in items:
        if key:
            base, _ = split_name(path, codes)
            if base in members and base != group[path]:
                for code, other in members.pop(base).items():
                    members[group[path]].setdefault(code, other)
                    group[other] = group[path]
    return Translations(default, language, group, members)
