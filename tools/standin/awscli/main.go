// Command aws is a stand-in for the AWS CLI in the end-to-end tests, first on their PATH:
// `aws eks get-token ...`, which a kubeconfig built by ConcurrentEksSetup runs, prints an
// ExecCredential carrying the local API server's token (read from the file named by
// STANDIN_KUBE_TOKEN_FILE) and appends its arguments and AWS environment to the stand-ins'
// call log. Anything else fails as the CLI does for an unknown command. Test tooling only.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/concurrent-ai/pulumi-concurrent/tools/standin/calllog"
)

const tokenFileEnv = "STANDIN_KUBE_TOKEN_FILE"

func main() {
	args := os.Args[1:]
	env := map[string]string{}
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		// What decides which credentials the real CLI uses, and what client-go passes.
		if strings.HasPrefix(k, "AWS_") || k == "KUBERNETES_EXEC_INFO" {
			env[k] = v
		}
	}
	call := calllog.Call{Plugin: "awscli", Method: "exec", Time: time.Now(), Args: args, Env: env}
	err := run(args, env)
	if err != nil {
		call.Error = err.Error()
	}
	calllog.Append(call)
	if err != nil {
		fmt.Fprintf(os.Stderr, "aws (stand-in): %v\n", err)
		os.Exit(255)
	}
}

func run(args []string, env map[string]string) error {
	if len(args) < 2 || args[0] != "eks" || args[1] != "get-token" {
		return fmt.Errorf("only `aws eks get-token` is stood in, not `aws %s`", strings.Join(args, " "))
	}
	if flag(args, "--cluster-name") == "" {
		return fmt.Errorf("eks get-token: --cluster-name is required")
	}
	token, err := os.ReadFile(os.Getenv(tokenFileEnv))
	if err != nil {
		return fmt.Errorf("reading the API server token (%s): %w", tokenFileEnv, err)
	}
	// The real CLI answers in the apiVersion client-go asks for, v1beta1 by default.
	apiVersion := "client.authentication.k8s.io/v1beta1"
	var info struct {
		APIVersion string `json:"apiVersion"`
	}
	if json.Unmarshal([]byte(env["KUBERNETES_EXEC_INFO"]), &info) == nil && info.APIVersion != "" {
		apiVersion = info.APIVersion
	}
	return json.NewEncoder(os.Stdout).Encode(map[string]any{
		"kind": "ExecCredential", "apiVersion": apiVersion, "spec": map[string]any{},
		"status": map[string]any{
			"expirationTimestamp": time.Now().Add(14 * time.Minute).UTC().Format(time.RFC3339),
			"token":               strings.TrimSpace(string(token)),
		},
	})
}

// flag is the value after name, or "".
func flag(args []string, name string) string {
	for i, a := range args {
		if a == name && i+1 < len(args) {
			return args[i+1]
		}
		if v, ok := strings.CutPrefix(a, name+"="); ok {
			return v
		}
	}
	return ""
}
