# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export FLASK_APP := app
# Where `make run` serves: `make run PORT=8080` or `make run HOST=0.0.0.0 PORT=8080`
# (port 5000 is often taken, e.g. by macOS AirPlay).
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install install-test ci lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	scripts/install-system-deps

## run: install, migrate the SQLite database, load demo data when empty, serve http://$(HOST):$(PORT)
run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask demo-data --if-empty
	@echo "Open http://$(HOST):$(PORT) and log in with one of the accounts printed above."
	@echo "(Passwords are generated and shown once; run '$(BIN)/flask demo-data' again to reset them.)"
	$(BIN)/flask run --host $(HOST) --port $(PORT)

## test: install the test dependencies and run the whole suite (SQLite; TEST_DATABASE_URL for PostgreSQL)
test: install-test
	$(BIN)/pytest -q -n auto

lint: install-test
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis
