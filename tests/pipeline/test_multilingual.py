"""A site in two languages: each language's pages, their translations named both ways, the
feeds, sitemap and search index of each language, the translation desk's checks, and
incremental builds that equal clean ones after edits to originals, translations and
``languages:``."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from briefgen.config.overrides import Overrides
from briefgen.pipeline.build import build

from conftest import SITE_YAML, brief, read_tree, topic

LANGUAGES = (
    SITE_YAML
    + """\
languages:
  en:
    name: English
  es:
    name: Español
    title: Informes de prueba
    description: Un sitio hecho por las pruebas.
"""
)
SOURCE = 'sources:\n  - {id: a, title: "Report", url: "https://example.com/r", publisher: P}\n'


def es_brief(**kw: str) -> str:
    return brief(**kw)


def bilingual(make_site, site_yaml: str = LANGUAGES, **more: str) -> Path:
    files = {
        "content/briefs/2025-02-04-raids.md": brief(
            title="Raids in Sinaloa",
            date="2025-02-04",
            extra="key_facts:\n  - 229 arrests in one week\ntimeline:\n"
            "  - {date: 2025-02-03, event: Raids begin}\n" + SOURCE,
            body="The army raided labs. See [the talks](2025-02-05-talks.md) and "
            "[the border](2025-02-06-border.md).\n",
        ),
        "content/briefs/2025-02-04-raids.es.md": brief(
            title="Redadas en Sinaloa",
            date="2025-02-04",
            summary="Una frase.",
            extra="slug: redadas-en-sinaloa\nkey_facts:\n  - 229 detenidos en una semana\n"
            "timeline:\n  - {date: 2025-02-03, event: Empiezan las redadas}\n" + SOURCE,
            body="El ejército allanó laboratorios [@a]. Vea [las pláticas](2025-02-05-talks.md).\n",
        ),
        "content/briefs/2025-02-05-talks.md": brief(title="Talks", date="2025-02-05"),
        "content/briefs/2025-02-05-talks.es.md": brief(
            title="Pláticas", date="2025-02-05", summary="Una frase."
        ),
        "content/briefs/2025-02-06-border.md": brief(title="Border", date="2025-02-06"),
        "content/topics/cartels.md": topic(),
        "content/topics/cartels.es.md": topic("Cárteles", "Grupos criminales.", "Intro.\n"),
        **more,
    }
    return make_site(files, site_yaml)


def built(root: Path) -> Path:
    result = build(root)
    assert not result.diagnostics.errors
    return root / "public"


def test_each_language_has_its_pages_under_its_prefix(make_site) -> None:
    out = built(bilingual(make_site))
    assert (out / "briefs/raids/index.html").is_file()
    assert (out / "es/briefs/redadas-en-sinaloa/index.html").is_file()
    assert (out / "es/briefs/talks/index.html").is_file()  # no slug: the original's
    assert not (out / "es/briefs/border").exists()  # English only: no Spanish page
    for page in (
        "",
        "topics/",
        "topics/cartels/",
        "archive/",
        "timeline/",
        "search/",
        "corrections/",
        "404.html",
    ):
        assert (out / "es" / page / ("" if page.endswith("html") else "index.html")).is_file()
    home = (out / "es/index.html").read_text()
    assert '<html lang="es"' in home
    assert "Informes de prueba" in home and "Redadas en Sinaloa" in home
    assert "Border" not in home  # not listed without fallback
    # links follow the translation; a brief with none leads to its own language
    page = (out / "es/briefs/redadas-en-sinaloa/index.html").read_text()
    assert 'href="/briefings/es/briefs/talks/"' in page
    assert "Cárteles" in page


def test_a_language_with_fallback_lists_the_default_languages_briefs(make_site) -> None:
    yaml = LANGUAGES.replace("    name: Español\n", "    name: Español\n    fallback: true\n")
    out = built(bilingual(make_site, yaml))
    home = (out / "es/index.html").read_text()
    assert 'href="/briefings/briefs/border/"' in home  # listed, leading to its English page
    assert not (out / "es/briefs/border").exists()
    feed = (out / "es/feed.xml").read_text()
    assert "Border" not in feed and "Redadas en Sinaloa" in feed


def test_translations_name_each_other_in_every_page_and_the_sitemap(make_site) -> None:
    out = built(bilingual(make_site))
    pages = {p.relative_to(out).as_posix(): p.read_text() for p in out.rglob("*.html")}
    links = {}
    for rel, html in pages.items():
        alts = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))
        links[rel] = alts
    base = "https://example.org/briefings/"
    checked = 0
    for rel, alts in links.items():
        me = base + rel.removesuffix("index.html")
        if not alts:
            continue
        assert me in alts.values(), rel  # a page names itself among its editions
        assert alts.get("x-default", "").startswith(base) and not alts["x-default"].startswith(
            base + "es/"
        )
        for code, href in alts.items():
            other = href[len(base) :] + ("index.html" if href.endswith("/") else "")
            assert me in links[other].values(), (rel, code, href)  # reciprocal
            checked += 1
    assert checked > 20
    assert links["briefs/raids/index.html"]["es"] == base + "es/briefs/redadas-en-sinaloa/"
    assert links["briefs/border/index.html"] == {}  # no translation: no alternates
    sitemap = (out / "sitemap.xml").read_text()
    assert 'xmlns:xhtml="http://www.w3.org/1999/xhtml"' in sitemap
    assert (
        f'<xhtml:link rel="alternate" hreflang="es" href="{base}es/briefs/redadas-en-sinaloa/"/>'
        in sitemap
    )
    assert sitemap.count("<loc>") == sum(1 for p in pages if not p.endswith("404.html"))


def test_the_switcher_links_the_same_page_or_the_languages_home(make_site) -> None:
    out = built(bilingual(make_site))
    raids = (out / "briefs/raids/index.html").read_text()
    switch = raids[raids.index('class="languages"') :]
    assert 'href="/briefings/es/briefs/redadas-en-sinaloa/" hreflang="es" lang="es"' in switch
    border = (out / "briefs/border/index.html").read_text()
    switch = border[border.index('class="languages"') :]
    assert 'href="/briefings/es/" hreflang="es" lang="es"' in switch


def test_feeds_and_search_are_per_language(make_site) -> None:
    out = built(bilingual(make_site))
    assert "Redadas" not in (out / "feed.xml").read_text()
    es = json.loads((out / "es/feed.json").read_text())
    assert {i["title"] for i in es["items"]} == {"Redadas en Sinaloa", "Pláticas"}
    assert (
        "tag:example.org,2025-02-04:es/briefs/redadas-en-sinaloa"
        in (out / "es/feed.xml").read_text()
    )
    assert (out / "es/topics/cartels/feed.xml").is_file()
    entry = json.loads((out / "pagefind/es/pagefind-entry.json").read_text())
    assert set(entry["languages"]) == {"es"}
    entry = json.loads((out / "pagefind/pagefind-entry.json").read_text())
    assert set(entry["languages"]) == {"en"}
    search = (out / "es/search/index.html").read_text()
    assert 'data-bundle="/briefings/pagefind/es/"' in search


SEEDED = {
    # out of date: the original was updated after its translation
    "content/briefs/2025-02-05-talks.md": brief(
        title="Talks", date="2025-02-05", extra="updated: 2025-02-08"
    ),
    "content/briefs/2025-02-05-talks.es.md": brief(
        title="Pláticas", date="2025-02-05", summary="Una frase.", extra="updated: 2025-02-06"
    ),
    # a changed figure, a changed timeline date, a different source
    "content/briefs/2025-02-04-raids.es.md": brief(
        title="Redadas en Sinaloa",
        date="2025-02-04",
        summary="Una frase.",
        extra="key_facts:\n  - 292 detenidos en una semana\n"
        "timeline:\n  - {date: 2025-02-02, event: Empiezan las redadas}\n"
        + SOURCE.replace("https://example.com/r", "https://example.com/other"),
        body="Vea [la frontera](2025-02-06-border.md) y [otra vez](2025-02-06-border.md).\n",
    ),
    # a second Spanish edition of one brief
    "content/briefs/2025-02-05-talks-2.es.md": brief(
        title="Otra", date="2025-02-05", summary="Una.", extra="translation_key: content/briefs/x"
    ),
}


def test_the_translation_checks_catch_seeded_mistakes(make_site, cli) -> None:
    root = bilingual(make_site, **SEEDED)
    run = cli("check", "--source", str(root), "--translations")
    lines = [line for line in run.err.splitlines() if "translation" in line or "differ" in line]
    assert lines == [
        "content/briefs/2025-02-04-raids.es.md:6:1: warning: figures of the key facts "
        "(missing here: 229; not in the original: 292) differ from the English original's "
        "(content/briefs/2025-02-04-raids.md): figures, sources and dates are facts and must "
        "not change in translation",
        "content/briefs/2025-02-04-raids.es.md:8:1: warning: timeline dates differ from the "
        "English original's (content/briefs/2025-02-04-raids.md): figures, sources and dates "
        "are facts and must not change in translation",
        "content/briefs/2025-02-04-raids.es.md:10:1: warning: sources differ from the English "
        "original's (content/briefs/2025-02-04-raids.md): figures, sources and dates are facts "
        "and must not change in translation",
        "content/briefs/2025-02-04-raids.es.md:14:19: note: link to "
        "content/briefs/2025-02-06-border.md, which has no Español translation: the reader is "
        "sent to another language (2 links to it; this is the first)",
        "content/briefs/2025-02-05-talks.es.md:6:1: note: translation may be out of date: "
        "the English brief was updated on 8 February 2025, this translation on 6 February 2025 "
        "(content/briefs/2025-02-05-talks.md)",
    ]
    assert run.code == 0
    assert "es (Español): 2 of 3 briefs in English translated, 1 missing, 1 behind" in run.out
    assert "  behind: content/briefs/2025-02-05-talks.es.md" in run.out
    assert "  missing: content/briefs/2025-02-06-border.md" in run.out


def test_two_editions_of_one_brief_in_one_language_are_an_error(make_site, cli) -> None:
    root = bilingual(
        make_site,
        **{
            "content/briefs/2025-02-05-more.es.md": brief(
                title="Más", date="2025-02-05", summary="Una.", extra="translation_key: tk"
            ),
            "content/briefs/2025-02-05-other.es.md": brief(
                title="Otra", date="2025-02-05", summary="Una.", extra="translation_key: tk"
            ),
        },
    )
    run = cli("check", "--source", str(root))
    assert run.code == 1
    assert (
        "content/briefs/2025-02-05-other.es.md:1:1: error: content/briefs/2025-02-05-more.es.md "
        "is already the es edition of this brief; give one of them another translation_key"
        in run.err
    )


@pytest.mark.parametrize(
    ("languages", "message"),
    [
        ("languages: [en, es]", "site.yaml:8:1: error: 'languages' must map each language code"),
        ("languages:\n  en: {}\n  e_s: {}", "site.yaml:10:3: error: 'e_s' is not a language tag"),
        (
            "languages:\n  en: {}\n  es: {prefix: topics}",
            "site.yaml:10:8: error: prefix 'topics' is a folder of the site's own pages",
        ),
        (
            "languages:\n  en: {}\n  es: {dir: up}",
            "site.yaml:10:8: error: 'dir' must be ltr or rtl",
        ),
        ("languages:\n  fr: {}\n  es: {}", "site.yaml:4:1: error: language 'en' is not one of"),
        (
            "languages:\n  en: {default: true}\n  es: {default: true}",
            "site.yaml:10:8: error: only one language may be the default; en already is",
        ),
    ],
)
def test_languages_setting_is_checked_at_its_line(make_site, cli, languages, message) -> None:
    yaml = LANGUAGES[: LANGUAGES.index("languages:")] + languages + "\n"
    run = cli("check", "--source", str(bilingual(make_site, yaml)))
    assert run.code == 2
    assert message in run.err


def test_without_languages_a_code_in_a_file_name_is_part_of_the_name(make_site) -> None:
    root = make_site({"content/briefs/2025-02-04-raids.es.md": brief()})
    out = built(root)
    assert (out / "briefs/raids-es/index.html").is_file()
    assert not (out / "es").exists()


def test_right_to_left_languages_get_their_direction(make_site) -> None:
    yaml = LANGUAGES + "  ar:\n    name: العربية\n"
    root = bilingual(
        make_site,
        yaml,
        **{
            "content/briefs/2025-02-04-raids.ar.md": brief(title="مداهمات", summary="جملة."),
        },
    )
    out = built(root)
    page = (out / "ar/briefs/raids/index.html").read_text()
    assert '<html lang="ar" dir="rtl">' in page
    assert '<html lang="en" dir="ltr">' in (out / "index.html").read_text()


def test_a_site_in_one_right_to_left_language_is_right_to_left(make_site) -> None:
    """Not only an edition of a multilingual site: Arabic alone is written right to left."""
    site_yaml = SITE_YAML.replace("language: en", "language: ar")
    arabic = brief(title="مداهمات", summary="جملة.")
    root = make_site(
        {"content/topics/cartels.md": topic(), "content/briefs/a.md": arabic}, site_yaml
    )
    out = built(root)
    for page in ("index.html", "briefs/a/index.html"):
        html = (out / page).read_text()
        assert '<html lang="ar" dir="rtl">' in html
        assert '[dir="rtl"] .skip-link' in html
    english = built(make_site({"content/briefs/a.md": brief()}))  # the same site, in English
    assert '<html lang="en">' in (english / "index.html").read_text()  # as it always was


EDITS = [
    ("content/briefs/2025-02-04-raids.es.md", "El ejército allanó laboratorios", "Otro texto"),
    ("content/briefs/2025-02-04-raids.md", "The army raided labs.", "Other text."),
    ("content/briefs/2025-02-04-raids.es.md", "slug: redadas-en-sinaloa", "slug: redadas"),
    ("content/topics/cartels.es.md", "Cárteles", "Carteles"),
    (
        "site.yaml",
        "    title: Informes de prueba\n",
        "    title: Otros informes\n    fallback: true\n",
    ),
    ("content/briefs/2025-02-05-talks.es.md", None, None),  # the translation deleted
    (
        "themes/default/i18n/es.yaml",
        None,
        "brief:\n  citation: cita {source}\n",
    ),  # the site's words
    ("site.yaml", "  es:\n", "  fr:\n    name: Français\n  es:\n"),
]


def test_incremental_builds_equal_clean_ones_after_edits_to_either_language(
    make_site, tmp_path
) -> None:
    root = bilingual(make_site)
    build(root)
    for rel, old, new in EDITS:
        path = root / rel.replace("themes/default/", "")
        if old is None and new is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(new)
        elif old is None:
            path.unlink()
        else:
            text = path.read_text()
            assert old in text, rel
            path.write_text(text.replace(old, new))
        incremental = build(root)
        assert not incremental.diagnostics.errors
        clean_out = tmp_path / "clean"
        shutil.rmtree(clean_out, ignore_errors=True)
        build(root, cache=False, overrides=Overrides(output_dir=str(clean_out)))
        got = read_tree(root / "public")
        want = read_tree(clean_out)
        assert sorted(got) == sorted(want), rel
        assert [f for f in got if got[f] != want[f]] == [], rel


def test_the_quick_page_of_a_translation_is_what_the_build_makes(make_site) -> None:
    """``serve`` shows a saved brief before its build, in every language: the quick page of
    an edited Spanish brief is the page the build then writes, translations named."""
    root = bilingual(make_site)
    preview = build(root).preview
    rel = "content/briefs/2025-02-04-raids.es.md"
    path = root / rel
    path.write_text(path.read_text().replace("allanó laboratorios", "cerró laboratorios"))
    quick = preview.page(rel)
    assert quick is not None
    file, data = quick
    assert file == "es/briefs/redadas-en-sinaloa/index.html"
    assert "cerró laboratorios" in data.decode()
    assert 'aria-label="fuente 1"' in data.decode()  # the citation, in Spanish
    build(root)
    assert (root / "public" / file).read_bytes() == data
    english = "content/briefs/2025-02-04-raids.md"
    assert preview.page(english)[0] == "briefs/raids/index.html"


def test_a_translation_behind_its_original_tells_its_readers(make_site) -> None:
    root = bilingual(make_site, **{k: v for k, v in SEEDED.items() if "talks" in k})
    out = built(root)
    page = (out / "es/briefs/talks/index.html").read_text()
    assert (
        '<p class="notice translation-behind" role="note">El original en inglés se '
        "actualizó el 8 de febrero de 2025, después de esta traducción. "
        '<a href="/briefings/briefs/talks/" hreflang="en">Leer el original</a></p>' in page
    )
    assert "translation-behind" not in (out / "es/briefs/redadas-en-sinaloa/index.html").read_text()
    # brought up to date, the notice goes, in an incremental build too
    path = root / "content/briefs/2025-02-05-talks.es.md"
    path.write_text(path.read_text().replace("updated: 2025-02-06", "updated: 2025-02-09"))
    build(root)
    assert "translation-behind" not in (out / "es/briefs/talks/index.html").read_text()


def test_a_language_on_a_host_of_its_own(make_site) -> None:
    """Its pages go to its folder, to be published as the root of its host: their links
    and the search index's addresses are that host's, the shared files the main site's."""
    import gzip

    yaml = LANGUAGES.replace(
        "    title: Informes de prueba\n",
        "    title: Informes de prueba\n    base_url: https://es.example.org/\n",
    )
    out = built(bilingual(make_site, yaml))
    page = (out / "es/briefs/redadas-en-sinaloa/index.html").read_text()
    assert '<link rel="canonical" href="https://es.example.org/briefs/redadas-en-sinaloa/">' in page
    assert 'href="https://example.org/briefings/static/css/style.css"' in page
    assert 'href="/briefs/talks/"' in page  # a link within its own host
    english = (out / "briefs/raids/index.html").read_text()
    assert 'href="https://es.example.org/briefs/redadas-en-sinaloa/" hreflang="es"' in english
    search = (out / "es/search/index.html").read_text()
    assert 'data-bundle="https://example.org/briefings/pagefind/es/" data-base="/"' in search
    urls = set()
    for fragment in (out / "pagefind/es/fragment").glob("*.pf_fragment"):
        urls.add(json.loads(gzip.decompress(fragment.read_bytes())[12:])["url"])
    assert "/briefs/redadas-en-sinaloa/" in urls and not any(u.startswith("/es/") for u in urls)
