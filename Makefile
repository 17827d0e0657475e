# The two commands of the quick start, each doing all of its own set-up on a fresh clone:
#   make site   virtualenv + briefgen, then build the example site into public/
#   make test   virtualenv + test extras, then every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: site test lint clean

site: $(VENV)/.site-installed
	$(BIN)/briefgen build

test: $(VENV)/.test-installed
	$(BIN)/python -m pytest

lint: $(VENV)/.test-installed
	$(BIN)/python -m ruff check briefgen tests
	$(BIN)/python -m ruff format --check briefgen tests

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.site-installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.site-installed

clean:
	rm -rf $(VENV) public .pytest_cache
