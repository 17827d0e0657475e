"""Type checks for ``site.yaml`` settings, each reporting at the offending key's line."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from briefgen.model.diagnostics import Diagnostics
from briefgen.util import yamlio
from briefgen.util.quoting import quoted

CONFIG_FILE = "site.yaml"
# What `briefgen init` writes when no --base-url is given: a real address, so that the site
# builds, but one that `check` keeps pointing out until it is replaced.
PLACEHOLDER_BASE_URL = "https://example.org/"


class SettingsChecker:
    """Type checks for settings, each reporting at the offending key."""

    def __init__(self, doc: yamlio.Located, diags: Diagnostics) -> None:
        self.doc = doc
        self.diags = diags

    def error(self, path: tuple[Any, ...], message: str) -> None:  # Any: YAML keys, indexes
        """An error at the setting ``path`` (the keys leading to it), at its line."""
        line, col = self.doc.where(path)
        self.diags.error(CONFIG_FILE, line, col, message)

    _error = error  # the name the configuration's own checks call it by

    def unknown(self, path: tuple[Any, ...], known: set[str]) -> None:  # Any: YAML keys
        name = ".".join(str(p) for p in path)
        message = f"unknown setting {name!r}"
        close = difflib.get_close_matches(str(path[-1]), sorted(known), n=1)
        if close:
            message += f"; did you mean {close[0]!r}?"
        line, col = self.doc.where(path)
        self.diags.warning(CONFIG_FILE, line, col, message)

    def text(
        self, data: dict, key: str, default: str = "", required: bool = False, at: tuple = ()
    ) -> str:
        if key not in data or data[key] is None:
            if required:
                self.diags.error(CONFIG_FILE, 1, 1, f"missing required setting {key!r}")
            return default
        value = data[key]
        if not isinstance(value, str) or not value.strip():
            shown = "" if isinstance(value, str) else f", not {quoted(value)}"
            self._error(at + (key,), f"{key!r} must be non-empty text{shown}")
            return default
        return value.strip()

    def base_url(self, data: dict, problem_of: Callable[[str], str | None]) -> str:
        url = self.text(data, "base_url", default="/")
        problem = problem_of(url)
        if problem:
            self._error(("base_url",), problem)
        return url

    def language(self, data: dict) -> str:
        """A BCP 47 tag such as ``en`` or ``es-MX``: it names Pagefind's index files too."""
        tag = self.text(data, "language", default="en")
        if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", tag):
            self._error(
                ("language",),
                f"language {quoted(tag)} is not a language tag such as 'en' or 'es-MX'",
            )
            return "en"
        return tag

    def positive_int(self, data: dict, key: str, default: int, at: tuple = ()) -> int:
        return self._whole(data, key, default, at, 1, "a whole number of at least 1")

    def count(self, data: dict, key: str, default: int, at: tuple = ()) -> int:
        return self._whole(data, key, default, at, 0, "a whole number, 0 or more")

    def _whole(self, data: dict, key: str, default: int, at: tuple, least: int, what: str) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            self._error(at + (key,), f"{key!r} must be {what}, not {quoted(value)}")
            return default
        return value

    def boolean(self, data: dict, key: str, default: bool, at: tuple = ()) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self._error(at + (key,), f"{key!r} must be true or false, not {quoted(value)}")
            return default
        return value

    def mapping(self, data: dict, key: str) -> dict:
        value = data.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self._error((key,), f"{key!r} must be a mapping (key: value), not {quoted(value)}")
            return {}
        return value


def check_base_url_is_absolute(
    url: str, where: tuple[str, int, int], given: bool, diags: Diagnostics
) -> None:
    """Warn when the address a build uses has no scheme and host, or is init's placeholder;
    ``where`` is the setting's place (site.yaml or --base-url), ``given`` whether it was set.

    Feed ids, the sitemap, robots.txt and canonical links are only meaningful as absolute
    URLs; a path builds a site that browses fine and syndicates wrongly, so it is a warning
    (an error with --strict). ``serve`` passes its own address and is exempt.
    """
    if url == PLACEHOLDER_BASE_URL and where[0] == CONFIG_FILE:
        diags.warning(
            *where,
            f"base_url is still the placeholder {quoted(url)} that 'briefgen init' wrote: "
            "set it to the site's address",
        )
    elif not urlsplit(url).netloc:
        what = f"base_url {quoted(url)} has no scheme and host" if given else "no base_url is set"
        diags.warning(
            *where,
            f"{what}: feeds, the sitemap and canonical links need an absolute "
            "URL such as 'https://news.example/briefings/'",
        )
