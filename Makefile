# Two commands: `make run` (set up and serve) and `make test` (set up and test).
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app backend
PORT ?= 5000
# 0.0.0.0 serves the phones on your network too (see README, "On a phone").
HOST ?= 127.0.0.1
PYTHON ?= python3
# Two test processes (pytest-xdist), a test file each at a time: the browser tests
# wait on timers and the network, so two halve the suite's time on two cores.
PYTEST_ARGS ?= -n 2 --dist loadfile

.PHONY: run test lint setup setup-test e2e-deps icons clean

run: setup
	$(FLASK) db upgrade
	$(FLASK) push init-keys
	$(FLASK) run --host $(HOST) --port $(PORT)

test: setup-test e2e-deps lint
	$(PY) -m pytest $(PYTEST_ARGS)

# The layers (import-linter contracts in pyproject.toml) and a small ruff rule set.
lint: setup-test
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff check backend bench scripts migrations

setup: $(VENV)/.installed

setup-test: $(VENV)/.installed-test

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# axe-core for the accessibility checks of the browser tests (injected by the tests only).
e2e-deps:
	@if [ -f tests/e2e/package.json ]; then \
		cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error; fi

icons: setup
	$(PY) scripts/make_icons.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
