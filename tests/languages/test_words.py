"""The theme's words by language (briefgen/languages/: words.py, tables.py, locales.py):
tables and their lookup order, plural forms, dates and numbers by locale, and the default
theme's English kept as it was."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from babel.dates import format_skeleton

from briefgen.languages.locales import babel_locale, lookup_order, table_codes
from briefgen.languages.tables import Catalog
from briefgen.languages.words import UnknownString
from briefgen.model.briefing import UPDATE_KINDS, PartialDate
from briefgen.model.dates import Timestamp
from briefgen.model.diagnostics import ConfigError
from briefgen.model.site import Month, Period
from briefgen.render.theme import Theme, load_strings

from conftest import REPO, SITE_YAML, brief, topic

THEME = REPO / "themes" / "default"


def _write(folder: Path, tables: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for code, text in tables.items():
        (folder / f"{code}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def _catalog(tmp_path: Path, theme: dict[str, str], site: dict[str, str] | None = None):
    theme_dir = _write(tmp_path / "theme" / "i18n", theme)
    site_dir = _write(tmp_path / "site" / "i18n", site or {})
    return Catalog([theme_dir], site_dir, tmp_path / "site")


def _default(language: str, fallback: str = "en"):
    return Catalog([THEME / "i18n"], Path("/no/such/site/i18n"), REPO).strings(language, fallback)


def _day(y: int, m: int, d: int) -> Timestamp:
    return Timestamp.from_value(dt.date(y, m, d))


# --- dates --------------------------------------------------------------------------------


def test_spanish_dates_and_months() -> None:
    es = _default("es")
    assert es.date(_day(2025, 2, 5)) == "5 de febrero de 2025"
    assert es.month(Month(2025, 2, ())) == "febrero de 2025"
    assert es.month(Period("2025-02", "February 2025", ())) == "febrero de 2025"
    assert es.month(2025, 2) == "febrero de 2025"
    assert es.date(PartialDate(2025)) == "2025"
    assert es.date(PartialDate(2025, 2)) == "febrero de 2025"
    assert es.date(PartialDate(2025, 2, 5)) == "5 de febrero de 2025"


@pytest.mark.parametrize("month", range(1, 13))
def test_english_dates_are_those_the_model_always_wrote(month: int) -> None:
    en = _default("en")
    day = _day(2025, month, 9)
    assert en.date(day) == day.human() == f"9 {day.moment:%B} 2025"
    assert en.month(Month(2025, month, ())) == Month(2025, month, ()).title
    for partial in (PartialDate(1999), PartialDate(1999, month), PartialDate(1999, month, 1)):
        assert en.date(partial) == partial.human()
    assert en.month(Period(f"1999-{month:02d}", "", ())) == PartialDate(1999, month).human()
    assert en.date(PartialDate(0)) == "0"  # a year alone may be 0000: no date, as before


def test_a_value_that_is_no_date_is_printed_as_it_is() -> None:
    assert _default("es").date("2025-02-05") == "2025-02-05"


JULY_3 = dt.date(2024, 7, 3)


@pytest.mark.parametrize(
    ("language", "day", "month", "year"),
    [
        ("fr", "3 juillet 2024", "juillet 2024", "2024"),
        ("de", "3. Juli 2024", "Juli 2024", "2024"),
        ("ja", "2024年7月3日", "2024年7月", "2024年"),
        ("ru", "3 июля 2024\u202fг.", "июль 2024\u202fг.", "2024"),
        ("ar", "3 يوليو 2024", "يوليو 2024", "2024"),
    ],
)
def test_a_language_without_a_table_gets_its_own_cldr_dates(
    tmp_path: Path, language: str, day: str, month: str, year: str
) -> None:
    catalog = _catalog(tmp_path, {"en": 'date_format: "d MMMM y"\nmonth_format: "MMMM y"\na: A\n'})
    strings = catalog.strings(language, "en")
    assert strings.text("a") == "A"  # the words fall back to English, the dates do not
    assert strings.date(Timestamp.from_value(JULY_3)) == day
    assert strings.date(JULY_3) == day
    assert strings.date(PartialDate(2024, 7, 3)) == day
    assert strings.date(PartialDate(2024, 7)) == strings.month(2024, 7) == month
    assert strings.month(Month(2024, 7, ())) == month
    assert strings.date(PartialDate(2024)) == strings.month(Period("2024", "", ())) == year
    skeletons = {"yMMMMd": day, "yMMMM": month, "y": year}
    assert {k: format_skeleton(k, JULY_3, locale=language) for k in skeletons} == skeletons


def test_date_patterns_come_from_the_languages_own_tables_only(tmp_path: Path) -> None:
    theme = {
        "en": 'date_format: "d MMMM y"\n',
        "fr": 'date_format: "EEEE d MMMM y"\n',
        "es": "date_format: \"d 'de' MMMM 'de' y\"\n",
    }
    site = {"es-MX": 'date_format: "d/MMMM/y"\n', "it": 'month_format: "MMMM yy"\n'}
    catalog = _catalog(tmp_path, theme, site)
    assert catalog.strings("fr-CA", "en").date(JULY_3) == "mercredi 3 juillet 2024"  # fr's own
    assert catalog.strings("de", "fr").date(JULY_3) == "3. Juli 2024"  # not the default's
    assert catalog.strings("es-MX", "en").date(JULY_3) == "3/julio/2024"  # the site's, for MX
    assert catalog.strings("es", "en").date(JULY_3) == "3 de julio de 2024"
    italian = catalog.strings("it", "en")  # one pattern given, the others from CLDR
    assert (italian.month(2024, 7), italian.date(JULY_3)) == ("luglio 24", "3 luglio 2024")


def test_a_site_pattern_wins_over_the_theme_and_changes_the_key(tmp_path: Path) -> None:
    theme = {"es": 'date_format: "d MMMM y"\n'}
    before = _catalog(tmp_path / "a", theme).strings("es")
    after = _catalog(tmp_path / "b", theme, site={"es": 'date_format: "d/M/y"\n'}).strings("es")
    assert (before.date(JULY_3), after.date(JULY_3)) == ("3 julio 2024", "3/7/2024")
    assert before.key != after.key


@pytest.mark.parametrize(
    ("tag", "codes", "locale"),
    [
        ("zh", ("zh", "zh-hans"), "zh"),
        ("zh-CN", ("zh-cn", "zh-hans", "zh"), "zh_Hans_CN"),
        ("zh-SG", ("zh-sg", "zh-hans", "zh"), "zh_Hans_SG"),
        ("zh-TW", ("zh-tw", "zh-hant", "zh"), "zh_Hant_TW"),
        ("zh-HK", ("zh-hk", "zh-hant", "zh"), "zh_Hant_HK"),
        ("zh-MO", ("zh-mo", "zh-hant", "zh"), "zh_Hant_MO"),
        ("zh-Hant", ("zh-hant", "zh"), "zh_Hant"),
        ("zh-Hant-XX", ("zh-hant-xx", "zh-hant", "zh"), "zh_Hant"),
        ("pt", ("pt",), "pt"),
        ("pt-PT", ("pt-pt", "pt"), "pt_PT"),
        ("pt-BR", ("pt-br", "pt"), "pt_BR"),
        ("sr", ("sr", "sr-cyrl"), "sr"),
        ("en", ("en",), "en"),
        ("es-MX", ("es-mx", "es"), "es_MX"),
    ],
)
def test_which_tables_and_which_locale_a_tag_reads(tag: str, codes: tuple, locale: str) -> None:
    assert table_codes(tag) == codes
    assert str(babel_locale(tag)) == locale


def test_chinese_and_portuguese_tags_find_their_tables(tmp_path: Path) -> None:
    theme = {"en": "a: A\nb: B\n", "zh-Hans": "a: 简\n", "zh-Hant": "a: 繁\n"}
    catalog = _catalog(tmp_path, {**theme, "pt": "a: PT\nb: pt\n", "pt-BR": "a: BR\n"})
    words = {"简": "zh zh-CN zh-SG zh-Hans", "繁": "zh-TW zh-HK zh-MO zh-Hant", "PT": "pt pt-PT"}
    for word, tags in {**words, "BR": "pt-BR"}.items():
        for tag in tags.split():
            assert catalog.strings(tag, "en").text("a") == word, tag
    assert catalog.strings("pt-BR", "en").text("b") == "pt"  # pt-br, then pt
    assert catalog.shipped("zh-HK") == "zh-hant" and catalog.shipped("pt-BR") == "pt-br"
    assert catalog.shipped("pt-AO") == "pt" and catalog.shipped("ja") is None
    assert catalog.missing("zh-TW") == ["b"] and catalog.missing("pt-BR") == []
    hant = catalog.strings("zh-TW", "en")
    assert str(hant.locale) == "zh_Hant_TW"
    assert hant.date(JULY_3) == format_skeleton("yMMMMd", JULY_3, locale="zh_Hant_TW")


def test_the_date_patterns_are_never_missing(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path, {"en": 'date_format: "d MMMM y"\nyear_format: y\na: A\n'})
    assert catalog.missing("fr") == ["a"]


# --- plural forms -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "counts"),
    [
        ("en", {0: "0 briefs", 1: "1 brief", 2: "2 briefs"}),
        ("es", {0: "0 notas", 1: "1 nota", 2: "2 notas", 1_000_000: "1.000.000 de notas"}),
    ],
)
def test_plural_forms_follow_the_language_rule(language: str, counts: dict[int, str]) -> None:
    strings = _default(language)
    for count, text in counts.items():
        assert strings.text("topics.count", count=count) == text


def test_a_missing_plural_form_falls_back_to_other(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path, {"en": "n: {one: '{count} day', other: '{count} days'}\n"})
    ar = catalog.strings("ar")  # Arabic has zero, two, few and many: English gives one/other
    assert catalog.strings("en").text("n", count=1) == "1 day"
    assert ar.text("n", count=0) == "0 days"


# --- lookup order ---------------------------------------------------------------------------


def test_lookup_order() -> None:
    assert lookup_order("es-MX", "fr") == ["es-mx", "es", "fr", "en"]
    assert lookup_order("en") == ["en"]


def test_a_regional_language_falls_back_to_its_language(tmp_path: Path) -> None:
    catalog = _catalog(
        tmp_path,
        {"en": "a: A\nb: B\nc: C\n", "es": "a: A-es\nb: B-es\n", "es-MX": "a: A-mx\n"},
    )
    mx = catalog.strings("es-MX", "en")
    assert [mx.text(k) for k in "abc"] == ["A-mx", "B-es", "C"]
    assert str(mx.locale) == "es_MX"


def test_the_site_default_language_comes_before_english(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path, {"en": "a: A\nb: B\n", "fr": "a: A-fr\n"})
    assert [catalog.strings("de", "fr").text(k) for k in "ab"] == ["A-fr", "B"]


def test_a_site_table_wins_key_by_key(tmp_path: Path) -> None:
    catalog = _catalog(
        tmp_path, {"es": "a: theme\nb: theme\n"}, site={"es": "b: site\nc: own key\n"}
    )
    es = catalog.strings("es")
    assert (es.text("a"), es.text("b"), es.text("c")) == ("theme", "site", "own key")


def test_a_missing_key_falls_back_to_english_and_is_reported(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path, {"en": "a: A\nb: {one: B, other: Bs}\nc: C\n", "fr": "a: A-fr\n"})
    assert catalog.strings("fr").text("b", count=2) == "Bs"
    assert catalog.missing("fr") == ["b", "c"]
    assert catalog.missing("fr-CA") == ["b", "c"]  # fr's keys count for fr-CA
    assert catalog.missing("en") == []


def test_the_default_theme_has_every_key_in_spanish() -> None:
    catalog = Catalog([THEME / "i18n"], Path("/no/such/site/i18n"), REPO)
    assert catalog.missing("es") == []
    assert set(catalog.table("es")) == set(catalog.table("en"))


def test_an_unknown_key_raises_naming_it() -> None:
    with pytest.raises(UnknownString, match="'brief.no_such_key'"):
        _default("es").text("brief.no_such_key")


def test_a_placeholder_without_a_value_raises() -> None:
    with pytest.raises(UnknownString, match=r"\{topic\}"):
        _default("en").text("about.topic")


def test_an_unknown_locale_falls_back_to_its_language_then_english() -> None:
    assert str(babel_locale("es-MX")) == "es_MX"
    assert str(babel_locale("xx-YY")) == "en"
    assert babel_locale("es-XX").language == "es"
    assert _default("tlh-XX").text("page.search") == "Search"  # no table: English, no traceback


# --- numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "grouped"),
    [
        ("en", {1234: "1,234", 10000: "10,000", 100000: "100,000"}),
        ("de", {1234: "1.234", 10000: "10.000", 100000: "100.000"}),
        ("fr", {1234: "1\u202f234", 10000: "10\u202f000"}),  # a narrow no-break space
        ("hi", {1234: "1,234", 100000: "1,00,000", 10000000: "1,00,00,000"}),  # lakh, crore
        ("es-MX", {1800: "1,800"}),
    ],
)
def test_counts_are_grouped_for_the_locale_on_every_site(
    language: str, grouped: dict[int, str]
) -> None:
    strings = _default(language)
    for value, text in grouped.items():
        assert strings.number(value) == strings.number(value, grouped=False) == text
    assert strings.number(7) == "7"
    assert strings.number("n/a") == "n/a" and strings.number(True) == "True"


def test_a_count_in_a_phrase_is_grouped_too() -> None:
    assert _default("en").text("topics.count", count=1800) == "1,800 briefs"
    assert _default("es").text("topics.count", count=1800) == "1.800 notas"


def test_load_strings_reads_the_languages_of_the_config(tmp_path: Path) -> None:
    theme = Theme("default", THEME, (THEME / "templates",), ())
    config = SimpleNamespace(root=tmp_path, language="es", languages=(), default_language="es")
    spanish = load_strings(theme, config)  # type: ignore[arg-type]
    assert (spanish.text("page.search"), spanish.number(1800)) == ("Búsqueda", "1.800")
    english = load_strings(theme, config, "en")  # type: ignore[arg-type]
    assert (english.text("page.search"), english.number(1800)) == ("Search", "1,800")


# --- text in HTML ---------------------------------------------------------------------------


def test_html_escapes_the_text_as_a_template_would_and_values_as_jinja_does() -> None:
    en = _default("en")
    assert en.html("brief.whats_next") == "What's next"  # an apostrophe stays as it was
    assert en.html("about.topic", topic="Tom & Jerry's") == "Briefs on Tom &amp; Jerry&#39;s"
    assert en.text("about.topic", topic="Tom & Jerry's") == "Briefs on Tom & Jerry's"


# --- tables ---------------------------------------------------------------------------------


def test_a_broken_table_is_a_config_error_at_its_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        _catalog(tmp_path, {}, site={"es": "a: ok\nb: 3\nc: {one: x}\nd: [oops\n"})
    text = "\n".join(d.format() for d in caught.value.diagnostics.items)
    assert "i18n/es.yaml" in text
    assert re.search(r"i18n/es\.yaml:\d+:\d+: error: invalid YAML", text), text


def test_values_must_be_text_and_plurals_need_other(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        _catalog(tmp_path, {}, site={"es": "a: ok\nb: 3\nc: {one: x}\n"})
    text = "\n".join(d.format() for d in caught.value.diagnostics.items)
    assert "i18n/es.yaml:2:1: error: 'b' must be text, not int" in text
    assert "i18n/es.yaml:3:1: error: the plural forms of 'c'" in text


def test_a_theme_table_is_read_only_when_a_language_asks_for_it(tmp_path: Path) -> None:
    """A build reads its own languages' tables and English, not every table the theme ships:
    a broken table of a language nobody reads costs and stops nothing, until one does."""
    catalog = _catalog(tmp_path, {"en": "a: A\n", "fr": "a: [oops\n"})
    assert catalog.strings("en").text("a") == "A"
    assert catalog.shipped("fr") == "fr"
    with pytest.raises(ConfigError) as caught:
        catalog.strings("fr")
    assert "i18n/fr.yaml" in caught.value.diagnostics.items[0].format()


def _keys_used() -> set[str]:
    """The keys the templates (``t('a.b')``, ``t_script(name='a.b')``) and the page plan
    (``text("a.b")``) name literally; keys made from a kind are added by the caller."""
    found = set()
    for path in (THEME / "templates").rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            found |= set(re.findall(r"\bt\('([a-z_.]*[a-z_])'", text))
            found |= set(re.findall(r"\b[a-z_]+='([a-z_]+\.[a-z_.]+)'", text))
    plan = (REPO / "briefgen" / "render" / "plan.py").read_text(encoding="utf-8")
    return found | set(re.findall(r'\btext\("([a-z_.]+)"', plan))


def test_every_key_the_theme_and_the_plan_use_is_in_english() -> None:
    english = Catalog([THEME / "i18n"], Path("/no/such/site/i18n"), REPO).table("en")
    used = _keys_used() | {f"update_kind.{k}" for k in UPDATE_KINDS}
    for kind in ("people", "organizations", "places"):
        used |= {f"entities.{kind}", f"about.{kind}"}
    assert len(used) > 100
    assert sorted(used - set(english)) == []


def test_the_search_script_carries_the_english_of_the_table() -> None:
    script = (THEME / "static" / "js" / "search.js").read_text(encoding="utf-8")
    words = dict(re.findall(r'^\s+(\w+): "(.*)",?$', script, re.M))
    table = yaml.safe_load((THEME / "i18n" / "en.yaml").read_text(encoding="utf-8"))["search"]
    names = {
        "searching": "searching",
        "matching": "matching",
        "matchingIn": "matching_in",
        "noMatch": "no_match",
        "noMatchIn": "no_match_in",
        "failed": "failed",
    }
    assert {js: words[js] for js in names} == {js: table[key] for js, key in names.items()}


# --- built sites ----------------------------------------------------------------------------


def _spanish_site(make_site, extra_files: dict[str, str] | None = None) -> Path:
    files = {
        "content/briefs/a.md": brief(date="2025-02-05", body="Uno dos tres.\n"),
        "content/topics/cartels.md": topic(title="Cárteles"),
        **(extra_files or {}),
    }
    return make_site(files, site_yaml=SITE_YAML.replace("language: en", "language: es"))


def _read(root: Path, path: str) -> str:
    return (root / "public" / path).read_text(encoding="utf-8")


def test_a_spanish_site_is_written_in_spanish(make_site, cli) -> None:
    root = _spanish_site(make_site)
    assert cli("build", "-q", "--source", root).code == 0
    page = _read(root, "briefs/a/index.html")
    assert ">5 de febrero de 2025</time>" in page
    assert "Publicada el <time" in page
    assert "3 palabras" in page and "Saltar al contenido" in page
    assert "<title>Archivo · Test Briefings</title>" in _read(root, "archive/index.html")
    assert "febrero de 2025 <span" in _read(root, "archive/index.html")
    search = _read(root, "search/index.html")
    assert 'data-t-searching="Buscando…"' in search


def test_an_english_search_page_carries_no_words_for_its_script(make_site, cli) -> None:
    root = make_site({"content/briefs/a.md": brief()})
    assert cli("build", "-q", "--source", root).code == 0
    assert "data-t-" not in _read(root, "search/index.html")


def test_a_site_override_reaches_the_pages(make_site, cli) -> None:
    root = _spanish_site(make_site, {"i18n/es.yaml": "site:\n  skip_link: Ir al texto\n"})
    assert cli("build", "-q", "--source", root).code == 0
    page = _read(root, "briefs/a/index.html")
    assert ">Ir al texto</a>" in page
    assert '<nav aria-label="Sitio">' in page  # the theme's other Spanish words stay


def test_an_unknown_key_in_a_template_is_an_error_naming_it(make_site, cli) -> None:
    root = make_site(
        {"content/briefs/a.md": brief(), "templates/404.html": "{{ t('no.such.key') }}\n"}
    )
    result = cli("build", "-q", "--source", root)
    assert result.code == 1
    assert (
        "templates/404.html:1:1: error: template error: UnknownString: unknown string "
        "'no.such.key'" in result.err
    )


def test_a_changed_table_renders_the_pages_again(make_site, cli) -> None:
    root = make_site({"content/briefs/a.md": brief(), "i18n/en.yaml": "site: {home: Home}\n"})
    assert cli("build", "-q", "--source", root).code == 0
    (root / "i18n" / "en.yaml").write_text("site: {home: Start}\n", encoding="utf-8")
    assert cli("build", "-q", "--source", root).code == 0  # nothing else changed
    assert '<li><a href="/briefings/">Start</a></li>' in _read(root, "corrections/index.html")


def test_a_site_with_one_language_labels_its_citations_in_that_language(make_site, cli) -> None:
    source = 'sources:\n  - {id: s, title: Informe, url: "https://example.com/r"}\n'
    root = make_site(
        {
            "content/briefs/a.md": brief(body="Uno [@s].\n", extra=source),
            "content/topics/cartels.md": topic(title="Cárteles"),
        },
        site_yaml=SITE_YAML.replace("language: en", "language: ja"),
    )
    assert cli("build", "-q", "--source", root).code == 0
    assert 'aria-label="出典1">1</a>' in _read(root, "briefs/a/index.html")
