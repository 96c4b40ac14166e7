// Command pulumi-resource-random is a stand-in for the random provider plugin, which cannot
// be built here (its provider module is not served by the Go module proxy). It plays only
// RandomPassword, the one random resource ConcurrentEksSetup creates. Test tooling: never shipped.
package main

import (
	"crypto/rand"
	"math/big"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/concurrent-ai/pulumi-concurrent/tools/standin/internal/standin"
)

// version is what the pulumi-random Go SDK the component uses asks for.
const version = "4.18.4"

// forceNew: as the real provider, a change of any input makes a new password; otherwise it
// is stable across updates.
var forceNew = []string{"keepers", "length", "lower", "minLower", "minNumeric", "minSpecial",
	"minUpper", "number", "numeric", "overrideSpecial", "special", "upper"}

func main() {
	standin.Plugin{
		Name: "random", Version: version,
		Types: map[string]standin.Type{
			// As the real provider: the id is the fixed "none" (never the password) and
			// `result` is secret. Only the letters-and-digits passwords the component asks
			// for (special: false); min*/overrideSpecial are not played.
			"random:index/randomPassword:RandomPassword": {
				ForceNew: forceNew,
				Outputs: func(_ resource.URN, in property.Map) (string, map[string]property.Value) {
					n := 16
					if l, ok := in.GetOk("length"); ok && l.IsNumber() {
						n = int(l.AsNumber())
					}
					return "none", map[string]property.Value{"result": property.New(password(n)).WithSecret(true)}
				},
			},
		},
	}.Serve()
}

// password is n random letters and digits.
func password(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		k, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			panic(err)
		}
		b[i] = alphabet[k.Int64()]
	}
	return string(b)
}
