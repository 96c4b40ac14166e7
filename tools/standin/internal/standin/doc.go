// Package standin is a raw pulumi-go-provider Provider keyed by type token, which the
// stand-in plugins are made of. Test tooling only: the stand-ins replace plugins that
// cannot be built here and never ship.
package standin
