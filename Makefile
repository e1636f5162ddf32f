# Jianfu: two set-up commands — `make run` (demo on the embedded default) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed

.PHONY: run test bench eval lint install lock hooks migrate demo worker clean cluster-test

# Installs exactly the versions in uv.lock (with their hashes): uv exports the lock as a requirements file and
# pip installs it; the project itself goes in editable, without resolving anything again.
$(STAMP): pyproject.toml uv.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q 'uv>=0.4'
	$(VENV)/bin/uv export --frozen --extra dev --no-emit-project --quiet -o $(VENV)/requirements.lock.txt
	$(PIP) install -q --require-hashes -r $(VENV)/requirements.lock.txt
	$(PIP) install -q --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

## make lock: resolve pyproject.toml again into uv.lock (after changing a dependency), then `make install`
lock: $(STAMP)
	$(VENV)/bin/uv lock

## make hooks: install the pre-commit hooks (.pre-commit-config.yaml: ruff, ruff-format, mypy, lint-imports,
## makemigrations --check), all run from .venv
hooks: $(STAMP)
	$(VENV)/bin/pre-commit install

## make run: create the virtualenv, install, migrate, load the demo, serve http://127.0.0.1:8000
run: $(STAMP)
	$(PY) manage.py compilemessages -v0 --ignore '.venv/*' 2>/dev/null || true
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:8000

## make test: the whole suite (PostgreSQL/Redis when they answer, else the embedded default)
test: $(STAMP)
	bash scripts/test.sh

## make bench: Tianjin-scale benchmark under gunicorn on PostgreSQL
bench: $(STAMP)
	$(PY) scripts/bench.py

## make eval: task-check accuracy per class on the held-apart set (evals/taskcheck), every miss printed
eval: $(STAMP)
	$(PY) scripts/eval_taskcheck.py

## make cluster-test: two app servers, two workers, PostgreSQL primary + streaming replica, Redis (ports 15400–15499)
cluster-test: $(STAMP)
	$(PY) scripts/cluster_test.py

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy

worker: $(STAMP)
	$(VENV)/bin/celery -A portal worker -B --concurrency 2 --loglevel INFO

clean:
	rm -rf var db.sqlite3
