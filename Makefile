# Positive Core: `make run` serves the app, `make test` runs every check.
# Both set up .venv themselves; nothing needs installing by hand.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app workshop
export SOCKETIO_ASYNC_MODE ?= eventlet

.PHONY: run test lint format translations extract-translations update-translations db clean system-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps re-run pip only when a requirements file changes.
$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# Pango and fonts for PDF exports (apt; only what is missing).
system-deps:
	scripts/install-system-deps

translations: $(VENV)/.runtime
	$(FLASK) translate compile

extract-translations: $(VENV)/.dev
	$(FLASK) translate extract

update-translations: extract-translations
	$(FLASK) translate update

db: $(VENV)/.runtime
	$(FLASK) db upgrade

run: system-deps $(VENV)/.runtime translations db
	$(FLASK) facilitator demo
	$(BIN)/python wsgi.py

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: system-deps $(VENV)/.dev translations lint
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
