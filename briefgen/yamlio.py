"""Safe YAML loading that remembers where every value came from.

Values are composed into PyYAML nodes with the safe loader (the C one where present), so a
``!!python/object`` tag is an error and never executed. Each value's position is kept in a
:class:`Located` table keyed by its path (``("sources", 1, "url")``), which is how a problem
with a nested value is reported at its own line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

try:  # the C loader is several times faster; fall back quietly where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Key = tuple[Any, ...]

# Alias expansion is what makes "billion laughs" documents explode; a front matter block or
# site.yaml never needs more than a few thousand nodes.
MAX_NODES = 20_000


@dataclass(frozen=True)
class Located:
    """A loaded YAML document and the 1-based (line, col) of each key and value in it."""

    data: Any
    key_marks: dict[Key, tuple[int, int]]
    value_marks: dict[Key, tuple[int, int]]

    def where(self, path: Key) -> tuple[int, int]:
        """Position of the key named by ``path``, else of its value, else of the nearest parent."""
        while True:
            if path in self.key_marks:
                return self.key_marks[path]
            if path in self.value_marks:
                return self.value_marks[path]
            if not path:
                return (1, 1)
            path = path[:-1]

    def value_where(self, path: Key) -> tuple[int, int]:
        return self.value_marks.get(path) or self.where(path)


class YamlProblem(Exception):
    """A YAML document could not be loaded; ``line``/``col`` are 1-based within the text."""

    def __init__(self, message: str, line: int, col: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


def load(text: str) -> Located:
    """Load one YAML document safely; raise :class:`YamlProblem` with a position on failure."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise _problem(exc) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(str(exc), 1, 1) from None
    finally:
        loader.dispose()
    if node is None:
        return Located(None, {}, {})
    key_marks: dict[Key, tuple[int, int]] = {}
    value_marks: dict[Key, tuple[int, int]] = {}
    _walk(node, (), key_marks, value_marks, set(), [0])
    constructor = SafeConstructor()
    try:
        data = constructor.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        raise _problem(exc) from None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
        # e.g. an impossible date such as 2025-02-30, which PyYAML reports without a mark
        line, col = _find_bad_scalar(node)
        raise YamlProblem(f"cannot read value: {exc}", line, col) from None
    return Located(data, key_marks, value_marks)


def _walk(
    node: yaml.Node,
    path: Key,
    key_marks: dict[Key, tuple[int, int]],
    value_marks: dict[Key, tuple[int, int]],
    seen: set[int],
    count: list[int],
) -> None:
    count[0] += 1
    if count[0] > MAX_NODES:
        raise YamlProblem(
            f"document has more than {MAX_NODES} values (too many aliases?)",
            *_mark(node.start_mark),
        )
    value_marks[path] = _mark(node.start_mark)
    if id(node) in seen:  # an alias: its contents were checked where the anchor is
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        keys_seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                _walk(value_node, path, key_marks, value_marks, seen, count)
                continue
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else id(key_node)
            line, col = _mark(key_node.start_mark)
            if key in keys_seen:
                raise YamlProblem(
                    f"duplicate key {key!r} (first defined on line {keys_seen[key]})", line, col
                )
            keys_seen[key] = line
            key_marks[path + (key,)] = (line, col)
            _walk(value_node, path + (key,), key_marks, value_marks, seen, count)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, path + (index,), key_marks, value_marks, seen, count)


def _find_bad_scalar(root: yaml.Node) -> tuple[int, int]:
    """Position of the first scalar that cannot be constructed on its own."""
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            try:
                SafeConstructor().construct_object(node)
            except Exception:
                return _mark(node.start_mark)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(n for pair in reversed(node.value) for n in reversed(pair))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
    return _mark(root.start_mark)


def _mark(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _problem(exc: yaml.MarkedYAMLError) -> YamlProblem:
    mark = exc.problem_mark or exc.context_mark
    message = exc.problem or "malformed YAML"
    if exc.context:
        message = f"{exc.context}: {message}"
    message = message.replace("\n", " ")
    line, col = _mark(mark)
    return YamlProblem(f"invalid YAML: {message}", line, col)
