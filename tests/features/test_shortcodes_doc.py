"""docs/shortcodes.md shows what the built-in shortcodes make: each example (a ```markdown
block with a shortcode) is followed by the HTML the build makes of it (the next ```html
block), and each shortcode's table of arguments is its declaration's. Both are checked here
against the code; BRIEFGEN_UPDATE_GOLDEN=1 writes them into the page (review the diff)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from briefgen.features.embeds.declarations import declarations
from briefgen.pipeline.build import build
from briefgen.plugins import Shortcode
from briefgen.plugins.shortcodes import KINDS

from conftest import REPO, SITE_YAML, brief, picture, write_site

DOC = REPO / "docs" / "shortcodes.md"
UPDATE = os.environ.get("BRIEFGEN_UPDATE_GOLDEN") == "1"
# an example, then the HTML it makes, with at most a line of prose between them
EXAMPLE = re.compile(r"```markdown\n(\{\{<[^`]*)```\n\n(?:[^\n`]*\n\n)?```html\n([^`]*)```")
MISTAKES = re.compile(r"<!-- mistakes -->\n```text\n([^`]*)```\n\n[^\n`]*\n\n```text\n([^`]*)```")
TABLE = re.compile(r"<!-- arguments: ([a-z]+) -->\n(.*?)\n\n", re.S)
SOURCES = """sources:
  - id: sre
    title: Statement on the agreement
    publisher: Mexico's foreign ministry
    url: https://www.gob.mx/sre
"""
SETTINGS = "base_url: https://news.example.com/\nembeds:\n  hosts: [datawrapper.dwcdn.net]\n"


def _pdf(pages: int) -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(612, 792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _made(examples: list[str], tmp_path: Path) -> list[str]:
    """The HTML each example makes, each in a brief of its own on one small site."""
    files: dict[str, str | bytes] = {
        "content/briefs/press-conference.jpg": picture(480, 270, "JPEG"),
        "content/briefs/clip.mp4": b"\0" * 2048,
        "content/briefs/clip.vtt": "WEBVTT\n",
        "content/briefs/interview.mp3": b"\0" * 1_300_000,
        "content/briefs/report.pdf": _pdf(12),
    }
    for n, example in enumerate(examples):
        files[f"content/briefs/e{n}.md"] = brief(title=f"E{n}", body=example, extra=SOURCES)
    yaml = SITE_YAML.replace("base_url: https://example.org/briefings/\n", "") + SETTINGS
    root = write_site(tmp_path / "site", files, yaml)
    result = build(root, cache=False)
    assert not result.diagnostics.errors, [d.format() for d in result.diagnostics.errors]
    made = []
    for n in range(len(examples)):
        page = (root / "public" / f"briefs/e{n}/index.html").read_text(encoding="utf-8")
        made.append(page.split('<div class="body">\n', 1)[1].split("\n  </div>", 1)[0])
    return made


def _with_html(found: re.Match[str], html: str) -> str:
    """An example as ``found`` has it, with ``html`` under it."""
    start, end = found.span(2)
    return found.string[found.start() : start] + html + found.string[end : found.end()]


def _table(code: Shortcode) -> str:
    rows = ["| argument | kind | |", "|---|---|---|"]
    for param in code.params:
        name = f"`{param.name}`" + (" (first)" if param.positional else "")
        need = "**required**: " if param.required else ""
        rows.append(f"| {name} | {param.kind} | {need}{param.help or KINDS[param.kind]} |")
    if code.body != "none":
        rows.append(f"| body | Markdown | **{code.body}**: up to `{{{{< /{code.name} >}}}}` |")
    return "\n".join(rows)


def test_every_example_shows_the_html_it_makes(tmp_path: Path) -> None:
    doc = DOC.read_text(encoding="utf-8")
    found = EXAMPLE.findall(doc)
    assert len(found) >= 9, "an example lost its HTML"
    made = _made([example for example, _ in found], tmp_path)
    if UPDATE:
        pieces = iter(made)
        doc = EXAMPLE.sub(lambda m: _with_html(m, next(pieces)), doc)
        DOC.write_text(doc, encoding="utf-8")
        return
    for (example, shown), html in zip(found, made, strict=True):
        assert shown == html, f"the HTML under this example is not what it makes:\n{example}"


def test_every_shortcode_has_its_arguments_table() -> None:
    doc = DOC.read_text(encoding="utf-8")
    codes = {code.name: code for code in declarations("100vw")}
    tables = dict(TABLE.findall(doc))
    assert sorted(tables) == sorted(codes)
    if UPDATE:
        written = TABLE.sub(lambda m: f"<!-- arguments: {m[1]} -->\n{_table(codes[m[1]])}\n\n", doc)
        DOC.write_text(written, encoding="utf-8")
        return
    for name, code in codes.items():
        assert tables[name] == _table(code), name


def test_the_mistakes_are_reported_as_shown(tmp_path: Path, capsys) -> None:
    from briefgen.cli.main import main

    doc = DOC.read_text(encoding="utf-8")
    found = MISTAKES.search(doc)
    assert found is not None
    files = {"content/briefs/a.md": found[1], "content/briefs/report.pdf": "not a PDF\n"}
    yaml = SITE_YAML.replace("base_url: https://example.org/briefings/\n", "") + SETTINGS
    root = write_site(tmp_path / "site", files, yaml)
    assert main(["build", "--quiet", "--no-cache", "--source", str(root)]) == 1
    # pypdf's own words for what is wrong with a file are its, and change with its versions
    shown = [
        re.sub(r"(cannot be read as a PDF: ).*", r"\1…", line)
        for line in capsys.readouterr().err.splitlines()
        if ": error: " in line
    ]
    if UPDATE:
        start, end = found.span(2)
        DOC.write_text(doc[:start] + "\n".join(shown) + "\n" + doc[end:], encoding="utf-8")
        return
    assert found[2].splitlines() == shown


def test_the_readme_links_the_page() -> None:
    assert "(docs/shortcodes.md)" in (REPO / "README.md").read_text(encoding="utf-8")
