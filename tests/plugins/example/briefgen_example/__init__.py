"""A desk's priorities: a ``priority`` field (1, most urgent, to 5) on briefs, a check that an
urgent brief states its key facts and that titles keep to a length, a page listing briefs by
priority, a ``priority_label`` filter, and ``priorities.json`` for the desk's dashboard."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from briefgen.plugins import Field, FieldProblem, Output, Page, Problem, Setting, hookimpl

LABELS = {1: "flash", 2: "urgent", 3: "priority", 4: "routine", 5: "deferred"}


def _priority(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldProblem(f"must be a whole number from 1 to 5, not {value!r}")
    if not 1 <= value <= 5:
        raise FieldProblem(f"must be from 1 (most urgent) to 5, not {value}")
    return value


class Priorities:
    """The plugin: made once a build with its settings."""

    version = "1.0.0"
    templates = Path(__file__).parent / "templates"
    settings: Mapping[str, Setting] = {
        "max_title_words": Setting(int, 14, "words a title may have before it is a warning"),
        "page_title": Setting(str, "Briefs by priority", "the title of the page"),
        "fail_in": Setting(str, "", "a hook to raise an exception in, to test error reports"),
    }

    def __init__(self, settings: Mapping[str, Any]) -> None:
        self.max_words = settings["max_title_words"]
        self.title = settings["page_title"]
        self.fail_in = settings["fail_in"]

    def _maybe_fail(self, hook: str) -> None:
        if self.fail_in == hook:
            raise RuntimeError(f"failing on purpose in {hook}")

    @hookimpl
    def briefgen_fields(self) -> list[Field]:
        self._maybe_fail("briefgen_fields")
        return [Field("priority", _priority, "1 (most urgent) to 5")]

    @hookimpl
    def briefgen_check(self, site: Any) -> list[Problem]:
        self._maybe_fail("briefgen_check")
        problems = []
        for brief in site.briefs:
            words = len(brief.title.split())
            if words > self.max_words:
                problems.append(
                    Problem(
                        brief.source_path,
                        f"title has {words} words, over "
                        f"{self.max_words} (priorities.max_title_words)",
                        line=2,
                        col=1,
                    )
                )  # noqa: E501
            if brief.params.get("priority") == 1 and not brief.key_facts:
                problems.append(
                    Problem(
                        brief.source_path,
                        "a flash brief needs key_facts",
                        severity="error",
                        line=1,
                        col=1,
                    )
                )
        return problems

    @hookimpl
    def briefgen_pages(self, site: Any) -> list[Page]:
        self._maybe_fail("briefgen_pages")
        ranked = sorted(site.briefs, key=lambda b: (b.params.get("priority", 5), b.slug))
        return [
            Page(
                "priorities.html",
                "priorities/",
                self.title,
                "Every brief, most urgent first.",
                context={"ranked": tuple(ranked)},
            )
        ]

    @hookimpl
    def briefgen_template_filters(self) -> dict[str, Any]:
        return {"priority_label": lambda n: LABELS.get(n, "unranked")}

    @hookimpl
    def briefgen_outputs(self, site: Any, config: Any) -> list[Output]:
        self._maybe_fail("briefgen_outputs")
        if config.prefix:
            return []
        rows = [
            {"slug": b.slug, "priority": b.params.get("priority"), "url": config.url(b.path)}
            for b in site.briefs
        ]
        data = json.dumps(rows, indent=1, sort_keys=True) + "\n"
        return [Output("priorities.json", data.encode("utf-8"))]
