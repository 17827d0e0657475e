"""Pictures, knowing nothing of briefs: what an image file holds (probe), the widths and formats
it is published in (variants), encoding without metadata (encode), and ``<picture>`` markup
(markup)."""
