"""Which tables of words and which CLDR locale serve a language tag: ``zh-TW`` reads the
``zh-hant`` table and writes dates with Babel's ``zh_Hant_TW``, ``pt-BR`` reads ``pt-br``,
then ``pt``.

A table's code is a tag in lower case. A language's own tables, most particular first, are
its tag, then its language with its script, then its language alone. The script is the
tag's own (``zh-Hant-TW``) or else the one CLDR's likely subtags give the tag (``zh-TW`` →
``zh_Hant_TW``, ``zh-HK`` and ``zh-MO`` → ``Hant``; ``zh``, ``zh-CN`` and ``zh-SG`` →
``Hans``), and it is kept only for a language that CLDR itself writes in more than one script
(it has ``zh_Hant`` and ``zh_Hans`` data, as it has ``sr_Latn``, but no ``pt_Latn``): so
``zh-CN`` → ``zh-cn, zh-hans, zh``, ``zh-HK`` → ``zh-hk, zh-hant, zh``, ``pt-PT`` → ``pt-pt,
pt``, ``en`` → ``en``. Babel's data, not a list kept here, decides, so a language CLDR splits
by script tomorrow is handled the same way.

Which way a language is written, when ``site.yaml`` does not say, is CLDR's too
(:func:`direction_of`)."""

from __future__ import annotations

import functools

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.localedata import exists

ENGLISH = "en"


@functools.cache
def table_codes(tag: str) -> tuple[str, ...]:
    """The codes of ``tag``'s own tables, most particular first: ``zh-TW`` → ``zh-tw,
    zh-hant, zh``; ``es-MX`` → ``es-mx, es``."""
    parts = tag.replace("_", "-").split("-")
    language = parts[0].lower()
    codes = [tag.replace("_", "-").lower()]
    script = _script(tag, parts)
    if script and exists(f"{language}_{script}"):
        codes.append(f"{language}-{script.lower()}")
    codes.append(language)
    return tuple(dict.fromkeys(codes))


def lookup_order(language: str, fallback: str | None = None) -> list[str]:
    """The table codes a key is looked for in, first first: the language's own tables, then
    those of ``fallback`` (the site's default language), then English: ``es-mx, es, fr, en``."""
    order: list[str] = []
    for tag in (language, fallback or language, ENGLISH):
        order += [code for code in table_codes(tag) if code not in order]
    return order


@functools.cache
def babel_locale(tag: str) -> Locale:
    """Babel's locale for a BCP 47 tag (``es-MX`` → ``es_MX``, ``zh-TW`` → ``zh_Hant_TW``); an
    unknown one falls back to its language with its script, then its language, then English."""
    for candidate in (*table_codes(tag), ENGLISH):
        try:
            return Locale.parse(candidate.replace("_", "-"), sep="-")
        except (ValueError, TypeError, UnknownLocaleError):
            continue
    raise AssertionError("Babel has no English locale")  # pragma: no cover


def _script(tag: str, parts: list[str]) -> str | None:
    """The tag's script subtag, else the one CLDR's likely subtags give it (or its language)."""
    named = next((p for p in parts[1:] if len(p) == 4 and p.isalpha()), None)
    if named:
        return named.title()
    try:
        script = Locale.parse("-".join(parts), sep="-").script
    except (ValueError, TypeError, UnknownLocaleError):
        script = None
    if script:
        return script
    likely = get_global("likely_subtags").get(parts[0].lower(), "")
    pieces = likely.split("_")
    return pieces[1] if len(pieces) > 2 else None


def direction_of(code: str) -> str:
    """``rtl`` for languages written right to left, from CLDR; ``ltr`` otherwise."""
    try:
        locale = Locale.parse(code, sep="-")
    except (ValueError, UnknownLocaleError):
        return "ltr"
    return "rtl" if locale.character_order == "right-to-left" else "ltr"
