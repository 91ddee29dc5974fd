# cxroi: two commands on a fresh machine.
#   make run    create .venv, install, start the app on the demo data
#   make test   install what the tests need (Debian's Chromium and PostgreSQL too), run every test
#   make bench  run the benchmarks (JSON lines)

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test bench chromium postgresql clean

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# Browser tests and chart export use Debian's Chromium; never a downloaded browser.
chromium:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi dejavu; then \
	  echo "Installing Debian's chromium and fonts (apt)"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	fi
	@/usr/bin/chromium --version

# The DuckLake tests start Debian's PostgreSQL themselves (a temporary cluster, as the
# postgres system user, on 127.0.0.1 and a free port); they need only its binaries.
postgresql:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  echo "Installing Debian's postgresql (apt)"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql >/dev/null; \
	fi
	@ls /usr/lib/postgresql/*/bin/initdb

# Open mode serves this machine only; to serve a team, configure sign-in (docs/operations.md)
# and run with --server.address 0.0.0.0.
run: $(VENV)/.runtime
	$(PY) -m streamlit run ui/serve.py --server.address 127.0.0.1

test: $(VENV)/.dev chromium postgresql
	$(PY) -m pytest

bench: $(VENV)/.dev chromium postgresql
	@for bench in benchmarks/bench_*.py; do $(PY) $$bench || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis tests/e2e/screenshots
