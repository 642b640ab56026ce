# The two commands a newcomer runs: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
# Fixed so two clean builds give byte-identical output (sitemap dates, PDF/PNG metadata).
export SOURCE_DATE_EPOCH ?= 1764115200
export PYTHONHASHSEED := 0
export MPLBACKEND := Agg
export NO_MKDOCS_2_WARNING := 1
# One BLAS thread: the figure renderer already runs one process per core, and results do
# not depend on how many threads a machine happens to have.
export OPENBLAS_NUM_THREADS := 1
export OMP_NUM_THREADS := 1

.PHONY: help install serve site site-properdocs assets check-site site-versions test test-fast figures bench lock clean

help:
	@echo "make serve   set up .venv, build the site and serve it at http://127.0.0.1:8000"
	@echo "make site    set up .venv and build the site into site/, then check every page carries its figures and values"
	@echo "make site-properdocs  the same site built with ProperDocs (the maintained MkDocs 1.6 fork) into site-properdocs/"
	@echo "make assets  compute every run, figure, value, executed tutorial and the wheel into the cache, without building"
	@echo "make test    set up .venv and run every test, including a strict site build"
	@echo "make test-fast  unit and page tests only, in parallel (the edit loop)"
	@echo "make figures export every figure (SVG, PNG, PDF) into figures-out/"
	@echo "make site-versions  add this version to the versioned site (mike, gh-pages branch) and copy it into site/"
	@echo "make bench   time cold and warm builds and print page weights"
	@echo "make clean   remove site/, caches and .venv"

$(STAMP): pyproject.toml requirements/constraints.txt
	$(PYTHON) -c 'import sys; sys.exit("initnotes needs Python 3.11 or newer, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt -e '.[docs,test]'
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

install: $(STAMP)

site: $(STAMP)
	$(PY) -m mkdocs build --strict
	$(PY) -m initnotes check-site site

# The same site with ProperDocs 1.6.7, a drop-in fork of MkDocs 1.6 that runs Material,
# mkdocs-jupyter and the hook (pinned in requirements/constraints.txt). It reuses the
# cache of `make site`: nothing is computed twice.
site-properdocs: $(STAMP)
	$(PY) -m properdocs build --strict --config-file mkdocs.yml --site-dir site-properdocs
	$(PY) -m initnotes check-site site-properdocs

# The content pipeline alone (runs, figures, values, executed tutorials, the wheel), as the
# build's hook runs it; a later site generator needs only to read the cache.
assets: $(STAMP)
	$(PY) -m initnotes build-assets

check-site:
	$(PY) -m initnotes check-site site

serve: $(STAMP)
	$(PY) -m mkdocs serve --strict --dev-addr 127.0.0.1:8000

# Tests run in $(JOBS) processes; every check of the built site (one build, shared) runs in one
# of them (xdist group "site", see tests/conftest.py) while the unit and page tests share the rest.
JOBS ?= 2
test: $(STAMP)
	$(PY) -m pytest -n $(JOBS) --dist loadgroup

test-fast: $(STAMP)
	$(PY) -m pytest -n $(JOBS) --ignore=tests/site -m "not site"

# Versioned publishing: mike builds this version into the local gh-pages branch under
# /VERSION/ (default: the package's version, which the citations name), points /latest/
# at it, and the whole tree is copied into site/. PUSH=1 also pushes gh-pages (CI).
VERSION = $(shell $(PY) -c 'import initnotes; print(initnotes.__version__)')
site-versions: $(STAMP)
	PATH="$(abspath $(VENV))/bin:$$PATH" $(VENV)/bin/mike deploy --update-aliases $(if $(PUSH),--push) $(VERSION) latest
	PATH="$(abspath $(VENV))/bin:$$PATH" $(VENV)/bin/mike set-default $(if $(PUSH),--push) latest
	rm -rf site && mkdir site && git archive --format=tar gh-pages | tar -x -C site

figures: $(STAMP)
	$(PY) -m initnotes figures --out figures-out --format svg,png,pdf

bench: $(STAMP)
	$(PY) benchmarks/build_bench.py

# Re-resolve the newest versions the pyproject ranges allow and pin them.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -e '.[docs,test,release]'
	{ echo "# Pinned versions of every dependency, for reproducible builds."; echo "# Regenerate with: make lock"; \
	  .lock-venv/bin/pip freeze --exclude-editable | grep -v '^initnotes'; } > requirements/constraints.txt
	rm -rf .lock-venv

clean:
	rm -rf site site-properdocs .cache $(VENV) .pytest_cache
