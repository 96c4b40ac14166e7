package setup

import (
	"context"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
)

// A program may pass its own Kubernetes provider to the setup (`providers: {kubernetes: ...}`).
// The component's Go code cannot read its own resource options, so the provider records, per
// Construct, which packages the caller passed a provider for.

type callerProvidersKey struct{}

// WithCallerProviders wraps a provider's Construct so that components can see which packages
// the caller passed a provider for.
func WithCallerProviders(prov p.Provider) p.Provider {
	construct := prov.Construct
	if construct == nil {
		return prov
	}
	prov.Construct = func(ctx context.Context, req p.ConstructRequest) (p.ConstructResponse, error) {
		pkgs := make(map[tokens.Package]bool, len(req.Providers))
		for pkg := range req.Providers {
			pkgs[pkg] = true
		}
		return construct(context.WithValue(ctx, callerProvidersKey{}, pkgs), req)
	}
	return prov
}

// callerPassedProvider reports whether the caller passed a provider for pkg.
func callerPassedProvider(ctx context.Context, pkg tokens.Package) bool {
	pkgs, _ := ctx.Value(callerProvidersKey{}).(map[tokens.Package]bool)
	return pkgs[pkg]
}
