"""``briefgen new --lang es --translation-of content/briefs/x.md``: the file of a brief's
translation, beside it (``x.es.md``), ready for a translator.

Every text to translate starts with ``TRANSLATE:`` and the original's words, what must not
change in translation is copied as the original has it (:mod:`briefgen.languages.marks`
says which is which), and the body is the original's, to be written over. The file is a
draft (``draft: true``) until the translator publishes it; ``check`` warns about a
published translation that still has a ``TRANSLATE:`` mark.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from briefgen.commands.new import ScaffoldError, write_new
from briefgen.languages import marked, split_name
from briefgen.model.diagnostics import BriefgenError, Diagnostics
from briefgen.read import frontmatter


def new_translation(root: Path, original: str, code: str) -> Path:
    """Write the ``code`` translation of the brief at ``original`` (a path relative to
    ``root`` or absolute) and return its path. A ScaffoldError when the site has no such
    language, the original is not a brief in the default language, or the file exists."""
    from briefgen.config.load import load_config

    try:
        config, _ = load_config(root)
    except BriefgenError as exc:
        raise ScaffoldError(exc.diagnostics.items[0].format()) from None
    languages = {lang.code.lower(): lang for lang in config.languages}
    lang = languages.get(code.lower())
    if lang is None or lang.default:
        others = ", ".join(c.code for c in config.languages if not c.default) or "none"
        raise ScaffoldError(
            f"{code!r} is not one of the site's other languages in site.yaml's "
            f"'languages:' ({others})"
        )
    source = _original(root.resolve(), original)
    rel = source.relative_to(root.resolve()).as_posix()
    _, found = split_name(rel, [c.code for c in config.languages])
    if found is not None:
        raise ScaffoldError(f"{rel} is itself a translation ({found}); translate its original")
    diags = Diagnostics()
    doc = frontmatter.split(rel, source.read_text(encoding="utf-8-sig"), diags)
    if doc is None or not isinstance(doc.meta.data, dict):
        raise ScaffoldError(f"{rel} has no front matter to translate")
    front = marked(doc.meta.data)
    front["draft"] = True
    target = source.with_name(source.name[: -len(".md")] + f".{lang.code}.md")
    text = "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000)
    text += "---\n" + doc.body if doc.body.startswith("\n") else "---\n\n" + doc.body
    write_new(target, text, target.relative_to(root.resolve()).as_posix())
    return target


def _original(root: Path, original: str) -> Path:
    path = Path(original)
    path = (path if path.is_absolute() else root / path).resolve()
    briefs = (root / "content" / "briefs").resolve()
    if not path.is_file() or not path.is_relative_to(briefs) or path.suffix != ".md":
        raise ScaffoldError(f"{original} is not a brief under content/briefs/")
    return path
