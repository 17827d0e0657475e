"""A deterministic corpus of briefing sites for the benchmark: same seed, same bytes."""

from __future__ import annotations

import argparse
import functools
import json
import multiprocessing
import os
import random
import re
import string
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

SEED = 20250205
FIRST_DAY = date(2017, 1, 1)
DAYS = 9 * 365  # briefs are spread over nine years, all before any build date
OFFSET = timezone(timedelta(hours=-6))

# Links between briefs are written as in briefgen: a relative path to the other file.
BRIEF_LINK = re.compile(r"\]\((\d{5}-[a-z0-9-]+)\.md\)")


@dataclass(frozen=True)
class Topic:
    slug: str
    title: str
    description: str
    intro: str  # Markdown


@dataclass(frozen=True)
class Source:
    title: str
    publisher: str
    url: str
    date: date


@dataclass(frozen=True)
class Brief:
    index: int
    slug: str  # also the file name without ".md"
    title: str
    date: datetime
    summary: str
    topics: tuple[str, ...]
    tags: tuple[str, ...]
    sources: tuple[Source, ...]
    key_facts: tuple[str, ...]
    body: str  # Markdown; links to other briefs as "](NNNNN-slug.md)"

    @property
    def file_name(self) -> str:
        return f"{self.slug}.md"


@dataclass(frozen=True)
class Picture:
    number: int
    brief: int  # the index of the brief that shows it
    file_name: str  # in content/briefs/img/
    alt: str
    credit: str
    caption: str  # "" for none
    lead: bool  # the brief's lead ``image:``; else shown in its body, after the lede


@dataclass(frozen=True)
class Corpus:
    topics: tuple[Topic, ...]
    briefs: tuple[Brief, ...]
    pictures: tuple[Picture, ...] = ()
    seed: int = SEED
    rich: bool = False  # bodies of :func:`_rich_body`: lists, quotes, two tables, inline spans

    def by_slug(self) -> dict[str, Brief]:
        return {brief.slug: brief for brief in self.briefs}


# --- word lists -----------------------------------------------------------------------------

TOPICS: tuple[tuple[str, str], ...] = (
    ("Border security", "troop deployments, apprehensions and enforcement along the border"),
    ("Drone surveillance", "unmanned flights that watch cartel activity from the air"),
    ("Cartel finances", "how trafficking groups raise, move and launder money"),
    ("Fentanyl trafficking", "the supply chain of synthetic opioids from precursor to street"),
    ("Diplomatic relations", "talks, protests and visits between Washington and Mexico City"),
    ("Trade and tariffs", "tariff threats, trade talks and their link to security demands"),
    ("Migration", "people crossing, waiting and being returned at the border"),
    ("Extraditions", "suspects handed over between the two countries and the cases against them"),
    ("Arms smuggling", "weapons moving south across the border and efforts to stop them"),
    ("Intelligence sharing", "what the two governments tell each other, and what they do not"),
    ("Military aviation", "reconnaissance aircraft, patrol planes and their flight paths"),
    ("Naval patrols", "maritime interdiction on the Pacific and Gulf coasts"),
    ("Sovereignty", "Mexico's red lines on foreign forces and operations on its soil"),
    ("Congressional oversight", "hearings, briefings and bills in the U.S. Congress"),
    ("Human rights", "abuses, disappearances and the protection of civilians"),
    ("Judicial reform", "courts, prosecutors and the rules that govern criminal cases"),
    ("Ports and customs", "container inspections and the seaports used by traffickers"),
    ("Money laundering", "banks, shell firms and cash couriers that clean illicit proceeds"),
    ("Cyber operations", "hacking, encrypted phones and digital evidence"),
    ("Public health", "overdoses, treatment and the health toll of synthetic drugs"),
    ("Terrorist designations", "listing cartels as terrorist organisations and what follows"),
    ("Sinaloa", "the state, its capital Culiacán and the cartel that bears its name"),
    ("Jalisco", "the state and the rise of the Jalisco Nueva Generación cartel"),
    ("Tamaulipas", "the Gulf coast state and its border crossings"),
    ("Chihuahua", "Ciudad Juárez, the sierra and the routes north"),
    ("Baja California", "Tijuana, Mexicali and the Pacific corridor"),
    ("Sonora", "Nogales, the desert crossings and the mining towns"),
    ("Michoacán", "avocado country, self-defence groups and the port of Lázaro Cárdenas"),
    ("National Guard", "Mexico's militarised police force and its deployments"),
    ("Mexican Navy", "the navy's marines and their role in high-value arrests"),
    ("Northern Command", "the U.S. command responsible for the approaches to the border"),
    ("Precursor chemicals", "shipments of chemicals that feed clandestine laboratories"),
    ("Clandestine labs", "the laboratories found, raided and dismantled"),
    ("Tunnels", "cross-border tunnels and the teams that search for them"),
    ("Remittances", "money sent home by migrants and the rules that govern it"),
    ("Elections", "campaigns, candidates and the security of the vote"),
    ("Journalists", "reporters threatened, attacked or killed for their work"),
    ("Canada", "Canada's part in the security and trade talks"),
    ("Central America", "Guatemala, Honduras and El Salvador in the regional picture"),
    ("Energy", "fuel theft, pipelines and the energy trade between the two countries"),
)

AGENCIES = (
    "U.S. Northern Command",
    "the Pentagon",
    "the State Department",
    "the Treasury Department",
    "Customs and Border Protection",
    "the Drug Enforcement Administration",
    "the CIA",
    "Mexico's Defense Ministry",
    "the Mexican Navy",
    "Mexico's Foreign Ministry",
    "the National Guard",
    "the Attorney General's Office",
    "federal prosecutors in Texas",
    "the Department of Homeland Security",
    "Border Patrol",
    "Mexico's Security Cabinet",
    "the Financial Intelligence Unit",
    "the Coast Guard",
    "state police in Sinaloa",
    "the Justice Department",
)
OFFICIALS = (
    "the defense secretary",
    "the border czar",
    "Mexico's foreign minister",
    "the U.S. ambassador",
    "a senior Mexican security official",
    "a Navy spokesperson",
    "the attorney general",
    "a State Department spokesperson",
    "the governor of Sonora",
    "a retired Air Force general",
    "the president's security adviser",
    "a Senate aide",
    "the head of the National Guard",
    "a former DEA administrator",
    "a customs inspector",
    "the mayor of Ciudad Juárez",
    "a Treasury official",
    "the commander of Northern Command",
)
GROUPS = (
    "the Sinaloa Cartel",
    "Jalisco Nueva Generación",
    "the Gulf Cartel",
    "the Northeast Cartel",
    "La Nueva Familia Michoacana",
    "Cárteles Unidos",
    "a faction loyal to the Chapitos",
    "a splinter group of the Zetas",
    "local cells tied to the Jalisco cartel",
    "a trafficking network based in Culiacán",
)
PLACES = (
    "Sinaloa",
    "Sonora",
    "Chihuahua",
    "Tamaulipas",
    "Baja California",
    "Michoacán",
    "Jalisco",
    "Ciudad Juárez",
    "Tijuana",
    "Nogales",
    "Reynosa",
    "Nuevo Laredo",
    "Culiacán",
    "El Paso",
    "San Diego",
    "Laredo",
    "Matamoros",
    "Mexicali",
    "Manzanillo",
    "Lázaro Cárdenas",
    "the Gulf of California",
    "the Sierra Madre",
    "Guerrero",
    "Zacatecas",
)
ASSETS = (
    "MQ-9 Reaper drones",
    "RC-135 reconnaissance flights",
    "P-8 Poseidon patrol aircraft",
    "surveillance balloons",
    "tethered aerostats",
    "U-2 spy planes",
    "Navy patrol boats",
    "ground sensors",
    "mobile X-ray scanners",
    "signals intercepts",
    "satellite imagery",
    "thermal cameras",
    "armed helicopters",
    "interceptor boats",
)
GOODS = (
    "fentanyl precursors",
    "synthetic drug laboratories",
    "high-calibre rifles",
    "bulk cash shipments",
    "cross-border tunnels",
    "methamphetamine shipments",
    "stolen fuel",
    "counterfeit pills",
    "ammunition caches",
    "container loads of chemicals",
)
VERBS = (
    "stepped up",
    "scaled back",
    "expanded",
    "reviewed",
    "suspended",
    "defended",
    "questioned",
    "confirmed",
    "denied",
    "criticised",
    "praised",
    "funded",
    "delayed",
    "announced",
    "investigated",
)
QUALIFIERS = (
    "without giving details",
    "according to two people familiar with the matter",
    "in a statement late on Tuesday",
    "at a news conference in the capital",
    "in testimony before a Senate committee",
    "in a letter seen by reporters",
    "after weeks of private talks",
    "despite objections from local officials",
    "for the first time in a decade",
    "in response to questions from lawmakers",
)
MONTHS = (
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
)
PUBLISHERS = (
    ("Puerto Vallarta Daily News", "vallartadaily.example"),
    ("Border Report", "borderreport.example"),
    ("The Gulf Coast Ledger", "gulfledger.example"),
    ("Sonora Weekly", "sonoraweekly.example"),
    ("Capital Wire", "capitalwire.example"),
    ("The Frontera Times", "fronteratimes.example"),
    ("Pacific Security Review", "pacificsecurity.example"),
    ("Noticias del Norte", "noticiasnorte.example"),
)
TAGS = (
    "apprehensions",
    "aerial-surveillance",
    "sanctions",
    "extradition",
    "seizures",
    "hearings",
    "budget",
    "troops",
    "tariffs",
    "fentanyl",
    "methamphetamine",
    "weapons",
    "laundering",
    "diplomacy",
    "protest",
    "agreement",
    "investigation",
    "arrests",
    "violence",
    "prisons",
    "courts",
    "intelligence",
    "navy",
    "air-force",
    "ports",
    "chemicals",
    "labs",
    "tunnels",
    "remittances",
    "elections",
    "press-freedom",
    "energy",
    "fuel-theft",
    "canada",
    "guatemala",
    "statistics",
    "policy",
    "visits",
)
HEADINGS = (
    "What happened",
    "Background",
    "The numbers",
    "Reactions",
    "What comes next",
    "Diplomatic fallout",
    "On the ground",
    "Context",
    "Why it matters",
    "Legal questions",
    "In Congress",
    "The view from Mexico City",
    "Regional impact",
    "The operation",
    "Costs",
    "Open questions",
    "Earlier moves",
    "Who is involved",
)
TITLES = (
    "{Agency} {verb} {asset} over {place}",
    "{Group} targeted as {goods} surge in {place}",
    "{Official} says {goods} in {place} are rising",
    "{Place} raids uncover {goods}",
    "{Agency} and {agency2} {verb} cooperation on {goods}",
    "{Asset} spotted near {place}",
    "Lawmakers press {agency} on {asset}",
    "{Place} officials report {few} arrests in a week",
)
SENTENCES = (
    "{Agency} {verb} the use of {asset} over {place} {qualifier}.",
    "{Official} said the operation against {group} would continue {qualifier}.",
    "Officials counted {number} {goods} seized in {place} during {month}.",
    "The figures, {percent} percent higher than a year earlier, were released by {agency}.",
    "{Group} has moved part of its operations from {place} to {place2}, {official} said.",
    "Analysts in {place} cautioned that {goods} often reappear within weeks of a raid.",
    "{Agency} declined to comment on the {asset} reported near {place}.",
    "Residents of {place} described {asset} circling overhead for several nights in {month}.",
    "The agreement commits both governments to share data on {goods} every {period}.",
    "{Official} called the measure a test of trust between Washington and Mexico City.",
    "At least {number} agents were assigned to the {place} sector {qualifier}.",
    "A spokesperson for {agency} said {number} flights had been logged since {month}.",
    "Critics in {place} argue that {asset} do little to stop {goods}.",
    "Prosecutors linked the case to {group}, which has operated in {place} for years.",
    "The budget request sets aside {money} million dollars for {asset} and {goods}.",
    "{Agency} {verb} its estimate of {goods} crossing at {place}.",
    "Mexico has said any joint work must respect its sovereignty, {official} repeated.",
    "Lawmakers asked for a briefing on {asset} after reports from {place}.",
    "The shift follows {few} days of clashes between {group} and {group2} near {place}.",
    "Trade groups in {place} warned that inspections of {goods} slow legitimate cargo.",
    "A court in {place} ordered the release of {few} suspects for lack of evidence.",
    "The program was first described to Congress in {month}, {official} said.",
    "{Official} noted that the number of {goods} found has varied widely from month to month.",
    "Local reporters in {place} said the {asset} had become part of daily life.",
)
TABLES = (
    ("Region", "Seizures", "Change"),
    ("Month", "Flights", "Arrests"),
    ("Agency", "Personnel", "Budget (m$)"),
    ("Crossing", "Inspections", "Finds"),
)
FOOTNOTES = (
    "Figures as reported by {publisher}; official totals may differ.",
    "{Agency} did not respond to a request for comment.",
    "The count covers {month} only and excludes operations by state police.",
    "Earlier reports put the figure at {number}.",
)
CLOSERS = (
    "See also [an earlier brief on the same story]({target}).",
    "The decision builds on [a move reported earlier]({target}).",
    "It follows [the developments described here]({target}).",
)


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by hyphens, as briefgen normalises slugs."""
    table = str.maketrans("áéíóúñü", "aeiounu")
    return re.sub(r"[^a-z0-9]+", "-", text.lower().translate(table)).strip("-")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


@functools.cache
def _fields(template: str) -> tuple[str, ...]:
    return tuple(name for _, name, _, _ in string.Formatter().parse(template) if name)


class _Writer:
    """Fills templates from the word lists with one seeded random generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        choice, randint = rng.choice, rng.randint
        self.values: dict[str, Callable[[], str]] = {
            "agency": lambda: choice(AGENCIES),
            "agency2": lambda: choice(AGENCIES),
            "official": lambda: choice(OFFICIALS),
            "group": lambda: choice(GROUPS),
            "group2": lambda: choice(GROUPS),
            "place": lambda: choice(PLACES),
            "place2": lambda: choice(PLACES),
            "asset": lambda: choice(ASSETS),
            "goods": lambda: choice(GOODS),
            "verb": lambda: choice(VERBS),
            "qualifier": lambda: choice(QUALIFIERS),
            "month": lambda: choice(MONTHS),
            "number": lambda: f"{randint(3, 4800):,}",
            "few": lambda: str(randint(2, 60)),
            "percent": lambda: str(randint(2, 85)),
            "money": lambda: str(randint(12, 900)),
            "period": lambda: choice(("week", "month", "quarter")),
            "publisher": lambda: choice(PUBLISHERS)[0],
        }

    def fill(self, template: str) -> str:
        """``{place}`` takes a random place; ``{Place}`` the same, capitalised."""
        values = {}
        for name in _fields(template):
            value = self.values[name.lower()]()
            values[name] = _cap(value) if name[0].isupper() else value
        return template.format(**values)

    def paragraph(self) -> str:
        return " ".join(
            self.fill(self.rng.choice(SENTENCES)) for _ in range(self.rng.randint(3, 5))
        )

    def table(self) -> str:
        header = self.rng.choice(TABLES)
        rows = [f"| {' | '.join(header)} |", "|---|--:|--:|"]
        for _ in range(self.rng.randint(3, 5)):
            first = self.fill("{place}" if header[0] != "Month" else "{month}")
            rows.append(
                f"| {first} | {self.rng.randint(1, 9000):,} | {self.rng.randint(-60, 90)}% |"
            )
        return "\n".join(rows)


def _topics() -> tuple[Topic, ...]:
    rng = random.Random(f"{SEED}:topics")
    writer = _Writer(rng)
    topics = []
    for title, focus in TOPICS:
        description = f"Briefs on {focus}."
        intro = f"This topic follows {focus}.\n\n{writer.paragraph()}"
        topics.append(Topic(slugify(title), title, description, intro))
    return tuple(topics)


# Topics are not equally popular: the first ones are picked more often, as on a real desk.
_TOPIC_WEIGHTS = tuple(1.0 / (1 + k / 8) for k in range(len(TOPICS)))


def make_brief(
    index: int, topics: tuple[Topic, ...], seed: int = SEED, rich: bool = False
) -> Brief:
    """Brief ``index`` of any corpus: it depends on the seed and its index only. A ``rich``
    brief has the same title, slug, date, topics, summary and key facts as the plain one of
    the same index (the same first draws), 3–5 sources and a body of :func:`_rich_body`."""
    rng = random.Random(f"{seed}:brief:{index}")
    writer = _Writer(rng)
    title, slug = _title(writer, index)
    day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    when = datetime(day.year, day.month, day.day, tzinfo=OFFSET) + timedelta(
        seconds=rng.randrange(6 * 3600, 22 * 3600)
    )
    chosen: list[str] = []
    while len(chosen) < rng.randint(1, 3):
        slug_ = rng.choices(topics, weights=_TOPIC_WEIGHTS)[0].slug
        if slug_ not in chosen:
            chosen.append(slug_)
    summary = " ".join(writer.fill(rng.choice(SENTENCES)) for _ in range(rng.randint(1, 2)))
    key_facts = tuple(writer.fill(rng.choice(SENTENCES))[:-1] for _ in range(rng.randint(2, 4)))
    sources = []
    for _ in range(rng.randint(*RICH_SOURCES) if rich else rng.randint(1, 3)):
        publisher, domain = rng.choice(PUBLISHERS)
        source_title = writer.fill(rng.choice(TITLES))
        published = day - timedelta(days=rng.randint(0, 3))
        url = f"https://{domain}/{published:%Y/%m}/{slugify(source_title)}"
        sources.append(Source(source_title, publisher, url, published))
    tags = tuple(sorted(rng.sample(TAGS, rng.randint(1, 4))))
    return Brief(
        index=index,
        slug=slug,
        title=title,
        date=when,
        summary=summary,
        topics=tuple(chosen),
        tags=tags,
        sources=tuple(sources),
        key_facts=key_facts,
        body=(_rich_body if rich else _body)(writer, index, seed, len(sources)),
    )


def _body(writer: _Writer, index: int, seed: int, sources: int = 1) -> str:
    rng = writer.rng
    target_words = rng.randint(640, 760)
    headings = rng.sample(HEADINGS, rng.randint(3, 4))
    footnotes = rng.randint(1, 2)
    table_at = rng.randrange(len(headings))
    sections: list[list[str]] = [[writer.paragraph()]]  # a lede before the first heading
    sections += [[f"## {heading}", writer.paragraph()] for heading in headings]
    sections[1 + table_at].append(writer.table())
    words = sum(len(block.split()) for section in sections for block in section)
    while words < target_words:
        section = sections[rng.randrange(len(sections))]
        block = writer.paragraph()
        section.insert(1 + rng.randrange(len(section)), block)
        words += len(block.split())
    # Footnote references go at the end of paragraphs (never in a heading or a table).
    paragraphs = [
        (s, b)
        for s, section in enumerate(sections)
        for b, block in enumerate(section)
        if not block.startswith(("## ", "|"))
    ]
    for number, (s, b) in enumerate(sorted(rng.sample(paragraphs, footnotes)), start=1):
        sections[s][b] += f"[^{number}]"
    # Every source is cited once, Pandoc-style, as briefgen's sourcing check asks; for the
    # other tools the marker is plain text of the same length.
    for number, (s, b) in enumerate(rng.sample(paragraphs, min(sources, len(paragraphs))), 1):
        sections[s][b] += f" [@s{number}]"
    blocks = [block for section in sections for block in section]
    if index > 0 and rng.random() < 0.3:
        other = make_link_target(rng.randrange(index), seed)
        blocks.append(rng.choice(CLOSERS).format(target=f"{other}.md"))
    blocks += [f"[^{n}]: {writer.fill(rng.choice(FOOTNOTES))}" for n in range(1, footnotes + 1)]
    return "\n\n".join(blocks) + "\n"


# --- rich bodies ------------------------------------------------------------------------------
#
# A desk's briefs carry more Markdown than paragraphs: lists, a quote, tables of several
# shapes and inline spans throughout. Each of these is parsed and rendered by every tool, so
# a light body hides what Markdown costs. Rich briefs also list sources they never cite: each
# is a warning in briefgen, about 3 a brief, so a rebuild shows what warnings cost.

RICH_SOURCES = (3, 5)  # sources a rich brief lists
RICH_CITED = (0, 2)  # of which it cites: on average 4 − 1 = 3 never cited, a warning each
RICH_WORDS = (720, 820)  # body words drawn as a target, before footnotes and references
RICH_SPANS = (36, 44)  # inline spans a brief: emphasis, strong, code, links
SPAN_KINDS = ("emphasis", "strong", "code", "link", "brief")
SPAN_WEIGHTS = (0.30, 0.20, 0.20, 0.22, 0.08)  # of 40: 12, 8, 8, 9 and 3 links to briefs
LINK_DOMAINS = (
    *(domain for _, domain in PUBLISHERS),
    "www.gob.mx.example",
    "www.state.gov.example",
    "home.treasury.gov.example",
    "congress.gov.example",
)
LIST_INTROS = (
    "What is known so far:",
    "The main points, as officials described them:",
    "Reporters on the ground listed the following:",
    "The measures announced include:",
)
STEPS_INTROS = (
    "How the operation unfolded:",
    "The sequence of events, as reconstructed from court filings:",
    "What happens next, in order:",
)
QUOTE_INTROS = (
    "{Official} put it this way:",
    "In a statement, {agency} said:",
    "A resident of {place} told reporters:",
)
# a word that can carry a span: letters, digits and a few signs that mean nothing to Markdown
PLAIN_WORD = re.compile(r"[\w'’.,;:%$-]+")


def _rich_body(writer: _Writer, index: int, seed: int, sources: int = 3) -> str:
    """A lede and 3–4 ``##`` sections with two tables of different shapes, a bulleted and a
    numbered list (each with a nested list one time in two), a block quote, 1–2 footnotes,
    about 40 inline spans, and citations of 0–2 of the ``sources``: about 860 words (750 to
    1,100, counted as ``split()`` counts them, table rules included)."""
    rng = writer.rng
    target_words = rng.randint(*RICH_WORDS)
    headings = rng.sample(HEADINGS, rng.randint(3, 4))
    sections: list[list[str]] = [[writer.paragraph()]]
    sections += [[f"## {heading}", writer.paragraph()] for heading in headings]
    shapes = rng.sample(range(len(_TABLE_SHAPES)), 2)
    blocks = [_TABLE_SHAPES[shape](writer) for shape in shapes]
    blocks += [_bullets(writer), _steps(writer), _quote(writer)]
    for block in blocks:
        _place(writer, sections[1 + rng.randrange(len(headings))], block)
    words = sum(len(block.split()) for section in sections for block in section)
    while words < target_words:  # a paragraph, wherever it goes, keeps the blocks apart
        section = sections[rng.randrange(len(sections))]
        block = writer.paragraph()
        section.insert(1 + rng.randrange(len(section)), block)
        words += len(block.split())
    prose = [
        (s, b)
        for s, section in enumerate(sections)
        for b, block in enumerate(section)
        if not block.startswith(("## ", "|"))
    ]
    _add_spans(writer, index, seed, sections, prose)
    paragraphs = [(s, b) for s, b in prose if "\n" not in sections[s][b]]  # not a list or quote
    footnotes = rng.randint(1, 2)
    for number, (s, b) in enumerate(sorted(rng.sample(paragraphs, footnotes)), start=1):
        sections[s][b] += f"[^{number}]"
    cited = rng.sample(range(1, sources + 1), min(rng.randint(*RICH_CITED), sources))
    for number, (s, b) in zip(cited, rng.sample(paragraphs, len(cited)), strict=True):
        sections[s][b] += f" [@s{number}]"
    out = [block for section in sections for block in section]
    out += [f"[^{n}]: {writer.fill(rng.choice(FOOTNOTES))}" for n in range(1, footnotes + 1)]
    return "\n\n".join(out) + "\n"


def _place(writer: _Writer, section: list[str], block: str) -> None:
    """Put ``block`` (a table, a list, a quote) into ``section`` after one of its paragraphs
    and never just before another such block, so that no two of them touch: Python-Markdown
    would join a bulleted and a numbered list. A paragraph is added when there is no room."""
    special = {n for n, text in enumerate(section) if text.startswith("|") or "\n" in text}
    places = [
        n
        for n in range(2, len(section) + 1)
        if n - 1 not in special and n not in special and not section[n - 1].startswith("## ")
    ]
    if places:
        section.insert(writer.rng.choice(places), block)
    else:
        section += [writer.paragraph(), block]


def _add_spans(
    writer: _Writer,
    index: int,
    seed: int,
    sections: list[list[str]],
    prose: list[tuple[int, int]],
) -> None:
    """Wrap about 40 runs of words of the ``prose`` blocks (paragraphs, list items, the
    quote; not the lead-in of a list or quote) in emphasis, strong emphasis, code spans and
    links: blocks are picked in proportion to their words, runs never overlap or nest."""
    rng = writer.rng
    sizes = [len(sections[s][b].split()) for s, b in prose]
    wanted: dict[int, list[str]] = defaultdict(list)
    for _ in range(rng.randint(*RICH_SPANS)):
        block = rng.choices(range(len(prose)), weights=sizes)[0]
        wanted[block].append(rng.choices(SPAN_KINDS, weights=SPAN_WEIGHTS)[0])
    for block in sorted(wanted):
        s, b = prose[block]
        lines = [_Line(line) for line in sections[s][b].split("\n")]
        texts = [line for line in lines if len(line.words) > 4 and line.words[-1][-1] != ":"]
        for kind in wanted[block]:
            _span(writer, index, seed, rng.choice(texts), kind)
        sections[s][b] = "\n".join(" ".join(line.words) for line in lines)


class _Line:
    """A line's words, and which of them are already in a span (or are a list marker)."""

    def __init__(self, text: str) -> None:
        self.words = text.split(" ")
        first = 0
        if text.startswith(("- ", "> ", "    - ")) or re.match(r"\d+\. ", text):
            first = self.words.index(text.split()[0]) + 1  # after a list item's or quote's marker
        self.taken = set(range(first))
        self.taken.update(n for n, word in enumerate(self.words) if not PLAIN_WORD.fullmatch(word))


def _span(writer: _Writer, index: int, seed: int, line: _Line, kind: str) -> None:
    """Add one span of ``kind`` to ``line``, unless there is no room for it. Emphasis,
    strong emphasis and links wrap a run of free words within one sentence (1–3, 2–4 for a
    link), punctuation that ends the run staying outside; a code span is a reference put
    before a sentence's full stop, as a desk writes a case number."""
    rng = writer.rng
    words = line.words
    if kind == "code":
        ends = [
            n
            for n, word in enumerate(words)
            if n not in line.taken and word[-1] == "." and word.count(".") == 1
        ]
        if ends:
            at = rng.choice(ends)
            words[at] = f"{words[at][:-1]} ({_reference(rng)})."
            line.taken.add(at)
        return
    length = rng.randint(2, 4) if kind in ("link", "brief") else rng.randint(1, 3)
    # reach[n]: the longest run from word n of free words, only its last ending a clause
    reach = [0] * (len(words) + 1)
    for n in range(len(words) - 1, -1, -1):
        if n not in line.taken:
            reach[n] = 1 if words[n][-1] in ".,;:" else 1 + reach[n + 1]
    starts = [n for n, free in enumerate(reach) if free >= length]
    if not starts:
        return
    start = rng.choice(starts)
    last = start + length - 1
    line.taken.update(range(start, last + 1))
    word = words[last]
    cut = len(word.rstrip(",;:")) if "." in word[:-1] else len(word.rstrip(".,;:"))
    text = " ".join([*words[start:last], word[:cut]])
    if kind == "brief" and index == 0:
        kind = "link"  # the first brief has none before it to link to
    if kind == "emphasis":
        opening, closing = "*", "*"
    elif kind == "strong":
        opening, closing = "**", "**"
    elif kind == "link":
        path = f"{rng.randint(2017, 2025)}/{rng.randint(1, 12):02d}/{slugify(text)}"
        opening, closing = "[", f"](https://{rng.choice(LINK_DOMAINS)}/{path})"
    else:
        opening, closing = "[", f"]({make_link_target(rng.randrange(index), seed)}.md)"
    words[last] = word[:cut] + closing + word[cut:]
    words[start] = opening + words[start]


def _reference(rng: random.Random) -> str:
    """A case number, call sign, tariff code or docket in a code span, with what it is."""
    kind = rng.randrange(4)
    if kind == 0:
        return f"case `CR-{rng.randint(2015, 2025)}-{rng.randint(1, 9999):04d}`"
    if kind == 1:
        return f"call sign `{rng.choice(('RCH', 'NAVY', 'SPAR', 'TOPCAT'))}{rng.randint(1, 999)}`"
    if kind == 2:
        return f"tariff code `{rng.randint(2800, 2999)}.{rng.randint(10, 99)}`"
    return f"docket `DHS-{rng.randint(2015, 2025)}-{rng.randint(1, 999):04d}`"


def _bullets(writer: _Writer) -> str:
    """A lead-in and a bulleted list of 3–6 sentences; one time in two, one item holds a
    nested list of 2–3."""
    rng = writer.rng
    items = [f"- {writer.fill(rng.choice(SENTENCES))}" for _ in range(rng.randint(3, 6))]
    if rng.random() < 0.5:
        at = rng.randrange(len(items))
        nested = [f"    - {writer.fill(rng.choice(SENTENCES))}" for _ in range(rng.randint(2, 3))]
        items[at] = "\n".join([items[at], *nested])
    return "\n\n".join([writer.fill(rng.choice(LIST_INTROS)), "\n".join(items)])


def _steps(writer: _Writer) -> str:
    """A lead-in and a numbered list of 3–5 steps; one time in two, one step holds a nested
    bulleted list of 2–3."""
    rng = writer.rng
    items = [f"{n}. {writer.fill(rng.choice(SENTENCES))}" for n in range(1, rng.randint(3, 5) + 1)]
    if rng.random() < 0.5:
        at = rng.randrange(len(items))
        nested = [f"    - {writer.fill(rng.choice(SENTENCES))}" for _ in range(rng.randint(2, 3))]
        items[at] = "\n".join([items[at], *nested])
    return "\n\n".join([writer.fill(rng.choice(STEPS_INTROS)), "\n".join(items)])


def _quote(writer: _Writer) -> str:
    """A lead-in and a block quote of two sentences over two lines."""
    rng = writer.rng
    said = [f"> {writer.fill(rng.choice(SENTENCES))}" for _ in range(2)]
    return "\n\n".join([writer.fill(rng.choice(QUOTE_INTROS)), "\n".join(said)])


def _wide_table(writer: _Writer) -> str:
    """Five columns: a place and three years of counts, then the change; 4–7 rows."""
    rng = writer.rng
    first = rng.randint(2017, 2022)
    years = [str(first + k) for k in range(3)]
    rows = [f"| Region | {' | '.join(years)} | Change |", "|:---|--:|--:|--:|--:|"]
    for _ in range(rng.randint(4, 7)):
        counts = [rng.randint(10, 9000) for _ in years]
        change = round(100 * (counts[-1] - counts[0]) / counts[0])
        cells = " | ".join(f"{count:,}" for count in counts)
        rows.append(f"| {writer.fill('{place}')} | {cells} | {change:+}% |")
    return "\n".join(rows)


def _events_table(writer: _Writer) -> str:
    """Three columns of text, a date, who and what; 3–5 rows."""
    rng = writer.rng
    rows = ["| Date | Who | What |", "|---|---|---|"]
    for _ in range(rng.randint(3, 5)):
        what = writer.fill("{verb} {asset} near {place}")
        rows.append(
            f"| {rng.randint(1, 28)} {writer.fill('{month}')} | {writer.fill('{Agency}')} | {what} |"
        )
    return "\n".join(rows)


def _status_table(writer: _Writer) -> str:
    """Two columns, the second centred: a measure and where it stands; 4–6 rows."""
    rng = writer.rng
    rows = ["| Measure | Status |", "|---|:-:|"]
    for _ in range(rng.randint(4, 6)):
        status = rng.choice(("in force", "pending", "suspended", "under review", "expired"))
        rows.append(f"| {writer.fill('{Asset} over {place}')} | {status} |")
    return "\n".join(rows)


_TABLE_SHAPES: tuple[Callable[[_Writer], str], ...] = (
    _Writer.table,
    _wide_table,
    _events_table,
    _status_table,
)


def _title(writer: _Writer, index: int) -> tuple[str, str]:
    """A brief's title and slug: the first draws of its generator, so a link can find them."""
    title = writer.fill(writer.rng.choice(TITLES))
    return title, f"{index:05d}-{slugify(title)}"[:72].rstrip("-")


def make_link_target(index: int, seed: int = SEED) -> str:
    """The slug of brief ``index``, without generating its body."""
    return _title(_Writer(random.Random(f"{seed}:brief:{index}")), index)[1]


def generate(count: int, seed: int = SEED, pictures: int = 0, rich: bool = False) -> Corpus:
    """The corpus as data: the other tools' sites are written from exactly this text.
    ``pictures`` are described here and written only into sites that ask for them; ``rich``
    gives every brief the richer body of :func:`_rich_body` and sources it does not all cite."""
    topics = _topics()
    briefs = tuple(make_brief(i, topics, seed, rich) for i in range(count))
    return Corpus(topics, briefs, make_pictures(pictures, count, seed), seed, rich)


# --- pictures ---------------------------------------------------------------------------------

PICTURE_DIR = "img"  # beside the briefs that show them: content/briefs/img/
BODY_EVERY = 20  # one picture in twenty is shown in its brief's body instead of leading it
ALTS = (
    "{Asset} parked on an airfield outside {place} under a hazy sky",
    "A line of trucks waiting to cross the border at {place}",
    "Officers of {agency} inspecting a shipping container at the port of {place}",
    "Hills outside {place} seen from the border fence late in the afternoon",
    "Soldiers at a checkpoint on the road into {place}",
    "Police vehicles at the end of a street in {place} after a raid",
    "Warehouses on the edge of {place}, with a watchtower in the distance",
    "{Official} speaking to reporters in front of low buildings in {place}",
)
TOWNS = tuple(place for place in PLACES if not place.startswith("the "))
PHOTOGRAPHERS = (
    "Ana Lucía Ríos",
    "Daniel Ortega Vidal",
    "Marisol Peña",
    "James Whitcomb",
    "Carla Ibarra",
    "Tomás Aguilar",
    "Rebecca Lindqvist",
    "Héctor Salas",
    "Nadia Ferrer",
    "Luis Camacho",
)


def make_pictures(count: int, briefs: int, seed: int = SEED) -> tuple[Picture, ...]:
    """``count`` pictures spread evenly over ``briefs`` briefs, at most one a brief: picture
    ``k`` belongs to brief ``k * briefs // count``. Its text depends on the seed and ``k``."""
    pictures = []
    for number in range(min(count, briefs)):
        writer = _Writer(random.Random(f"{seed}:picture:{number}"))
        rng = writer.rng
        writer.values["place"] = lambda rng=rng: rng.choice(TOWNS)  # a place one can stand in
        alt = writer.fill(rng.choice(ALTS))
        publisher = rng.choice(PUBLISHERS)[0]
        credit = f"{rng.choice(PHOTOGRAPHERS)} / {publisher}"
        caption = writer.fill(rng.choice(SENTENCES)) if rng.random() < 0.5 else ""
        pictures.append(
            Picture(
                number,
                number * briefs // count,
                f"photo-{number:05d}.jpg",
                alt,
                credit,
                caption,
                number % BODY_EVERY != BODY_EVERY - 1,
            )
        )
    return tuple(pictures)


# The pixels: a few landscapes are painted once (sky, clouds, a ridge, buildings, grain), and
# each picture is a crop of one of them, perhaps mirrored, colour-graded and with a few shapes
# of its own. Fine grain and texture make them compress like photographs: about 330 KB for
# 1600 × 1067 at quality 85.
BASE_SIZE = (2400, 1600)
BASES = 4
PICTURE_WIDTHS = (1200, 1400, 1600, 1600, 1600, 1600, 1800, 2000, 2400)
ASPECTS = ((3, 2), (3, 2), (3, 2), (4, 3), (16, 9))
SKIES = (
    ((96, 140, 196), (214, 220, 226)),
    ((120, 128, 140), (200, 196, 188)),
    ((70, 110, 170), (236, 200, 150)),
    ((150, 170, 190), (230, 230, 225)),
)
GROUNDS = ((150, 120, 80), (96, 110, 70), (120, 116, 110), (170, 140, 100))
JPEG_QUALITY = 85


def _noise(rng: random.Random, width: int, height: int) -> Any:
    from PIL import Image

    return Image.frombytes("L", (width, height), rng.randbytes(width * height))


def _fractal(rng: random.Random, size: tuple[int, int], octaves: tuple[int, ...]) -> Any:
    """Grey noise over several scales: ``octaves`` are cells across the width."""
    from PIL import Image

    width, height = size
    out = None
    for cells in octaves:
        layer = _noise(rng, cells, max(2, cells * height // width))
        layer = layer.resize(size, Image.Resampling.BICUBIC)
        out = layer if out is None else Image.blend(out, layer, 0.4)
    return out


def _ramp(top: tuple[int, ...], bottom: tuple[int, ...], size: tuple[int, int]) -> Any:
    """An RGB picture going from colour ``top`` to colour ``bottom``."""
    from PIL import Image

    column = Image.linear_gradient("L").resize((1, size[1]))
    bands = [
        column.point(lambda v, a=a, b=b: a + (b - a) * v // 255)
        for a, b in zip(top, bottom, strict=True)
    ]
    return Image.merge("RGB", bands).resize(size, Image.Resampling.NEAREST)


def _shade(grey: Any, colour: tuple[int, ...]) -> Any:
    """A grey texture coloured: each channel from half to one and a half of ``colour``."""
    from PIL import Image

    return Image.merge(
        "RGB", [grey.point(lambda v, c=c: min(255, c * (128 + v) // 255)) for c in colour]
    )


def _land(rng: random.Random, size: tuple[int, int]) -> tuple[Any, list[int]]:
    """The mask of the ground under a ridge, and the ridge's height every 100 pixels."""
    from PIL import Image, ImageDraw, ImageFilter

    width, height = size
    y = rng.randint(height * 2 // 5, height * 3 // 5)
    ridge = []
    for _ in range(0, width + 100, 100):
        y = max(height // 4, min(height * 3 // 4, y + rng.randint(-60, 60)))
        ridge.append(y)
    mask = Image.new("L", size, 0)
    outline = [(0, height), *((100 * i, y) for i, y in enumerate(ridge)), (width, height)]
    ImageDraw.Draw(mask).polygon(outline, fill=255)
    return mask.filter(ImageFilter.GaussianBlur(3)), ridge


@functools.cache
def _base(seed: int, number: int) -> Any:
    """Landscape ``number``: sky with clouds, ground under a ridge, buildings, grain."""
    from PIL import Image, ImageChops, ImageDraw, ImageFilter

    rng = random.Random(f"{seed}:landscape:{number}")
    size = BASE_SIZE
    sky = _ramp(*SKIES[number % len(SKIES)], size)
    clouds = _fractal(rng, size, (4, 12, 48)).point(lambda v: max(0, v - 120) * 2)
    sky = Image.composite(Image.new("RGB", size, (245, 245, 245)), sky, clouds)
    ground = _shade(_fractal(rng, size, (8, 40, 200, 800)), GROUNDS[number % len(GROUNDS)])
    mask, ridge = _land(rng, size)
    image = Image.composite(ground, sky, mask)
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(12, 30)):
        x = rng.randrange(size[0])
        y = ridge[x // 100] + rng.randint(0, 300)
        width, height, grey = rng.randint(20, 260), rng.randint(15, 220), rng.randint(30, 200)
        colour = tuple(max(0, min(255, grey + rng.randint(-25, 25))) for _ in range(3))
        draw.rectangle((x, y - height, x + width, y), fill=colour)
        draw.rectangle((x, y - height, x + width // 3, y), fill=tuple(c * 3 // 4 for c in colour))
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    grain = _noise(rng, *size).point(lambda v: 128 + (v - 128) // 12)
    detail = _fractal(rng, size, (150, 600)).point(lambda v: 128 + (v - 128) // 3)
    texture = ImageChops.overlay(grain, detail)
    return ImageChops.overlay(image, Image.merge("RGB", (texture,) * 3))


def paint(number: int, seed: int = SEED) -> Any:
    """The pixels of picture ``number``: 1200 to 2400 pixels wide, mostly 3:2."""
    from PIL import Image, ImageDraw

    rng = random.Random(f"{seed}:pixels:{number}")
    base = _base(seed, rng.randrange(BASES))  # the first draw: see _landscape
    width = rng.choice(PICTURE_WIDTHS)
    across, down = rng.choice(ASPECTS) if width <= 2000 else (3, 2)
    height = width * down // across
    x, y = rng.randint(0, BASE_SIZE[0] - width), rng.randint(0, BASE_SIZE[1] - height)
    image = base.crop((x, y, x + width, y + height))
    if rng.random() < 0.5:
        image = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    warmth, gain, lift = rng.uniform(-0.08, 0.08), rng.uniform(0.85, 1.15), rng.randint(-15, 15)
    table = [
        max(0, min(255, round(v * gain * (1 + tilt) + lift)))
        for tilt in (warmth, 0.0, -warmth)
        for v in range(256)
    ]
    image = image.point(table)
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(1, 3)):  # something in the foreground, in the scene's colours
        cx, cy = rng.randrange(width - 1), rng.randrange(height // 2, height - 1)
        shade = tuple(c // 2 for c in image.getpixel((cx, cy)))
        draw.rectangle((cx, cy - rng.randint(10, 120), cx + rng.randint(20, 200), cy), fill=shade)
    return image


def _landscape(number: int, seed: int) -> int:
    """The landscape picture ``number`` is cut from."""
    return random.Random(f"{seed}:pixels:{number}").randrange(BASES)


def write_pictures(
    pictures: Iterable[Picture], folder: Path, seed: int = SEED, jobs: int | None = None
) -> None:
    """Write each picture as ``folder/<file_name>``, a JPEG at quality 85, on ``jobs``
    processes (default: every core). The bytes depend only on the seed and the picture."""
    pictures = list(pictures)
    folder.mkdir(parents=True, exist_ok=True)
    if not pictures:
        return
    jobs = max(1, min(jobs or os.cpu_count() or 1, BASES, len(pictures) // 20 or 1))
    # Each process paints only the landscapes of its own pictures (half a second each).
    shares: list[list[Picture]] = [[] for _ in range(jobs)]
    for picture in pictures:
        shares[_landscape(picture.number, seed) % jobs].append(picture)
    context = multiprocessing.get_context("fork")
    workers = [
        context.Process(target=_write_some, args=(share, folder, seed)) for share in shares[1:]
    ]
    for worker in workers:
        worker.start()
    _write_some(shares[0], folder, seed)
    for worker in workers:
        worker.join()
    if any(worker.exitcode for worker in workers):
        raise RuntimeError("a process writing pictures failed")


def _write_some(pictures: list[Picture], folder: Path, seed: int) -> None:
    for picture in pictures:
        paint(picture.number, seed).save(folder / picture.file_name, "JPEG", quality=JPEG_QUALITY)


# --- the briefgen site ------------------------------------------------------------------------


def quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


SITE_YAML = """\
title: Benchmark briefings
description: A generated corpus of briefs for measuring build times.
base_url: https://example.org/briefings/
language: en
per_page: 20
related: 3
search:
  enabled: {search}
"""


def brief_front_matter(brief: Brief, picture: Picture | None = None) -> str:
    """The front matter; with ``picture``, if it leads the brief, its ``image:``."""
    image = []
    if picture is not None and picture.lead:
        image = [
            "image:",
            f"  src: {PICTURE_DIR}/{picture.file_name}",
            f"  alt: {quoted(picture.alt)}",
            f"  credit: {quoted(picture.credit)}",
            *([f"  caption: {quoted(picture.caption)}"] if picture.caption else []),
        ]
    lines = [
        "---",
        f"title: {quoted(brief.title)}",
        f"date: {brief.date.isoformat()}",
        f"summary: {quoted(brief.summary)}",
        *image,
        f"topics: [{', '.join(brief.topics)}]",
        f"tags: [{', '.join(brief.tags)}]",
        "key_facts:",
        *(f"  - {quoted(fact)}" for fact in brief.key_facts),
        "sources:",
    ]
    for number, source in enumerate(brief.sources, 1):
        lines += [
            f"  - id: s{number}",
            f"    title: {quoted(source.title)}",
            f"    publisher: {quoted(source.publisher)}",
            f"    url: {quoted(source.url)}",
            f"    date: {source.date.isoformat()}",
        ]
    return "\n".join([*lines, "---", ""])


def write_site(
    corpus: Corpus,
    root: Path,
    *,
    search: bool = False,
    social_cards: bool = True,
    pictures: bool = False,
    cited: bool = True,
    shortcodes: bool = False,
    charts: int = 0,
) -> None:
    """Write a complete briefgen site for ``corpus`` into ``root``: with ``pictures``, the
    corpus's pictures too, in the briefs that show them; ``social_cards=False`` writes
    ``social_cards: false`` (else site.yaml leaves it at its default, on); ``cited=False``
    leaves every source listed but never cited, as many real sites do: a warning for each
    source, tens of thousands on a large corpus. ``shortcodes`` gives one brief in
    :data:`QUOTE_EVERY` a pull quote and one in :data:`POST_EVERY` a quoted post, each citing
    the brief's first source, and shows body pictures with ``figure``. ``charts`` briefs,
    spread over the corpus, each show a chart (a line or a column chart by turns)."""
    (root / "content" / "topics").mkdir(parents=True, exist_ok=True)
    (root / "content" / "briefs").mkdir(parents=True, exist_ok=True)
    site_yaml = SITE_YAML.format(search=str(search).lower())
    if not social_cards:
        site_yaml += "social_cards: false\n"
    (root / "site.yaml").write_text(site_yaml, "utf-8")
    for topic in corpus.topics:
        text = (
            f"---\ntitle: {quoted(topic.title)}\ndescription: {quoted(topic.description)}\n"
            f"---\n\n{topic.intro}\n"
        )
        (root / "content" / "topics" / f"{topic.slug}.md").write_text(text, "utf-8")
    shown = corpus.pictures if pictures else ()
    every = max(len(corpus.briefs) // charts, 1) if charts else 0
    write_briefs(corpus.briefs, root / "content" / "briefs", shown, cited, shortcodes, every)
    if shown:
        write_pictures(shown, root / "content" / "briefs" / PICTURE_DIR, corpus.seed)


def write_briefs(
    briefs: Iterable[Brief],
    folder: Path,
    pictures: Iterable[Picture] = (),
    cited: bool = True,
    shortcodes: bool = False,
    chart_every: int = 0,
) -> None:
    by_brief = {picture.brief: picture for picture in pictures}
    for brief in briefs:
        picture = by_brief.get(brief.index)
        body = brief.body if cited else UNCITED.sub(r"(\1)", brief.body)
        lede, rest = body.split("\n\n", 1)
        added = _shortcodes(brief, cited) if shortcodes else []
        if picture is not None and not picture.lead:  # after the lede
            src = f"{PICTURE_DIR}/{picture.file_name}"
            shown = f"![{picture.alt}]({src})"
            if shortcodes:
                shown = f'{{{{< figure {src} alt="{picture.alt}" credit="{picture.credit}" >}}}}'
            added.insert(0, shown)
        if chart_every and brief.index % chart_every == 0:
            added.append(_chart(brief, cited, line=brief.index // chart_every % 2 == 1))
        body = "\n\n".join([lede, *added, rest])
        text = f"{brief_front_matter(brief, picture)}\n{body}"
        (folder / brief.file_name).write_text(text, "utf-8")


QUOTE_EVERY, POST_EVERY = 4, 10  # with shortcodes: which briefs quote a person, and a post


def _shortcodes(brief: Brief, cited: bool) -> list[str]:
    """The pull quote and the quoted post a brief shows, when its index calls for them."""
    cite = " source=s1" if cited else ""
    said = brief.key_facts[0]
    found = []
    if brief.index % QUOTE_EVERY == 0:
        found.append(f'{{{{< quote by="A senior official"{cite} >}}}}\n{said}.\n{{{{< /quote >}}}}')
    if brief.index % POST_EVERY == 0:
        url = f"https://bsky.app/profile/desk.example/post/{brief.index:05d}"
        found.append(
            f'{{{{< post {url} author="The desk" handle="@desk.example"'
            f" date={brief.date:%Y-%m-%d}{cite} >}}}}\n{brief.summary}\n{{{{< /post >}}}}"
        )
    return found


def _chart(brief: Brief, cited: bool, line: bool) -> str:
    """A chart for a brief: a ``line`` of eight weekly counts, or five columns (the corpus
    gives them by turns); the numbers drawn from the brief's index, so that every chart
    differs."""
    cite = " source=s1" if cited else ""
    n = brief.index
    if line:
        days = [brief.date.toordinal() - 7 * (7 - i) for i in range(8)]
        rows = [
            f"{date.fromordinal(d):%Y-%m-%d},{(n * 37 + i * 113) % 900 + 100}"
            for i, d in enumerate(days)
        ]
        head = f'{{{{< chart line title="Weekly crossings in sector {n % 9 + 1}"{cite} >}}}}\nweek,crossings'
    else:
        rows = [f"Sector {i + 1},{(n * 53 + i * 71) % 500 + 20}" for i in range(5)]
        head = (
            f'{{{{< chart column title="Arrests by sector, report {n}"{cite} >}}}}\nsector,arrests'
        )
    return "\n".join([head, *rows, "{{< /chart >}}"])


# a citation made plain text of the same length: "[@s2]" → "(s2)" and one space less
UNCITED = re.compile(r" ?\[@(s\d+)\]")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a generated briefgen site.")
    parser.add_argument("count", type=int, help="number of briefs")
    parser.add_argument("dir", type=Path, help="site folder to write (created)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--search", action="store_true", help="enable search in site.yaml")
    parser.add_argument(
        "--pictures",
        type=int,
        default=0,
        metavar="N",
        help="photo-like JPEGs shown by N briefs spread over the corpus (default: 0)",
    )
    parser.add_argument(
        "--no-social-cards",
        dest="social_cards",
        action="store_false",
        help="write social_cards: false in site.yaml",
    )
    parser.add_argument(
        "--uncited",
        dest="cited",
        action="store_false",
        help="list every brief's sources without citing them: a warning for each",
    )
    parser.add_argument(
        "--shortcodes",
        action="store_true",
        help="pull quotes, quoted posts and figures drawn by briefgen's shortcodes",
    )
    parser.add_argument(
        "--charts",
        type=int,
        default=0,
        metavar="N",
        help="N briefs spread over the corpus each show a chart (default: 0)",
    )
    parser.add_argument(
        "--rich",
        action="store_true",
        help="rich bodies: two tables, lists, a quote, about 40 inline spans a brief, and"
        " 3–5 sources of which about 3 are never cited (a warning each)",
    )
    args = parser.parse_args(argv)
    if args.dir.exists() and any(args.dir.iterdir()):
        print(f"{args.dir} is not empty", file=sys.stderr)
        return 2
    corpus = generate(args.count, args.seed, args.pictures, rich=args.rich)
    write_site(
        corpus,
        args.dir,
        search=args.search,
        social_cards=args.social_cards,
        pictures=True,
        cited=args.cited,
        shortcodes=args.shortcodes,
        charts=args.charts,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
