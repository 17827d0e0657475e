"""Pictures, behind one package: every detail of them is here, and the rest of briefgen uses
only the names this module exports.

- ``settings``: the ``images:`` settings (``ImagesConfig``) and their checks, which reading
  ``site.yaml`` calls.
- ``assets``: the pictures briefs name, found (``Assets.resolve``, an ``ImageResolver``),
  read (``probe``) and planned at every width and format (``variants``).
- ``markup``: a picture as ``<picture>`` HTML, for bodies, templates and feeds.
- ``checks``: each brief's lead picture, and the desk's checks on pictures.
- ``shares``: the picture a page shares on social media.
- ``files``: every file made on every core (``encode``) or found where an earlier build made
  it; the pictures stage of the pipeline keeps that folder and its record in the cache.

The package ranks after ``plugins`` and before ``config`` (tests/test_layering.py), so that
every stage can use it: it imports only from ``util``, ``model`` and ``plugins``. What it
needs of a later package it takes as plain values: the site's root, static folders and
address rule (``Config.url``) for ``Assets``; the base path and ``Config.permalink`` for
``share_of``; the few checks of the configuration's ``SettingsChecker`` it uses, named by a
Protocol (``settings.Checker``), for ``check_images``.

``Shown`` (a picture as pages show it, with a ``Srcset`` per format) is defined in
``model/pictures.py`` and exported here: a ``Brief`` carries its lead picture as a
``Shown``, and the model ranks below this package and imports nothing above it. Moving it
here would have left ``model/site.py`` naming a later package, even if only for type
hints; it is a plain frozen value, so the model keeps it and every module outside the
model takes it from here."""

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
