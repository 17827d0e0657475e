"""Pictures, knowing nothing of briefs: what an image file holds (probe), the widths and formats
it is published in (variants), encoding without metadata (encode), ``<picture>`` markup
(markup), the ``images:`` settings (settings), and the pictures briefs name, found and
planned (assets), and the picture a page shares (shares)."""

from briefgen.model.pictures import Shown
from briefgen.pictures.assets import Assets, ImageResolver, Unreadable
from briefgen.pictures.markup import picture_html
from briefgen.pictures.settings import IMAGE_KEYS, ImagesConfig, check_images
from briefgen.pictures.shares import Share, share_of

__all__ = [
    "IMAGE_KEYS",
    "Assets",
    "ImageResolver",
    "ImagesConfig",
    "Share",
    "Shown",
    "Unreadable",
    "check_images",
    "picture_html",
    "share_of",
]
