# The two commands a newcomer runs: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
# Fixed so two clean builds give byte-identical output (sitemap dates, PDF/PNG metadata):
# midnight UTC of the release date, read from CITATION.cff's date-released (one source of
# truth; `make source-date-epoch` prints it). Set SOURCE_DATE_EPOCH to override it.
ifndef SOURCE_DATE_EPOCH
SOURCE_DATE_EPOCH := $(shell $(PYTHON) -c 'import calendar, re, sys, time; \
  m = re.search(r"^date-released:\s*[\x27\x22]?(\d{4}-\d{2}-\d{2})", open("CITATION.cff").read(), re.M); \
  print(calendar.timegm(time.strptime(m.group(1), "%Y-%m-%d"))) if m else sys.exit("no date-released in CITATION.cff")')
endif
export SOURCE_DATE_EPOCH
export PYTHONHASHSEED := 0
export MPLBACKEND := Agg
export NO_MKDOCS_2_WARNING := 1
# One BLAS thread: the figure renderer already runs one process per core, and results do
# not depend on how many threads a machine happens to have.
export OPENBLAS_NUM_THREADS := 1
export OMP_NUM_THREADS := 1

.PHONY: help install serve site site-versions test test-fast figures bench lock clean source-date-epoch

help:
	@echo "make serve   set up .venv, build the site and serve it at http://127.0.0.1:8000"
	@echo "make site    set up .venv and build the site into site/"
	@echo "make test    set up .venv and run every test, including a strict site build"
	@echo "make test-fast  unit and page tests only, in parallel (the edit loop)"
	@echo "make figures export every figure (SVG, PNG, PDF) into figures-out/"
	@echo "make site-versions  add this version to the versioned site (mike, gh-pages branch) and copy it into site/"
	@echo "make bench   time the builds, weigh every page, run Lighthouse; PASS/FAIL per target"
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

# Lighthouse comes from npm (benchmarks/package-lock.json) and runs Debian's Chromium.
bench: $(STAMP) benchmarks/node_modules/.installed
	$(PY) benchmarks/build_bench.py $(BENCH_ARGS)

benchmarks/node_modules/.installed: benchmarks/package.json benchmarks/package-lock.json
	cd benchmarks && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Re-resolve the newest versions the pyproject ranges allow and pin them.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -e '.[docs,test]'
	{ echo "# Pinned versions of every dependency, for reproducible builds."; echo "# Regenerate with: make lock"; \
	  .lock-venv/bin/pip freeze --exclude-editable | grep -v '^initnotes'; } > requirements/constraints.txt
	rm -rf .lock-venv

clean:
	rm -rf site .cache $(VENV) .pytest_cache benchmarks/node_modules

source-date-epoch:
	@echo $(SOURCE_DATE_EPOCH)
