"""Helpers shared by the adversarial tests: quick sites, diagnostics, snapshots of what is on
disk outside the output, and a checker that finds live markup in a built site."""

from __future__ import annotations

import json
import os
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

from conftest import REPO, SITE_YAML, Run, topic

# Pagefind is left out where a test is not about search: an in-process build then takes a
# few hundredths of a second instead of a few tenths.
FAST_SITE = SITE_YAML + "search:\n  enabled: false\n"
TOPIC = {"content/topics/cartels.md": topic()}
CACHE_DIR = ".briefgen-cache"
LOCK = ".public.lock"  # the lock file a build keeps beside its output (documented)


def build(cli: Callable[..., Run], root: Path, *extra: object, expect: int) -> Run:
    """``briefgen build`` in-process; checks the exit status and that nothing crashed."""
    run = cli("build", "--source", root, *extra)
    assert run.code == expect, f"exit {run.code}, expected {expect}\n{run.err}"
    assert "Traceback" not in run.err + run.out
    return run


def diagnostic(run: Run, path: str, line: int | None, *words: str, severity: str = "error") -> str:
    """The diagnostic line at ``path:line`` (any column; any line when ``line`` is None)
    holding every word in ``words`` (case-insensitive)."""
    where = re.escape(path) + (rf":{line}:\d+" if line is not None else r"(?::\d+:\d+)?")
    pattern = re.compile(rf"^{where}: {severity}: (.*)$")
    found = [m for m in map(pattern.match, run.err.splitlines()) if m]
    assert found, f"no {severity} at {path}:{line} in\n{run.err}"
    for match in found:
        if all(w.lower() in match.group(1).lower() for w in words):
            return match.group(0)
    raise AssertionError(f"no {severity} at {path}:{line} with {words} in\n{run.err}")


def summary(run: Run) -> str:
    """The ``N errors, M warnings`` line (``N errors`` alone under ``--strict``)."""
    return next(
        line
        for line in run.err.splitlines()
        if re.match(r"^[\d,]+ errors?(, [\d,]+ warnings?)?( |$)", line)
    )


def snapshot(base: Path, *skip: Path) -> dict[str, bytes | str]:
    """Every file, folder and symbolic link under ``base`` except inside ``skip``: relative path
    → contents (files), "<dir>" or "-> target"; symbolic links are not followed."""
    skipped = {os.path.realpath(s) for s in skip}
    seen: dict[str, bytes | str] = {}
    for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
        dirnames[:] = [
            d for d in dirnames if os.path.realpath(os.path.join(dirpath, d)) not in skipped
        ]
        for name in dirnames + filenames:
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, base)
            if os.path.islink(full):
                seen[rel] = "-> " + os.readlink(full)
            elif os.path.isdir(full):
                seen[rel] = "<dir>"
            else:
                with open(full, "rb") as handle:
                    seen[rel] = handle.read()
    return seen


def written_outside(before: dict, after: dict, allowed: set[str] = frozenset()) -> list[str]:
    """What changed between two snapshots, apart from ``allowed`` paths and the build cache
    (``.briefgen-cache/`` in the site folder, documented)."""
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    return sorted(k for k in changed - set(allowed) if CACHE_DIR not in k.split("/"))


# ---- live markup -------------------------------------------------------------------------

_URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset"}
_BAD_TAGS = {
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "frame",
    "frameset",
    "base",
    "meta-refresh",
}
_SAFE_DATA = re.compile(r"^data:image/(gif|png|jpeg|webp)[;,]")


def dangerous_url(value: str) -> bool:
    """Whether a browser would run ``value`` (an attribute value, entities already decoded
    once, as a browser does): control characters and spaces are dropped, case ignored."""
    v = "".join(c for c in value if c > " " and c != "\x7f").lower()
    if v.startswith("data:"):
        return not _SAFE_DATA.match(v)
    return v.startswith(("javascript:", "vbscript:", "file:", "livescript:", "mocha:"))


class LiveMarkup(HTMLParser):
    def __init__(self, script_prefixes: tuple[str, ...]) -> None:
        super().__init__(convert_charrefs=True)
        self.script_prefixes = script_prefixes
        self.problems: list[str] = []
        self._in_script = False
        self._data: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BAD_TAGS:
            self.problems.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> event handler")
            if name in _URL_ATTRS and value and dangerous_url(value):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "script" and dict(attrs).get("type") == "application/ld+json":
            self._data = []  # JSON-LD: data, not code; checked whole at the end tag
        elif tag == "script":
            src = dict(attrs).get("src") or ""
            if not src.startswith(self.script_prefixes):
                self.problems.append(f"<script src={src!r}> not one of the theme's")
            self._in_script = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._data is not None:
            text, self._data = "".join(self._data), None
            try:
                json.loads(text)
            except ValueError:
                self.problems.append(f"JSON-LD that is not JSON {text[:60]!r}")
            if "<" in text:  # the generator escapes every < so nothing can close the element
                self.problems.append(f"JSON-LD with a raw '<' {text[:60]!r}")
        elif tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._data is not None:
            self._data.append(data)
        elif self._in_script and data.strip():
            self.problems.append(f"inline script {data.strip()[:60]!r}")


def live_markup(public: Path, base_path: str = "/briefings/") -> list[str]:
    """Every place in a built site where text from a brief became markup a browser would run.

    HTML: no event handler attributes, no iframe/object/embed/svg, no inline scripts or
    scripts other than the theme's and Pagefind's, no javascript:/vbscript:/data: URLs.
    XML (feeds, sitemap): well-formed and without any element named script.
    JSON: valid, and its HTML fields checked like pages.
    """
    prefixes = (base_path + "static/js/", base_path + "pagefind/")
    problems = []
    for path in sorted(public.rglob("*")):
        rel = path.relative_to(public).as_posix()
        if path.suffix == ".html":
            checker = LiveMarkup(prefixes)
            checker.feed(path.read_text(encoding="utf-8"))
            checker.close()
            problems += [f"{rel}: {p}" for p in checker.problems]
        elif path.suffix == ".xml":
            data = path.read_bytes()
            try:
                ET.fromstring(data)
            except ET.ParseError as exc:
                problems.append(f"{rel}: not well-formed XML ({exc})")
            if re.search(rb"<\s*script", data, re.I):
                problems.append(f"{rel}: a script element")
        elif path.suffix == ".json" and "pagefind" not in rel:
            feed = json.loads(path.read_text(encoding="utf-8"))
            for item in feed.get("items", []):
                checker = LiveMarkup(prefixes)
                checker.feed(item.get("content_html", ""))
                problems += [f"{rel} content_html: {p}" for p in checker.problems]
    return problems


# ---- Markdown and subprocesses -------------------------------------------------------------


def render_body(body: str, allow_html: bool = False) -> tuple[str, list]:
    """A brief's body through briefgen's own Markdown renderer: (html, diagnostics)."""
    from briefgen.config.values import MarkdownConfig
    from briefgen.markdown.links import Resolver
    from briefgen.markdown.renderer import render
    from briefgen.model.diagnostics import Diagnostics

    diags = Diagnostics()
    rendered = render(
        body,
        path="content/briefs/x.md",
        body_line=8,
        options=MarkdownConfig(allow_html=allow_html),
        resolver=Resolver(),
        diags=diags,
    )
    return rendered.html, diags.items


def briefgen_command(*args: object) -> list[str]:
    return [sys.executable, "-m", "briefgen", *map(str, args)]


def subprocess_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1", **extra}
    env.pop("PYTHONWARNINGS", None)
    return env
