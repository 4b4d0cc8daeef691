# Living Well: two commands on a fresh machine.
#   make demo   the platform on SQLite with a seeded synthetic site, at http://127.0.0.1:$(PORT)
#   make test   lint, types, the suite on SQLite and on PostgreSQL, and the browser tests
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
SCALE ?= 10000
PEOPLE ?= 2000
SEED ?= 2026
PYTEST_WORKERS ?= 2

.PHONY: help demo serve worker test lint typecheck test-sqlite test-postgres test-browser bench lock clean

help:
	@echo "make demo    serve the seeded demo site at http://127.0.0.1:$(PORT)"
	@echo "make worker  run the task worker on the demo database (make demo starts one too)"
	@echo "make test    lint, type-check and run every test (SQLite, PostgreSQL, browser)"
	@echo "make bench   benchmark the pages at SCALE people (default 10000)"

# Python dependencies, pinned with hashes (requirements/*.txt are compiled by `make lock`).
$(VENV)/.installed: requirements/base.txt requirements/dev.txt
	@test -x $(PY) || "$$(scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes \
		-r requirements/base.txt -r requirements/dev.txt
	@touch $@

# Front-end packages (NHS.UK frontend, HTMX, axe-core), pinned by package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(VENV)/.installed node_modules/.installed

demo: install
	LIVINGWELL_ENV=demo $(PY) manage.py collectstatic --noinput --verbosity 0
	LIVINGWELL_ENV=demo $(PY) manage.py migrate --noinput --verbosity 0
	LIVINGWELL_ENV=demo $(PY) manage.py seed_demo --people $(PEOPLE) --seed $(SEED)
	@echo "Serving Living Well at http://127.0.0.1:$(PORT), with the task worker  (Ctrl+C to stop)"
	LIVINGWELL_ENV=demo $(PY) manage.py run_worker --verbosity 0 & worker=$$!; \
		trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
		LIVINGWELL_ENV=demo $(PY) manage.py runserver 127.0.0.1:$(PORT) --noreload

# The task worker (directory feed refreshes; ADR 9) on the demo database, for when the site is served another way.
worker: install
	LIVINGWELL_ENV=demo $(PY) manage.py run_worker

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy livingwell

test-sqlite: install
	LIVINGWELL_ENV=test $(PY) manage.py makemigrations --check --dry-run --verbosity 0
	LIVINGWELL_ENV=test $(VENV)/bin/pytest -m "not browser" -n $(PYTEST_WORKERS) -q

test-postgres: install
	scripts/install-system-packages
	LIVINGWELL_ENV=test scripts/with-postgres $(VENV)/bin/pytest -m "not browser" -n $(PYTEST_WORKERS) -q

test-browser: install
	scripts/install-system-packages
	LIVINGWELL_ENV=test $(VENV)/bin/pytest -m browser -q

test: lint typecheck test-sqlite test-postgres test-browser

bench: install
	SCALE=$(SCALE) scripts/bench

# Recompile the pinned requirements after editing requirements/*.in.
lock: $(VENV)/.installed
	cd requirements && ../$(VENV)/bin/pip-compile -q --generate-hashes --strip-extras --allow-unsafe -o base.txt base.in
	cd requirements && ../$(VENV)/bin/pip-compile -q --generate-hashes --strip-extras --allow-unsafe -o dev.txt dev.in

clean:
	rm -rf $(VENV) node_modules var/static
