"""The default theme's tables of words, themes/default/i18n/<code>.yaml: the languages it
ships, each with every key of English (the date patterns are optional), no key English lacks,
English's placeholders, and the plural forms CLDR's rule for the language needs, no more.
Then one small site built in each shipped language: every date its pages show is Babel's for
the locale, and no English month name is left outside the briefs' own text."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal

from briefgen.languages.locales import babel_locale
from briefgen.languages.tables import Catalog, read_table
from briefgen.languages.words import SKELETONS
from briefgen.model.dates import MONTHS
from briefgen.model.diagnostics import Diagnostics

from conftest import REPO, SITE_YAML

THEME = REPO / "themes" / "default"
TABLES = THEME / "i18n"
# the languages the default theme promises besides English (README.md, docs/multilingual.md)
PROMISED = (
    "ar",
    "bn",
    "de",
    "es",
    "fa",
    "fr",
    "he",
    "hi",
    "id",
    "it",
    "ja",
    "ko",
    "nl",
    "pl",
    "pt",
    "pt-BR",
    "ro",
    "ru",
    "sw",
    "ta",
    "tr",
    "uk",
    "zh-Hans",
    "zh-Hant",
)
DATE_PATTERNS = frozenset(SKELETONS)
# placeholders that carry the count itself: a form may spell its number out instead ("one
# brief", Arabic's dual "موجزان"), the way CLDR's zero, one and two forms often do
COUNT_NAMES = frozenset({"count", "number"})
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _shipped() -> list[str]:
    """Every table's code as its file names it, the promised ones whether present or not."""
    found = {p.stem for p in TABLES.glob("*.yaml")} - {"en"}
    return sorted(found | set(PROMISED), key=str.lower)


def _read(path: Path) -> dict:
    diags = Diagnostics()
    table = read_table(path, REPO, diags)
    assert diags.items == [], "\n".join(d.format() for d in diags.items)
    return table


def _counted() -> set[str]:
    """The keys the theme's templates fill with a count: ``t('archive.lede', count=…)``."""
    found: set[str] = set()
    for path in (THEME / "templates").rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            found |= set(re.findall(r"\bt\('([a-z_.]+)',\s*count=", text))
    return found


def plural_needs(tag: str) -> set[str]:
    """The plural categories CLDR's rule for ``tag`` uses: ``other`` and those its rule names."""
    return set(babel_locale(tag).plural_form.tags) | {"other"}


def _forms(value: str | dict) -> dict[str, str]:
    return value if isinstance(value, dict) else {"other": value}


def _names(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


def table_problems(tag: str, table: dict, english: dict, counted: set[str]) -> list[str]:
    """What is wrong with ``table``, the words of ``tag``, measured against English's."""
    problems = [f"{k}: missing" for k in sorted(set(english) - set(table) - DATE_PATTERNS)]
    problems += [f"{k}: not a key of en.yaml" for k in sorted(set(table) - set(english))]
    needs = plural_needs(tag)
    for key in sorted((set(table) & set(english)) - DATE_PATTERNS):
        ours, theirs = table[key], english[key]
        wanted = set().union(*(_names(t) for t in _forms(theirs).values()))
        if isinstance(theirs, dict) and not isinstance(ours, dict):
            problems.append(f"{key}: a counted phrase needs the forms {sorted(needs)}")
        if isinstance(ours, dict) and key not in counted and not isinstance(theirs, dict):
            problems.append(f"{key}: plural forms, but the theme never counts it")
        elif isinstance(ours, dict):
            if lacking := needs - set(ours):
                problems.append(f"{key}: plural forms {sorted(lacking)} missing")
            if extra := set(ours) - needs:
                problems.append(f"{key}: plural forms {sorted(extra)}, which {tag} never uses")
        allowed = wanted | ({"count"} if key in counted else set())
        for form, text in _forms(ours).items():
            need = wanted if form == "other" else wanted - COUNT_NAMES
            if lost := need - _names(text):
                problems.append(f"{key}.{form}: lacks {sorted(lost)}")
            if unknown := _names(text) - allowed:
                problems.append(f"{key}.{form}: unknown placeholders {sorted(unknown)}")
    return problems


def problems_of(path: Path, tag: str | None = None) -> list[str]:
    """:func:`table_problems` of one table file, its language named by its file name."""
    english = _read(TABLES / "en.yaml")
    return table_problems(tag or path.stem, _read(path), english, _counted())


# --- the tables -----------------------------------------------------------------------------


def test_the_theme_ships_at_least_the_promised_languages() -> None:
    shipped = {p.stem for p in TABLES.glob("*.yaml")}
    assert sorted(set(PROMISED) - shipped) == []


@pytest.mark.parametrize("code", _shipped())
def test_a_shipped_table_has_every_key_placeholder_and_plural_form(code: str) -> None:
    path = TABLES / f"{code}.yaml"
    assert path.is_file(), f"the theme promises {code} but has no {path.relative_to(REPO)}"
    assert problems_of(path) == []


@pytest.mark.parametrize("code", _shipped())
def test_a_shipped_language_is_missing_nothing_and_reads_its_own_table(code: str) -> None:
    catalog = Catalog([TABLES], Path("/no/such/site/i18n"), REPO)
    assert catalog.words(code).missing == ()
    assert catalog.shipped(code) == code.lower()


@pytest.mark.parametrize(
    ("tag", "table"),
    [
        ("zh", "zh-hans"),
        ("zh-CN", "zh-hans"),
        ("zh-SG", "zh-hans"),
        ("zh-TW", "zh-hant"),
        ("zh-HK", "zh-hant"),
        ("zh-MO", "zh-hant"),
        ("pt-PT", "pt"),
        ("pt-BR", "pt-br"),
        ("pt-AO", "pt"),
        ("fr-CA", "fr"),
        ("de-AT", "de"),
        ("es-MX", "es"),
    ],
)
def test_a_regional_tag_reads_the_shipped_table_of_its_script_or_language(
    tag: str, table: str
) -> None:
    catalog = Catalog([TABLES], Path("/no/such/site/i18n"), REPO)
    assert catalog.shipped(tag) == table
    assert catalog.missing(tag) == []


def test_plural_needs_follow_cldr() -> None:
    assert plural_needs("ar") == {"zero", "one", "two", "few", "many", "other"}
    assert plural_needs("ja") == plural_needs("zh-Hant") == {"other"}
    assert plural_needs("ru") == {"one", "few", "many", "other"}
    assert plural_needs("fr") == {"one", "many", "other"}


# --- the check itself can fail ---------------------------------------------------------------


def _english_text() -> str:
    return (TABLES / "en.yaml").read_text(encoding="utf-8")


def test_a_table_with_a_missing_key_fails(tmp_path: Path) -> None:
    text = _english_text()
    assert "  skip_link: Skip to content\n" in text
    path = tmp_path / "en.yaml"
    path.write_text(text.replace("  skip_link: Skip to content\n", ""), encoding="utf-8")
    assert problems_of(path) == ["site.skip_link: missing"]
    assert problems_of(TABLES / "en.yaml") == []  # the same check passes on the whole table


def test_an_unknown_key_a_lost_placeholder_and_wrong_plural_forms_fail(tmp_path: Path) -> None:
    text = _english_text() + "site_name: An unknown key\n"
    text = text.replace("  topic: Briefs on {topic}\n", "  topic: Briefs on it\n")
    text = text.replace('  reading_time: "{count} min read"', '  reading_time: "{minutes}"')
    path = tmp_path / "ru.yaml"  # Russian needs one, few, many and other; English gives one, other
    path.write_text(text, encoding="utf-8")
    found = problems_of(path)
    assert "site_name: not a key of en.yaml" in found
    assert "about.topic.other: lacks ['topic']" in found
    assert "brief.reading_time.other: lacks ['count']" in found
    assert "brief.reading_time.other: unknown placeholders ['minutes']" in found
    assert "topics.count: plural forms ['few', 'many'] missing" in found
    japanese = problems_of(TABLES / "en.yaml", tag="ja")  # Japanese has one form: "one" is extra
    assert "topics.count: plural forms ['one'], which ja never uses" in japanese


def test_a_plain_text_for_a_counted_phrase_or_forms_for_an_uncounted_one_fail(
    tmp_path: Path,
) -> None:
    english = _read(TABLES / "en.yaml")
    table = {**english, "topics.count": "{count} briefs", "page.search": {"other": "Search"}}
    found = table_problems("en", table, english, _counted())
    assert found == [
        "page.search: plural forms, but the theme never counts it",
        "topics.count: a counted phrase needs the forms ['one', 'other']",
    ]


# --- numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "value", "text"),
    [
        ("en", 1234, "1,234"),
        ("de", 1234, "1.234"),
        ("fr", 1234, "1\u202f234"),
        ("hi", 100000, "1,00,000"),
        ("en", 100000, "100,000"),
    ],
)
def test_counts_use_babel_for_the_locale(tag: str, value: int, text: str) -> None:
    strings = Catalog([TABLES], Path("/no/such/site/i18n"), REPO).strings(tag, "en")
    assert strings.number(value) == format_decimal(value, locale=babel_locale(tag)) == text


# --- a site in each language ----------------------------------------------------------------

BRIEFS = {
    # a correction (its date in a notice and on /corrections/), an update, a dated source and
    # a timeline of a year alone, a month alone and a day
    "content/briefs/alpha.md": """\
        ---
        title: Alpha
        date: 2025-01-15
        updated: 2025-03-20
        summary: Alpha text.
        topics: [cartels]
        timeline:
          - {date: 2024, event: Alpha one}
          - {date: 2024-11, event: Alpha two}
          - {date: 2025-01-10, event: Alpha three}
        updates:
          - {date: 2025-03-20, kind: correction, note: Alpha fixed.}
        sources:
          - {id: s, title: Alpha source, url: "https://example.com/a", date: 2024-08-02}
        ---

        Alpha body [@s].
        """,
    "content/briefs/beta.md": "---\ntitle: Beta\ndate: 2025-06-04\nsummary: Beta text.\n"
    "topics: [cartels]\n---\n\nBeta body.\n",
    "content/briefs/gamma.md": "---\ntitle: Gamma\ndate: 2024-12-24\nsummary: Gamma text.\n"
    "topics: [cartels]\n---\n\nGamma body.\n",
    "content/topics/cartels.md": "---\ntitle: Cartels\ndescription: Groups.\n---\n\nIntro.\n",
}
SHOWN = {
    "2025-01-15",
    "2025-03-20",
    "2024-08-02",
    "2025-06-04",
    "2024-12-24",
    "2024",
    "2024-11",
    "2025-01-10",
    "2025-01",
    "2025-06",
    "2024-12",
}
ENGLISH_MONTH = re.compile(
    r"\b(?:" + "|".join([*MONTHS, *(m[:3] for m in MONTHS), "Sept"]) + r")\b"
)
_KEY = {1: ("year_format", "y"), 2: ("month_format", "yMMMM"), 3: ("date_format", "yMMMMd")}


def babel_date(tag: str, iso: str) -> str:
    """An ISO day, month or year as Babel writes it for ``tag``: the table's own pattern
    where the language's table gives one (Spanish), else CLDR's skeleton."""
    parts = [int(p) for p in iso[:10].split("-")]
    key, skeleton = _KEY[len(parts)]
    day = dt.date(*parts, *[1] * (3 - len(parts)))
    locale = Locale.parse(tag, sep="-")
    pattern = _read(TABLES / f"{tag}.yaml").get(key)
    if pattern:
        return format_date(day, pattern, locale=locale)
    return format_skeleton(skeleton, day, locale=locale)


class _Text(HTMLParser):
    """The text a reader meets: text nodes outside scripts and styles, and the attributes
    that are read aloud or shown."""

    SHOWN_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder", "content", "value")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._skip += tag in ("script", "style")
        self.parts += [v for k, v in attrs if k in self.SHOWN_ATTRIBUTES and v]

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _dates_shown(html: str) -> list[tuple[str, str]]:
    """(ISO value, text) of every <time>, month heading and link to a month."""
    found = re.findall(r'<time datetime="([^"]+)"[^>]*>([^<]*)</time>', html)
    found += re.findall(r'<h\d id="(?:period-)?(\d{4}(?:-\d{2})?)">([^<]*)', html)
    found += re.findall(r'<a href="#(\d{4}-\d{2})">([^<]*)</a>', html)
    return [(iso, text.strip()) for iso, text in found]


def test_the_english_month_check_finds_english_months() -> None:
    assert ENGLISH_MONTH.findall("3 July 2024, Sept. 4, Mayo, 5 mai, Dec") == [
        "July",
        "Sept",
        "Dec",
    ]


@pytest.mark.parametrize("code", PROMISED)
def test_a_site_in_each_language_writes_its_dates_as_cldr_does(make_site, cli, code: str) -> None:
    site_yaml = SITE_YAML.replace("language: en", f"language: {code}") + "social_cards: false\n"
    root = make_site({k: textwrap.dedent(v) for k, v in BRIEFS.items()}, site_yaml=site_yaml)
    result = cli("build", "-q", "--source", root)
    assert result.code == 0, result.err
    seen: set[str] = set()
    locale = Locale.parse(code, sep="-")
    own = {
        name
        for width in locale.months.values()
        for names in width.values()
        for name in names.values()
    }
    pages = sorted((root / "public").rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        where = page.relative_to(root / "public").as_posix()
        html = page.read_text(encoding="utf-8")
        assert f'<html lang="{code}"' in html, where
        for iso, text in _dates_shown(html):
            assert text == babel_date(code, iso), f"{where}: {iso}"
            seen.add(iso[:10])
        reader = _Text()
        reader.feed(html)
        english = set(ENGLISH_MONTH.findall(" ".join(reader.parts))) - own  # German's August
        assert english == set(), f"{where}: English month names {sorted(english)}"
        if code != "en":  # the feeds' link titles are in the page's language too
            titles = re.findall(r'<link rel="alternate" type="[^"]+" title="([^"]*)"', html)
            assert not [t for t in titles if t.endswith(("(Atom)", "(JSON Feed)"))], where
        for count in re.findall(r'<span class="count">([^<]*)</span>', html):
            for number in re.findall(r"\d[\d.,\u00a0\u202f]*\d|\d", count):
                assert number == format_decimal(int(re.sub(r"\D", "", number)), locale=locale)
    assert seen >= SHOWN  # every kind of date was on some page
