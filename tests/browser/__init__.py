"""The example site in a real browser (a package, so that its conftest is not confused with
the conftest of tests/)."""
