"""The email digest: briefs new or updated since a day, as HTML and plain text, written as two
files (:func:`write_digest`, the ``briefgen digest`` command) or made in memory
(:func:`make_digest`)."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from briefgen.config.overrides import NONE, Overrides
from briefgen.config.values import Config
from briefgen.model.dates import Timestamp
from briefgen.model.diagnostics import ContentError, Diagnostics, UsageError, cannot_write, plural
from briefgen.model.site import Brief, Site, Topic, Update
from briefgen.render.theme import find_theme, make_environment, template_problem

if TYPE_CHECKING:
    from briefgen.pipeline.run import BuildResult

HTML_TEMPLATE = "digest.html"
TEXT_TEMPLATE = "digest.txt"


@dataclass(frozen=True)
class Written:
    """What ``briefgen digest`` wrote: the digest, its two files and the build's warnings."""

    digest: Digest
    html_path: Path
    text_path: Path
    diagnostics: Diagnostics


def write_digest(
    root: Path,
    output: Path,
    since: dt.date,
    *,
    topic: str | None = None,
    lang: str | None = None,
    strict: bool = False,
    jobs: int | None = None,
    overrides: Overrides = NONE,
) -> Written:
    """Build the model of the site at ``root`` (writing no page), make the digest of the
    edition in ``lang`` and write it to ``output`` and, as plain text, beside it (``.txt``),
    both or neither. Raises DigestError for an unusable request, ContentError (or the
    build's ConfigError) for a site that cannot be read or a file that cannot be written."""
    from briefgen.pipeline.build import build
    from briefgen.write.atomic import replace_files

    text_path = output.with_suffix(".txt")
    if output.suffix == ".txt" or output.is_dir():
        raise DigestError(
            f"--output {str(output)!r} must name the HTML file (the text goes "
            f"beside it as {text_path.name})"
        )
    result = build(root, write=False, pages=False, strict=strict, jobs=jobs, overrides=overrides)
    assert result.site is not None  # a build that writes nothing always makes the model
    site, config = _edition(result, lang)
    digest = make_digest(site, config, since, topic)
    try:
        replace_files({output: digest.html.encode(), text_path: digest.text.encode()})
    except OSError as exc:
        result.diagnostics.error("", 0, 0, cannot_write(exc.filename or output, exc))
        raise ContentError(result.diagnostics) from None
    return Written(digest, output, text_path, result.diagnostics)


def _edition(result: BuildResult, code: str | None) -> tuple[Site, Config]:
    """The site model and configuration of the edition in ``code`` (default: the site's
    default language); a DigestError when the site has no such language."""
    editions = result.config.editions()
    if code is None:
        return result.site, editions[0]
    codes = [c.language.lower() for c in editions]
    if code.lower() not in codes or not result.config.languages:
        have = ", ".join(c.language for c in editions)
        raise DigestError(f"--lang {code!r} is not a language of this site ({have})")
    index = codes.index(code.lower())
    return result.sites[index], editions[index]


class DigestError(UsageError):
    """The command line asked for a digest the site cannot give: a usage error."""


@dataclass(frozen=True)
class Entry:
    """One brief in the digest."""

    brief: Brief
    topics: tuple[Topic, ...]  # the brief's topics, in its own order
    changes: tuple[Update, ...] = ()  # its change-log entries since the day, newest first


@dataclass(frozen=True)
class Selection:
    """What the digest covers; the templates get it as ``digest``."""

    since: Timestamp  # a day: the first one covered
    topic: Topic | None  # the one topic asked for, if any
    new: tuple[Entry, ...]  # published on or after ``since``, newest first
    updated: tuple[Entry, ...]  # published before, changed on or after it; latest change first

    @property
    def empty(self) -> bool:
        return not self.new and not self.updated

    @property
    def summary(self) -> str:
        """``2 new briefs and 1 updated brief since 1 February 2025`` (``… in Cartels``)."""
        groups = ((self.new, "new brief"), (self.updated, "updated brief"))
        said = " and ".join(plural(len(entries), words) for entries, words in groups if entries)
        text = f"{said or 'No new or updated briefs'} since {self.since.human()}"
        return f"{text} in {self.topic.title}" if self.topic else text


@dataclass(frozen=True)
class Digest:
    selection: Selection
    html: str
    text: str

    @property
    def new(self) -> int:
        return len(self.selection.new)

    @property
    def updated(self) -> int:
        return len(self.selection.updated)


def make_digest(site: Site, config: Config, since: dt.date, topic: str | None = None) -> Digest:
    """Select the briefs and render both templates of the site's theme.

    Raises DigestError when ``topic`` is not a topic of the site or the site has no absolute
    ``base_url`` (an email's links must be), ContentError when a template fails.
    """
    if not urlsplit(config.absolute_base).scheme:
        raise DigestError(
            f"a digest needs absolute links, but base_url is {config.base_url!r}: set base_url "
            "in site.yaml to the site's address (https://…) or pass --base-url"
        )
    return render(select(site, since, topic), site, config)


def select(site: Site, since: dt.date, topic: str | None = None) -> Selection:
    """New briefs (``date`` on or after ``since``) and updated ones (published before it,
    ``last_modified`` on or after it), each group newest first; ties keep the site's order."""
    chosen = None
    if topic is not None:
        chosen = site.topics_by_slug.get(topic)
        if chosen is None:
            raise DigestError(_unknown_topic(topic, sorted(site.topics_by_slug)))
    briefs = [b for b in site.briefs if chosen is None or chosen.slug in b.topics]
    new = sorted((b for b in briefs if b.date.day >= since), key=lambda b: b.date, reverse=True)
    updated = sorted(
        (b for b in briefs if b.date.day < since and b.last_modified.day >= since),
        key=lambda b: b.last_modified,
        reverse=True,
    )

    def entry(brief: Brief, changes: tuple[Update, ...] = ()) -> Entry:
        topics = tuple(site.topics_by_slug[slug] for slug in brief.topics)
        return Entry(brief, topics, changes)

    def since_then(brief: Brief) -> tuple[Update, ...]:
        return tuple(u for u in brief.updates if u.date.day >= since)

    # a new brief already corrected or updated shows those notes too: a reader who saw it
    # on the site before the digest went out should learn what changed
    return Selection(
        since=Timestamp.from_value(since),
        topic=chosen,
        new=tuple(entry(b, since_then(b)) for b in new),
        updated=tuple(entry(b, since_then(b)) for b in updated),
    )


def render(selection: Selection, site: Site, config: Config) -> Digest:
    """Both templates, looked up like page templates: the site's ``templates/``, the
    theme's, then the default theme's."""
    env = make_environment(find_theme(config), config)
    text_env = env.overlay(autoescape=False)  # plain text: nothing to escape, no entities
    context = {"site": site, "digest": selection}
    try:
        html = env.get_template(HTML_TEMPLATE).render(context)
        text = text_env.get_template(TEXT_TEMPLATE).render(context)
    except Exception as exc:
        diags = Diagnostics()
        if not template_problem(exc, config.root, diags):
            raise
        raise ContentError(diags) from None
    return Digest(selection, html, text)


def _unknown_topic(slug: str, known: list[str]) -> str:
    close = difflib.get_close_matches(slug, known, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown topic {slug!r}{hint}; the site's topics: {', '.join(known) or 'none'}"
