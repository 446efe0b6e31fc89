# make run   - create .venv, install Companion, open it on the sample serial
# make test  - create .venv with the test extras, check style, run the test suite offscreen
# make bench - the benchmarks under tests/benchmarks (not part of make test)
# make package - a one-folder bundle in dist/companion/ (PyInstaller, packaging/companion.spec)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench package clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	sh packaging/ensure-qt-libs.sh $(BIN)/python xcb
	$(BIN)/companion

lint: $(VENV)/.installed-test
	$(BIN)/ruff check companion tests

test: $(VENV)/.installed-test lint
	sh packaging/ensure-qt-libs.sh $(BIN)/python offscreen
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:cacheprovider

bench: $(VENV)/.installed-test
	sh packaging/ensure-qt-libs.sh $(BIN)/python offscreen
	@for b in tests/benchmarks/bench_*.py; do \
	  echo "== $$b"; QT_QPA_PLATFORM=offscreen $(BIN)/python $$b || exit 1; done

$(VENV)/.installed-package: $(VENV)/.installed-run
	$(BIN)/python -m pip install -q 'pyinstaller>=6.10'
	touch $@

package: $(VENV)/.installed-package
	rm -rf dist/companion
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist \
	  --workpath build/pyinstaller packaging/companion.spec
	@echo "Built dist/companion/ ($$(du -sh dist/companion | cut -f1)); run dist/companion/companion"

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache
