"""Allows ``python -m briefgen``."""

from briefgen.cli import main

raise SystemExit(main())
