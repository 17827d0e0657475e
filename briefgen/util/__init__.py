"""Small helpers every stage may use and that know nothing of briefs: hashing, quoting values in messages, JSON as briefgen writes it, YAML with positions, work on every core."""
