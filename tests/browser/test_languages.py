"""A site in Arabic and one in Japanese, in Chromium: on the home page and a brief, axe finds
no serious or critical violation, and nothing the theme shows or reads aloud is English, no
visible text and no aria-label, title or placeholder. The briefs are written in the page's
language, so that any English left on the page is the theme's."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Page

from .conftest import REPO, TIMEOUT_MS, Site, Watch, _served

CONTENT = {
    "ar": {
        "title": "مكتب الحدود",
        "topic": ("الحدود", "أخبار الحدود بين البلدين."),
        "briefs": [
            ("2025-01-15", "نشر قوات على الحدود", "أرسلت الحكومة قوات إضافية إلى الحدود."),
            ("2025-02-04", "محادثات بين البلدين", "التقى الوزيران لبحث أمن الحدود."),
        ],
        "source": ("تقرير الوزارة", "وزارة الداخلية"),
        "body": "وصلت القوات صباحًا [@s]. وقال المسؤولون إن الانتشار سيستمر.\n",
    },
    "ja": {
        "title": "国境デスク",
        "topic": ("国境", "国境をめぐる動き。"),
        "briefs": [
            ("2025-01-15", "国境に部隊を派遣", "政府は国境に追加の部隊を送った。"),
            ("2025-02-04", "両国が協議", "両国の大臣が国境の安全について話し合った。"),
        ],
        "source": ("省の報告書", "内務省"),
        "body": "部隊は朝に到着した [@s]。当局者は派遣が続くと述べた。\n",
    },
}
PAGES = {"home": "", "brief": "briefs/first/"}
URL = '"https://example.com/r"'
AXE = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                     .map(v => v.id + ': ' + v.nodes.map(n => n.target).join(' '));
}"""
# what a reader sees or hears: visible text nodes, and every label read aloud or shown
READ = """() => {
  const seen = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent.trim();
    const parent = walker.currentNode.parentElement;
    if (text && !parent.closest('script, style, template') && parent.checkVisibility()) {
      seen.push(['text', text]);
    }
  }
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
    for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
      const value = el.getAttribute(name);
      if (value && value.trim()) { seen.push([name, value.trim()]); }
    }
  }
  seen.push(['document.title', document.title]);
  return seen;
}"""


def _english_labels() -> list[tuple[str, re.Pattern[str]]]:
    """Every text of the theme's en.yaml longer than 3 characters, as a pattern that finds it
    with its placeholders filled (``Briefs on {topic}`` → ``Briefs on .+?``)."""
    data = yaml.safe_load((REPO / "themes/default/i18n/en.yaml").read_text(encoding="utf-8"))
    texts: list[str] = []

    def walk(value: object, key: str) -> None:
        if isinstance(value, dict):
            for name, inner in value.items():
                walk(inner, f"{key}.{name}".lstrip("."))
        elif isinstance(value, str) and not key.endswith("_format"):
            texts.append(value)

    walk(data, "")
    labels = []
    for text in sorted(set(texts)):
        literal = re.sub(r"\{[a-z_]+\}", "", text).strip()
        if len(literal) <= 3:
            continue
        parts = [re.escape(p) for p in re.split(r"\{[a-z_]+\}", text)]
        labels.append((text, re.compile(r"(?<!\w)" + ".+?".join(parts).strip() + r"(?!\w)")))
    return labels


ENGLISH = _english_labels()


def english_in(seen: list[tuple[str, str]]) -> list[str]:
    """``where: "text" is English "label"`` for every text or label that holds one."""
    found = []
    for where, text in seen:
        for label, pattern in ENGLISH:
            if pattern.search(text):
                found.append(f"{where}: {text!r} is English {label!r}")
    return found


def _write_site(root: Path, code: str) -> Path:
    words = CONTENT[code]
    topic_title, topic_text = words["topic"]
    source_title, publisher = words["source"]
    files = {
        "site.yaml": f"title: {words['title']}\ndescription: {topic_text}\n"
        f"base_url: https://desk.example/\nlanguage: {code}\nsocial_cards: false\n",
        "content/topics/border.md": f"---\ntitle: {topic_title}\ndescription: {topic_text}\n"
        f"---\n\n{topic_text}\n",
    }
    for slug, (date, title, summary) in zip(("first", "second"), words["briefs"], strict=True):
        source = (
            f"{{id: s, title: {source_title}, publisher: {publisher}, url: {URL}, date: {date}}}"
        )
        front = [
            f"title: {title}",
            f"date: {date}",
            f"summary: {summary}",
            "topics: [border]",
            "sources:",
            f"  - {source}",
        ]
        files[f"content/briefs/{slug}.md"] = (
            "---\n" + "\n".join(front) + "\n---\n\n" + words["body"]
        )
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def language_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Site]]:
    """The Arabic and the Japanese site, built for a local server and served."""
    with contextlib.ExitStack() as stack:
        sites = {}
        for code in CONTENT:
            source = _write_site(tmp_path_factory.mktemp(f"source-{code}"), code)
            www = tmp_path_factory.mktemp(f"www-{code}")
            sites[code] = stack.enter_context(_served(www, source))
        yield sites


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    watch = Watch()
    watch.attach_context(context)
    try:
        yield context.new_page()
    finally:
        context.close()
    assert not watch.problems, "the browser reported problems:\n" + "\n".join(watch.problems)


def test_the_check_finds_english_labels() -> None:
    seen = [("aria-label", "Breadcrumb"), ("text", "Briefs on الحدود"), ("text", "国境デスク")]
    assert english_in(seen) == [
        "aria-label: 'Breadcrumb' is English 'Breadcrumb'",
        "text: 'Briefs on الحدود' is English 'Briefs on {topic}'",
    ]
    assert len(ENGLISH) > 100


@pytest.mark.parametrize("page_name", list(PAGES))
@pytest.mark.parametrize("code", list(CONTENT))
def test_a_page_in_arabic_or_japanese_is_accessible_and_has_no_english_label(
    open_page: Page, language_sites: dict[str, Site], axe_js: Path, code: str, page_name: str
) -> None:
    site = language_sites[code]
    response = open_page.goto(site.url(PAGES[page_name]))
    assert response is not None and response.ok
    assert open_page.evaluate("document.documentElement.lang") == code
    seen = open_page.evaluate(READ)
    assert len(seen) > 20
    assert english_in([tuple(pair) for pair in seen]) == []
    open_page.add_script_tag(path=str(axe_js))
    assert open_page.evaluate(AXE) == []
