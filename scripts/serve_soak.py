#!/usr/bin/env python3
"""Rebuild a small site hundreds of times the way `briefgen serve` does, and print how many
file descriptors and how much memory the process holds as it goes.

    scripts/serve_soak.py [--rebuilds 300] [--nofile 128] [--every 100] [--json]
                          [--languages] [--pictures] [--shortcodes]

A DevServer is started on a free port over a three-brief site in a temporary folder (its
watchers and HTTP thread running, as under `briefgen serve`); each round edits one brief and
calls DevServer.rebuild(), the function the server's rebuild thread calls after a save,
search index included. The open descriptors (/proc/self/fd) and VmRSS are read while no
build runs. --nofile lowers this process's soft RLIMIT_NOFILE first, so a leak fails fast
with "Too many open files". Linux only. Exits 1 if any rebuild failed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefgen.commands.serve import BuildReport, DevServer

SITE_YAML = """\
title: Soak Briefings
description: A site rebuilt many times over.
base_url: https://example.org/briefings/
language: en
checks:
  sources: false
"""
TOPIC = "---\ntitle: Cartels\ndescription: Criminal groups.\n---\n\nIntro.\n"
LANGUAGES = "languages:\n  en:\n    name: English\n  es:\n    name: Español\n"


def brief(title: str, date: str, body: str, extra: str = "") -> str:
    return (
        f"---\ntitle: {title}\ndate: {date}\nsummary: One sentence.\ntopics: [cartels]\n"
        f"{extra}---\n\n{body}"
    )


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd")) - 1  # less the one listdir holds


def rss_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuilds", type=int, default=300)
    parser.add_argument("--nofile", type=int, default=0, help="soft limit on open files")
    parser.add_argument("--every", type=int, default=100, help="print every N rebuilds")
    parser.add_argument("--json", action="store_true", help="print the samples as JSON")
    parser.add_argument(
        "--languages",
        action="store_true",
        help="English and Spanish: the saves alternate between a brief and its translation",
    )
    parser.add_argument(
        "--pictures",
        action="store_true",
        help="every brief has a lead picture and a picture in its body, "
        "and every tenth save also replaces a picture (encoded again)",
    )
    parser.add_argument(
        "--shortcodes",
        action="store_true",
        help="the edited brief shows a PDF of the site, a YouTube card, a post and a quote, "
        "and every tenth save replaces the PDF (its pages read again)",
    )
    parser.add_argument(
        "--corpus",
        type=int,
        default=0,
        metavar="N",
        help="the site is bench/corpus.py's N briefs (search on, cards drawn); each save adds "
        "a sentence to the brief in the middle",
    )
    args = parser.parse_args()
    if args.nofile:
        hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
        resource.setrlimit(resource.RLIMIT_NOFILE, (args.nofile, hard))

    with tempfile.TemporaryDirectory(prefix="briefgen-soak-") as tmp:
        tempfile.tempdir = tmp  # the server's own temporary folder goes in here too
        root = Path(tmp) / "site"
        if args.corpus:
            return soak(root, args, corpus_edit(root, args.corpus))
        files = {
            "site.yaml": SITE_YAML + (LANGUAGES if args.languages else ""),
            "content/topics/cartels.md": TOPIC,
            **{
                f"content/briefs/2025-02-0{i}-b{i}.md": brief(
                    f"Brief {i}",
                    f"2025-02-0{i}",
                    "Text.\n" + picture_lines(args, i)[1],
                    picture_lines(args, i)[0],
                )
                for i in (1, 2, 3)
            },
        }
        if args.languages:
            files["content/briefs/2025-02-01-b1.es.md"] = brief("Nota 1", "2025-02-01", "Texto.\n")
            files["content/topics/cartels.es.md"] = TOPIC.replace("Cartels", "Cárteles")
        for rel, text in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text, encoding="utf-8")
        if args.shortcodes:
            (root / "content/briefs/report.pdf").write_bytes(pdf(1))
        if args.pictures:
            for i in (1, 2, 3):
                (root / f"content/briefs/img/p{i}.jpg").parent.mkdir(exist_ok=True)
                (root / f"content/briefs/img/p{i}.jpg").write_bytes(photo(i))
        return soak(root, args)


def photo(seed: int) -> bytes:
    """A 1000×640 JPEG that differs with ``seed``."""
    import io

    from PIL import Image, ImageDraw

    image = Image.linear_gradient("L").resize((1000, 640)).convert("RGB")
    ImageDraw.Draw(image).ellipse((seed * 37 % 800, 100, seed * 37 % 800 + 150, 250), fill="red")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def pdf(pages: int) -> bytes:
    """A PDF of ``pages`` blank pages."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(612, 792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


SHORTCODES = """
{{< document report.pdf title="The report" >}}

{{< video https://www.youtube.com/watch?v=dQw4w9WgXcQ title="The press conference" >}}

{{< post https://social.example.org/@desk/1 author="The desk" date=2025-02-01 >}}
A post, **quoted**.
{{< /post >}}

{{< quote by="The editor" >}}
Count, cite, and say who counted.
{{< /quote >}}
"""


def picture_lines(args: argparse.Namespace, i: int) -> tuple[str, str]:
    """Front matter and body lines that show brief ``i``'s picture, with --pictures."""
    if not args.pictures:
        return "", ""
    front = f"image: {{src: img/p{i}.jpg, alt: A red sun over a grey field, credit: Soak desk}}\n"
    return front, f"\n![A red sun over a grey field](img/p{i % 3 + 1}.jpg)\n"


def corpus_edit(root: Path, count: int) -> Callable[[int], None]:
    """Write the benchmark's corpus of ``count`` briefs at ``root``; the save of rebuild
    ``number`` adds its own sentence to the middle brief."""
    script = Path(__file__).resolve().parents[1] / "bench" / "corpus.py"
    subprocess.run([sys.executable, str(script), str(count), str(root), "--search"], check=True)
    middle = sorted((root / "content/briefs").glob("*.md"))[count // 2]
    original = middle.read_text(encoding="utf-8")

    def save(number: int) -> None:
        middle.write_text(f"{original}\nEdit number {number}.\n", encoding="utf-8")

    return save


def soak(root: Path, args: argparse.Namespace, save: Callable[[int], None] | None = None) -> int:
    from briefgen.commands.serve import DevServer

    failures: list[str] = []
    server = DevServer(root, port=0, log=lambda line: failures.append(line))
    server.start()
    samples: dict[int, dict[str, int]] = {}
    started = time.monotonic()
    try:
        assert server.live is not None
        for number in range(1, args.rebuilds + 1):
            if save is not None:
                save(number)
                report = server.rebuild()
                if not _recorded(server, report, number, args, samples, failures, started):
                    break
                continue
            spanish = args.languages and number % 2 == 0  # every other save, the translation
            front, body = picture_lines(args, 1)
            shortcodes = SHORTCODES if args.shortcodes else ""
            text = f"Edit number {number}.\n{body}{shortcodes}"
            edited = brief("Brief 1", "2025-02-01", text, front)
            if args.shortcodes and number % 10 == 0:  # a PDF replaced: its pages read again
                (root / "content/briefs/report.pdf").write_bytes(pdf(number // 10 % 5 + 1))
            if args.pictures and number % 10 == 0:  # a picture replaced: encoded again
                (root / "content/briefs/img/p3.jpg").write_bytes(photo(number))
            name = "2025-02-01-b1.es.md" if spanish else "2025-02-01-b1.md"
            (root / "content/briefs" / name).write_text(edited, encoding="utf-8")
            report = server.rebuild()
            if not _recorded(server, report, number, args, samples, failures, started):
                break
    finally:
        server.stop()
    if args.json:
        print(json.dumps({"samples": samples, "failures": failures}))
    else:
        for line in failures:
            print(line, file=sys.stderr)
    return 1 if failures else 0


def _recorded(
    server: DevServer,
    report: BuildReport | None,
    number: int,
    args: argparse.Namespace,
    samples: dict[int, dict[str, int]],
    failures: list[str],
    started: float,
) -> bool:
    """Note a rebuild's failure (False: stop) or, at the rebuilds sampled, the open files
    and memory."""
    if report is None or report.error is not None:
        why = (
            "; ".join(d.format() for d in report.error.diagnostics.sorted())
            if report and report.error
            else "stopped"
        )
        failures.append(f"rebuild {number}: {why}")
        return False
    if number in (1, 20) or number % args.every == 0 or number == args.rebuilds:
        assert server.live is not None
        with server.live.building:  # no build (the watchers') is holding files now
            samples[number] = {"fds": open_fds(), "rss_kib": rss_kib()}
        if not args.json:
            s = samples[number]
            print(
                f"rebuild {number:4}: {s['fds']:3} open files, "
                f"{s['rss_kib'] / 1024:6.1f} MiB RSS, "
                f"{time.monotonic() - started:5.1f} s",
                flush=True,
            )
    return True


if __name__ == "__main__":
    sys.exit(main())
