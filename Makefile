# StudySite: `make run` sets everything up and serves the site; `make test` runs the whole suite.
# Both are idempotent: a second run reuses the virtualenv and keeps the database.

VENV   ?= .venv
# glibc hands freed arrays of a few MB back to the kernel and page-faults them in again on the next
# allocation; on this machine that was half of a BPTT pass. These keep them in the process's heap.
export MALLOC_MMAP_THRESHOLD_ ?= 67108864
export MALLOC_TRIM_THRESHOLD_ ?= 268435456
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000
# The first of these that is Python 3.12 or newer builds the virtualenv (.python-version selects 3.12 under pyenv).
PYTHON_CANDIDATES ?= python3 python3.13 python3.12 python
PYTHON ?= $(shell for p in $(PYTHON_CANDIDATES); do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$p; break; }; done)

.PHONY: run serve-prod setup test test-postgres lint chromium redis axe bench bench-load bench-capacity bench-cluster clean

run: setup
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production profile: debug off, hashed static files served by whitenoise, gunicorn workers.
# Needs DJANGO_SECRET_KEY; behind no TLS proxy (a local try), also set DJANGO_SECURE_SSL_REDIRECT=0.
WORKERS ?= 3
serve-prod: setup
	@if [ -z "$$DJANGO_SECRET_KEY" ]; then \
		echo "serve-prod needs DJANGO_SECRET_KEY, e.g. export DJANGO_SECRET_KEY=\$$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')"; \
		exit 1; fi
	DJANGO_DEBUG=0 $(PY) manage.py check --deploy
	DJANGO_DEBUG=0 $(PY) manage.py collectstatic --noinput --verbosity 0
	DJANGO_DEBUG=0 $(VENV)/bin/gunicorn studysite.wsgi --workers $(WORKERS) --bind $(HOST):$(PORT) \
		--access-logfile - --graceful-timeout 20

setup: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_seed
	$(PY) manage.py redraw_html --verbosity 0
	$(PY) manage.py render_plots

test: $(VENV)/.installed-test chromium redis axe lint
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest

# The same suite on a throwaway PostgreSQL cluster on 127.0.0.1 (installs Debian's postgresql as root).
test-postgres: $(VENV)/.installed-test chromium redis axe
	bash .ci/with-postgres $(VENV)/bin/pytest -q

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

$(PY):
	@if [ -z "$(PYTHON)" ]; then \
		echo "StudySite needs Python 3.12 or newer and none was found (tried: $(PYTHON_CANDIDATES))."; \
		echo "Install one (for example 'pyenv install 3.12') or run: make PYTHON=/path/to/python3.12 $(MAKECMDGOALS)"; \
		exit 1; \
	fi
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements-test.txt requirements.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@ $(VENV)/.installed

# Browser tests drive Debian's Chromium; Playwright never downloads a browser of its own.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
		else echo "Browser tests need Debian's chromium: sudo apt-get install chromium"; exit 1; fi; \
	fi

# The accessibility tests inject axe-core (from npm, pinned in its package.json) into Chromium.
AXE := studysite/tests/axe/node_modules/axe-core/axe.min.js
axe: $(AXE)
$(AXE): studysite/tests/axe/package.json
	@command -v npm >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; } || { echo "The accessibility tests need npm"; exit 1; }
	cd studysite/tests/axe && npm install --no-package-lock --no-audit --no-fund --silent
	touch $@

# The shared-cache tests start a throwaway Redis of their own.
redis:
	@if ! command -v redis-server >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server; \
		else echo "The shared-cache tests need Debian's redis-server: sudo apt-get install redis-server"; exit 1; fi; \
	fi

# Benchmarks compare against PyTorch, whose CPU wheel on this machine is built for Python 3.11.
BENCH_VENV ?= .venv-bench
BENCH_PYTHON ?= python3.11

$(BENCH_VENV)/.installed: requirements-bench.txt
	$(BENCH_PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	touch $@

# Every benchmark runs even when one misses (the leading -); the summary's table then says which did.
# Each runs BENCH_RUNS times in a row: the table shows each target's median run, and whether the runs
# agree within ±10% (benchmarks/agreement.py). `make bench BENCH_RUNS=1` is a quick look.
BENCHMARKS = bptt_speed plots lab integrity variants
BENCH_RUNS ?= 3
RUN_BENCH = benchmarks/agreement.py --runs $(BENCH_RUNS)
bench: $(BENCH_VENV)/.installed $(VENV)/.installed
	rm -f benchmarks/.results.jsonl
	-OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 $(BENCH_VENV)/bin/python $(RUN_BENCH) bptt_speed.py
	-$(PY) $(RUN_BENCH) plots.py
	-$(PY) $(RUN_BENCH) lab.py
	-$(PY) $(RUN_BENCH) integrity.py
	-$(PY) $(RUN_BENCH) variants.py
	$(PY) benchmarks/summary.py $(BENCHMARKS)

# 50 learners against gunicorn, on SQLite and then on a throwaway PostgreSQL; wrk measures throughput.
bench-load: $(VENV)/.installed
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; } || { echo "bench-load needs wrk: sudo apt-get install wrk"; exit 1; }
	$(PY) benchmarks/load.py; sqlite=$$?; bash .ci/with-postgres $(PY) benchmarks/load.py; \
		postgres=$$?; [ $$sqlite = 0 ] && [ $$postgres = 0 ]

# Concurrent learners one host serves (open-loop arrivals, thinking learners, mixed traffic), on SQLite
# and then on a throwaway PostgreSQL; gevent drives the learners.
bench-capacity: $(VENV)/.installed-load
	-$(PY) benchmarks/capacity.py
	-bash .ci/with-postgres $(PY) benchmarks/capacity.py
	$(PY) benchmarks/summary.py capacity

# docs/scaling.md's setup on this machine: two gunicorn hosts behind Debian's nginx, PostgreSQL, Redis and
# db_worker; 50 learners, an admin edit and a killed host mid-run (installs nginx as root if missing).
bench-cluster: $(VENV)/.installed redis
	@command -v nginx >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx; } || { echo "bench-cluster needs nginx: sudo apt-get install nginx"; exit 1; }
	rm -f benchmarks/.results.jsonl
	bash .ci/with-postgres $(PY) benchmarks/cluster.py

$(VENV)/.installed-load: requirements-load.txt requirements.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-load.txt
	touch $@

clean:
	rm -rf $(VENV) $(BENCH_VENV) staticfiles .pytest_cache .ruff_cache
