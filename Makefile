# reportgen: every command the README needs. The first run creates .venv from
# the lock file (uv.lock) with a pinned uv; nothing else must be installed by hand.

PYTHON  ?= python3
QUARTER ?= 1Q08
DATA    ?= data/iij
OUT     ?= output
EDITION ?= en
UV_VERSION := 0.13.9

VENV  := .venv
UVENV := .uv
UV    := $(UVENV)/bin/uv
PY    := $(VENV)/bin/python
STAMP := $(VENV)/.synced

export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never

.PHONY: all report report-all release approve check diff items placeholders preview test lint format bench bench-smoke clean distclean

all: report

$(UV):
	@$(PYTHON) -m venv $(UVENV)
	@$(UVENV)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# --compile-bytecode: the libraries' .pyc files are written once here, so that no
# build compiles pandas, matplotlib or WeasyPrint again (seconds on every cold
# run where PYTHONDONTWRITEBYTECODE is set, as on CI).
$(STAMP): $(UV) pyproject.toml uv.lock
	@$(UV) sync --locked --quiet --compile-bytecode --python "$$(command -v $(PYTHON))"
	@touch $@

# reportgen's own modules, compiled once after each change: uv compiles the
# libraries but not the project itself, so with PYTHONDONTWRITEBYTECODE set (as on
# CI) every build compiled them again (0.2-0.3 s).
SOURCES  := $(wildcard reportgen/*.py reportgen/*/*.py)
COMPILED := $(VENV)/.compiled

$(COMPILED): $(STAMP) $(SOURCES)
	@$(PY) -m compileall -q reportgen
	@touch $@

## report: build the PDF deck and the HTML preview of QUARTER into OUT/QUARTER (EDITION=en|ja|all; PPTX=1 adds the PowerPoint)
report: $(COMPILED)
	@$(PY) -m reportgen build --quarter "$(QUARTER)" --data "$(DATA)" --out "$(OUT)" --edition "$(EDITION)" $(if $(PPTX),--pptx)

## release: build the distribution files of QUARTER only if nothing is open (else exit 2 listing each item)
release: $(COMPILED)
	@$(PY) -m reportgen build --final --quarter "$(QUARTER)" --data "$(DATA)" --out "$(OUT)" --edition "$(EDITION)" $(if $(PPTX),--pptx)

## approve: record BY's sign-off of QUARTER as it is now (SLIDES=1,2 for some slides only)
approve: $(COMPILED)
	@test -n "$(BY)" || { echo "make approve: BY=<your name> is required" >&2; exit 2; }
	@$(PY) -m reportgen approve --quarter "$(QUARTER)" --data "$(DATA)" --by "$(BY)" --edition "$(EDITION)" \
		$(if $(SLIDES),--slides "$(SLIDES)")

## report-all: build every quarter of DATA that has a deck file, in parallel (EDITION=all: both)
report-all: $(COMPILED)
	@$(PY) -m reportgen build --all --data "$(DATA)" --out "$(OUT)" --edition "$(EDITION)" $(if $(PPTX),--pptx)

## preview: serve QUARTER as live HTML on 127.0.0.1 (PORT=8708, 0 = any free; OPEN=1 opens a browser)
preview: $(COMPILED)
	@$(PY) -m reportgen preview --quarter "$(QUARTER)" --data "$(DATA)" --out "$(OUT)" --edition "$(EDITION)" \
		$(if $(PORT),--port "$(PORT)") $(if $(OPEN),--open)

## check: print every tie-out of DATA as a table
check: $(COMPILED)
	@$(PY) -m reportgen check --quarter "$(QUARTER)" --data "$(DATA)"

## diff: compare QUARTER with an earlier version AGAINST=<pdf|output folder|data folder|git revision|quarter|approved>; writes a blackline
diff: $(COMPILED)
	@$(PY) -m reportgen diff --quarter "$(QUARTER)" --data "$(DATA)" --out "$(OUT)" --edition "$(EDITION)" --against "$(AGAINST)"

## items: list the line items data files and placeholders may name (with the periods DATA stores)
items: $(COMPILED)
	@$(PY) -m reportgen items --data "$(DATA)"

## placeholders: regenerate docs/placeholders.md, every commentary filter with an example in each edition
placeholders: $(COMPILED)
	@$(PY) -m reportgen -q placeholders --out docs/placeholders.md

## test: lint, then the test suite on every core (WORKERS=N sets how many; WORKERS=0: one process)
# worksteal: a worker that runs out of tests takes some of the other's, so one slow
# deck build near the end does not leave a core idle (225 s against 239 s for
# loadgroup here). Decks of the repository's data, and the edited copies a module's
# tests share, are built once per run whatever the workers (the shelf,
# tests/conftest.py), and every build shares one chart cache.
WORKERS ?= auto
test: $(COMPILED)
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@$(VENV)/bin/pytest -n $(WORKERS) --dist worksteal

## bench: measure cold, warm, preview and batch builds against WeasyPrint alone, and the preview in Chromium; writes BENCHMARKS.md
bench: $(COMPILED)
	@$(PY) bench/run.py --reps $(or $(REPS),5)
	@$(PY) bench/compare_chromium.py
	@$(PY) bench/compare_typst.py
	@$(PY) bench/preview_browser.py --reps $(or $(REPS),10)

## bench-smoke: one repetition of every measurement, into a temporary file (CI keeps it working; the browser part says so and skips without /usr/bin/chromium)
bench-smoke: $(COMPILED)
	@$(PY) bench/run.py --smoke --out "$$(mktemp -d)/BENCHMARKS.md"
	@$(PY) bench/preview_browser.py --smoke --out "$$(mktemp -d)/preview.md"

lint: $(STAMP)
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .

format: $(STAMP)
	@$(VENV)/bin/ruff check --fix .
	@$(VENV)/bin/ruff format .

clean:
	rm -rf $(OUT)/*/ $(OUT)/.cache .pytest_cache .ruff_cache

distclean: clean
	rm -rf $(VENV) $(UVENV)
