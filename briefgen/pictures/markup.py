"""A picture as HTML: ``<picture>`` with a ``<source>`` per modern format and an ``<img>``
in the fallback format, every file listed at its width (``srcset``) so that the browser
picks the smallest that fills the space (``sizes``), and ``width`` and ``height`` so that
the page keeps the picture's place before it arrives."""

from __future__ import annotations

from html import escape

from briefgen.model.pictures import Shown


def picture_html(
    shown: Shown,
    alt: str,
    sizes: str,
    *,
    eager: bool = False,
    css: str = "",
    title: str = "",
    position: str = "",
) -> str:
    """``eager``: a picture at the top of the page (loaded at once, with priority); every
    other one waits until it nears the screen. ``position``: CSS ``object-position`` of a
    picture cropped to a shape (its focal point)."""
    attrs = [f'src="{escape(shown.src)}"']
    if shown.fallback is not None and len(shown.fallback.files) > 1:
        attrs.append(f'srcset="{escape(shown.fallback.attribute())}"')
        attrs.append(f'sizes="{escape(sizes)}"')
    attrs.append(f'width="{shown.width}" height="{shown.height}"')
    attrs.append(f'alt="{escape(alt)}"')
    if title:
        attrs.append(f'title="{escape(title)}"')
    if css:
        attrs.append(f'class="{escape(css)}"')
    if position and position != "50% 50%":
        attrs.append(f'style="object-position: {escape(position)}"')
    attrs.append('fetchpriority="high"' if eager else 'loading="lazy" decoding="async"')
    img = f"<img {' '.join(attrs)}>"
    if not shown.sources:
        return img
    sources = "".join(
        f'<source type="{s.mime}" srcset="{escape(s.attribute())}" sizes="{escape(sizes)}">'
        for s in shown.sources
    )
    return f"<picture>{sources}{img}</picture>"
