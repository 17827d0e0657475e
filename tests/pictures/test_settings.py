"""The ``images:`` settings: defaults, values a site sets, and every unusable value reported
at its line in site.yaml (the configuration calls these checks of the pictures package)."""

from __future__ import annotations

import pytest

from briefgen.config.load import load_config
from briefgen.model.diagnostics import ConfigError
from briefgen.pictures import ImagesConfig

from conftest import SITE_YAML, brief, topic

# the line of a setting under ``images:`` added after the tests' site.yaml
LINE = SITE_YAML.count("\n") + 2
CONTENT = {"content/briefs/2025-02-04-a.md": brief(), "content/topics/cartels.md": topic()}


def test_a_site_without_images_settings_gets_the_defaults(make_site) -> None:
    config, _ = load_config(make_site(CONTENT))
    assert config.images == ImagesConfig()
    assert config.markdown.image_sizes == ImagesConfig().sizes


def test_the_settings_a_site_gives_are_kept(make_site) -> None:
    yaml = SITE_YAML + "images:\n  widths: [800, 320, 800]\n  formats: [webp]\n"
    yaml += "  quality: 70\n  sizes: 100vw\n"
    config, diags = load_config(make_site(CONTENT, site_yaml=yaml))
    assert config.images == ImagesConfig((320, 800), ("webp",), 70, "100vw")
    assert config.markdown.image_sizes == "100vw"  # bodies are rendered with it
    assert not diags.items


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            "widths: [0, 800]",
            "error: 'widths' must be a list of widths in pixels (1 to 10000), "
            "e.g. [480, 800, 1200, 1600], not a list",
        ),
        (
            "formats: [gif]",
            "error: 'formats' must list modern formats among avif, webp (or be []), not a list",
        ),
        ("quality: 101", "error: 'quality' must be between 1 and 100, not 101"),
        ("quality: 0", "error: 'quality' must be a whole number of at least 1, not 0"),
        ("sizes: ''", "error: 'sizes' must be non-empty text"),
    ],
)
def test_an_unusable_value_is_an_error_at_its_line(make_site, setting: str, message: str) -> None:
    root = make_site(CONTENT, site_yaml=SITE_YAML + f"images:\n  {setting}\n")
    with pytest.raises(ConfigError) as info:
        load_config(root)
    assert [d.format() for d in info.value.diagnostics.sorted()] == [
        f"site.yaml:{LINE}:3: {message}"
    ]


def test_an_unknown_images_setting_is_a_warning(make_site) -> None:
    root = make_site(CONTENT, site_yaml=SITE_YAML + "images:\n  width: [800]\n")
    _, diags = load_config(root)
    assert [d.format() for d in diags.sorted()] == [
        f"site.yaml:{LINE}:3: warning: unknown setting 'images.width'; did you mean 'widths'?"
    ]
