# bsc_okr developer commands. Odoo 18.0 must already be importable by python3.
PYTHON ?= python3
DB ?= bsc_okr_demo
PORT ?= 8069
export INSTALL

.PHONY: run test lint upgrade-check bench pot screenshots demo-terms

## Serve Odoo with bsc_okr and its demo data on http://127.0.0.1:$(PORT)
run:
	$(PYTHON) tools/devctl.py run --db $(DB) --port $(PORT)

## Lint, then run the whole test suite in a throwaway database
test:
	$(PYTHON) tools/devctl.py test

## Lint only
lint:
	$(PYTHON) tools/devctl.py lint

## Install the last release (.ci/upgrade-from) with demo data in a throwaway
## database, upgrade it with this checkout, fail if anything was lost
upgrade-check:
	$(PYTHON) tools/upgrade_check.py

## Company-scale benchmark (see bench/README.md); not part of `make test`
bench:
	$(PYTHON) bench/run.py $(if $(SCALE),--scale $(SCALE),)

## Regenerate bsc_okr/i18n/bsc_okr.pot from the code and merge it into the .po files
pot:
	$(PYTHON) tools/devctl.py pot

## Regenerate the guide's pictures (docs/img/) from the demo database, with headless
## Chromium; uses the Odoo on PORT, or starts one there (see tools/screenshots.py)
screenshots:
	$(PYTHON) tools/screenshots.py --db $(DB) --port $(PORT)

## Refresh the demo story's translation memories (bsc_okr/demo/i18n/) from a demo
## database; new texts are left empty for a translator (see tools/demo_terms.py)
demo-terms:
	$(PYTHON) tools/demo_terms.py --db $(DB)
