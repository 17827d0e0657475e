"""Renders that remember what they asked: a body's render records every question it put to
the resolver (is this brief published? where does this image go? which host is the site's?)
with the answer it got, and may be reused by a later build while every answer still holds."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from typing import Any

from briefgen.markdown import links
from briefgen.model.rendered import Asked
from briefgen.plugins.shortcodes import LocalFile


def recording(resolver: links.Resolver, trace: list[Asked]) -> links.Resolver:
    images = resolver.images

    def image(src: str, path: str) -> str | None:
        url = images(src, path) if images is not None else None
        trace.append(("image", src, path, url))
        return url

    files, shortcodes = resolver.files, resolver.shortcodes

    def file(src: str, path: str) -> LocalFile | str | None:
        found = files(src, path) if files is not None else None
        trace.append(("file", src, path, found))
        return found

    def shortcode(name: str) -> str:
        drawn = shortcodes(name) if shortcodes is not None else ""
        trace.append(("shortcode", name, drawn))
        return drawn

    return links.Resolver(
        targets=_Recorder(resolver.targets, "targets", trace),
        unpublished=_Recorder(resolver.unpublished, "unpublished", trace),
        images=image if images is not None else None,
        site_host=resolver.site_host,
        files=file,
        shortcodes=shortcode,
    )


def replays(trace: tuple[Asked, ...], resolver: links.Resolver) -> bool:
    """Whether ``resolver`` answers every recorded question as it was answered before."""
    for entry in trace:
        kind = entry[0]
        if kind == "site_host":
            if resolver.site_host != entry[1]:
                return False
            continue
        if kind == "image":
            now = resolver.images(entry[1], entry[2]) if resolver.images is not None else None
            if now != entry[3]:
                return False
            continue
        if kind == "file":
            now = resolver.files(entry[1], entry[2]) if resolver.files is not None else None
            if now != entry[3]:
                return False
            continue
        if kind == "shortcode":
            now = resolver.shortcodes(entry[1]) if resolver.shortcodes is not None else ""
            if now != entry[2]:
                return False
            continue
        mapping = resolver.targets if kind[0] == "targets" else resolver.unpublished
        if kind[1] == "has":
            if (entry[1] in mapping) != entry[2]:
                return False
        elif mapping.get(entry[1], _ABSENT) != entry[2]:
            return False
    return True


_ABSENT = ("absent",)  # an answer no mapping holds


class _Recorder(Mapping[str, str]):
    """A read-only view of a resolver mapping that writes down every lookup."""

    def __init__(self, inner: Mapping[str, str], name: str, trace: list[Asked]):
        self.inner, self.name, self.trace = inner, name, trace

    def __getitem__(self, key: str) -> str:
        value = self.inner.get(key, _ABSENT)
        self.trace.append(((self.name, "get"), key, value))
        if value is _ABSENT:
            raise KeyError(key)
        return value  # type: ignore[return-value]

    def get(self, key: str, default: Any = None) -> Any:  # Any: Mapping.get's own signature
        value = self.inner.get(key, _ABSENT)
        self.trace.append(((self.name, "get"), key, value))
        return default if value is _ABSENT else value

    def __contains__(self, key: object) -> bool:
        found = key in self.inner
        self.trace.append(((self.name, "has"), key, found))
        return found

    def __iter__(self) -> Iterator[str]:  # a render that lists everything depends on everything
        self.trace.append(((self.name, "get"), None, os.urandom(8)))
        return iter(self.inner)

    def __len__(self) -> int:
        return len(self.inner)
