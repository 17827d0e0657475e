"""A deterministic corpus of briefing sites for the benchmark: same seed, same bytes."""

from __future__ import annotations

import argparse
import functools
import json
import random
import re
import string
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

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
class Corpus:
    topics: tuple[Topic, ...]
    briefs: tuple[Brief, ...]

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
    "U.S. Northern Command", "the Pentagon", "the State Department", "the Treasury Department",
    "Customs and Border Protection", "the Drug Enforcement Administration", "the CIA",
    "Mexico's Defense Ministry", "the Mexican Navy", "Mexico's Foreign Ministry",
    "the National Guard", "the Attorney General's Office", "federal prosecutors in Texas",
    "the Department of Homeland Security", "Border Patrol", "Mexico's Security Cabinet",
    "the Financial Intelligence Unit", "the Coast Guard", "state police in Sinaloa",
    "the Justice Department",
)  # fmt: skip
OFFICIALS = (
    "the defense secretary", "the border czar", "Mexico's foreign minister",
    "the U.S. ambassador", "a senior Mexican security official", "a Navy spokesperson",
    "the attorney general", "a State Department spokesperson", "the governor of Sonora",
    "a retired Air Force general", "the president's security adviser", "a Senate aide",
    "the head of the National Guard", "a former DEA administrator", "a customs inspector",
    "the mayor of Ciudad Juárez", "a Treasury official", "the commander of Northern Command",
)  # fmt: skip
GROUPS = (
    "the Sinaloa Cartel", "Jalisco Nueva Generación", "the Gulf Cartel",
    "the Northeast Cartel", "La Nueva Familia Michoacana", "Cárteles Unidos",
    "a faction loyal to the Chapitos", "a splinter group of the Zetas",
    "local cells tied to the Jalisco cartel", "a trafficking network based in Culiacán",
)  # fmt: skip
PLACES = (
    "Sinaloa", "Sonora", "Chihuahua", "Tamaulipas", "Baja California", "Michoacán",
    "Jalisco", "Ciudad Juárez", "Tijuana", "Nogales", "Reynosa", "Nuevo Laredo", "Culiacán",
    "El Paso", "San Diego", "Laredo", "Matamoros", "Mexicali", "Manzanillo",
    "Lázaro Cárdenas", "the Gulf of California", "the Sierra Madre", "Guerrero", "Zacatecas",
)  # fmt: skip
ASSETS = (
    "MQ-9 Reaper drones", "RC-135 reconnaissance flights", "P-8 Poseidon patrol aircraft",
    "surveillance balloons", "tethered aerostats", "U-2 spy planes", "Navy patrol boats",
    "ground sensors", "mobile X-ray scanners", "signals intercepts", "satellite imagery",
    "thermal cameras", "armed helicopters", "interceptor boats",
)  # fmt: skip
GOODS = (
    "fentanyl precursors", "synthetic drug laboratories", "high-calibre rifles",
    "bulk cash shipments", "cross-border tunnels", "methamphetamine shipments",
    "stolen fuel", "counterfeit pills", "ammunition caches", "container loads of chemicals",
)  # fmt: skip
VERBS = (
    "stepped up", "scaled back", "expanded", "reviewed", "suspended", "defended",
    "questioned", "confirmed", "denied", "criticised", "praised", "funded", "delayed",
    "announced", "investigated",
)  # fmt: skip
QUALIFIERS = (
    "without giving details", "according to two people familiar with the matter",
    "in a statement late on Tuesday", "at a news conference in the capital",
    "in testimony before a Senate committee", "in a letter seen by reporters",
    "after weeks of private talks", "despite objections from local officials",
    "for the first time in a decade", "in response to questions from lawmakers",
)  # fmt: skip
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
PUBLISHERS = (
    ("Puerto Vallarta Daily News", "vallartadaily.example"),
    ("Border Report", "borderreport.example"),
    ("The Gulf Coast Ledger", "gulfledger.example"),
    ("Sonora Weekly", "sonoraweekly.example"),
    ("Capital Wire", "capitalwire.example"),
    ("The Frontera Times", "fronteratimes.example"),
    ("Pacific Security Review", "pacificsecurity.example"),
    ("Noticias del Norte", "noticiasnorte.example"),
)  # fmt: skip
TAGS = (
    "apprehensions", "aerial-surveillance", "sanctions", "extradition", "seizures",
    "hearings", "budget", "troops", "tariffs", "fentanyl", "methamphetamine", "weapons",
    "laundering", "diplomacy", "protest", "agreement", "investigation", "arrests",
    "violence", "prisons", "courts", "intelligence", "navy", "air-force", "ports",
    "chemicals", "labs", "tunnels", "remittances", "elections", "press-freedom",
    "energy", "fuel-theft", "canada", "guatemala", "statistics", "policy", "visits",
)  # fmt: skip
HEADINGS = (
    "What happened", "Background", "The numbers", "Reactions", "What comes next",
    "Diplomatic fallout", "On the ground", "Context", "Why it matters", "Legal questions",
    "In Congress", "The view from Mexico City", "Regional impact", "The operation",
    "Costs", "Open questions", "Earlier moves", "Who is involved",
)  # fmt: skip
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


def make_brief(index: int, topics: tuple[Topic, ...], seed: int = SEED) -> Brief:
    """Brief ``index`` of any corpus: it depends on the seed and its index only."""
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
    for _ in range(rng.randint(1, 3)):
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
        body=_body(writer, index, seed, len(sources)),
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


def _title(writer: _Writer, index: int) -> tuple[str, str]:
    """A brief's title and slug: the first draws of its generator, so a link can find them."""
    title = writer.fill(writer.rng.choice(TITLES))
    return title, f"{index:05d}-{slugify(title)}"[:72].rstrip("-")


def make_link_target(index: int, seed: int = SEED) -> str:
    """The slug of brief ``index``, without generating its body."""
    return _title(_Writer(random.Random(f"{seed}:brief:{index}")), index)[1]


def generate(count: int, seed: int = SEED) -> Corpus:
    """The corpus as data: the other tools' sites are written from exactly this text."""
    topics = _topics()
    return Corpus(topics, tuple(make_brief(i, topics, seed) for i in range(count)))


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


def brief_front_matter(brief: Brief) -> str:
    lines = [
        "---",
        f"title: {quoted(brief.title)}",
        f"date: {brief.date.isoformat()}",
        f"summary: {quoted(brief.summary)}",
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


def write_site(corpus: Corpus, root: Path, *, search: bool = False) -> None:
    """Write a complete briefgen site for ``corpus`` into ``root``."""
    (root / "content" / "topics").mkdir(parents=True, exist_ok=True)
    (root / "content" / "briefs").mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(SITE_YAML.format(search=str(search).lower()), "utf-8")
    for topic in corpus.topics:
        text = (
            f"---\ntitle: {quoted(topic.title)}\ndescription: {quoted(topic.description)}\n"
            f"---\n\n{topic.intro}\n"
        )
        (root / "content" / "topics" / f"{topic.slug}.md").write_text(text, "utf-8")
    write_briefs(corpus.briefs, root / "content" / "briefs")


def write_briefs(briefs: Iterable[Brief], folder: Path) -> None:
    for brief in briefs:
        text = f"{brief_front_matter(brief)}\n{brief.body}"
        (folder / brief.file_name).write_text(text, "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a generated briefgen site.")
    parser.add_argument("count", type=int, help="number of briefs")
    parser.add_argument("dir", type=Path, help="site folder to write (created)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--search", action="store_true", help="enable search in site.yaml")
    args = parser.parse_args(argv)
    if args.dir.exists() and any(args.dir.iterdir()):
        print(f"{args.dir} is not empty", file=sys.stderr)
        return 2
    write_site(generate(args.count, args.seed), args.dir, search=args.search)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
