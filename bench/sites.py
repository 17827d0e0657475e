"""Write one corpus as a working site for each tool: briefgen, Hugo, Eleventy, Pelican."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from corpus import BRIEF_LINK, Brief, Corpus, brief_front_matter, quoted, write_site

ANCHORS = Path(__file__).resolve().parent / "anchors"
BASE_PATH = "/briefings/"


def write_briefgen(corpus: Corpus, root: Path) -> None:
    """briefgen with the anchors' page set: no search index and no social cards, as none
    of them builds an index or draws a card."""
    write_site(corpus, root, search=False, social_cards=False)


def write_briefgen_uncited(corpus: Corpus, root: Path) -> None:
    """The anchors' page set with every source listed but never cited: one warning per
    source (about 30,000 at 10,000 briefs), so a rebuild shows what warnings cost."""
    write_site(corpus, root, search=False, social_cards=False, cited=False)


def write_briefgen_defaults(corpus: Corpus, root: Path) -> None:
    """briefgen as a user runs it: site.yaml at its defaults, search on."""
    write_site(corpus, root, search=True)


def write_briefgen_images(corpus: Corpus, root: Path) -> None:
    """The defaults' site (search and social cards on) with the corpus's pictures: the lead
    ``image:`` of one brief in ten, a few in bodies, photo-like JPEGs of 1200–2400 px."""
    write_site(corpus, root, search=True, pictures=True)


def write_briefgen_bilingual(corpus: Corpus, root: Path) -> None:
    """The defaults' site with a second language: every brief and topic also in Spanish
    (``x.es.md`` beside ``x.md``, the same text: the build does the same work as for a
    translation), so that the cold build can be compared with the single-language one."""
    write_site(corpus, root, search=True)
    with (root / "site.yaml").open("a", encoding="utf-8") as handle:
        handle.write(
            "languages:\n  en:\n    name: English\n  es:\n    name: Español\n"
            "    title: Informes de prueba\n"
        )
    for folder in (root / "content" / "briefs", root / "content" / "topics"):
        for path in sorted(folder.glob("*.md")):
            shutil.copyfile(path, path.with_name(path.stem + ".es.md"))


def _copy_anchor(tool: str, root: Path) -> None:
    shutil.copytree(ANCHORS / tool, root, dirs_exist_ok=True)


def write_hugo(corpus: Corpus, root: Path) -> None:
    """Briefs keep briefgen's front matter and links to ``.md`` files (Hugo's link hook
    resolves them); topics are taxonomy term pages with their own content."""
    _copy_anchor("hugo", root)
    _stylesheet(root / "static" / "static")
    for topic in corpus.topics:
        folder = root / "content" / "topics" / topic.slug
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "_index.md").write_text(
            f"---\ntitle: {quoted(topic.title)}\ndescription: {quoted(topic.description)}\n"
            f"---\n\n{topic.intro}\n",
            "utf-8",
        )
    briefs = root / "content" / "briefs"
    briefs.mkdir(parents=True, exist_ok=True)
    for brief in corpus.briefs:
        (briefs / brief.file_name).write_text(f"{brief_front_matter(brief)}\n{brief.body}", "utf-8")


def write_eleventy(corpus: Corpus, root: Path) -> None:
    """Eleventy's ``tags`` make collections, so a brief's tags are ``labels``; links to other
    briefs are written as their URLs, since Eleventy does not resolve ``.md`` paths."""
    _copy_anchor("eleventy", root)
    # The config imports the footnote plugin: found from a work folder anywhere.
    modules = ANCHORS.parent / "node_modules"
    if not (root / "node_modules").exists():
        (root / "node_modules").symlink_to(modules, target_is_directory=True)
    src = root / "src"
    _stylesheet(src / "static")
    (src / "_data").mkdir(parents=True, exist_ok=True)
    (src / "_data" / "topics.json").write_text(_topics_json(corpus), "utf-8")
    briefs = src / "briefs"
    briefs.mkdir(parents=True, exist_ok=True)
    for brief in corpus.briefs:
        front = brief_front_matter(brief).replace("\ntags: [", "\nlabels: [", 1)
        body = BRIEF_LINK.sub(rf"]({BASE_PATH}briefs/\1/)", brief.body)
        (briefs / brief.file_name).write_text(f"{front}\n{body}", "utf-8")


def write_pelican(corpus: Corpus, root: Path) -> None:
    """Pelican reads Markdown metadata as ``Key: value`` lines: topics become its tags, and
    sources are ``title | publisher | url | date`` lines that the template splits."""
    _copy_anchor("pelican", root)
    _stylesheet(root / "theme" / "static")
    (root / "topics.json").write_text(_topics_json(corpus), "utf-8")
    briefs = root / "content" / "briefs"
    briefs.mkdir(parents=True, exist_ok=True)
    for brief in corpus.briefs:
        body = BRIEF_LINK.sub(r"]({filename}/briefs/\1.md)", brief.body)
        (briefs / brief.file_name).write_text(f"{_pelican_metadata(brief)}\n{body}", "utf-8")


def _pelican_metadata(brief: Brief) -> str:
    sources = [f"{s.title} | {s.publisher} | {s.url} | {s.date.isoformat()}" for s in brief.sources]
    lines = [
        f"Title: {brief.title}",
        f"Date: {brief.date.isoformat()}",
        f"Slug: {brief.slug}",
        f"Summary: {brief.summary}",
        f"Tags: {', '.join(brief.topics)}",
        f"Labels: {', '.join(brief.tags)}",
        _continued("Key_facts", brief.key_facts),
        _continued("Sources", sources),
    ]
    return "\n".join(lines) + "\n"


def _continued(key: str, values: tuple[str, ...] | list[str]) -> str:
    """A multi-line value of Python-Markdown's meta extension: indented continuation lines."""
    return f"{key}: " + "\n    ".join(values)


def _topics_json(corpus: Corpus) -> str:
    topics = [
        {
            "slug": t.slug,
            "title": t.title,
            "description": t.description,
            "paragraphs": t.intro.split("\n\n"),
        }
        for t in corpus.topics
    ]
    return json.dumps(topics, ensure_ascii=False, indent=1) + "\n"


def _stylesheet(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ANCHORS / "style.css", folder / "style.css")


WRITERS = {
    "briefgen": write_briefgen,
    "briefgen-defaults": write_briefgen_defaults,
    "briefgen-uncited": write_briefgen_uncited,
    "briefgen-bilingual": write_briefgen_bilingual,
    "briefgen-images": write_briefgen_images,
    "hugo": write_hugo,
    "hugo+pagefind": write_hugo,
    "eleventy": write_eleventy,
    "pelican": write_pelican,
}
