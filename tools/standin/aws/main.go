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
	"time"
)

// version is what the pulumi-aws Go SDK the component uses asks for.
const version = "6.83.4"

const descriptionEnv = "STANDIN_AWS_DESCRIPTION"

// description is the fake account and cluster, and how slow each type is.
type description struct {
	Cluster cluster `json:"cluster"`
	// Delays are Go durations per type token, applied to Create, Update and Delete, so the
	// call log shows which operations the engine ran in parallel.
	Delays map[string]string `json:"delays,omitempty"`
}

func main() {
	d, err := load(os.Getenv(descriptionEnv))
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-aws (stand-in): %v\n", err)
		os.Exit(1)
	}
	plugin(d).Serve()
}

func load(path string) (description, error) {
	var d description
	if path == "" {
		return d, fmt.Errorf("%s names no cluster description", descriptionEnv)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return d, err
	}
	if err := json.Unmarshal(b, &d); err != nil {
		return d, fmt.Errorf("%s: %w", path, err)
	}
	for token, s := range d.Delays {
		if _, err := time.ParseDuration(s); err != nil {
			return d, fmt.Errorf("%s: delays[%s]: %w", path, token, err)
		}
	}
	return d, nil
}
