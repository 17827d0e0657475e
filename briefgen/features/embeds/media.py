"""What the ``video``, ``audio``, ``document`` and ``embed`` shortcodes draw, prepared from
their checked arguments: a file of the site played or linked where it is (same host, no
card needed), or another host's player behind a card that links to the original
(:class:`~briefgen.features.embeds.providers.Facade`). Each ``prepare`` raises
:class:`ShortcodeProblem` for a use that cannot be shown, reported at the argument."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from markupsafe import Markup

from briefgen.features.embeds import providers, written
from briefgen.features.embeds.pdf import page_count
from briefgen.features.embeds.providers import Facade
from briefgen.pictures import Shown, picture_html
from briefgen.plugins import Call, LocalFile, ShortcodeProblem

VIDEO_TYPES = {".mp4": "video/mp4", ".webm": "video/webm", ".ogv": "video/ogg"}
AUDIO_TYPES = {".mp3": "audio/mpeg", ".ogg": "audio/ogg", ".m4a": "audio/mp4", ".opus": "audio/ogg"}


@dataclass(frozen=True)
class Played:
    """A video or a sound, as its template draws it: a file of the site in a ``<video>`` or
    ``<audio>`` element (``src``, its ``type``), or another host's behind a ``facade``."""

    facade: Facade | None = None
    src: str = ""  # the file's address, with its start as a media fragment (#t=90)
    type: str = ""  # its MIME type
    poster: Shown | None = None  # a local picture: the video's poster, or the card's picture
    poster_html: Markup = Markup("")  # that picture on the card, every size of it
    captions: str = ""  # the address of a WebVTT file
    captions_lang: str = ""
    captions_label: str = ""  # the captions' language, named in the edition's language


@dataclass(frozen=True)
class Document:
    """A PDF of the site (``link``, with its ``size`` and ``pages`` in words), or a document
    on DocumentCloud behind a ``facade``."""

    facade: Facade | None = None
    link: str = ""
    size: str = ""
    pages: int = 0


def _kind_of(file: LocalFile, types: Mapping[str, str], what: str) -> str:
    """The MIME type of ``file`` by its extension, one of ``types``."""
    ext = posixpath.splitext(file.path)[1].lower()
    if ext not in types:
        raise ShortcodeProblem(f"{file.path!r} is not {what} ({', '.join(types)})", "src")
    return types[ext]


def prepare_video(call: Call, sizes: str) -> dict[str, Played]:
    """``sizes``: the ``sizes`` attribute of a picture that spans the text (the site's
    ``images.sizes``), for a poster on a card."""
    src, start = call.args["src"], call.args.get("start", 0)
    poster: Shown | None = call.args.get("poster")
    captions: LocalFile | None = call.args.get("captions")
    if not isinstance(src, LocalFile):
        if captions is not None:
            raise ShortcodeProblem(
                "captions go with a video file of the site: a player of another host shows its own",
                "captions",
            )
        card = Markup(picture_html(poster, "", sizes)) if poster else Markup("")
        facade = providers.video(src, start, call.settings)
        return {"video": Played(facade, poster=poster, poster_html=card)}
    kind = _kind_of(src, VIDEO_TYPES, "a video file")
    played = Played(src=src.url + (f"#t={start}" if start else ""), type=kind, poster=poster)
    if captions is None:
        return {"video": played}
    if posixpath.splitext(captions.path)[1].lower() != ".vtt":
        raise ShortcodeProblem(f"{captions.path!r} is not a WebVTT file (.vtt)", "captions")
    lang = call.args.get("captions_lang", call.language)
    label = written.language_name(lang, call.language)
    with_captions = replace(played, captions=captions.url, captions_lang=lang, captions_label=label)
    return {"video": with_captions}


def prepare_audio(call: Call) -> dict[str, Played]:
    src = call.args["src"]
    if isinstance(src, LocalFile):
        return {"audio": Played(src=src.url, type=_kind_of(src, AUDIO_TYPES, "an audio file"))}
    parts = urlsplit(src)
    if parts.scheme != "https":
        raise ShortcodeProblem(
            "a sound of another host is played from an https address (a page served over "
            "https cannot play one over http)",
            "src",
        )
    host = (parts.hostname or "").lower()
    if posixpath.splitext(parts.path)[1].lower() in AUDIO_TYPES:
        card = providers.facade(providers.bare_host(src), src, src, call.settings, "audio")
    elif host in call.settings.get("hosts", ()):
        card = providers.facade(providers.bare_host(src), src, src, call.settings)
    else:  # a podcast's page: a link to it, nothing to play here
        card = providers.facade(providers.bare_host(src), src, "", call.settings)
    return {"audio": Played(card)}


def prepare_document(call: Call) -> dict[str, Document]:
    src, page = call.args["src"], call.args.get("page", 0)
    if not isinstance(src, LocalFile):
        found = providers.documentcloud(src, page, call.settings)
        if found is None:
            raise ShortcodeProblem(
                "not a DocumentCloud address (https://www.documentcloud.org/documents/"
                "ID-slug), nor a local PDF",
                "src",
            )
        return {"document": Document(found)}
    if posixpath.splitext(src.path)[1].lower() != ".pdf":
        raise ShortcodeProblem(f"{src.path!r} is not a PDF (.pdf)", "src")
    pages = page_count(Path(call.root) / src.path, src.path)
    if page > pages:
        raise ShortcodeProblem(f"page {page}: {src.path!r} has {pages} pages", "page")
    link = src.url + (f"#page={page}" if page else "")
    return {"document": Document(None, link, written.size(src.size, call.language), pages)}


def prepare_embed(call: Call) -> dict[str, Facade]:
    src = call.args["src"]
    host = (urlsplit(src).hostname or "").lower()
    providers.allowed(host, call.settings)
    height = call.args.get("height", 400)
    if height < 50:
        raise ShortcodeProblem(f"height {height}: a frame is at least 50 pixels high", "height")
    bare = providers.bare_host(src)
    return {"frame": providers.facade(bare, src, src, call.settings, height=height)}
