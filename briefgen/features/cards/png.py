"""A palette PNG put together from rows compressed apart: the rows that are the same on
every card (blank ones, the site's name) are compressed once and their bytes reused, and
only the rows a card's own text crosses are compressed for it.

Each part is a raw deflate stream of its own, flushed to a byte boundary and never
pointing back before its start, so parts can be joined in any order into one zlib stream;
its Adler-32 is combined from the parts' (zlib's ``adler32_combine``). A part is made by
a compressor of its own, so its bytes depend only on its rows: the same every build,
whatever was drawn before it in the process."""

from __future__ import annotations

import functools
import struct
import zlib
from dataclasses import dataclass

LEVEL = 2  # zlib's level: see the measures in draw.py
SIGNATURE = b"\x89PNG\r\n\x1a\n"
ZLIB_HEADER = b"\x78\x5e"  # deflate, a 32 KiB window, a fast level; no preset dictionary
LAST_BLOCK = b"\x03\x00"  # an empty final block of fixed codes, ending the deflate stream
_BASE = 65521  # Adler-32's modulus


@dataclass(frozen=True)
class Part:
    """Scanlines compressed: the deflate bytes, and the Adler-32 and length of the rows."""

    data: bytes
    adler: int
    size: int


def compress(rows: bytes | memoryview) -> Part:
    """``rows`` (scanlines, each with its filter byte) compressed on their own."""
    deflate = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return Part(
        deflate.compress(rows) + deflate.flush(zlib.Z_SYNC_FLUSH), zlib.adler32(rows), len(rows)
    )


@functools.lru_cache(maxsize=1024)
def repeated(row: bytes, count: int) -> Part:
    """``count`` copies of one scanline, compressed once for every card."""
    return compress(row * count)


def png(width: int, height: int, palette: bytes, parts: list[Part]) -> bytes:
    """The PNG of an 8-bit palette image whose scanlines are ``parts``, top to bottom."""
    adler = 1
    for part in parts:
        adler = _combine(adler, part.adler, part.size)
    stream = [ZLIB_HEADER, *(part.data for part in parts), LAST_BLOCK, adler.to_bytes(4, "big")]
    header = struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)
    return b"".join(
        [
            SIGNATURE,
            _chunk(b"IHDR", header),
            _chunk(b"PLTE", palette),
            _chunk(b"IDAT", b"".join(stream)),
            _chunk(b"IEND", b""),
        ]
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(data, zlib.crc32(kind))
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def _combine(first: int, second: int, size: int) -> int:
    """The Adler-32 of two byte strings one after the other, from each one's and the
    second's length: the sums of the second restarted from the first's."""
    low = ((first & 0xFFFF) + (second & 0xFFFF) - 1) % _BASE
    high = ((first >> 16) + (second >> 16) + size * ((first & 0xFFFF) - 1)) % _BASE
    return high << 16 | low
