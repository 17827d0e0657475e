"""The command line: version and help, usage errors, the build summary, --quiet, --base-url,
--output, check (text and JSON), new, and ``python -m briefgen``."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen import __version__

from conftest import brief, topic

GOOD = {
    "content/briefs/2025-02-04-six-cartels.md": brief(title="Six cartels", date="2025-02-04"),
    "content/briefs/2025-02-05-spy-planes.md": brief(title="Spy planes", date="2025-02-05"),
    "content/topics/cartels.md": topic(),
}
# the first line of the summary; the second counts pictures and social cards
SUMMARY = re.compile(
    r"^built (\d+) briefs?, (\d+) topics?, (\d+) pages? in \d+\.\d\d s → (.+)$", re.M
)


# --- version, help, usage -------------------------------------------------------------------------


def test_version(cli) -> None:
    run = cli("--version")
    assert (run.code, run.out, run.err) == (0, "briefgen 0.1.0\n", "")
    assert __version__ == "0.1.0"


def test_top_level_help(cli) -> None:
    run = cli("--help")
    assert run.code == 0
    assert run.out.startswith("usage: briefgen [-h] [--version] COMMAND ...")
    for command in ("build", "check", "new"):
        assert re.search(rf"^\s+{command}\s+\S", run.out, re.M)


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("build", ["--source", "--drafts", "--strict", "--quiet", "--output", "--base-url"]),
        ("check", ["--source", "--drafts", "--strict", "--quiet", "--format"]),
        ("new", ["--topic", "--summary", "--source"]),
    ],
)
def test_subcommand_help(cli, command: str, options: list[str]) -> None:
    run = cli(command, "--help")
    assert run.code == 0
    assert run.out.startswith(f"usage: briefgen {command} ")
    for option in options:
        assert option in run.out


def test_no_subcommand_is_a_usage_error(cli) -> None:
    run = cli()
    assert run.code == 2
    assert run.out == ""
    assert run.err.startswith("usage: briefgen [-h] [--version] COMMAND ...")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bogus"], "briefgen: error: unrecognized arguments: --bogus"),
        (["build", "--bogus"], "briefgen: error: unrecognized arguments: --bogus"),
        (["publish"], "briefgen: error: argument COMMAND: invalid choice: 'publish'"),
        (
            ["check", "--format", "xml"],
            "briefgen check: error: argument --format: invalid choice: 'xml'",
        ),
        (["new", "Title"], "briefgen new: error: a new brief needs a TITLE and --topic"),
        (
            ["new", "--topic", "x"],
            "briefgen new: error: a new brief needs a TITLE and --topic",
        ),
        (["build", "--output"], "briefgen build: error: argument --output: expected one argument"),
    ],
)
def test_usage_errors_exit_2(cli, args: list[str], message: str) -> None:
    run = cli(*args)
    assert run.code == 2
    assert message in run.err
    assert "Traceback" not in run.err


def test_interrupt_exits_130(make_site, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("briefgen.pipeline.build.build", interrupted)
    run = cli("build", "--source", make_site(GOOD))
    assert (run.code, run.err) == (130, "interrupted\n")


# --- build -----------------------------------------------------------------------------------------


def test_build_summary_line(make_site, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_site(GOOD)
    monkeypatch.chdir(root)
    run = cli("build")
    assert run.code == 0 and run.err == ""
    match = SUMMARY.match(run.out.rstrip("\n"))
    assert match, run.out
    # home, 2 briefs, topics index, 1 topic page, archive, 404
    assert match.groups() == ("2", "1", "13", "public")
    # the briefs' cards and the site's, drawn; a rebuild takes them from the cache
    assert run.out.splitlines()[1:] == ["pictures and cards: 3 files made, 0 from the cache"]
    retitled = brief(title="Spy planes, again", date="2025-02-05")
    (root / "content/briefs/2025-02-05-spy-planes.md").write_text(retitled, encoding="utf-8")
    again = cli("build").out.splitlines()[1:]
    assert again == ["pictures and cards: 1 file made, 2 from the cache"]
    assert cli("build").out.count("\n") == 1, "a build with nothing to do makes nothing"


def test_build_summary_uses_singular_words(make_site, cli) -> None:
    root = make_site({"content/briefs/a.md": brief(), "content/topics/cartels.md": topic()})
    run = cli("build", "--source", root)
    assert run.out.startswith("built 1 brief, 1 topic, 12 pages in ")


def test_build_summary_shows_absolute_output_outside_cwd(
    make_site, cli, tmp_path: Path, monkeypatch
) -> None:
    root = make_site(GOOD)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    run = cli("build", "--source", root)
    match = SUMMARY.match(run.out.rstrip("\n"))
    assert match and match.group(4) == str((root / "public").resolve())


def test_quiet_prints_nothing_on_success(make_site, cli) -> None:
    root = make_site(GOOD)
    run = cli("build", "--source", root, "--quiet")
    assert (run.code, run.out, run.err) == (0, "", "")
    assert (root / "public/index.html").is_file()
    run = cli("build", "--source", root, "-q")
    assert (run.code, run.out, run.err) == (0, "", "")


def test_quiet_still_prints_errors(make_site, cli) -> None:
    root = make_site({**GOOD, "content/briefs/bad.md": brief(date="tomorrow")})
    run = cli("build", "--source", root, "--quiet")
    assert run.code == 1
    assert run.out == ""
    assert "content/briefs/bad.md:3:1: error: 'date' must be a date" in run.err


def test_base_url_option_changes_canonical_links(make_site, cli) -> None:
    root = make_site(GOOD)
    run = cli("build", "--source", root, "--base-url", "https://news.example/drones/", "--quiet")
    assert run.code == 0, run.err
    home = (root / "public/index.html").read_text(encoding="utf-8")
    page = (root / "public/briefs/spy-planes/index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://news.example/drones/">' in home
    assert '<link rel="canonical" href="https://news.example/drones/briefs/spy-planes/">' in page
    assert 'href="/drones/static/css/style.css"' in page
    assert "example.org/briefings" not in home + page


def test_output_option_is_relative_to_cwd(make_site, cli, tmp_path: Path, monkeypatch) -> None:
    root = make_site(GOOD)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    run = cli("build", "--source", "../site", "--output", "out")
    assert run.code == 0, run.err
    assert SUMMARY.match(run.out.rstrip("\n")).group(4) == "out"
    assert (work / "out/index.html").is_file()
    assert (work / "out/briefs/six-cartels/index.html").is_file()
    assert not (root / "out").exists()
    assert not (root / "public").exists()


def test_source_defaults_to_cwd(make_site, cli, monkeypatch) -> None:
    root = make_site(GOOD)
    monkeypatch.chdir(root)
    assert cli("build", "--quiet").code == 0
    assert (root / "public/briefs/spy-planes/index.html").is_file()


def test_python_dash_m_version(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "briefgen", "--version"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "briefgen 0.1.0\n", "")


def test_python_dash_m_usage_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "briefgen"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.startswith("usage: briefgen")


# --- check -----------------------------------------------------------------------------------------


def test_check_writes_nothing_and_exits_0(make_site, cli) -> None:
    root = make_site(GOOD)
    before = sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))
    run = cli("check", "--source", root)
    assert run.code == 0
    assert run.out == "ok: 2 briefs, 1 topic, 13 pages checked\n"
    assert run.err == "0 errors, 0 warnings\n"
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == before
    assert not (root / "public").exists()


def test_check_exits_1_on_content_errors(make_site, cli) -> None:
    root = make_site({**GOOD, "content/briefs/bad.md": brief(body="[x](nope.md)\n")})
    run = cli("check", "--source", root)
    assert run.code == 1
    assert run.out == ""
    assert run.err == (
        "content/briefs/bad.md:8:5: error: link to 'nope.md': no such brief or topic (content/briefs/nope.md)\n"
        "1 error, 0 warnings\n"
    )
    assert not (root / "public").exists()


def test_check_exits_2_on_config_errors(make_site, cli) -> None:
    root = make_site(GOOD, site_yaml="title: T\nper_page: 0\n")
    run = cli("check", "--source", root)
    assert run.code == 2
    assert (
        run.err.splitlines()[0]
        == "site.yaml:2:1: error: 'per_page' must be a whole number of at least 1, not 0"
    )


def test_check_strict_fails_on_warnings(make_site, cli) -> None:
    root = make_site({**GOOD, "content/briefs/near.md": brief(topics="[cartel]")})
    assert cli("check", "--source", root).code == 0
    run = cli("check", "--source", root, "--strict")
    assert run.code == 1
    assert "error: topic 'cartel' has no file content/topics/cartel.md" in run.err
    assert run.err.endswith("1 error (warnings count as errors with --strict)\n")


def test_check_drafts_counts_them(make_site, cli) -> None:
    root = make_site({**GOOD, "content/briefs/d.md": brief(title="Draft", extra="draft: true\n")})
    assert cli("check", "--source", root).out.startswith("ok: 2 briefs,")
    assert cli("check", "--source", root, "--drafts").out.startswith("ok: 3 briefs,")


def test_check_json_when_clean(make_site, cli) -> None:
    run = cli("check", "--source", make_site(GOOD), "--format", "json")
    assert run.code == 0
    assert run.err == ""
    assert json.loads(run.out) == {"ok": True, "errors": 0, "warnings": 0, "diagnostics": []}


def test_check_json_lists_diagnostics(make_site, cli) -> None:
    root = make_site(
        {
            **GOOD,
            "content/briefs/bad.md": brief(date="tomorrow"),
            "content/briefs/near.md": brief(title="Near", topics="[cartel]"),
        }
    )
    run = cli("check", "--source", root, "--format", "json")
    assert run.code == 1
    assert run.err == ""
    assert json.loads(run.out) == {
        "ok": False,
        "errors": 1,
        "warnings": 1,
        "diagnostics": [
            {
                "path": "content/briefs/bad.md",
                "line": 3,
                "col": 1,
                "severity": "error",
                "message": "'date' must be a date; invalid date 'tomorrow': expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM",
                "kind": "",
            },
            {
                "path": "content/briefs/near.md",
                "line": 5,
                "col": 10,
                "severity": "warning",
                "message": "topic 'cartel' has no file content/topics/cartel.md; its title is made from the slug; "
                "did you mean 'cartels'?",
                "kind": "topic-file",
            },
        ],
    }
    assert not (root / "public").exists()


def test_check_json_on_config_error(make_site, cli) -> None:
    run = cli("check", "--source", make_site(GOOD, site_yaml=None), "--format", "json")
    assert run.code == 2
    assert json.loads(run.out) == {
        "ok": False,
        "errors": 1,
        "warnings": 0,
        "diagnostics": [
            {
                "path": "site.yaml",
                "line": 0,
                "col": 0,
                "severity": "error",
                "message": "no site.yaml here: is this a briefgen site?",
                "kind": "",
            },
        ],
    }


def test_check_json_keeps_non_ascii(make_site, cli) -> None:
    root = make_site(
        {**GOOD, "content/briefs/q.md": brief(title="Querétaro", body="[x](Querétaro.md)\n")}
    )
    run = cli("check", "--source", root, "--format", "json")
    assert "(content/briefs/Querétaro.md)" in run.out
    assert json.loads(run.out)["diagnostics"][0]["line"] == 8


# --- new -------------------------------------------------------------------------------------------


def test_new_creates_a_draft_brief(make_site, cli) -> None:
    root = make_site(GOOD)
    run = cli(
        "new",
        "Querétaro Raids",
        "--topic",
        "cartels",
        "--topic",
        "Border Crackdown",
        "--source",
        root,
    )
    assert run.code == 0, run.err
    path = root / f"content/briefs/{dt.date.today().isoformat()}-queretaro-raids.md"
    assert run.out == f"created {path} (a draft: remove 'draft: true' to publish)\n"
    assert run.err == (
        "briefgen new: warning: topic 'border-crackdown' has no file "
        "content/topics/border-crackdown.md; the build will name it from its slug\n"
    )
    assert path.read_text(encoding="utf-8") == (
        "---\n"
        "title: Querétaro Raids\n"
        f"date: {dt.date.today().isoformat()}\n"
        "summary: One or two plain sentences on Querétaro Raids.\n"
        "topics:\n- cartels\n- border-crackdown\n"
        "draft: true\n"
        "# sources:\n"
        "#   - id: ap\n"
        "#     title: Headline of the report\n"
        "#     publisher: Associated Press\n"
        "#     url: https://apnews.com/...\n"
        "#     date: 2025-02-04\n"
        "---\n\nWrite the brief here; cite each source where a claim rests on it, as in `[@ap]`.\n"
    )


def test_new_brief_builds_only_with_drafts(make_site, cli) -> None:
    root = make_site(GOOD)
    assert cli("new", "Spy flights resume", "--topic", "cartels", "--source", root).code == 0
    run = cli("build", "--source", root, "--quiet")
    assert run.code == 0, run.err
    assert not (root / "public/briefs/spy-flights-resume").exists()
    run = cli("build", "--source", root, "--drafts")
    assert run.code == 0, run.err
    assert SUMMARY.match(run.out.rstrip("\n")).group(1) == "3"
    html = (root / "public/briefs/spy-flights-resume/index.html").read_text(encoding="utf-8")
    assert "<h1>Spy flights resume</h1>" in html
    assert '<span class="badge">Draft</span>' in html


def test_an_open_quote_in_a_new_brief_is_reported_on_its_own_line(make_site, cli) -> None:
    """The commented example that `new` writes must not move a YAML error elsewhere."""
    root = make_site(GOOD)
    assert cli("new", "Drone flights", "--topic", "cartels", "--source", root).code == 0
    [path] = (root / "content/briefs").glob("*drone-flights.md")
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[3].startswith("summary: ")
    lines[3] = 'summary: "An open quote'
    path.write_text("\n".join(lines), encoding="utf-8")
    run = cli("check", "--drafts", "--source", root)
    assert run.code == 1
    rel = path.relative_to(root).as_posix()
    assert run.err.startswith(f"{rel}:4:10: error: invalid YAML: "), run.err


def test_new_with_summary_and_awkward_title_round_trips(make_site, cli) -> None:
    root = make_site(GOOD)
    title = "Sheinbaum: 'no' to drones #2"
    run = cli("new", title, "--topic", "cartels", "--summary", "yes", "--source", root)
    assert run.code == 0, run.err
    assert cli("build", "--source", root, "--drafts", "--quiet").code == 0
    html = (root / "public/briefs/sheinbaum-no-to-drones-2/index.html").read_text(encoding="utf-8")
    assert "<h1>Sheinbaum: &#39;no&#39; to drones #2</h1>" in html
    assert '<p class="summary lede">yes</p>' in html


def test_new_uses_cwd_as_default_source(make_site, cli, monkeypatch) -> None:
    root = make_site(GOOD)
    monkeypatch.chdir(root)
    run = cli("new", "From here", "--topic", "cartels")
    assert run.code == 0
    rel = f"content/briefs/{dt.date.today().isoformat()}-from-here.md"
    assert run.out == f"created {rel} (a draft: remove 'draft: true' to publish)\n"
    assert (root / rel).is_file()


def test_new_never_overwrites_nor_reuses_a_slug(make_site, cli) -> None:
    today = dt.date.today().isoformat()
    root = make_site({**GOOD, f"content/briefs/{today}-spy-planes-2.md": "precious\n"})
    # 'spy-planes' is the slug of 2025-02-05-spy-planes.md; '...-spy-planes-2.md' exists
    run = cli("new", "Spy Planes", "--topic", "cartels", "--source", root)
    assert run.code == 0, run.err
    path = root / f"content/briefs/{today}-spy-planes-3.md"
    assert run.out == (
        f"created {path} (a draft: remove 'draft: true' to publish)\n"
        "its page is briefs/spy-planes-3/: content/briefs/2025-02-05-spy-planes.md already has "
        "the title's slug\n"
    )
    assert (root / f"content/briefs/{today}-spy-planes-2.md").read_text() == "precious\n"
    assert "title: Spy Planes\n" in path.read_text(encoding="utf-8")


def test_new_avoids_slugs_set_in_front_matter_and_undated_names(make_site, cli) -> None:
    root = make_site(
        {
            **GOOD,
            "content/briefs/2025-02-06-other.md": brief(extra="slug: talks\n"),
            "content/briefs/ceasefire.md": brief(title="Ceasefire"),
        }
    )
    for title, slug in (("Talks", "talks-2"), ("Ceasefire", "ceasefire-2")):
        run = cli("new", title, "--topic", "cartels", "--source", root)
        assert run.code == 0, run.err
        assert f"its page is briefs/{slug}/" in run.out
    run = cli("build", "--source", root, "--drafts", "--quiet")
    assert run.code == 0, run.err  # no two briefs on one page
    assert (root / "public/briefs/talks-2/index.html").is_file()


def test_new_first_brief_in_a_fresh_site_does_not_collide(tmp_path, cli) -> None:
    site = tmp_path / "s"
    assert cli("init", site, "--base-url", "https://news.example/").code == 0
    run = cli("new", "First brief", "--topic", "general", "--source", site)
    assert run.code == 0 and run.err == ""
    assert "its page is briefs/first-brief-2/" in run.out  # init's sample has 'first-brief'
    check = cli("check", "--drafts", "--source", site)
    assert check.code == 0, check.err


def test_new_outside_a_site_is_refused(tmp_path, cli, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    run = cli("new", "Stray", "--topic", "cartels")
    assert (run.code, run.out) == (2, "")
    assert run.err == (
        "briefgen new: error: no site.yaml in the current folder: run it in a site's folder "
        "or pass --source (briefgen init DIR creates a site)\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_new_with_a_near_miss_topic_suggests_the_existing_one(make_site, cli) -> None:
    root = make_site({**GOOD, "content/topics/border.md": topic(title="Border")})
    run = cli("new", "Drones", "--topic", "cartel", "--topic", "border", "--source", root)
    assert run.code == 0  # a new topic is allowed: the brief is written, with a warning
    assert run.err == (
        "briefgen new: warning: topic 'cartel' has no file content/topics/cartel.md; "
        "did you mean 'cartels'?\n"
    )
    [path] = (root / "content/briefs").glob("*-drones.md")
    assert "topics:\n- cartel\n- border\n" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("title", "topics", "message"),
    [
        ("!!!", ["cartels"], "briefgen new: error: cannot make a file name from the title '!!!'\n"),
        (
            "Fine title",
            ["!!"],
            "briefgen new: error: give at least one --topic with letters or digits\n",
        ),
        (
            "Fine title",
            ["cartels", ""],
            "briefgen new: error: give at least one --topic with letters or digits\n",
        ),
    ],
)
def test_new_rejects_bad_input(make_site, cli, title: str, topics: list[str], message: str) -> None:
    root = make_site(GOOD)
    run = cli("new", title, *(f"--topic={t}" for t in topics), "--source", root)
    assert (run.code, run.err) == (2, message)
    assert sorted(p.name for p in (root / "content/briefs").iterdir()) == [
        "2025-02-04-six-cartels.md",
        "2025-02-05-spy-planes.md",
    ]


def test_new_with_a_dash_dash_topic_is_a_usage_error(make_site, cli) -> None:
    root = make_site(GOOD)
    run = cli("new", "Fine title", "--topic=--", "--source", root)
    assert run.code == 2
    assert "Traceback" not in run.err


def test_quiet_check_prints_nothing_when_all_is_well(make_site, cli) -> None:
    root = make_site({"content/briefs/a.md": brief(), "content/topics/cartels.md": topic()})
    run = cli("check", "--source", root, "--quiet")
    assert (run.code, run.out, run.err) == (0, "", "")


def test_quiet_still_prints_warnings_without_a_summary(make_site, cli) -> None:
    root = make_site({"content/briefs/a.md": brief(topics="[undescribed]")})
    run = cli("build", "--source", root, "--quiet")
    assert run.code == 0 and run.out == ""
    assert run.err.startswith("content/briefs/a.md:5:10: warning: topic 'undescribed'")
    assert run.err.count("\n") == 1  # no summary line


def test_build_summary_says_what_it_left_out(make_site, cli, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1748779200")  # 2025-06-01
    root = make_site(
        {
            **GOOD,
            "content/briefs/d1.md": brief(title="D1", extra="draft: true\n"),
            "content/briefs/d2.md": brief(title="D2", extra="draft: true\n"),
            "content/briefs/later.md": brief(title="Later", date="2025-07-01"),
            "content/briefs/gone.md": brief(title="Gone", extra="expires: 2025-05-01\n"),
        }
    )
    for _ in range(2):  # the second build has nothing to do, and says the same
        run = cli("build", "--source", root)
        assert run.code == 0, run.err
        summary = run.out.splitlines()[0]
        assert summary.endswith("(2 drafts, 1 scheduled, 1 expired not published)")
    every = cli("build", "--source", root, "--drafts", "--future", "--expired")
    assert "not published" not in every.out


def test_the_command_line_ends_with_its_output_flushed_and_profiles_written(
    make_site, tmp_path: Path
) -> None:
    """The console script leaves without freeing the site model, but only once its output
    is flushed, and not under a profiler, whose report is written at exit."""
    root = make_site({"content/briefs/a.md": brief(title="Alpha")})
    command = [sys.executable, "-m", "briefgen", "build", "--source", str(root)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("built 1 brief")
    report = tmp_path / "build.prof"
    profiled = [sys.executable, "-m", "cProfile", "-o", str(report), *command[1:]]
    done = subprocess.run(profiled, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert report.stat().st_size > 0
