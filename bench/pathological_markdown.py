#!/usr/bin/env python3
"""Time the Markdown renderer on the pathological bodies of the adversarial tests.

    .venv/bin/python bench/pathological_markdown.py

Prints, for each body, its size and the best of five renders in seconds. The target is under
one second each on a 2-core machine; the test suite only guards against runaway rendering.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from briefgen.config.values import MarkdownConfig  # noqa: E402
from briefgen.markdown.links import Resolver  # noqa: E402
from briefgen.markdown.renderer import render  # noqa: E402
from briefgen.model.diagnostics import Diagnostics  # noqa: E402


def _bodies() -> dict[str, str]:
    from adversarial.test_markdown_attacks import PATHOLOGICAL  # tests/ is on the path

    return PATHOLOGICAL


def main() -> int:
    slowest = 0.0
    for name, body in _bodies().items():
        best = float("inf")
        for _ in range(5):
            started = time.perf_counter()
            render(
                body,
                path="content/briefs/x.md",
                body_line=8,
                options=MarkdownConfig(),
                resolver=Resolver(),
                diags=Diagnostics(),
            )
            best = min(best, time.perf_counter() - started)
        slowest = max(slowest, best)
        print(f"{name:<32} {len(body):>9,} chars  {best:6.3f} s")
    print(f"{'slowest':<32} {'':>15}  {slowest:6.3f} s (target: under 1 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
