"""What Python code reads of the briefs' bodies while a build watches: the hooks that plugins
are handed the whole site in (a feed holds the latest bodies). Templates' reads are traced
apart (:mod:`briefgen.render.trace`); a rebuild after a body edit
(:mod:`briefgen.pipeline.patch`) must make the files of a hook that read that body again."""

from __future__ import annotations

import contextlib
import contextvars
import functools
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from briefgen.model.site import Brief

# what a page reads of a brief when it reads its body, or what is derived from it
BODY_ATTRS = frozenset({"body", "body_html", "toc", "show_toc", "word_count", "reading_minutes"})

# while a build watches: the paths of the briefs whose body each hook read, by the hook
Watched = dict[str, set[str]]
WATCHED: contextvars.ContextVar[Watched | None] = contextvars.ContextVar("watched", default=None)
_HOOK: contextvars.ContextVar[str] = contextvars.ContextVar("hook", default="")
F = TypeVar("F", bound=Callable[..., Any])


def _reading(brief: Brief, name: str) -> Any:  # Any: the field's own type
    if name in BODY_ATTRS:
        found = WATCHED.get()
        if found is not None:
            path = object.__getattribute__(brief, "source_path")
            found.setdefault(_HOOK.get(), set()).add(path)
    return object.__getattribute__(brief, name)


@contextlib.contextmanager
def watching_bodies(hook: str) -> Iterator[None]:
    """While open, every read of a brief's body or of what is derived from it
    (:data:`BODY_ATTRS`) by Python code, in this thread, adds the brief's path to the set
    of ``hook`` in :data:`WATCHED` (when a build has set one). Hooks that are handed the
    whole site (a feed holds the latest bodies) are called inside it: a rebuild after a
    body edit (:mod:`briefgen.pipeline.patch`) must then make their files again."""
    if WATCHED.get() is None or "__getattribute__" in Brief.__dict__:
        yield  # not asked for, or already watching
        return
    token = _HOOK.set(hook)
    Brief.__getattribute__ = _reading  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        del Brief.__getattribute__
        _HOOK.reset(token)


def watches_bodies(hook: F) -> F:
    """A function called inside :func:`watching_bodies`, under its own name."""

    @functools.wraps(hook)
    def watched(*args: Any, **kwargs: Any) -> Any:  # Any: the hook's own
        with watching_bodies(hook.__name__):
            return hook(*args, **kwargs)

    return watched  # type: ignore[return-value]
