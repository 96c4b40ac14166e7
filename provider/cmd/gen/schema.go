package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"sigs.k8s.io/yaml"

	"github.com/concurrent-ai/pulumi-concurrent/provider"
)

// providerSchema asks the provider for its schema in-process, the way the engine would, and
// returns it as YAML after checking it (see schemaProblems).
func providerSchema() ([]byte, error) {
	raw, err := provider.Schema(context.Background())
	if err != nil {
		return nil, err
	}
	problems, err := schemaProblems(raw)
	if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("schema check failed:\n  %s", strings.Join(problems, "\n  "))
	}
	// JSONToYAML decodes into maps and encodes with sorted keys: the output depends only on
	// the schema's content, never on map order.
	return yaml.JSONToYAML(raw)
}

func writeSchema(path string) error {
	out, err := providerSchema()
	if err != nil {
		return err
	}
	return os.WriteFile(path, out, 0o644)
}

// readSpec parses a schema written by writeSchema.
func readSpec(yamlBytes []byte) (schema.PackageSpec, error) {
	var spec schema.PackageSpec
	raw, err := yaml.YAMLToJSON(yamlBytes)
	if err != nil {
		return spec, err
	}
	err = json.Unmarshal(raw, &spec)
	return spec, err
}

// schemaProblems lists, sorted, what would give users an undocumented SDK or need another
// package's schema to generate one (design section 1: outputs are ARNs, names and ids, not
// resource references, so no foreign schema is needed):
//   - every resource, object type, enum value, function and property has a description;
//   - every $ref points into this schema or at a built-in (pulumi.json#/Any, ...).
func schemaProblems(raw []byte) ([]string, error) {
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return nil, err
	}
	problems := undocumented(spec)
	var generic any
	if err := json.Unmarshal(raw, &generic); err != nil {
		return nil, err
	}
	walkRefs("", generic, func(path, ref string) {
		if !localRef(spec.Name, ref) {
			problems = append(problems, fmt.Sprintf("%s: $ref %q points outside package %q", path, ref, spec.Name))
		}
	})

	sort.Strings(problems)
	return problems, nil
}

// undocumented lists what has no description: every resource, object type, enum value,
// function and property needs one (they become the SDKs' docs).
func undocumented(spec schema.PackageSpec) []string {
	var problems []string
	missing := func(path, desc string) {
		if strings.TrimSpace(desc) == "" {
			problems = append(problems, path+": no description")
		}
	}
	props := func(path string, ps map[string]schema.PropertySpec) {
		for name, prop := range ps {
			missing(path+"."+name, prop.Description)
		}
	}
	object := func(path string, o *schema.ObjectTypeSpec) {
		if o != nil {
			props(path, o.Properties)
		}
	}
	missing("description", spec.Description)
	props("config.variables", spec.Config.Variables)
	if spec.Provider != nil {
		props("provider.inputProperties", spec.Provider.InputProperties)
		props("provider.properties", spec.Provider.Properties)
	}
	for tok, r := range spec.Resources {
		path := "resources." + tok
		missing(path, r.Description)
		props(path+".inputProperties", r.InputProperties)
		props(path+".properties", r.Properties)
	}
	for tok, t := range spec.Types {
		path := "types." + tok
		if len(t.Enum) == 0 {
			// infer v1.5.0 gives enum types no description; their values and the properties
			// using them carry the documentation.
			missing(path, t.Description)
		}
		props(path+".properties", t.Properties)
		for _, v := range t.Enum {
			missing(fmt.Sprintf("%s.enum.%v", path, v.Value), v.Description)
		}
	}
	for tok, f := range spec.Functions {
		path := "functions." + tok
		missing(path, f.Description)
		object(path+".inputs", f.Inputs)
		object(path+".outputs", f.Outputs)
	}

	return problems
}

// localRef reports whether ref needs no other package's schema.
func localRef(pkg, ref string) bool {
	if strings.HasPrefix(ref, "pulumi.json#/") {
		return true // built-ins: Any, Archive, Asset, Json
	}
	for _, kind := range []string{"#/types/", "#/resources/"} {
		if tok, ok := strings.CutPrefix(ref, kind); ok {
			return strings.HasPrefix(tok, pkg+":")
		}
	}
	return false
}

// walkRefs calls f for every "$ref" anywhere in a decoded JSON document, in a stable order.
func walkRefs(path string, v any, f func(path, ref string)) {
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if ref, ok := v[k].(string); ok && k == "$ref" {
				f(path, ref)
				continue
			}
			walkRefs(strings.TrimPrefix(path+"."+k, "."), v[k], f)
		}
	case []any:
		for i, e := range v {
			walkRefs(fmt.Sprintf("%s[%d]", path, i), e, f)
		}
	}
}
