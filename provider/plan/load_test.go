package plan_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/concurrent-ai/pulumi-concurrent/provider/plan"
)

const validHead = "clusterName: kubetest32\nconcurrentAccountId: \"123456789012\"\n"

// A file the loader refuses: the error names the file, the line and the key's path.
func TestLoadRejects(t *testing.T) {
	cases := []struct {
		name  string
		setup string
		want  string // the error starts with this (after the file name)
	}{
		{"bad YAML", validHead + "roleName: \"unterminated\n", ":3: not valid YAML: found unexpected end of stream"},
		{"tab indentation", validHead + "nodeGroups:\n\tsystem: {}\n", ":4: not valid YAML: found character that cannot start any token"},
		{"top level not a mapping", "- clusterName\n", ":1: want a mapping of ConcurrentEksSetup inputs"},
		{"unknown top-level key", validHead + "nodeGroup: {}\n", `:3: nodeGroup: unknown key "nodeGroup" in the top level (known keys: access, `},
		{"unknown nested key", validHead + "nodeGroups:\n  system:\n    minsize: 1\n",
			`:5: nodeGroups.system.minsize: unknown key "minsize" in nodeGroups.system (known keys: amiType, `},
		{"unknown key in a list item", validHead + "namespaces:\n  - name: a\n    label: {}\n",
			`:5: namespaces[0].label: unknown key "label" in namespaces[0] (known keys: create, labels, name)`},
		{"unknown cluster key", validHead + "cluster:\n  accountId: \"678901234557\"\n",
			`:4: cluster.accountId: unknown key "accountId" in cluster (known keys: accessEntries, account, authenticationMode, availabilityZones, endpointPublicAccess, name, nodeGroups, otherVpcSubnetIds, partition, publicAccessCidrs, publicSubnetIds, region, subnetIds, version, vpcCidr, vpcId)`},
		{"duplicate key", validHead + "computeType: none\ncomputeType: fargate\n", `:4: computeType: duplicate key (first at line 3)`},
		{"string for a number", validHead + "nodeGroups:\n  system:\n    minSize: two\n", `:5: nodeGroups.system.minSize: want a whole number, got "two"`},
		{"fraction for an integer", validHead + "nodeGroups:\n  worker:\n    diskSize: 20.5\n", `:5: nodeGroups.worker.diskSize: want a whole number, got "20.5"`},
		{"string for a boolean", validHead + "enableSes: yes\n", `:3: enableSes: want true or false, got "yes"`},
		{"string for a list", validHead + "namespaces: concurrent\n", `:3: namespaces: want a list, got "concurrent"`},
		{"list for a string", validHead + "roleName: [a]\n", `:3: roleName: want a string, got a list`},
		{"bad cluster account", validHead + "cluster:\n  account: 12345\n", `:4: cluster.account: "12345" is not a 12-digit AWS account id`},
		{"bad authentication mode", validHead + "cluster:\n  authenticationMode: IAM\n", `:4: cluster.authenticationMode: "IAM" is not an EKS authentication mode`},
		{"second document", validHead + "---\ncomputeType: none\n", `:3: a second YAML document`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := plan.Load(t.Context(), "setup.yaml", []byte(tc.setup))
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), "setup.yaml"+tc.want), "got:  %s\nwant: setup.yaml%s...", err, tc.want)
		})
	}
}

// What the loader passes on: YAML numbers for string inputs keep their text, secrets are
// marked, the cluster defaults to the demo one named after clusterName.
func TestLoadInputs(t *testing.T) {
	s, err := plan.Load(t.Context(), "setup.yaml", []byte(`
clusterName: prod-eks
concurrentAccountId: 012345678901
externalId: abc-123
nodeGroups:
  system:
    diskSize: 300
cluster:
  region: eu-west-1
`))
	require.NoError(t, err)
	assert.Equal(t, "012345678901", s.Inputs.Get("concurrentAccountId").AsString())
	assert.True(t, s.Inputs.Get("externalId").Secret())
	assert.True(t, s.UserExternalID)
	assert.Equal(t, 300.0, s.Inputs.Get("nodeGroups").AsMap().Get("system").AsMap().Get("diskSize").AsNumber())
	assert.Equal(t, "prod-eks", s.Cluster.Name)
	assert.Equal(t, "eu-west-1", s.Cluster.Region)
	assert.Equal(t, []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"}, s.Cluster.AvailabilityZones)
}

// Values the component refuses: the component's own path-first messages, as `pulumi
// preview` prints them, nothing on stdout, exit status 1.
func TestComponentValidationErrors(t *testing.T) {
	cases := []struct {
		name  string
		setup string
		paths []string // each line of the error starts with one of these, in order
	}{
		{"sizes", validHead + "nodeGroups:\n  system:\n    minSize: 3\n", []string{"nodeGroups.system.minSize: "}},
		{"account and namespace", "clusterName: kubetest32\nconcurrentAccountId: \"12345\"\nnamespaces:\n  - name: Bad_Name\n",
			[]string{"concurrentAccountId: ", "namespaces[0].name: "}},
		{"cluster not found", validHead + "cluster:\n  name: other\n", []string{"clusterName: "}},
		{"access mode the cluster lacks", validHead + "access:\n  mode: accessEntry\ncluster:\n  authenticationMode: CONFIG_MAP\n",
			[]string{"access.mode: "}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := plan.Main(t.Context(), []string{"-f", writeSetup(t, tc.setup)}, &stdout, &stderr)
			var invalid *plan.InvalidError
			require.True(t, errors.As(err, &invalid), "got %v", err)
			lines := strings.Split(err.Error(), "\n")
			require.Len(t, lines, len(tc.paths), err.Error())
			for i, p := range tc.paths {
				assert.True(t, strings.HasPrefix(lines[i], p), "line %d: %q does not start with %q", i, lines[i], p)
			}
			assert.Empty(t, stdout.String())
			assert.Equal(t, 1, plan.ExitCode(err))
		})
	}
}

// The command line: each outcome and its exit status.
func TestMainExitCodes(t *testing.T) {
	good := writeSetup(t, validHead)
	missing := filepath.Join(t.TempDir(), "absent.yaml")
	bad := writeSetup(t, validHead+"nope: 1\n")
	cases := []struct {
		name     string
		args     []string
		code     int
		planned  bool
		errMatch func(error) bool
	}{
		{"text plan", []string{"-f", good}, 0, true, nil},
		{"json plan", []string{"-f", good, "--output", "json"}, 0, true, nil},
		{"help", []string{"-h"}, 0, false, nil},
		{"no file", nil, 2, false, isUsage},
		{"bad output", []string{"-f", good, "--output", "yaml"}, 2, false, isUsage},
		{"unknown flag", []string{"-f", good, "--region", "x"}, 2, false, isUsage},
		{"extra argument", []string{"-f", good, "more"}, 2, false, isUsage},
		{"missing file", []string{"-f", missing}, 1, false, func(err error) bool { return errors.Is(err, os.ErrNotExist) }},
		{"unknown key", []string{"-f", bad}, 1, false, func(err error) bool { return !isUsage(err) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := plan.Main(t.Context(), tc.args, &stdout, &stderr)
			assert.Equal(t, tc.code, plan.ExitCode(err), "error: %v", err)
			if tc.errMatch != nil {
				assert.True(t, tc.errMatch(err), "error: %v", err)
			}
			assert.Equal(t, tc.planned, stdout.Len() > 0, stdout.String())
		})
	}
}

func isUsage(err error) bool {
	var u *plan.UsageError
	return errors.As(err, &u)
}
