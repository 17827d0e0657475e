"""Pictures, knowing nothing of briefs: what an image file holds (probe), the widths and formats
it is published in (variants), encoding without metadata (encode), ``<picture>`` markup
(markup), and the ``images:`` settings (settings)."""

from briefgen.pictures.markup import picture_html
from briefgen.pictures.settings import IMAGE_KEYS, ImagesConfig, check_images

__all__ = ["IMAGE_KEYS", "ImagesConfig", "check_images", "picture_html"]
