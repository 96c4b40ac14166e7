# The examples' tests (included by the Makefile; `make test` runs test-examples). Every Pulumi
# YAML program (the top-level Pulumi.yaml and examples/*/Pulumi.yaml) is checked against
# schema.yaml; each Go example (its own module, using sdk/ through a replace) runs under
# Pulumi's mocks; the TypeScript and Python examples are type-checked/imported and run under
# their language's Pulumi mocks against the SDK generated in sdk/, staged as a package by the
# rules of mk/sdks.mk.
#
#   make test-examples         all of them
#   make test-examples-yaml    the YAML check
#   make test-examples-go      vet and test each Go example
#   make test-examples-ts      examples/typescript: stage the built SDK, npm ci, tsc --noEmit, node --test
#   make test-examples-python  examples/python: venv with pulumi from PyPI + the SDK, pytest
#   make tidy-examples         go mod tidy in each Go example (after sdk/go.mod or a pin changes)
#   make lock-examples-ts      refresh examples/typescript/package-lock.json (after a pin moves)
#   make clean-examples        remove the examples' node_modules, venv and staged SDKs

GO_EXAMPLES := examples/go examples/go-new-cluster
TS_EXAMPLE  := examples/typescript
PY_EXAMPLE  := examples/python
# e.g. EXAMPLES_PYTEST_ARGS=-v, or -k <expr> to run some of the tests.
EXAMPLES_PYTEST_ARGS ?=

.PHONY: test-examples test-examples-yaml test-examples-go test-examples-ts test-examples-python \
	tidy-examples lock-examples-ts clean-examples

test-examples: test-examples-yaml test-examples-go test-examples-ts test-examples-python

test-examples-yaml:
	$(GO) test ./examples/

test-examples-go:
	@set -e; for d in $(GO_EXAMPLES); do \
		echo "cd $$d && $(GO) vet ./... && $(GO) test ./..."; \
		(cd $$d && $(GO) vet ./... && $(GO) test ./...); \
	done

tidy-examples:
	@set -e; for d in $(GO_EXAMPLES); do (cd $$d && $(GO) mod tidy); done

# npm ci only when the lock, the example's package.json or the SDK's package.json moved.
$(TS_EXAMPLE)/node_modules/.package-lock.json: $(TS_EXAMPLE)/package-lock.json $(TS_EXAMPLE)/package.json \
		sdk/nodejs/package.json | $(TS_EXAMPLE)/.sdk/package.json
	cd $(TS_EXAMPLE) && $(NPM) ci --no-audit --no-fund
	touch $@

test-examples-ts: $(TS_EXAMPLE)/node_modules/.package-lock.json $(TS_EXAMPLE)/.sdk/package.json
	cd $(TS_EXAMPLE) && ./node_modules/.bin/tsc --noEmit -p .
	cd $(TS_EXAMPLE) && $(NODE) --import tsx --test test/setup.test.ts

# Resolve the lock again from package.json; no registry address is recorded.
lock-examples-ts: $(TS_EXAMPLE)/.sdk/package.json
	cd $(TS_EXAMPLE) && rm -f package-lock.json && \
	$(NPM) install --package-lock-only --ignore-scripts --no-audit --no-fund \
		--omit-lockfile-registry-resolved

# pytest exits 5 when it collected no test: that is a failure here.
test-examples-python: $(PY_EXAMPLE)/.venv/.sdk
	cd $(PY_EXAMPLE) && .venv/bin/python -m compileall -q __main__.py concurrent_setup.py
	cd $(PY_EXAMPLE) && .venv/bin/python -m pytest $(EXAMPLES_PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "test-examples-python: pytest collected no tests" >&2; exit 1; fi; \
	exit $$status

clean-examples:
	rm -rf $(TS_EXAMPLE)/node_modules $(TS_EXAMPLE)/.sdk $(PY_EXAMPLE)/.venv $(PY_EXAMPLE)/.sdk \
		$(PY_EXAMPLE)/.pytest_cache
