# End-to-end tests of the TypeScript and Python SDKs (included by the Makefile; `make e2e`
# runs test-e2e-langs between kube-up and kube-down): each language's Automation API runs
# inline programs (two ConcurrentNamespaces with a Kubernetes provider from npm / PyPI; a
# ConcurrentEksSetup, node groups in TypeScript, Fargate in Python, on the stand-ins of
# tools/standin) through the generated SDK, the real Pulumi CLI, our freshly built plugin and
# the Kubernetes provider plugin in tools/bin, against the API server tools/kube-up.sh started.
# The TypeScript setup test compares its outputs with examples/testdata/setup-engine-run.json,
# which the examples' mocks answer with: `E2E_RECORD=1 make test-e2e-ts` rewrites it.
# The SDKs are staged as packages by the rules of mk/sdks.mk.
#
#   make test-e2e-langs     both, one after the other (never in parallel: the bootstrap
#                           ClusterRole is cluster-wide, each test creates and deletes it)
#   make test-e2e-ts        e2e/nodejs: stage the SDK, npm ci, tsc --noEmit, node --test (one file at a time)
#   make test-e2e-python    e2e/python: venv with pulumi + pulumi_kubernetes from PyPI + the SDK
#   make build-e2e-plugin   our plugin in $(E2E_PLUGIN_DIR), where both tests find it
#   make lock-e2e-ts        refresh e2e/nodejs/package-lock.json (after a pin moves)
#   make clean-e2e          remove the tests' node_modules, venv, staged SDKs and plugin
#
# They need tools/bin (tools/build.sh) and a running cluster: E2E_KUBECONFIG (default
# .e2e/kubeconfig). npm ci runs with --ignore-scripts: @pulumi/kubernetes's install script
# would download the provider plugin; the tests use the one in tools/bin.

# e.g. E2E_PYTEST_ARGS=-v
E2E_PYTEST_ARGS ?=
E2E_TS_DIR      := e2e/nodejs
E2E_PY_DIR      := e2e/python
# e.g. E2E_TS_TESTS=setup.test.ts to run one file.
E2E_TS_TESTS    ?= namespace.test.ts setup.test.ts preview.test.ts
# Our plugin, built from this tree; the tests read the folder from E2E_PLUGIN_DIR.
E2E_PLUGIN_DIR  := .e2e/plugin
E2E_KUBECONFIG  ?= .e2e/kubeconfig
# What both tests get: absolute paths, so each may run from its own folder.
E2E_LANGS_ENV = E2E_KUBECONFIG=$(abspath $(E2E_KUBECONFIG)) E2E_PLUGIN_DIR=$(abspath $(E2E_PLUGIN_DIR)) \
	E2E_TOOLS_DIR=$(abspath tools)

.PHONY: test-e2e-langs test-e2e-ts test-e2e-python build-e2e-plugin lock-e2e-ts clean-e2e

test-e2e-langs: test-e2e-ts test-e2e-python

# Always asked for; `go build` relinks only when a source changed.
build-e2e-plugin:
	$(GO) build -o $(E2E_PLUGIN_DIR)/$(PLUGIN) ./provider/cmd/$(PLUGIN)

$(E2E_TS_DIR)/node_modules/.package-lock.json: $(E2E_TS_DIR)/package-lock.json $(E2E_TS_DIR)/package.json \
		sdk/nodejs/package.json | $(E2E_TS_DIR)/.sdk/package.json
	cd $(E2E_TS_DIR) && $(NPM) ci --ignore-scripts --no-audit --no-fund
	touch $@

test-e2e-ts: $(E2E_TS_DIR)/node_modules/.package-lock.json $(E2E_TS_DIR)/.sdk/package.json build-e2e-plugin
	cd $(E2E_TS_DIR) && ./node_modules/.bin/tsc --noEmit -p .
	cd $(E2E_TS_DIR) && $(E2E_LANGS_ENV) $(NODE) --import tsx --test --test-concurrency=1 $(E2E_TS_TESTS)

lock-e2e-ts: $(E2E_TS_DIR)/.sdk/package.json
	cd $(E2E_TS_DIR) && rm -f package-lock.json && \
	$(NPM) install --package-lock-only --ignore-scripts --no-audit --no-fund \
		--omit-lockfile-registry-resolved

# pytest exits 5 when it collected no test: that is a failure here.
test-e2e-python: $(E2E_PY_DIR)/.venv/.sdk build-e2e-plugin
	cd $(E2E_PY_DIR) && $(E2E_LANGS_ENV) .venv/bin/python -m pytest $(E2E_PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "test-e2e-python: pytest collected no tests" >&2; exit 1; fi; \
	exit $$status

clean-e2e:
	rm -rf $(E2E_TS_DIR)/node_modules $(E2E_TS_DIR)/.sdk $(E2E_PY_DIR)/.venv $(E2E_PY_DIR)/.sdk \
		$(E2E_PY_DIR)/.pytest_cache $(E2E_PLUGIN_DIR)
