"""Theme lookup and the Jinja environment: autoescaped, strict about undefined names."""

from __future__ import annotations

import traceback
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefgen.config.schema import CONFIG_FILE
from briefgen.config.values import Config
from briefgen.model.dates import Timestamp
from briefgen.model.diagnostics import ConfigError, Diagnostics
from briefgen.model.urls import entity_path, slugify

if TYPE_CHECKING:
    import jinja2
    from jinja2.nodes import EvalContext

    from briefgen.languages import Catalog, Strings
    from briefgen.pictures import Shown
    from briefgen.render.trace import TracingEnvironment

# A source checkout keeps themes at the top level; an installed wheel carries them in the package.
_PACKAGE = Path(__file__).resolve().parent.parent  # briefgen/
_BUNDLED = (_PACKAGE / "themes", _PACKAGE.parent / "themes")


@dataclass(frozen=True)
class Theme:
    name: str
    folder: Path
    template_dirs: tuple[Path, ...]  # site overrides first, then the theme
    static_dirs: tuple[Path, ...]  # theme first, then the site (later ones win)


def bundled_theme(name: str = "default") -> Path:
    """The folder of a theme shipped with briefgen."""
    return next(
        (b / name for b in _BUNDLED if (b / name / "templates").is_dir()), _BUNDLED[0] / name
    )


def find_theme(config: Config) -> Theme:
    """The site's ``themes/<name>/`` if present, else the theme shipped with briefgen."""
    name = config.theme
    candidates = [config.root / "themes" / name] + [b / name for b in _BUNDLED]
    folder = next((c for c in candidates if (c / "templates").is_dir()), None)
    if folder is None or "/" in name or "\\" in name or name.startswith("."):
        known = sorted(
            {
                p.parent.name
                for b in [config.root / "themes", *_BUNDLED]
                for p in b.glob("*/templates")
            }
        )
        diags = Diagnostics()
        diags.error(
            CONFIG_FILE,
            *config.where("theme"),
            f"unknown theme {name!r} (no themes/{name}/templates/); available: {', '.join(known) or 'none'}",
        )
        raise ConfigError(diags)
    site_templates = config.root / "templates"
    # a theme that lacks a template (one for a page kind added after it was written) falls
    # back to the default theme's, which extends the theme's own base.html
    fallback = next(
        (b / "default" / "templates" for b in _BUNDLED if (b / "default" / "templates").is_dir()),
        None,
    )
    # plugins' templates come last: the site and the theme may override any of them
    own = config.plugins.template_dirs() if config.plugins is not None else ()
    candidates = (site_templates, folder / "templates", fallback, *own)
    template_dirs = tuple(dict.fromkeys(d for d in candidates if d is not None and d.is_dir()))
    static_dirs = tuple(d for d in (folder / "static", config.root / "static") if d.is_dir())
    return Theme(name, folder, template_dirs, static_dirs)


def check_templates(theme: Theme, root: Path, diags: Diagnostics) -> bool:
    """Every template file must be UTF-8 text; Jinja would otherwise fail deep inside a render."""
    ok = True
    for folder in theme.template_dirs:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            data = path.read_bytes()
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as exc:
                line = data.count(b"\n", 0, exc.start) + 1
                diags.error(
                    _rel(root, str(path)),
                    line,
                    1,
                    f"template is not valid UTF-8 (byte offset {exc.start})",
                )
                ok = False
    return ok


def catalog(theme: Theme, config: Config) -> Catalog:
    """Every table of strings: the theme's ``i18n/``, then the default theme's (whose
    templates a theme may borrow), under the site's own ``i18n/``. Raises ConfigError."""
    from briefgen.languages import Catalog  # Babel, like Jinja, only when pages are made

    default = next(
        (b / "default" / "i18n" for b in _BUNDLED if (b / "default" / "i18n").is_dir()), None
    )
    folders = [f for f in dict.fromkeys((theme.folder / "i18n", default)) if f and f.is_dir()]
    return Catalog(folders, config.root / "i18n", config.root)


def load_strings(
    theme: Theme, config: Config, language: str | None = None, fallback: str | None = None
) -> Strings:
    """The words of ``language`` (the edition's, ``config.language``), falling back to
    ``fallback`` (the site's default language) and then English."""
    fallback = fallback or getattr(config, "default_language", None) or config.language
    return catalog(theme, config).strings(language or config.language, fallback)


def make_environment(
    theme: Theme,
    config: Config,
    strings: Strings | None = None,
    compiled: jinja2.BytecodeCache | None = None,
) -> TracingEnvironment:
    """The theme's Jinja environment for one edition; ``compiled`` keeps the templates'
    compiled code between builds (the pipeline's, in the cache)."""
    import jinja2  # here, not at the top: a build with nothing to do never needs Jinja
    from markupsafe import Markup

    from briefgen.pictures import picture_html, share_of
    from briefgen.render.trace import TracingEnvironment

    env = TracingEnvironment(
        loader=jinja2.FileSystemLoader([str(d) for d in theme.template_dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=compiled,
    )
    env.filters["url"] = lambda path: config.url(str(path))
    env.filters["absolute_url"] = lambda path: config.permalink(str(path))
    _add_words(env, strings or load_strings(theme, config))
    env.filters["iso_date"] = lambda ts: ts.isoformat() if isinstance(ts, Timestamp) else str(ts)
    env.globals["config"] = config
    env.filters["entity_url"] = lambda name, kind: config.url(entity_path(kind, slugify(str(name))))
    # the brief's lead picture; the cards feature gives pages without one their card
    env.globals["share_of"] = lambda brief=None: share_of(brief, config.base_path, config.permalink)

    def picture(shown: Shown, alt: str, sizes: str = "", **how: Any) -> Markup:  # Any: its options
        return Markup(picture_html(shown, alt, sizes or config.images.sizes, **how))

    env.filters["picture"] = picture
    if config.plugins is not None:  # what plugins add; their names win over the theme's
        for answer in config.plugins.call("briefgen_template_globals", config=config):
            env.globals.update(answer.value)
        for answer in config.plugins.call("briefgen_template_filters", config=config):
            env.filters.update(answer.value)
    return env


def _add_words(env: TracingEnvironment, words: Strings) -> None:
    """The theme's words in the edition's language: ``t()``, dates, months, numbers."""
    import jinja2

    @jinja2.pass_eval_context
    def t(
        eval_ctx: EvalContext,
        key: str,
        count: Any = None,  # Any: what a template passes
        **values: Any,  # Any: what a template passes
    ) -> str:
        """``{{ t('brief.sources') }}``: escaped as the template's own text in HTML."""
        if eval_ctx.autoescape:
            return words.html(key, count, **values)
        return words.text(key, count, **values)

    env.globals["t"] = t
    env.globals["t_script"] = words.script_attributes
    env.filters["human_date"] = words.date
    env.filters["month_title"] = words.month
    env.filters["number"] = words.number
    env.filters["language_name"] = words.language_name


def template_problem(exc: BaseException, root: Path, diags: Diagnostics) -> bool:
    """Report an exception raised while rendering a template at the template's file and line.

    Returns False when no template frame is involved: that is a bug in briefgen, not in a theme.
    """
    import jinja2

    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        diags.error(_rel(root, exc.filename), exc.lineno or 0, 1, f"template syntax: {exc.message}")
        return True
    frames = [
        f
        for f in traceback.extract_tb(exc.__traceback__)
        if f.filename.endswith((".html", ".xml", ".txt", ".json"))
    ]
    if not frames:
        if isinstance(exc, jinja2.TemplateNotFound):
            diags.error("", 0, 0, f"template not found: {exc.name}")
            return True
        return False
    frame = frames[-1]
    if isinstance(exc, RecursionError):  # the cycle's deepest frame may be any template it
        # passes through (a base template, say): name the one that repeats first
        counts = Counter((f.filename, f.lineno) for f in frames)
        frame = next(f for f in frames if counts[(f.filename, f.lineno)] > 1)
    message = exc.message if isinstance(exc, jinja2.TemplateError) and exc.message else str(exc)
    if isinstance(exc, jinja2.UndefinedError):
        message = f"undefined: {message}"
    elif not isinstance(exc, jinja2.TemplateError):
        message = f"{type(exc).__name__}: {message}"
    diags.error(_rel(root, frame.filename), frame.lineno or 0, 1, f"template error: {message}")
    return True


def _rel(root: Path, filename: str) -> str:
    path = Path(filename)
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
