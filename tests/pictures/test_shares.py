"""The picture a page shares: a brief's lead picture at its widest, at an absolute address
made by the site's own rule; nothing for a page without one."""

from __future__ import annotations

import dataclasses
import datetime as dt

from briefgen.model.briefing import LeadImage
from briefgen.model.dates import Timestamp
from briefgen.model.pictures import Srcset
from briefgen.model.site import Brief
from briefgen.pictures import Share, Shown, share_of

BASE = "/briefings/"


def permalink(path: str) -> str:
    """What Config.permalink gives for this base."""
    return "https://example.org/briefings/" + path


def brief(**changes: object) -> Brief:
    plain = Brief(
        source_path="content/briefs/a.md",
        slug="a",
        title="A",
        date=Timestamp.from_value(dt.date(2025, 2, 4)),
        summary="",
        topics=(),
    )
    return dataclasses.replace(plain, **changes)


def test_a_brief_shares_its_lead_picture_at_its_widest() -> None:
    files = (("/briefings/media/a-480w.jpg", 480, 240), ("/briefings/media/a-960w.jpg", 960, 480))
    shown = Shown(*files[0], (), Srcset("image/jpeg", files), "image/jpeg")
    image = LeadImage(src="a.jpg", alt="A road", credit="Desk")
    share = share_of(brief(picture=shown, image=image), BASE, permalink)
    assert share == Share(
        "https://example.org/briefings/media/a-960w.jpg", 960, 480, "A road", "image/jpeg"
    )


def test_a_page_without_a_picture_shares_nothing() -> None:
    assert share_of(None, BASE, permalink) is None
    assert share_of(brief(), BASE, permalink) is None
