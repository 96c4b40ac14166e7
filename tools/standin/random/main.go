// Command pulumi-resource-random is a stand-in for the random provider plugin, which cannot
// be built here (its provider module is not served by the Go module proxy). It plays only
// RandomUuid, the one random resource ConcurrentEksSetup creates. Test tooling: never shipped.
package main

import (
	"crypto/rand"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/concurrent-ai/pulumi-concurrent/tools/standin/internal/standin"
)

// version is what the pulumi-random Go SDK the component uses asks for.
const version = "4.18.4"

func main() {
	standin.Plugin{
		Name: "random", Version: version,
		Types: map[string]standin.Type{
			// As the real provider: a new UUID only when `keepers` change; stable across
			// updates otherwise. Its `result` is NOT secret in the real provider's schema: a
			// secret result is the component's doing (additionalSecretOutputs), which the
			// end-to-end tests check.
			"random:index/randomUuid:RandomUuid": {
				ForceNew: []string{"keepers"},
				Outputs: func(resource.URN, property.Map) (string, map[string]property.Value) {
					id := newUUID()
					return id, map[string]property.Value{"result": property.New(id)}
				},
			},
		},
	}.Serve()
}

// newUUID is a random (version 4) UUID.
func newUUID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
