"""Pictures, knowing nothing of briefs: what an image file holds (probe), the widths and formats
it is published in (variants), encoding without metadata (encode), ``<picture>`` markup
(markup), the ``images:`` settings (settings), and the pictures briefs name, found and
planned (assets), the picture a page shares (shares), and briefs' lead pictures with the
desk's checks on pictures (checks)."""

from briefgen.model.pictures import Shown
from briefgen.pictures.assets import Assets, ImageResolver, Unreadable
from briefgen.pictures.checks import alt_is_file_name, check_published, lead_pictures
from briefgen.pictures.files import Files, make_files, prune
from briefgen.pictures.markup import picture_html
from briefgen.pictures.settings import IMAGE_KEYS, ImagesConfig, check_images
from briefgen.pictures.shares import Share, share_of
from briefgen.pictures.variants import Job

__all__ = [
    "IMAGE_KEYS",
    "Assets",
    "Files",
    "ImageResolver",
    "ImagesConfig",
    "Job",
    "Share",
    "Shown",
    "Unreadable",
    "alt_is_file_name",
    "check_published",
    "check_images",
    "lead_pictures",
    "make_files",
    "picture_html",
    "prune",
    "share_of",
]
