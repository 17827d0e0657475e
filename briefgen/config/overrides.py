"""What the command line changes in the configuration, as one typed value.

``briefgen build --output X --base-url Y --drafts`` and ``briefgen serve`` pass an
:class:`Overrides` down to :func:`briefgen.config.load.load_config`, which applies it once;
every later stage reads the resulting :class:`~briefgen.config.values.Config` and never sees
the command line. ``None`` leaves the value of ``site.yaml`` (or its default)."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from briefgen.config.values import Config
from briefgen.languages import with_overrides


@dataclass(frozen=True)
class Overrides:
    output_dir: str | None = None  # --output (a path relative to the site, or absolute)
    base_url: str | None = None  # --base-url
    drafts: bool | None = None  # --drafts: publish `draft: true` briefs
    future: bool | None = None  # --future: publish briefs dated after the build's clock
    expired: bool | None = None  # --expired: publish briefs whose `expires` has passed
    title: str | None = None  # the site's title (the dev server's tests set it)
    debug: bool | None = None  # --debug: an exception in a plugin shows its traceback

    def apply(self, config: Config) -> Config:
        changes = {f.name: getattr(self, f.name) for f in fields(self)}
        config = replace(config, **{k: v for k, v in changes.items() if v is not None})
        if config.languages and (self.base_url is not None or self.title is not None):
            # one address for every language (the dev server's), one title for the default
            languages = with_overrides(config.languages, self.base_url is not None, self.title)
            config = replace(config, languages=languages)
        return config


NONE = Overrides()
