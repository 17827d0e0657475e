"""The ``TRANSLATE:`` mark: a translation's file begins as its original's front matter with
every text to translate marked (:func:`marked`, for ``briefgen new --translation-of``), and a
published translation that still has a mark is one the translator has not finished
(:func:`still_marked`, which ``check`` warns about).

What must not change in translation is left as the original has it: ``date``, ``updated``,
``topics``, ``tags``, ``sources``, the figures and sources of ``key_facts``, the dates of
``timeline`` and ``updates``, the names in ``people``, ``organizations`` and ``places``,
``go_deeper`` targets, ``translation_key``. Every text to translate (title, summary, why it
matters, what's next, the story's title, key facts, timeline events, change-log notes, the
titles of go-deeper links) starts with ``TRANSLATE:`` followed by the original's words.
"""

from __future__ import annotations

from typing import Any

from briefgen.model.meta import BriefMeta

MARK = "TRANSLATE: "  # what `briefgen new --translation-of` puts before a text to translate
TEXT_FIELDS = ("title", "summary", "why_it_matters", "whats_next", "story")


def marked(front: dict[str, Any]) -> dict[str, Any]:  # Any: front matter values as YAML gives them
    """The original's front matter with every text to translate marked, the rest as is."""
    out: dict[str, Any] = {}  # Any: front matter values as YAML gives them
    for key, value in front.items():
        if key in ("draft", "slug"):
            continue  # a draft until it is translated; the original's slug unless given one
        if key in TEXT_FIELDS and isinstance(value, str):
            out[key] = MARK + value
        elif key == "key_facts" and isinstance(value, list):
            out[key] = [_fact(f) for f in value]
        elif key in ("timeline", "updates", "go_deeper") and isinstance(value, list):
            field = {"timeline": "event", "updates": "note", "go_deeper": "title"}[key]
            out[key] = [
                {**v, field: MARK + v[field]}
                if isinstance(v, dict) and isinstance(v.get(field), str)
                else v
                for v in value
            ]
        else:
            out[key] = value
    return out


def _fact(fact: Any) -> Any:  # Any: front matter values as YAML gives them
    if isinstance(fact, str):
        return MARK + fact
    if isinstance(fact, dict):
        return {
            k: MARK + v if k in ("label", "text") and isinstance(v, str) else v
            for k, v in fact.items()
        }
    return fact


def still_marked(meta: BriefMeta) -> bool:
    """Whether a brief's front matter still carries a ``TRANSLATE:`` mark."""
    s = meta.structure
    texts = [
        meta.title,
        meta.summary,
        s.why_it_matters or "",
        s.whats_next or "",
        s.story_title or "",
        *(f.text for f in meta.key_facts),
        *(f.label or "" for f in meta.key_facts),
        *(e.event for e in s.timeline),
        *(u.note for u in s.updates),
        *(g.title or "" for g in s.go_deeper),
    ]
    return any(t.startswith(MARK) for t in texts)
