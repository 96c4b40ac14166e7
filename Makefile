# pulumi-concurrent: build, test and install the provider plugin, generate the schema and SDKs.
SHELL   := /bin/bash
VERSION := $(shell sed -n 's/^var Version = "\(.*\)"/\1/p' provider/version.go)
PLUGIN  := pulumi-resource-concurrent
BIN     := bin
# Where the Pulumi CLI looks for an installed resource plugin.
PULUMI_HOME    ?= $(HOME)/.pulumi
PLUGIN_DIR     := $(PULUMI_HOME)/plugins/resource-concurrent-v$(VERSION)

.PHONY: build install test test-go bench e2e clean

# The offline plan (`make plan`), the schema and SDKs (`make schema sdks check-generated
# build-sdks`).
include plan.mk
include sdk.mk
include langs.mk
include examples.mk
# After langs.mk: it stages the Node SDK the same way.
include e2e-langs.mk
# Release artifacts (`make dist`), after sdk.mk: it packs the Node SDK that builds.
include mk/dist.mk
include mk/lint.mk
check-generated: ## recipe in sdk.mk (named here so the before-stop hook finds it)

build: ## the provider plugin, in bin/
	go build -o $(BIN)/$(PLUGIN) ./provider/cmd/$(PLUGIN)

install: build ## put the plugin where the Pulumi CLI finds it
	mkdir -p $(PLUGIN_DIR)
	cp $(BIN)/$(PLUGIN) $(PLUGIN_DIR)/$(PLUGIN)
	@echo "installed $(PLUGIN) v$(VERSION) in $(PLUGIN_DIR)"

test: lint test-go build-sdks test-langs test-examples ## every fast test (no cloud, no cluster); installs npm and PyPI packages

test-go: ## unit, mock, fake-clientset and plan tests
	go vet ./...
	go test ./...

bench: ## start-up vs an empty plugin and pulumi-eks, construct cost, peak memory, critical path (docs/performance.md)
	bash bench/run.sh

# End-to-end: the real Pulumi engine, our plugin and the Kubernetes provider against a real
# API server on 127.0.0.1. tools/build.sh builds what that needs (about 20 minutes cold on 2
# cores, a relink when the Go build cache is warm); the cluster is stopped whatever happens.
E2E_TIMEOUT ?= 30m
e2e: ## end-to-end tests against a real API server (see tools/README.md)
	tools/build.sh
	tools/kube-up.sh
	status=0; go test -tags e2e -count=1 -timeout $(E2E_TIMEOUT) -v ./e2e/... || status=$$?; \
	$(MAKE) --no-print-directory e2e-langs || status=$$?; \
	$(MAKE) --no-print-directory e2e-install || status=$$?; \
	tools/kube-down.sh; exit $$status

clean: clean-e2e-langs
	rm -rf $(BIN)
