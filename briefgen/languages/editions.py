"""The editions of a multilingual site: which briefs, topics and entity files each language
publishes, where links between them lead, and which briefs a language borrows from the
default one. No I/O.

- A brief is published in its own language only. A language configured with
  ``fallback: true`` also lists (on its home, topic and archive pages) the default
  language's briefs that have no edition in it; they link to their own page, which stays
  in the default language.
- A topic or entity file not translated into a language is borrowed from the default
  language: the page exists in every language, its text in the default one until the
  translation is written (``check`` says so).
- A link in a body to another brief's file (``other.md``) leads to that brief's edition in
  the linking file's language when there is one, else to the brief in its own language
  (``check`` warns: the reader changes language).

A site with one language has one edition with every file, built as before.

What each edition's configuration has of its own (its code, title, prefix, address and
direction) is :func:`edition_settings`, which ``Config.editions()`` applies. This module reads
a configuration only through :class:`Edition`, the part of it that concerns languages.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from briefgen.languages.files import Translations, split_name, stem_of, translations
from briefgen.model.language import Language
from briefgen.model.meta import BriefMeta, EntityMeta, TopicMeta
from briefgen.model.rendered import file_names
from briefgen.model.site import Brief, Site
from briefgen.model.urls import brief_path, slug_from_filename, topic_path

# Output folders every language's edition shares: their addresses take no language prefix.
SHARED = ("static/", "pagefind/", "media/")

E = TypeVar("E", bound="Edition")


class Edition(Protocol):
    """What this package reads of an edition's configuration
    (:class:`briefgen.config.values.Config`, a later stage's type): the site's languages, the
    edition's own, and the addresses of its pages."""

    @property
    def language(self) -> str: ...  # the edition's code

    @property
    def languages(self) -> tuple[Language, ...]: ...  # the default first; () for one language

    @property
    def default_language(self) -> str: ...

    @property
    def edition(self) -> Language | None: ...  # the edition's language, on a multilingual site

    @property
    def shared_base(self) -> str: ...  # "" unless the edition has a host of its own

    def editions(self: E) -> tuple[E, ...]: ...

    def url(self, path: str) -> str: ...

    def permalink(self, path: str) -> str: ...


@dataclass(frozen=True)
class EditionFiles(Generic[E]):
    """The content files of one language's edition."""

    config: E
    briefs: list[BriefMeta]  # every brief of the language that validated, published or not
    topics: list[TopicMeta]  # its own, then the default language's it has no edition of
    entities: list[EntityMeta]
    borrowed: frozenset[str] = frozenset()  # topic and entity files of another language


def edition_settings(
    languages: Sequence[Language], base_url: str, absolute_base: str
) -> list[dict[str, str]]:
    """The settings of each language's edition that differ from the site's, by name, the
    default language's first: its code, title, description, prefix and direction, and its
    own ``base_url`` when it has a host of its own (the files every language shares then
    stay at the site's ``absolute_base``: ``shared_base``)."""
    out = []
    for lang in languages:
        own = bool(lang.base_url) and not lang.default
        out.append(
            {
                "language": lang.code,
                "title": lang.title,
                "description": lang.description,
                "prefix": lang.prefix,
                "base_url": lang.base_url if own else base_url,
                "direction": lang.dir,
                "shared_base": absolute_base if own else "",
            }
        )
    return out


def codes(config: Edition) -> tuple[str, ...]:
    """The codes of the site's languages, the default first; () for a site with one."""
    return tuple(lang.code for lang in config.languages)


def of_briefs(config: Edition, briefs: Sequence[BriefMeta]) -> Translations:
    """The language and translation group of every brief (one group per file without
    ``languages:``)."""
    if not config.languages:
        return Translations(config.language)
    return translations(
        ((m.path, m.translation_key) for m in briefs), codes(config), config.default_language
    )


def split(
    config: E,
    briefs: list[BriefMeta],
    topics: list[TopicMeta],
    entities: list[EntityMeta],
    found: Translations,
) -> list[EditionFiles[E]]:
    """The files of each edition, the default language's first."""
    if not config.languages:
        return [EditionFiles(config, briefs, topics, entities)]
    names = codes(config)
    default = config.default_language

    def lang(path: str) -> str:
        return split_name(path, names)[1] or default

    out = []
    for edition in config.editions():
        code = edition.language
        own = [own_slug(m, names) for m in briefs if found.of(m.path) == code]
        own_topics = [t for t in topics if lang(t.path) == code]
        own_entities = [e for e in entities if lang(e.path) == code]
        have = {t.slug for t in own_topics}
        borrowed_topics = [t for t in topics if lang(t.path) == default and t.slug not in have]
        have_e = {(e.kind, e.slug) for e in own_entities}
        borrowed_entities = [
            e for e in entities if lang(e.path) == default and (e.kind, e.slug) not in have_e
        ]
        borrowed = frozenset(x.path for x in [*borrowed_topics, *borrowed_entities])
        out.append(
            EditionFiles(
                edition,
                own,
                sorted([*own_topics, *borrowed_topics], key=lambda t: t.path),
                sorted([*own_entities, *borrowed_entities], key=lambda e: e.path),
                borrowed,
            )
        )
    return out


def own_slug(meta: BriefMeta, names: tuple[str, ...]) -> BriefMeta:
    """A translation without ``slug:`` takes its original's: ``x.es.md`` is ``x``."""
    if meta.slug_line != (1, 1):
        return meta
    slug = slug_from_filename(stem_of(meta.path, names))
    return meta if not slug or slug == meta.slug else dataclasses.replace(meta, slug=slug)


def link_targets(
    editions: Sequence[tuple[Edition, list[BriefMeta], list[TopicMeta]]],
    here: int,
    found: Translations,
    all_briefs: list[BriefMeta],
) -> dict[str, str]:
    """Content path → page URL for the links of the bodies of edition ``here``: every brief
    at its own page, a brief translated into this edition's language at its translation,
    and every topic file at this edition's topic page. Plus ``name:<file name>`` → content
    path for each uniquely named brief file."""
    config = editions[here][0]
    targets: dict[str, str] = {}
    for edition, metas, _ in editions:
        targets.update({m.path: edition.url(brief_path(m.slug)) for m in metas})
    if config.languages:
        for path in list(targets):
            other = found.translation(path, config.language)
            if other is not None and other in targets:
                targets[path] = targets[other]
    for _, _, topics in editions:
        targets.update({t.path: config.url(topic_path(t.slug)) for t in topics})
    targets.update({t.path: config.url(topic_path(t.slug)) for t in editions[here][2]})
    targets.update(file_names(m.path for m in all_briefs))
    return targets


def behind(config: Edition, found: Translations, default: Site, briefs: list[Brief]) -> list[Brief]:
    """Translations whose original changed after them carry the original's page, language
    and last change, for the notice on their page (and their page is made again)."""
    originals = {b.source_path: b for b in default.briefs}
    lang = config.languages[0]
    out = []
    for brief in briefs:
        original = originals.get(found.original(brief.source_path) or "")
        if original is not None and original.last_modified.moment > brief.last_modified.moment:
            brief = dataclasses.replace(
                brief,
                original_url=original.url,
                original_code=lang.code,
                original_language=lang.name,
                original_updated=original.last_modified,
                fingerprint=f"{brief.fingerprint}|behind:{original.last_modified!r}|{original.url}",
            )
        out.append(brief)
    return out


def fallback(config: Edition, found: Translations, default: Site) -> list[Brief]:
    """The default edition's briefs a language with ``fallback: true`` lists, having no
    edition of them in its own language."""
    lang = config.edition
    if lang is None or not lang.fallback:
        return []
    return [b for b in default.briefs if found.translation(b.source_path, config.language) is None]
