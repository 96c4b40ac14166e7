# Release artifacts, built into the git-ignored, flat folder dist/ (included by the Makefile,
# which provides GO, NPM, NODE, PYTHON, BIN, PLUGIN and VERSION; mk/sdks.mk's build-sdk-nodejs
# compiles the Node SDK):
#
#   make dist                      the plugin archive for this machine, the npm tarball, the
#                                  Python wheel and sdist, SHA256SUMS over all of them
#   make dist DIST_PLATFORMS=all   the same with the six plugin archives a release attaches
#   make dist DIST_PLATFORMS="linux-arm64 darwin-arm64"   some of them
#   make clean-dist
#
# A plugin archive is named as the Pulumi CLI asks for it,
# pulumi-resource-concurrent-v<version>-<os>-<arch>.tar.gz, and holds the binary (.exe on
# Windows) at its root with LICENSE and README.md. Only the provider built here goes in: the
# engine tests' stand-ins live in tools/bin and are never packed.
# Archives are reproducible: sorted names, no owner, the last commit's time, gzip -n.

DIST              := dist
DIST_STAGE        := $(BIN)/dist
DIST_ALL          := linux-amd64 linux-arm64 darwin-amd64 darwin-arm64 windows-amd64 windows-arm64
DIST_HOST         := $(shell $(GO) env GOOS)-$(shell $(GO) env GOARCH)
DIST_PLATFORMS    ?= $(DIST_HOST)
override DIST_PLATFORMS := $(if $(filter all,$(DIST_PLATFORMS)),$(DIST_ALL),$(DIST_PLATFORMS))
# PyPI's `build`, in its own venv; it builds the wheel and sdist in an isolated environment
# with the backend pyproject.toml names.
DIST_BUILD_VERSION ?= 1.6.1
DIST_VENV         := $(DIST_STAGE)/venv
DIST_EPOCH        := $(shell git log -1 --format=%ct 2>/dev/null || echo 0)

# The staged npm package.json: the generated one less its build-only fields, plus the entry
# points of the compiled package.
define DIST_NPM_PACKAGE_JSON
const p = require(require("path").resolve(process.argv[1]));
delete p.devDependencies;
delete p.scripts;
p.main = "index.js";
p.types = "index.d.ts";
process.stdout.write(JSON.stringify(p, null, 4) + "\n");
endef
export DIST_NPM_PACKAGE_JSON

# The parts of a platform name such as linux-arm64, in a dist-plugin-<platform> recipe.
dist_os   = $(word 1,$(subst -, ,$*))
dist_arch = $(word 2,$(subst -, ,$*))
dist_exe  = $(PLUGIN)$(if $(filter windows,$(dist_os)),.exe)

.PHONY: dist dist-plugins dist-npm dist-python clean-dist

# dist/ holds this run's artifacts only: SHA256SUMS lists every file in it.
dist:
	rm -rf $(DIST)
	$(MAKE) --no-print-directory dist-plugins dist-npm dist-python
	cd $(DIST) && find . -maxdepth 1 -type f ! -name SHA256SUMS -printf '%f\n' | LC_ALL=C sort | \
		xargs sha256sum > SHA256SUMS
	@cat $(DIST)/SHA256SUMS

dist-plugins: $(addprefix dist-plugin-,$(DIST_PLATFORMS))

dist-plugin-%:
	@case " $(DIST_ALL) " in *" $* "*) ;; *) echo "dist: unknown platform $* (one of: $(DIST_ALL), or all)" >&2; exit 2;; esac
	rm -rf $(DIST_STAGE)/$* && mkdir -p $(DIST_STAGE)/$* $(DIST)
	CGO_ENABLED=0 GOOS=$(dist_os) GOARCH=$(dist_arch) $(GO) build -trimpath -ldflags "-s -w" \
		-o $(DIST_STAGE)/$*/$(dist_exe) ./provider/cmd/$(PLUGIN)
	cp LICENSE README.md $(DIST_STAGE)/$*/
	tar -C $(DIST_STAGE)/$* --sort=name --owner=0 --group=0 --numeric-owner --mtime=@$(DIST_EPOCH) \
		-cf - $(dist_exe) LICENSE README.md | gzip -9n > $(DIST)/$(PLUGIN)-v$(VERSION)-$*.tar.gz

# The compiled SDK (sdk/nodejs/bin) with its package.json, README and LICENSE.
dist-npm: build-sdk-nodejs
	rm -rf $(DIST_STAGE)/npm && mkdir -p $(DIST_STAGE)/npm $(DIST)
	cp -R sdk/nodejs/bin/. $(DIST_STAGE)/npm/
	cp sdk/nodejs/README.md LICENSE $(DIST_STAGE)/npm/
	$(NODE) -e "$$DIST_NPM_PACKAGE_JSON" sdk/nodejs/package.json > $(DIST_STAGE)/npm/package.json
	cd $(DIST_STAGE)/npm && $(NPM) pack --ignore-scripts --silent --pack-destination $(abspath $(DIST))

$(DIST_VENV)/bin/pyproject-build:
	$(PYTHON) -m venv $(DIST_VENV)
	$(DIST_VENV)/bin/pip install $(PIP_FLAGS) build==$(DIST_BUILD_VERSION)

# Built from a copy of the package's files (no build folder lands in sdk/python); the README
# is pyproject's `readme`, the long description PyPI shows.
dist-python: $(DIST_VENV)/bin/pyproject-build
	rm -rf $(DIST_STAGE)/python && mkdir -p $(DIST_STAGE)/python $(DIST)
	cp -R sdk/python/pyproject.toml sdk/python/README.md sdk/python/pulumi_concurrent LICENSE $(DIST_STAGE)/python/
	find $(DIST_STAGE)/python -name __pycache__ -prune -exec rm -rf {} +
	SOURCE_DATE_EPOCH=$(DIST_EPOCH) $(DIST_VENV)/bin/python -m build -q --outdir $(abspath $(DIST)) $(DIST_STAGE)/python

clean-dist:
	rm -rf $(DIST) $(DIST_STAGE)

# The offline install proof (e2e/install): dist/ served on 127.0.0.1 as the GitHub release,
# an empty PULUMI_HOME per user, automatic plugin acquisition on. A fresh TypeScript project
# (npm tarball) and a fresh Python venv (wheel) preview a ConcurrentEksSetup through the
# Automation API (AWS and random played by tools/bin/standin) while the engine downloads our
# plugin; `pulumi plugin install --file/--server`; a fresh Go module builds against the Go SDK
# from a local module proxy directory. Needs tools/bin and the test cluster's kubeconfig:
# `make e2e` runs it between kube-up and kube-down.
INSTALL_TIMEOUT ?= 20m
INSTALL_KUBECONFIG ?= .e2e/kubeconfig

.PHONY: e2e-install

e2e-install: dist
	KUBECONFIG=$(abspath $(INSTALL_KUBECONFIG)) $(GO) test -tags install -count=1 -timeout $(INSTALL_TIMEOUT) -v ./e2e/install/
