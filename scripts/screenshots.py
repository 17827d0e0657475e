#!/usr/bin/env python3
"""Photograph a built briefgen site in Debian's Chromium: the home page, a brief, a topic and
a Spanish brief, at desktop and phone widths, in light and dark colour schemes (16 PNG
files); a brief's chart and a topic's series chart alone, light and dark on a desktop, dark
on a phone, and as printed (8 more); and copy the social card the build drew for a brief
(social-card.png).

    scripts/screenshots.py BUILT_SITE [--base-path /briefings/] [--out docs/screenshots]

BUILT_SITE is the output of `briefgen build --base-url /briefings/` (the base path must match
--base-path). It is served on 127.0.0.1 for the duration of the run. `make screenshots` builds
the example site into a temporary folder and runs this. Exits non-zero on any failure.
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
HOST = "127.0.0.1"
PAGES = {
    "home": "",
    "brief": "briefs/border-apprehensions-fall-to-229/",
    "topic": "topics/diplomatic-fallout/",
    "brief-es": "es/briefs/detenciones-en-la-frontera-caen-a-un-minimo-sin-precedentes/",
}
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 390, "height": 844},
}
SCHEMES = ("light", "dark")
# The charts photographed alone: (page, the chart's selector), and the forms of each.
CHARTS = {
    "chart": ("briefs/border-apprehensions-fall-to-229/", "figure.chart"),
    "series": ("topics/border-crackdown/", ".topic-series figure.chart"),
}
CHART_FORMS = (("desktop", "light", "screen"), ("desktop", "dark", "screen"))
CHART_FORMS += (("phone", "dark", "screen"), ("desktop", "light", "print"))
# The social card of a brief without a lead picture, copied as the build drew it.
CARD = "media/cards/briefs/sheinbaum-faces-balancing-act.png"


def _handler(folder: Path, base_path: str) -> type[SimpleHTTPRequestHandler]:
    """A quiet file handler that serves ``folder`` at ``base_path`` (and nothing elsewhere)."""

    class Handler(SimpleHTTPRequestHandler):
        def translate_path(self, path: str) -> str:
            url_path = urlsplit(path).path
            if not url_path.startswith(base_path):
                return str(folder / ".outside-the-base-path")  # no such file: 404
            return super().translate_path("/" + path[len(base_path) :])

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    return functools.partial(Handler, directory=str(folder))


def serve(folder: Path, base_path: str) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer((HOST, 0), _handler(folder, base_path))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="site-server", daemon=True).start()
    return server, f"http://{HOST}:{server.server_address[1]}{base_path}"


def _failed(request, problems: list[str]) -> None:
    if request.failure != "net::ERR_ABORTED":  # cancelled by the browser itself
        problems.append(f"{request.url}: {request.failure}")


def shoot(root: str, out: Path) -> list[str]:
    """Write the 12 screenshots; return the problems the browser reported (empty when none)."""
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    written = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            for width_name, viewport in VIEWPORTS.items():
                for scheme in SCHEMES:
                    context = browser.new_context(viewport=viewport, color_scheme=scheme)
                    context.on("requestfailed", lambda r: _failed(r, problems))
                    page = context.new_page()
                    page.on("pageerror", lambda e: problems.append(f"uncaught error: {e}"))
                    for page_name, path in PAGES.items():
                        response = page.goto(root + path, wait_until="networkidle")
                        if response is None or not response.ok:
                            status = response.status if response else "no response"
                            raise RuntimeError(f"{root + path}: {status}")
                        page.evaluate("document.fonts.ready.then(() => true)")
                        target = out / f"{page_name}-{width_name}-{scheme}.png"
                        partial = target.with_name(target.name + ".tmp")
                        partial.write_bytes(page.screenshot(full_page=True, type="png"))
                        os.replace(partial, target)
                        written.append(target)
                    context.close()
            written += _charts(browser, root, out, problems)
        finally:
            browser.close()
    for path in written:
        print(path)
    return problems


def _charts(browser, root: str, out: Path, problems: list[str]) -> list[Path]:
    """Each chart of CHARTS alone, in each of CHART_FORMS (print: the print stylesheet)."""
    written = []
    for width_name, scheme, media in CHART_FORMS:
        context = browser.new_context(viewport=VIEWPORTS[width_name], color_scheme=scheme)
        context.on("requestfailed", lambda r: _failed(r, problems))
        page = context.new_page()
        page.emulate_media(media=media)
        for name, (path, selector) in CHARTS.items():
            page.goto(root + path, wait_until="networkidle")
            form = "print" if media == "print" else f"{width_name}-{scheme}"
            target = out / f"{name}-{form}.png"
            partial = target.with_name(target.name + ".tmp")
            partial.write_bytes(page.locator(selector).first.screenshot(type="png"))
            os.replace(partial, target)
            written.append(target)
        context.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "site", type=Path, help="a built site (the output folder of briefgen build)"
    )
    parser.add_argument(
        "--base-path", default="/briefings/", help="the path the site was built for"
    )
    parser.add_argument(
        "--out", type=Path, default=Path("docs/screenshots"), help="where to write PNGs"
    )
    args = parser.parse_args(argv)

    base_path = "/" + args.base_path.strip("/") + "/" if args.base_path.strip("/") else "/"
    if not (args.site / "index.html").is_file():
        print(f"screenshots: {args.site} is not a built site (no index.html)", file=sys.stderr)
        return 2
    if not CHROMIUM.exists():
        print(
            f"screenshots: Chromium is not installed at {CHROMIUM} (apt-get install chromium)",
            file=sys.stderr,
        )
        return 2
    try:
        import playwright  # noqa: F401
    except ImportError:
        print(
            "screenshots: the Python package playwright is not installed: pip install -e '.[test]'",
            file=sys.stderr,
        )
        return 2

    args.out.mkdir(parents=True, exist_ok=True)
    server, root = serve(args.site.resolve(), base_path)
    try:
        problems = shoot(root, args.out)
    except Exception as exc:  # any browser or page failure: report it and exit 1
        print(f"screenshots: {exc}", file=sys.stderr)
        return 1
    finally:
        server.shutdown()
        server.server_close()
    card = args.site / CARD
    if not card.is_file():
        problems.append(f"no social card at {CARD}: is social_cards off?")
    else:
        shutil.copyfile(card, args.out / "social-card.png")
    if problems:
        print(
            "screenshots: the browser reported problems:\n  " + "\n  ".join(problems),
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
