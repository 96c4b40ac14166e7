package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/blang/semver"
	gen_go "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"

	"github.com/concurrent-ai/pulumi-concurrent/provider"
)

// pythonPackage is the Python package name set in the provider's language map.
const pythonPackage = "pulumi_concurrent"

// generateSDKs returns every SDK file, keyed by its slash path under the sdk folder
// (go/concurrent/..., nodejs/..., python/...).
func generateSDKs(schemaYAML []byte) (map[string][]byte, error) {
	spec, err := readSpec(schemaYAML)
	if err != nil {
		return nil, err
	}
	generators := []struct {
		dir string
		gen func(*schema.Package) (map[string][]byte, error)
	}{
		{"go", func(pkg *schema.Package) (map[string][]byte, error) {
			return gen_go.GeneratePackage(tool, pkg, nil)
		}},
		{"nodejs", func(pkg *schema.Package) (map[string][]byte, error) {
			return nodejs.GeneratePackage(tool, pkg, nil, nil, false, noForeignPackages{})
		}},
		{"python", func(pkg *schema.Package) (map[string][]byte, error) {
			return python.GeneratePackage(tool, pkg, nil, noForeignPackages{})
		}},
	}
	files := map[string][]byte{}
	for _, g := range generators {
		// Each generator records its language's options on the bound package: bind afresh.
		pkg, diags, err := schema.BindSpec(spec, noForeignPackages{}, schema.ValidationOptions{})
		if err != nil {
			return nil, err
		}
		if diags.HasErrors() {
			return nil, fmt.Errorf("binding the schema: %s", diags.Error())
		}
		out, err := g.gen(pkg)
		if err != nil {
			return nil, fmt.Errorf("%s SDK: %w", g.dir, err)
		}
		for name, content := range out {
			files[path.Join(g.dir, filepath.ToSlash(name))] = content
		}
	}
	// pyproject.toml names README.md beside it, but codegen writes the README only inside the
	// package folder; without the copy, building the Python package fails.
	readme, ok := files["python/"+pythonPackage+"/README.md"]
	if !ok {
		return nil, fmt.Errorf("python SDK: no %s/README.md generated", pythonPackage)
	}
	files["python/README.md"] = readme
	// Go codegen writes no README; the package page (pkg.go.dev) shows this one.
	files["go/concurrent/README.md"] = []byte(provider.ReadmeGo)
	return files, nil
}

// writeSDKs regenerates the SDKs under dir and removes generated files the schema no longer
// produces (a removed resource must not leave its class behind).
func writeSDKs(schemaPath, dir string) error {
	schemaYAML, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	files, err := generateSDKs(schemaYAML)
	if err != nil {
		return err
	}
	existing, err := generatedTree(dir)
	if err != nil {
		return err
	}
	for _, name := range existing {
		if _, keep := files[name]; !keep {
			if err := os.Remove(filepath.Join(dir, filepath.FromSlash(name))); err != nil {
				return err
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		full := filepath.Join(dir, filepath.FromSlash(name))
		if old, err := os.ReadFile(full); err == nil && bytes.Equal(old, files[name]) {
			continue // unchanged: keep its mtime, so make does not redo npm ci
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(full, files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}

// generatedTree lists the files under dir/{go,nodejs,python} that the generator owns: all of
// them except what the SDK builds put there (node_modules, tsc's bin, the npm lock file,
// Python virtual environments, build folders and byte code).
func generatedTree(dir string) ([]string, error) {
	var names []string
	for _, lang := range []string{"go", "nodejs", "python"} {
		root := filepath.Join(dir, lang)
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if errors.Is(err, fs.ErrNotExist) && p == root {
				return fs.SkipDir
			}
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			rel = filepath.ToSlash(rel)
			if notGenerated(rel, d.IsDir()) {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if !d.IsDir() {
				names = append(names, rel)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(names)
	return names, nil
}

// notGenerated tells the build products apart from generated files (slash path under sdk/).
func notGenerated(rel string, isDir bool) bool {
	base := path.Base(rel)
	switch {
	case rel == "nodejs/node_modules", rel == "nodejs/bin", rel == "nodejs/package-lock.json":
		return true
	case strings.HasPrefix(rel, "python/") && isDir &&
		(base == ".venv" || base == "build" || base == "dist" || base == "__pycache__" || strings.HasSuffix(base, ".egg-info")):
		return true
	}
	return false
}

// noForeignPackages is the loader codegen requires. The schema check (schemaProblems) keeps
// every $ref inside this package, so any request for another package is a bug.
type noForeignPackages struct{}

func (noForeignPackages) LoadPackage(pkg string, _ *semver.Version) (*schema.Package, error) {
	return nil, refuse(pkg)
}

func (noForeignPackages) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, refuse(d.Name)
}

func (noForeignPackages) LoadPackageReference(pkg string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, refuse(pkg)
}

func (noForeignPackages) LoadPackageReferenceV2(_ context.Context, d *schema.PackageDescriptor) (schema.PackageReference, error) {
	return nil, refuse(d.Name)
}

func refuse(pkg string) error {
	return fmt.Errorf("package %q: the schema must not reference other packages", pkg)
}
