"""The theme's templates, compiled, kept in the cache between builds.

Jinja compiles every template a build uses from its source, in every build and in every
worker: 0.4 s of a one-edit rebuild with the default theme, whatever the size of the site.
Jinja's own bytecode caches would keep the compiled code in files anyone could have put
there (a cache folder committed with a site), and loading compiled code runs it; so the code
is kept as the cache keeps every record, signed with this user's key and stamped with the
code that wrote it (:class:`~briefgen.pipeline.cache.Cache`). Jinja checks each template's
source against the checksum it stores beside the code, so an edited template is compiled
again. Jinja also folds constant expressions when it compiles (``{{ 'style.css' | url }}``
becomes the address itself), so the code depends on the edition's filters as well: each
edition's templates are kept under a digest of its configuration, theme and words (the
``scope`` of its pages' keys). A configuration used once leaves its compiled templates
behind (a few hundred kilobytes); ``Cache.clear`` takes them with every other record.
A damaged record is compiled again without a note: only a build that renders a page reads
it, so whether a note came would depend on the edit.
"""

from __future__ import annotations

import jinja2
from jinja2.bccache import Bucket

from briefgen.pipeline.cache import Cache, CacheMiss


class TemplateCache(jinja2.BytecodeCache):
    def __init__(self, store: Cache, scope: str) -> None:
        self.store = store
        self.scope = scope[:20]

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            data = self.store.load(self._name(bucket))
        except CacheMiss:  # damaged, or another key's: compiled again and written over,
            return  # without a note, as the picture files are (a build may not read it)
        if isinstance(data, bytes):
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.store.save(self._name(bucket), bucket.bytecode_to_string())

    def _name(self, bucket: Bucket) -> str:
        return f"templates/{self.scope}/{bucket.key}.pickle"
