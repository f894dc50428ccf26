# Voices: `make run` serves the demo, `make test` runs the whole suite. Both set up what they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed
# red-dwarf, measured against our opinion maps by `make bench`, lives in its own venv: never a
# dependency of Voices itself.
BENCH_VENV := var/bench-venv
BENCH_STAMP := $(BENCH_VENV)/.installed

.PHONY: install analysis-compiled run test lint worker totp messages bench clean

install: $(STAMP) var/local.env

$(STAMP): requirements.lock requirements-dev.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Voices needs Python 3.11 or newer.")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock -r requirements-dev.lock
	touch $(STAMP)

# The opinion-map analysis compiles its inner loops once (numba caches the machine code beside
# the modules); doing it here keeps the first analysis, test or benchmark from waiting for it.
analysis-compiled: install
	$(PY) -m voices.opinions.analysis.warm

# Local settings for `make run` and manage.py: a random secret, plain http on 127.0.0.1.
var/local.env:
	mkdir -p var
	printf 'SECRET_KEY=%s\nDEBUG=0\nHTTPS=0\nALLOWED_HOSTS=127.0.0.1,localhost\n' \
		"$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > var/local.env

run: install analysis-compiled
	$(PY) manage.py migrate --no-input -v0
	$(PY) manage.py collectstatic --no-input -v0
	$(PY) manage.py seed_demo
	@echo "Voices is at http://127.0.0.1:$(PORT)/ (Ctrl+C stops it; 'make worker' sends emails)."
	set -a && . var/local.env && set +a && exec $(PY) -m gunicorn voices.wsgi \
		--bind 127.0.0.1:$(PORT) --workers 2 --access-logfile -

# The task worker, plus the scheduler that enqueues recurring tasks (reminders, digests).
worker: install
	$(PY) manage.py periodic --loop 300 & trap 'kill $$!' EXIT; $(PY) manage.py db_worker

totp: install
	@$(PY) manage.py demo_totp $(USER)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The suite runs on every core (pytest-xdist); PYTEST_ARGS adds options, e.g. PYTEST_ARGS="-x".
test: install lint analysis-compiled
	$(PY) manage.py makemigrations --check --dry-run -v0
	$(VENV)/bin/pytest -n auto $(PYTEST_ARGS)

messages: install
	cd voices && ../$(PY) ../manage.py makemessages -l fr -l de -l it -l el -l bg -l hu -l ro -l ar -l fa -l uk --no-obsolete --no-wrap --ignore "tests/*" --ignore "*/tests/*" --add-location file
	cd voices && ../$(PY) ../manage.py compilemessages

$(BENCH_STAMP): bench/requirements-reddwarf.lock
	test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r bench/requirements-reddwarf.lock
	touch $(BENCH_STAMP)

bench: install analysis-compiled $(BENCH_STAMP)
	$(PY) bench/run.py
	$(PY) bench/opinions.py --reddwarf-python $(BENCH_VENV)/bin/python

clean:
	rm -rf $(VENV) var/static
