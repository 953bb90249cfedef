# The two commands that matter: `make run` and `make test`. Only Python 3.11+ and make needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export BRI_DATABASE_URL ?= sqlite:///./bri.db

.PHONY: run test test-sqlite lint check bench install clean openapi fuzz load

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## make run: install, migrate a local SQLite file, load the seed, serve on 127.0.0.1:8000
run: $(STAMP)
	$(BIN)/bri db upgrade
	$(BIN)/bri seed
	$(BIN)/bri serve --host 127.0.0.1 --port 8000

## make test: install and run the whole suite on SQLite and PostgreSQL
test: $(STAMP)
	$(BIN)/pytest -n 2 --dist loadgroup

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check app tests
	$(BIN)/mypy app

## make openapi: write the served OpenAPI document to openapi.json (a test fails until you do)
openapi: $(STAMP)
	$(BIN)/python -m app.ops.openapi

## make fuzz: schemathesis against real servers on SQLite and PostgreSQL (also in make test)
fuzz: $(STAMP)
	$(BIN)/pytest tests/ops/test_contract_fuzz.py -q

## make load: a bounded load run on a fresh SQLite file; fails on any non-2xx answer
load: $(STAMP)
	$(BIN)/python benchmarks/load_run.py

bench: $(STAMP)
	bash benchmarks/run.sh

clean:
	rm -rf $(VENV) bri.db build *.egg-info
