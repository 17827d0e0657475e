"""The languages of a site, behind one package: every stage calls it, and no module outside it
knows how a multilingual site is made.

=============  ================================================================================
module         what it holds
=============  ================================================================================
``settings``   ``languages:`` in ``site.yaml`` checked at its lines; the site's language and
               direction; the command line's overrides of the languages
``locales``    which tables of words and which CLDR locale a language tag reads; which way a
               language is written
``files``      which language a content file is in (``x.es.md``), and which files translate
               one another (:class:`Translations`)
``editions``   each language's edition: its files, the files it borrows, where the links of
               its bodies lead, translations behind their original, the briefs a language with
               ``fallback`` lists; what each edition's configuration has of its own
``links``      every page tied to its translations once every edition is planned: hreflang,
               the language switcher, the pages the sitemap lists
``checks``     the translation desk's checks and the coverage ``check --translations`` prints
``marks``      the ``TRANSLATE:`` mark: put on a new translation's texts, found on a published one
``tables``     the theme's and the site's word files read into tables (:class:`Catalog`)
``words``      one language's words, dates and numbers, as templates use them (:class:`Strings`)
=============  ================================================================================

The package sits low in the order of the stages (after ``plugins``, before ``config``), so
that every stage may call it; so it imports only ``util``, ``model``, ``plugins`` and itself.
Where the code forced a choice:

- A configuration is read through :class:`Edition`, the part of ``Config`` that concerns
  languages (a protocol, not an import of the later ``config`` package), and the settings
  through :class:`~briefgen.languages.settings.Checker`, the part of config's checker the
  settings use. ``Config`` keeps its values and methods (``languages``, ``editions()``,
  ``url``) and asks this package what differs by language (:func:`language_settings`,
  :func:`edition_settings`, :data:`SHARED`).
- The values the stages pass on live in ``model/``: ``Language`` (``model/language.py``),
  ``PageJob`` (``model/output.py``), and the file-name keys of link targets
  (``model/rendered.py``).
- What needs a later stage's types stays there, as a thin caller of this package: the
  pipeline runs every edition with its cache and theme (``pipeline/editions.py``, which also
  reads the theme's words for ``check --translations``), ties the planned pages together
  (``pipeline/planning.py``), and reads the tables of the site's theme (``render/theme.py``);
  ``commands/translate.py`` writes a translation's file, and the command line prints the
  coverage.

Other modules import from ``briefgen.languages``, never from its modules. Its words and
tables (Babel's dates and numbers, Markup) load only when first asked for, as pages are made:
a build with nothing to do never needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from briefgen.languages.checks import Coverage, check_translations, check_words
from briefgen.languages.editions import (
    SHARED,
    Edition,
    EditionFiles,
    behind,
    codes,
    edition_settings,
    fallback,
    link_targets,
    of_briefs,
    own_slug,
    split,
)
from briefgen.languages.files import Translations, split_name, stem_of, translations
from briefgen.languages.links import EDITION_KEYS, Alternate, link_translations
from briefgen.languages.locales import babel_locale, direction_of
from briefgen.languages.marks import MARK, marked, still_marked
from briefgen.languages.settings import language_settings, with_overrides

if TYPE_CHECKING:
    from briefgen.languages.tables import Catalog, ThemeWords
    from briefgen.languages.words import Strings, UnknownString

# loaded when first asked for: name → the module of this package that holds it
_LATER = {
    "Catalog": "tables",
    "ThemeWords": "tables",
    "Strings": "words",
    "UnknownString": "words",
}

__all__ = [
    "EDITION_KEYS",
    "MARK",
    "SHARED",
    "Alternate",
    "Catalog",
    "Coverage",
    "Edition",
    "EditionFiles",
    "Strings",
    "ThemeWords",
    "Translations",
    "UnknownString",
    "babel_locale",
    "direction_of",
    "behind",
    "check_translations",
    "check_words",
    "codes",
    "edition_settings",
    "fallback",
    "language_settings",
    "link_targets",
    "link_translations",
    "marked",
    "of_briefs",
    "own_slug",
    "split",
    "split_name",
    "stem_of",
    "still_marked",
    "translations",
    "with_overrides",
]


def __getattr__(name: str) -> Any:  # Any: whichever value of the package is asked for
    if name not in _LATER:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_LATER[name]}"), name)
    globals()[name] = value
    return value
