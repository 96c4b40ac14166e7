package provider

import (
	"context"
	"fmt"
	"os"

	p "github.com/pulumi/pulumi-go-provider"
)

// Serve runs the plugin; both main packages call it.
func Serve() {
	prov, err := New()
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-concurrent: %v\n", err)
		os.Exit(1)
	}
	if err := p.RunProvider(context.Background(), Name, Version, prov); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-concurrent: %v\n", err)
		os.Exit(1)
	}
}
