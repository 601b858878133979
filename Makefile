# Harbour's commands. Every target sets up what it needs, so a fresh machine needs only `make run`
# or `make test`. `make setup` is idempotent: it redoes a step only when its inputs change.

VENV := .venv
PY := $(VENV)/bin/python
HARBOUR := $(VENV)/bin/harbour
PYTHON ?= python3
STAMPS := var/stamps

.PHONY: setup run test test-fast bench lint format clean system-packages

setup: system-packages $(STAMPS)/python $(STAMPS)/frontend $(STAMPS)/validators

# Debian packages a fresh machine may lack: Chromium drives the browser tests.
system-packages:
	@command -v chromium >/dev/null 2>&1 || tools/apt-install chromium
	@command -v npm >/dev/null 2>&1 || tools/apt-install nodejs npm

$(STAMPS)/python: pyproject.toml
	@mkdir -p $(STAMPS)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

# The sector's return validators, in their own environment (they pin older pandas and numpy).
$(STAMPS)/validators: tools/validators/requirements.txt
	@mkdir -p $(STAMPS)
	@test -x .venv-validators/bin/python || $(PYTHON) -m venv .venv-validators
	.venv-validators/bin/python -m pip install --quiet --upgrade pip
	.venv-validators/bin/python -m pip install --quiet -r tools/validators/requirements.txt
	@touch $@

$(STAMPS)/frontend: package.json package-lock.json tools/build-frontend $(wildcard harbour/web/frontend/*)
	@mkdir -p $(STAMPS)
	npm ci --no-audit --no-fund --loglevel=error
	tools/build-frontend
	@touch $@

run: setup
	$(HARBOUR) migrate --no-input
	$(HARBOUR) demo --size medium --years 3
	$(HARBOUR) runserver 127.0.0.1:8000

test: setup
	$(PY) tools/test.py

# For developers between commits: SQLite only, without the browser and large-county tests.
test-fast: setup
	$(VENV)/bin/pytest -n 2 -q -m "not browser and not slow"

bench: setup
	$(PY) tools/bench.py
	$(PY) tools/bench.py pages
	$(PY) tools/bench_forms.py

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(HARBOUR) makemigrations --check --dry-run

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) .venv-validators node_modules var
