package setup

import (
	"fmt"
	"maps"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/eks"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/internals"

	"github.com/concurrent-ai/pulumi-concurrent/provider/internal/inputs"
)

// Leftovers of the manual runbook (design section 4, "Before any child"): what a create
// would collide with. An IAM principal can have only one access entry per cluster, so an
// entry for a brought role (roleArn) that this setup did not make fails our create. The
// runbook's Fargate profiles cannot be looked up (no data source) and our profile names
// differ from theirs (docs/fargate.md).

// accessEntryOwnerTag marks the access entry this setup made, so the next run's look-up
// tells it from a leftover. Its value names the stack and the component.
const accessEntryOwnerTag = "pulumi-concurrent:setup"

// existingAccessEntry is a live access entry for the brought role that this setup did not make.
type existingAccessEntry struct {
	principalArn string
	live         *eks.LookupAccessEntryResult
	// importCommands import it as the setup's own child and tag it as this setup's (so the
	// next look-up does not report it again), for the error that asks for them.
	importCommands []string
}

func accessEntryOwner(ctx *pulumi.Context, name string) string {
	return fmt.Sprintf("%s/%s/%s", ctx.Project(), ctx.Stack(), name)
}

// accessEntryImportID is the AWS provider's import id of an access entry.
func accessEntryImportID(cluster, principalArn string) string { return cluster + ":" + principalArn }

// lookUpLeftovers reads the brought role's access entry, when the cluster, the role and the
// mode are known. eks:DescribeAccessEntry errors when there is none: that is "absent".
func lookUpLeftovers(ctx *pulumi.Context, comp pulumi.Resource, name string, c *config, f *clusterFacts) error {
	roleArn, ok := knownString(c.roleArn)
	if !ok || !f.cluster.known || f.accessMode != AccessAccessEntry {
		return nil
	}
	live, err := eks.LookupAccessEntry(ctx, &eks.LookupAccessEntryArgs{
		ClusterName: f.cluster.knownName, PrincipalArn: roleArn,
	}, pulumi.Parent(comp))
	if err != nil || live == nil {
		return nil // absent
	}
	if live.TagsAll[accessEntryOwnerTag] == accessEntryOwner(ctx, name) || live.Tags[accessEntryOwnerTag] == accessEntryOwner(ctx, name) {
		return nil // ours, from an earlier run
	}
	urn, err := internals.UnsafeAwaitOutput(ctx.Context(), comp.URN())
	if err != nil {
		return err
	}
	f.existingAccessEntry = &existingAccessEntry{
		principalArn: roleArn,
		live:         live,
		importCommands: []string{
			fmt.Sprintf("pulumi import aws:eks/accessEntry:AccessEntry %s '%s' --parent '%s=%s'",
				accessEntryResourceName(name), accessEntryImportID(f.cluster.knownName, roleArn), name, urn.Value),
			fmt.Sprintf("aws eks tag-resource --resource-arn '%s' --tags '%s=%s'",
				live.AccessEntryArn, accessEntryOwnerTag, accessEntryOwner(ctx, name)),
		},
	}
	return nil
}

func accessEntryResourceName(name string) string { return name + "-access" }

// accessEntryArgs are the access entry's inputs: ours, with the owner tag; or, when adopting
// a leftover, its live values, so the import matches (an import whose inputs differ from the
// live resource fails, and a changed type would replace it).
func accessEntryArgs(ctx *pulumi.Context, name string, c *config, f *clusterFacts, principal pulumi.StringInput,
) (*eks.AccessEntryArgs, []pulumi.ResourceOption) {
	if e := f.existingAccessEntry; e != nil && c.adoptExisting {
		live := e.live
		return &eks.AccessEntryArgs{
				ClusterName:      f.cluster.name,
				PrincipalArn:     pulumi.String(e.principalArn),
				Type:             pulumi.String(live.Type),
				UserName:         pulumi.String(live.UserName),
				KubernetesGroups: pulumi.ToStringArray(slices.Clone(live.KubernetesGroups)),
				Tags:             pulumi.ToStringMap(maps.Clone(live.Tags)),
			}, []pulumi.ResourceOption{
				pulumi.Import(pulumi.ID(accessEntryImportID(f.cluster.knownName, e.principalArn))),
				// Adopted, as adoptExisting's Kubernetes objects are: deleting the setup leaves it.
				pulumi.RetainOnDelete(true),
			}
	}
	return &eks.AccessEntryArgs{
		ClusterName:  f.cluster.name,
		PrincipalArn: principal,
		Type:         pulumi.String("STANDARD"),
		UserName:     pulumi.String(c.access.username),
		Tags:         inputs.Overlay(c.tags, map[string]string{accessEntryOwnerTag: accessEntryOwner(ctx, name)}),
	}, nil
}
