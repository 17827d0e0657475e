"""Stage 3, Markdown: the one configured renderer (CommonMark and its plugins), inline citations, links to entities on first mention, and the record of every question a render asked the resolver."""
