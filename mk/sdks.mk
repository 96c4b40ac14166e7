# The generated SDKs, built as their users' tools build them, and staged as the packages npm
# and pip would install (included by the Makefile, which provides GO, NPM, NODE, PYTHON and
# PIP_FLAGS; mk/examples.mk and mk/e2e.mk stage the SDKs with the rules at the end).
#
#   make build-sdks        compile each SDK: go build, tsc, byte-compile + install in a venv
#   make lock-sdk-nodejs   refresh sdk/nodejs/package-lock.json (after the pulumi version moves)
#   make clean-sdks        remove the SDK builds' node_modules, bin, .venv and build folders
#
# The version of the plugin, the schema and every SDK is provider.Version (provider/version.go).

# The pulumi version the SDKs are built against: the Go SDK's, from go.mod.
SDK_PULUMI_VERSION = $(patsubst v%,%,$(shell $(GO) list -m -f '{{.Version}}' github.com/pulumi/pulumi/sdk/v3))
# PyPI serves no pulumi 3.276.0 (the newest release there is 3.272.0); any 3.269+ satisfies
# the generated pyproject.toml.
SDK_PULUMI_PYPI_VERSION ?= 3.272.0
SDK_VENV := sdk/python/.venv
# The Python SDK's sources: reinstall it where it is staged when one of them changes.
SDK_PYTHON_FILES = $(wildcard sdk/python/pyproject.toml sdk/python/README.md \
	sdk/python/pulumi_concurrent/*.py sdk/python/pulumi_concurrent/*.json sdk/python/pulumi_concurrent/py.typed)

.PHONY: build-sdks build-sdk-go build-sdk-nodejs build-sdk-python lock-sdk-nodejs clean-sdks

build-sdks: build-sdk-go build-sdk-nodejs build-sdk-python

build-sdk-go:
	cd sdk && $(GO) build ./... && $(GO) vet ./...

# npm ci only when the lock file is newer than the installed tree.
sdk/nodejs/node_modules/.package-lock.json: sdk/nodejs/package-lock.json sdk/nodejs/package.json
	cd sdk/nodejs && $(NPM) ci --no-audit --no-fund
	touch $@

build-sdk-nodejs: sdk/nodejs/node_modules/.package-lock.json
	cd sdk/nodejs && ./node_modules/.bin/tsc -p .

$(SDK_VENV)/bin/python:
	$(PYTHON) -m venv $(SDK_VENV)
	$(SDK_VENV)/bin/pip install $(PIP_FLAGS) pulumi==$(SDK_PULUMI_PYPI_VERSION)

# Byte-compile the sources, install the package, and import it from outside the source tree.
build-sdk-python: $(SDK_VENV)/bin/python
	$(SDK_VENV)/bin/python -m compileall -q sdk/python/pulumi_concurrent
	$(SDK_VENV)/bin/pip install $(PIP_FLAGS) --force-reinstall --no-deps ./sdk/python
	cd / && $(abspath $(SDK_VENV))/bin/python -c 'import pulumi_concurrent as c; c.ConcurrentEksSetup'

# Lock @pulumi/pulumi at the Go SDK's version: resolve once with it pinned exactly, then again
# with the generated range, which keeps the locked version. No registry address is recorded.
lock-sdk-nodejs:
	cd sdk/nodejs && cp package.json package.json.generated && \
	$(NODE) -e 'const f="package.json",p=require("./"+f);p.dependencies["@pulumi/pulumi"]="$(SDK_PULUMI_VERSION)";require("fs").writeFileSync(f,JSON.stringify(p,null,4))' && \
	rm -f package-lock.json && \
	$(NPM) install --package-lock-only --ignore-scripts --no-audit --no-fund --omit-lockfile-registry-resolved; \
	status=$$?; mv package.json.generated package.json; [ $$status -eq 0 ] && \
	$(NPM) install --package-lock-only --ignore-scripts --no-audit --no-fund --omit-lockfile-registry-resolved

clean-sdks:
	rm -rf sdk/nodejs/node_modules sdk/nodejs/bin $(SDK_VENV) sdk/python/build sdk/python/*.egg-info

# Staging, for a consumer folder <dir> (examples/typescript, e2e/nodejs, examples/python,
# e2e/python): nothing is written into sdk/.
#
# <dir>/.sdk/package.json: the built Node SDK as the package npm would publish: bin/ (the
# generated package.json has no "main": tsc compiles to sdk/nodejs/bin) + package.json less
# the build-only devDependencies and scripts + README. The consumer depends on it as
# `file:.sdk`, so the SDK resolves @pulumi/pulumi from the consumer's node_modules (one copy
# of the runtime, which the mocks and the Automation API need). Cheap, so always redone after
# the build.
define SDK_STAGE_PACKAGE_JSON
const p = require(require("path").resolve(process.argv[1]));
delete p.devDependencies;
delete p.scripts;
process.stdout.write(JSON.stringify(p, null, 4) + "\n");
endef
export SDK_STAGE_PACKAGE_JSON

%/.sdk/package.json: build-sdk-nodejs
	rm -rf $*/.sdk && mkdir -p $*/.sdk
	cp -R sdk/nodejs/bin/. sdk/nodejs/README.md $*/.sdk/
	$(NODE) -e "$$SDK_STAGE_PACKAGE_JSON" sdk/nodejs/package.json > $@

# <dir>/.venv: a venv with <dir>/requirements.txt, then the Python SDK installed (not put on
# the path) from a copy of its package files in <dir>/.sdk, so the tests import what pip would
# install and no build folder lands in sdk/python. pip reinstalls a local folder every time;
# the diff checks that the venv now holds exactly these sources (README.md is not package data).
%/.venv/.requirements: %/requirements.txt
	test -x $*/.venv/bin/python || $(PYTHON) -m venv $*/.venv
	$*/.venv/bin/pip install $(PIP_FLAGS) -r $<
	touch $@

%/.venv/.sdk: %/.venv/.requirements $(SDK_PYTHON_FILES)
	rm -rf $*/.sdk && mkdir -p $*/.sdk
	cp -R sdk/python/pyproject.toml sdk/python/README.md sdk/python/pulumi_concurrent $*/.sdk/
	$*/.venv/bin/pip install $(PIP_FLAGS) ./$*/.sdk
	installed=$$(cd / && $(abspath $*/.venv)/bin/python -c \
		'import os, pulumi_concurrent as c; print(os.path.dirname(c.__file__))') && \
	diff -rq -x __pycache__ -x README.md $*/.sdk/pulumi_concurrent "$$installed"
	touch $@

# Staged files are kept between runs, although make reaches them through these patterns.
.PRECIOUS: %/.sdk/package.json %/.venv/.requirements %/.venv/.sdk
