package awsauth

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/pkg/v3/resource/stack"
	presource "github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

var writeState = flag.Bool("write-state", false, "write testdata/state-*.json from this version's Create")

// storedState is a resource as the engine keeps it in a checkpoint (secrets
// shown), and the mapRoles its create wrote.
type storedState struct {
	ID       string         `json:"id"`
	Inputs   map[string]any `json:"inputs"`
	Outputs  map[string]any `json:"outputs"`
	MapRoles string         `json:"mapRoles"`
}

const stateURN = presource.URN("urn:pulumi:dev::proj::concurrent:index:AwsAuthRoleMapping::access")

func serve(t *testing.T, r AwsAuthRoleMapping) p.Provider {
	t.Helper()
	prov, err := infer.NewProviderBuilder().WithResources(infer.Resource(r)).Build()
	if err != nil {
		t.Fatal(err)
	}
	return prov
}

func serialize(t *testing.T, m property.Map) map[string]any {
	t.Helper()
	out, err := stack.SerializeProperties(context.Background(), presource.ToResourcePropertyMap(m), config.NopEncrypter, true)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func deserialize(t *testing.T, m map[string]any) property.Map {
	t.Helper()
	pm, err := stack.DeserializeProperties(m, config.NopDecrypter)
	if err != nil {
		t.Fatal(err)
	}
	return presource.FromResourcePropertyMap(pm)
}

// A state written by this version (0.1.0: ownership recorded) is read by
// this one: refresh finds no drift, the same inputs diff to nothing, and
// delete removes exactly the entry it wrote, leaving the runbook's. When a
// release changes the state, keep this file and add the new one.
func TestStateWrittenByThisVersionIsRead(t *testing.T) {
	t.Parallel()
	path := filepath.Join("testdata", "state-0.1.0.json")
	inputs := property.NewMap(map[string]property.Value{
		"kubeconfig": property.New("kubeconfig").WithSecret(true),
		"roleArn":    property.New("arn:aws:iam::111122223333:role/concurrent/concurrent-access"),
		"username":   property.New("system-manager"),
	})
	ctx := context.Background()
	if *writeState {
		c := newCluster(t, dataWith(ptr(oursDuplicated)))
		resp, err := serve(t, c.res).Create(ctx, p.CreateRequest{Urn: stateURN, Properties: inputs})
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.MarshalIndent(storedState{
			ID: resp.ID, Inputs: serialize(t, inputs), Outputs: serialize(t, resp.Properties), MapRoles: c.mapRoles(),
		}, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var st storedState
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	c := newCluster(t, dataWith(&st.MapRoles))
	prov := serve(t, c.res)
	outputs, oldInputs := deserialize(t, st.Outputs), deserialize(t, st.Inputs)

	read, err := prov.Read(ctx, p.ReadRequest{ID: st.ID, Urn: stateURN, Properties: outputs, Inputs: oldInputs})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := asJSON(t, serialize(t, read.Properties)), asJSON(t, st.Outputs); read.ID != st.ID || got != want {
		t.Errorf("Read = %q %s, want the stored state %s", read.ID, got, want)
	}
	diff, err := prov.Diff(ctx, p.DiffRequest{ID: st.ID, Urn: stateURN, State: outputs, Inputs: oldInputs, OldInputs: oldInputs})
	if err != nil || diff.HasChanges {
		t.Errorf("Diff with the same inputs = %#v, %v; want no change", diff, err)
	}
	if err := prov.Delete(ctx, p.DeleteRequest{ID: st.ID, Urn: stateURN, Properties: outputs, OldInputs: oldInputs}); err != nil {
		t.Fatal(err)
	}
	if got := c.mapRoles(); got != oursDuplicated {
		t.Errorf("mapRoles after delete =\n%s\nwant\n%s", got, oursDuplicated)
	}
}

func asJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
