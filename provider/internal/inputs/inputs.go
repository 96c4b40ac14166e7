// Package inputs holds the rules and helpers the components share for their inputs: what is
// known at construct time, defaults, merges of maps with our entries, AWS identifiers and
// Kubernetes' naming rules.
package inputs

import (
	"fmt"
	"maps"
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	k8svalidation "k8s.io/apimachinery/pkg/util/validation"
)

// Known returns the value of an Input known at construct time (design section 2: a known
// Input arrives as pulumi.String; secrets and other resources' outputs arrive as outputs).
func Known(in pulumi.StringInput) (string, bool) {
	switch v := in.(type) {
	case pulumi.String:
		return string(v), true
	case *pulumi.String:
		if v != nil {
			return string(*v), true
		}
	}
	return "", false
}

// Deref applies a default: infer documents defaults for components but does not apply them.
func Deref[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

// Overlay is the user's map (tags, labels) with ours on top: ours win, because each names
// something the component relies on (a resource's Name tag, the node-type label). A map not
// known yet is merged once it resolves.
func Overlay(user pulumi.StringMapInput, ours map[string]string) pulumi.StringMapInput {
	add := func(m pulumi.StringMap) pulumi.StringMap {
		for k, v := range ours {
			m[k] = pulumi.String(v)
		}
		return m
	}
	switch m := user.(type) {
	case nil:
		return add(pulumi.StringMap{})
	case pulumi.StringMap:
		return add(maps.Clone(m))
	}
	return user.ToStringMapOutput().ApplyT(func(m map[string]string) map[string]string {
		out := maps.Clone(m)
		if out == nil {
			out = map[string]string{}
		}
		maps.Copy(out, ours)
		return out
	}).(pulumi.StringMapOutput)
}

// ReservedNamespaces are owned by Kubernetes itself; Concurrent's jobs have no business there.
var ReservedNamespaces = []string{"kube-system", "kube-public", "kube-node-lease"}

// NamespaceNameErrors checks a namespace name: a DNS-1123 label (which includes the
// 63-character limit), not one of Kubernetes' own.
func NamespaceNameErrors(path, name string) []error {
	var errs []error
	for _, msg := range k8svalidation.IsDNS1123Label(name) {
		errs = append(errs, fmt.Errorf("%s: %q is not a namespace name: %s", path, name, msg))
	}
	if slices.Contains(ReservedNamespaces, name) {
		errs = append(errs, fmt.Errorf("%s: %q is reserved for Kubernetes itself", path, name))
	}
	return errs
}

// LabelErrors applies Kubernetes' label key and value rules to the known part of a label map,
// in key order: keys of a known map, and the values already known.
func LabelErrors(path string, labels pulumi.StringMapInput) []error {
	m, ok := labels.(pulumi.StringMap)
	if !ok {
		return nil
	}
	values := make(map[string]*string, len(m))
	for k, v := range m {
		if s, ok := Known(v); ok {
			values[k] = &s
		} else {
			values[k] = nil
		}
	}
	return labelErrors(path, values)
}

// ResolvedLabelErrors applies the same rules to labels once they are resolved.
func ResolvedLabelErrors(path string, labels map[string]string) []error {
	values := make(map[string]*string, len(labels))
	for k, v := range labels {
		values[k] = &v
	}
	return labelErrors(path, values)
}

func labelErrors(path string, values map[string]*string) []error {
	var errs []error
	for _, k := range slices.Sorted(maps.Keys(values)) {
		for _, msg := range k8svalidation.IsQualifiedName(k) {
			errs = append(errs, fmt.Errorf("%s: key %q: %s", path, k, msg))
		}
		if v := values[k]; v != nil {
			for _, msg := range k8svalidation.IsValidLabelValue(*v) {
				errs = append(errs, fmt.Errorf("%s.%s: value %q: %s", path, k, *v, msg))
			}
		}
	}
	return errs
}
