"""site.yaml: missing, empty, malformed or of the wrong shape; unknown keys; wrong types;
base_url forms; output folders that must be refused; unknown themes. Configuration problems
exit with status 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.config.load import load_config
from briefgen.config.overrides import Overrides
from briefgen.config.values import Config, MarkdownConfig
from briefgen.model.diagnostics import ConfigError

from conftest import brief, topic

CONTENT = {"content/briefs/2025-02-04-a.md": brief(), "content/topics/cartels.md": topic()}


def config_errors(make_site, site_yaml: str) -> list[str]:
    root = make_site(CONTENT, site_yaml=site_yaml)
    with pytest.raises(ConfigError) as info:
        load_config(root)
    assert info.value.exit_code == 2
    return [d.format() for d in info.value.diagnostics.sorted()]


def build_fails_with_usage_error(cli, root: Path, *extra: object) -> str:
    run = cli("build", "--source", root, *extra)
    assert run.code == 2, run.err
    assert "Traceback" not in run.err
    return run.err


# --- the file itself ---------------------------------------------------------------------------


def test_missing_site_yaml(make_site, cli) -> None:
    root = make_site(CONTENT, site_yaml=None)
    err = build_fails_with_usage_error(cli, root)
    assert err.splitlines()[:2] == [
        "site.yaml: error: no site.yaml here: is this a briefgen site?",
        "1 error, 0 warnings",
    ]
    assert not (root / "public").exists()


def test_missing_site_folder(tmp_path: Path, cli) -> None:
    err = build_fails_with_usage_error(cli, tmp_path / "nowhere")
    assert f"{(tmp_path / 'nowhere').resolve()}: error: site folder does not exist" in err


@pytest.mark.parametrize("text", ["", "\n\n", "# only comments\n"])
def test_empty_site_yaml_lacks_a_title(make_site, text: str) -> None:
    assert config_errors(make_site, text) == [
        "site.yaml:1:1: error: missing required setting 'title'"
    ]


def test_malformed_site_yaml(make_site, cli) -> None:
    root = make_site(CONTENT, site_yaml="title: T\nper_page: [5\n")
    err = build_fails_with_usage_error(cli, root)
    assert err.startswith("site.yaml:2:11: error: invalid YAML: while parsing a flow sequence")


def test_duplicate_setting(make_site) -> None:
    assert config_errors(make_site, "title: T\nper_page: 3\nper_page: 4\n") == [
        "site.yaml:3:1: error: duplicate key 'per_page' (first defined on line 2)"
    ]


@pytest.mark.parametrize("text", ["- title\n- T\n", "just a title\n", "42\n"])
def test_site_yaml_must_be_a_mapping(make_site, text: str) -> None:
    assert config_errors(make_site, text) == [
        "site.yaml:1:1: error: site.yaml must be a mapping of settings (key: value)"
    ]


def test_site_yaml_with_bom_is_read(make_site) -> None:
    root = make_site(CONTENT, site_yaml="\ufefftitle: With BOM\n")
    config, _ = load_config(root)
    assert config.title == "With BOM"


# --- unknown keys and types ----------------------------------------------------------------------


def test_unknown_setting_warns_with_suggestion(make_site, cli) -> None:
    root = make_site(CONTENT, site_yaml="title: T\nperpage: 3\nbase_url: https://x.org/\n")
    config, diags = load_config(root)
    assert [d.format() for d in diags.sorted()] == [
        "site.yaml:2:1: warning: unknown setting 'perpage'; did you mean 'per_page'?"
    ]
    assert config.per_page == 10
    run = cli("build", "--source", root)
    assert run.code == 0
    assert "site.yaml:2:1: warning: unknown setting 'perpage'; did you mean 'per_page'?" in run.err


def test_unknown_setting_fails_under_strict(make_site, cli) -> None:
    root = make_site(CONTENT, site_yaml="title: T\nperpage: 3\n")
    run = cli("build", "--source", root, "--strict")
    assert run.code == 1
    assert (
        "site.yaml:2:1: error: unknown setting 'perpage'; did you mean 'per_page'? (--strict)"
        in run.err
    )
    assert not (root / "public").exists()


def test_unknown_setting_without_a_near_match(make_site) -> None:
    root = make_site(CONTENT, site_yaml="title: T\nzzz: 1\nbase_url: https://x.org/\n")
    _, diags = load_config(root)
    assert [d.format() for d in diags.sorted()] == ["site.yaml:2:1: warning: unknown setting 'zzz'"]


def test_unknown_markdown_setting(make_site) -> None:
    root = make_site(
        CONTENT,
        site_yaml="title: T\nmarkdown:\n  toc: true\n  tocs: true\nbase_url: https://x.org/\n",
    )
    config, diags = load_config(root)
    assert [d.format() for d in diags.sorted()] == [
        "site.yaml:4:3: warning: unknown setting 'markdown.tocs'; did you mean 'toc'?"
    ]
    assert config.markdown == MarkdownConfig(toc=True)


@pytest.mark.parametrize(
    ("value", "shown"),
    [("0", "0"), ("-1", "-1"), ("x", "'x'"), ("'5'", "'5'"), ("2.5", "2.5"), ("true", "true")],
)
def test_per_page_must_be_a_positive_whole_number(make_site, value: str, shown: str) -> None:
    assert config_errors(make_site, f"title: T\nper_page: {value}\n") == [
        f"site.yaml:2:1: error: 'per_page' must be a whole number of at least 1, not {shown}"
    ]


@pytest.mark.parametrize(("value", "shown"), [('"yes"', "'yes'"), ("1", "1"), ("'true'", "'true'")])
def test_allow_html_must_be_boolean(make_site, value: str, shown: str) -> None:
    assert config_errors(make_site, f"title: T\nmarkdown:\n  allow_html: {value}\n") == [
        f"site.yaml:3:3: error: 'allow_html' must be true or false, not {shown}"
    ]


def test_toc_levels_must_be_positive(make_site) -> None:
    assert config_errors(make_site, "title: T\nmarkdown:\n  toc_levels: 0\n") == [
        "site.yaml:3:3: error: 'toc_levels' must be a whole number of at least 1, not 0"
    ]


@pytest.mark.parametrize("key", ["markdown", "params"])
def test_sections_must_be_mappings(make_site, key: str) -> None:
    assert config_errors(make_site, f"title: T\n{key}: [a]\n") == [
        f"site.yaml:2:1: error: '{key}' must be a mapping (key: value), not a list"
    ]


@pytest.mark.parametrize(
    ("value", "shown"), [("42", ", not 42"), ("''", ""), ("[a]", ", not a list"), ("'   '", "")]
)
def test_title_must_be_text(make_site, value: str, shown: str) -> None:
    assert config_errors(make_site, f"title: {value}\n") == [
        f"site.yaml:1:1: error: 'title' must be non-empty text{shown}"
    ]


def test_every_config_error_is_reported_at_once(make_site, cli) -> None:
    root = make_site(
        CONTENT,
        site_yaml="title: T\nbase_url: ftp://x\nper_page: 0\nmarkdown:\n  allow_html: 'yes'\n",
    )
    err = build_fails_with_usage_error(cli, root)
    assert err.splitlines() == [
        "site.yaml:2:1: error: base_url 'ftp://x' must be an http(s) URL or a path",
        "site.yaml:3:1: error: 'per_page' must be a whole number of at least 1, not 0",
        "site.yaml:5:3: error: 'allow_html' must be true or false, not 'yes'",
        "3 errors, 0 warnings",
        "build failed",
    ]


def test_full_config_is_read(make_site) -> None:
    root = make_site(
        CONTENT,
        site_yaml=(
            "title: Drones\ndescription: D\nbase_url: https://example.org/briefings/\nlanguage: es\n"
            "theme: default\noutput_dir: site-out\nper_page: 7\n"
            "markdown:\n  allow_html: true\n  typographer: false\n  toc: true\n  toc_levels: 2\n"
            "params:\n  contact: desk@example.org\n"
        ),
    )
    config, diags = load_config(root)
    assert diags.items == []
    assert (config.title, config.description, config.language, config.theme) == (
        "Drones",
        "D",
        "es",
        "default",
    )
    assert (config.output_dir, config.per_page) == ("site-out", 7)
    assert config.output_path == root.resolve() / "site-out"
    assert config.markdown == MarkdownConfig(
        allow_html=True, typographer=False, toc=True, toc_levels=2
    )
    assert dict(config.params) == {"contact": "desk@example.org"}
    assert config.where("per_page") == (7, 1)
    assert config.where("nothing") == (0, 0)


def test_defaults(make_site) -> None:
    root = make_site(CONTENT, site_yaml="title: T\n")
    config, _ = load_config(root)
    assert config == Config(root=root.resolve(), title="T")
    assert (config.base_url, config.output_dir, config.per_page, config.theme) == (
        "/",
        "public",
        10,
        "default",
    )
    assert config.drafts is False


def test_overrides_win_over_the_file(make_site) -> None:
    root = make_site(CONTENT, site_yaml="title: T\nbase_url: https://a.example/\n")
    config, _ = load_config(root, Overrides(base_url="https://b.example/x/", drafts=True))
    assert (config.base_url, config.base_path, config.drafts, config.output_dir) == (
        "https://b.example/x/",
        "/x/",
        True,
        "public",
    )


# --- base_url --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base_url", "base_path", "absolute_base"),
    [
        ("https://example.org/briefings/", "/briefings/", "https://example.org/briefings/"),
        ("https://example.org/briefings", "/briefings/", "https://example.org/briefings/"),
        ("http://example.org", "/", "http://example.org/"),
        ("/briefings/", "/briefings/", "/briefings/"),
        ("/", "/", "/"),
    ],
)
def test_base_url_forms(make_site, base_url: str, base_path: str, absolute_base: str) -> None:
    root = make_site(CONTENT, site_yaml=f"title: T\nbase_url: {base_url}\n")
    config, _ = load_config(root)
    assert (config.base_path, config.absolute_base) == (base_path, absolute_base)


@pytest.mark.parametrize(
    ("base_url", "message"),
    [
        ("ftp://x", "base_url 'ftp://x' must be an http(s) URL or a path"),
        ("javascript:alert(1)", "base_url 'javascript:alert(1)' must be an http(s) URL or a path"),
        ("https://", "base_url 'https://' must be an http(s) URL or a path"),
        ("x/", "base_url 'x/' must be an absolute URL or start with /"),
        (
            "example.org/briefings/",
            "base_url 'example.org/briefings/' must be an absolute URL or start with /",
        ),
        (
            "https://example.org/?a=1",
            "base_url 'https://example.org/?a=1' must not have a query or fragment",
        ),
        (
            "https://example.org/#top",
            "base_url 'https://example.org/#top' must not have a query or fragment",
        ),
    ],
)
def test_bad_base_url(make_site, cli, base_url: str, message: str) -> None:
    root = make_site(CONTENT, site_yaml=f"title: T\nbase_url: '{base_url}'\n")
    err = build_fails_with_usage_error(cli, root)
    assert err.splitlines()[0] == f"site.yaml:2:1: error: {message}"


def test_subpath_base_url_is_used_in_links(make_site, cli) -> None:
    root = make_site(CONTENT, site_yaml="title: T\nbase_url: https://example.org/briefings/\n")
    assert cli("build", "--source", root, "--quiet").code == 0
    html = (root / "public/index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.org/briefings/">' in html
    assert 'href="/briefings/static/css/style.css"' in html
    assert 'href="/briefings/briefs/a/"' in html


# --- output_dir ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (".", "is the site folder or contains it"),
        ("..", "is the site folder or contains it"),
        ("/", "is the site folder or contains it"),
        ("content", "is inside a source folder (content/, themes/, templates/ or static/)"),
        ("content/briefs", "is inside a source folder (content/, themes/, templates/ or static/)"),
        ("themes/x", "is inside a source folder (content/, themes/, templates/ or static/)"),
        ("templates", "is inside a source folder (content/, themes/, templates/ or static/)"),
        ("static", "is inside a source folder (content/, themes/, templates/ or static/)"),
        (
            "public/../content",
            "is inside a source folder (content/, themes/, templates/ or static/)",
        ),
    ],
)
def test_output_dir_that_would_destroy_the_site(make_site, cli, value: str, reason: str) -> None:
    root = make_site(CONTENT, site_yaml=f"title: T\noutput_dir: '{value}'\n")
    before = sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))
    err = build_fails_with_usage_error(cli, root)
    assert (
        err.splitlines()[0]
        == f"site.yaml:2:1: error: output_dir '{value}' {reason}; use e.g. 'public'"
    )
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == before


def test_output_dir_is_the_site_root_absolute(make_site, cli) -> None:
    root = make_site(CONTENT)
    (root / "site.yaml").write_text(f"title: T\noutput_dir: '{root.resolve()}'\n", encoding="utf-8")
    err = build_fails_with_usage_error(cli, root)
    assert (
        f"site.yaml:2:1: error: output_dir '{root.resolve()}' is the site folder or contains it"
        in err
    )


def test_output_dir_empty_text(make_site) -> None:
    assert config_errors(make_site, "title: T\noutput_dir: ''\n") == [
        "site.yaml:2:1: error: 'output_dir' must be non-empty text"
    ]


@pytest.mark.parametrize("value", ["..", "content", "/"])
def test_output_option_that_would_destroy_the_site(make_site, cli, value: str) -> None:
    root = make_site(CONTENT)
    target = (root / value).resolve() if value != "/" else Path("/")
    err = build_fails_with_usage_error(cli, root, "--output", target)
    assert err.startswith(f"site.yaml: error: output_dir '{target}' ")


def test_non_empty_unrelated_folder_outside_the_site_is_refused(
    make_site, cli, tmp_path: Path
) -> None:
    root = make_site(CONTENT)
    elsewhere = tmp_path / "documents"
    elsewhere.mkdir()
    (elsewhere / "thesis.txt").write_text("precious", encoding="utf-8")
    err = build_fails_with_usage_error(cli, root, "--output", elsewhere)
    assert err.splitlines()[0] == (
        f"site.yaml: error: output_dir '{elsewhere}' is outside the site folder, not empty and holds no "
        "index.html; use e.g. 'public'"
    )
    assert [p.name for p in elsewhere.iterdir()] == ["thesis.txt"]
    assert (elsewhere / "thesis.txt").read_text(encoding="utf-8") == "precious"


def test_empty_folder_outside_the_site_is_accepted(make_site, cli, tmp_path: Path) -> None:
    root = make_site(CONTENT)
    out = tmp_path / "www"
    out.mkdir()
    run = cli("build", "--source", root, "--output", out, "--quiet")
    assert run.code == 0, run.err
    assert (out / "index.html").is_file()
    assert (out / "briefs/a/index.html").is_file()
    assert not (root / "public").exists()


def test_previous_build_outside_the_site_is_replaced(make_site, cli, tmp_path: Path) -> None:
    root = make_site(CONTENT)
    out = tmp_path / "www"
    assert cli("build", "--source", root, "--output", out, "--quiet").code == 0
    (out / "index.html").write_text("old build", encoding="utf-8")
    assert cli("build", "--source", root, "--output", out, "--quiet", "--no-cache").code == 0
    assert "Test Briefings" in (out / "index.html").read_text(encoding="utf-8")


def test_existing_file_as_output_is_refused(make_site, cli, tmp_path: Path) -> None:
    root = make_site(CONTENT)
    notes = tmp_path / "notes.txt"
    notes.write_text("precious", encoding="utf-8")
    run = cli("build", "--source", root, "--output", notes)
    assert run.code == 2
    assert notes.read_text(encoding="utf-8") == "precious"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_bad_base_url_option_is_refused(make_site, cli) -> None:
    root = make_site(CONTENT)
    run = cli("build", "--source", root, "--base-url", "ftp://x")
    assert run.code == 2
    assert "base_url 'ftp://x' must be an http(s) URL or a path" in run.err
    assert not (root / "public").exists()


# --- theme -----------------------------------------------------------------------------------------


def test_unknown_theme_names_the_theme_line(make_site, cli) -> None:
    root = make_site(CONTENT, site_yaml="title: T\nlanguage: en\ntheme: nope\nper_page: 2\n")
    err = build_fails_with_usage_error(cli, root)
    assert err.splitlines()[0] == (
        "site.yaml:3:1: error: unknown theme 'nope' (no themes/nope/templates/); available: default"
    )
    assert not (root / "public").exists()


@pytest.mark.parametrize("name", ["../default", ".hidden", "a/b"])
def test_theme_name_cannot_be_a_path(make_site, cli, name: str) -> None:
    root = make_site(CONTENT, site_yaml=f"title: T\ntheme: '{name}'\n")
    err = build_fails_with_usage_error(cli, root)
    assert err.splitlines()[0].startswith(f"site.yaml:2:1: error: unknown theme '{name}'")


# --- base_url that is only a path -----------------------------------------------------------------

RELATIVE_WARNING = (
    "warning: base_url {shown} has no scheme and host: feeds, the sitemap and canonical links "
    "need an absolute URL such as 'https://news.example/briefings/'"
)


@pytest.mark.parametrize("command", ["build", "check"])
@pytest.mark.parametrize("base_url", ["/", "/briefings/"])
def test_a_path_as_base_url_warns_once(make_site, cli, command: str, base_url: str) -> None:
    root = make_site(CONTENT, site_yaml=f"title: T\nbase_url: {base_url}\n")
    run = cli(command, "--source", root)
    assert run.code == 0, run.err
    expected = "site.yaml:2:1: " + RELATIVE_WARNING.format(shown=f"'{base_url}'")
    assert run.err.splitlines().count(expected) == 1
    assert run.err.count("base_url") == 1
    assert cli(command, "--source", root, "--strict").code == 1


def test_no_base_url_at_all_warns_at_the_top_of_site_yaml(make_site, cli) -> None:
    root = make_site(CONTENT, site_yaml="title: T\n")
    run = cli("check", "--source", root)
    assert run.err.splitlines()[-2] == (
        "site.yaml:1:1: warning: no base_url is set: feeds, the sitemap and canonical links "
        "need an absolute URL such as 'https://news.example/briefings/'"
    )


def test_an_absolute_base_url_on_the_command_line_silences_the_warning(make_site, cli) -> None:
    root = make_site(CONTENT, site_yaml="title: T\nbase_url: /\n")
    run = cli("build", "--source", root, "--base-url", "https://news.example/")
    assert run.code == 0 and "base_url" not in run.err
    run = cli("build", "--source", root, "--base-url", "/preview/")
    assert run.err.splitlines()[0] == "--base-url: " + RELATIVE_WARNING.format(shown="'/preview/'")
