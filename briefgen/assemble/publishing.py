"""Publishing rules: which briefs this build publishes. Drafts, briefs dated after the
build's clock and briefs whose ``expires`` has passed are left out everywhere (pages, lists,
counts, feeds, sitemap, search) unless the command line asks for them (``--drafts``,
``--future``, ``--expired``); this is the one place that decides."""

from __future__ import annotations

from collections.abc import Iterable

from briefgen.config.values import Config
from briefgen.model.meta import BriefMeta


def unpublished_reason(meta: BriefMeta, config: Config) -> str | None:
    """Why a brief is left out of this build, or ``None`` when it is published.

    Drafts, briefs dated after ``config.now`` and briefs whose ``expires`` has passed are left
    out everywhere (pages, lists, counts, feeds, sitemap, search) unless the build asks for them.
    """
    now = config.now
    if meta.draft and not config.drafts:
        return "a draft"
    if meta.date.moment > now and not config.future:
        return f"scheduled for {meta.date}"
    if meta.expires is not None and meta.expires.moment <= now and not config.expired:
        return f"expired on {meta.expires}"
    return None


LEFT_OUT = ("drafts", "scheduled", "expired")  # what a build summary says it did not publish


def left_out(reasons: Iterable[str]) -> dict[str, int]:
    """How many briefs each rule of ``unpublished_reason`` left out, by the words of
    ``LEFT_OUT``."""
    counts = dict.fromkeys(LEFT_OUT, 0)
    for reason in reasons:
        key = "drafts" if reason == "a draft" else reason.split(" ", 1)[0]
        counts[key] = counts.get(key, 0) + 1
    return counts


def select(metas: Iterable[BriefMeta], config: Config) -> list[BriefMeta]:
    """The briefs to publish in this build."""
    return [m for m in metas if unpublished_reason(m, config) is None]


def unpublished_targets(all_metas: list[BriefMeta], config: Config) -> dict[str, str]:
    """Content path → why it is left out, for briefs that exist but are not in this build."""
    reasons = {m.path: unpublished_reason(m, config) for m in all_metas}
    return {path: reason for path, reason in reasons.items() if reason}
