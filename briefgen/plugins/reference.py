"""The hook reference of ``docs/plugins.md``, made from :mod:`briefgen.plugins.spec`: each
hook's signature and docstring, in the order a build calls them. ``python
scripts/hook_reference.py`` rewrites the part of the file between its markers; a test fails
while the file and the specifications differ."""

from __future__ import annotations

import inspect

from briefgen.plugins import spec

BEGIN = "<!-- hooks: made by scripts/hook_reference.py from briefgen/plugins/spec.py -->"
END = "<!-- end of hooks -->"


def reference() -> str:
    """The Markdown of every hook, between the markers."""
    parts = [BEGIN, ""]
    for name in spec.HOOKS:
        function = getattr(spec, name)
        signature = inspect.signature(function)  # annotations are their source text
        params = ", ".join(f"{p.name}: {p.annotation}" for p in signature.parameters.values())
        line = f"def {name}({params}) -> {signature.return_annotation}"
        parts += [f"### `{name}`", "", "```python", line, "```", ""]
        parts += [inspect.cleandoc(function.__doc__ or ""), ""]
    parts.append(END)
    return "\n".join(parts)


def updated(text: str) -> str:
    """``text`` with its reference part made anew."""
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[:start] + reference() + text[end:]
