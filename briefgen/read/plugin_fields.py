"""Front matter fields that plugins add (their ``briefgen_fields`` hook): each value passed to
its field's check, at its line, and kept among the brief's params under its name."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from briefgen.plugins.types import FieldProblem, FieldTable
from briefgen.read.frontmatter import FieldChecker

NONE: FieldTable = MappingProxyType({})


def check_fields(
    c: FieldChecker,
    data: Mapping[Any, Any],  # Any: the front matter, any YAML
    fields: FieldTable,
) -> dict[str, Any]:  # Any: what the plugins' checks return
    """The checked value of each plugin field the front matter has; a field's problem, or an
    exception its check raises, is an error at the field (the brief is then left out)."""
    values: dict[str, Any] = {}  # Any: what the plugins' checks return
    for name, (plugin, field) in fields.items():
        if name not in data:
            if field.required:
                c.error((), f"missing required field {name!r} (plugin {plugin!r}: {field.help})")
            continue
        try:
            values[name] = field.check(data[name])
        except FieldProblem as problem:
            c.error((name, *problem.at), f"{name!r} {problem.message}")
        except Exception as exc:  # the plugin's own bug, reported as such
            kind = type(exc).__name__
            c.error(
                (name,),
                f"plugin {plugin!r} failed in briefgen_fields, checking {name!r}: {kind}: {exc}",
            )
    return values
