package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/concurrent-ai/pulumi-concurrent/internal/fakeaws"
	"github.com/concurrent-ai/pulumi-concurrent/provider/awsauth"
	"github.com/concurrent-ai/pulumi-concurrent/provider/setup"
)

func (b *builder) access(ordered []fakeaws.Resource, mode string) (ClusterAccess, error) {
	out := ClusterAccess{Mode: mode}
	for _, r := range ordered {
		switch r.Type {
		case setup.AwsAuthRoleMappingToken:
			b.done[r.URN] = true
			arn, err := awsauth.RoleARNWithoutPath(b.red.str(str(r.Inputs, "roleArn")))
			if err != nil {
				return out, err
			}
			entry := awsauth.RoleMapping{
				RoleARN: arn, Username: b.red.str(str(r.Inputs, "username")), Groups: strs(r.Inputs, "groups"),
			}
			roles, err := awsauth.ParseMapRoles("")
			if err != nil {
				return out, err
			}
			if _, err := roles.Set(entry); err != nil {
				return out, err
			}
			text, err := roles.Render()
			if err != nil {
				return out, err
			}
			out.AwsAuth = &AwsAuth{
				Resource: r.Name, MapRoles: text,
				Entry: AwsAuthEntry{RoleArn: entry.RoleARN, Username: entry.Username, Groups: entry.Groups},
			}
		case typeAccessEntry, typePolicyAssociation:
			b.done[r.URN] = true
			out.AccessEntry = append(out.AccessEntry, b.item(r))
		}
	}
	return out, nil
}

func (b *builder) compute(ordered []fakeaws.Resource) Compute {
	out := Compute{NodeGroups: []Item{}, FargateProfiles: []Item{}, Network: []Item{}}
	for _, r := range ordered {
		switch {
		case r.Type == typeNodeGroup:
			out.NodeGroups = append(out.NodeGroups, b.item(r))
		case r.Type == typeFargateProfile:
			out.FargateProfiles = append(out.FargateProfiles, b.item(r))
		case strings.HasPrefix(r.Type, "aws:ec2/"):
			out.Network = append(out.Network, b.item(r))
		default:
			continue
		}
		b.done[r.URN] = true
	}
	return out
}

// kubernetes renders every kubernetes:* child as the object it sends, grouped by the
// component that owns it (one per namespace); objects of the setup itself are shared.
// Only the inputs are read, so any object the namespace step adds shows up here.
func (b *builder) kubernetes(ordered []fakeaws.Resource) KubernetesObjects {
	out := KubernetesObjects{Shared: []Object{}, Namespaces: []Namespace{}}
	byURN := map[resource.URN]fakeaws.Resource{}
	for _, r := range b.run.Resources {
		byURN[r.URN] = r
	}
	groups := map[resource.URN]int{}
	for _, r := range ordered {
		group, ok := k8sGroupOf(r.Type)
		if !ok {
			continue
		}
		b.done[r.URN] = true
		obj, _ := b.red.plain(property.New(r.Inputs)).(map[string]any)
		if obj == nil {
			obj = map[string]any{}
		}
		apiVersion, kind := group, r.Type[strings.LastIndex(r.Type, ":")+1:]
		if apiVersion == "core/v1" {
			apiVersion = "v1"
		}
		if _, ok := obj["apiVersion"]; !ok {
			obj["apiVersion"] = apiVersion
		}
		if _, ok := obj["kind"]; !ok {
			obj["kind"] = kind
		}
		o := Object{Resource: r.Name, Object: obj}
		owner := byURN[r.Parent]
		if owner.URN == "" || owner.URN == b.run.URN || owner.Custom {
			out.Shared = append(out.Shared, o)
			continue
		}
		i, ok := groups[owner.URN]
		if !ok {
			i = len(out.Namespaces)
			groups[owner.URN] = i
			out.Namespaces = append(out.Namespaces, Namespace{Component: owner.Name, Objects: []Object{}})
		}
		ns := &out.Namespaces[i]
		ns.Objects = append(ns.Objects, o)
		if ns.Namespace == "" {
			meta, _ := obj["metadata"].(map[string]any)
			if n, ok := meta["namespace"].(string); ok {
				ns.Namespace = n
			} else if n, ok := meta["name"].(string); ok && kind == "Namespace" {
				ns.Namespace = n
			}
		}
	}
	return out
}

// k8sGroupOf returns the API group/version of a kubernetes:<group/version>:<Kind> type.
func k8sGroupOf(token string) (string, bool) {
	parts := strings.Split(token, ":")
	if len(parts) != 3 || parts[0] != "kubernetes" {
		return "", false
	}
	return parts[1], true
}

func (b *builder) registrations() ([]Registration, error) {
	out := []Registration{}
	regs, ok := b.run.Outputs.GetOk("registrations")
	if !ok || !regs.IsArray() {
		return out, nil
	}
	externalID := Secret
	if b.s.UserExternalID {
		// The user wrote it in the file: it is theirs to see.
		externalID = str(b.run.Outputs, "externalId")
	}
	configs, _ := b.run.Outputs.GetOk("mlflowBackendConfigs")
	requests, _ := b.run.Outputs.GetOk("registrationRequests")
	for _, reg := range regs.AsArray().AsSlice() {
		values, _ := b.red.plain(reg).(map[string]any)
		ns, _ := values["namespace"].(string)
		config := ""
		if configs.IsMap() {
			config = str(configs.AsMap(), ns)
		}
		if !json.Valid([]byte(config)) {
			return nil, fmt.Errorf("namespace %s: the backend config %q is not JSON", ns, config)
		}
		request, err := b.redactedRequest(requests, ns)
		if err != nil {
			return nil, err
		}
		out = append(out, Registration{
			Namespace: ns, Values: values, ExternalID: externalID, Request: request, BackendConfig: json.RawMessage(config),
			MlflowRun: fmt.Sprintf("mlflow run -b concurrent-backend --backend-config '%s' %s", config, ProjectURI),
		})
	}
	return out, nil
}

// redactedRequest is the namespace's registrationRequests body (a secret output) with the
// external IDs it carries shown as [secret], whoever wrote them, and the other values
// redacted as everywhere in the plan.
func (b *builder) redactedRequest(requests property.Value, ns string) (json.RawMessage, error) {
	if !requests.IsMap() {
		return json.RawMessage("null"), nil
	}
	body := str(requests.AsMap(), ns)
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		return nil, fmt.Errorf("namespace %s: the registration request is not JSON: %w", ns, err)
	}
	for k, v := range m {
		if s, ok := v.(string); ok {
			m[k] = b.red.str(s)
		}
	}
	for _, k := range []string{"role_ext", "ecr_role_ext"} {
		if _, ok := m[k]; ok {
			m[k] = Secret
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // keep <auto> readable
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	return bytes.TrimSpace(buf.Bytes()), nil
}
