# One command each. `make run` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test test-browser screenshots test-postgres lint lint-imports format migrations-check bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: install  ## migrate, load the demo newsroom and serve it on 127.0.0.1:8000
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

test: install  ## the whole test suite (DATABASE_URL picks the database; SQLite by default)
	$(PY) -m pytest

test-browser: install  ## only the Playwright tests (tests/browser/); they need Debian's chromium
	$(PY) -m pytest tests/browser

screenshots: install  ## run the browser tests and refresh the README's pictures in docs/screenshots/
	DOC_SCREENSHOTS=1 $(PY) -m pytest tests/browser

test-postgres: install
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom $(PY) -m pytest

lint: install lint-imports
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

lint-imports: install  ## the layers of articles/ and no import cycles (contracts in pyproject.toml)
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
