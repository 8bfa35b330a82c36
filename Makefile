# RianTo — the two commands: `make run` (local mode with the simulator) and `make test`.
# Both set up everything on a fresh machine: a virtual environment in .venv, the project and
# its test dependencies from PyPI, and (for the browser tests) Debian's chromium.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 8000

.PHONY: install run test test-fast lint bench eval clean bench-console chaos

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) is required"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## Run the bot in local mode: web (gunicorn) + worker, LINE replaced by a built-in fake.
## Open http://127.0.0.1:$(PORT)/ and chat.
run: $(STAMP)
	LOCAL_MODE=1 PUBLIC_URL=http://127.0.0.1:$(PORT) $(BIN)/flask --app bot init-db
	LOCAL_MODE=1 PORT=$(PORT) BIN=$(BIN) scripts/run-local

## Install everything and run the whole suite (SQLite, plus PostgreSQL when
## TEST_DATABASE_URL is set, plus headless Chromium), in one pytest process per core
## (pytest-xdist; an idle process takes tests from a busy one, so the long browser and real-process
## files do not leave one core idle at the end; PYTEST_WORKERS=0 runs them in this one).
PYTEST_WORKERS ?= auto
PYTEST_PARALLEL = -n $(PYTEST_WORKERS) --dist worksteal

test: $(STAMP)
	scripts/ensure-debian-packages
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) -m "not browser and not slow" $(PYTEST_ARGS)

## Layers (import-linter), style (ruff: the packages, the benchmarks and the tests) and types (mypy) over
## the packages (pyproject.toml).
lint: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/ruff check bot handlers nlp models bench tests
	$(BIN)/mypy bot handlers nlp models

## Webhook throughput and latency: our bot (SQLite, PostgreSQL) vs a minimal echo bot.
bench: $(STAMP)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

## The staff console at scale: seeds a scratch PostgreSQL database (on TEST_DATABASE_URL's server)
## with 1,000,000 cases, measures the console's pages under gunicorn (BENCH_CONSOLE_ARGS=--cases 50000 for a quick look).
bench-console: $(STAMP)
	$(BIN)/python -m bench.console $(BENCH_CONSOLE_ARGS)

## The chaos suite: the real web process (shipped gunicorn settings) and worker on a PostgreSQL
## cluster of its own (initdb as the postgres user, a free port), the fake LINE on loopback; LINE
## errors, timeouts, quota, outage, a killed worker, a database restart, slow clients, floods,
## generated and bad payloads, erasure. Prints one table (about 5 minutes).
chaos: $(STAMP)
	$(BIN)/python -m bench.chaos $(CHAOS_ARGS)

## NLU quality: the old test set, the two independent held-out sets (per category) and real chatter
## (heldout2/chatter2 were written blind in a later sitting, after the first had been reported on).
eval: $(STAMP)
	$(BIN)/python -m nlp.evaluate nlp/data/test.jsonl nlp/data/heldout.jsonl nlp/data/chatter.jsonl \
		nlp/data/heldout2.jsonl nlp/data/chatter2.jsonl nlp/data/heldout3.jsonl nlp/data/heldout4.jsonl

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis
