"""Where another host's address leads, read from its shape alone (nothing here asks the
network): the video providers (YouTube, Vimeo, Dailymotion, PeerTube) with the address of
their player, DocumentCloud's documents, and the platform a social post is on.

Every player is built to start when it loads (``autoplay=1``): it loads only when the reader
has clicked to play it. With ``embeds.privacy`` (the default), YouTube's player comes from
its no-cookie host and Vimeo's is told not to track (``dnt=1``); Dailymotion has no such
mode, and a PeerTube host is one the site chose in ``embeds.hosts``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import SplitResult, parse_qs, urlsplit

from briefgen.plugins import ShortcodeProblem

NOT_A_VIDEO = "not a YouTube, Vimeo, Dailymotion or PeerTube address, nor a local video file"
_YOUTUBE = {"youtube.com", "m.youtube.com", "music.youtube.com", "youtube-nocookie.com"}
_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_YOUTUBE_PATHS = re.compile(r"/(?:shorts|embed|live|v)/([A-Za-z0-9_-]{11})/?$")
_VIMEO = re.compile(r"/(?:channels/[\w-]+/|groups/[\w-]+/videos/|video/)?(\d+)(?:/([0-9a-f]+))?/?$")
_DAILYMOTION = re.compile(r"/(?:embed/)?video/([a-z0-9]+)")
_PEERTUBE = re.compile(r"/(?:w|videos/watch|videos/embed)/([A-Za-z0-9-]+)/?$")
_DOCUMENTCLOUD = re.compile(r"/documents/(\d+)-([A-Za-z0-9_-]+?)(?:\.html)?/?$")
DOCUMENT_HEIGHT = 640  # CSS pixels: a DocumentCloud viewer shows a page and its tools
_PLATFORMS = {
    "x.com": "X",
    "twitter.com": "X",
    "bsky.app": "Bluesky",
    "threads.net": "Threads",
    "threads.com": "Threads",
    "facebook.com": "Facebook",
    "fb.com": "Facebook",
    "instagram.com": "Instagram",
    "tiktok.com": "TikTok",
}
_MASTODON = re.compile(r"/@[\w.-]+(?:@[\w.-]+)?/\d+/?$|/users/[\w.-]+/statuses/\d+/?$")


@dataclass(frozen=True)
class Facade:
    """A player or frame of another host, shown as a card that links to the original until
    the reader asks for it (the theme's ``embeds.js`` then puts it in the card's place).

    ``load`` is what the script loads, "" for a card that stays a plain link
    (``embeds.links_only``, or an address with nothing to embed); ``kind`` what it puts in
    the card's place, ``"frame"`` (an iframe) or ``"audio"`` (an ``<audio>`` element);
    ``host`` the host a click reaches, named on the card; ``height`` the frame's height in
    CSS pixels (0: the theme's proportions)."""

    provider: str  # its name on the card: YouTube
    link: str  # the original: what the card links to, with or without JavaScript
    load: str = ""
    host: str = ""
    kind: str = "frame"
    height: int = 0


def facade(
    provider: str,
    link: str,
    load: str,
    settings: Mapping[str, Any],  # Any: ``embeds:`` as the feature reads it
    kind: str = "frame",
    height: int = 0,
) -> Facade:
    """The card of ``link``, which loads ``load`` on a click unless the site shows links
    only; it names the host the reader's click reaches."""
    if settings.get("links_only") or not load:
        return Facade(provider, link, "", bare_host(link), kind, height)
    return Facade(provider, link, load, bare_host(load), kind, height)


def bare_host(address: str) -> str:
    """The host of an address as a reader knows it: ``youtube.com`` for www.youtube.com."""
    host = (urlsplit(address).hostname or "").lower()
    return host.removeprefix("www.")


def video(address: str, start: int, settings: Mapping[str, Any]) -> Facade:  # Any: embeds:
    """The card of a video on another host; raises :class:`ShortcodeProblem` (at ``src``)
    for an address of no provider this knows, or of a PeerTube host the site has not
    allowed."""
    parts = urlsplit(address)
    host = bare_host(address)
    privacy = bool(settings.get("privacy", True))
    found = (
        _youtube(host, parts, start, privacy)
        or _vimeo(host, parts, start, privacy)
        or _dailymotion(host, parts, start)
    )
    if found is not None:
        provider, link, load = found
        return facade(provider, link, load, settings)
    watch = _PEERTUBE.match(parts.path)
    if watch is None:
        raise ShortcodeProblem(NOT_A_VIDEO, "src")
    full_host = (parts.hostname or "").lower()
    allowed(full_host, settings, "PeerTube host")
    ident, at = watch.group(1), f"{parts.scheme}://{parts.netloc}"
    link = f"{at}/w/{ident}" + (f"?start={start}" if start else "")
    load = f"{at}/videos/embed/{ident}?autoplay=1" + (f"&start={start}" if start else "")
    return facade("PeerTube", link, load, settings)


def _youtube(
    host: str, parts: SplitResult, start: int, privacy: bool
) -> tuple[str, str, str] | None:
    ident = None
    if host == "youtu.be":
        ident = parts.path.strip("/").split("/")[0]
    elif host in _YOUTUBE and parts.path.rstrip("/") == "/watch":
        ident = parse_qs(parts.query).get("v", [""])[0]
    elif host in _YOUTUBE and (shape := _YOUTUBE_PATHS.match(parts.path)):
        ident = shape.group(1)
    if ident is None:
        return None
    if not _YOUTUBE_ID.fullmatch(ident):
        raise ShortcodeProblem(
            "a YouTube address names its video by an id of 11 characters: watch?v=… or youtu.be/…",
            "src",
        )
    player = "www.youtube-nocookie.com" if privacy else "www.youtube.com"
    link = f"https://www.youtube.com/watch?v={ident}" + (f"&t={start}s" if start else "")
    load = f"https://{player}/embed/{ident}?autoplay=1" + (f"&start={start}" if start else "")
    return "YouTube", link, load


def _vimeo(host: str, parts: SplitResult, start: int, privacy: bool) -> tuple[str, str, str] | None:
    if host not in ("vimeo.com", "player.vimeo.com"):
        return None
    shape = _VIMEO.match(parts.path)
    if shape is None:
        return None
    ident, secret = shape.group(1), shape.group(2) or parse_qs(parts.query).get("h", [""])[0]
    at = f"#t={start}s" if start else ""
    link = f"https://vimeo.com/{ident}" + (f"/{secret}" if secret else "") + at
    query = "autoplay=1" + (f"&h={secret}" if secret else "") + ("&dnt=1" if privacy else "")
    return "Vimeo", link, f"https://player.vimeo.com/video/{ident}?{query}{at}"


def _dailymotion(host: str, parts: SplitResult, start: int) -> tuple[str, str, str] | None:
    if host == "dai.ly":
        ident = parts.path.strip("/").split("/")[0]
    elif host == "dailymotion.com" and (shape := _DAILYMOTION.match(parts.path)):
        ident = shape.group(1)
    else:
        return None
    link = f"https://www.dailymotion.com/video/{ident}" + (f"?start={start}" if start else "")
    load = f"https://www.dailymotion.com/embed/video/{ident}?autoplay=1"
    return "Dailymotion", link, load + (f"&start={start}" if start else "")


def documentcloud(address: str, page: int, settings: Mapping[str, Any]) -> Facade | None:
    """The card of a DocumentCloud document, or None: not a DocumentCloud address."""
    parts = urlsplit(address)
    if bare_host(address) not in ("documentcloud.org", "embed.documentcloud.org"):
        return None
    shape = _DOCUMENTCLOUD.match(parts.path)
    if shape is None:
        return None
    name = f"{shape.group(1)}-{shape.group(2)}"
    at = f"#document/p{page}" if page else ""
    link = f"https://www.documentcloud.org/documents/{name}{at}"
    load = f"https://embed.documentcloud.org/documents/{name}/?embed=1&responsive=1{at}"
    return facade("DocumentCloud", link, load, settings, height=DOCUMENT_HEIGHT)


def allowed(host: str, settings: Mapping[str, Any], what: str = "host") -> None:  # Any: embeds:
    """Raises :class:`ShortcodeProblem` (at ``src``) unless ``embeds.hosts`` lists ``host``."""
    hosts = tuple(settings.get("hosts", ()))
    if host not in hosts:
        listed = ", ".join(hosts) or "none"
        raise ShortcodeProblem(
            f"{what} {host!r} is not in embeds.hosts of site.yaml (allowed: {listed})", "src"
        )


def platform(address: str) -> str:
    """The platform a post's address is on: X, Bluesky, Mastodon, Threads, Facebook,
    Instagram, TikTok, or else its host."""
    host = bare_host(address)
    for prefix in ("mobile.", "m."):
        host = host.removeprefix(prefix)
    if host in _PLATFORMS:
        return _PLATFORMS[host]
    if _MASTODON.search(urlsplit(address).path):
        return "Mastodon"
    return host
