# make run  — create .venv, install, seed demo data into an empty database, start the app
# make test — install test needs (Python packages, Chromium, PostgreSQL) and run every test

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
# Imports are ~3x faster with bytecode; this environment may disable writing it.
export PYTHONDONTWRITEBYTECODE :=

.PHONY: run test seed bench system-deps clean
# The UI's CJK web font, cut from the bundled Noto Sans CJK to the characters the desk shows.
WEB_FONT := static/fonts/NotoSansSC-Regular.woff2

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

$(WEB_FONT): core/fonts.py $(wildcard core/messages/*.py) | $(VENV)/.runtime
	$(PY) -m core.fonts $@

seed: $(VENV)/.runtime $(WEB_FONT)
	$(PY) -m core.demo --if-empty

run: seed
	$(PY) -m streamlit run app.py --server.port $(PORT)

system-deps:
	./scripts/system-deps.sh

test: $(VENV)/.dev $(WEB_FONT) system-deps
	$(PY) -m pytest

bench: $(VENV)/.dev
	$(PY) bench/photos.py

clean:
	rm -rf $(VENV) .pytest_cache tests/e2e/screenshots static/fonts
