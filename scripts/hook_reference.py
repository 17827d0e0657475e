#!/usr/bin/env python3
"""Rewrite the hook reference of docs/plugins.md from briefgen/plugins/spec.py."""

from __future__ import annotations

import sys
from pathlib import Path

from briefgen.plugins.reference import updated

DOC = Path(__file__).resolve().parent.parent / "docs" / "plugins.md"


def main() -> int:
    text = DOC.read_text(encoding="utf-8")
    new = updated(text)
    if new != text:
        DOC.write_text(new, encoding="utf-8")
        print(f"{DOC.name}: hook reference updated", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
