"""The build cache kept between CI runs, as the publishing recipes in docs/examples/ keep it.

The GitHub workflow's build step runs on a fresh clone of a small site with pictures; the
paths of the workflow's cache step are saved as CI saves them and restored into the next
fresh clone, at the same place, as the next run restores them. That run must encode no
picture and draw no card, and publish the same bytes; so must one restored with its times
cut to the second, as GitLab's cache restores them. A cache without its signing key is not
trusted. GitLab's job and Netlify's plugin keep the folders the build fills. A cache
restored from another version of briefgen, another Pillow or another configuration must
give a cold build's bytes.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from briefgen.config.overrides import Overrides
from briefgen.pictures import variants
from briefgen.pipeline import cache
from briefgen.pipeline.build import build

from conftest import REPO, SITE_YAML, brief, picture, read_tree, topic

EXAMPLES = REPO / "docs" / "examples"
WORKFLOW = EXAMPLES / "github-pages.yml"
# What actions/configure-pages gives a project site as steps.pages.outputs.base_url.
PAGES_EXPRESSION = "${{ steps.pages.outputs.base_url }}"
PAGES_BASE = "https://example.github.io/briefings"
PICTURES = re.compile(r"^pictures and cards: ([\d,]+) files? made, ([\d,]+) from the cache$", re.M)


def site_files(site_yaml: str = SITE_YAML) -> dict[str, str | bytes]:
    """Three briefs with a lead picture each, and two without: they get social cards."""
    files: dict[str, str | bytes] = {"site.yaml": site_yaml, "content/topics/cartels.md": topic()}
    for n in range(3):
        image = f'image:\n  src: img/lead{n}.jpg\n  alt: "A desert road, {n}"\n  credit: Desk\n'
        files[f"content/briefs/lead{n}.md"] = brief(
            title=f"Lead {n}", date=f"2025-02-0{n + 1}", extra=image
        )
        files[f"content/briefs/img/lead{n}.jpg"] = picture(1000, 600, "JPEG", seed=40 * n)
    for n in range(2):
        files[f"content/briefs/card{n}.md"] = brief(title=f"Card {n}", date=f"2025-03-0{n + 1}")
    return files


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return root


def counts(stdout: str) -> tuple[int, int]:
    """(files made, files from the cache), from the line under the build's summary."""
    match = PICTURES.search(stdout)
    assert match, stdout
    return int(match[1].replace(",", "")), int(match[2].replace(",", ""))


# --- the recipe ------------------------------------------------------------------------------


def steps() -> list[dict]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["build"]["steps"]


def cache_step() -> dict:
    found = [s for s in steps() if str(s.get("uses", "")).startswith("actions/cache@")]
    assert len(found) == 1, "one actions/cache step in the build job"
    return found[0]


def cache_paths() -> list[str]:
    return cache_step()["with"]["path"].split()


def build_command() -> str:
    found = [s["run"] for s in steps() if "briefgen build" in s.get("run", "")]
    assert len(found) == 1, "one step runs briefgen build"
    command = found[0].replace(PAGES_EXPRESSION, PAGES_BASE)
    assert "${{" not in command, f"another expression to fill in: {command}"
    return command


def test_the_workflow_restores_the_cache_before_building_and_keys_it() -> None:
    """The cache folder the code names, and the key that signs it; the key changes with
    every commit (GitHub never overwrites a saved cache) and starts with briefgen's version
    and site.yaml; each fallback is a prefix of the key, the closest first."""
    names = [s.get("name") or s["uses"] for s in steps()]
    step = cache_step()
    assert names.index(step["name"]) < names.index("Build the site")
    assert step["uses"] == "actions/cache@v4"
    assert cache_paths() == [cache.CACHE_DIR, "~/.cache/briefgen"]
    key = step["with"]["key"]
    assert "hashFiles('pyproject.toml', 'requirements.txt', 'site.yaml')" in key
    assert key.endswith("-${{ github.sha }}")
    fallbacks = [line for line in step["with"]["restore-keys"].split("\n") if line]
    assert len(fallbacks) == 2 and all(key.startswith(f) for f in fallbacks)
    assert len(fallbacks[0]) > len(fallbacks[1]), "the same version and site.yaml first"


# --- two CI runs, the second with the cache restored ------------------------------------------


def git(cwd: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Desk",
        "GIT_AUTHOR_EMAIL": "desk@example.org",
        "GIT_COMMITTER_NAME": "Desk",
        "GIT_COMMITTER_EMAIL": "desk@example.org",
    }
    command = ["git", "-c", "core.hooksPath=/dev/null", "-c", "commit.gpgsign=false", *args]
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"


class Runner:
    """A CI runner: every run starts from a fresh clone in the same workspace and an empty
    home folder (briefgen keeps its signing key in ~/.cache/briefgen), and a good run ends
    by saving the cache step's paths, as actions/cache does after a successful job."""

    def __init__(self, root: Path) -> None:
        self.origin = write(root / "origin", site_files())
        git(self.origin, "init", "-q")
        git(self.origin, "add", "-A")
        git(self.origin, "commit", "-q", "-m", "The site")
        self.workspace, self.home, self.saved = root / "site", root / "home", root / "saved"

    def place(self, path: str) -> Path:
        return self.home / path[2:] if path.startswith("~/") else self.workspace / path

    def fresh(self) -> None:
        for folder in (self.workspace, self.home):
            shutil.rmtree(folder, ignore_errors=True)
        git(self.workspace.parent, "clone", "-q", str(self.origin), str(self.workspace))
        self.home.mkdir()

    def build(self) -> subprocess.CompletedProcess[str]:
        """The workflow's build step, with the `briefgen` of this environment on PATH."""
        env = {k: v for k, v in os.environ.items() if k != "XDG_CACHE_HOME"}
        env["HOME"] = str(self.home)
        env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
        return subprocess.run(
            ["bash", "-e", "-c", build_command()],
            cwd=self.workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def save(self) -> None:
        shutil.rmtree(self.saved, ignore_errors=True)
        for n, path in enumerate(cache_paths()):
            shutil.copytree(self.place(path), self.saved / str(n))  # times to the nanosecond

    def restore(self, times: str, key: bool = True) -> None:
        """``times`` "kept" as actions/cache keeps them (tar --posix), or cut to "seconds"
        as GitLab's cache (a zip) restores them; without ``key``, the cache folder alone."""
        for n, path in enumerate(cache_paths()):
            if path.startswith("~/") and not key:
                continue
            target = self.place(path)
            shutil.copytree(self.saved / str(n), target)
            for file in (target, *target.rglob("*")):
                if times == "seconds":
                    st = file.stat()
                    os.utime(file, ns=(st.st_atime_ns, st.st_mtime_ns // 10**9 * 10**9))


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Runner, dict[str, bytes], int]:
    """The first run, from nothing: the runner, the site it published, the files it made."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    ci = Runner(tmp_path_factory.mktemp("ci"))
    ci.fresh()
    result = ci.build()
    assert result.returncode == 0, result.stderr
    made, reused = counts(result.stdout)
    assert reused == 0
    out = read_tree(ci.workspace / "public", record=True)
    assert len([p for p in out if p.startswith("media/cards/")]) == 3  # two briefs, the site
    assert len([p for p in out if p.startswith("media/briefs/img/lead")]) >= 3 * 3 * 2
    assert made == len([p for p in out if p.startswith("media/")]), "every file it published"
    ci.save()
    return ci, out, made


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.iterdir()}


@pytest.mark.parametrize("times", ["kept", "seconds"])
def test_the_next_run_with_the_cache_restored_makes_nothing(first_run, times: str) -> None:
    ci, first, made = first_run
    ci.fresh()
    ci.restore(times)
    media = ci.workspace / cache.CACHE_DIR / "media"
    restored = stamps(media)
    result = ci.build()
    assert result.returncode == 0, result.stderr
    assert counts(result.stdout) == (0, made), "no picture encoded, no card drawn"
    assert stamps(media) == restored, "every file of the cache is the one restored"
    assert read_tree(ci.workspace / "public", record=True) == first


def test_a_cache_restored_without_its_key_is_not_trusted(first_run) -> None:
    """The records are signed with a key kept outside the site: a cache folder without it
    is ignored, not read (which is why the recipes keep the key with the cache)."""
    ci, first, made = first_run
    ci.fresh()
    ci.restore("kept", key=False)
    result = ci.build()
    assert result.returncode == 0, result.stderr
    assert counts(result.stdout) == (made, 0)
    assert read_tree(ci.workspace / "public", record=True) == first


# --- GitLab and Netlify: the paths they keep are where the build puts its cache and key -----


def run_in(site: Path, command: str, **env: str) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k != "XDG_CACHE_HOME"} | env
    full["PATH"] = os.path.dirname(sys.executable) + os.pathsep + full.get("PATH", "")
    return subprocess.run(
        ["bash", "-e", "-c", command], cwd=site, env=full, capture_output=True, text=True
    )


def test_gitlab_keeps_the_cache_and_its_key_inside_the_project(tmp_path: Path) -> None:
    """GitLab caches only paths inside the project: the job puts briefgen's key there, and
    its cache entry names both folders, which the build step fills."""
    job = yaml.safe_load((EXAMPLES / "gitlab-ci.yml").read_text(encoding="utf-8"))["pages"]
    assert job["variables"]["XDG_CACHE_HOME"] == "$CI_PROJECT_DIR/.cache"
    entry = next(c for c in job["cache"] if f"{cache.CACHE_DIR}/" in c["paths"])
    assert entry["paths"] == [f"{cache.CACHE_DIR}/", ".cache/briefgen/"]
    assert entry["key"] == "briefgen" and "policy" not in entry, "restored and saved each run"
    line = next(line for line in job["script"] if "briefgen build" in line)
    site = write(tmp_path / "project", site_files())
    env = {"XDG_CACHE_HOME": str(site / ".cache"), "HOME": str(tmp_path / "home")}
    result = run_in(site, line, CI_PAGES_URL="https://desk.gitlab.io/briefings", **env)
    assert result.returncode == 0, result.stderr
    assert (site / ".cache/briefgen/cache-key").is_file()
    assert counts(result.stdout)[0] > 0 and any((site / cache.CACHE_DIR / "media").iterdir())


@pytest.mark.parametrize("xdg", [False, True])
def test_netlify_plugin_keeps_the_cache_and_the_key_where_the_build_puts_them(
    tmp_path: Path, xdg: bool
) -> None:
    """The local plugin restores before the build and saves after it the cache folder and
    the folder of the key, found as briefgen finds it (run by Node with a stand-in for
    Netlify's utils.cache that records the paths)."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed")
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    config = tomllib.loads((EXAMPLES / "netlify.toml").read_text(encoding="utf-8"))
    plugin = (EXAMPLES / config["plugins"][0]["package"]).resolve()
    assert plugin.parent == EXAMPLES and (plugin / "manifest.yml").is_file()
    site, home = write(tmp_path / "repo", site_files()), tmp_path / "home"
    env = {"HOME": str(home), **({"XDG_CACHE_HOME": str(tmp_path / "xdg")} if xdg else {})}
    script = (
        "const plugin = require(process.argv[1]); const calls = [];"
        "const record = (kind) => async (paths) => { calls.push([kind, paths]); return true };"
        "const utils = {cache: {restore: record('restore'), save: record('save')}};"
        "(async () => { await plugin.onPreBuild({utils}); await plugin.onPostBuild({utils});"
        " console.log(JSON.stringify(calls)) })()"
    )
    ran = run_in(site, f"{node} -e {shlex.quote(script)} {shlex.quote(str(plugin))}", **env)
    assert ran.returncode == 0, ran.stderr
    calls = json.loads(ran.stdout.splitlines()[-1])  # after what the plugin logs
    assert [kind for kind, _ in calls] == ["restore", "save"] and calls[0][1] == calls[1][1]
    command = config["build"]["command"].split("&&")[1].strip()
    result = run_in(site, command, URL="https://briefings.netlify.app", **env)
    assert result.returncode == 0, result.stderr
    key_folder = (tmp_path / "xdg" if xdg else home / ".cache") / "briefgen"
    assert calls[0][1] == [cache.CACHE_DIR, str(key_folder)]
    assert (key_folder / "cache-key").is_file() and (site / cache.CACHE_DIR / "pictures").is_file()


# --- a cache from another version, another Pillow, another configuration ---------------------


def cold(root: Path, out: Path) -> dict[str, bytes]:
    build(root, cache=False, overrides=Overrides(str(out)))
    return read_tree(out)


# After a build at widths 480 and 800 (the pictures are 1,000 pixels wide), how many of
# each picture's widths can come from the cache: a 480-pixel file is made from the 800-pixel
# one, so it is another file when 900 comes between (or when 800 goes); one of 320, new, is
# made from the 480-pixel one.
WIDTHS = [("[320, 480, 800]", 2), ("[480, 900]", 0), ("[480, 800, 1000]", 0)]


@pytest.mark.parametrize(("widths", "kept"), WIDTHS)
def test_a_cache_from_another_version_and_configuration_gives_a_cold_builds_bytes(
    widths: str, kept: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run restores, with its times cut to the second, the cache of a build made by
    another version of briefgen with other widths and other card colours: what those
    settings did not change comes from the cache, everything else is made, and the site is
    byte for byte a cold build's."""
    before = write(tmp_path / "before", site_files(SITE_YAML + "images:\n  widths: [480, 800]\n"))
    build(before)
    after_yaml = SITE_YAML + f"images:\n  widths: {widths}\ntheme: alt\n"
    after = write(tmp_path / "after", site_files(after_yaml))
    theme = after / "themes" / "alt"
    shutil.copytree(REPO / "themes" / "default", theme)
    card = theme / "card.yaml"
    card.write_text(card.read_text(encoding="utf-8").replace("#8a1c1c", "#1a4f8b"), "utf-8")
    shutil.copytree(before / cache.CACHE_DIR, after / cache.CACHE_DIR)
    for file in (after / cache.CACHE_DIR).rglob("*"):
        st = file.stat()
        os.utime(file, ns=(st.st_atime_ns, st.st_mtime_ns // 10**9 * 10**9))
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "another version")

    result = build(after)
    formats = len(variants.writable(("avif", "webp"))) + 1  # and JPEG
    count = len(widths.split(","))
    assert result.stats["pictures_reused"] == 3 * formats * kept
    assert result.stats["pictures_encoded"] == 3 * formats * (count - kept) + 3, "and 3 cards"
    assert read_tree(after / "public") == cold(after, tmp_path / "cold")
    left = {p.name.split(".")[0] for p in (after / cache.CACHE_DIR / "media").iterdir()}
    assert len(left) == 3 * formats * count + 3, "what no build needs any more is gone"


def test_a_cache_from_another_pillow_is_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pictures' keys name Pillow and its encoders, cards' name Pillow and FreeType: a cache
    made with another Pillow is never taken for this one's."""
    import PIL

    root = write(tmp_path / "site", site_files())
    first = build(root)
    out = read_tree(root / "public")
    monkeypatch.setattr(variants, "pillow_version", lambda: "another Pillow")
    monkeypatch.setattr(PIL, "__version__", "0.0.0")
    again = build(root, jobs=1)
    assert again.stats["pictures_reused"] == 0
    assert again.stats["pictures_encoded"] == first.stats["pictures_encoded"]
    assert read_tree(root / "public") == out


def test_a_cached_file_whose_bytes_changed_is_made_again(tmp_path: Path) -> None:
    """A file of the cache whose time changed is vouched for by its bytes' digest alone:
    one byte changed, at the same size, and it is made again rather than published."""
    root = write(tmp_path / "site", site_files())
    first = build(root)
    out = read_tree(root / "public")
    victim = sorted((root / cache.CACHE_DIR / "media").glob("*.jpg"))[0]
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0xFF
    swapped = victim.with_name("swapped")  # a new file in its place, as a restore makes
    swapped.write_bytes(bytes(data))
    os.replace(swapped, victim)
    edited = root / "content/briefs/card0.md"  # a change, or the build has nothing to do
    more = "\n## More\n\nOne more line.\n"  # a heading: a full build (pipeline/patch.py)
    edited.write_text(edited.read_text(encoding="utf-8") + more, "utf-8")
    again = build(root)
    assert again.stats["pictures_encoded"] == 1
    assert again.stats["pictures_reused"] == first.stats["pictures_encoded"] - 1
    assert victim.read_bytes() != bytes(data), "made again in its place"
    media = {k: v for k, v in read_tree(root / "public").items() if k.startswith("media/")}
    assert media == {k: v for k, v in out.items() if k.startswith("media/")}
