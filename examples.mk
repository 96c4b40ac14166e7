# Examples: each Go example (its own module, using sdk/ through a replace) runs under Pulumi's
# mocks; every Pulumi YAML program (the top-level Pulumi.yaml and examples/*/Pulumi.yaml) is
# checked against schema.yaml. The top-level Makefile includes this file (`include examples.mk`)
# and runs test-examples from `make test`.
#
#   make test-examples   the YAML check, then vet and test each Go example
#   make tidy-examples   go mod tidy in each Go example (after sdk/go.mod or a pin changes)

EXAMPLES_GO ?= go
GO_EXAMPLES := examples/go examples/go-new-cluster

.PHONY: test-examples test-examples-yaml test-examples-go tidy-examples

test-examples: test-examples-yaml test-examples-go

test-examples-yaml:
	$(EXAMPLES_GO) test ./examples/

test-examples-go:
	@set -e; for d in $(GO_EXAMPLES); do \
		echo "cd $$d && $(EXAMPLES_GO) vet ./... && $(EXAMPLES_GO) test ./..."; \
		(cd $$d && $(EXAMPLES_GO) vet ./... && $(EXAMPLES_GO) test ./...); \
	done

tidy-examples:
	@set -e; for d in $(GO_EXAMPLES); do (cd $$d && $(EXAMPLES_GO) mod tidy); done
