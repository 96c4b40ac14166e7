# The offline plan: what ConcurrentEksSetup would create and grant, computed by the
# component's own code under mocks (no credentials, no cluster). The top-level Makefile
# includes this file (`include plan.mk`) and provides `build`, BIN and PLUGIN.
BIN         ?= bin
PLUGIN      ?= pulumi-resource-concurrent
PLAN_FILE   ?= examples/plan/setup.yaml
PLAN_OUTPUT ?= text

.PHONY: plan

plan: build ## print the offline plan of the demo setup (PLAN_FILE=..., PLAN_OUTPUT=json)
	@$(BIN)/$(PLUGIN) plan -f $(PLAN_FILE) --output $(PLAN_OUTPUT)
