package namespace

import (
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	rbacv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/rbac/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The object names Concurrent's code looks up (Concurrent's new-namespace template): they
// are fixed, so every object sets metadata.name and none is auto-named.

// BootstrapClusterRoleName is the ClusterRole every namespace's bootstrap account is bound
// to. There is one per cluster, shared by all namespaces.
const BootstrapClusterRoleName = "k8s-role-for-concurrent-bootstrap"

// BootstrapServiceAccountName is the account Concurrent's bootstrap job runs as in ns.
func BootstrapServiceAccountName(ns string) string { return "k8s-serviceaccount-for-parallels-" + ns }

// BootstrapBindingName binds the bootstrap account to the bootstrap ClusterRole in ns.
func BootstrapBindingName(ns string) string { return "k8s-service-account-binding-" + ns }

// UsersClusterRoleName is the read-only ClusterRole of ns's worker jobs.
func UsersClusterRoleName(ns string) string { return "k8s-role-for-users-" + ns }

// UsersServiceAccountName is the account Concurrent's worker jobs run as in ns.
func UsersServiceAccountName(ns string) string { return "k8s-serviceaccount-for-users-" + ns }

// UsersBindingName binds the users account to the users ClusterRole in ns.
func UsersBindingName(ns string) string { return "k8s-serviceaccount-for-users-" + ns + "-binding" }

// rbacAPIGroup is every roleRef's apiGroup. The template leaves it "" (the API server
// defaults it); we set it, since roleRef is immutable and a later diff would replace the binding.
const rbacAPIGroup = "rbac.authorization.k8s.io"

// bootstrapRules are the template's, minus its `post` verb, which Kubernetes does not have.
var bootstrapRules = []rule{
	{
		apiGroups: []string{""},
		resources: []string{"nodes", "namespaces", "pods", "pods/log", "secrets", "events", "configmaps"},
		verbs:     []string{"get", "list", "watch", "create", "update", "patch", "delete"},
	},
	{
		apiGroups: []string{"apps"},
		resources: []string{"deployments", "daemonsets", "statefulsets", "replicasets"},
		verbs:     []string{"create", "get", "list", "watch", "update", "patch", "delete"},
	},
	{
		apiGroups: []string{"batch"},
		resources: []string{"jobs"},
		verbs:     []string{"get", "list", "watch", "create", "update", "patch", "delete"},
	},
	{
		apiGroups: []string{"events.k8s.io"},
		resources: []string{"events"},
		verbs:     []string{"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"},
	},
}

// usersRules are the template's, minus `jobs` in the core group, which matches nothing
// (jobs live in `batch`).
var usersRules = []rule{
	{
		apiGroups: []string{""},
		resources: []string{"pods", "pods/log", "events"},
		verbs:     []string{"get", "list", "watch"},
	},
}

type rule struct{ apiGroups, resources, verbs []string }

func policyRules(rules []rule) rbacv1.PolicyRuleArray {
	out := make(rbacv1.PolicyRuleArray, len(rules))
	for i, r := range rules {
		out[i] = rbacv1.PolicyRuleArgs{
			ApiGroups: pulumi.ToStringArray(r.apiGroups),
			Resources: pulumi.ToStringArray(r.resources),
			Verbs:     pulumi.ToStringArray(r.verbs),
		}
	}
	return out
}

// adoptAnnotation makes server-side apply take over the fields a manual setup's
// `kubectl apply` owns (pulumi-kubernetes' pulumi.com/patchForce): without it, the fields
// we change (e.g. the users role's rules) conflict with the kubectl field manager.
const adoptAnnotation = "pulumi.com/patchForce"

// objectMeta is the metadata of one of our objects: its fixed name, the namespace for a
// namespaced object, and the adoption annotation.
func objectMeta(name, namespace string, adopt bool) *metav1.ObjectMetaArgs {
	m := &metav1.ObjectMetaArgs{Name: pulumi.String(name)}
	if namespace != "" {
		m.Namespace = pulumi.String(namespace)
	}
	if adopt {
		m.Annotations = pulumi.StringMap{adoptAnnotation: pulumi.String("true")}
	}
	return m
}

// NewBootstrapClusterRole registers the shared ClusterRole k8s-role-for-concurrent-bootstrap.
// Exactly one per cluster: ConcurrentEksSetup registers it once, a standalone
// ConcurrentNamespace only with createBootstrapClusterRole. With adopt, an existing one is
// taken over and kept on delete.
func NewBootstrapClusterRole(ctx *pulumi.Context, name string, adopt bool, opts ...pulumi.ResourceOption,
) (*rbacv1.ClusterRole, error) {
	if adopt {
		opts = append(opts, pulumi.RetainOnDelete(true))
	}
	return rbacv1.NewClusterRole(ctx, name, &rbacv1.ClusterRoleArgs{
		Metadata: objectMeta(BootstrapClusterRoleName, "", adopt),
		Rules:    policyRules(bootstrapRules),
	}, opts...)
}

// objects are the five per-namespace objects of Concurrent's template, plus the Namespace.
type objects struct {
	bootstrapAccount *corev1.ServiceAccount
	usersAccount     *corev1.ServiceAccount
}

// registerObjects registers the namespace's objects as children of the component.
// opts hold Parent (and RetainOnDelete when adopting); inNS adds what namespaced objects
// need (DependsOn the created Namespace).
func registerObjects(ctx *pulumi.Context, name, ns string, adopt bool, opts, inNS []pulumi.ResourceOption,
) (*objects, error) {
	nsOpts := append(append([]pulumi.ResourceOption{}, opts...), inNS...)
	out := &objects{}
	var err error

	// The bootstrap job's account, bound in this namespace to the shared bootstrap ClusterRole.
	out.bootstrapAccount, err = corev1.NewServiceAccount(ctx, name+"-bootstrap-sa", &corev1.ServiceAccountArgs{
		Metadata: objectMeta(BootstrapServiceAccountName(ns), ns, adopt),
	}, nsOpts...)
	if err != nil {
		return nil, err
	}
	_, err = rbacv1.NewRoleBinding(ctx, name+"-bootstrap-binding", &rbacv1.RoleBindingArgs{
		Metadata: objectMeta(BootstrapBindingName(ns), ns, adopt),
		Subjects: rbacv1.SubjectArray{rbacv1.SubjectArgs{
			Kind: pulumi.String("ServiceAccount"), Name: pulumi.String(BootstrapServiceAccountName(ns)),
			Namespace: pulumi.String(ns),
		}},
		RoleRef: rbacv1.RoleRefArgs{
			ApiGroup: pulumi.String(rbacAPIGroup), Kind: pulumi.String("ClusterRole"),
			Name: pulumi.String(BootstrapClusterRoleName),
		},
	}, nsOpts...)
	if err != nil {
		return nil, err
	}

	// The worker jobs' account: read-only on pods, their logs and events. The role is a
	// ClusterRole (cluster-scoped, as Concurrent names it) granted only in this namespace.
	_, err = rbacv1.NewClusterRole(ctx, name+"-users-role", &rbacv1.ClusterRoleArgs{
		Metadata: objectMeta(UsersClusterRoleName(ns), "", adopt),
		Rules:    policyRules(usersRules),
	}, opts...)
	if err != nil {
		return nil, err
	}
	out.usersAccount, err = corev1.NewServiceAccount(ctx, name+"-users-sa", &corev1.ServiceAccountArgs{
		Metadata: objectMeta(UsersServiceAccountName(ns), ns, adopt),
	}, nsOpts...)
	if err != nil {
		return nil, err
	}
	_, err = rbacv1.NewRoleBinding(ctx, name+"-users-binding", &rbacv1.RoleBindingArgs{
		Metadata: objectMeta(UsersBindingName(ns), ns, adopt),
		Subjects: rbacv1.SubjectArray{rbacv1.SubjectArgs{
			Kind: pulumi.String("ServiceAccount"), Name: pulumi.String(UsersServiceAccountName(ns)),
			Namespace: pulumi.String(ns),
		}},
		RoleRef: rbacv1.RoleRefArgs{
			ApiGroup: pulumi.String(rbacAPIGroup), Kind: pulumi.String("ClusterRole"),
			Name: pulumi.String(UsersClusterRoleName(ns)),
		},
	}, nsOpts...)
	if err != nil {
		return nil, err
	}
	return out, nil
}
