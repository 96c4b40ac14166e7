// Command pulumi-resource-aws is a stand-in for the AWS provider plugin, which cannot be
// built here (its provider module is not served by the Go module proxy). It plays the
// resource types ConcurrentEksSetup creates (types.go) and answers its look-ups from a
// cluster description (the JSON file named by STANDIN_AWS_DESCRIPTION), with the same fake
// AWS the offline plan uses. Every call goes to the stand-ins' call log. Test tooling only:
// never shipped.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/concurrent-ai/pulumi-concurrent/internal/fakeaws"
	"github.com/concurrent-ai/pulumi-concurrent/tools/standin/internal/standin"
)

// version is what the pulumi-aws Go SDK the component uses asks for.
const version = "6.83.4"

const descriptionEnv = "STANDIN_AWS_DESCRIPTION"

// description is the fake account and cluster (a fakeaws cluster description), and how
// slow each type is: Go durations per type token, applied to Create, Update and Delete, so
// the call log shows which operations the engine ran in parallel.
type description struct {
	Cluster fakeaws.Cluster
	Delays  map[string]time.Duration
}

func main() {
	d, err := load(os.Getenv(descriptionEnv))
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-aws (stand-in): %v\n", err)
		os.Exit(1)
	}
	plugin(d).Serve()
}

// load reads {"cluster": {...}, "delays": {"<type token>": "300ms"}}.
func load(path string) (description, error) {
	d := description{Delays: map[string]time.Duration{}}
	if path == "" {
		return d, fmt.Errorf("%s names no cluster description", descriptionEnv)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return d, err
	}
	var raw struct {
		Cluster map[string]any    `json:"cluster"`
		Delays  map[string]string `json:"delays"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return d, fmt.Errorf("%s: %w", path, err)
	}
	if d.Cluster, err = fakeaws.NewCluster(raw.Cluster); err != nil {
		return d, fmt.Errorf("%s: cluster.%w", path, err)
	}
	for token, s := range raw.Delays {
		if _, ok := types[token]; !ok {
			return d, fmt.Errorf("%s: delays: %s is not a stood-in type", path, token)
		}
		if d.Delays[token], err = time.ParseDuration(s); err != nil {
			return d, fmt.Errorf("%s: delays[%s]: %w", path, token, err)
		}
	}
	return d, nil
}

// plugin plays every type of types.go with the outputs fakeaws computes, and answers the
// invokes from the description.
func plugin(d description) standin.Plugin {
	played := make(map[string]standin.Type, len(types))
	for token, t := range types {
		t.Outputs = func(urn resource.URN, inputs property.Map) (string, map[string]property.Value) {
			id, state := d.Cluster.Outputs(token, urn.Name(), inputs)
			return id, state.AsMap()
		}
		played[token] = t
	}
	return standin.Plugin{
		Name: "aws", Version: version, Types: played,
		Invoke: func(token string, args property.Map) (property.Map, error) {
			if !slices.Contains(fakeaws.Functions, token) {
				return property.Map{}, fmt.Errorf("the aws stand-in does not answer %s: add it to internal/fakeaws", token)
			}
			return d.Cluster.Invoke(token, args)
		},
		Delay: func(token string) time.Duration { return d.Delays[token] },
	}
}
