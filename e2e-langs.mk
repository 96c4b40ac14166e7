# End-to-end tests of the TypeScript and Python SDKs: each language's Automation API runs an
# inline program (two ConcurrentNamespaces through the generated SDK, with a Kubernetes
# provider from npm / PyPI) through the real Pulumi CLI, our freshly built plugin and the
# Kubernetes provider plugin in tools/bin, against the API server tools/kube-up.sh started.
# Included by the Makefile after langs.mk (whose LANGS_STAGE_PACKAGE_JSON stages the Node SDK
# and whose sdk.mk build-sdk-nodejs compiles it); `make e2e` runs e2e-langs between kube-up and
# kube-down.
#
#   make e2e-langs         both, one after the other (never in parallel: the bootstrap
#                          ClusterRole is cluster-wide, each test creates and deletes it)
#   make e2e-ts            e2e/nodejs: stage the SDK, npm ci, tsc --noEmit, node --test
#   make e2e-python        e2e/python: venv with pulumi + pulumi_kubernetes from PyPI + the SDK
#   make e2e-langs-plugin  our plugin in $(E2E_PLUGIN_DIR), where both tests find it
#   make e2e-ts-lock       refresh e2e/nodejs/package-lock.json (after a pin moves)
#   make clean-e2e-langs   remove the tests' node_modules, venv, staged SDKs and plugin
#
# They need tools/bin (tools/build.sh) and a running cluster: E2E_KUBECONFIG (default
# .e2e/kubeconfig). npm ci runs with --ignore-scripts: @pulumi/kubernetes's install script
# would download the provider plugin; the tests use the one in tools/bin.

E2E_LANGS_NPM     ?= npm
E2E_LANGS_NODE    ?= node
E2E_LANGS_PYTHON  ?= python3
E2E_LANGS_PIP     := --disable-pip-version-check --no-input -q
# e.g. E2E_PYTEST_ARGS=-v
E2E_PYTEST_ARGS   ?=
E2E_TS_DIR        := e2e/nodejs
E2E_PY_DIR        := e2e/python
E2E_PY_VENV       := $(E2E_PY_DIR)/.venv
# Our plugin, built from this tree; the tests read the folder from E2E_PLUGIN_DIR.
E2E_PLUGIN_DIR    := .e2e/plugin
E2E_KUBECONFIG    ?= .e2e/kubeconfig
E2E_PY_SDK_FILES   = $(wildcard sdk/python/pyproject.toml sdk/python/README.md \
	sdk/python/pulumi_concurrent/*.py sdk/python/pulumi_concurrent/*.json sdk/python/pulumi_concurrent/py.typed)
# What both tests get: absolute paths, so each may run from its own folder.
E2E_LANGS_ENV = E2E_KUBECONFIG=$(abspath $(E2E_KUBECONFIG)) E2E_PLUGIN_DIR=$(abspath $(E2E_PLUGIN_DIR)) \
	E2E_TOOLS_DIR=$(abspath tools)

.PHONY: e2e-langs e2e-ts e2e-python e2e-langs-plugin e2e-ts-sdk e2e-ts-lock clean-e2e-langs

e2e-langs: e2e-ts e2e-python

# Always asked for; `go build` relinks only when a source changed.
e2e-langs-plugin:
	go build -o $(E2E_PLUGIN_DIR)/pulumi-resource-concurrent ./provider/cmd/pulumi-resource-concurrent

# The built Node SDK as the package npm would publish (as langs-ts-sdk does for the example),
# staged inside e2e/nodejs so that it resolves @pulumi/pulumi from e2e/nodejs/node_modules:
# one copy of the runtime for the Automation API, the inline program and the SDK.
e2e-ts-sdk: build-sdk-nodejs
	rm -rf $(E2E_TS_DIR)/.sdk && mkdir -p $(E2E_TS_DIR)/.sdk
	cp -R sdk/nodejs/bin/. sdk/nodejs/README.md $(E2E_TS_DIR)/.sdk/
	$(E2E_LANGS_NODE) -e "$$LANGS_STAGE_PACKAGE_JSON" sdk/nodejs/package.json > $(E2E_TS_DIR)/.sdk/package.json

$(E2E_TS_DIR)/node_modules/.package-lock.json: $(E2E_TS_DIR)/package-lock.json $(E2E_TS_DIR)/package.json \
		sdk/nodejs/package.json | e2e-ts-sdk
	cd $(E2E_TS_DIR) && $(E2E_LANGS_NPM) ci --ignore-scripts --no-audit --no-fund
	touch $@

e2e-ts: $(E2E_TS_DIR)/node_modules/.package-lock.json e2e-ts-sdk e2e-langs-plugin
	cd $(E2E_TS_DIR) && ./node_modules/.bin/tsc --noEmit -p .
	cd $(E2E_TS_DIR) && $(E2E_LANGS_ENV) $(E2E_LANGS_NODE) --import tsx --test namespace.test.ts

e2e-ts-lock: e2e-ts-sdk
	cd $(E2E_TS_DIR) && rm -f package-lock.json && \
	$(E2E_LANGS_NPM) install --package-lock-only --ignore-scripts --no-audit --no-fund \
		--omit-lockfile-registry-resolved

$(E2E_PY_VENV)/.requirements: $(E2E_PY_DIR)/requirements.txt
	test -x $(E2E_PY_VENV)/bin/python || $(E2E_LANGS_PYTHON) -m venv $(E2E_PY_VENV)
	$(E2E_PY_VENV)/bin/pip install $(E2E_LANGS_PIP) -r $(E2E_PY_DIR)/requirements.txt
	touch $@

# Installed from a copy of the package's files (as langs.mk does for the example), so the
# test imports what pip would install and no build folder lands in sdk/python.
$(E2E_PY_VENV)/.sdk: $(E2E_PY_VENV)/.requirements $(E2E_PY_SDK_FILES)
	rm -rf $(E2E_PY_DIR)/.sdk && mkdir -p $(E2E_PY_DIR)/.sdk
	cp -R sdk/python/pyproject.toml sdk/python/README.md sdk/python/pulumi_concurrent $(E2E_PY_DIR)/.sdk/
	$(E2E_PY_VENV)/bin/pip install $(E2E_LANGS_PIP) ./$(E2E_PY_DIR)/.sdk
	touch $@

# pytest exits 5 when it collected no test: that is a failure here.
e2e-python: $(E2E_PY_VENV)/.sdk e2e-langs-plugin
	cd $(E2E_PY_DIR) && $(E2E_LANGS_ENV) .venv/bin/python -m pytest $(E2E_PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "e2e-python: pytest collected no tests" >&2; exit 1; fi; \
	exit $$status

clean-e2e-langs:
	rm -rf $(E2E_TS_DIR)/node_modules $(E2E_TS_DIR)/.sdk $(E2E_PY_VENV) $(E2E_PY_DIR)/.sdk \
		$(E2E_PY_DIR)/.pytest_cache $(E2E_PLUGIN_DIR)
