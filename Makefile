# make run  — create .venv, install, seed demo data into an empty database, start the app
# make test — install test needs (Python packages, Chromium, PostgreSQL) and run every test

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
# Imports are ~3x faster with bytecode; this environment may disable writing it.
export PYTHONDONTWRITEBYTECODE :=

.PHONY: run test seed bench system-deps clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

seed: $(VENV)/.runtime
	$(PY) -m core.demo --if-empty

run: seed
	$(PY) -m streamlit run app.py --server.port $(PORT)

system-deps:
	./scripts/system-deps.sh

test: $(VENV)/.dev system-deps
	$(PY) -m pytest

bench: $(VENV)/.dev
	$(PY) bench/photos.py

clean:
	rm -rf $(VENV) .pytest_cache tests/e2e/screenshots
