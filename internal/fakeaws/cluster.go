// Package fakeaws plays AWS for the provider's components from a description of one EKS
// cluster and its account: it answers the invokes the components make (Invoke), computes
// the outputs AWS would return for the resources they create (Outputs), and runs a
// component's Construct in-process under Pulumi mocks that use both (Construct). The
// offline `plan` subcommand and the tests run on it, and so does the stand-in `aws` plugin
// of the engine tests, so none of them can drift from the others. It is a test double:
// nothing here talks to AWS.
//
// # The cluster description
//
// A JSON (or YAML) object; every key is optional and an unset key keeps the demo cluster's
// value (DemoCluster, a cluster like the runbook's example):
//
//	name                the EKS cluster's name (aws:eks/getCluster answers for it only)
//	region              e.g. "us-east-2"; without availabilityZones, the zones become
//	                    <region>a, <region>b and <region>c
//	account             the 12-digit account id (getCallerIdentity, every ARN)
//	partition           "aws", "aws-cn", "aws-us-gov"
//	authenticationMode  API, API_AND_CONFIG_MAP or CONFIG_MAP (accessConfig)
//	subnetIds           the cluster's subnets (vpcConfig)
//	vpcId, vpcCidr      the cluster's VPC (vpcConfig, getVpc)
//	availabilityZones   what getAvailabilityZones lists; the cluster's subnets lie in them
//	                    in turn (subnetIds[i] in availabilityZones[i % n]), as do the
//	                    public subnets
//	version             the cluster's Kubernetes version (default 1.33)
//	endpointPublicAccess  true or false: whether the API endpoint is public
//	publicAccessCidrs   who may reach the public endpoint (default [0.0.0.0/0])
//	publicSubnetIds     subnets of the VPC whose route table routes to an internet gateway
//	                    (the cluster's or others; default: one that is not the cluster's).
//	                    The cluster's other subnets use the VPC's main route table, which
//	                    routes to a NAT gateway, as does any subnet id not described: it is
//	                    a private subnet of the VPC, in the first zone
//	otherVpcSubnetIds   subnets of another VPC (OtherVpcID)
//	nodeGroups          names of the managed node groups already in the cluster
//	accessEntries       principal ARNs that already have an access entry (getAccessEntry
//	                    answers for them, as a STANDARD entry with EKS's default username)
//	endpoint            the API server's URL (default: an EKS-style URL in the region)
//	certificateData     its CA bundle, base64 (default: a placeholder)
//
// All keys but the last two (DescribedKeys) say what the cluster and account are: a plan file's
// `cluster:` section takes those. endpoint and certificateData (ConnectionKeys) say where
// the API server answers: a stand-in facing a real API server sets them; a plan never
// connects.
package fakeaws

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"sigs.k8s.io/yaml"
)

// Cluster is a cluster description (see the package doc). The JSON field order is the
// plan's.
type Cluster struct {
	Name               string   `json:"name"`
	Region             string   `json:"region"`
	AccountID          string   `json:"account"`
	Partition          string   `json:"partition"`
	AuthenticationMode string   `json:"authenticationMode"`
	SubnetIDs          []string `json:"subnetIds"`
	VpcID              string   `json:"vpcId"`
	VpcCidr            string   `json:"vpcCidr"`
	AvailabilityZones  []string `json:"availabilityZones"`
	Version            string   `json:"version"`
	// EndpointPublicAccess and PublicAccessCidrs are the API endpoint's vpcConfig.
	EndpointPublicAccess bool     `json:"endpointPublicAccess"`
	PublicAccessCidrs    []string `json:"publicAccessCidrs"`
	PublicSubnetIDs      []string `json:"publicSubnetIds"`
	OtherVpcSubnetIDs    []string `json:"otherVpcSubnetIds"`
	NodeGroups           []string `json:"nodeGroups"`
	AccessEntries        []string `json:"accessEntries,omitempty"`
	Endpoint             string   `json:"endpoint,omitempty"`
	CertificateData      string   `json:"certificateData,omitempty"`
}

// DemoCluster is a cluster like the runbook's example.
func DemoCluster() Cluster {
	return Cluster{
		Name: "kubetest32", Region: "us-east-2", Partition: "aws", AccountID: "678901234557",
		AuthenticationMode: "API_AND_CONFIG_MAP",
		SubnetIDs:          []string{"subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"},
		VpcID:              "vpc-0123456789abcdef0", VpcCidr: "192.168.0.0/16",
		AvailabilityZones: []string{"us-east-2a", "us-east-2b", "us-east-2c"},
		Version:           "1.33", EndpointPublicAccess: true, PublicAccessCidrs: []string{"0.0.0.0/0"},
		PublicSubnetIDs: []string{"subnet-0b00000000000public"}, OtherVpcSubnetIDs: []string{}, NodeGroups: []string{},
	}
}

// ClusterARN is the cluster's ARN as EKS reports it.
func (c Cluster) ClusterARN() string {
	return fmt.Sprintf("arn:%s:eks:%s:%s:cluster/%s", c.Partition, c.Region, c.AccountID, c.Name)
}

// APIEndpoint is the endpoint getCluster reports: the described one, or an EKS-style URL in
// the cluster's region.
func (c Cluster) APIEndpoint() string {
	if c.Endpoint != "" {
		return c.Endpoint
	}
	return fmt.Sprintf("https://0123456789ABCDEF.gr7.%s.eks.amazonaws.com", c.Region)
}

// CertificateAuthority is the CA bundle getCluster reports (base64).
func (c Cluster) CertificateAuthority() string {
	if c.CertificateData != "" {
		return c.CertificateData
	}
	return "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==" // "-----BEGIN CERTIFICATE-----\n"
}

// DescribedKeys and ConnectionKeys are the description's keys (see the package doc).
var (
	DescribedKeys = []string{
		"name", "region", "account", "partition", "authenticationMode",
		"subnetIds", "vpcId", "vpcCidr", "availabilityZones", "version", "endpointPublicAccess",
		"publicAccessCidrs", "publicSubnetIds", "otherVpcSubnetIds", "nodeGroups", "accessEntries",
	}
	ConnectionKeys = []string{"endpoint", "certificateData"}
)

// IsList reports whether a description key takes a list of strings (the others take one).
func IsList(key string) bool {
	return slices.Contains([]string{"subnetIds", "availabilityZones", "publicAccessCidrs", "publicSubnetIds",
		"otherVpcSubnetIds", "nodeGroups", "accessEntries"}, key)
}

// boolKey takes true or false, or their text (a plan file's scalars arrive as text).
const boolKey = "endpointPublicAccess"

// AuthenticationModes are the values EKS reports as accessConfig.authenticationMode.
var AuthenticationModes = []string{"API", "API_AND_CONFIG_MAP", "CONFIG_MAP"}

// KeyError is an unknown key, a value of the wrong kind or an authentication mode EKS does
// not have. The shapes of the account id and the region are the components' input rules:
// the plan checks them (provider/internal/inputs); a stand-in's own descriptions need not.
type KeyError struct{ Key, Msg string }

func (e *KeyError) Error() string { return e.Key + ": " + e.Msg }

// NewCluster reads a description: each value is a string, or a list of strings for a list
// key. An unknown key, a value of the wrong kind or an unknown authentication mode is a
// *KeyError.
func NewCluster(desc map[string]any) (Cluster, error) {
	c := DemoCluster()
	known := append(slices.Clone(DescribedKeys), ConnectionKeys...)
	for key := range desc {
		if !slices.Contains(known, key) {
			slices.Sort(known)
			return c, &KeyError{key, fmt.Sprintf("unknown key (known keys: %s)", strings.Join(known, ", "))}
		}
	}
	if v, ok := desc[boolKey].(string); ok && (v == "true" || v == "false") {
		desc = maps.Clone(desc)
		desc[boolKey] = v == "true"
	}
	// The keys are the JSON names of Cluster's fields.
	raw, err := json.Marshal(desc)
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			want := map[bool]string{true: "a list of strings", false: "a string"}[IsList(te.Field)]
			if te.Field == boolKey {
				want = "true or false"
			}
			return c, &KeyError{te.Field, fmt.Sprintf("want %s, got %v", want, desc[te.Field])}
		}
		return c, err
	}
	if !slices.Contains(AuthenticationModes, c.AuthenticationMode) {
		return c, &KeyError{"authenticationMode", fmt.Sprintf("%q is not an EKS authentication mode (%s)",
			c.AuthenticationMode, strings.Join(AuthenticationModes, ", "))}
	}
	if _, err := fmt.Sscanf(c.Version, "1.%d", new(int)); err != nil {
		return c, &KeyError{"version", fmt.Sprintf("%q is not an EKS Kubernetes version (1.<minor>)", c.Version)}
	}
	if _, ok := desc["region"]; ok {
		if _, ok := desc["availabilityZones"]; !ok {
			// The demo's zones belong to its region.
			c.AvailabilityZones = []string{c.Region + "a", c.Region + "b", c.Region + "c"}
		}
	}
	return c, nil
}

// LoadCluster reads a description written as JSON or YAML.
func LoadCluster(data []byte) (Cluster, error) {
	var desc map[string]any
	if err := yaml.Unmarshal(data, &desc); err != nil {
		return Cluster{}, fmt.Errorf("the cluster description: %w", err)
	}
	c, err := NewCluster(desc)
	if err != nil {
		return c, fmt.Errorf("the cluster description: %w", err)
	}
	return c, nil
}
