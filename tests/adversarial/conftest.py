"""Fixtures of the adversarial tests (helpers are in ``_support``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ._support import FAST_SITE, TOPIC


@pytest.fixture
def site(make_site: Callable[..., Path]) -> Callable[..., Path]:
    """``site({"content/briefs/x.md": brief()})``: a site with one described topic and no
    search index (fast), unless ``site_yaml`` says otherwise."""

    def make(
        files: dict[str, str | bytes] | None = None, site_yaml: str | None = FAST_SITE
    ) -> Path:
        return make_site({**TOPIC, **(files or {})}, site_yaml=site_yaml)

    return make
