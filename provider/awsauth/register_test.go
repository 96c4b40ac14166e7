package awsauth

import (
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// registered records what a program registers (a test double of the engine).
type registered struct {
	mu   sync.Mutex
	args []pulumi.MockResourceArgs
}

func (r *registered) NewResource(a pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.args = append(r.args, a)
	return a.Name + "-id", a.Inputs, nil
}

func (r *registered) Call(pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return resource.PropertyMap{}, nil
}

// NewMapping registers exactly the resource the provider serves, with the
// schema's input names and the kubeconfig secret even when passed plain.
func TestNewMappingRegistersTheResource(t *testing.T) {
	t.Parallel()
	mocks := &registered{}
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		_, err := NewMapping(ctx, "setup-aws-auth", &MappingArgs{
			Kubeconfig: pulumi.String("kubeconfig"),
			RoleArn:    pulumi.String(oursARN),
			Username:   pulumi.String("concurrent"),
			Groups:     pulumi.ToStringArray([]string{"system:masters", "ops"}),
		})
		return err
	}, pulumi.WithMocks("proj", "stack", mocks))
	if err != nil {
		t.Fatal(err)
	}
	if len(mocks.args) != 1 {
		t.Fatalf("registered %d resources, want 1", len(mocks.args))
	}
	got := mocks.args[0]
	if got.TypeToken != Token || got.Name != "setup-aws-auth" || !got.Custom {
		t.Errorf("registered %s %q custom=%v", got.TypeToken, got.Name, got.Custom)
	}
	want := resource.PropertyMap{
		"kubeconfig": resource.MakeSecret(resource.NewProperty("kubeconfig")),
		"roleArn":    resource.NewProperty(oursARN),
		"username":   resource.NewProperty("concurrent"),
		"groups":     resource.NewProperty([]resource.PropertyValue{resource.NewProperty("system:masters"), resource.NewProperty("ops")}),
	}
	if !got.Inputs.DeepEquals(want) {
		t.Errorf("inputs = %v, want %v", got.Inputs, want)
	}
}
