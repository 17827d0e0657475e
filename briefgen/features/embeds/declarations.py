"""The built-in shortcodes as briefgen declares them: each one's arguments with their kinds
(checked at their line before anything is drawn), its body, the ``prepare`` that works out
what its template shows, and the theme words the template uses. The templates are the
theme's ``templates/shortcodes/<name>.html``; a site overrides one with its own file of the
same name."""

from __future__ import annotations

from functools import partial

from briefgen.features.embeds.media import (
    prepare_audio,
    prepare_document,
    prepare_embed,
    prepare_video,
)
from briefgen.features.embeds.still import prepare_figure, prepare_post, prepare_quote
from briefgen.plugins import Param, Shortcode

TITLE = Param("title", required=True, help="what it is, in a few words: its accessible name")
CAPTION = Param("caption", help="a sentence under it")
CREDIT = Param("credit", help="who made it")
SOURCE = Param("source", "source", help="the id of the brief's source it comes from")
CARD = ("embed.opens", "embed.credit")  # words of every card that stands for another host


def declarations(sizes: str) -> tuple[Shortcode, ...]:
    """``sizes``: the ``sizes`` attribute of a picture that spans the text (the site's
    ``images.sizes``), for a figure and for a poster on a video's card."""
    return (_video(sizes), _audio(), _document(), _post(), _embed(), _figure(sizes), _quote())


def _video(sizes: str) -> Shortcode:
    src = Param(
        "src",
        "file_or_url",
        required=True,
        positional=True,
        help="a YouTube, Vimeo, Dailymotion or PeerTube address, or a video file of the site "
        "(.mp4, .webm, .ogv)",
    )
    return Shortcode(
        "video",
        (
            src,
            TITLE,
            Param("poster", "picture", help="a picture of the site shown before it plays"),
            Param("captions", "file", help="a WebVTT file (.vtt) for a video file of the site"),
            Param("captions_lang", help="the captions' language (the page's if not given)"),
            Param("start", "int", help="where it starts, in seconds"),
            CAPTION,
            CREDIT,
            SOURCE,
        ),
        prepare=partial(prepare_video, sizes=sizes),
        help="a video: played here, or from another host once the reader asks",
        words=("embed.play_video", "embed.download_video", *CARD),
    )


def _post() -> Shortcode:
    return Shortcode(
        "post",
        (
            Param("url", "url", required=True, positional=True, help="the post's address"),
            Param("author", required=True, help="who posted it"),
            Param("handle", help="the account's handle: @name"),
            Param("date", "date", help="when it was posted"),
            Param("platform", help="where it was posted (read from the address if not given)"),
            SOURCE,
        ),
        body="required",
        prepare=prepare_post,
        help="a social media post as a static card: its text is the body",
        words=("embed.view_post",),
    )


def _figure(sizes: str) -> Shortcode:
    return Shortcode(
        "figure",
        (
            Param("src", "picture", required=True, positional=True, help="a picture of the site"),
            Param("alt", required=True, help="what the picture shows, for who cannot see it"),
            CAPTION,
            CREDIT,
            Param("link", "url", help="an address the picture links to"),
        ),
        prepare=partial(prepare_figure, sizes=sizes),
        help="a picture with its caption and credit, in every size and format",
        words=("image.credit",),
    )


def _quote() -> Shortcode:
    return Shortcode(
        "quote",
        (
            Param("by", required=True, help="who said it"),
            Param("role", help="who they are: Mexico's president"),
            Param("date", "date", help="when they said it"),
            SOURCE,
            Param("url", "url", help="where it was said"),
        ),
        body="required",
        prepare=prepare_quote,
        help="a pull quote: the body is what was said",
    )


def _audio() -> Shortcode:
    src = Param(
        "src",
        "file_or_url",
        required=True,
        positional=True,
        help="a sound file of the site (.mp3, .ogg, .m4a, .opus), or an https address of a "
        "sound file or of a podcast's episode",
    )
    return Shortcode(
        "audio",
        (src, TITLE, CAPTION, CREDIT, SOURCE),
        prepare=prepare_audio,
        help="a sound: played here, or from another host once the reader asks",
        words=("embed.play_audio", "embed.download_audio", *CARD),
    )


def _document() -> Shortcode:
    src = Param(
        "src",
        "file_or_url",
        required=True,
        positional=True,
        help="a PDF of the site, or a DocumentCloud address "
        "(https://www.documentcloud.org/documents/ID-slug)",
    )
    return Shortcode(
        "document",
        (src, TITLE, CAPTION, SOURCE, Param("page", "int", help="the page to open it at")),
        prepare=prepare_document,
        help="a document: a PDF of the site with its size and pages, or DocumentCloud's "
        "viewer once the reader asks",
        words=("embed.open_document", "embed.pages", *CARD),
    )


def _embed() -> Shortcode:
    src = Param(
        "src",
        "url",
        required=True,
        positional=True,
        help="the frame's address, on a host listed in embeds.hosts",
    )
    return Shortcode(
        "embed",
        (
            src,
            TITLE,
            Param("height", "int", help="the frame's height in pixels (400)"),
            CAPTION,
            CREDIT,
            SOURCE,
        ),
        prepare=prepare_embed,
        help="a frame of a host the site allows (a chart, a map) once the reader asks",
        words=("embed.show", *CARD),
    )
