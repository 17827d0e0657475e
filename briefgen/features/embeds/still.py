"""What the ``post``, ``quote`` and ``figure`` shortcodes draw, prepared from their checked
arguments: markup of the page's own, with no script and nothing asked of another host. A
social post is a static card (its text, who wrote it and when, a link to it), never the
platform's script."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from briefgen.features.embeds import providers
from briefgen.features.embeds.written import Day, day
from briefgen.pictures import Shown, picture_html
from briefgen.plugins import Call


@dataclass(frozen=True)
class Said:
    """Who said it where and when: a social post's platform (named on its link) and the
    date a post or a quote bears, in the edition's words."""

    platform: str = ""
    date: Day | None = None


def prepare_post(call: Call) -> dict[str, Said]:
    url = call.args["url"]
    platform = call.args.get("platform") or providers.platform(url)
    return {"post": Said(platform, _date(call))}


def prepare_quote(call: Call) -> dict[str, Said]:
    return {"quote": Said(date=_date(call))}


def _date(call: Call) -> Day | None:
    value = call.args.get("date")
    return day(value, call.language) if value else None


def prepare_figure(call: Call, sizes: str) -> dict[str, Markup]:
    """The picture in every size and format (``sizes``: the site's ``images.sizes``)."""
    shown: Shown = call.args["src"]
    return {"picture": Markup(picture_html(shown, call.args["alt"], sizes))}
