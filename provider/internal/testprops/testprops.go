// Package testprops converts between the plain Go values tests write and the property
// values components receive and register, and reads recorded inputs. Test-only: no shipped
// package imports it (the fake AWS those tests run on is internal/fakeaws).
package testprops

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/concurrent-ai/pulumi-concurrent/internal/fakeaws"
)

// Props turns plain Go values (as a program would write them) into component inputs.
// A property.Value passes through, so tests can send secrets and unknowns.
func Props(m map[string]any) property.Map {
	out := make(map[string]property.Value, len(m))
	for k, v := range m {
		out[k] = Value(v)
	}
	return property.NewMap(out)
}

// Value converts one Go value.
func Value(v any) property.Value {
	switch v := v.(type) {
	case property.Value:
		return v
	case nil:
		return property.New(property.Null)
	case string:
		return property.New(v)
	case bool:
		return property.New(v)
	case int:
		return property.New(float64(v))
	case float64:
		return property.New(v)
	case []string:
		arr := make([]property.Value, len(v))
		for i, s := range v {
			arr[i] = property.New(s)
		}
		return property.New(arr)
	case []any:
		arr := make([]property.Value, len(v))
		for i, s := range v {
			arr[i] = Value(s)
		}
		return property.New(arr)
	case map[string]string:
		m := make(map[string]property.Value, len(v))
		for k, s := range v {
			m[k] = property.New(s)
		}
		return property.New(property.NewMap(m))
	case map[string]any:
		return property.New(Props(v))
	}
	panic(fmt.Sprintf("testprops.Value: unsupported %T", v))
}

// Plain turns a property value back into plain Go values (secrets unwrapped), for comparing.
func Plain(v property.Value) any {
	switch {
	case v.IsNull():
		return nil
	case v.IsString():
		return v.AsString()
	case v.IsBool():
		return v.AsBool()
	case v.IsNumber():
		return v.AsNumber()
	case v.IsArray():
		arr := v.AsArray().AsSlice()
		out := make([]any, len(arr))
		for i, e := range arr {
			out[i] = Plain(e)
		}
		return out
	case v.IsMap():
		m := v.AsMap().AsMap()
		out := make(map[string]any, len(m))
		for k, e := range m {
			out[k] = Plain(e)
		}
		return out
	case v.IsComputed():
		return "<computed>"
	}
	return fmt.Sprintf("<%v>", v)
}

// Str returns a string input, or "" when it is absent or not a string.
func Str(m property.Map, key string) string {
	v, ok := m.GetOk(key)
	if !ok || !v.IsString() {
		return ""
	}
	return v.AsString()
}

// Strs returns a list of strings input.
func Strs(m property.Map, key string) []string {
	v, ok := m.GetOk(key)
	if !ok || !v.IsArray() {
		return nil
	}
	var out []string
	for _, e := range v.AsArray().AsSlice() {
		out = append(out, e.AsString())
	}
	return out
}

// JSON decodes a string input holding JSON (an IAM document) into a generic value.
func JSON(m property.Map, key string) (any, error) {
	var out any
	err := json.Unmarshal([]byte(Str(m, key)), &out)
	return out, err
}

// SortedNames lists the names of registrations, sorted, for set comparisons.
func SortedNames(rs []fakeaws.Resource) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Name
	}
	sort.Strings(out)
	return out
}
