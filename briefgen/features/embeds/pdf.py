"""A PDF's page count, read at build time with pypdf: a maintained pure-Python reader.
Counting ``/Type /Page`` with a pattern miscounts every PDF whose objects sit in compressed
object streams, which most PDF writers make today."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from briefgen.plugins import ShortcodeProblem


def page_count(path: Path, shown: str) -> int:
    """The pages of the PDF at ``path`` (``shown``: how the brief names it); raises
    :class:`ShortcodeProblem` at ``src`` for a file pypdf cannot read as a PDF, one that
    needs a password, or one without a page."""
    import pypdf  # here: only a build that shows a local PDF needs it

    with _quiet():
        try:
            reader = pypdf.PdfReader(path)
            if reader.is_encrypted and not reader.decrypt(""):
                raise ShortcodeProblem(f"{shown!r} needs a password to open", "src")
            pages = len(reader.pages)
        except ShortcodeProblem:
            raise
        except Exception as exc:  # a damaged or hostile file: the parser may raise anything
            why = str(exc) or type(exc).__name__
            raise ShortcodeProblem(f"{shown!r} cannot be read as a PDF: {why}", "src") from None
    if pages == 0:
        raise ShortcodeProblem(f"{shown!r} is a PDF without a page", "src")
    return pages


@contextmanager
def _quiet() -> Iterator[None]:
    """pypdf logs and warns about every oddity of a file it still reads; briefgen reports
    through its diagnostics only, and a build prints nothing else."""
    logger = logging.getLogger("pypdf")  # its modules' loggers take their level from it
    was = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(was)
