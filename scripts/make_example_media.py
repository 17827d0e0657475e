#!/usr/bin/env python3
"""Make the example site's media into content/briefs/media/, from the briefs' own figures.

- surveillance-flights.webm: a silent chart of 8.5 seconds (640x360, VP9, or VP8 where the
  browser lacks VP9): two bars grow to the surveillance flights the briefs count, at least 18
  CIA drone flights over Mexico and at least 25 military flights along the border. It is
  drawn on a canvas in Debian's Chromium and recorded there with ``canvas.captureStream()``
  and ``MediaRecorder`` (there is no ffmpeg to rely on); the bytes come back to Python.
- surveillance-flights-poster.png: the video's first frame, for ``poster=``.
- surveillance-flights.en.vtt, surveillance-flights.es.vtt: WebVTT captions describing what
  the chart shows, in English and Spanish, timed to the animation.
- drones-over-mexico-fact-sheet.pdf: a two-page fact sheet drawn with Pillow, in black and
  white at 300 dots per inch: every figure the English briefs give in ``key_facts``, then a
  timeline of the briefs and their ``timeline`` events. Its pages are pictures (Pillow writes
  no text layer): the briefs that show it say what it holds in their captions.

The script stops if a brief no longer gives a figure the video shows. Run it by hand after a
change to the figures, from the repository root, and commit what it writes:

    .venv/bin/python scripts/make_example_media.py [--skip-video]

The briefs on the CIA drones show the video (English and Spanish captions), the briefs on
Sheinbaum's balancing act the fact sheet.

The poster (with the same Chromium), the captions and the PDF are deterministic: two runs
write byte-identical files (the PDF's dates are fixed to the day the briefs end). The WebM is
recorded in real time, so its bytes differ from run to run even when every frame is the same.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import hashlib
import io
import json
import re
import sys
import time
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from screenshots import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

BRIEFS = ROOT / "content" / "briefs"
OUT = BRIEFS / "media"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
VIDEO = "surveillance-flights"
PDF = "drones-over-mexico-fact-sheet.pdf"
MAX_VIDEO_BYTES = 300_000

INK = "#1f2933"
MUTED = "#545e6a"
PAPER = "#f8f7f3"
RULE = "#e3e4e7"
BLUE = "#0072b2"  # Okabe-Ito blue and vermilion, as in scripts/example_images.py
VERMILION = "#d55e00"


def front_matter(path: Path) -> dict[str, Any]:
    _, head, _ = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(head) or {}


def english_briefs() -> list[Path]:
    return sorted(p for p in BRIEFS.glob("*.md") if not p.name.endswith(".es.md"))


# --- The video's figures -------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    brief: str
    fact: str  # a pattern the brief's key_facts must match: the figure as the brief gives it
    value: int
    label: str
    colour: str


BARS = (
    Bar(
        "2025-02-17-cia-drones-track-cartel-labs.md",
        r"^18\b",
        18,
        "CIA drone flights over Mexico, first two weeks",
        BLUE,
    ),
    Bar(
        "2025-02-18-us-reconnaissance-flights-near-mexico.md",
        r"^At least 25 surveillance flights",
        25,
        "Military surveillance flights along the border",
        VERMILION,
    ),
)
TITLE = "Surveillance flights near Mexico, early 2025"
SUBTITLE = "As counted by U.S. officials in the first weeks of the Trump administration"
NOTE = "The military says its flights stayed outside Mexican airspace."
FOOTER = "Source: Puerto Vallarta Daily News, citing U.S. officials · Drones over Mexico"
# seconds: when each bar starts growing, how long it grows, when the note shows, the end;
# each caption shows from one of these moments to the next
TIMING = {"starts": [2.0, 4.0], "grow": 1.6, "note": 6.0, "end": 8.5}
CAPTIONS = {
    "en": (
        "A chart: surveillance flights near Mexico, early 2025.",
        "Blue bar: at least 18 CIA drone flights over Mexico in two weeks.",
        "Orange bar: at least 25 military flights along the border.",
        "The military says its flights stayed outside Mexican airspace.",
    ),
    "es": (
        "Un gráfico: vuelos de vigilancia cerca de México, principios de 2025.",
        "Barra azul: al menos 18 vuelos de drones de la CIA sobre México en dos semanas.",
        "Barra naranja: al menos 25 vuelos militares a lo largo de la frontera.",
        "Los militares dicen que sus vuelos no entraron en el espacio aéreo mexicano.",
    ),
}


def key_fact_texts(name: str) -> list[str]:
    """Each key fact of a brief as text: ``figure`` facts as their figure."""
    facts = front_matter(BRIEFS / name).get("key_facts") or []
    return [str(f["figure"]) if isinstance(f, dict) else str(f) for f in facts]


def check_bars() -> None:
    for bar in BARS:
        if not any(re.search(bar.fact, text) for text in key_fact_texts(bar.brief)):
            sys.exit(f"{bar.brief} no longer gives the figure {bar.value}: update the video")


def vtt(texts: tuple[str, ...]) -> str:
    """WebVTT captions: one text for each part of the animation (see TIMING)."""

    def stamp(seconds: float) -> str:
        whole = int(seconds)
        return f"00:{whole // 60:02d}:{whole % 60:02d}.{round((seconds - whole) * 1000):03d}"

    moments = [0.0, *TIMING["starts"], TIMING["note"], TIMING["end"]]
    lines = ["WEBVTT", ""]
    for number, text in enumerate(texts, 1):
        start, end = moments[number - 1], moments[number]
        lines += [str(number), f"{stamp(start)} --> {stamp(end)}", text, ""]
    return "\n".join(lines)


# The page that draws and records the chart. ``draw(t)`` paints the frame at t seconds, so
# the poster is the very frame the recording starts with.
CHART_PAGE = """<!doctype html><html><body style="margin:0">
<canvas id="c" width="640" height="360"></canvas>
<script>
const S = __SCENE__;
const g = document.getElementById("c").getContext("2d");
const ease = (x) => 1 - Math.pow(1 - Math.min(Math.max(x, 0), 1), 3);
function text(s, x, y, size, colour, bold, align) {
  g.font = (bold ? "bold " : "") + size + "px 'DejaVu Sans'";
  g.fillStyle = colour; g.textAlign = align || "left"; g.fillText(s, x, y);
}
function draw(t) {
  g.fillStyle = S.paper; g.fillRect(0, 0, 640, 360);
  text(S.title, 32, 50, 23, S.ink, true);
  text(S.subtitle, 32, 76, 14, S.muted, false);
  const top = Math.max(...S.bars.map((b) => b.value));
  S.bars.forEach((b, i) => {
    const y = 118 + i * 88, p = ease((t - S.timing.starts[i]) / S.timing.grow);
    text(b.label, 32, y, 16, S.ink, false);
    g.fillStyle = S.rule; g.fillRect(32, y + 12, 470, 40);
    g.fillStyle = b.colour; g.fillRect(32, y + 12, 470 * b.value / top * p, 40);
    if (p > 0) {
      text("at least", 518, y + 28, 12, S.muted, false);
      text(String(Math.round(b.value * p)), 518, y + 52, 26, b.colour, true);
    }
  });
  g.globalAlpha = Math.min(Math.max((t - S.timing.note) / 0.5, 0), 1);
  text(S.note, 32, 308, 15, S.ink, true);
  g.globalAlpha = 1;
  text(S.footer, 32, 342, 11, S.muted, false);
}
async function record() {
  const canvas = document.getElementById("c");
  const type = ["video/webm;codecs=vp9", "video/webm;codecs=vp8"]
    .find((m) => MediaRecorder.isTypeSupported(m));
  draw(0);
  const poster = canvas.toDataURL("image/png");
  // At lower rates the encoder's first keyframe, and so the first second, comes out blurred.
  const rec = new MediaRecorder(canvas.captureStream(30),
    {mimeType: type, videoBitsPerSecond: 600000});
  const chunks = [];
  rec.ondataavailable = (e) => chunks.push(e.data);
  const stopped = new Promise((done) => (rec.onstop = done));
  rec.start();
  const t0 = performance.now();
  await new Promise((done) => {
    const tick = () => {
      const t = (performance.now() - t0) / 1000;
      draw(Math.min(t, S.timing.end));
      if (t >= S.timing.end) { done(); } else { setTimeout(tick, 1000 / 60); }
    };
    tick();
  });
  rec.stop();
  await stopped;
  const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
  let raw = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    raw += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return {video: btoa(raw), poster, type};
}
</script></body></html>"""


def scene() -> dict[str, Any]:
    return {
        "title": TITLE,
        "subtitle": SUBTITLE,
        "note": NOTE,
        "footer": FOOTER,
        "bars": [asdict(bar) for bar in BARS],
        "timing": TIMING,
        "paper": PAPER,
        "ink": INK,
        "muted": MUTED,
        "rule": RULE,
    }


def record_video() -> tuple[bytes, bytes, str]:
    """The recorded WebM, the poster PNG (first frame) and the recorder's MIME type."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        sys.exit(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 640, "height": 360})
            page.set_content(CHART_PAGE.replace("__SCENE__", json.dumps(scene())))
            got = page.evaluate("record()")
        finally:
            browser.close()
    poster = base64.b64decode(got["poster"].split(",", 1)[1])
    return base64.b64decode(got["video"]), poster, got["type"]


def check_video(data: bytes, kind: str) -> None:
    """Stop unless ``data`` is a WebM of the expected codec, with a duration, small enough."""
    codec = b"V_VP9" if "vp9" in kind else b"V_VP8"
    problems = []
    if not data.startswith(b"\x1a\x45\xdf\xa3") or b"webm" not in data[:64]:
        problems.append("not a WebM file")
    if codec not in data[:4096]:
        problems.append(f"no {codec.decode()} track")
    if b"\x44\x89" not in data[:4096]:  # the Duration element of the Segment's Info
        problems.append("no duration in its header")
    if len(data) > MAX_VIDEO_BYTES:
        problems.append(f"{len(data)} bytes, over {MAX_VIDEO_BYTES}")
    if problems:
        sys.exit("the recorded video is wrong: " + "; ".join(problems))


def save_poster(png: bytes, path: Path) -> None:
    """The canvas's PNG saved again by Pillow: the same pixels always give the same bytes."""
    with Image.open(io.BytesIO(png)) as frame:
        rgb = frame.convert("RGB")
    if rgb.size != (640, 360):
        sys.exit(f"the poster is {rgb.size}, not 640x360")
    rgb.quantize(64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        path, optimize=True
    )


# --- The fact sheet ------------------------------------------------------------------------

# Laid out on a grid of 150 units to the inch, drawn at SCALE times that (300 dots per inch)
# and stored as black and white: CCITT G4 keeps two pages of text under 100 kB and crisp in
# print, where JPEG (Pillow's only compression for colour pages) needs over 400 kB.
PAGE = (1275, 1650)  # US Letter, in units
SCALE = 2
MARGIN = 110
BOTTOM = PAGE[1] - 110  # nothing but the footer below this
SHEET_DATE = dt.date(2025, 2, 20)  # the last brief's day: the sheet's fixed PDF dates
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@cache
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    if path.is_file():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


@dataclass(frozen=True)
class Figure:
    figure: str
    label: str
    brief_title: str
    date: dt.date


@dataclass(frozen=True)
class Entry:
    date: dt.date
    title: str
    events: tuple[str, ...]


def as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def long_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def event_date(value: Any) -> str:
    """A timeline date as written: a day (``2025-02-04``) or a month (``2025-01``)."""
    if isinstance(value, dt.date):
        return long_date(value)
    year, month = str(value).split("-")
    return f"{MONTHS[int(month) - 1]} {year}"


def sheet_data() -> tuple[list[Figure], list[Entry]]:
    """Every figure the English briefs give, and every brief with its timeline events."""
    figures, entries = [], []
    for path in english_briefs():
        meta = front_matter(path)
        day = as_date(meta["date"])
        for fact in meta.get("key_facts") or []:
            if isinstance(fact, dict) and "figure" in fact:
                figures.append(Figure(str(fact["figure"]), fact["label"], meta["title"], day))
        events = tuple(f"{event_date(e['date'])}: {e['event']}" for e in meta.get("timeline") or [])
        entries.append(Entry(day, meta["title"], events))
    return figures, sorted(entries, key=lambda e: e.date)


class Sheet:
    """One page of the fact sheet, written top to bottom from ``self.y`` (in units)."""

    def __init__(self, heading: str, intro: str) -> None:
        self.image = Image.new("L", (PAGE[0] * SCALE, PAGE[1] * SCALE), 255)
        self.draw = ImageDraw.Draw(self.image)
        self.box((0, 0, PAGE[0], 18))
        self.y = MARGIN
        self.text("DRONES OVER MEXICO · FACT SHEET", 22, bold=True)
        self.y += 24
        self.text(heading, 50, bold=True)
        self.wrapped(intro, 26)
        self.rule(40)

    def box(self, box: tuple[float, float, float, float]) -> None:
        self.draw.rectangle([v * SCALE for v in box], fill=0)

    def put(self, x: float, y: float, words: str, size: int, bold: bool = False) -> None:
        """``words`` with their top left at ``x``, ``y``."""
        self.draw.text((x * SCALE, y * SCALE), words, font=font(size * SCALE, bold), fill=0)

    def text(self, line: str, size: int, bold: bool = False, x: int = 0) -> None:
        self.put(MARGIN + x, self.y, line, size, bold)
        self.y += round(size * 1.45)

    @staticmethod
    def lines(words: str, size: int, x: int = 0, bold: bool = False) -> list[str]:
        """``words`` broken into lines that fit the column starting ``x`` from the margin."""
        width, face = (PAGE[0] - 2 * MARGIN - x) * SCALE, font(size * SCALE, bold)
        out: list[str] = []
        for word in words.split():
            if out and face.getlength(f"{out[-1]} {word}") <= width:
                out[-1] = f"{out[-1]} {word}"
            else:
                out.append(word)
        return out

    def wrapped(self, words: str, size: int, bold: bool = False, x: int = 0) -> None:
        for line in self.lines(words, size, x, bold):
            self.text(line, size, bold, x)

    def rule(self, gap: int = 22) -> None:
        self.y += gap // 2
        self.box((MARGIN, self.y, PAGE[0] - MARGIN, self.y + 1))
        self.y += gap

    def finish(self, number: int, pages: int) -> Image.Image:
        """The page with its footer, in black and white."""
        words = f"Drawn from the example briefings' front matter · page {number} of {pages}"
        self.put(MARGIN, PAGE[1] - 88, words, 20)
        return self.image.point(lambda v: 255 if v > 160 else 0).convert("1", dither=None)


def figures_page(figures: list[Figure]) -> Sheet:
    sheet = Sheet(
        "The figures behind the briefings",
        "U.S. surveillance of Mexican cartels and the diplomatic fallout, January and "
        "February 2025: every figure the briefs give, as reported.",
    )
    for figure in figures:
        top = sheet.y
        sheet.put(MARGIN, top, figure.figure, 44, bold=True)
        sheet.wrapped(figure.label[0].upper() + figure.label[1:], 27, x=330)
        sheet.wrapped(f"{long_date(figure.date)}: {figure.brief_title}", 20, x=330)
        sheet.y = max(sheet.y, top + 70)
        sheet.rule()
    sheet.y += 10
    sheet.wrapped(
        "Sources, as each brief cites them: Puerto Vallarta Daily News; The New York Times "
        "and CNN for the CIA drone flights.",
        20,
    )
    if sheet.y > BOTTOM:
        sys.exit("the figures no longer fit their page: shorten the labels or add a page")
    return sheet


def timeline_pages(entries: list[Entry]) -> list[Sheet]:
    """The timeline, on as many pages as it takes (an entry is never split)."""
    x, pages = 150, []

    def new_page() -> Sheet:
        intro = "Each brief by the day it was published, with the events it dates."
        pages.append(Sheet("Timeline" if not pages else "Timeline, continued", intro))
        return pages[-1]

    sheet = new_page()
    for entry in entries:
        height = len(Sheet.lines(entry.title, 23, x, bold=True)) * round(23 * 1.45)
        height += sum(len(Sheet.lines(e, 19, x)) * round(19 * 1.45) for e in entry.events)
        if sheet.y + height > BOTTOM:
            sheet = new_page()
        sheet.put(MARGIN, sheet.y, f"{entry.date.day} {MONTHS[entry.date.month - 1][:3]}", 23, True)
        sheet.wrapped(entry.title, 23, bold=True, x=x)
        for event in entry.events:
            sheet.wrapped(event, 19, x=x)
        sheet.y += 16
    return pages


def write_pdf(path: Path) -> None:
    figures, entries = sheet_data()
    sheets = [figures_page(figures), *timeline_pages(entries)]
    pages = [sheet.finish(number, len(sheets)) for number, sheet in enumerate(sheets, 1)]
    fixed = time.strptime(SHEET_DATE.isoformat(), "%Y-%m-%d")
    pages[0].save(
        path,
        "PDF",
        save_all=True,
        append_images=pages[1:],
        resolution=150.0 * SCALE,
        title="Drones over Mexico: the figures behind the briefings",
        author="Drones over Mexico desk",
        subject="Key figures and timeline of the example briefings, January-February 2025",
        creationDate=fixed,
        modDate=fixed,
    )


# --- Writing -------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--skip-video", action="store_true", help="write the PDF only")
    options = parser.parse_args()
    check_bars()
    OUT.mkdir(parents=True, exist_ok=True)
    written = [OUT / PDF]
    write_pdf(OUT / PDF)
    for language, texts in CAPTIONS.items():
        path = OUT / f"{VIDEO}.{language}.vtt"
        path.write_text(vtt(texts), encoding="utf-8")
        written.append(path)
    if not options.skip_video:
        video, poster, kind = record_video()
        check_video(video, kind)
        (OUT / f"{VIDEO}.webm").write_bytes(video)
        save_poster(poster, OUT / f"{VIDEO}-poster.png")
        written += [OUT / f"{VIDEO}.webm", OUT / f"{VIDEO}-poster.png"]
    for path in written:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        print(f"{digest}  {path.stat().st_size:>8}  {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
