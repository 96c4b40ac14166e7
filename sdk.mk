# Schema and SDKs, generated offline from the provider's Go types (included by the Makefile).
#
#   make schema           schema.yaml from the provider's own GetSchema (in-process)
#   make sdks             schema, then sdk/go, sdk/nodejs, sdk/python from schema.yaml
#   make check-generated  regenerate both into a temporary folder; fail on any difference
#                         (Go only: no npm, pip or Pulumi CLI)
#   make build-sdks       compile each SDK: go build, tsc, byte-compile + install in a venv
#   make sdk-nodejs-lock  refresh sdk/nodejs/package-lock.json (after the pulumi version moves)
#   make clean-sdks       remove the SDK builds' node_modules, bin, .venv and build folders
#
# The version of the plugin, the schema and every SDK is provider.Version (provider/version.go).

SDK_GO        ?= go
SDK_NPM       ?= npm
SDK_PYTHON    ?= python3
SDK_GEN       := bin/concurrent-gen
# The pulumi version the SDKs are built against: the Go SDK's, from go.mod.
SDK_PULUMI_VERSION = $(patsubst v%,%,$(shell $(SDK_GO) list -m -f '{{.Version}}' github.com/pulumi/pulumi/sdk/v3))
# PyPI serves no pulumi 3.276.0 (the newest release there is 3.272.0); any 3.269+ satisfies
# the generated pyproject.toml.
SDK_PULUMI_PYPI_VERSION ?= 3.272.0
SDK_VENV      := sdk/python/.venv

.PHONY: schema sdks check-generated build-sdks build-sdk-go build-sdk-nodejs build-sdk-python \
	sdk-nodejs-lock clean-sdks $(SDK_GEN)

# Always asked for; `go build` relinks only when a source changed.
$(SDK_GEN):
	$(SDK_GO) build -o $@ ./provider/cmd/gen

schema: $(SDK_GEN)
	$(SDK_GEN) schema -o schema.yaml

sdks: schema
	$(SDK_GEN) sdks -schema schema.yaml -o sdk

check-generated: $(SDK_GEN)
	$(SDK_GEN) check -schema schema.yaml -sdk sdk

build-sdks: build-sdk-go build-sdk-nodejs build-sdk-python

build-sdk-go:
	cd sdk && $(SDK_GO) build ./... && $(SDK_GO) vet ./...

# npm ci only when the lock file is newer than the installed tree.
sdk/nodejs/node_modules/.package-lock.json: sdk/nodejs/package-lock.json sdk/nodejs/package.json
	cd sdk/nodejs && $(SDK_NPM) ci --no-audit --no-fund
	touch $@

build-sdk-nodejs: sdk/nodejs/node_modules/.package-lock.json
	cd sdk/nodejs && ./node_modules/.bin/tsc -p .

$(SDK_VENV)/bin/python:
	$(SDK_PYTHON) -m venv $(SDK_VENV)
	$(SDK_VENV)/bin/pip install -q --disable-pip-version-check pulumi==$(SDK_PULUMI_PYPI_VERSION)

# Byte-compile the sources, install the package, and import it from outside the source tree.
build-sdk-python: $(SDK_VENV)/bin/python
	$(SDK_VENV)/bin/python -m compileall -q sdk/python/pulumi_concurrent
	$(SDK_VENV)/bin/pip install -q --disable-pip-version-check --force-reinstall --no-deps ./sdk/python
	cd / && $(abspath $(SDK_VENV))/bin/python -c 'import pulumi_concurrent as c; c.ConcurrentEksSetup'

# Lock @pulumi/pulumi at the Go SDK's version: resolve once with it pinned exactly, then again
# with the generated range, which keeps the locked version. No registry address is recorded.
sdk-nodejs-lock:
	cd sdk/nodejs && cp package.json package.json.generated && \
	node -e 'const f="package.json",p=require("./"+f);p.dependencies["@pulumi/pulumi"]="$(SDK_PULUMI_VERSION)";require("fs").writeFileSync(f,JSON.stringify(p,null,4))' && \
	rm -f package-lock.json && \
	$(SDK_NPM) install --package-lock-only --ignore-scripts --no-audit --no-fund --omit-lockfile-registry-resolved; \
	status=$$?; mv package.json.generated package.json; [ $$status -eq 0 ] && \
	$(SDK_NPM) install --package-lock-only --ignore-scripts --no-audit --no-fund --omit-lockfile-registry-resolved

clean-sdks:
	rm -rf sdk/nodejs/node_modules sdk/nodejs/bin $(SDK_VENV) sdk/python/build sdk/python/*.egg-info
