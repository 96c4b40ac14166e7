// Package namespace is the ConcurrentNamespace component: one namespace with the service
// accounts and RBAC Concurrent for MLflow expects (the runbook's "add namespace" step), on
// whatever Kubernetes provider the caller passes. ConcurrentEksSetup composes one per
// namespace on its own Kubernetes provider.
package namespace

import (
	"errors"

	"github.com/pulumi/pulumi-go-provider/infer"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/concurrent-ai/pulumi-concurrent/provider/internal/inputs"
)

// Token is the component's type token.
const Token = "concurrent:index:ConcurrentNamespace"

// ConcurrentNamespaceArgs are the inputs of ConcurrentNamespace. Defaults are documented in
// Annotate and applied in Go: infer does not apply them to components.
type ConcurrentNamespaceArgs struct {
	Name                       string                `pulumi:"name"`
	Create                     *bool                 `pulumi:"create,optional"`
	Labels                     pulumi.StringMapInput `pulumi:"labels,optional"`
	AdoptExisting              *bool                 `pulumi:"adoptExisting,optional"`
	CreateBootstrapClusterRole *bool                 `pulumi:"createBootstrapClusterRole,optional"`
}

func (a *ConcurrentNamespaceArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.Name, "Namespace name (a DNS-1123 label, at most 63 characters; not kube-system, kube-public or "+
		"kube-node-lease). Concurrent's object names derive from it.")
	an.Describe(&a.Create, "Create the namespace. Set false when it already exists; the service accounts and RBAC "+
		"are created in it either way. Default: true.")
	an.Describe(&a.Labels, "Labels on the created namespace.")
	an.Describe(&a.AdoptExisting, "Take over objects a manual setup left (same names): every object carries "+
		"`pulumi.com/patchForce: \"true\"` so server-side apply takes ownership of its fields, and is retained "+
		"when this component is deleted. The Kubernetes provider must also accept existing objects: set "+
		"`upsertExistingObjects: true` on it (pulumi-kubernetes 4.32 and later refuse to create an object that "+
		"exists otherwise). Default: false.")
	an.Describe(&a.CreateBootstrapClusterRole, "Also create the cluster-wide ClusterRole "+
		"`k8s-role-for-concurrent-bootstrap` that every namespace's bootstrap account is bound to. "+
		"Set true on exactly one namespace when you use ConcurrentNamespace without ConcurrentEksSetup "+
		"(ConcurrentEksSetup creates it once itself; two owners of the same ClusterRole would fight). Default: false.")
}

// ConcurrentNamespace is the component and its outputs.
type ConcurrentNamespace struct {
	pulumi.ResourceState

	Namespace               pulumi.StringOutput `pulumi:"namespace"`
	BootstrapServiceAccount pulumi.StringOutput `pulumi:"bootstrapServiceAccount"`
	UsersServiceAccount     pulumi.StringOutput `pulumi:"usersServiceAccount"`
}

func (r *ConcurrentNamespace) Annotate(a infer.Annotator) {
	a.Describe(r, "One namespace prepared for Concurrent for MLflow: the namespace, the bootstrap service account "+
		"`k8s-serviceaccount-for-parallels-<ns>` bound to the ClusterRole `k8s-role-for-concurrent-bootstrap`, and "+
		"the users service account `k8s-serviceaccount-for-users-<ns>` bound to the read-only ClusterRole "+
		"`k8s-role-for-users-<ns>`. The names are fixed by Concurrent. Uses the Kubernetes provider passed in the "+
		"`providers` option (or the default one).")
	a.Describe(&r.Namespace, "The namespace's name.")
	a.Describe(&r.BootstrapServiceAccount, "The service account Concurrent's bootstrap job runs as.")
	a.Describe(&r.UsersServiceAccount, "The service account Concurrent's worker jobs run as.")
}

// config is ConcurrentNamespaceArgs with defaults applied.
type config struct {
	name                       string
	create                     bool
	labels                     pulumi.StringMapInput
	adopt                      bool
	createBootstrapClusterRole bool
}

func withDefaults(a ConcurrentNamespaceArgs) config {
	return config{
		name:                       a.Name,
		create:                     inputs.Deref(a.Create, true),
		labels:                     a.Labels,
		adopt:                      inputs.Deref(a.AdoptExisting, false),
		createBootstrapClusterRole: inputs.Deref(a.CreateBootstrapClusterRole, false),
	}
}

// NewConcurrentNamespace validates the inputs, then registers the component and its objects.
func NewConcurrentNamespace(ctx *pulumi.Context, name string, args ConcurrentNamespaceArgs,
	opts ...pulumi.ResourceOption,
) (*ConcurrentNamespace, error) {
	c := withDefaults(args)
	// Bad input fails here, before anything is registered.
	if err := validate(&c); err != nil {
		return nil, err
	}

	comp := &ConcurrentNamespace{}
	if err := ctx.RegisterComponentResource(Token, name, comp, opts...); err != nil {
		return nil, err
	}

	childOpts := []pulumi.ResourceOption{pulumi.Parent(comp)}
	if c.adopt {
		// Objects a manual setup made stay when this component goes.
		childOpts = append(childOpts, pulumi.RetainOnDelete(true))
	}

	if c.createBootstrapClusterRole {
		if _, err := NewBootstrapClusterRole(ctx, name+"-bootstrap-role", c.adopt, childOpts...); err != nil {
			return nil, err
		}
	}

	comp.Namespace = pulumi.String(c.name).ToStringOutput()
	var inNS []pulumi.ResourceOption
	if c.create {
		meta := objectMeta(c.name, "", c.adopt)
		if c.labels != nil {
			meta.Labels = checkedLabels(c.labels)
		}
		ns, err := corev1.NewNamespace(ctx, name+"-namespace", &corev1.NamespaceArgs{Metadata: meta}, childOpts...)
		if err != nil {
			return nil, err
		}
		inNS = []pulumi.ResourceOption{pulumi.DependsOn([]pulumi.Resource{ns})}
		comp.Namespace = ns.Metadata.Name().Elem()
	}

	objs, err := registerObjects(ctx, name, c.name, c.adopt, childOpts, inNS)
	if err != nil {
		return nil, err
	}
	comp.BootstrapServiceAccount = objs.bootstrapAccount.Metadata.Name().Elem()
	comp.UsersServiceAccount = objs.usersAccount.Metadata.Name().Elem()
	return comp, nil
}

// RegisterOutputs records the outputs of a ConcurrentNamespace that another component
// composed in-process. infer does it only for the component it serves.
func (r *ConcurrentNamespace) RegisterOutputs(ctx *pulumi.Context) error {
	return ctx.RegisterResourceOutputs(r, pulumi.Map{
		"namespace":               r.Namespace,
		"bootstrapServiceAccount": r.BootstrapServiceAccount,
		"usersServiceAccount":     r.UsersServiceAccount,
	})
}

// validate checks what is known at construct time; labels not known yet are checked by
// checkedLabels once they resolve. Errors start with the input's path.
func validate(c *config) error {
	return errors.Join(append(inputs.NamespaceNameErrors("name", c.name), inputs.LabelErrors("labels", c.labels)...)...)
}

// checkedLabels passes the labels on once they resolve, failing on an invalid one (for
// labels computed by other resources, which validate could not see).
func checkedLabels(labels pulumi.StringMapInput) pulumi.StringMapOutput {
	return labels.ToStringMapOutput().ApplyT(func(m map[string]string) (map[string]string, error) {
		return m, errors.Join(inputs.ResolvedLabelErrors("labels", m)...)
	}).(pulumi.StringMapOutput)
}
