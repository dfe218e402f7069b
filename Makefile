# Kawal Bansos — the two commands a newcomer needs are `make run` and `make test`.
# Everything else (venv, install, migrations, demo data) happens on the way.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
KAWAL := $(VENV)/bin/kawal
PYBABEL := $(VENV)/bin/pybabel
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint test-postgres bench bench-full i18n migrate seed clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# A development secret is made once per checkout; production sets KAWAL_SECRET_KEY itself.
.env:
	@echo "KAWAL_SECRET_KEY=dev-$$($(PYTHON) -c 'import secrets; print(secrets.token_hex(24))')" > .env
	@echo "Created .env with a development secret key."

migrate: $(STAMP) .env
	$(KAWAL) db upgrade

seed: migrate
	$(KAWAL) seed-demo

# The simulator is turned on for this local run only (and answers only to this machine).
run: seed
	KAWAL_SIMULATOR_ENABLED=true $(KAWAL) serve --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(PY) -m pytest

# Style and types, configured in pyproject.toml ([tool.ruff], [tool.mypy]); CI runs it before the tests.
lint: $(STAMP)
	$(VENV)/bin/ruff check
	$(VENV)/bin/mypy

# Runs the database tests on a throw-away PostgreSQL server too (needs Debian's postgresql).
test-postgres: $(STAMP)
	bash -c 'source .ci/postgres.sh && start_postgres && trap stop_postgres EXIT && KAWAL_TEST_POSTGRES_URL=$$POSTGRES_URL $(PY) -m pytest'

bench: $(STAMP)
	bash benchmarks/run.sh

bench-full: $(STAMP)
	bash benchmarks/run.sh --full

i18n: $(STAMP)
	$(PYBABEL) extract -F babel.cfg -k t -k N_ --no-location --sort-output \
		--project kawal-bansos -o locales/messages.pot conversations app bot
	@for lang in id en; do \
		if [ -f locales/$$lang/LC_MESSAGES/messages.po ]; then \
			$(PYBABEL) update --ignore-obsolete --no-fuzzy-matching -i locales/messages.pot -d locales -l $$lang; \
		else \
			$(PYBABEL) init -i locales/messages.pot -d locales -l $$lang; \
		fi; \
	done
	$(PY) -m app.catalogs fix
	$(PYBABEL) compile --statistics -d locales

clean:
	rm -rf $(VENV) kawal.db kawal.db-wal kawal.db-shm
