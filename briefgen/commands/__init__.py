"""The commands beyond build and check: digest (the e-mail digest), new and init (scaffolding), serve (the live preview: its server, its HTTP handler and its watcher)."""
