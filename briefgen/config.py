"""``site.yaml`` → a frozen, validated :class:`Config`; every problem is reported with its line."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from briefgen.model.diagnostics import ConfigError, Diagnostics
from briefgen.model.urls import base_path_of, is_within
from briefgen.settings import CONFIG_FILE, SettingsChecker, check_base_url_is_absolute
from briefgen.util import yamlio
from briefgen.util.quoting import quoted

# Folders of a site that must never be replaced by the output folder.
PROTECTED_DIRS = ("content", "themes", "templates", "static")


@dataclass(frozen=True)
class MarkdownConfig:
    allow_html: bool = False  # raw HTML in briefs is escaped unless this is set
    typographer: bool = True  # smart quotes, dashes and ellipses
    toc: bool = False  # a table of contents on every brief (a brief's own `toc:` wins)
    toc_levels: int = 3  # deepest heading level listed in a table of contents
    toc_min_words: int = 400  # otherwise, briefs this long with 2+ headings get one (0: never)
    link_entities: bool = False  # link a brief's people, organizations, places on first mention


@dataclass(frozen=True)
class BudgetsConfig:
    """How long the structured sections may be before ``check`` warns (0: no limit)."""

    summary: int = 60  # words: the dek on index pages and in feeds
    why_it_matters: int = 40  # words: one or two sentences
    whats_next: int = 60  # words
    go_deeper: int = 5  # links: a list of links is measured in links


@dataclass(frozen=True)
class ChecksConfig:
    """Editorial rules that a site may turn off."""

    sources: bool = True  # warn about briefs without sources and sources never cited


@dataclass(frozen=True)
class FeedsConfig:
    limit: int = 20  # entries per feed, newest first


@dataclass(frozen=True)
class SearchConfig:
    enabled: bool = True  # build a Pagefind index and the /search/ page


@dataclass(frozen=True)
class Config:
    root: Path  # the site root, absolute
    title: str
    description: str = ""
    base_url: str = "/"  # absolute URL or a path; may include a subpath
    language: str = "en"
    theme: str = "default"
    output_dir: str = "public"
    per_page: int = 10
    author: str = ""  # named in feeds; defaults to the site title there
    related: int = 3  # related briefs listed under each brief (0: none)
    git_dates: bool = False  # a brief without `updated` takes its last commit date
    markdown: MarkdownConfig = field(default_factory=MarkdownConfig)
    feeds: FeedsConfig = field(default_factory=FeedsConfig)
    search: SearchConfig = field(default_factory=SearchConfig)
    budgets: BudgetsConfig = field(default_factory=BudgetsConfig)
    checks: ChecksConfig = field(default_factory=ChecksConfig)
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    # set from the command line, not from site.yaml
    drafts: bool = False  # include `draft: true` briefs
    future: bool = False  # include briefs dated after `now`
    expired: bool = False  # include briefs whose `expires` has passed
    now: dt.datetime = field(default_factory=lambda: build_time(), compare=False)
    positions: Mapping[str, tuple[int, int]] = field(
        default_factory=lambda: MappingProxyType({}), compare=False, repr=False
    )  # (line, col) of each top-level key in site.yaml, for later stages' messages

    def where(self, key: str) -> tuple[int, int]:
        return self.positions.get(key, (0, 0))

    @property
    def base_path(self) -> str:
        """The path every internal link starts with, e.g. ``/briefings/``."""
        return base_path_of(self.base_url)

    @property
    def absolute_base(self) -> str:
        """``base_url`` when absolute, else the base path (links can then only be relative)."""
        url = self.base_url if self.base_url.endswith("/") else self.base_url + "/"
        return url if urlsplit(url).scheme else self.base_path

    @property
    def site_host(self) -> str:
        """The host of an absolute ``base_url`` (``example.org``), else empty."""
        return urlsplit(self.base_url).netloc.lower()

    @property
    def output_path(self) -> Path:
        return (self.root / self.output_dir).resolve()

    def with_overrides(self, **changes: Any) -> Config:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


_TOP_KEYS = {
    "title", "description", "base_url", "language", "theme", "output_dir", "per_page",
    "author", "related", "git_dates", "markdown", "feeds", "search", "params", "budgets", "checks",
}  # fmt: skip
_SECTION_KEYS = {
    "markdown": {
        "allow_html",
        "typographer",
        "toc",
        "toc_levels",
        "toc_min_words",
        "link_entities",
    },
    "budgets": {"summary", "why_it_matters", "whats_next", "go_deeper"},
    "checks": {"sources"},
    "feeds": {"limit"},
    "search": {"enabled"},
}


def load_config(root: Path, **overrides: Any) -> tuple[Config, Diagnostics]:
    """Read and validate ``root/site.yaml``; command-line ``overrides`` win over the file.

    Raises :class:`ConfigError` carrying every problem when the configuration is unusable;
    otherwise returns the config and its warnings (unknown keys).
    """
    diags = Diagnostics()
    root = root.resolve()
    path = root / CONFIG_FILE
    if not root.is_dir():
        diags.error(str(root), 0, 0, "site folder does not exist")
        raise ConfigError(diags)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        diags.error(CONFIG_FILE, 0, 0, f"no {CONFIG_FILE} here: is this a briefgen site?")
        raise ConfigError(diags) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        diags.error(CONFIG_FILE, 0, 0, f"cannot read: {reason}")
        raise ConfigError(diags) from None
    try:
        doc = yamlio.load(text)
    except yamlio.YamlProblem as exc:
        diags.error(CONFIG_FILE, exc.line, exc.col, exc.message)
        raise ConfigError(diags) from None
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        diags.error(CONFIG_FILE, 1, 1, "site.yaml must be a mapping of settings (key: value)")
        raise ConfigError(diags)

    check = SettingsChecker(doc, diags)
    for key in sorted(set(data) - _TOP_KEYS, key=str):
        check.unknown((key,), _TOP_KEYS)
    values: dict[str, Any] = {
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
        "params": MappingProxyType(check.mapping(data, "params")),
    }
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
        }  # fmt: skip
    )
    values["checks"] = ChecksConfig(
        sources=check.boolean(sections["checks"], "sources", True, ("checks",))
    )
    values["feeds"] = FeedsConfig(
        limit=check.positive_int(sections["feeds"], "limit", 20, ("feeds",))
    )
    values["search"] = SearchConfig(
        enabled=check.boolean(sections["search"], "enabled", True, ("search",))
    )
    if diags.has_errors():
        raise ConfigError(diags)
    values["positions"] = MappingProxyType(
        {k[0]: v for k, v in doc.key_marks.items() if len(k) == 1 and isinstance(k[0], str)}
    )
    if overrides.get("base_url") is not None:
        problem = base_url_problem(overrides["base_url"])
        if problem:
            diags.error("--base-url", 0, 0, problem)
            raise ConfigError(diags)
    config = Config(root=root, **values).with_overrides(**overrides)
    _check_output_dir(config, diags)
    if diags.has_errors():
        raise ConfigError(diags)
    # only once the settings are usable: a warning about the address adds noise to errors
    if overrides.get("base_url") is not None:
        where: tuple[str, int, int] = ("--base-url", 0, 0)
    else:
        where = (CONFIG_FILE, *(config.where("base_url") if "base_url" in data else (1, 1)))
    check_base_url_is_absolute(
        config.base_url, where, "base_url" in data or "--" in where[0], diags
    )
    return config, diags


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


def build_time() -> dt.datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` when set: what "future" and "expired" are measured against,
    so that a build can be repeated exactly (the reproducible-builds convention)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc)


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
