"""``briefgen new --lang es --translation-of``: a translation's file with the original's
facts and its texts marked, never over an existing file."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
import yaml

from conftest import brief

SITE = """\
title: T
base_url: https://example.org/
checks:
  sources: false
languages:
  en: {name: English}
  es: {name: Español}
"""
ORIGINAL = brief(
    title="Raids in Sinaloa",
    extra="updated: 2025-02-05\nkey_facts:\n  - 229 arrests\n  - {figure: '1,800', label: miles}\n"
    "timeline:\n  - {date: 2025-02-03, event: Raids begin}\npeople: [Ovidio Guzmán]\n"
    'sources:\n  - {id: a, title: "Report", url: "https://example.com/r"}\nslug: raids\n',
)
PATH = "content/briefs/2025-02-04-raids.md"


def test_a_translation_keeps_the_facts_and_marks_the_texts(make_site, cli) -> None:
    root = make_site({PATH: ORIGINAL}, SITE)
    run = cli("new", "--source", str(root), "--lang", "es", "--translation-of", PATH)
    assert run.code == 0, run.err
    made = root / "content/briefs/2025-02-04-raids.es.md"
    assert "created " in run.out and "2025-02-04-raids.es.md" in run.out
    front = yaml.safe_load(made.read_text().split("---")[1])
    assert front["title"] == "TRANSLATE: Raids in Sinaloa"
    assert front["key_facts"] == [
        "TRANSLATE: 229 arrests",
        {"figure": "1,800", "label": "TRANSLATE: miles"},
    ]
    event = front["timeline"][0]
    assert str(event["date"]) == "2025-02-03" and event["event"] == "TRANSLATE: Raids begin"
    assert front["people"] == ["Ovidio Guzmán"] and front["topics"] == ["cartels"]
    assert front["sources"][0]["url"] == "https://example.com/r"
    assert front["draft"] is True and "slug" not in front
    assert made.read_text().endswith("Body text.\n")
    # published as it is, the marks are reported
    made.write_text(made.read_text().replace("draft: true\n", ""))
    check = cli("check", "--source", str(root))
    assert (
        "content/briefs/2025-02-04-raids.es.md:1:1: warning: translation still has text "
        "marked 'TRANSLATE:'" in check.err
    )


def test_a_translation_is_refused_when_it_cannot_be_made(make_site, cli) -> None:
    root = make_site({PATH: ORIGINAL}, SITE)
    args = ("new", "--source", str(root), "--translation-of")
    run = cli(*args, PATH, "--lang", "fr")
    assert run.code == 2 and "'fr' is not one of the site's other languages" in run.err
    run = cli(*args, PATH, "--lang", "en")
    assert run.code == 2 and "'en' is not one of the site's other languages" in run.err
    assert cli(*args, PATH, "--lang", "es").code == 0
    run = cli(*args, PATH, "--lang", "es")
    assert run.code == 2 and "already exists; not overwritten" in run.err
    run = cli(*args, "content/briefs/2025-02-04-raids.es.md", "--lang", "es")
    assert run.code == 2 and "is itself a translation (es)" in run.err
    run = cli(*args, "site.yaml", "--lang", "es")
    assert run.code == 2 and "is not a brief under content/briefs/" in run.err
    run = cli("new", "--source", str(root), "--lang", "es")
    assert run.code == 2 and "takes --lang and --translation-of" in run.err


@pytest.mark.parametrize(
    ("fail_at", "errno_", "why"),
    [("open", errno.EROFS, "Read-only file system"), ("write", errno.ENOSPC, "No space left")],
)
def test_a_disk_that_will_not_take_the_file_is_one_line_and_leaves_nothing(
    make_site, cli, monkeypatch, fail_at, errno_, why
) -> None:
    """Both of new's write paths (a brief, a translation): a read-only folder refuses the
    file, a full disk fails its write; one line, exit 2, no file or part of one left."""
    root = make_site({PATH: ORIGINAL}, SITE)
    real_open = Path.open

    def failing_open(self, mode="r", *args, **kwargs):
        if "x" not in mode:
            return real_open(self, mode, *args, **kwargs)
        if fail_at == "open":
            raise OSError(errno_, os.strerror(errno_), str(self))
        handle = real_open(self, mode, *args, **kwargs)

        def write(text):
            raise OSError(errno_, os.strerror(errno_))

        handle.write = write  # type: ignore[method-assign]
        return handle

    monkeypatch.setattr(Path, "open", failing_open)
    before = sorted(p.name for p in (root / "content/briefs").iterdir())
    for args in (("--lang", "es", "--translation-of", PATH), ("A new brief", "--topic", "cartels")):
        run = cli("new", "--source", str(root), *args)
        assert run.code == 2, run.err
        lines = run.err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(
            "briefgen new: error: cannot write content/briefs/"
        )
        assert why in lines[0] and "Traceback" not in run.err
    assert sorted(p.name for p in (root / "content/briefs").iterdir()) == before
