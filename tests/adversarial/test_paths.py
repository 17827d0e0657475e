"""Names that try to leave the output folder, collide, or point outside the site.

Every build here is watched from outside: the whole of tmp_path is read before and after,
and apart from public/ and its documented lock file (``.public.lock`` beside it) nothing may
appear, change or go.

Cases:
- explicit ``slug:`` values with ``../``, ``/``, ``\\``, ``%2F``, Windows device names
  (CON, nul, com1, LPT9), 300 characters, upper case, accents, ligatures: always a
  ``[a-z0-9-]+`` folder of at most MAX_SLUG (200) characters under public/briefs/
- the same names as topics (under public/topics/) and as file names
- names with no letters or digits at all (``..``, ``/``, ``日本語``), or with a NUL: an error
  at their line
- two briefs whose slugs collide after normalisation (``Querétaro.md`` / ``queretaro.md``,
  ``slug: A B`` / ``slug: a-b``, a file name against a ``slug:``), two topic files with one
  slug: an error naming both files
- a symbolic link in content/briefs to a file outside the site: skipped with a warning
  naming it, its text nowhere in public/; a symbolic link to a folder: not followed, with a
  warning; content/briefs itself a link to a folder outside the site: not read, with a
  warning
- images that climb out of content/ (``../../``) or are symbolic links leading out, and
  symbolic links in static/: never copied; an image ``/static/../../x.png`` naming a file
  that exists outside static/: not found
- ``.md`` links that climb out of content/ (``../../../../etc/passwd.md``, encoded): an
  error at their line; nothing is read
- ``output_dir`` set to ``.``, ``./``, ``content``, ``/``, ``..``, the absolute site root,
  ``themes``, ``templates``, ``static``, ``static/x``, ``content/briefs/out``, ``public/..``,
  an existing file, a non-empty folder outside the site, and the same through ``--output``:
  exit 2 at the ``output_dir`` line, and every file of the site still there, unchanged
- ``output_dir`` with a NUL byte: exit 2, not a traceback
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from briefgen.model.urls import MAX_SLUG

from ._support import FAST_SITE, LOCK, build, diagnostic, snapshot, written_outside
from conftest import brief, read_tree, topic

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SECRET = "secret-marker-3b9e"


def _build_watched(cli, tmp_path: Path, root: Path, *extra: object, expect: int):
    """Build, and check that nothing outside public/ changed but the lock file."""
    before = snapshot(tmp_path, root / "public")
    run = build(cli, root, *extra, expect=expect)
    after = snapshot(tmp_path, root / "public")
    assert written_outside(before, after, allowed={f"site/{LOCK}"}) == []
    return run


def _published(root: Path, kind: str) -> list[str]:
    folder = root / "public" / kind
    names = sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    assert all(SLUG.match(n) and len(n) <= MAX_SLUG for n in names), names
    return names


NAMES = [
    ("../../evil", "evil"),
    ("a/b", "a-b"),
    ("a\\\\b", "a-b"),
    ("..\\\\..\\\\evil", "evil"),
    ("%2F..%2Fevil", "2f-2fevil"),
    ("%2e%2e%2f", "2e-2e-2f"),
    ("/etc/passwd", "etc-passwd"),
    ("CON", "con-page"),
    ("nul", "nul-page"),
    ("com1", "com1-page"),
    ("LPT9", "lpt9-page"),
    ("x" * 300, "x" * MAX_SLUG),
    ("word " * 60, "-".join(["word"] * 40)),
    ("UPPER Case", "upper-case"),
    ("Querétaro", "queretaro"),
    ("Jalisco Nueva Generación", "jalisco-nueva-generacion"),
    ("Ærø Straße", "aero-strasse"),
    ("ﬁnal Ⅻ ①", "final-xii-1"),
    ("<script>alert(1)</script>", "script-alert-1-script"),
]


@pytest.mark.parametrize(("given", "expected"), NAMES, ids=[n[1][:20] for n in NAMES])
def test_explicit_slugs_are_normalised_inside_public(site, cli, tmp_path, given, expected) -> None:
    root = site({"content/briefs/x.md": brief(extra=f'slug: "{given}"\n')})
    _build_watched(cli, tmp_path, root, expect=0)
    assert _published(root, "briefs") == [expected]
    assert (root / f"public/briefs/{expected}/index.html").is_file()


@pytest.mark.parametrize(("given", "expected"), NAMES, ids=[n[1][:20] for n in NAMES])
def test_topic_names_are_normalised_inside_public(site, cli, tmp_path, given, expected) -> None:
    root = site({"content/briefs/x.md": brief(topics=f'["{given}"]')})
    run = _build_watched(cli, tmp_path, root, expect=0)
    assert _published(root, "topics") == sorted(["cartels", expected])
    assert (root / f"public/topics/{expected}/feed.xml").is_file()
    diagnostic(run, "content/briefs/x.md", 5, f"topic '{expected}' has no file", severity="warning")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("2025-02-04-Querétaro Raids.md", "queretaro-raids"),
        ("CON.md", "con-page"),
        ("A%2F..%2Fb.md", "a-2f-2fb"),
        ("x" * 240 + ".md", "x" * MAX_SLUG),
    ],
)
def test_file_names_are_normalised_inside_public(site, cli, tmp_path, name, expected) -> None:
    root = site({f"content/briefs/{name}": brief()})
    _build_watched(cli, tmp_path, root, expect=0)
    assert _published(root, "briefs") == [expected]


@pytest.mark.parametrize("given", ["..", "/", "日本語", "\\\\", "%"])
def test_a_slug_without_letters_or_digits_is_an_error(site, cli, tmp_path, given) -> None:
    root = site({"content/briefs/x.md": brief(extra=f'slug: "{given}"\n')})
    run = _build_watched(cli, tmp_path, root, expect=1)
    diagnostic(run, "content/briefs/x.md", 6, "has no letters or digits")
    assert not (root / "public").exists()


def test_a_nul_in_a_slug_or_topic_is_an_error(site, cli, tmp_path) -> None:
    root = site({"content/briefs/x.md": brief(topics='["a\\0b"]', extra='slug: "a\\0b"\n')})
    run = _build_watched(cli, tmp_path, root, expect=1)
    assert run.err.splitlines()[:3] == [
        "content/briefs/x.md:5:10: error: 'topics.0' contains the control character U+0000",
        "content/briefs/x.md:6:1: error: 'slug' contains the control character U+0000",
        "2 errors, 0 warnings",
    ]


@pytest.mark.parametrize("given", ["..", "日本語"])
def test_a_topic_without_letters_or_digits_is_an_error(site, cli, tmp_path, given) -> None:
    root = site({"content/briefs/x.md": brief(topics=f'["{given}"]')})
    run = _build_watched(cli, tmp_path, root, expect=1)
    diagnostic(run, "content/briefs/x.md", 5, "no letters or digits")


def test_a_file_name_without_letters_is_an_error(site, cli, tmp_path) -> None:
    root = site({"content/briefs/日本語.md": brief()})
    run = _build_watched(cli, tmp_path, root, expect=1)
    diagnostic(run, "content/briefs/日本語.md", None, "cannot make a slug from the file name")


# ---- collisions ----------------------------------------------------------------------------

COLLISIONS = [
    (
        {"content/briefs/Querétaro.md": brief(), "content/briefs/queretaro.md": brief()},
        "content/briefs/queretaro.md",
        1,
        "content/briefs/Querétaro.md",
    ),
    (
        {
            "content/briefs/one.md": brief(extra="slug: A B\n"),
            "content/briefs/two.md": brief(extra="slug: a-b\n"),
        },
        "content/briefs/two.md",
        6,
        "content/briefs/one.md",
    ),
    (
        {
            "content/briefs/2025/raids.md": brief(),
            "content/briefs/other.md": brief(extra="slug: '../RAIDS'\n"),
        },
        "content/briefs/other.md",
        6,
        "content/briefs/2025/raids.md",
    ),
    (
        {
            "content/briefs/a.md": brief(extra="slug: con\n"),
            "content/briefs/b.md": brief(extra="slug: CON-page\n"),
        },
        "content/briefs/b.md",
        6,
        "content/briefs/a.md",
    ),
]


@pytest.mark.parametrize(
    ("files", "path", "line", "other"),
    COLLISIONS,
    ids=["accents", "spaces", "file-vs-slug", "device"],
)
def test_colliding_slugs_name_both_files(site, cli, tmp_path, files, path, line, other) -> None:
    run = _build_watched(cli, tmp_path, site(files), expect=1)
    message = diagnostic(run, path, line, "is already used by", other)
    assert "set a different 'slug:'" in message
    assert run.err.count(": error: ") == 1


def test_two_topic_files_with_one_slug_name_both(site, cli, tmp_path) -> None:
    root = site({"content/topics/Cartels.md": topic(), "content/briefs/x.md": brief()})
    run = _build_watched(cli, tmp_path, root, expect=1)
    diagnostic(
        run, "content/topics/cartels.md", 1, "already described by content/topics/Cartels.md"
    )


# ---- symbolic links ------------------------------------------------------------------------


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the site holding a brief, a folder of briefs and an image, all secret."""
    folder = tmp_path / "outside"
    (folder / "briefs").mkdir(parents=True)
    (folder / "secret.md").write_text(brief(title=SECRET, body=f"{SECRET}\n"), encoding="utf-8")
    (folder / "briefs/leaked.md").write_text(
        brief(title=SECRET, body=f"{SECRET}\n"), encoding="utf-8"
    )
    (folder / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n" + SECRET.encode())
    return folder


def _nowhere_in(public: Path) -> None:
    for path, data in read_tree(public).items():
        assert SECRET.encode() not in data, path


def test_a_linked_file_outside_the_site_is_skipped_with_a_warning(
    site, cli, tmp_path, outside
) -> None:
    root = site({"content/briefs/x.md": brief()})
    (root / "content/briefs/leak.md").symlink_to(outside / "secret.md")
    run = _build_watched(cli, tmp_path, root, expect=0)
    assert run.err.splitlines()[0] == (
        "content/briefs/leak.md: warning: symbolic link leads outside the site; skipped"
    )
    assert _published(root, "briefs") == ["x"]
    _nowhere_in(root / "public")
    build(cli, root, "--strict", expect=1)  # and --strict makes it an error


def test_a_linked_folder_is_not_followed(site, cli, tmp_path, outside) -> None:
    root = site({"content/briefs/x.md": brief()})
    (root / "content/briefs/linked").symlink_to(outside / "briefs", target_is_directory=True)
    run = _build_watched(cli, tmp_path, root, expect=0)
    assert run.err.splitlines()[0] == (
        "content/briefs/linked: warning: symbolic link to a folder not followed"
    )
    assert _published(root, "briefs") == ["x"]
    _nowhere_in(root / "public")


def test_content_briefs_linked_outside_the_site_is_not_followed(
    site, cli, tmp_path, outside
) -> None:
    root = site()
    (root / "content/briefs").symlink_to(outside / "briefs", target_is_directory=True)
    run = _build_watched(cli, tmp_path, root, expect=0)
    assert run.err.splitlines()[0] == (
        "content/briefs: warning: symbolic link leads outside the site; not read"
    )
    assert _published(root, "briefs") == []
    _nowhere_in(root / "public")


@pytest.mark.parametrize(
    ("src", "make"),
    [
        ("../../../outside/secret.png", None),
        ("img/leak.png", "file"),
        ("linked/secret.png", "folder"),
    ],
    ids=["climbs-out", "linked-file", "linked-folder"],
)
def test_images_from_outside_content_are_not_copied(
    site, cli, tmp_path, outside, src, make
) -> None:
    root = site({"content/briefs/x.md": brief(body=f"![map]({src})\n"), "static/logo.png": "png"})
    if make == "file":
        (root / "content/briefs/img").mkdir()
        (root / "content/briefs/img/leak.png").symlink_to(outside / "secret.png")
    elif make == "folder":
        (root / "content/briefs/linked").symlink_to(outside, target_is_directory=True)
    run = _build_watched(cli, tmp_path, root, expect=1)
    diagnostic(run, "content/briefs/x.md", 8, f"image '{src}' not found")


def test_a_static_image_that_climbs_out_of_static_is_refused(site, cli, tmp_path, outside) -> None:
    src = "/static/../../outside/secret.png"
    root = site({"content/briefs/x.md": brief(body=f"![map]({src})\n"), "static/logo.png": "png"})
    run = _build_watched(cli, tmp_path, root, expect=1)
    diagnostic(run, "content/briefs/x.md", 8, f"image '{src}' not found")


def test_linked_static_files_and_folders_are_not_published(site, cli, tmp_path, outside) -> None:
    root = site({"content/briefs/x.md": brief(), "static/ok.txt": "fine"})
    (root / "static/leak.txt").symlink_to(outside / "secret.md")
    (root / "static/leakdir").symlink_to(outside, target_is_directory=True)
    _build_watched(cli, tmp_path, root, expect=0)
    assert (root / "public/static/ok.txt").read_text() == "fine"
    assert not (root / "public/static/leak.txt").exists()
    assert not (root / "public/static/leakdir").exists()
    _nowhere_in(root / "public")


@pytest.mark.parametrize(
    "href",
    ["../../../../etc/passwd.md", "/etc/passwd.md", "..%2f..%2f..%2fsite.yaml.md", "../../site.md"],
)
def test_md_links_that_climb_out_are_errors_and_read_nothing(
    site, cli, tmp_path, outside, href
) -> None:
    root = site({"content/briefs/x.md": brief(body=f"See [this]({href}).\n")})
    run = _build_watched(cli, tmp_path, root, expect=1 if not href.startswith("/") else 0)
    if href.startswith("/"):  # a site-absolute URL, left as it is (not a file to resolve)
        assert f'<a href="{href}">' in (root / "public/briefs/x/index.html").read_text()
        return
    diagnostic(run, "content/briefs/x.md", 8, f"link to '{href}'", "no such brief or topic")


# ---- the output folder ---------------------------------------------------------------------

SITE_FILES = {
    "content/briefs/x.md": brief(),
    "content/briefs/out/keep.md": brief(title="Kept"),
    "themes/mine/templates/keep.html": "kept",
    "templates/keep.txt": "kept",
    "static/x/keep.txt": "kept",
    "static/keep.txt": "kept",
}

UNSAFE_OUTPUTS = [
    (".", "is the site folder or contains it"),
    ("./", "is the site folder or contains it"),
    ("..", "is the site folder or contains it"),
    ("/", "is the site folder or contains it"),
    ("{root}", "is the site folder or contains it"),
    ("public/..", "is the site folder or contains it"),
    ("content", "inside a source folder"),
    ("content/briefs/out", "inside a source folder"),
    ("themes", "inside a source folder"),
    ("templates", "inside a source folder"),
    ("static", "inside a source folder"),
    ("static/x", "inside a source folder"),
    ("public/../content", "inside a source folder"),
    ("site.yaml", "is an existing file"),
    ("{elsewhere}", "not empty and holds no index.html"),
]


@pytest.mark.parametrize(("output", "words"), UNSAFE_OUTPUTS, ids=[u[0] for u in UNSAFE_OUTPUTS])
def test_unsafe_output_dir_is_refused_and_nothing_is_touched(
    site, cli, tmp_path, output, words
) -> None:
    elsewhere = tmp_path / "documents"
    elsewhere.mkdir()
    (elsewhere / "thesis.txt").write_text("years of work")
    root = site(SITE_FILES)
    value = output.format(root=root, elsewhere=elsewhere)
    (root / "site.yaml").write_text(FAST_SITE + f"output_dir: {json.dumps(value)}\n")
    before = snapshot(tmp_path)
    run = build(cli, root, expect=2)
    assert snapshot(tmp_path) == before
    line = FAST_SITE.count("\n") + 1
    diagnostic(run, "site.yaml", line, f"output_dir {value!r}", words)


@pytest.mark.parametrize(
    ("output", "words"),
    [
        (".", "is the site folder"),
        ("content", "inside a source folder"),
        ("..", "is the site folder"),
        ("static/x", "inside a source folder"),
    ],
)
def test_unsafe_output_option_is_refused_and_nothing_is_touched(
    site, cli, tmp_path, monkeypatch, output, words
) -> None:
    root = site(SITE_FILES)
    monkeypatch.chdir(root)  # --output is relative to the current folder
    before = snapshot(tmp_path)
    run = build(cli, root, "--output", output, expect=2)
    assert snapshot(tmp_path) == before
    assert "output_dir" in run.err and words in run.err


def test_output_dir_with_a_nul_byte_is_a_config_error(site, cli, tmp_path) -> None:
    root = site(SITE_FILES)
    (root / "site.yaml").write_text(FAST_SITE + 'output_dir: "public\\0x"\n')
    before = snapshot(tmp_path)
    run = build(cli, root, expect=2)
    assert run.err.splitlines()[0] == (
        f"site.yaml:{FAST_SITE.count(chr(10)) + 1}:1: error: output_dir contains a NUL byte"
    )
    assert snapshot(tmp_path) == before


def test_a_safe_output_outside_the_site_is_used_and_the_site_untouched(site, cli, tmp_path) -> None:
    """Documented: an absent or empty folder outside the site is fine."""
    root = site(SITE_FILES)
    target = tmp_path / "www" / "briefings"
    (root / "site.yaml").write_text(FAST_SITE + f"output_dir: {json.dumps(str(target))}\n")
    before = snapshot(root)
    build(cli, root, expect=0)
    after = {k: v for k, v in snapshot(root).items() if not k.startswith(".briefgen-cache")}
    assert after == before
    assert (target / "index.html").is_file()
    assert sorted(os.listdir(target.parent)) == ["briefings"]  # no lock left beside it
