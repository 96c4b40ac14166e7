# pulumi-concurrent: build, test and install the provider plugin, generate the schema and SDKs.
SHELL   := /bin/bash
VERSION := $(shell sed -n 's/^var Version = "\(.*\)"/\1/p' provider/version.go)
PLUGIN  := pulumi-resource-concurrent
BIN     := bin
# Where the Pulumi CLI looks for an installed resource plugin.
PULUMI_HOME    ?= $(HOME)/.pulumi
PLUGIN_DIR     := $(PULUMI_HOME)/plugins/resource-concurrent-v$(VERSION)

.PHONY: build install test bench lint clean

build: ## the provider plugin, in bin/
	go build -o $(BIN)/$(PLUGIN) ./provider/cmd/$(PLUGIN)

install: build ## put the plugin where the Pulumi CLI finds it
	mkdir -p $(PLUGIN_DIR)
	cp $(BIN)/$(PLUGIN) $(PLUGIN_DIR)/$(PLUGIN)
	@echo "installed $(PLUGIN) v$(VERSION) in $(PLUGIN_DIR)"

test: ## unit, mock and fake-clientset tests (no cloud, no cluster)
	go vet ./...
	go test ./...

bench: ## Go benchmarks of the component's construct
	go test -run '^$$' -bench . -benchmem ./provider/...

clean:
	rm -rf $(BIN)
