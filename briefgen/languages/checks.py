"""The checks a translation desk needs, on a site with several languages:

- a translation whose original changed after it ("may be out of date"), by ``updated``, the
  ``updates`` log or, with ``git_dates``, the last commit;
- a translation whose facts differ from its original's: its date, its topics, the figures of
  its key facts (a number is a fact: ``229`` stays ``229``; ``1,800`` and ``1.800`` are one
  number), its sources, the dates of its timeline;
- a link in a translation to a brief that has no edition in the translation's language (the
  reader is sent to another language);
- two files of one language in one translation group;
- a published translation that still has text marked ``TRANSLATE:``
  (:mod:`briefgen.languages.marks`);
- a language whose words of the theme lack some of English's (:func:`check_words`).

And the summary ``check --translations`` prints: per language, how many of the default
language's briefs are translated, missing, or behind their original.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefgen.languages.files import Translations
from briefgen.languages.marks import MARK, still_marked
from briefgen.model.briefing import KeyFact
from briefgen.model.dates import Timestamp
from briefgen.model.diagnostics import Diagnostics
from briefgen.model.language import Language
from briefgen.model.meta import BriefMeta
from briefgen.model.rendered import RenderedBody

if TYPE_CHECKING:
    from briefgen.languages.tables import Catalog

# a number as written in any of the site's languages: 229, 1,800, 1.800, 2.5, 1 800
NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d+)*")


@dataclass(frozen=True)
class Coverage:
    """One language's share of the default language's published briefs."""

    code: str
    name: str
    originals: int
    translated: int
    behind: tuple[str, ...]  # content paths of translations older than their original
    missing: tuple[str, ...]  # content paths of originals without a translation


def check_translations(
    languages: Sequence[Language],
    editions: Sequence[tuple[str, Sequence[BriefMeta], Mapping[str, RenderedBody]]],
    found: Translations,
    diags: Diagnostics,
) -> tuple[Coverage, ...]:
    """Check every published translation against its published original; ``editions`` are
    (language code, published briefs, rendered bodies) per language, the default first."""
    originals = {m.path: m for m in editions[0][1]}
    names = {lang.code: lang.name for lang in languages}
    english = names.get(found.default, found.default)
    coverage = []
    for code, metas, rendered in editions[1:]:
        behind = []
        for meta in metas:
            original = originals.get(found.original(meta.path) or "")
            if original is None or original.path == meta.path:
                continue
            if still_marked(meta):
                diags.warning(
                    meta.path,
                    1,
                    1,
                    f"translation still has text marked {MARK.strip()!r} "
                    "(the original's words): translate it",
                    kind="translation-mark",
                )
            if _outdated(meta, original, english, diags):
                behind.append(meta.path)
            _differences(meta, original, english, diags)
        _untranslated_links(metas, rendered, found, code, names.get(code, code), diags)
        mine = {m.path for m in metas}
        missing = tuple(p for p in originals if found.translation(p, code) not in mine)
        coverage.append(
            Coverage(
                code,
                names.get(code, code),
                len(originals),
                len(originals) - len(missing),
                tuple(behind),
                missing,
            )
        )
    _duplicates(found, diags)
    return tuple(coverage)


def _outdated(meta: BriefMeta, original: BriefMeta, language: str, diags: Diagnostics) -> bool:
    mine, theirs = _last_change(meta), _last_change(original)
    if theirs.moment <= mine.moment:
        return False
    at = meta.where(("updated",), meta.where(("date",)))
    diags.note(
        meta.path,
        *at,
        f"translation may be out of date: the {language} brief was updated on "
        f"{theirs.human()}, this translation on {mine.human()} "
        f"({original.path})",
        kind="translation-outdated",
    )
    return True


def _last_change(meta: BriefMeta) -> Timestamp:
    latest = meta.updated or meta.date
    log = meta.structure.updates
    return log[0].date if log and log[0].date > latest else latest


def _differences(meta: BriefMeta, original: BriefMeta, language: str, diags: Diagnostics) -> None:
    """One warning per field that differs from the original's."""

    def warn(key: str, what: str) -> None:
        diags.warning(
            meta.path,
            *meta.where((key,)),
            f"{what} differ from the {language} original's ({original.path}): "
            "figures, sources and dates are facts and must not change in "
            "translation",
            kind="translation-facts",
        )

    if meta.date != original.date:
        diags.warning(
            meta.path,
            *meta.where(("date",)),
            f"date {meta.date} differs from the {language} original's "
            f"({original.date}, {original.path})",
            kind="translation-facts",
        )
    if set(meta.topics) != set(original.topics):
        warn("topics", "topics")
    lost, extra = _numbers(original.key_facts), _numbers(meta.key_facts)
    if lost != extra:
        gone = sorted((lost - extra).elements())
        added = sorted((extra - lost).elements())
        detail = "; ".join(
            x
            for x in (
                f"missing here: {', '.join(gone)}" if gone else "",
                f"not in the original: {', '.join(added)}" if added else "",
            )
            if x
        )
        warn("key_facts", f"figures of the key facts ({detail})")
    if _sources(meta) != _sources(original):
        warn("sources", "sources")
    if [e.date for e in meta.structure.timeline] != [e.date for e in original.structure.timeline]:
        warn("timeline", "timeline dates")


def _numbers(facts: Sequence[KeyFact]) -> Counter[str]:
    """The numbers of key facts, written without separators: 1,800 and 1.800 are 1800."""
    found: Counter[str] = Counter()
    for fact in facts:
        text = " ".join(x for x in (fact.text, fact.figure or "") if x)
        found.update(re.sub(r"\D", "", n) for n in NUMBER.findall(text))
    return found


def _sources(meta: BriefMeta) -> list[tuple[str, str, str]]:
    return sorted(
        (s.id or "", s.url or "", s.date and s.date.isoformat() or "") for s in meta.sources
    )


def _untranslated_links(
    metas: Sequence[BriefMeta],
    rendered: Mapping[str, RenderedBody],
    found: Translations,
    code: str,
    name: str,
    diags: Diagnostics,
) -> None:
    """One warning per brief linked to without a translation (one cause), at the first
    link to it, with the number of links."""
    places: dict[str, list[tuple[str, int, int]]] = {}
    for meta in metas:
        result = rendered.get(meta.path)
        for link in result.links if result is not None else ():
            if link.target not in found.group or found.of(link.target) == code:
                continue  # a topic, or a brief in this language
            if found.translation(link.target, code) is None:
                places.setdefault(link.target, []).append((meta.path, link.line, link.col))
    for target, where in sorted(places.items()):
        first = min(where)
        more = f" ({len(where)} links to it; this is the first)" if len(where) > 1 else ""
        diags.note(
            *first,
            f"link to {target}, which has no {name} translation: the reader "
            f"is sent to another language{more}",
            kind="translation-link",
        )


def _duplicates(found: Translations, diags: Diagnostics) -> None:
    by_group: dict[tuple[str, str], list[str]] = {}
    for path, group in found.group.items():
        by_group.setdefault((group, found.of(path)), []).append(path)
    for (_, code), paths in sorted(by_group.items()):
        first, *others = sorted(paths)
        for path in others:
            diags.error(
                path,
                1,
                1,
                f"{first} is already the {code} edition of this brief; "
                "give one of them another translation_key",
                kind="",
            )


def check_words(
    tables: Catalog, languages: Sequence[Language], at: tuple[int, int], diags: Diagnostics
) -> None:
    """One warning (at ``languages:`` in site.yaml, ``at``) per language whose words of the
    theme are missing some of English's: they are shown in the default language (or
    English) instead."""
    first = languages[0]
    fallback = "English" if first.code.split("-")[0] == "en" else f"{first.name} or English"
    for lang in languages:
        missing = tables.missing(lang.code)
        if not missing:
            continue
        shown = ", ".join(repr(k) for k in missing[:3]) + (", …" if len(missing) > 3 else "")
        diags.warning(
            "site.yaml",
            *at,
            f"the theme's words are missing in {lang.code} ({len(missing)} of them: "
            f"{shown}); they are shown in {fallback}: add them to i18n/{lang.code}.yaml",
        )
