# Two commands for a fresh machine with only Python >= 3.11:
#   make demo   the server with Stuttgart demo data on SQLite + in-memory layer
#   make test   the whole test suite (also on PostgreSQL + Redis when DATABASE_URL/REDIS_URL are set)
# Each creates .venv and installs what it needs.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

# Tests and lint need some key; it is never used outside them.
TEST_ENV := DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-test-only-insecure-key}

.PHONY: demo test lint format bench venv messages clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is needed (set PYTHON=python3.11)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

# A secret key of its own for the demo, made once and kept in .venv.
$(VENV)/demo-secret: | $(STAMP)
	@$(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

demo: $(STAMP) $(VENV)/demo-secret
	@export DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat $(VENV)/demo-secret)}" && \
	$(BIN)/python manage.py migrate --no-input && \
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0 && \
	$(BIN)/python manage.py seed_demo && \
	echo "" && \
	echo "  Klima-Community läuft auf http://$(HOST):$(PORT)/  (API: /api/, Doku: /api/docs/)" && \
	echo "  Demo-Konten (Passwort: klima-demo): lena (Leitung), jonas (Mitglied), mira (Moderation), admin" && \
	echo "" && \
	exec $(BIN)/python -m collab.serve --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(TEST_ENV) $(BIN)/python -m pytest $(PYTEST_ARGS)

# Fan-out benchmark (bench/run.py); BENCH_ARGS=--quick for a short run.
bench: $(STAMP)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(TEST_ENV) $(BIN)/mypy .
	$(BIN)/lint-imports --no-cache

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Compile the German (and English) catalogues; the .mo files are committed.
messages: $(STAMP)
	$(TEST_ENV) $(BIN)/python manage.py makemessages --locale de --locale en --ignore '.venv/*' --ignore 'tests/*' --ignore 'bench/*' --ignore 'staticfiles/*' --no-obsolete
	$(TEST_ENV) $(BIN)/python manage.py makemessages --domain djangojs --locale de --locale en --ignore '.venv/*' --ignore 'tests/*' --ignore 'staticfiles/*' --no-obsolete
	$(TEST_ENV) $(BIN)/python manage.py compilemessages --ignore '.venv/*'

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-wal db.sqlite3-shm
