# The IAM linter over every permission document the component emits (make lint-iam, part
# of make test). The Go test that checks each profile's documents as exact sets writes them
# (one JSON file per case), so the linted documents are the code's, never a copy; parliament
# (from PyPI, in its own virtual environment) lints them against iamlint/allowlist-*.yaml.
# Trust policies are left out: parliament reports their Principal as malformed.
.PHONY: lint-iam clean-lint-iam

IAMLINT_PYTHON ?= python3
IAMLINT_VENV   := iamlint/.venv
IAMLINT_DOCS   := $(BIN)/iam-documents

$(IAMLINT_VENV)/.installed: iamlint/requirements.txt
	test -x $(IAMLINT_VENV)/bin/python || $(IAMLINT_PYTHON) -m venv $(IAMLINT_VENV)
	$(IAMLINT_VENV)/bin/pip install --disable-pip-version-check --no-input -q -r iamlint/requirements.txt
	touch $@

lint-iam: $(IAMLINT_VENV)/.installed ## lint the role's permission documents with parliament
	rm -rf $(IAMLINT_DOCS)
	go test ./provider/setup -run '^TestPermissionsPolicyExactSets$$' -count=1 -args -iam-docs-dir=$(abspath $(IAMLINT_DOCS))
	$(IAMLINT_VENV)/bin/python iamlint/check.py $(IAMLINT_DOCS) iamlint

clean-lint-iam:
	rm -rf $(IAMLINT_VENV) $(IAMLINT_DOCS)
