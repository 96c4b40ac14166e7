package awsauth

import (
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Token is the resource's type token (see AwsAuthRoleMapping.Annotate).
const Token = "concurrent:index:AwsAuthRoleMapping"

// Mapping is the program side of an AwsAuthRoleMapping, for components of
// this provider that register one (the setup's configMap access mode).
type Mapping struct {
	pulumi.CustomResourceState
	Rolearn pulumi.StringOutput `pulumi:"rolearn"`
}

// MappingArgs are the inputs of NewMapping; see AwsAuthRoleMappingArgs for
// their meaning and defaults.
type MappingArgs struct {
	Kubeconfig pulumi.StringInput
	RoleArn    pulumi.StringInput
	Username   pulumi.StringPtrInput
	Groups     pulumi.StringArrayInput
}

// mappingArgs is the shape the engine sees; its tags are the schema's names.
type mappingArgs struct {
	Kubeconfig string   `pulumi:"kubeconfig"`
	RoleArn    string   `pulumi:"roleArn"`
	Username   *string  `pulumi:"username"`
	Groups     []string `pulumi:"groups"`
}

// ElementType makes MappingArgs the typed inputs of RegisterResource.
func (MappingArgs) ElementType() reflect.Type { return reflect.TypeOf((*mappingArgs)(nil)).Elem() }

// NewMapping registers an AwsAuthRoleMapping. The kubeconfig is made secret,
// whatever the caller passed.
func NewMapping(ctx *pulumi.Context, name string, args *MappingArgs, opts ...pulumi.ResourceOption) (*Mapping, error) {
	if args == nil {
		args = &MappingArgs{}
	}
	in := *args
	if in.Kubeconfig != nil {
		in.Kubeconfig = pulumi.ToSecret(in.Kubeconfig).(pulumi.StringOutput)
	}
	var m Mapping
	if err := ctx.RegisterResource(Token, name, in, &m, opts...); err != nil {
		return nil, err
	}
	return &m, nil
}
