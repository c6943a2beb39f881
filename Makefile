# spinlab: `make book` builds the executed HTML book, `make test` runs the whole suite.
# Both create .venv when missing and install the pinned dependencies from pyproject.toml.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
VENDOR := book/_vendor
STATIC_VENDOR := book/_static/vendor
CHROMIUM ?= /usr/bin/chromium

export NUMBA_CACHE_DIR := $(CURDIR)/.numba_cache
export PYDEVD_DISABLE_FILE_VALIDATION := 1
# Our matrices are small (N <= a few thousand): threaded BLAS only contends with the process pools and Numba
# kernels on a small machine (a TAP chapter cell ran 6x slower with threads under load), so builds and tests use one.
export OPENBLAS_NUM_THREADS := 1
export OMP_NUM_THREADS := 1
export MKL_NUM_THREADS := 1
# spinlab.widgets.explore renders precomputed, JavaScript-driven sliders in the built HTML
export SPINLAB_WIDGETS := static

# Execution mode: cached locally, forced under CI (CI=true).
ifeq ($(CI),true)
BOOK_CONFIG := _build/_config.ci.yml
else
BOOK_CONFIG := _config.yml
endif

.PHONY: book book-student live assignments test assets chromium lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip

$(VENV)/.book-deps: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e ".[book]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3"
	touch $@

$(VENV)/.test-deps: pyproject.toml $(VENV)/.book-deps
	$(BIN)/python -m pip install -e ".[book,test,bench,course]"
	touch $@

# MathJax, the ipywidgets HTML manager, require.js and thebe (live code) come from npm (lock file committed,
# files never committed) and are served from the built site: the book loads nothing remote.
$(STATIC_VENDOR)/.stamp: $(VENDOR)/package.json $(VENDOR)/package-lock.json book/_static/spinlab-widgets.js
	cd $(VENDOR) && npm ci --no-audit --no-fund --ignore-scripts
	rm -rf $(STATIC_VENDOR) && mkdir -p $(STATIC_VENDOR)/html-manager
	cp -r $(VENDOR)/node_modules/mathjax/es5 $(STATIC_VENDOR)/mathjax
	cp $(VENDOR)/node_modules/@jupyter-widgets/html-manager/dist/embed.js $(STATIC_VENDOR)/html-manager/
	cp $(VENDOR)/node_modules/@jupyter-widgets/html-manager/dist/*.woff* $(STATIC_VENDOR)/html-manager/
	cp $(VENDOR)/node_modules/@jupyter-widgets/html-manager/dist/*.ttf $(STATIC_VENDOR)/html-manager/
	cp $(VENDOR)/node_modules/@jupyter-widgets/html-manager/dist/*.eot $(STATIC_VENDOR)/html-manager/
	cp $(VENDOR)/node_modules/@jupyter-widgets/html-manager/dist/*.svg $(STATIC_VENDOR)/html-manager/
	cp $(VENDOR)/node_modules/requirejs/require.js $(STATIC_VENDOR)/require.js
	mkdir -p $(STATIC_VENDOR)/thebe
	cp $(VENDOR)/node_modules/thebe/lib/*.js $(VENDOR)/node_modules/thebe/lib/*.LICENSE.txt $(STATIC_VENDOR)/thebe/
	cp $(VENDOR)/node_modules/thebe/lib/thebe.css $(STATIC_VENDOR)/thebe/
	touch $@

assets: $(STATIC_VENDOR)/.stamp

book: $(VENV)/.book-deps assets
	@mkdir -p _build
	@hash=$$($(BIN)/python -c "import spinlab.notebook as n; print(n.source_hash())"); \
	if [ "$$hash" != "$$(cat _build/.spinlab_hash 2>/dev/null)" ]; then \
		echo "spinlab sources changed: clearing the execution cache"; \
		rm -rf _build/.jupyter_cache; echo "$$hash" > _build/.spinlab_hash; \
	fi
	sed -e 's/execute_notebooks: cache/execute_notebooks: force/' -e 's#: book/_ext#: $(CURDIR)/book/_ext#' \
		_config.yml > _build/_config.ci.yml
	$(BIN)/jupyter-book build . --all --warningiserror --keep-going --config $(BOOK_CONFIG)
	@echo "Book built: open _build/html/index.html"

# Live code: serves the built book and a Jupyter server, both on 127.0.0.1 (random token, cross-origin
# requests only from the book's address); a chapter's play button runs its cells there. Builds the book first
# when the build has no live code. Stop with Ctrl-C.
live: $(VENV)/.book-deps assets
	@[ -f _build/html/_static/vendor/thebe/index.js ] || $(MAKE) book
	$(BIN)/python book/_ext/live.py

# The student edition: the same book with every solution removed, in _build/student/html. It reuses the
# chapters that `make book` executed (_build/jupyter_execute) when they match the installed spinlab sources.
book-student: $(VENV)/.book-deps assets
	$(BIN)/python book/_ext/student_build.py

# Graded assignments (otter-grader): student notebooks and autograder zips in _build/assignments/
assignments: $(VENV)/.test-deps
	$(BIN)/python assignments/build.py

chromium:
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	else \
		echo "The browser test needs Chromium at $(CHROMIUM): install Debian's 'chromium' package (apt-get install chromium) as root, or set CHROMIUM=/path/to/chromium."; exit 1; \
	fi

lint: $(VENV)/.test-deps
	$(BIN)/ruff check spinlab tests benchmarks book/_ext assignments
	$(BIN)/ruff format --check spinlab tests benchmarks book/_ext assignments

test: $(VENV)/.test-deps chromium book lint book-student assignments
	CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest

clean:
	rm -rf _build $(STATIC_VENDOR) $(VENDOR)/node_modules .numba_cache
