# The TypeScript and Python examples, each type-checked/imported and run under its language's
# Pulumi mocks against the SDK generated in sdk/ (included by the Makefile after sdk.mk, whose
# build-sdk-nodejs this uses).
#
#   make test-langs     both languages (what `make test` runs)
#   make test-ts        examples/typescript: stage the built SDK, npm ci, tsc --noEmit, node --test
#   make test-python    examples/python: venv with pulumi from PyPI + the SDK, pytest
#   make langs-ts-lock  refresh examples/typescript/package-lock.json (after a pin moves)
#   make clean-langs    remove the examples' node_modules, venv and staged SDKs
#
# The generated package.json has no "main": tsc compiles the SDK to sdk/nodejs/bin, and a
# published package is bin/ with the package.json beside it. `.sdk/` in each example is that
# package, staged from the build (nothing is written into sdk/); the TypeScript example depends
# on it as `file:.sdk`, so the SDK resolves @pulumi/pulumi from the example's node_modules (one
# copy of the runtime, which the mocks need).

LANGS_NPM     ?= npm
LANGS_NODE    ?= node
LANGS_PYTHON  ?= python3
LANGS_PIP     := --disable-pip-version-check --no-input -q
# e.g. LANGS_PYTEST_ARGS=-v, or -k <expr> to run some of the tests.
LANGS_PYTEST_ARGS ?=
TS_DIR        := examples/typescript
PY_DIR        := examples/python
PY_VENV       := $(PY_DIR)/.venv
# The Python SDK's sources: reinstall it in the venv when one of them changes.
PY_SDK_FILES   = $(wildcard sdk/python/pyproject.toml sdk/python/README.md \
	sdk/python/pulumi_concurrent/*.py sdk/python/pulumi_concurrent/*.json sdk/python/pulumi_concurrent/py.typed)

# Prints the package.json of the staged SDK: the generated one less its build-only fields.
define LANGS_STAGE_PACKAGE_JSON
const p = require(require("path").resolve(process.argv[1]));
delete p.devDependencies;
delete p.scripts;
process.stdout.write(JSON.stringify(p, null, 4) + "\n");
endef
export LANGS_STAGE_PACKAGE_JSON

.PHONY: test-langs test-ts test-python langs-ts-sdk langs-ts-lock clean-langs

test-langs: test-ts test-python

# The built SDK as the package npm would publish: bin/ + package.json (no devDependencies,
# which only the SDK's own build needs) + README. Cheap, so always redone after the build.
langs-ts-sdk: build-sdk-nodejs
	rm -rf $(TS_DIR)/.sdk && mkdir -p $(TS_DIR)/.sdk
	cp -R sdk/nodejs/bin/. sdk/nodejs/README.md $(TS_DIR)/.sdk/
	$(LANGS_NODE) -e "$$LANGS_STAGE_PACKAGE_JSON" sdk/nodejs/package.json > $(TS_DIR)/.sdk/package.json

# npm ci only when the lock, the example's package.json or the SDK's package.json moved.
$(TS_DIR)/node_modules/.package-lock.json: $(TS_DIR)/package-lock.json $(TS_DIR)/package.json \
		sdk/nodejs/package.json | langs-ts-sdk
	cd $(TS_DIR) && $(LANGS_NPM) ci --no-audit --no-fund
	touch $@

test-ts: $(TS_DIR)/node_modules/.package-lock.json langs-ts-sdk
	cd $(TS_DIR) && ./node_modules/.bin/tsc --noEmit -p .
	cd $(TS_DIR) && $(LANGS_NODE) --import tsx --test test/setup.test.ts

# Resolve the lock again from package.json; no registry address is recorded.
langs-ts-lock: langs-ts-sdk
	cd $(TS_DIR) && rm -f package-lock.json && \
	$(LANGS_NPM) install --package-lock-only --ignore-scripts --no-audit --no-fund \
		--omit-lockfile-registry-resolved

$(PY_VENV)/.requirements: $(PY_DIR)/requirements.txt
	test -x $(PY_VENV)/bin/python || $(LANGS_PYTHON) -m venv $(PY_VENV)
	$(PY_VENV)/bin/pip install $(LANGS_PIP) -r $(PY_DIR)/requirements.txt
	touch $@

# Installed (not put on the path) from a copy of the package's files, so the test imports
# what pip would install and no build folder lands in sdk/python. pip reinstalls a local
# folder every time; the diff checks that the venv now holds exactly these sources (the
# package's README.md is not package data).
$(PY_VENV)/.sdk: $(PY_VENV)/.requirements $(PY_SDK_FILES)
	rm -rf $(PY_DIR)/.sdk && mkdir -p $(PY_DIR)/.sdk
	cp -R sdk/python/pyproject.toml sdk/python/README.md sdk/python/pulumi_concurrent $(PY_DIR)/.sdk/
	$(PY_VENV)/bin/pip install $(LANGS_PIP) ./$(PY_DIR)/.sdk
	installed=$$(cd / && $(abspath $(PY_VENV))/bin/python -c \
		'import os, pulumi_concurrent as c; print(os.path.dirname(c.__file__))') && \
	diff -rq -x __pycache__ -x README.md $(PY_DIR)/.sdk/pulumi_concurrent "$$installed"
	touch $@

# pytest exits 5 when it collected no test: that is a failure here.
test-python: $(PY_VENV)/.sdk
	cd $(PY_DIR) && .venv/bin/python -m compileall -q __main__.py concurrent_setup.py
	cd $(PY_DIR) && .venv/bin/python -m pytest $(LANGS_PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "test-python: pytest collected no tests" >&2; exit 1; fi; \
	exit $$status

clean-langs:
	rm -rf $(TS_DIR)/node_modules $(TS_DIR)/.sdk $(PY_VENV) $(PY_DIR)/.sdk $(PY_DIR)/.pytest_cache
