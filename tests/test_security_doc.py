"""docs/security.md states the limits the code enforces; this keeps the two in step."""

from __future__ import annotations

from briefgen.model import urls
from briefgen.read import discover
from briefgen.util import yamlio

from conftest import REPO

DOC = (REPO / "docs/security.md").read_text()


def test_limits_in_the_notes_are_the_limits_in_the_code() -> None:
    assert f"at most {yamlio.MAX_NODES:,} values" in DOC
    assert f"files over {discover.MAX_FILE_BYTES // (1024 * 1024)} MB are refused" in DOC
    assert f"at most {urls.MAX_SLUG} characters" in DOC.replace("\n  ", " ")


def test_the_notes_name_every_refused_scheme_and_the_allow_html_switch() -> None:
    for scheme in ("javascript:", "vbscript:", "file:", "data:"):
        assert f"`{scheme}`" in DOC
    assert "markdown: {allow_html: true}" in DOC
    assert "`.<output>.lock`" in DOC


def test_the_notes_are_linked_from_the_readme() -> None:
    assert "(docs/security.md)" in (REPO / "README.md").read_text()
