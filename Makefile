# gaoxin — `make run` serves the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export GAOXIN_HOME := $(CURDIR)
# pytest keeps its assertion-rewritten test modules as bytecode in __pycache__ (git ignores it):
# with PYTHONDONTWRITEBYTECODE set it rewrites all of them on every run, 10 s before the first test.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run setup test test-sqlite test-postgres lint demo bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Python dependencies are pinned in requirements.lock; reinstall only when it changes.
$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

# Front-end assets are pinned in package-lock.json and served locally (never from a CDN).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

src/gaoxin/static/vendor/.installed: node_modules/.installed scripts/vendor_assets.py
	$(BIN)/python scripts/vendor_assets.py
	touch $@

setup: $(VENV)/.installed src/gaoxin/static/vendor/.installed

run: setup
	$(BIN)/gaoxin migrate --no-input -v0
	$(BIN)/gaoxin collectstatic --no-input -v0
	$(BIN)/gaoxin demo --if-empty
	$(BIN)/gaoxin serve --port $(PORT)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/gaoxin floors
	$(BIN)/gaoxin makemigrations --check --dry-run -v0

# The SQLite run (with the browser tests) and the PostgreSQL run side by side, one per core; each
# prints its output when it ends. (pytest-xdist inside one run would split the one demo build.)
test: setup lint
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

test-sqlite: setup
	$(BIN)/pytest --durations=15

# The same suite on PostgreSQL (browser tests run once, on SQLite). Skipped with a notice when no
# server answers, unless REQUIRE_POSTGRES=1 (CI).
test-postgres: setup
	$(BIN)/python scripts/with_postgres.py $(BIN)/pytest -m "not browser" --reuse-db --durations=15

demo: setup
	$(BIN)/gaoxin migrate --no-input -v0
	$(BIN)/gaoxin demo

bench: setup
	$(BIN)/pip install -q -r bench/requirements.txt
	$(BIN)/python bench/import_enterprises.py
	$(BIN)/python bench/import_projects.py
	$(BIN)/python bench/import_returns.py
	$(BIN)/python bench/statistics_cockpit.py
	$(BIN)/python bench/accept_return.py
	$(BIN)/python bench/utilities.py
	$(BIN)/python bench/utilities_forecast.py
	$(BIN)/python bench/lists.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/load.py --engine sqlite

clean:
	rm -rf $(VENV) node_modules var src/gaoxin/static/vendor
