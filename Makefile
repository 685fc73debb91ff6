# Kỹ Năng Số: the two README commands are `make start` and `make test`.
# Everything either needs is installed here, so a fresh Debian machine works.

SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8888
HOST ?= 127.0.0.1
# Jupyter refuses to run as root unless told; only then is the flag passed.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json
PYTEST_WORKERS ?= 2
# The shared practice world of `make start` and `make apps` (role play across apps).
KYNANGSO_STORE ?= $(CURDIR)/classroom/sandbox.sqlite

.PHONY: start apps test lab install install-test browser lint clean help

help:
	@echo "make start  - cài đặt và mở JupyterLab tại http://$(HOST):$(PORT)"
	@echo "make test   - cài đặt công cụ kiểm thử và chạy toàn bộ bộ kiểm thử"
	@echo "make apps   - mở các ứng dụng mô phỏng (Voila) tại http://$(HOST):$(APPS_PORT)"

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Cần Python 3.11 (python3.11)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[lab]'
	touch $@

$(LAB_SETTINGS): etc/jupyter/overrides.json $(VENV)/.installed
	mkdir -p $(dir $@)
	cp etc/jupyter/overrides.json $@

# The apps' page script (frontend/), built with the lockfile's exact packages.
APP_JS := share/jupyter/voila/templates/kynangso/static/kns-voila.js
$(APP_JS): frontend/package.json frontend/package-lock.json $(wildcard frontend/src/*)
	@if ! command -v npm >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	  else echo "Thiếu Node.js và npm. Chạy: sudo apt-get install -y nodejs npm"; exit 1; fi; fi
	cd frontend && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build -- --log-level=warning
	touch $@

# Voila and nbgrader enable themselves on install; this makes sure, once per install
# (each call takes seconds, and every `make apps` / `make start` passes through here).
$(VENV)/.extensions: $(VENV)/.installed
	@for ext in voila.server_extension nbgrader.server_extensions.formgrader \
	  nbgrader.server_extensions.assignment_list nbgrader.server_extensions.course_list \
	  nbgrader.server_extensions.validate_assignment; do \
	  $(BIN)/jupyter server extension enable --sys-prefix $$ext >/dev/null 2>&1 || exit 1; done
	@touch $@

install: $(VENV)/.installed $(LAB_SETTINGS) $(APP_JS) $(VENV)/.extensions
	@# Every app kernel imports the package; compile it here once, as a machine that sets
	@# PYTHONDONTWRITEBYTECODE would otherwise compile it again in each kernel.
	@$(BIN)/python -m compileall -q widgets/kynangso >/dev/null

# The server that `make start` runs; tests call it on a free port.
lab: install
	mkdir -p "$(dir $(KYNANGSO_STORE))"
	@# The apps opened from the lab need the same class code as `make apps` (trainer role)
	@# and the browser's cookies (who is practising, display settings).
	KYNANGSO_STORE="$(KYNANGSO_STORE)" JUPYTER_PATH="$(CURDIR)/share/jupyter" \
	KYNANGSO_CLASS_CODE="$$($(BIN)/python scripts/apps_server.py --print-code \
	  --store="$(KYNANGSO_STORE)")" \
	$(BIN)/jupyter lab --no-browser $(ROOT_FLAG) \
	  --VoilaConfiguration.template=kynangso --VoilaConfiguration.show_tracebacks=False \
	  --VoilaConfiguration.http_header_envs="['Cookie']" \
	  --ServerApp.ip=$(HOST) --ServerApp.port=$(PORT) --ServerApp.port_retries=0 \
	  --ServerApp.root_dir="$(CURDIR)" \
	  --LabApp.default_url=/lab/tree/notebooks/index.ipynb \
	  $(LAB_ARGS)

start: lab

# The simulators as Voila apps, all sharing one practice world in classroom/.
# scripts/apps_server.py prints the address for learners and the class code (ma-lop.txt
# beside the store); HOST=0.0.0.0 serves the classroom LAN. With a class list (lop.csv
# beside the store) it preheats a kernel per learner for CLASS_APP. An unused app's
# kernel is culled after CULL_IDLE seconds (phones lock, volunteers stop to explain).
APPS_PORT ?= 8866
CULL_IDLE ?= 3600
CLASS_APP ?= portal
apps: install
	mkdir -p "$(dir $(KYNANGSO_STORE))"
	KYNANGSO_STORE="$(KYNANGSO_STORE)" JUPYTER_PATH="$(CURDIR)/share/jupyter" \
	  $(BIN)/python scripts/apps_server.py --host=$(HOST) --port=$(APPS_PORT) \
	  --cull-idle=$(CULL_IDLE) --class-app="$(CLASS_APP)" -- $(VOILA_ARGS)

$(VENV)/.test-installed: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e '.[lab,test]'
	touch $@

install-test: install $(VENV)/.test-installed browser

# Browser tests drive Debian's Chromium; Playwright never downloads a browser.
browser:
	@if command -v chromium >/dev/null && command -v pdftoppm >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core poppler-utils >/dev/null; \
	else \
	  echo "Thiếu trình duyệt Chromium. Chạy: sudo apt-get install -y chromium fonts-dejavu-core poppler-utils"; exit 1; \
	fi

# The same checks as .pre-commit-config.yaml's local hooks.
lint: $(VENV)/.test-installed
	$(BIN)/ruff check widgets tests benchmarks scripts
	$(BIN)/mypy

test: install-test lint
	mkdir -p test-artifacts
	KYNANGSO_STORE="$(CURDIR)/test-artifacts/notebooks.sqlite" \
	  $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup --nbmake tests $(wildcard notebooks apps) $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis test-artifacts frontend/node_modules \
	  $(dir $(APP_JS))
