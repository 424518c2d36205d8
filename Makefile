# Two commands matter: `make demo` and `make test`. Everything they need is installed from here.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PORT ?= 8866
export PORT

.PHONY: demo auditor moderation actions practice-week test install chromium postgres hub-proxy demo-data lint test-lib test-notebooks test-browser bench \
        refresh-notebooks example-round clean

install: $(STAMP)

# One line per step and per package collected (pip's full output goes to .venv/install.log, and its
# last lines to the screen if the installation fails).
$(STAMP): pyproject.toml
	@test -x $(PY) || { echo "Creating the virtual environment in $(VENV)/"; $(PYTHON) -m venv $(VENV); }
	@echo "Updating pip..."
	@$(PY) -m pip install --quiet --upgrade pip
	@echo "Installing the workbook and its dependencies into $(VENV)/ (about 3 minutes on a new machine)..."
	@set -o pipefail; PYTHONUNBUFFERED=1 $(PY) -m pip install --progress-bar off -e ".[test,postgres]" 2>&1 \
	  | tee $(VENV)/install.log \
	  | awk '/^Collecting /  { name = $$2; sub(/[<>=!~;[(].*/, "", name); print "  collecting " name; fflush() } \
	         /^Installing collected packages/ { print "  installing what was collected (the longest step)..."; fflush() } \
	         /^Successfully installed/ { print "  done"; fflush() } \
	         /^ERROR/ { print; fflush() }' \
	  || { echo "The installation failed; the end of $(VENV)/install.log:"; tail -n 25 $(VENV)/install.log; exit 1; }
	@touch $(STAMP)

# Debian's Chromium for the browser tests (Playwright cannot download its own browser here).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

# Debian's PostgreSQL server for the tests that run the store on PostgreSQL: each test worker starts
# a throwaway cluster of its own (tests/postgres.py), so no server is left running or configured.
postgres:
	@if ! command -v initdb >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  echo "Installing Debian's postgresql for the PostgreSQL tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql >/dev/null; \
	fi

# JupyterHub's proxy for tests/ui/test_hub_roles.py, which runs deploy/jupyterhub_config.py on a real hub.
hub-proxy:
	@if ! command -v configurable-http-proxy >/dev/null; then \
	  echo "Installing configurable-http-proxy (JupyterHub's proxy) for the hub tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  command -v npm >/dev/null || { $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm >/dev/null; }; \
	  $$SUDO npm install -g --silent configurable-http-proxy; \
	fi

# The synthetic partnership, kept apart from real work in data/demo.db and data/demo/.
demo-data: install
	@if [ ! -f data/demo.db ]; then echo "Generating the synthetic partnership (data/demo.db, data/demo/audits/)..."; \
	  $(VENV)/bin/caseaudit demo-data; \
	elif [ ! -d data/demo/inspections ]; then echo "The demo predates the inspection review: generating it again..."; \
	  $(VENV)/bin/caseaudit demo-data --replace; \
	elif [ ! -d data/demo/audits/2026-05-practice-week ]; then echo "The demo predates practice weeks: generating it again..."; \
	  $(VENV)/bin/caseaudit demo-data --replace; else echo "Demo data present (data/demo.db)."; fi

# The server prints the address to open (token included) last, once it answers. Each notebook
# keeps a preheated kernel that has run it before anyone asks (see caseaudit/voila_app.py).
demo: demo-data
	@$(PY) -m caseaudit.serve --demo

# The scoring form as a web page for auditors (on the demo data unless CASEAUDIT_DB is set).
auditor: demo-data
	@$(PY) -m caseaudit.serve --app scoring

# The audit meeting's moderation form as a web page (on the demo data unless CASEAUDIT_DB is set).
moderation: demo-data
	@$(PY) -m caseaudit.serve --app moderation

# The action plan's progress-update form as a web page for the business manager (on the demo data
# and its example inspection unless CASEAUDIT_DB is set).
actions: demo-data
	@$(PY) -m caseaudit.serve --app actions

# The practice week's forms (collaborative case audit, observation, family and practitioner
# feedback) as a web page for the week's leads and observers (on the demo data unless CASEAUDIT_DB
# is set).
practice-week: demo-data
	@$(PY) -m caseaudit.serve --app practice-week

lint: install
	$(VENV)/bin/ruff check .

# Library tests, notebooks (nbval: key-figure cells compared, see README) and browser tests, on
# two workers; --dist loadscope keeps each notebook's cells on one kernel.
test: install chromium postgres hub-proxy lint
	$(PY) -m pytest -n 2 --dist loadscope --timeout 900 --nbval-lax --nbval-current-env tests notebooks

# The store, form, dashboard, report and browser benchmarks share one million-row store, built once into
# bench/results/ (git-ignored); the browser benchmark writes its figures there too (browser.txt). The
# load benchmark (50 auditors and 5 viewers at once, on SQLite and a throwaway PostgreSQL cluster) builds
# its own small databases, and fails if any acknowledged save was lost.
bench: install chromium postgres
	$(PY) bench/bench_store.py --keep bench/results/store
	$(PY) bench/bench_forms.py --keep bench/results/store
	$(PY) bench/bench_practice_week.py --keep bench/results/store
	$(PY) bench/bench_dashboard.py --keep bench/results/store
	$(PY) bench/bench_agreement.py
	$(PY) bench/bench_cli.py --keep bench/results/store
	$(PY) bench/bench_report.py --keep bench/results/store
	$(PY) bench/bench_impact.py --keep bench/results/store
	$(PY) bench/bench_privacy.py
	$(PY) bench/bench_browser.py --keep bench/results/store
	$(PY) bench/bench_load.py

# Re-run the notebooks and store the outputs of their NBVAL_CHECK_OUTPUT cells (see README).
refresh-notebooks: install
	$(PY) -m caseaudit.notebooks refresh notebooks

# Regenerate the committed example round, audits/2026-03-example (small, synthetic, seed 2026).
example-round: install
	tmp=$$(mktemp -d) && $(VENV)/bin/caseaudit demo-data --cases 12 --rounds 1 --last-round 2026-03 \
	  --label example --audits $$tmp/audits --db $$tmp/example.db && rm -rf audits/2026-03-example && \
	  cp -r $$tmp/audits/2026-03-example audits/ && rm -rf $$tmp

clean:
	rm -rf $(VENV) data/demo data/demo.db data/demo.db-wal data/demo.db-shm
