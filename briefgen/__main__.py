"""Allows ``python -m briefgen``."""

from briefgen.cli.main import main

raise SystemExit(main())
