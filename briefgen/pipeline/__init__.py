"""Stage order and reuse: build runs the stages in order over one collector of diagnostics; the cache, the stamps and prepare make a rebuild redo only the work whose inputs changed."""
