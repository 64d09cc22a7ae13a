# Positive Core: `make run` serves the app, `make test` runs every check.
# Both set up .venv themselves; nothing needs installing by hand.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app workshop
export SOCKETIO_ASYNC_MODE ?= eventlet

.PHONY: run test faults faults-postgres e2e test-postgres bench lint format translations extract-translations \
	update-translations db clean system-deps e2e-deps

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

# Chromium and Playwright for the browser tests (tests/e2e).
e2e-deps: $(VENV)/.dev
	scripts/install-e2e-deps

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

# The whole suite: unit, real-time, live server, PostgreSQL/Redis, and browser tests.
test: system-deps e2e-deps translations lint
	$(BIN)/python -m pytest -m "not faults"

# The fault test (server SIGKILLs, dropped connections), run once: on SQLite,
# and on PostgreSQL (127.0.0.1:5432, trust auth). docs/reliability.md has its figures.
faults: $(VENV)/.dev
	$(BIN)/python -m pytest -m faults tests/test_faults.py -k sqlite

faults-postgres: $(VENV)/.dev
	$(BIN)/python -m pytest -m faults tests/test_faults.py -k postgresql

e2e: system-deps e2e-deps translations
	$(BIN)/python -m pytest tests/e2e

# The core suites again with PostgreSQL as the database (127.0.0.1:5432, trust auth).
test-postgres: $(VENV)/.dev translations
	$(BIN)/python scripts/with-postgres-database $(BIN)/python -m pytest \
		tests/test_workshop_flow.py tests/test_refusals.py tests/test_facilitation.py \
		tests/test_consent_and_export.py tests/test_api.py tests/test_downloads.py tests/test_programmes.py \
		tests/test_import.py tests/test_access_control.py \
		tests/test_privacy.py tests/test_synthesis.py tests/test_programme_privacy.py

bench: $(VENV)/.dev
	$(BIN)/pip install --quiet -r requirements-bench.txt
	$(BIN)/python -m bench.load

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
