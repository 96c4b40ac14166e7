package provider

import (
	"context"
	"fmt"

	"github.com/blang/semver"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/integration"
)

// Schema is the provider's schema (JSON) as the engine would get it: GetSchema on the
// provider served in-process. schema.yaml and the SDKs are generated from it, and the plan
// reads the component's inputs from it.
func Schema(ctx context.Context) ([]byte, error) {
	prov, err := New()
	if err != nil {
		return nil, err
	}
	version, err := semver.Parse(Version)
	if err != nil {
		return nil, fmt.Errorf("provider.Version %q: %w", Version, err)
	}
	s, err := integration.NewServer(ctx, Name, version, integration.WithProvider(prov))
	if err != nil {
		return nil, err
	}
	resp, err := s.GetSchema(p.GetSchemaRequest{})
	if err != nil {
		return nil, fmt.Errorf("reading the provider's schema: %w", err)
	}
	return []byte(resp.Schema), nil
}
