# Every target creates the local virtualenv on first use from pyproject.toml; nothing is installed by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha256sum pyproject.toml | cut -c1-16)

.PHONY: generate check test lint bench clean

$(STAMP): pyproject.toml
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

generate: $(STAMP)
	$(BIN)/python -m generator generate

check: $(STAMP)
	$(BIN)/python -m generator check

test: $(STAMP)
	$(BIN)/python -m pytest

# Not part of `test`: takes minutes, and its figures mean something only side by side (see
# benchmarks/run.py). The peers go into their own virtualenv, pinned in requirements-peers.txt.
PEERS := benchmarks/.venv-peers
PEERS_STAMP := $(PEERS)/.installed-$(shell sha256sum benchmarks/requirements-peers.txt | cut -c1-16)

$(PEERS_STAMP): benchmarks/requirements-peers.txt
	rm -rf $(PEERS)
	$(PYTHON) -m venv $(PEERS)
	$(PEERS)/bin/python -m pip install --quiet --upgrade pip
	$(PEERS)/bin/python -m pip install --quiet -r benchmarks/requirements-peers.txt
	touch $(PEERS_STAMP)

# The peers run from pip-installed packages, whose bytecode pip compiled; the generator is an
# editable install, compiled here too so that both sides start from .pyc files (where
# PYTHONDONTWRITEBYTECODE is set, nothing else would write them).
bench: $(STAMP) $(PEERS_STAMP)
	$(BIN)/python -m compileall -q generator
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

# The runtime is copied into every generated client as it is: it is kept in black's style (line
# length 88), like the rest of the generated code, so that generation need not format it.
lint: $(STAMP)
	$(BIN)/ruff check generator tests
	$(BIN)/ruff format --check --exclude generator/runtime generator tests
	$(BIN)/black --check --quiet --line-length 88 --target-version py311 generator/runtime
	$(BIN)/mypy

clean:
	rm -rf $(VENV) $(PEERS)
