"""Stage 2, reading: find the content files in a stable order, split front matter from Markdown, and validate every field into typed metadata, each problem at its line."""
