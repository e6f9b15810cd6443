# Welcome Center Portal: the few commands a developer needs.
#
#   make run     install, migrate, demo data, then web + Celery worker + beat (Ctrl-C stops all)
#   make test    ruff, the migrations guard, then the whole pytest suite
#
# Everything runs from the project's own virtualenv in .venv; nothing is installed globally.

# One bash per recipe with strict mode, so that a failing step stops the recipe and variables
# exported in one line (DATABASE_URL in `make test`) are seen by the next.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.ONESHELL:
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
# Debian 12's python3 is 3.11; python3.11 is preferred where several Pythons are installed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
# Written after a successful install; inside .venv so that deleting .venv forces a reinstall.
STAMP := $(VENV)/.requirements.lock.installed

# `make run DEMO_PASSWORD=...` sets the demo users' password (else seed_demo makes one up).
# Taken verbatim ($(value)): make would otherwise expand a "$" inside the password.
override DEMO_PASSWORD := $(value DEMO_PASSWORD)
export DEMO_PASSWORD
# Extra arguments for pytest, e.g. `make test ARGS="-k permission -x"`.
ARGS ?=

.PHONY: help venv install run test lint messages bench scan

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the lock changed since the last successful install.
$(STAMP): requirements.lock | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

venv: $(STAMP) ## create .venv and install requirements.lock (fast when nothing changed)
install: $(STAMP) ## same as venv

run: install ## migrate, collect static files, seed demo data, start web + worker + beat
	@set -x
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput --verbosity 0
	# The .mo files are committed: compiling is only a refresh, skipped without gettext.
	if command -v msgfmt >/dev/null && [ -d locale ]; then
	  $(MANAGE) compilemessages --ignore=.venv --ignore=var --verbosity 0
	fi
	$(MANAGE) seed_demo $${DEMO_PASSWORD:+--password "$$DEMO_PASSWORD"}
	exec bin/run-dev

# Database: DATABASE_URL if set, else PostgreSQL on 127.0.0.1:5432 if it answers, else SQLite
# (with a notice). Broker: REDIS_URL if set, else Redis on 127.0.0.1:6379 (db 15, so a test run
# never touches a developer's data in db 0), else the filesystem broker under var/.
test: install ## ruff, makemigrations --check, then the whole suite (PostgreSQL if reachable)
	@port_open() { $(PY) -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1)' "$$1" 2>/dev/null; }
	if [ -z "$${DATABASE_URL:-}" ]; then
	  if port_open 5432; then
	    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/welcome_center
	  else
	    echo "*** PostgreSQL not reachable: running the suite on SQLite (var/test.sqlite3). ***"
	  fi
	fi
	if [ -z "$${REDIS_URL:-}" ] && port_open 6379; then
	  export REDIS_URL=redis://127.0.0.1:6379/15
	fi
	# CI exports REQUIRE_POSTGRES=1: stop here rather than test on SQLite by accident
	# (tests/conftest.py refuses too; this says it before ruff and migrations run).
	if [ "$${REQUIRE_POSTGRES:-}" = 1 ] && [[ "$${DATABASE_URL:-}" != postgres* ]]; then
	  echo "REQUIRE_POSTGRES=1 but DATABASE_URL is not a PostgreSQL URL." >&2; exit 1
	fi
	[ -x /usr/bin/chromium ] || echo "*** /usr/bin/chromium missing: the browser tests will fail (apt-get install chromium). ***"
	echo "database: $${DATABASE_URL:-SQLite}  broker: $${REDIS_URL:-filesystem (var/broker)}"
	set -x
	$(VENV)/bin/ruff check .
	$(MANAGE) makemigrations --check --dry-run
	rc=0; $(VENV)/bin/pytest $(ARGS) || rc=$$?
	{ set +x; } 2>/dev/null
	# Exit code 5 means "no tests collected": a suite that tests nothing must not pass.
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing." >&2; fi
	exit $$rc

lint: install ## ruff check and ruff format --check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# German and English always; the intake's further languages wherever locale/<code>/ exists.
LOCALES = $(sort de en $(notdir $(wildcard locale/*)))

messages: install ## update the locale/*/ .po files from the code, then compile the .mo files
	$(MANAGE) makemessages $(addprefix -l ,$(LOCALES)) --ignore=.venv --ignore=var --ignore=node_modules --ignore=static/vendor
	$(MANAGE) compilemessages --ignore=.venv --ignore=var --ignore=node_modules

bench: install ## run the benchmarks (bench/run.sh) when they exist
	if [ -f bench/run.sh ]; then
	  exec bash bench/run.sh
	else
	  echo "No benchmarks yet: bench/run.sh does not exist (later issues add it)."
	fi

# Not part of `make test`: about 10 minutes, and it needs PostgreSQL, wapiti and sqlmap.
scan: install ## wapiti and sqlmap against gunicorn on 127.0.0.1 (reports in var/scan/)
	exec bash bench/scan.sh
