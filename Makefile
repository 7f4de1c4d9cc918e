# Set-up and everyday commands. Needs only python3 (3.11+) on the machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FLASK := $(BIN)/flask --app backoffice

.PHONY: install run test lint format browser-deps mail-deps bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## Serve the app on SQLite with demo data at http://127.0.0.1:5000
run: install
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	$(FLASK) run --host 127.0.0.1 --port 5000

## The whole suite (TEST_DATABASE_URL=postgresql://… runs it against PostgreSQL)
test: install browser-deps mail-deps
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -q -c pyproject.toml -r backoffice

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Browser tests drive Debian's Chromium; install it when we may (root), never download a browser.
browser-deps:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

# IMAP tests run a private Dovecot on 127.0.0.1; install Debian's when we may (root).
mail-deps:
	@if { [ ! -x /usr/sbin/dovecot ] || ! command -v openssl >/dev/null; } && [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd openssl >/dev/null; \
	fi

bench: install
	$(BIN)/python bench/console.py

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
