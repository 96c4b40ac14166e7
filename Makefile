# pulumi-concurrent: build, test and install the provider plugin, generate the schema and SDKs.
# The public targets are here; mk/ holds the SDK builds (sdks.mk), the examples' tests
# (examples.mk), the SDKs' end-to-end tests (e2e.mk) and the IAM linter (iamlint.mk). Those files use only the variables
# below and their own, and name their internal targets <verb>-<thing>.
SHELL   := /bin/bash
VERSION := $(shell sed -n 's/^var Version = "\(.*\)"/\1/p' provider/version.go)
PLUGIN  := pulumi-resource-concurrent
BIN     := bin
GO      ?= go
NPM     ?= npm
NODE    ?= node
PYTHON  ?= python3
PIP_FLAGS := --disable-pip-version-check --no-input -q
# Where the Pulumi CLI looks for an installed resource plugin.
PULUMI_HOME ?= $(HOME)/.pulumi
PLUGIN_DIR  := $(PULUMI_HOME)/plugins/resource-concurrent-v$(VERSION)
# The offline plan's setup file and output (text or json).
PLAN_FILE   ?= examples/plan/setup.yaml
PLAN_OUTPUT ?= text
# The schema and SDK generator (provider/cmd/gen).
GEN := $(BIN)/concurrent-gen

.PHONY: build install plan test test-go bench e2e e2e-aws schema sdks check-generated clean $(BIN)/$(PLUGIN) $(GEN)

include mk/sdks.mk
include mk/examples.mk
include mk/e2e.mk
include mk/iamlint.mk
# Release artifacts (`make dist`, `make e2e-install`) and the workflows' check (`make lint`).
include mk/dist.mk
include mk/lint.mk

# Always asked for; `go build` relinks only when a source changed.
$(BIN)/$(PLUGIN):
	$(GO) build -o $@ ./provider/cmd/$(PLUGIN)

$(GEN):
	$(GO) build -o $@ ./provider/cmd/gen

build: $(BIN)/$(PLUGIN) ## the provider plugin, in bin/

install: build ## put the plugin where the Pulumi CLI finds it
	mkdir -p $(PLUGIN_DIR)
	cp $(BIN)/$(PLUGIN) $(PLUGIN_DIR)/$(PLUGIN)
	@echo "installed $(PLUGIN) v$(VERSION) in $(PLUGIN_DIR)"

# What ConcurrentEksSetup would create and grant, computed by the component's own code
# under mocks (no credentials, no cluster).
plan: build ## print the offline plan of the demo setup (PLAN_FILE=..., PLAN_OUTPUT=json)
	@$(BIN)/$(PLUGIN) plan -f $(PLAN_FILE) --output $(PLAN_OUTPUT)

# The schema comes from the provider's own GetSchema (in-process), the SDKs from schema.yaml.
schema: $(GEN) ## schema.yaml from the provider's Go types
	$(GEN) schema -o schema.yaml

sdks: schema ## sdk/go, sdk/nodejs, sdk/python from schema.yaml
	$(GEN) sdks -schema schema.yaml -o sdk

# Regenerates both into a temporary folder; fails on any difference (Go only: no npm, pip
# or Pulumi CLI).
check-generated: $(GEN) ## schema.yaml and sdk/ are what the Go types generate
	$(GEN) check -schema schema.yaml -sdk sdk

test: lint test-go lint-iam build-sdks test-examples ## every fast test (no cloud, no cluster); installs npm and PyPI packages

test-go: ## unit, mock, fake-clientset and plan tests
	$(GO) vet ./...
	$(GO) test ./...

bench: ## start-up vs an empty plugin and pulumi-eks, construct cost, peak memory, critical path, real-engine preview/up/namespaces (docs/performance.md)
	bash bench/run.sh

# End-to-end: the real Pulumi engine, our plugin and the Kubernetes provider against a real
# API server on 127.0.0.1. tools/build.sh builds what that needs (about 20 minutes cold on 2
# cores, a relink when the Go build cache is warm); the cluster is stopped whatever happens.
E2E_TIMEOUT ?= 30m
e2e-aws: ## real-account acceptance run (CONCURRENT_E2E_CLUSTER, CONCURRENT_E2E_ACCOUNT, AWS credentials; docs/acceptance.md)
	CONCURRENT_E2E_AWS=1 go test -count=1 -v -timeout 120m -run TestRealAccount ./e2e/awsreal/

# The stand-ins are built into .e2e/standin, this tree's own (tools/bin may be shared).
export E2E_STANDIN_DIR := $(abspath .e2e/standin)
e2e: ## end-to-end tests against a real API server (see tools/README.md)
	tools/build.sh
	STANDIN_DIR=$(E2E_STANDIN_DIR) tools/build.sh standins
	tools/kube-up.sh
	status=0; $(GO) test -tags e2e -count=1 -timeout $(E2E_TIMEOUT) -v ./e2e/... || status=$$?; \
	$(MAKE) --no-print-directory test-e2e-langs || status=$$?; \
	$(MAKE) --no-print-directory e2e-install || status=$$?; \
	tools/kube-down.sh; exit $$status

clean: clean-e2e clean-iamlint clean-dist
	rm -rf $(BIN)
