# Two commands matter: `make demo` and `make test`. Everything they need is installed from here.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PORT ?= 8866
export PORT

.PHONY: demo auditor moderation test install chromium demo-data lint test-lib test-notebooks test-browser bench \
        refresh-notebooks example-round clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# Debian's Chromium for the browser tests (Playwright cannot download its own browser here).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

# The synthetic partnership, kept apart from real work in data/demo.db and data/demo/.
demo-data: install
	@if [ ! -f data/demo.db ]; then $(VENV)/bin/caseaudit demo-data; else echo "demo data present (data/demo.db)"; fi

demo: demo-data
	$(PY) -m caseaudit.serve --demo

# The scoring form as a web page for auditors (on the demo data unless CASEAUDIT_DB is set).
auditor: demo-data
	$(PY) -m caseaudit.serve --app scoring

# The audit meeting's moderation form as a web page (on the demo data unless CASEAUDIT_DB is set).
moderation: demo-data
	$(PY) -m caseaudit.serve --app moderation

lint: install
	$(VENV)/bin/ruff check .

# Library tests, notebooks (nbval: key-figure cells compared, see README) and browser tests, on
# two workers; --dist loadscope keeps each notebook's cells on one kernel.
test: install chromium lint
	$(PY) -m pytest -n 2 --dist loadscope --timeout 900 --nbval-lax --nbval-current-env tests notebooks

# The store, form and dashboard benchmarks share one million-row store, built once into bench/results/ (git-ignored).
bench: install
	$(PY) bench/bench_store.py --keep bench/results/store
	$(PY) bench/bench_forms.py --keep bench/results/store
	$(PY) bench/bench_dashboard.py --keep bench/results/store
	$(PY) bench/bench_agreement.py

# Re-run the notebooks and store the outputs of their NBVAL_CHECK_OUTPUT cells (see README).
refresh-notebooks: install
	$(PY) -m caseaudit.notebooks refresh notebooks

# Regenerate the committed example round, audits/2026-03-example (small, synthetic, seed 2026).
example-round: install
	tmp=$$(mktemp -d) && $(VENV)/bin/caseaudit demo-data --cases 12 --rounds 1 --label example \
	  --audits $$tmp/audits --db $$tmp/example.db && rm -rf audits/2026-03-example && \
	  cp -r $$tmp/audits/2026-03-example audits/ && rm -rf $$tmp

clean:
	rm -rf $(VENV) data/demo data/demo.db data/demo.db-wal data/demo.db-shm
