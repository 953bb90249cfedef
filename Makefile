# The two commands that matter: `make run` and `make test`. Only Python 3.11+ and make needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export BRI_DATABASE_URL ?= sqlite:///./bri.db

.PHONY: run test test-sqlite lint check bench install clean

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

bench: $(STAMP)
	bash benchmarks/run.sh

clean:
	rm -rf $(VENV) bri.db build *.egg-info
