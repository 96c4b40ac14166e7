package setup

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/concurrent-ai/pulumi-concurrent/provider/internal/inputs"
)

// Every rule on the inputs lives in one of two tables: staticRules (rules_static.go) on the
// inputs alone, run before the component is registered, and clusterRules (rules_cluster.go)
// on what the look-ups learned, run before any child is registered. Each error starts with
// the input's path, so `pulumi preview` points at the field:
// `nodeGroups.system.minSize: must be <= desiredSize (2 > 1)`. Inputs that are not known yet
// (outputs of other resources) are checked where they are used, inside an apply.

// rule is one named check of a table; Check is what the table's rules read.
type rule[Check any] struct {
	name  string
	check Check
}

// validate returns the warnings of the static rules, or their errors.
func validate(raw *ConcurrentEksSetupArgs, c *config) ([]string, error) {
	var p problems
	for _, r := range staticRules {
		r.check(raw, c, &p)
	}
	return p.warnings, p.err()
}

// validateAgainstCluster returns the warnings of the cluster rules, or their errors.
func validateAgainstCluster(c *config, f *clusterFacts) ([]string, error) {
	var p problems
	for _, r := range clusterRules {
		r.check(c, f, &p)
	}
	return p.warnings, p.err()
}

// problems collects path-first errors, and warnings: what the component cannot check and
// the user must see to (logged on the component, never failing it).
type problems struct {
	errs     []error
	warnings []string
}

func (p *problems) add(path, format string, args ...any) {
	p.errs = append(p.errs, fmt.Errorf("%s: %s", path, fmt.Sprintf(format, args...)))
}

func (p *problems) addErrs(errs ...error) {
	for _, err := range errs {
		if err != nil {
			p.errs = append(p.errs, err)
		}
	}
}

func (p *problems) warn(path, format string, args ...any) {
	p.warnings = append(p.warnings, fmt.Sprintf("%s: %s", path, fmt.Sprintf(format, args...)))
}

func (p *problems) err() error { return errors.Join(p.errs...) }

// checkLabels applies Kubernetes' label rules to a known label map; reserved names a key the
// component sets itself.
func checkLabels(path string, labels pulumi.StringMapInput, p *problems, reserved string) {
	p.addErrs(inputs.LabelErrors(path, labels)...)
	if m, ok := labels.(pulumi.StringMap); ok && reserved != "" {
		if _, set := m[reserved]; set {
			p.add(path, "key %q is set by the component", reserved)
		}
	}
}

func checkSubnetList(path string, subnets pulumi.StringArrayInput, p *problems) {
	arr, ok := subnets.(pulumi.StringArray)
	if !ok {
		return
	}
	if len(arr) == 0 {
		p.add(path, "must not be empty")
	}
	for i, s := range arr {
		if v, ok := knownString(s); ok && !strings.HasPrefix(v, "subnet-") {
			p.add(fmt.Sprintf("%s[%d]", path, i), "%q is not a subnet id (subnet-...)", v)
		}
	}
}

// knownString returns the value of an Input known at construct time.
var knownString = inputs.Known
