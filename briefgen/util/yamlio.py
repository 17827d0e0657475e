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

from briefgen.util.quoting import quoted

try:  # the C loader is several times faster; fall back quietly where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Key = tuple[Any, ...]  # Any: the keys (any YAML scalar) and list indexes down to a value

# Alias expansion is what makes "billion laughs" documents explode; a front matter block or
# site.yaml never needs more than a few thousand nodes.
MAX_NODES = 20_000


@dataclass(frozen=True)
class Located:
    """A loaded YAML document and the 1-based (line, col) of each key and value in it."""

    data: Any  # Any: the document, whatever YAML it holds
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


def load(text: str, line_offset: int = 0) -> Located:
    """Load one YAML document safely; raise :class:`YamlProblem` with a position on failure.

    ``line_offset`` is added to every line number, in positions and in messages alike: front
    matter passes the number of lines above it so that lines are those of the file.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise YamlProblem(
            f"invalid character U+{exc.character:04X} (control characters are not allowed)"
            if isinstance(exc.character, int)
            else "invalid character",
            line + line_offset,
            col,
        ) from None
    except yaml.MarkedYAMLError as exc:
        raise _problem(exc, line_offset, text) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(str(exc).replace("\n", " "), 1 + line_offset, 1) from None
    except RecursionError:
        raise YamlProblem("values are nested too deeply", 1 + line_offset, 1) from None
    finally:
        loader.dispose()
    if node is None:
        return Located(None, {}, {})
    walker = _Walker(line_offset, text)
    walker.walk(node, ())
    try:
        data = SafeConstructor().construct_document(node)
    except yaml.MarkedYAMLError as exc:
        raise _problem(exc, line_offset, text) from None
    except Exception as exc:  # PyYAML's constructors fail in many ways on odd typed values
        # e.g. an impossible date such as 2025-02-30, which PyYAML reports without a mark
        bad = _find_bad_scalar(node)
        line, col = _mark(bad.start_mark, text)
        shown = f" {quoted(bad.value)}" if isinstance(bad, yaml.ScalarNode) else ""
        raise YamlProblem(f"cannot read value{shown}: {exc}", line + line_offset, col) from None
    return Located(data, walker.key_marks, walker.value_marks)


class _Walker:
    """Records the position of every key and value, refuses duplicate keys, and counts the
    values the document expands to (an alias counts as everything it stands for)."""

    def __init__(self, line_offset: int, text: str) -> None:
        self.offset = line_offset
        self.text = text
        self.key_marks: dict[Key, tuple[int, int]] = {}
        self.value_marks: dict[Key, tuple[int, int]] = {}
        self.sizes: dict[int, int] = {}  # node id → number of values it expands to
        self.total = 0

    def mark(self, node: yaml.Node) -> tuple[int, int]:
        line, col = _mark(node.start_mark, self.text)
        return line + self.offset, col

    def walk(self, node: yaml.Node, path: Key) -> int:
        self.value_marks[path] = self.mark(node)
        if id(node) in self.sizes:  # an alias: checked where its anchor is
            size = self.sizes[id(node)]
            self.total += size
        else:
            self.sizes[id(node)] = 0  # a recursive alias expands to nothing more
            size = 1
            self.total += 1
            if isinstance(node, yaml.MappingNode):
                size += self._mapping(node, path)
            elif isinstance(node, yaml.SequenceNode):
                size += sum(self.walk(item, path + (i,)) for i, item in enumerate(node.value))
            self.sizes[id(node)] = size
        if self.total > MAX_NODES:
            raise YamlProblem(
                f"document expands to more than {MAX_NODES} values (too many aliases?)",
                *self.mark(node),
            )
        return size

    def _mapping(self, node: yaml.MappingNode, path: Key) -> int:
        size = 0
        first_line: dict[Any, int] = {}  # Any: a mapping's keys, any YAML scalar
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                size += self.walk(value_node, path)
                continue
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else id(key_node)
            line, col = self.mark(key_node)
            if key in first_line:
                raise YamlProblem(
                    f"duplicate key {key!r} (first defined on line {first_line[key]})", line, col
                )
            first_line[key] = line
            self.key_marks[path + (key,)] = (line, col)
            size += self.walk(value_node, path + (key,))
        return size


def _find_bad_scalar(root: yaml.Node) -> yaml.Node:
    """The first scalar that cannot be constructed on its own (else the root)."""
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
                return node
        elif isinstance(node, yaml.MappingNode):
            stack.extend(n for pair in reversed(node.value) for n in reversed(pair))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
    return root


def _mark(mark: yaml.Mark | None, text: str) -> tuple[int, int]:
    """1-based (line, col) of a mark, counting only LF as a line break.

    YAML also breaks lines at U+0085, U+2028 and U+2029; files do not, so positions are
    taken from the mark's character index rather than from its line.
    """
    if mark is None:
        return (1, 1)
    index = min(getattr(mark, "index", 0) or 0, len(text))
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def _problem(exc: yaml.MarkedYAMLError, line_offset: int, text: str) -> YamlProblem:
    """Where the problem starts: an unclosed quote or bracket is reported where it opened,
    not where the scanner finally gave up, lines (or the whole document) later."""
    mark = exc.problem_mark or exc.context_mark
    message = exc.problem or "malformed YAML"
    if exc.context:
        message = f"{exc.context}: {message}"
    message = message.replace("\n", " ")
    context, problem = exc.context or "", exc.problem or ""
    runaway = _runaway_quote(text, exc.problem_mark)
    if exc.context_mark is not None and "end of stream" in problem:
        mark = exc.context_mark  # an unclosed quote or bracket: point at where it opened
    elif runaway is not None:
        # A quote left open runs on to the next quote, often lines later (in a comment, say),
        # and the parser only fails after it: point at the value that opened it.
        mark = runaway.start_mark
        end_line = _mark(runaway.end_mark, text)[0] + line_offset
        message = (
            f"the quoted value that starts here runs on to line {end_line}: "
            f"is its closing quote missing? ({message})"
        )
    elif context.startswith("while parsing a flow") and exc.context_mark is not None:
        opened, stopped = _mark(exc.context_mark, text), _mark(exc.problem_mark, text)
        if opened[0] != stopped[0]:  # a bracket left open: where it opened is the place to fix
            mark = exc.context_mark
            message += f" (the parser stopped on line {stopped[0] + line_offset})"
    line, col = _mark(mark, text)
    return YamlProblem(f"invalid YAML: {message}", line + line_offset, col)


def _runaway_quote(text: str, problem: yaml.Mark | None) -> yaml.ScalarToken | None:
    """The quoted scalar that spans lines and ends on the line where parsing failed, if any:
    almost always a quote left open, whose value swallowed the lines up to the next quote."""
    if problem is None:
        return None
    last = None
    loader = _Loader(text)
    try:
        while loader.check_token():
            token = loader.get_token()
            if token.start_mark.index >= problem.index:
                break
            last = token
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    if (
        isinstance(last, yaml.ScalarToken)
        and last.style in ("'", '"')
        and last.start_mark.line != last.end_mark.line
        and last.end_mark.line == problem.line
    ):
        return last
    return None
