# The IAM linter (included by the Makefile; `make test` runs lint-iam) over every permission
# document the component emits. The Go test that checks each profile's documents as exact
# sets writes them, one JSON file per case, so the linted documents are the code's, never a
# copy; parliament (from PyPI, in its own virtual environment) lints them, and
# iamlint/check.py fails on any finding iamlint/allowlist-<profile>.yaml does not excuse and
# on any entry that excuses nothing. Trust policies are left out: parliament reports their
# Principal as malformed.
#
#   make lint-iam        lint the permission documents
#   make clean-iamlint   remove the venv and the written documents

IAMLINT_VENV := iamlint/.venv
IAMLINT_DOCS := $(BIN)/iam-documents

.PHONY: lint-iam clean-iamlint

$(IAMLINT_VENV)/.installed: iamlint/requirements.txt
	test -x $(IAMLINT_VENV)/bin/python || $(PYTHON) -m venv $(IAMLINT_VENV)
	$(IAMLINT_VENV)/bin/pip install $(PIP_FLAGS) -r iamlint/requirements.txt
	touch $@

lint-iam: $(IAMLINT_VENV)/.installed
	rm -rf $(IAMLINT_DOCS)
	$(GO) test ./provider/setup -run '^TestPermissionsPolicyExactSets$$' -count=1 -args -iam-docs-dir=$(abspath $(IAMLINT_DOCS))
	$(IAMLINT_VENV)/bin/python iamlint/check.py $(IAMLINT_DOCS) iamlint

clean-iamlint:
	rm -rf $(IAMLINT_VENV) $(IAMLINT_DOCS)
