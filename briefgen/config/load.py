"""Reading ``site.yaml``: the file parsed with positions, every setting checked against its
type (:mod:`briefgen.config.schema`), the command line's overrides applied, the output folder
checked for safety. Every problem is reported with its line."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from briefgen.config.overrides import NONE, Overrides
from briefgen.config.plugins import check_plugins
from briefgen.config.schema import CONFIG_FILE, SettingsChecker, check_base_url_is_absolute
from briefgen.config.values import (
    PROTECTED_DIRS,
    BudgetsConfig,
    ChecksConfig,
    Config,
    EmbedsConfig,
    FeedsConfig,
    MarkdownConfig,
    SearchConfig,
)
from briefgen.languages import language_settings
from briefgen.model.diagnostics import ConfigError, Diagnostics
from briefgen.model.urls import is_within
from briefgen.pictures import IMAGE_KEYS, check_images
from briefgen.util import yamlio
from briefgen.util.quoting import quoted

_TOP_KEYS = {
    "title",
    "description",
    "base_url",
    "language",
    "theme",
    "output_dir",
    "per_page",
    "author",
    "related",
    "git_dates",
    "markdown",
    "feeds",
    "search",
    "embeds",
    "params",
    "budgets",
    "checks",
    "languages",
    "images",
    "social_cards",
    "plugins",
}
_SECTION_KEYS = {
    "markdown": {
        "allow_html",
        "typographer",
        "toc",
        "toc_levels",
        "toc_min_words",
        "link_entities",
    },
    "budgets": {"summary", "why_it_matters", "whats_next", "go_deeper", "image_kb"},
    "images": IMAGE_KEYS,
    "checks": {"sources"},
    "feeds": {"limit"},
    "search": {"enabled", "partition_size"},
    "embeds": {"hosts", "privacy", "links_only"},
}


def load_config(root: Path, overrides: Overrides = NONE) -> tuple[Config, Diagnostics]:
    """Read and validate ``root/site.yaml``; command-line ``overrides`` win over the file.

    Raises :class:`ConfigError` carrying every problem when the configuration is unusable;
    otherwise returns the config and its warnings (unknown keys, a relative ``base_url``).
    """
    diags = Diagnostics()
    root = root.resolve()
    doc = _read(root, diags)
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        diags.error(CONFIG_FILE, 1, 1, "site.yaml must be a mapping of settings (key: value)")
        raise ConfigError(diags)
    values = _settings(SettingsChecker(doc, diags), data)
    if diags.has_errors():
        raise ConfigError(diags)
    values["positions"] = MappingProxyType(
        {k[0]: v for k, v in doc.key_marks.items() if len(k) == 1 and isinstance(k[0], str)}
    )
    if overrides.base_url is not None and (problem := base_url_problem(overrides.base_url)):
        diags.error("--base-url", 0, 0, problem)
        raise ConfigError(diags)
    config = overrides.apply(Config(root=root, **values))
    _check_output_dir(config, diags)
    if diags.has_errors():
        raise ConfigError(diags)
    # only once the settings are usable: a warning about the address adds noise to errors
    if overrides.base_url is not None:
        where: tuple[str, int, int] = ("--base-url", 0, 0)
    else:
        where = (CONFIG_FILE, *(config.where("base_url") if "base_url" in data else (1, 1)))
    check_base_url_is_absolute(
        config.base_url, where, "base_url" in data or "--" in where[0], diags
    )
    return config, diags


def _read(root: Path, diags: Diagnostics) -> yamlio.Located:
    """``site.yaml`` parsed, with the position of every value; a ConfigError if it cannot be."""
    if not root.is_dir():
        diags.error(str(root), 0, 0, "site folder does not exist")
        raise ConfigError(diags)
    try:
        text = (root / CONFIG_FILE).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        diags.error(CONFIG_FILE, 0, 0, f"no {CONFIG_FILE} here: is this a briefgen site?")
        raise ConfigError(diags) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        diags.error(CONFIG_FILE, 0, 0, f"cannot read: {reason}")
        raise ConfigError(diags) from None
    try:
        return yamlio.load(text)
    except yamlio.YamlProblem as exc:
        diags.error(CONFIG_FILE, exc.line, exc.col, exc.message)
        raise ConfigError(diags) from None


def _settings(
    check: SettingsChecker,
    data: dict[Any, Any],  # Any: YAML in, settings out
) -> dict[str, Any]:  # Any: each setting of its own type
    """Every setting of the file checked against its type, defaults filled in; the problems
    go to the checker's collector."""
    for key in sorted(set(data) - _TOP_KEYS, key=str):
        check.unknown((key,), _TOP_KEYS)
    values: dict[str, Any] = {  # Any: each setting of its own type
        "title": check.text(data, "title", required=True),
        "description": check.text(data, "description", default=""),
        "base_url": check.base_url(data, base_url_problem),
        "language": check.language(data),
        "theme": check.text(data, "theme", default="default"),
        "output_dir": check.text(data, "output_dir", default="public"),
        "per_page": check.positive_int(data, "per_page", default=10),
        "author": check.text(data, "author", default=""),
        "related": check.count(data, "related", default=3),
        "git_dates": check.boolean(data, "git_dates", False),
        "social_cards": check.boolean(data, "social_cards", True),
        "params": MappingProxyType(check.mapping(data, "params")),
    }
    values.update(_sections(check, data))
    values["plugin_entries"] = check_plugins(check, data)
    values.update(language_settings(check, data, values, base_url_problem))
    return values


def _sections(
    check: SettingsChecker,
    data: dict[Any, Any],  # Any: YAML in, settings out
) -> dict[str, Any]:  # Any: each setting of its own type
    """The settings grouped under a key (``markdown:``, ``budgets:``, ``feeds:``…)."""
    values: dict[str, Any] = {}  # Any: each setting of its own type
    sections = {}
    for name, known in _SECTION_KEYS.items():
        sections[name] = check.mapping(data, name)
        for key in sorted(set(sections[name]) - known, key=str):
            check.unknown((name, key), known)
    md, at = sections["markdown"], ("markdown",)
    values["markdown"] = MarkdownConfig(
        allow_html=check.boolean(md, "allow_html", False, at),
        typographer=check.boolean(md, "typographer", True, at),
        toc=check.boolean(md, "toc", False, at),
        toc_levels=check.positive_int(md, "toc_levels", 3, at),
        toc_min_words=check.count(md, "toc_min_words", 400, at),
        link_entities=check.boolean(md, "link_entities", False, at),
    )
    budgets, at = sections["budgets"], ("budgets",)
    values["budgets"] = BudgetsConfig(
        **{
            name: check.count(budgets, name, getattr(BudgetsConfig, name), at)
            for name in _SECTION_KEYS["budgets"]
        }
    )
    values["checks"] = ChecksConfig(
        sources=check.boolean(sections["checks"], "sources", True, ("checks",))
    )
    values["feeds"] = FeedsConfig(
        limit=check.positive_int(sections["feeds"], "limit", 20, ("feeds",))
    )
    values["search"] = SearchConfig(
        enabled=check.boolean(sections["search"], "enabled", True, ("search",)),
        partition_size=check.positive_int(sections["search"], "partition_size", 500, ("search",)),
    )
    values["embeds"] = _embeds(check, sections["embeds"])
    values["images"] = check_images(check, sections["images"])
    values["markdown"] = dataclasses.replace(values["markdown"], image_sizes=values["images"].sizes)
    return values


def _embeds(check: SettingsChecker, data: dict[Any, Any]) -> EmbedsConfig:  # Any: YAML
    """``embeds:``: the hosts ``embed`` may frame, each a bare host name."""
    at = ("embeds",)
    hosts = data.get("hosts", [])
    if not isinstance(hosts, list):
        check.error((*at, "hosts"), "embeds.hosts is a list of host names: [www.example.org]")
        hosts = []
    kept = []
    for i, host in enumerate(hosts):
        if not isinstance(host, str) or not _HOST.match(host):
            check.error(
                (*at, "hosts", i),
                f"embeds.hosts: {host!r} is not a host name (datawrapper.dwcdn.net: no https://, no path)",
            )
        else:
            kept.append(host.lower())
    return EmbedsConfig(
        hosts=tuple(kept),
        privacy=check.boolean(data, "privacy", True, at),
        links_only=check.boolean(data, "links_only", False, at),
    )


_HOST = re.compile(
    r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)


def _check_output_dir(config: Config, diags: Diagnostics) -> None:
    """Refuse an output folder whose replacement would destroy the site or anything outside it."""
    line, col = config.where("output_dir")
    if "\x00" in config.output_dir:
        diags.error(CONFIG_FILE, line, col, "output_dir contains a NUL byte")
        return
    out = config.output_path
    bad = ""
    if not config.output_dir.strip():
        bad = "is empty"
    elif out.exists() and not out.is_dir():
        bad = "is an existing file, not a folder"
    elif is_within(config.root, out):
        bad = "is the site folder or contains it"
    elif out.is_dir() and not is_within(out, config.root) and not _looks_like_output(out):
        bad = "is outside the site folder, not empty and holds no index.html"
    elif any(is_within(out, config.root / name) for name in PROTECTED_DIRS):
        bad = "is inside a source folder (content/, themes/, templates/ or static/)"
    elif any(is_within(config.root / name, out) for name in PROTECTED_DIRS):
        bad = "contains a source folder"
    if bad:
        diags.error(
            CONFIG_FILE,
            line,
            col,
            f"output_dir {quoted(config.output_dir, limit=1000)} {bad}; use e.g. 'public'",
        )


def base_url_problem(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme and (parts.scheme not in ("http", "https") or not parts.netloc):
        return f"base_url {quoted(url)} must be an http(s) URL or a path"
    if not parts.scheme and not url.startswith("/"):
        return f"base_url {quoted(url)} must be an absolute URL or start with /"
    if parts.query or parts.fragment:
        return f"base_url {quoted(url)} must not have a query or fragment"
    return None


def _looks_like_output(folder: Path) -> bool:
    """An existing folder outside the site may be replaced only if empty or a built site."""
    return not any(folder.iterdir()) or (folder / "index.html").is_file()
