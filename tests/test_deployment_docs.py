"""Publishing: the deployment examples in docs/examples/ and what docs/publishing.md promises.

The GitHub workflow's build step (and the GitLab and Netlify build commands) run as written,
with bash, on a fresh copy of the repository; the site they build is crawled under its
subpath. Rebuilds are compared byte for byte, and an edit to one brief must change only its
page, the feeds and the search index. Nothing here uses the network.
"""

from __future__ import annotations

import os
import posixpath
import re
import shlex
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from conftest import REPO, read_tree

DOCS = REPO / "docs"
EXAMPLES = DOCS / "examples"
WORKFLOW = EXAMPLES / "github-pages.yml"
DEPLOY_SCRIPT = EXAMPLES / "deploy-rsync.sh"

# What actions/configure-pages gives a project site as steps.pages.outputs.base_url.
PAGES_EXPRESSION = "${{ steps.pages.outputs.base_url }}"
PAGES_BASE = "https://example.github.io/briefings"
HOST = "example.github.io"
BASE_PATH = "/briefings/"
# Commit date of the fresh copies: fixed, so that every copy has the same history and a site
# with git_dates: true gets the same dates in each (and later than every example brief).
COMMIT_DATE = "2025-06-01T12:00:00+00:00"
MARKER = "Zyxwvut, a word that appears in no other brief."


# --- the workflow file ---------------------------------------------------------------------


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def _triggers(workflow: dict) -> dict:
    # YAML 1.1 (PyYAML) reads the bare key `on` as the boolean true; GitHub reads it as "on".
    return workflow.get("on", workflow.get(True))


def _step_key(step: dict) -> str:
    return step.get("name") or step["uses"]


def _step(workflow: dict, name: str) -> dict:
    matches = [s for s in workflow["jobs"]["build"]["steps"] if s.get("name") == name]
    assert len(matches) == 1, f"one step named {name!r} in the build job"
    return matches[0]


def test_github_workflow_structure() -> None:
    workflow = _workflow()
    on = _triggers(workflow)
    assert on["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in on
    crons = [entry["cron"] for entry in on["schedule"]]
    assert len(crons) == 1 and len(crons[0].split()) == 5, "one daily cron for scheduled briefs"
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"] == "pages"

    build = workflow["jobs"]["build"]
    steps = build["steps"]
    assert [_step_key(s) for s in steps] == [
        "actions/checkout@v4",
        "actions/setup-python@v5",
        "actions/configure-pages@v5",
        "Install briefgen",
        "Keep briefgen's cache",  # what is kept and how: test_ci_cache.py
        "Build the site",
        "actions/upload-pages-artifact@v3",
    ]
    checkout, python, pages, _, _, _, upload = steps
    assert checkout["with"]["fetch-depth"] == 0, "full history, for git_dates"
    assert str(python["with"]["python-version"]) == "3.12"
    assert python["with"]["cache"] == "pip"
    assert pages["id"] == "pages"
    assert upload["with"]["path"] == "public"
    for step in steps:
        if "run" in step:
            assert "\n" not in step["run"].strip(), f"{step['name']}: one plain shell command"

    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" or deploy["needs"] == ["build"]
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"
    assert [(s["uses"], s.get("id")) for s in deploy["steps"]] == [
        ("actions/deploy-pages@v4", "deployment")
    ]


# --- a fresh copy of the repository, and the build step run on it --------------------------


def _git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        ["git", "-c", "core.hooksPath=/dev/null", "-c", "commit.gpgsign=false", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
    return result.stdout


def fresh_copy(dest: Path) -> Path:
    """A new repository at ``dest`` holding what a clone would, as one commit.

    Not ``git clone``: a clone has only what is committed, so while someone is editing (a
    new brief, a template, these docs) it would build yesterday's site. The files
    ``git ls-files --cached --others --exclude-standard`` lists are exactly what committing
    the current work would record, before and after it is committed; ``git init`` and one
    commit with a fixed date then give the copy a history, as a CI checkout has. Ignored
    files (public/, .venv/, caches) are left out, as they would be from a clone.
    """
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=False,
    )
    if listing.returncode != 0:
        pytest.skip("the project is not a git working tree")
    dest.mkdir(parents=True)
    for rel in sorted(set(listing.stdout.decode("utf-8").split("\0")) - {""}):
        source = REPO / rel
        if not source.exists() and not source.is_symlink():
            continue  # tracked but deleted in the working tree: not part of the next commit
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target, follow_symlinks=False)
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Briefings",
        "GIT_AUTHOR_EMAIL": "briefings@example.org",
        "GIT_COMMITTER_NAME": "Briefings",
        "GIT_COMMITTER_EMAIL": "briefings@example.org",
        "GIT_AUTHOR_DATE": COMMIT_DATE,
        "GIT_COMMITTER_DATE": COMMIT_DATE,
    }
    _git(dest, "init", "-q", env=env)
    _git(dest, "add", "-A", env=env)
    _git(dest, "commit", "-q", "-m", "Fresh copy", env=env)
    return dest


def _env(**extra: str) -> dict[str, str]:
    """The environment for a CI command: this Python's bin folder first on PATH, so the
    ``briefgen`` and ``python`` the commands name are the ones installed with the tests."""
    path = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
    return {**os.environ, "PATH": path, **extra}


def _bash(command: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    # `bash -e` as GitHub Actions runs a `run:` step.
    return subprocess.run(
        ["bash", "-e", "-c", command],
        cwd=cwd,
        env=_env(**env),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def run_build_step(site: Path) -> subprocess.CompletedProcess[str]:
    """Run the workflow's "Build the site" command in ``site``, with configure-pages' output
    replaced by the address of a project site."""
    run = _step(_workflow(), "Build the site")["run"]
    assert run.count(PAGES_EXPRESSION) == 1, run
    command = run.replace(PAGES_EXPRESSION, PAGES_BASE)
    assert "${{" not in command, f"another expression to fill in: {command}"
    return _bash(command, site)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh copy of the repository after the workflow's install and build steps."""
    install = _step(_workflow(), "Install briefgen")["run"]
    # Not run: it would download briefgen's dependencies from PyPI. The tests run in an
    # environment where briefgen is already installed (from this repository, editable), and
    # _env() puts that environment's bin folder first on PATH for the build step.
    assert install.strip() == "python -m pip install ."
    site = fresh_copy(tmp_path_factory.mktemp("publish") / "clone")
    result = run_build_step(site)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("built "), result.stdout
    return site


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self.canonical: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append((name, value))
            if name == "id" and value:
                self.ids.add(value)
        if tag == "link" and values.get("rel") == "canonical" and values.get("href"):
            self.canonical.append(values["href"])


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _file_for(out: Path, url_path: str) -> Path | None:
    """The file a URL path under the base path names, or None when it is outside it."""
    if not url_path.startswith(BASE_PATH):
        return None
    rel = unquote(url_path[len(BASE_PATH) :])
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    return out / rel


def crawl(out: Path) -> tuple[int, list[str]]:
    """Every internal href and src of every page, like test_example_site's crawl: each must
    be a path under the base path naming a file, and a fragment must name an id there."""
    pages = {file: _parse(file) for file in sorted(out.rglob("*.html"))}
    checked, problems = 0, []
    for file, page in pages.items():
        rel = file.relative_to(out).as_posix()
        here = BASE_PATH + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        for attr, value in page.links:
            parts = urlsplit(value)
            if parts.scheme in ("mailto", "data") or (parts.netloc and parts.netloc != HOST):
                continue
            if parts.netloc or parts.path.startswith("/"):
                path = parts.path
            elif parts.path:
                path = posixpath.join(posixpath.dirname(here) + "/", parts.path)
            else:
                path = here
            path = posixpath.normpath(path) + ("/" if path.endswith("/") else "")
            target = _file_for(out, path)
            checked += 1
            if target is None:
                problems.append(f"{rel}: {attr}={value} is outside {BASE_PATH}")
            elif not target.is_file():
                problems.append(f"{rel}: {attr}={value} → missing {target.relative_to(out)}")
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else _parse(target).ids
                if unquote(parts.fragment) not in ids:
                    problems.append(f"{rel}: {value} → no id #{parts.fragment}")
    return checked, problems


def test_github_build_step_on_a_fresh_copy(published: Path) -> None:
    """The workflow's build step, as written, builds a site whose every link works under the
    subpath GitHub Pages gives a project site."""
    out = published / "public"
    checked, problems = crawl(out)
    assert not problems, "\n".join(problems)
    assert checked > 300  # the crawl really looked at links
    assert _parse(out / "index.html").canonical == [PAGES_BASE + "/"]
    locs = re.findall(r"<loc>([^<]+)</loc>", (out / "sitemap.xml").read_text(encoding="utf-8"))
    assert locs, "the sitemap lists the pages"
    for loc in locs:
        parts = urlsplit(loc)
        assert parts.netloc == HOST, loc
        target = _file_for(out, parts.path)
        assert target is not None and target.is_file(), f"sitemap: {loc}"
    assert (out / "404.html").is_file()
    assert (out / "pagefind" / "pagefind.js").is_file(), "the search index is built"


def _edit_one_brief(site: Path) -> Path:
    """Add a sentence to the body of the newest brief (by file name); front matter untouched."""
    brief = sorted((site / "content" / "briefs").rglob("*.md"))[-1]
    text = brief.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    end = text.index("\n---\n", 4) + len("\n---\n")
    brief.write_text(text[:end] + f"\n{MARKER}\n" + text[end:], encoding="utf-8")
    return brief


def _changed(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def _is_feed(path: str) -> bool:
    topic_feed = re.fullmatch(r"topics/[^/]+/feed\.xml", path)
    return path in ("feed.xml", "feed.json") or topic_feed is not None


def test_rebuilds_are_identical_and_an_edit_changes_only_its_own_files(
    published: Path, tmp_path: Path
) -> None:
    first = read_tree(published / "public")
    again = fresh_copy(tmp_path / "again")
    result = run_build_step(again)
    assert result.returncode == 0, result.stderr
    # Same input, same bytes: `rsync --checksum` sends nothing after an unchanged rebuild.
    assert _changed(first, read_tree(again / "public")) == []

    _edit_one_brief(again)
    result = run_build_step(again)
    assert result.returncode == 0, result.stderr
    edited = read_tree(again / "public")
    changed = _changed(first, edited)

    brief_pages = [p for p in changed if p.startswith("briefs/")]
    assert len(brief_pages) == 1, f"only the edited brief's page changes: {brief_pages}"
    assert MARKER in edited[brief_pages[0]].decode("utf-8")
    assert "feed.xml" in changed and "feed.json" in changed, "the feeds carry the body"
    assert any(p.startswith("pagefind/") for p in changed), "the search index has the body"
    for page in ("index.html", "archive/index.html", "topics/index.html", "sitemap.xml"):
        assert page not in changed, f"{page} does not show the body, yet changed"
    others = [
        p
        for p in changed
        if p not in brief_pages and not _is_feed(p) and p.split("/")[0] != "pagefind"
    ]
    assert others == [], f"changed, though they do not show the brief's body: {others}"


# --- the other hosts ------------------------------------------------------------------------


def _gitlab_build_line() -> str:
    job = yaml.safe_load((EXAMPLES / "gitlab-ci.yml").read_text(encoding="utf-8"))["pages"]
    lines = [line for line in job["script"] if "briefgen build" in line]
    assert len(lines) == 1, job["script"]
    return lines[0]


def test_gitlab_pages_job() -> None:
    job = yaml.safe_load((EXAMPLES / "gitlab-ci.yml").read_text(encoding="utf-8"))["pages"]
    assert job["image"].startswith("python:3.")
    assert str(job["variables"]["GIT_DEPTH"]) == "0", "full history, for git_dates"
    script = job["script"]
    build = _gitlab_build_line()
    assert "pip install ." in script
    assert script.index("pip install .") < script.index(build)
    words = shlex.split(build)
    assert words[:3] == ["briefgen", "build", "--strict"]
    assert words[words.index("--output") + 1] == "public"
    assert words[words.index("--base-url") + 1] == "$CI_PAGES_URL/"
    assert job["artifacts"]["paths"] == ["public"]
    rules = " ".join(rule["if"] for rule in job["rules"])
    assert "$CI_DEFAULT_BRANCH" in rules


def _netlify() -> dict:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    return tomllib.loads((EXAMPLES / "netlify.toml").read_text(encoding="utf-8"))


def test_netlify_config() -> None:
    config = _netlify()
    assert config["build"]["publish"] == "public"
    command = config["build"]["command"]
    assert "briefgen build --strict" in command
    assert '--base-url "$URL/"' in command
    assert command.split("&&")[0].strip() == "python -m pip install ."
    major, minor = (int(n) for n in config["build"]["environment"]["PYTHON_VERSION"].split("."))
    assert (major, minor) >= (3, 10)


@pytest.mark.parametrize("host", ["gitlab", "netlify"])
def test_other_hosts_build_commands_run(host: str, tmp_path: Path) -> None:
    """GitLab's build line and Netlify's command (after the pip install, not run: see the
    `published` fixture) build the site for the address the host puts in the environment."""
    if host == "gitlab":
        command, env = _gitlab_build_line(), {"CI_PAGES_URL": "https://group.gitlab.io/briefings"}
    else:
        install, command = (part.strip() for part in _netlify()["build"]["command"].split("&&"))
        assert install == "python -m pip install ."
        env = {"URL": "https://briefings.netlify.app"}
    site = fresh_copy(tmp_path / "clone")
    result = _bash(command, site, **env)
    assert result.returncode == 0, result.stderr
    home = _parse(site / "public" / "index.html")
    assert home.canonical == [next(iter(env.values())) + "/"]


# --- your own server --------------------------------------------------------------------------


def test_deploy_script_syntax() -> None:
    result = subprocess.run(
        ["bash", "-n", str(DEPLOY_SCRIPT)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    text = DEPLOY_SCRIPT.read_text(encoding="utf-8")
    assert "set -euo pipefail" in text
    assert "--checksum" in text and "--strict" in text


@pytest.mark.parametrize("args", [[], [""]], ids=["no-argument", "empty-argument"])
def test_deploy_script_needs_a_destination(args: list[str], tmp_path: Path) -> None:
    """The argument is checked first: on a PATH without briefgen or rsync, in a folder with
    no site.yaml, the answer is still the usage message."""
    empty = tmp_path / "empty-path"
    empty.mkdir()
    result = subprocess.run(
        [shutil.which("bash") or "/bin/bash", str(DEPLOY_SCRIPT), *args],
        cwd=tmp_path,
        env={"PATH": str(empty), "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "usage:" in result.stderr and "DEST" in result.stderr
    assert not (tmp_path / "public").exists()


def test_deploy_script_needs_briefgen_and_rsync(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text("title: T\n", encoding="utf-8")
    empty = tmp_path / "empty-path"
    empty.mkdir()
    result = subprocess.run(
        [shutil.which("bash") or "/bin/bash", str(DEPLOY_SCRIPT), str(tmp_path / "www") + "/"],
        cwd=tmp_path,
        env={"PATH": str(empty), "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "'briefgen' is not installed" in result.stderr
    assert not (tmp_path / "www").exists()


def _stamps(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_deploy_script_sends_only_what_changed(tmp_path: Path) -> None:
    """deploy-rsync.sh into a local folder: a full copy, then nothing touched after an
    unchanged rebuild, then exactly the changed files after an edit."""
    if shutil.which("rsync") is None:
        pytest.skip("rsync is not installed")
    site = fresh_copy(tmp_path / "site")
    www = tmp_path / "www" / "briefings"
    www.mkdir(parents=True)

    def deploy() -> None:
        result = subprocess.run(
            ["bash", str(DEPLOY_SCRIPT), f"{www}/", PAGES_BASE + "/"],
            cwd=site,
            env=_env(),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert read_tree(www) == read_tree(site / "public"), "the server has the new build"

    deploy()
    before, stamps = read_tree(www), _stamps(www)
    deploy()
    assert _stamps(www) == stamps, "an unchanged rebuild touches nothing on the server"

    _edit_one_brief(site)
    deploy()
    after, touched = read_tree(www), _stamps(www)
    written = sorted(p for p in after if stamps.get(p) != touched[p])
    assert written == [p for p in _changed(before, after) if p in after]
    assert any(p.startswith("briefs/") for p in written)
    assert set(before) - set(after), "the old search index files were deleted"


def test_nginx_example() -> None:
    conf = (EXAMPLES / "nginx.conf").read_text(encoding="utf-8")
    for needed in (
        "location /briefings/",
        "try_files $uri $uri/ =404;",
        "error_page 404 /briefings/404.html;",
        "include mime.types;",
        "gzip on;",
    ):
        assert needed in conf, needed
    types = re.search(r"types\s*\{([^}]*)\}", conf)
    assert types and "application/octet-stream" in types.group(1)
    for extension in ("pagefind", "pf_fragment", "pf_index", "pf_meta"):
        assert re.search(rf"\b{extension}\b", types.group(1)), extension


# --- the document -----------------------------------------------------------------------------


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def test_publishing_doc_links_resolve() -> None:
    doc = DOCS / "publishing.md"
    text = doc.read_text(encoding="utf-8")
    prose = re.sub(r"```.*?```", "", text, flags=re.S)
    anchors = {_slug(h) for h in re.findall(r"^#+\s+(.+)$", prose, flags=re.M)}
    links = re.findall(r"\]\(([^)\s]+)\)", prose)
    local = [link for link in links if not re.match(r"[a-z]+:", link)]
    assert len(local) >= 8, local
    for link in local:
        path, _, fragment = link.partition("#")
        if path:
            assert (doc.parent / path).exists(), f"{link}: no such file"
        elif fragment:
            assert fragment in anchors, f"{link}: no such heading"
    for example in EXAMPLES.iterdir():
        assert f"examples/{example.name}" in local, f"the doc does not link to {example.name}"


def test_readme_links_to_publishing_doc() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "](docs/publishing.md)" in readme
