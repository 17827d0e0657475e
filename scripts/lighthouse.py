#!/usr/bin/env python3
"""Run Google Lighthouse on pages of a built briefgen site and print its four category scores.

    scripts/lighthouse.py BUILT_SITE [--base-path /briefings/] PAGE [PAGE ...]
                          [--min 100] [--out DIR] [--desktop]

BUILT_SITE is the output of `briefgen build` for a base URL whose path is --base-path. It is
served on 127.0.0.1 for the duration of the run, and Lighthouse (node_modules/.bin/lighthouse,
pinned in package-lock.json) loads each PAGE, a path under the base path ("/" for the home
page), in Debian's Chromium with its default mobile emulation, and again with
--preset=desktop when --desktop is given. One line per page and form factor:

    briefs/x/: performance 100, accessibility 100, best-practices 100, seo 100

The failing audits of a category below --min, and any request Lighthouse saw leave
127.0.0.1, go to standard error. --out DIR keeps the JSON reports. `make lighthouse` builds the
example site into a temporary folder and runs this. Exits 1 if a score is below --min
(default 100), a page could not be measured or a request left 127.0.0.1; 2 on usage errors.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screenshots import CHROMIUM, CHROMIUM_ARGS, HOST, serve  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# --headless=new and --no-sandbox (CI runs as root), then the launch options of the browser
# tests and `make screenshots`, which keep Chromium's own background traffic off the network
CHROME_FLAGS = ["--headless=new", *CHROMIUM_ARGS]
TIMEOUT_S = 300
# audits that can't pass or fail: they have a score of null or don't count towards the category
UNSCORED = {"notApplicable", "informative", "manual", "error"}


@dataclass
class Result:
    """One Lighthouse run: the category scores (0 to 100, None when not measured) and what
    went wrong."""

    page: str
    form_factor: str
    scores: dict[str, int | None] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)  # failing audits, external requests
    error: str | None = None  # Lighthouse failed or could not load the page

    @property
    def label(self) -> str:
        return self.page if self.form_factor == "mobile" else f"{self.page} (desktop)"

    def line(self) -> str:
        shown = {c: self.scores.get(c) for c in CATEGORIES}
        return f"{self.label}: " + ", ".join(
            f"{c} {'n/a' if s is None else s}" for c, s in shown.items()
        )


def run_lighthouse(url: str, desktop: bool) -> dict[str, Any]:
    """Lighthouse's JSON report on ``url``; RuntimeError when it exits non-zero."""
    command = [
        str(LIGHTHOUSE),
        url,
        f"--chrome-flags={' '.join(CHROME_FLAGS)}",
        "--output=json",
        "--quiet",
        "--only-categories=" + ",".join(CATEGORIES),
    ]
    if desktop:
        command.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": str(CHROMIUM)}
    result = subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=TIMEOUT_S, check=False
    )
    if result.returncode != 0:
        detail = (result.stderr.strip() or result.stdout.strip())[-2000:]
        raise RuntimeError(f"lighthouse exited {result.returncode}: {detail}")
    return json.loads(result.stdout)


def failing_audits(report: dict[str, Any], category: str) -> list[str]:
    """The audits of ``category`` that count and score below 1, one line each."""
    lines = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if audit["score"] is None or audit["scoreDisplayMode"] in UNSCORED:
            continue
        if audit["score"] < 1 and ref.get("weight", 0) > 0:
            value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
            lines.append(
                f"{category}: {ref['id']}, score {audit['score']:g}: {audit['title']}{value}"
            )
            if audit.get("explanation"):
                lines.append(f"    {audit['explanation']}")
            lines += [f"    {item}" for item in audit_items(audit)]
    return lines


def audit_items(audit: dict[str, Any], limit: int = 5) -> list[str]:
    """What an audit's details table names: an element's HTML, a URL or a message, and the
    reasons given."""
    items = (audit.get("details") or {}).get("items") or []
    lines = []
    for item in items[:limit]:
        node = item.get("node") or item.get("source")
        where = node.get("snippet") if isinstance(node, dict) else None
        where = where or item.get("url") or item.get("description")
        sub_items = (item.get("subItems") or {}).get("items") or []
        reasons = [str(sub["reason"]) for sub in sub_items if "reason" in sub]
        if where:
            lines.append(str(where) + (f": {'; '.join(reasons)}" if reasons else ""))
    if len(items) > limit:
        lines.append(f"and {len(items) - limit} more")
    return lines


def external_requests(report: dict[str, Any]) -> list[str]:
    """The requests Lighthouse saw go to any host but 127.0.0.1."""
    details = report["audits"].get("network-requests", {}).get("details") or {}
    urls = [item["url"] for item in details.get("items", [])]
    return [
        f"request to an external host: {url}"
        for url in urls
        if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).hostname != HOST
    ]


def measure(root: str, page: str, desktop: bool, minimum: int) -> tuple[Result, dict | None]:
    """Run Lighthouse on one page; the result and the JSON report (None if there is none)."""
    result = Result(page, "desktop" if desktop else "mobile")
    try:
        report = run_lighthouse(root + page.lstrip("/"), desktop)
    except (RuntimeError, subprocess.TimeoutExpired, json.JSONDecodeError) as exc:
        result.error = str(exc)
        result.scores = dict.fromkeys(CATEGORIES)
        return result, None
    if report.get("runtimeError"):
        error = report["runtimeError"]
        result.error = f"{error.get('code')}: {error.get('message')}"
    for category in CATEGORIES:
        score = report["categories"][category]["score"]
        result.scores[category] = None if score is None else round(score * 100)
        if score is not None and round(score * 100) < minimum:
            result.failures += failing_audits(report, category)
    result.failures += external_requests(report)
    result.failures += [f"warning: {warning}" for warning in report.get("runWarnings", [])]
    return result, report


def report_name(result: Result) -> str:
    """``home-mobile.json``, ``briefs-some-slug-desktop.json``."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", result.page.strip("/")).strip("-.") or "home"
    return f"{name}-{result.form_factor}.json"


def passed(result: Result, minimum: int) -> bool:
    if result.error or any(f.startswith("request to an external host") for f in result.failures):
        return False
    return all(score is not None and score >= minimum for score in result.scores.values())


def run(root: str, pages: list[str], desktop: bool, minimum: int, out: Path | None) -> bool:
    """Measure every page, print a line for each, keep the reports; True if all passed."""
    ok = True
    for page in pages:
        for form_factor_desktop in (False, True) if desktop else (False,):
            result, report = measure(root, page, form_factor_desktop, minimum)
            print(result.line(), flush=True)
            if result.error:
                print(f"  {result.label}: {result.error}", file=sys.stderr)
            for failure in result.failures:  # an audit's details are indented under it
                prefix = "" if failure.startswith(" ") else f"{result.label}: "
                print(f"  {prefix}{failure}", file=sys.stderr)
            if out is not None and report is not None:
                (out / report_name(result)).write_text(
                    json.dumps(report, indent=2) + "\n", encoding="utf-8"
                )
            ok = passed(result, minimum) and ok
    return ok


def usage_problem(args: argparse.Namespace) -> str | None:
    """Why the command line can't be run (a missing site, tool or browser), or None."""
    if not (args.site / "index.html").is_file():
        return f"{args.site} is not a built site (no index.html)"
    if not 0 <= args.min <= 100:
        return f"--min must be between 0 and 100, not {args.min}"
    if not LIGHTHOUSE.exists():
        return f"Lighthouse is not installed ({LIGHTHOUSE} is missing): run `npm ci`"
    if not CHROMIUM.exists():
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    return None


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "site", type=Path, help="a built site (the output folder of briefgen build)"
    )
    parser.add_argument(
        "pages", nargs="+", metavar="PAGE", help='a path under the base path ("/": home page)'
    )
    parser.add_argument(
        "--base-path", default="/briefings/", help="the path the site was built for"
    )
    parser.add_argument("--min", type=int, default=100, help="the lowest passing score")
    parser.add_argument("--out", type=Path, help="where to write the JSON reports")
    parser.add_argument(
        "--desktop", action="store_true", help="also run with Lighthouse's desktop preset"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    problem = usage_problem(args)
    if problem:
        print(f"lighthouse: {problem}", file=sys.stderr)
        return 2
    base_path = "/" + args.base_path.strip("/") + "/" if args.base_path.strip("/") else "/"
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
    server, root = serve(args.site.resolve(), base_path)
    try:
        ok = run(root, args.pages, args.desktop, args.min, args.out)
    finally:
        server.shutdown()
        server.server_close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
