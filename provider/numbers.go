package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// Pulumi YAML hands a config value that reads as a number (an AWS account ID such as
// 123456789012) to the program as a number, whatever type Pulumi.yaml declares
// (pulumi-yaml issue 577), and its type checker lets a number through to a string input,
// leaving the conversion to the provider. The SDK's copy of the inputs into the
// components' Go types refuses a number for a string, so Construct first writes a number
// as its decimal text wherever the schema says string. Integers below 2^53, as every
// account ID, convert exactly; a value that starts with 0 reaches us as a string already.

// withNumbersAsStrings wraps a provider's Construct to convert number inputs where the
// component's schema types them as strings.
func withNumbersAsStrings(prov p.Provider) p.Provider {
	construct, getSchema := prov.Construct, prov.GetSchema
	if construct == nil || getSchema == nil {
		return prov
	}
	var (
		once sync.Once
		spec schema.PackageSpec
		err  error
	)
	prov.Construct = func(ctx context.Context, req p.ConstructRequest) (p.ConstructResponse, error) {
		once.Do(func() {
			var resp p.GetSchemaResponse
			if resp, err = getSchema(ctx, p.GetSchemaRequest{}); err == nil {
				err = json.Unmarshal([]byte(resp.Schema), &spec)
			}
		})
		if err != nil {
			return p.ConstructResponse{}, fmt.Errorf("reading the provider's schema: %w", err)
		}
		if res, ok := spec.Resources[string(req.Urn.Type())]; ok {
			req.Inputs = numbersAsStrings(spec.Types, res.InputProperties, req.Inputs)
		}
		return construct(ctx, req)
	}
	return prov
}

// numbersAsStrings converts the number values of m whose property is a string.
func numbersAsStrings(types map[string]schema.ComplexTypeSpec, props map[string]schema.PropertySpec, m property.Map) property.Map {
	out := make(map[string]property.Value, m.Len())
	for k, v := range m.All {
		if spec, ok := props[k]; ok {
			v = numberAsString(types, spec.TypeSpec, v)
		}
		out[k] = v
	}
	return property.NewMap(out)
}

func numberAsString(types map[string]schema.ComplexTypeSpec, t schema.TypeSpec, v property.Value) property.Value {
	keep := func(n property.Value) property.Value {
		return n.WithSecret(v.Secret()).WithDependencies(v.Dependencies())
	}
	switch {
	case t.Ref != "":
		obj, ok := types[strings.TrimPrefix(t.Ref, "#/types/")]
		if !ok || !v.IsMap() {
			return v
		}
		return keep(property.New(numbersAsStrings(types, obj.Properties, v.AsMap())))
	case t.Type == "string" && v.IsNumber():
		return keep(property.New(strconv.FormatFloat(v.AsNumber(), 'f', -1, 64)))
	case t.Type == "array" && t.Items != nil && v.IsArray():
		items := v.AsArray().AsSlice()
		if len(items) == 0 {
			return v
		}
		for i, item := range items {
			items[i] = numberAsString(types, *t.Items, item)
		}
		return keep(property.New(items))
	case t.Type == "object" && t.AdditionalProperties != nil && v.IsMap():
		entries := v.AsMap().AsMap()
		for k, e := range entries {
			entries[k] = numberAsString(types, *t.AdditionalProperties, e)
		}
		return keep(property.New(entries))
	}
	return v
}
