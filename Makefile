# The commands a newcomer needs. `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/safeguard
PYTEST_WORKERS ?= 2

.PHONY: install demo demo-data serve test test-postgres test-probe test-browser test-a11y test-a11y-ci test-fault lint audit docs bench bench-data scale-demo clean

$(BIN)/activate:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed (set PYTHON=/path/to/python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $@

install: $(VENV)/.installed

demo: install
	rm -f safeguard.sqlite3 safeguard.sqlite3-wal safeguard.sqlite3-shm
	SAFEGUARD_DEV=1 $(BIN)/safeguard migrate --no-input
	SAFEGUARD_DEV=1 $(BIN)/safeguard demo-data
	@echo "Serving the demo on http://127.0.0.1:$(PORT)/ — sign in with a login from README.md"
	SAFEGUARD_DEV=1 $(BIN)/safeguard runserver 127.0.0.1:$(PORT)

test: install
	SAFEGUARD_TESTING=1 $(BIN)/pytest -m "not browser and not probe" -n $(PYTEST_WORKERS) -q

# The suite again on PostgreSQL. tests/rules is left out: the rules package may not import Django (the
# import contract), so its tests touch no database and the SQLite run has already run them (2 minutes).
test-postgres: install
	@$(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)'.rsplit('/',1)[0]+'/postgres', connect_timeout=5).close()" \
	  || { echo "Cannot connect to PostgreSQL at $(PG_URL)"; exit 1; }
	SAFEGUARD_TESTING=1 DATABASE_URL=$(PG_URL) $(BIN)/pytest -m "not browser and not probe" -n $(PYTEST_WORKERS) -q --create-db \
	  --ignore=tests/rules

# schemathesis against /api/schema/ as three roles, bounded examples, on PostgreSQL: no 500s.
test-probe: install
	@$(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)'.rsplit('/',1)[0]+'/postgres', connect_timeout=5).close()" \
	  || { echo "Cannot connect to PostgreSQL at $(PG_URL)"; exit 1; }
	SAFEGUARD_TESTING=1 DATABASE_URL=$(PG_URL) $(BIN)/pytest -m probe -p no:xdist -q --create-db tests/probe

test-browser: install
	SAFEGUARD_TESTING=1 $(BIN)/pytest -m "browser and not a11y_everywhere" -q -p no:xdist tests/browser

# The axe scan of every page the authorization matrix lists, as each role that may open it, and the key
# states (forms sent empty, an empty and a long list); not part of .ci/run (its time budget). -s shows
# its figures. SAFEGUARD_A11Y_WORKERS=2 threads; SAFEGUARD_A11Y_ROLES=a,b limits it to some roles.
test-a11y: install
	SAFEGUARD_TESTING=1 $(BIN)/pytest -m a11y_everywhere -q -s -p no:xdist tests/browser

# CI's share of it (.ci/run): every kind of page once, as the first role that may open it, and the key states.
test-a11y-ci: install
	SAFEGUARD_TESTING=1 SAFEGUARD_A11Y_EACH_PAGE_ONCE=1 $(BIN)/pytest -m a11y_everywhere -q -s -p no:xdist tests/browser

# PostgreSQL restarted under load (loopback only, bounded, stops by itself): the product's 503, recovery
# without a restart, no partial writes, the audit chain verifies; figures in docs/reliability.md. It
# restarts the machine's PostgreSQL cluster, so it is not part of .ci/run.
test-fault: install
	$(BIN)/python bench/fault.py

lint: install
	$(BIN)/ruff check safeguard tests bench tools
	$(BIN)/python tools/supply_chain.py exceptions
	$(BIN)/python tools/supply_chain.py audit
	SAFEGUARD_DEV=1 $(BIN)/safeguard makemigrations --check --dry-run
	$(BIN)/lint-imports
	SAFEGUARD_DEV=1 $(BIN)/mypy
	SAFEGUARD_DEV=1 $(BIN)/safeguard rules docs --check

# pip-audit of the locked dependencies (also part of lint); says loudly when it cannot audit.
audit: install
	$(BIN)/python tools/supply_chain.py audit

docs: install
	SAFEGUARD_DEV=1 $(BIN)/safeguard rules docs --write

BENCH_SCALE ?= small
BENCH_USERS ?= 20
BENCH_SECONDS ?= 3

# The language check's speed, then the page benchmark (docs/performance.md). SQLite unless
# DATABASE_URL is set; `make bench BENCH_SCALE=region DATABASE_URL=postgres://…/sg_bench_region`.
bench: install
	$(BIN)/python bench/language_bench.py
	$(BIN)/python bench/run.py --scale $(BENCH_SCALE) --users $(BENCH_USERS) --seconds $(BENCH_SECONDS)

# Two gunicorn nodes behind nginx, a throw-away PostgreSQL primary and a streaming replica, all on
# loopback in a temporary directory; throughput with one node and with two (docs/performance.md).
scale-demo: install
	$(BIN)/python bench/scale_demo.py --scale $(BENCH_SCALE) --users $(BENCH_USERS) --seconds $(BENCH_SECONDS)

bench-data: install
	SAFEGUARD_DEV=1 $(BIN)/safeguard bench-data --scale $(BENCH_SCALE)

clean:
	rm -rf $(VENV) staticfiles safeguard.sqlite3 safeguard.sqlite3-* .pytest_cache
