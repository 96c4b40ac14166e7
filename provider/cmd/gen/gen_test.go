package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/concurrent-ai/pulumi-concurrent/provider"
)

// The schema the provider serves carries the package metadata, the version from
// provider.Version and the language names the SDKs are published under. providerSchema also
// runs schemaProblems, so this test fails on any undocumented input or foreign $ref.
func TestProviderSchemaMetadata(t *testing.T) {
	out, err := providerSchema()
	require.NoError(t, err)
	spec, err := readSpec(out)
	require.NoError(t, err)

	assert.Equal(t, "concurrent", spec.Name)
	assert.Equal(t, provider.Version, spec.Version)
	assert.NotEmpty(t, spec.Description)
	assert.Equal(t, "https://github.com/concurrent-ai/pulumi-concurrent", spec.Repository)
	assert.Equal(t, "Apache-2.0", spec.License)
	assert.NotEmpty(t, spec.Publisher)
	assert.Subset(t, spec.Keywords, []string{"pulumi", "kind/component"})
	assert.Contains(t, spec.Resources, "concurrent:index:ConcurrentEksSetup")
	// Where the engine fetches the plugin: the GitHub release v<version> of
	// concurrent-ai/pulumi-concurrent.
	assert.Equal(t, "github://api.github.com/concurrent-ai", spec.PluginDownloadURL)

	names := map[string]string{}
	for lang, key := range map[string]string{"go": "importBasePath", "nodejs": "packageName", "python": "packageName"} {
		var info map[string]any
		require.NoError(t, json.Unmarshal(spec.Language[lang], &info), lang)
		names[lang], _ = info[key].(string)
	}
	assert.Equal(t, map[string]string{
		"go":     "github.com/concurrent-ai/pulumi-concurrent/sdk/go/concurrent",
		"nodejs": "@concurrent-ai/pulumi-concurrent",
		"python": pythonPackage,
	}, names)
}

func TestSchemaProblemsFindsMissingDescriptionsAndForeignRefs(t *testing.T) {
	raw := []byte(`{
	  "name": "concurrent", "description": "d",
	  "resources": {
	    "concurrent:index:R": {
	      "inputProperties": {
	        "documented": {"type": "string", "description": "d"},
	        "bare": {"type": "string"},
	        "role": {"$ref": "/aws/v6.83.4/schema.json#/resources/aws:iam%2Frole:Role", "description": "d"}
	      },
	      "properties": {"out": {"type": "array", "items": {"$ref": "#/types/aws:index:Tag"}, "description": "d"}}
	    }
	  },
	  "types": {
	    "concurrent:index:T": {"type": "object", "properties": {"x": {"type": "string"}}},
	    "concurrent:index:E": {"type": "string", "enum": [{"value": "a", "description": "d"}, {"value": "b"}]}
	  }
	}`)
	problems, err := schemaProblems(raw)
	require.NoError(t, err)
	assert.Equal(t, []string{
		`resources.concurrent:index:R.inputProperties.bare: no description`,
		`resources.concurrent:index:R.inputProperties.role: $ref "/aws/v6.83.4/schema.json#/resources/aws:iam%2Frole:Role" points outside package "concurrent"`,
		`resources.concurrent:index:R.properties.out.items: $ref "#/types/aws:index:Tag" points outside package "concurrent"`,
		`resources.concurrent:index:R: no description`,
		`types.concurrent:index:E.enum.b: no description`,
		`types.concurrent:index:T.properties.x: no description`,
		`types.concurrent:index:T: no description`,
	}, problems)
}

func TestSchemaProblemsAcceptsLocalAndBuiltinRefs(t *testing.T) {
	raw := []byte(`{
	  "name": "concurrent", "description": "d",
	  "resources": {
	    "concurrent:index:R": {
	      "description": "d",
	      "inputProperties": {
	        "mode": {"$ref": "#/types/concurrent:index:E", "description": "d"},
	        "other": {"$ref": "#/resources/concurrent:index:R", "description": "d"},
	        "any": {"$ref": "pulumi.json#/Any", "description": "d"}
	      }
	    }
	  },
	  "types": {"concurrent:index:E": {"type": "string", "enum": [{"value": "a", "description": "d"}]}}
	}`)
	problems, err := schemaProblems(raw)
	require.NoError(t, err)
	assert.Empty(t, problems)
}

// The SDKs depend only on the schema, carry its version, and come out byte-identical twice.
func TestGenerateSDKs(t *testing.T) {
	schemaYAML, err := providerSchema()
	require.NoError(t, err)
	first, err := generateSDKs(schemaYAML)
	require.NoError(t, err)
	second, err := generateSDKs(schemaYAML)
	require.NoError(t, err)
	assert.Equal(t, first, second)

	// Each SDK tells the engine which plugin to load and where to download it.
	server := "github://api.github.com/concurrent-ai"
	for _, f := range []string{"go/concurrent/pulumi-plugin.json", "python/pulumi_concurrent/pulumi-plugin.json"} {
		var plugin struct{ Name, Version, Server string }
		require.NoError(t, json.Unmarshal(first[f], &plugin), f)
		assert.Equal(t, "concurrent", plugin.Name, f)
		assert.Equal(t, provider.Version, plugin.Version, f)
		assert.Equal(t, server, plugin.Server, f)
	}
	var nodePlugin struct {
		Pulumi struct{ Name, Version, Server string }
	}
	require.NoError(t, json.Unmarshal(first["nodejs/package.json"], &nodePlugin))
	assert.Equal(t, server, nodePlugin.Pulumi.Server)
	// The SDKs' READMEs are the user's: how to install, the plugin line, a program.
	for _, f := range []string{"go/concurrent/README.md", "nodejs/README.md", "python/README.md"} {
		assert.Contains(t, string(first[f]), "pulumi plugin install resource concurrent "+provider.Version+" --server "+server, f)
		assert.NotContains(t, string(first[f]), "{{version}}", f)
	}

	var pkgJSON struct{ Name, Version string }
	require.NoError(t, json.Unmarshal(first["nodejs/package.json"], &pkgJSON))
	assert.Equal(t, "@concurrent-ai/pulumi-concurrent", pkgJSON.Name)
	assert.Equal(t, provider.Version, pkgJSON.Version)

	var pyproject struct {
		Project struct{ Name, Version, Readme string }
	}
	_, err = toml.Decode(string(first["python/pyproject.toml"]), &pyproject)
	require.NoError(t, err)
	assert.Equal(t, pythonPackage, pyproject.Project.Name)
	assert.Equal(t, provider.Version, pyproject.Project.Version)
	assert.Contains(t, first, "python/"+pyproject.Project.Readme, "pyproject's readme must exist beside it")
}

func TestGeneratedTreeSkipsBuildOutputs(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{
		"go/concurrent/init.go",
		"nodejs/index.ts",
		"nodejs/package-lock.json",
		"nodejs/node_modules/@pulumi/pulumi/index.js",
		"nodejs/bin/index.js",
		"python/pyproject.toml",
		"python/pulumi_concurrent/__init__.py",
		"python/pulumi_concurrent/__pycache__/__init__.cpython-311.pyc",
		"python/.venv/bin/python",
		"python/build/lib/pulumi_concurrent/__init__.py",
		"python/pulumi_concurrent.egg-info/PKG-INFO",
	} {
		writeFile(t, filepath.Join(dir, f), "x")
	}
	names, err := generatedTree(dir)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"go/concurrent/init.go",
		"nodejs/index.ts",
		"python/pulumi_concurrent/__init__.py",
		"python/pyproject.toml",
	}, names)
}

// check passes on a freshly written tree and names every changed, missing and stale file.
func TestCheck(t *testing.T) {
	dir := t.TempDir()
	schemaPath, sdkDir := filepath.Join(dir, "schema.yaml"), filepath.Join(dir, "sdk")
	require.NoError(t, writeSchema(schemaPath))
	require.NoError(t, writeSDKs(schemaPath, sdkDir))
	writeFile(t, filepath.Join(sdkDir, "nodejs/node_modules/x/index.js"), "build output, not checked")
	require.NoError(t, check(schemaPath, sdkDir))

	writeFile(t, filepath.Join(sdkDir, "nodejs/package.json"), "{}")
	require.NoError(t, os.Remove(filepath.Join(sdkDir, "python/pyproject.toml")))
	writeFile(t, filepath.Join(sdkDir, "go/concurrent/removedResource.go"), "package concurrent")
	err := check(schemaPath, sdkDir)
	require.Error(t, err)
	var reported []string
	for _, line := range strings.Split(err.Error(), "\n") {
		if strings.HasPrefix(line, "  "+dir) {
			reported = append(reported, strings.TrimPrefix(line, "  "+dir+"/"))
		}
	}
	assert.Equal(t, []string{
		"sdk/nodejs/package.json differs from a fresh generation",
		"sdk/python/pyproject.toml is generated but missing from the tree",
		"sdk/go/concurrent/removedResource.go is no longer generated (stale)",
	}, reported)

	// writeSDKs repairs all three.
	require.NoError(t, writeSDKs(schemaPath, sdkDir))
	require.NoError(t, check(schemaPath, sdkDir))
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
}
