"""The one hash of briefgen: a short BLAKE2 hex digest of bytes or text, used to name cache
records and to tell whether a file's bytes changed."""

from __future__ import annotations

import hashlib


def digest(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).hexdigest()
