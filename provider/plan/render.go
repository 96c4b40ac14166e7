package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"sigs.k8s.io/yaml"
)

// JSON writes the plan as one JSON document: struct fields in a fixed order, map keys
// sorted, IAM documents as the component sends them.
func (pl *Plan) JSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(pl)
}

// Text writes the plan for a reviewer.
func (pl *Plan) Text(w io.Writer) error {
	t := &textWriter{}
	pl.header(t)
	pl.checks(t)
	pl.resourceTree(t)
	pl.iam(t)
	if err := pl.clusterAccess(t); err != nil {
		return err
	}
	if err := pl.compute(t); err != nil {
		return err
	}
	if err := pl.kubernetes(t); err != nil {
		return err
	}
	if err := pl.registrations(t); err != nil {
		return err
	}
	if len(pl.Other) > 0 {
		t.section("Other resources")
		for _, it := range pl.Other {
			if err := t.item("", it); err != nil {
				return err
			}
		}
	}
	_, err := w.Write(t.buf.Bytes())
	return err
}

type textWriter struct{ buf bytes.Buffer }

func (t *textWriter) line(format string, args ...any) {
	fmt.Fprintf(&t.buf, format+"\n", args...)
}

func (t *textWriter) section(title string) {
	t.line("")
	t.line("== %s ==", title)
}

// block writes text indented by prefix, line by line.
func (t *textWriter) block(prefix, text string) {
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		t.line("%s%s", prefix, l)
	}
}

func (t *textWriter) yaml(prefix string, v any) error {
	b, err := yaml.Marshal(v)
	if err != nil {
		return err
	}
	t.block(prefix, string(b))
	return nil
}

func (t *textWriter) json(prefix string, raw json.RawMessage) error {
	var b bytes.Buffer
	if err := json.Indent(&b, raw, "", "  "); err != nil {
		return err
	}
	t.block(prefix, b.String())
	return nil
}

// item writes a resource's type, name and inputs, indented by prefix.
func (t *textWriter) item(prefix string, it Item) error {
	head := it.Type + " " + it.Resource
	if len(it.IgnoreChanges) > 0 {
		head += " (ignores changes to " + strings.Join(it.IgnoreChanges, ", ") + ")"
	}
	t.line("%s%s:", prefix, head)
	return t.yaml(prefix+"  ", it.Inputs)
}

func (pl *Plan) header(t *textWriter) {
	c := pl.Cluster
	t.line("Plan: %s %q", pl.Component.Type, pl.Component.Name)
	t.line("  cluster:     %s (account %s, region %s, partition %s)", c.Name, c.AccountID, c.Region, c.Partition)
	t.line("  network:     %s (%s), subnets %s, zones %s", c.VpcID, c.VpcCidr,
		strings.Join(c.SubnetIDs, ", "), strings.Join(c.AvailabilityZones, ", "))
	t.line("  access:      %s (cluster authenticationMode %s)", pl.AccessMode, c.AuthenticationMode)
	if pl.Permissions == "" {
		t.line("  permissions: (none: the role is brought, no policy is created)")
	} else {
		t.line("  permissions: %s (each action's Concurrent call: docs/permissions.md)", pl.Permissions)
	}
	switch {
	case len(pl.Compute.FargateProfiles) > 0:
		t.line("  compute:     %s (%d Fargate profiles)", pl.ComputeType, len(pl.Compute.FargateProfiles))
	case len(pl.Compute.NodeGroups) > 0:
		t.line("  compute:     %s (%d node groups)", pl.ComputeType, len(pl.Compute.NodeGroups))
	default:
		t.line("  compute:     %s", pl.ComputeType)
	}
	var names []string
	for _, r := range pl.Registrations {
		names = append(names, r.Namespace)
	}
	t.line("  namespaces:  %s", strings.Join(names, ", "))
	t.line("  resources:   %d", len(pl.Resources))
	t.line("Computed offline: the component's own code ran under mocks; no AWS or Kubernetes call was made.")
	t.line("AWS look-ups are answered from the cluster above; values only AWS knows show as <...> or placeholders.")
	t.line("%q is the random suffix Pulumi adds to a generated name; %q hides a secret value.", autoMark, Secret)
}

// checks lists what the component decided from the cluster and what it warns about.
func (pl *Plan) checks(t *textWriter) {
	t.section("Checked against the cluster")
	if len(pl.Notes)+len(pl.Warnings) == 0 {
		t.line("(nothing to report)")
	}
	for _, n := range pl.Notes {
		t.line("note: %s", n)
	}
	for _, w := range pl.Warnings {
		t.line("warning: %s", w)
	}
}

func (pl *Plan) resourceTree(t *textWriter) {
	t.section("Resources, in an order the engine can create them")
	typeWidth, nameWidth := 0, 0
	for _, r := range pl.Resources {
		typeWidth = max(typeWidth, len(r.Type))
		nameWidth = max(nameWidth, len(r.Name))
	}
	for i, r := range pl.Resources {
		var details []string
		if r.Parent != "" {
			details = append(details, "parent="+refOf(r.Parent))
		}
		if len(r.DependsOn) > 0 {
			var deps []string
			for _, d := range r.DependsOn {
				deps = append(deps, refOf(d))
			}
			details = append(details, "after=["+strings.Join(deps, " ")+"]")
		}
		if r.Provider != "" {
			details = append(details, "provider="+refOf(r.Provider))
		}
		if len(r.IgnoreChanges) > 0 {
			details = append(details, "ignoreChanges=["+strings.Join(r.IgnoreChanges, " ")+"]")
		}
		if len(r.SecretOutputs) > 0 {
			details = append(details, "secretOutputs=["+strings.Join(r.SecretOutputs, " ")+"]")
		}
		if r.DeleteBeforeReplace {
			details = append(details, "deleteBeforeReplace")
		}
		if r.RetainOnDelete {
			details = append(details, "retainOnDelete")
		}
		if r.Import != "" {
			details = append(details, "import="+r.Import)
		}
		line := fmt.Sprintf("%3d  %-*s  %-*s  %s", i+1, typeWidth, r.Type, nameWidth, r.Name, strings.Join(details, " "))
		t.line("%s", strings.TrimRight(line, " "))
	}
}

func (pl *Plan) iam(t *textWriter) {
	t.section("IAM roles and what they grant")
	if len(pl.IAMRoles) == 0 {
		t.line("(none)")
	}
	for _, r := range pl.IAMRoles {
		if r.Existing {
			t.line("Existing role (not created or changed here): %s", r.Purpose)
			t.line("  arn: %s", r.Arn)
			continue
		}
		t.line("Role %s: %s", r.Resource, r.Purpose)
		t.line("  name: %s", r.Name)
		t.line("  path: %s", r.Path)
		t.line("  arn: %s", r.Arn)
		t.line("  description: %s", r.Description)
		t.line("  permissions boundary: %s", valueOr(r.PermissionsBoundary, "(none)"))
		if len(r.Tags) > 0 {
			t.line("  tags:")
			_ = t.yaml("    ", r.Tags)
		}
		t.line("  trust policy (who may assume it):")
		if err := t.json("    ", r.TrustPolicy); err != nil {
			t.line("    %s", r.TrustPolicy)
		}
		for _, p := range r.InlinePolicies {
			t.line("  inline policy %s (%s):", p.Name, p.Resource)
			if err := t.json("    ", p.Document); err != nil {
				t.line("    %s", p.Document)
			}
		}
		if len(r.InlinePolicies) == 0 {
			t.line("  inline policies: (none)")
		}
		if len(r.ManagedPolicies) == 0 {
			t.line("  managed policies: (none)")
			continue
		}
		t.line("  managed policies:")
		for _, p := range r.ManagedPolicies {
			t.line("    %s (%s)", p.PolicyArn, p.Resource)
		}
	}
}

func (pl *Plan) clusterAccess(t *textWriter) error {
	a := pl.ClusterAccess
	t.section(fmt.Sprintf("Cluster access (%s)", a.Mode))
	if a.AwsAuth != nil {
		t.line("%s adds (or replaces) only this entry in kube-system/aws-auth mapRoles; every other entry is kept:",
			a.AwsAuth.Resource)
		t.block("  ", a.AwsAuth.MapRoles)
	}
	for _, it := range a.AccessEntry {
		if err := t.item("", it); err != nil {
			return err
		}
	}
	return nil
}

func (pl *Plan) compute(t *textWriter) error {
	c := pl.Compute
	t.section(fmt.Sprintf("Compute (%s)", pl.ComputeType))
	if len(c.NodeGroups)+len(c.FargateProfiles)+len(c.Network) == 0 {
		t.line("(nothing created)")
	}
	for _, group := range []struct {
		title string
		items []Item
	}{{"Node groups", c.NodeGroups}, {"Fargate profiles", c.FargateProfiles}, {"Network", c.Network}} {
		if len(group.items) == 0 {
			continue
		}
		t.line("%s (%d):", group.title, len(group.items))
		for _, it := range group.items {
			if err := t.item("  ", it); err != nil {
				return err
			}
		}
	}
	if len(c.NodeGroups) > 0 {
		// desiredSize is ignored after creation (autoscalers own it), so EKS keeps the first one.
		t.line("Note: raising a group's minSize above the desiredSize it was created with fails on update " +
			"(EKS rejects minSize > desiredSize); raise the group's desired size first.")
	}
	return nil
}

func (pl *Plan) kubernetes(t *textWriter) error {
	t.section("Kubernetes objects and RBAC")
	objects := func(os []Object) error {
		for _, o := range os {
			t.line("  --- # %s", o.Resource)
			if err := t.yaml("  ", o.Object); err != nil {
				return err
			}
		}
		return nil
	}
	if len(pl.Kubernetes.Shared) > 0 {
		t.line("Shared by every namespace:")
		if err := objects(pl.Kubernetes.Shared); err != nil {
			return err
		}
	}
	for _, ns := range pl.Kubernetes.Namespaces {
		t.line("Namespace %s (%s):", ns.Namespace, ns.Component)
		if err := objects(ns.Objects); err != nil {
			return err
		}
	}
	return nil
}

func (pl *Plan) registrations(t *textWriter) error {
	t.section(`Registration in Concurrent ("Add Cluster"), per namespace`)
	for _, r := range pl.Registrations {
		t.line("Namespace %s:", r.Namespace)
		values := map[string]any{"externalId": r.ExternalID}
		for k, v := range r.Values {
			values[k] = v
		}
		if err := t.yaml("  ", values); err != nil {
			return err
		}
		t.line("  registrationRequests (the body to post to Concurrent's add_kube_cluster; secret output):")
		if err := t.json("    ", r.Request); err != nil {
			return err
		}
		t.line("  test run:")
		t.line("    %s", r.MlflowRun)
	}
	return nil
}
