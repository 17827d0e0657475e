"""A damaged build cache: every record and pack file of ``.briefgen-cache/`` cut short at
seeded offsets, or with a byte flipped in its middle, and the site built again.

The build that meets the damage must equal a clean build byte for byte, exit 0 and say so in
one note, ``.briefgen-cache/<record>: note: the cache was damaged; rebuilt from scratch``;
the cache it leaves must be whole (the next build has nothing to do and says nothing). The
files of ``media/`` (encoded pictures, social cards) are checked against their own record
and made again without a word, as the theme's compiled templates (``templates/``) are
compiled again: no note for them. The stored parts of the site model are checked where a
rebuild reads them (``test_patch.py``). A cache signed with another key, or
written by other code, is not damaged: it is dropped, or missed, without a note.
"""

from __future__ import annotations

import hashlib
import hmac
import pickle
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from briefgen.config.overrides import Overrides
from briefgen.pipeline import cache as cache_module
from briefgen.pipeline.build import build
from briefgen.pipeline.cache import CACHE_DIR, LASTING, Cache, CacheDamaged, CacheMiss
from briefgen.pipeline.deferred import catch_up

from conftest import SITE_YAML, brief, topic, write_site
from trees import snapshot

NOW_EPOCH = "1748779200"  # 2025-06-01T12:00:00Z
NOTE = "note: the cache was damaged; rebuilt from scratch"
CHECKED = "note: the cache was damaged; checked without it"
SEED = 20250601
HEAD = 40  # a record's signature (32 bytes), then the name of its key (8)
TITLE, EDITED = "title: Test Briefings", "title: Test Briefings, edited"


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOW_EPOCH)


def site_files() -> dict[str, str | bytes]:
    """Six briefs over three described topics, each body its own."""
    topics = ["[cartels]", "[border, cartels]", "[drones]"]
    files: dict[str, str | bytes] = {
        f"content/briefs/b{i}.md": brief(
            f"Brief {i}", f"2025-02-0{i + 1}", topics=topics[i % 3], body=f"Body of brief {i}.\n"
        )
        for i in range(6)
    }
    for slug in ("cartels", "border", "drones"):
        files[f"content/topics/{slug}.md"] = topic(slug.capitalize())
    return files


@dataclass
class Built:
    """A site built twice (so that the cache holds full copies and changes since), kept as
    it was; and the clean build of the site with its title edited, which every build after
    the damage must give."""

    root: Path
    cache: Path  # the cache as the second build left it
    output: Path  # the output as the second build left it
    clean: dict[str, bytes | None]

    def restore(self) -> None:
        """The cache and the output as they were, and the title edited: a build after it
        reads every record and every body (every page is rendered again)."""
        for kept, live in (
            (self.cache, self.root / CACHE_DIR),
            (self.output, self.root / "public"),
        ):
            shutil.rmtree(live, ignore_errors=True)
            shutil.copytree(kept, live)  # times kept: the output is as the record says
        yaml = self.root / "site.yaml"
        yaml.write_text(yaml.read_text(encoding="utf-8").replace(TITLE + "\n", EDITED + "\n"))

    def files(self) -> list[str]:
        """Every file of the cache, by its path in the cache folder."""
        folder = self.cache
        return sorted(
            p.relative_to(folder).as_posix()
            for p in folder.rglob("*")
            if p.is_file() and p.name != ".gitignore" and not p.name.endswith("-parts.sqlite")
        )


def built_site(tmp_path: Path, cards: bool) -> Built:
    yaml = SITE_YAML + f"search:\n  enabled: false\nsocial_cards: {'true' if cards else 'false'}\n"
    root = write_site(tmp_path / "site", site_files(), yaml)
    build(root)
    first = root / "content/briefs/b2.md"  # the second build changes a title, not a body
    first.write_text(first.read_text(encoding="utf-8").replace("Brief 2", "Brief 2, retitled"))
    build(root)
    kept = tmp_path / "kept"
    shutil.copytree(root / CACHE_DIR, kept / "cache")
    shutil.copytree(root / "public", kept / "public")
    (root / "site.yaml").write_text(yaml.replace(TITLE + "\n", EDITED + "\n"), encoding="utf-8")
    build(root, cache=False, overrides=Overrides(str(tmp_path / "clean")))
    clean = snapshot(tmp_path / "clean")
    (root / "site.yaml").write_text(yaml, encoding="utf-8")
    return Built(root, kept / "cache", kept / "public", clean)


def cut(path: Path, offset: int) -> None:
    path.write_bytes(path.read_bytes()[:offset])


def flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x5A
    path.write_bytes(bytes(data))


Harm = tuple[str, Callable[[Path, int], None], int]  # (file in the cache, how, where)


def rebuild_after(site: Built, harm: Harm, cli: Callable[..., object]) -> None:
    """Damage one file of the cache as it was, build, and check the build and the next."""
    rel, how, offset = harm
    site.restore()
    how(site.root / CACHE_DIR / rel, offset)
    said = f"{how.__name__} {rel} at byte {offset}"
    run = cli("build", "--source", site.root, "--quiet")
    assert run.code == 0, f"{said}: exit {run.code}\n{run.err}"
    quiet = rel.startswith(("media/", "templates/"))  # made again without a word
    want = [] if quiet else [f"{CACHE_DIR}/{rel}: {NOTE}"]
    assert run.err.splitlines() == want, said
    assert snapshot(site.root / "public") == site.clean, f"{said}: not a clean build's site"
    again = cli("build", "--source", site.root, "--quiet")
    assert (again.code, again.err) == (0, ""), f"{said}: the cache left was not whole"


def harms(site: Built, rng: random.Random, cuts: int, only: str = "") -> list[Harm]:
    """For each file (whose path starts with ``only``): ``cuts`` seeded cuts, the first
    within a record's head (its signature, its key's name), then one byte flipped in the
    middle of what follows the head."""
    out: list[Harm] = []
    for rel in site.files():
        if not rel.startswith(only):
            continue
        size = (site.cache / rel).stat().st_size
        offsets = [rng.randrange(HEAD)] + [rng.randrange(size) for _ in range(cuts - 1)]
        out += [(rel, cut, offset) for offset in offsets[:cuts]]
        out.append((rel, flip, (HEAD + size) // 2))
    return out


def test_a_damaged_record_or_pack_is_one_note_and_a_clean_builds_site(tmp_path: Path, cli) -> None:
    """Each record and pack file cut at two seeded offsets and with a byte flipped."""
    site = built_site(tmp_path, cards=False)
    names = site.files()
    assert any(n.endswith(".delta.pickle") for n in names) and any(
        n.startswith("bodies/") for n in names
    ), names
    rebuild_after(site, (names[0], cut, 0), cli)  # an empty file
    for harm in harms(site, random.Random(SEED), cuts=2):
        rebuild_after(site, harm, cli)


def test_a_byte_flipped_in_a_records_key_name_reads_as_another_keys_record(
    tmp_path: Path, cli
) -> None:
    """The one damage taken for a record signed with another key (see ``cache.py``): the
    site is a clean build's all the same, without a note."""
    site = built_site(tmp_path, cards=False)
    site.restore()
    (state,) = [p for p in (site.root / CACHE_DIR).glob("output-*.pickle") if "pages" not in p.name]
    flip(state, HEAD - 3)
    run = cli("build", "--source", site.root, "--quiet")
    assert (run.code, run.err) == (0, "")
    assert snapshot(site.root / "public") == site.clean


def test_a_damaged_picture_file_is_made_again_without_a_note(tmp_path: Path, cli) -> None:
    site = built_site(tmp_path, cards=True)
    media = [n for n in site.files() if n.startswith("media/")]
    assert media, "no social card in the cache"
    rebuild_after(site, (media[0], cut, 100), cli)
    rebuild_after(site, (media[-1], flip, 200), cli)


def test_every_file_of_the_cache_cut_anywhere_rebuilds_the_same_site(tmp_path: Path, cli) -> None:
    """Twenty seeded cuts of each record and pack file and a flip; three of each picture
    file (social cards, which make every build after a damaged record draw them again)."""
    site = built_site(tmp_path / "records", cards=False)
    for harm in harms(site, random.Random(SEED + 1), cuts=20):
        rebuild_after(site, harm, cli)
    site = built_site(tmp_path / "pictures", cards=True)
    for harm in harms(site, random.Random(SEED + 2), cuts=3, only="media/"):
        rebuild_after(site, harm, cli)


# --- the cases that are not damage, and where else the cache is read ---------------------------


def test_records_tell_absent_other_code_another_key_and_damaged_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "site"
    with Cache(root) as store:
        store.save("record", {"a": 1})
        store.save("lasting", {"b": 2}, lasting=True)
    folder = root / CACHE_DIR
    build_cache = lambda: Cache(root, all_or_nothing=True)  # noqa: E731
    with build_cache() as store:
        assert store.load("record") == {"a": 1} and store.load("absent") is None
        store.fingerprint = "other code"
        assert store.load("record") is None  # a miss, not damage
        assert store.load("lasting", lasting=True) == {"b": 2}
    whole = (folder / "record").read_bytes()
    cut(folder / "record", len(whole) - 1)
    with build_cache() as store, pytest.raises(CacheDamaged) as raised:
        store.load("record")
    assert raised.value.record == "record"
    with Cache(root) as store:  # the catch-up after a build takes it as a miss
        assert store.load("record") is None
    (folder / "record").write_bytes(whole)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-home"))  # another key
    with build_cache() as store, pytest.raises(CacheMiss) as raised:
        store.load("record")
    assert not isinstance(raised.value, CacheDamaged)


def test_a_record_from_before_records_named_their_key_is_still_read(tmp_path: Path) -> None:
    """The encoded pictures' record outlives versions: one written as records were before
    they named their key (signature, then the pickle) is read."""
    with Cache(tmp_path) as store:
        body = pickle.dumps((LASTING, {"key": (1, 2, "digest")}))
        (tmp_path / CACHE_DIR).mkdir()
        assert store.key is not None
        signature = hmac.new(store.key, body, hashlib.sha256).digest()
        (tmp_path / CACHE_DIR / "pictures").write_bytes(signature + body)
    with Cache(tmp_path, all_or_nothing=True) as store:
        assert store.load("pictures", lasting=True) == {"key": (1, 2, "digest")}


@pytest.mark.parametrize("how", ["damaged", "deleted"])
def test_a_full_copy_is_never_used_without_its_changes(tmp_path: Path, cli, how: str) -> None:
    """The pages' record is a full copy and the changes since. Once, the copy alone was used
    when the changes were damaged or gone: a title edited, then put back, left the pages
    the edit had reached with the edited title."""
    root = write_site(tmp_path / "site", site_files(), SITE_YAML + "search:\n  enabled: false\n")
    build(root)
    path = root / "content/briefs/b3.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Brief 3", "Brief 3, retitled"), encoding="utf-8")
    build(root)
    (changes,) = (root / CACHE_DIR).glob("output-*-pages.delta.pickle")
    if how == "deleted":
        changes.unlink()
    else:
        flip(changes, changes.stat().st_size // 2)
    path.write_text(text, encoding="utf-8")
    run = cli("build", "--source", root, "--quiet")
    assert run.code == 0
    assert run.err.splitlines() == (
        [f"{CACHE_DIR}/{changes.name}: {NOTE}"] if how == "damaged" else []
    )
    build(root, cache=False, overrides=Overrides(str(tmp_path / "clean")))
    assert snapshot(root / "public") == snapshot(tmp_path / "clean")


@pytest.mark.parametrize("why", ["another-key", "other-code"])
def test_a_cache_not_this_users_or_codes_is_rebuilt_without_a_note(
    tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch, why: str
) -> None:
    """Not damage: a cache from another machine (or restored without its key, or a key made
    anew), and one from another version of briefgen, as after an upgrade."""
    site = built_site(tmp_path, cards=False)
    site.restore()
    if why == "another-key":
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-home"))
    else:
        monkeypatch.setattr(cache_module, "code_fingerprint", lambda: "another version")
    run = cli("build", "--source", site.root, "--quiet")
    assert (run.code, run.err) == (0, "")
    assert snapshot(site.root / "public") == site.clean
    again = cli("build", "--source", site.root, "--quiet")
    assert (again.code, again.err) == (0, "")


def test_check_with_a_damaged_cache_says_so_and_leaves_the_cache_alone(tmp_path: Path, cli) -> None:
    site = built_site(tmp_path, cards=False)
    site.restore()
    healthy = cli("check", "--source", site.root)
    parsed = site.root / CACHE_DIR / "parsed.pickle"
    cut(parsed, parsed.stat().st_size // 3)
    before = snapshot(site.root / CACHE_DIR)
    run = cli("check", "--source", site.root)
    assert run.code == healthy.code == 0, run.err
    lines = run.err.splitlines()
    assert f"{CACHE_DIR}/parsed.pickle: {CHECKED}" in lines
    rest = [line for line in lines if "note:" not in line]
    assert rest[:-1] == healthy.err.splitlines()[:-1]  # the same problems; one more note
    assert snapshot(site.root / CACHE_DIR) == before, "check wrote the cache"
    rebuild = cli("build", "--source", site.root, "--quiet")
    assert rebuild.err.splitlines() == [f"{CACHE_DIR}/parsed.pickle: {NOTE}"]
    assert snapshot(site.root / "public") == site.clean


def test_serve_catch_up_with_a_damaged_pages_record_leaves_the_index_to_the_next_build(
    tmp_path: Path, cli
) -> None:
    """``serve`` builds with the search index left for later, then catches up. With the
    record of what each page holds damaged, catching up cannot know the pages: it leaves the
    index as the build left it (once, it wrote an index of no page), and the next build
    notes the damage and gives a clean build's site."""
    root = write_site(tmp_path / "site", site_files(), SITE_YAML + "social_cards: false\n")
    build(root)
    path = root / "content/briefs/b4.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Body of", "The body of"))
    assert build(root, defer=True).deferred
    (pages,) = (root / CACHE_DIR).glob("output-*-pages.pickle")
    cut(pages, pages.stat().st_size // 2)
    left = snapshot(root / "public")
    assert catch_up(root) == ()
    assert snapshot(root / "public") == left
    run = cli("build", "--source", root, "--quiet")
    assert run.err.splitlines() == [f"{CACHE_DIR}/{pages.name}: {NOTE}"]
    build(root, cache=False, overrides=Overrides(str(tmp_path / "clean")))
    assert snapshot(root / "public") == snapshot(tmp_path / "clean")
