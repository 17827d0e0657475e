"""One language of a multilingual site, as ``languages:`` in ``site.yaml`` gives it: a value
the configuration holds and every stage may read. Checking the setting, and everything a
build does with a site's languages, is :mod:`briefgen.languages`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    """One language of a multilingual site (``languages:`` in ``site.yaml``)."""

    code: str  # BCP 47: en, es, es-MX
    name: str  # as its readers write it: Español
    title: str  # the site's title in this language
    description: str = ""
    prefix: str = ""  # folder of its pages in the output: "" for the default, else "es/"
    base_url: str = ""  # its own address (a separate host), when it has one
    default: bool = False
    fallback: bool = False  # its lists also show briefs not translated into it
    dir: str = "ltr"  # rtl for right-to-left scripts
