# Co-City: `make run` sets up and serves the demo; `make test` runs the checks and the tests.
SHELL := /bin/sh
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run setup install migrate seed test lint typecheck pytest messages bench scan clean help \
	topology topology-test

help:
	@echo "make run    set up (virtualenv, dependencies, database, demo data) and serve the demo"
	@echo "make test   lint, type-check and run the whole test suite"
	@echo "make lint   ruff only"
	@echo "make bench  benchmark on 127.0.0.1 (BENCH_ARGS=\"--sqlite --seconds 5\"; docs/performance.md)"
	@echo "make scan   wapiti security scan of the demo on 127.0.0.1, anonymous and logged in (docs/security.md)"

$(PY):
	@PYTHON=$$(./scripts/find-python) || exit 1; \
	echo "Creating the virtual environment with $$PYTHON"; \
	"$$PYTHON" -m venv $(VENV)

$(STAMP): $(PY) pyproject.toml constraints.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	@mkdir -p var
	$(MANAGE) migrate --noinput -v 0

seed: migrate
	$(MANAGE) seed --if-empty

setup: seed

run: setup
	@$(MANAGE) demo_accounts
	@echo "Serving Co-City at http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	$(MANAGE) runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit --quiet --recursive cocity --severity-level medium
	$(BIN)/lint-imports --no-cache

typecheck: install
	$(BIN)/mypy cocity

pytest: install
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck pytest

messages: install
	$(MANAGE) makemessages -l it -l en --no-obsolete --ignore=.venv --ignore=var
	$(MANAGE) compilemessages --ignore=.venv

bench: install
	$(PY) -m bench.run $(BENCH_ARGS)

scan: install
	./scripts/security-scan

topology: install
	./scripts/topology up

topology-test: topology
	./scripts/topology test

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
