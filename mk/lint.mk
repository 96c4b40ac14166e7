# Static checks of what no Go test covers (included by the Makefile, which provides GO and
# BIN; `make test` runs lint):
#
#   make lint   actionlint over .github/workflows/ (with shellcheck on the run: scripts when
#               shellcheck is on the PATH; .ci/run installs it from Debian)
#
# actionlint is built from the Go module proxy at the version tools/actionlint/go.mod pins,
# like the other tools; with a warm Go build cache that is a relink.

LINT_ACTIONLINT := $(BIN)/actionlint

.PHONY: lint $(LINT_ACTIONLINT)

$(LINT_ACTIONLINT):
	cd tools/actionlint && $(GO) build -o $(abspath $@) github.com/rhysd/actionlint/cmd/actionlint

lint: $(LINT_ACTIONLINT)
	$(LINT_ACTIONLINT) -no-color
