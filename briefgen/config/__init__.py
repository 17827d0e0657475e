"""Stage 1, configuration: site.yaml read and checked into one frozen Config, with the command line's overrides applied as one typed value."""
