# The two set-up commands of the README: `make demo` and `make test`.
# Both create .venv and install synbot into it on first use.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
STAMP = $(VENV)/.installed-stamp

.PHONY: demo test lint bench docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	cd examples/dictionary && ../../$(BIN)/synbot check . ; test $$? -le 1
	cd examples/dictionary && ../../$(BIN)/synbot explain synonyms/food.txt

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check synonyms bot
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

docs: $(STAMP)
	$(BIN)/python -m synonyms.checks.docs > docs/checks.md

clean:
	rm -rf $(VENV) build *.egg-info
