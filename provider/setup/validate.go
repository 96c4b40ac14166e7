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

func validate(raw *ConcurrentEksSetupArgs, c *config) error {
	var p problems
	for _, r := range staticRules {
		r.check(raw, c, &p)
	}
	return p.err()
}

func validateAgainstCluster(c *config, f *clusterFacts) error {
	var p problems
	for _, r := range clusterRules {
		r.check(c, f, &p)
	}
	return p.err()
}

// problems collects path-first errors.
type problems []error

func (p *problems) add(path, format string, args ...any) {
	*p = append(*p, fmt.Errorf("%s: %s", path, fmt.Sprintf(format, args...)))
}

func (p problems) err() error { return errors.Join(p...) }

// checkLabels applies Kubernetes' label rules to a known label map; reserved names a key the
// component sets itself.
func checkLabels(path string, labels pulumi.StringMapInput, p *problems, reserved string) {
	*p = append(*p, inputs.LabelErrors(path, labels)...)
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
