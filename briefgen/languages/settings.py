"""``languages:`` in ``site.yaml``: the languages of a multilingual site, each checked at its
line.

::

    language: en          # the default language (else the one marked default: true, else the first)
    languages:
      en:
        name: English
      es:
        name: Español
        title: Drones sobre México
        description: Informes breves y con fuentes sobre …
        prefix: es        # its pages under /es/ (the default: its code in lower case)
        base_url: https://es.example.org/   # or its own host instead of a prefix
        fallback: true    # its lists also show briefs that exist in another language only
        dir: rtl          # right to left; the default comes from the language's CLDR data

The default language's pages stay at the site's root, as they are without ``languages:``;
every other language's pages go to a folder named by its prefix. A site without
``languages:`` has one language, ``language:``, and is built exactly as before.

The configuration (:mod:`briefgen.config.load`) calls :func:`language_settings` with its
checker and takes the languages, the site's language and its direction from it; the command
line's overrides of the languages are :func:`with_overrides`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any, Protocol

from briefgen.languages.editions import SHARED
from briefgen.languages.locales import direction_of
from briefgen.model.language import Language
from briefgen.util.quoting import quoted

LANGUAGE_KEYS = {"name", "title", "description", "prefix", "base_url", "default", "fallback", "dir"}
TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
PREFIX = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# folders of the default language's pages and of shared files: a prefix must not be one
TAKEN = {
    "briefs",
    "topics",
    "archive",
    "timeline",
    "corrections",
    "search",
    "stories",
    "people",
    "organizations",
    "places",
    *(s.rstrip("/") for s in SHARED),
}


class Checker(Protocol):
    """What this module asks of the configuration's checker
    (:class:`briefgen.config.schema.SettingsChecker`): each problem reported at its key's line."""

    def _error(self, path: tuple[Any, ...], message: str) -> None: ...  # Any: YAML keys

    def unknown(self, path: tuple[Any, ...], known: set[str]) -> None: ...  # Any: YAML keys

    def text(
        self,
        data: dict[Any, Any],  # Any: values as site.yaml gives them
        key: str,
        default: str = "",
        required: bool = False,
        at: tuple[Any, ...] = (),  # Any: YAML keys
    ) -> str: ...

    def boolean(
        self,
        data: dict[Any, Any],  # Any: values as site.yaml gives them
        key: str,
        default: bool,
        at: tuple[Any, ...] = (),  # Any: YAML keys
    ) -> bool: ...


def language_settings(
    check: Checker,
    data: dict[Any, Any],  # Any: values as site.yaml gives them
    values: dict[str, Any],  # Any: the settings checked so far, of their own types
    problem_of: Callable[[str], str | None],
) -> dict[str, Any]:  # Any: the settings of the configuration this sets, by name
    """``languages`` (the site's languages, the default first; () without the setting), the
    site's ``language`` (the default one's code, when there are several) and its
    ``direction``: the default language's ``dir``, else that of the one ``language``, from
    CLDR (a site in Arabic alone is right to left as much as its Arabic edition would be)."""
    languages = check_languages(check, data, values, problem_of)
    if not languages:
        return {"languages": (), "direction": direction_of(values["language"])}
    return {"languages": languages, "language": languages[0].code, "direction": languages[0].dir}


def with_overrides(
    languages: tuple[Language, ...], base_url: bool, title: str | None
) -> tuple[Language, ...]:
    """The languages under the command line's overrides (the dev server's): one address for
    every language when ``base_url`` is given, and ``title`` the default language's."""
    return tuple(
        replace(
            lang,
            base_url="" if base_url else lang.base_url,
            title=title if title is not None and lang.default else lang.title,
        )
        for lang in languages
    )


def check_languages(
    check: Checker,
    data: dict[Any, Any],  # Any: values as site.yaml gives them
    values: dict[str, Any],  # Any: the settings checked so far, of their own types
    problem_of: Callable[[str], str | None],
) -> tuple[Language, ...]:
    """The languages of ``data["languages"]``, the default first; () without the setting.
    ``values`` are the site's other settings (title, description, language)."""
    raw = data.get("languages")
    if raw is None:
        return ()
    if not isinstance(raw, dict) or not raw:
        check._error(
            ("languages",),
            "'languages' must map each language code to its settings, "
            f"e.g. 'es: {{name: Español}}', not {quoted(raw)}",
        )
        return ()
    found: list[Language] = []
    for code, entry in raw.items():
        lang = _language(check, code, entry, values, problem_of)
        if lang is not None:
            found.append(lang)
    if not found:
        return ()
    marked = [lang for lang in found if lang.default]
    if len(marked) > 1:
        check._error(
            ("languages", marked[1].code, "default"),
            f"only one language may be the default; {marked[0].code} already is",
        )
    named = "language" in data and values["language"] in {lang.code for lang in found}
    if "language" in data and not named and not marked:
        check._error(
            ("language",),
            f"language {quoted(values['language'])} is not one of "
            f"'languages': {', '.join(lang.code for lang in found)}",
        )
    default = (
        marked[0]
        if marked
        else next((lang for lang in found if named and lang.code == values["language"]), found[0])
    )
    ordered = [default, *(lang for lang in found if lang is not default)]
    out = [_with_default(lang, lang is default) for lang in ordered]
    prefixes: dict[str, str] = {}
    for lang in out[1:]:
        other = prefixes.setdefault(lang.prefix, lang.code)
        if other != lang.code:
            check._error(
                ("languages", lang.code, "prefix"),
                f"prefix {lang.prefix.rstrip('/')!r} is already {other}'s",
            )
    return tuple(out)


def _with_default(lang: Language, default: bool) -> Language:
    return replace(lang, default=default, prefix="" if default else lang.prefix)


def _language(
    check: Checker,
    code: Any,  # Any: values as site.yaml gives them
    entry: Any,  # Any: values as site.yaml gives them
    values: dict[str, Any],  # Any: the settings checked so far, of their own types
    problem_of: Callable[[str], str | None],
) -> Language | None:
    at = ("languages", code)
    if not isinstance(code, str) or not TAG.fullmatch(code):
        check._error(at, f"{quoted(code)} is not a language tag such as 'en' or 'es-MX'")
        return None
    if entry is None:
        entry = {}
    if not isinstance(entry, dict):
        check._error(
            at, f"language {code!r} must be a mapping of its settings, not {quoted(entry)}"
        )
        return None
    for key in sorted(set(entry) - LANGUAGE_KEYS, key=str):
        check.unknown((*at, key), LANGUAGE_KEYS)
    prefix = _prefix(check, entry, code)
    base_url = check.text(entry, "base_url", default="", at=at)
    if base_url:
        problem = problem_of(base_url)
        if problem is None and not base_url.startswith(("http://", "https://")):
            problem = f"base_url {quoted(base_url)} of a language must be an http(s) URL"
        if problem:
            check._error((*at, "base_url"), problem)
            base_url = ""
    direction = entry.get("dir", direction_of(code))
    if direction not in ("ltr", "rtl"):
        check._error((*at, "dir"), f"'dir' must be ltr or rtl, not {quoted(direction)}")
        direction = "ltr"
    return Language(
        code=code,
        name=check.text(entry, "name", default=code, at=at),
        title=check.text(entry, "title", default=values["title"], at=at),
        description=check.text(entry, "description", default=values["description"], at=at),
        prefix=prefix,
        base_url=base_url if base_url.endswith("/") or not base_url else base_url + "/",
        default=check.boolean(entry, "default", False, at),
        fallback=check.boolean(entry, "fallback", False, at),
        dir=direction,
    )


def _prefix(
    check: Checker,
    entry: dict[Any, Any],  # Any: values as site.yaml gives them
    code: str,
) -> str:
    at = ("languages", code, "prefix")
    prefix = entry.get("prefix", code.lower())
    if not isinstance(prefix, str) or not PREFIX.fullmatch(prefix.strip("/")):
        check._error(at, f"'prefix' must be one folder name such as 'es', not {quoted(prefix)}")
        return code.lower() + "/"
    prefix = prefix.strip("/")
    if prefix in TAKEN:
        check._error(at, f"prefix {prefix!r} is a folder of the site's own pages; choose another")
    return prefix + "/"
