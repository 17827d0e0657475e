"""The benchmark's rich corpus (``bench/corpus.py --rich``) and the targets ``bench/run.py``
reads for each corpus: the same seed gives the same bytes, a brief depends on its index only,
a rich brief holds what bench/README.md says it does, and briefgen builds a rich corpus with no
error and about three warnings a brief (its sources never cited)."""

from __future__ import annotations

import importlib.util
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from briefgen.pipeline.build import build

from conftest import REPO, bench_corpus

BENCH = REPO / "bench"


@pytest.fixture(scope="module")
def corpus() -> ModuleType:
    return bench_corpus()


def _files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_a_rich_corpus_is_the_same_bytes_twice(tmp_path: Path) -> None:
    """Two runs of the command line, each with its own hash seed: no set or dict order, no
    clock and no shared generator reaches the text."""
    for name, hash_seed in (("first", "1"), ("second", "2")):
        subprocess.run(
            [sys.executable, str(BENCH / "corpus.py"), "120", str(tmp_path / name), "--rich"],
            check=True,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
        )
    first, second = _files(tmp_path / "first"), _files(tmp_path / "second")
    assert sum(name.startswith("content/briefs/") for name in first) == 120
    assert first == second


def test_the_first_100_rich_briefs_of_1000_are_the_100_corpus(corpus: ModuleType) -> None:
    small = corpus.generate(100, rich=True)
    large = corpus.generate(1000, rich=True)
    assert large.briefs[:100] == small.briefs
    assert large.briefs[100] not in small.briefs


def test_a_rich_brief_holds_lists_a_quote_two_tables_and_about_40_spans(
    corpus: ModuleType,
) -> None:
    rich = corpus.generate(200, rich=True)
    light = corpus.generate(200)
    assert rich.rich and not light.rich
    spans, words, uncited, nested, shapes = [], [], [], 0, set()
    for brief, plain in zip(rich.briefs, light.briefs, strict=True):
        # the light corpus's brief of the same index, but for its sources, tags and body
        same = ("slug", "title", "date", "summary", "topics", "key_facts")
        assert [getattr(brief, name) for name in same] == [getattr(plain, name) for name in same]
        body = brief.body
        tables = re.findall(r"^(\|.*\|)\n\|[-:|]+\|$", body, re.M)
        assert len(tables) == 2 and tables[0] != tables[1], brief.slug
        shapes.update(tables)
        assert re.search(r"^- \S", body, re.M) and re.search(r"^1\. \S", body, re.M), brief.slug
        assert re.search(r"^> \S", body, re.M), brief.slug
        nested += bool(re.search(r"^    - \S", body, re.M))
        spans.append(
            len(re.findall(r"(?<![*\w])\*[^*\s][^*]*\*(?![*\w])", body))  # emphasis
            + len(re.findall(r"\*\*[^*]+\*\*", body))
            + len(re.findall(r"`[^`]+`", body))
            + len(re.findall(r"\]\((?:https://|\d{5}-[a-z0-9-]+\.md\))", body))
        )
        words.append(len(body.split()))
        cited = set(re.findall(r"\[@s(\d)\]", body))
        assert 3 <= len(brief.sources) <= 5 and len(cited) <= 2
        uncited.append(len(brief.sources) - len(cited))
    assert len(shapes) >= 4  # tables of every shape across the corpus
    assert 0.3 * len(spans) <= nested <= 0.9 * len(spans)  # some lists nest, not all
    assert 36 <= statistics.mean(spans) <= 44 and min(spans) >= 25
    assert 750 <= statistics.mean(words) <= 900
    assert 2.7 <= statistics.mean(uncited) <= 3.3


def test_a_small_rich_corpus_builds_with_no_error_and_three_warnings_a_brief(
    corpus: ModuleType, tmp_path: Path
) -> None:
    root = tmp_path / "site"
    briefs = 60
    generated = corpus.generate(briefs, rich=True)
    corpus.write_site(generated, root, social_cards=False)
    result = build(root, jobs=1)
    assert result.diagnostics.errors == []
    warnings = result.diagnostics.warnings
    assert {warning.kind for warning in warnings} == {"uncited-source"}
    expected = sum(
        len(brief.sources) - len(set(re.findall(r"\[@s\d\]", brief.body)))
        for brief in generated.briefs
    )
    assert len(warnings) == expected
    assert 2.5 * briefs <= len(warnings) <= 3.5 * briefs
    # the Markdown is rendered as Markdown: the middle brief's page has every kind of block
    middle = generated.briefs[briefs // 2]
    page = (root / "public" / "briefs" / middle.slug / "index.html").read_text("utf-8")
    for element in ("<ul>", "<ol>", "<blockquote>", "<em>", "<strong>", "<code>"):
        assert element in page, element
    assert page.count("<table") >= 2
    assert re.search(r"<a href=\"https://[^\"]+\.example/", page)


@pytest.fixture
def bench_run(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """``bench/run.py`` as a module (it imports ``corpus`` and ``sites`` from bench/)."""
    monkeypatch.syspath_prepend(str(BENCH))
    spec = importlib.util.spec_from_file_location("bench_run", BENCH / "run.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_run_measures_both_corpora_unless_told(bench_run: ModuleType) -> None:
    assert bench_run.parse_args([]).corpus == ["light", "rich"]
    assert bench_run.parse_args(["--corpus", "rich"]).corpus == ["rich"]
    with pytest.raises(SystemExit) as exit_info:
        bench_run.parse_args(["--corpus", "heavy"])
    assert exit_info.value.code == 2


def test_each_corpus_has_its_own_bound_for_a_cold_build(bench_run: ModuleType) -> None:
    """1.2× Hugo's cold build misses the light corpus's bound (1.0×) and meets the rich
    corpus's (1.5×); each corpus is set against Hugo's build of the same corpus."""

    def result(tool: str, scenario: str, wall: float, corpus: str) -> object:
        sample = bench_run.Sample(wall, wall, 0, 0, 0)
        return bench_run.Result(10_000, tool, scenario, corpus, [sample])

    results = [
        result("hugo", "cold", 10.0, "light"),
        result("hugo", "cold", 20.0, "rich"),
        result("briefgen", "cold", 12.0, "light"),
        result("briefgen", "cold", 24.0, "rich"),
        result("briefgen", "nothing changed", 0.4, "light"),
        result("briefgen", "one edit", 0.6, "light"),
        result("briefgen", "one edit", 0.6, "rich"),
    ]
    light = bench_run.targets(results, "light")
    rich = bench_run.targets(results, "rich")
    assert "cold ≤ 1.0× Hugo cold at 10k: 12.00 s / 10.00 s = 1.200× FAIL" in light
    assert "cold ≤ 1.5× Hugo cold at 10k: 24.00 s / 20.00 s = 1.200× PASS" in rich
    assert "nothing changed ≤ 0.05× Hugo cold at 10k: 0.40 s / 10.00 s = 0.040× PASS" in light
    assert "nothing changed ≤ 0.05× Hugo cold at 10k: not measured" in rich
    assert "one edit ≤ 0.05× Hugo cold at 10k: 0.60 s / 10.00 s = 0.060× FAIL" in light
    assert "one edit ≤ 0.05× Hugo cold at 10k: 0.60 s / 20.00 s = 0.030× PASS" in rich


def test_the_targets_at_100000_briefs_are_checked_when_measured(bench_run: ModuleType) -> None:
    """make bench-100k: growth from 10,000 briefs, one edit and peak memory at 100,000."""
    mb = bench_run.MB

    def result(size: int, scenario: str, wall: float, pss_mb: int) -> object:
        sample = bench_run.Sample(wall, wall, 0, 0, 0, tree_pss=pss_mb * mb)
        return bench_run.Result(size, "briefgen", scenario, "light", [sample])

    small = [result(10_000, "cold", 20.0, 400)]
    assert not any("100k" in line for line in bench_run.targets(small, "light"))
    results = small + [
        result(100_000, "cold", 230.0, 1200),
        result(100_000, "one edit", 2.5, 1600),
    ]
    lines = bench_run.targets(results, "light")
    assert "cold 100k ≤ 11× cold 10k: 230.00 s / 20.00 s = 11.50× FAIL" in lines
    assert "one edit at 100k ≤ 2 s: 2.50 s FAIL" in lines
    assert "peak memory at 100k ≤ 1536 MB: tree PSS 1600 MB FAIL" in lines


def test_the_sampler_reads_pss_a_twentieth_of_the_time_at_most(
    bench_run: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading PSS slows the process measured; RSS, which costs nothing, is read each time."""
    import subprocess
    import time

    assert bench_run.pss_pause(0.05) == pytest.approx(0.95)
    reads: list[int] = []

    def slow_pss(pid: int) -> int:
        time.sleep(0.02)
        reads.append(pid)
        return 1 << 20

    monkeypatch.setattr(bench_run, "_pss", slow_pss)
    child = subprocess.Popen(["sleep", "5"])
    try:
        sampler = bench_run.TreeSampler()
        for _ in range(5):
            sampler.sample()
        # one reading of the tree (this process may have other children besides `sleep`)
        assert reads.count(child.pid) == 1 and len(reads) == len(set(reads))
        assert sampler.peak_tree_pss >= 1 << 20 and sampler.peak_tree > 0
        time.sleep(max(0.0, sampler._pss_due - time.perf_counter()) + 0.01)
        sampler.sample()
        assert reads.count(child.pid) == 2
    finally:
        child.kill()
        child.wait()


def test_tools_run_with_their_bytecode_kept_and_no_colour(
    bench_run: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    env = bench_run.tool_environment()
    assert "PYTHONDONTWRITEBYTECODE" not in env
    assert env["NO_COLOR"] == "1"
    assert os.environ["PYTHONDONTWRITEBYTECODE"] == "1"  # the bench's own is left alone
