package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// check regenerates the schema and the SDKs into a temporary folder and compares them with
// the schema and SDK files in the tree. It needs only Go: no npm, pip or Pulumi CLI.
func check(schemaPath, sdkDir string) error {
	tmp, err := os.MkdirTemp("", "concurrent-gen-check-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	want, sdkFiles, err := generateInto(tmp, schemaPath, sdkDir)
	if err != nil {
		return err
	}
	changed, missing, err := compare(want)
	if err != nil {
		return err
	}
	inTree, err := generatedTree(sdkDir)
	if err != nil {
		return err
	}
	var stale []string
	for _, name := range inTree {
		if _, ok := sdkFiles[name]; !ok {
			stale = append(stale, filepath.Join(sdkDir, filepath.FromSlash(name)))
		}
	}
	if len(changed)+len(missing)+len(stale) == 0 {
		fmt.Printf("schema and SDKs are up to date (%d files)\n", len(want))
		return nil
	}
	return outOfDate(want, changed, missing, stale)
}

// generateInto writes a fresh schema and fresh SDKs under tmp. It returns where the fresh
// copy of each generated file is, keyed by its path in the tree, and the SDK files by their
// path under the SDK folder.
func generateInto(tmp, schemaPath, sdkDir string) (map[string]string, map[string][]byte, error) {
	schemaYAML, err := providerSchema()
	if err != nil {
		return nil, nil, err
	}
	sdkFiles, err := generateSDKs(schemaYAML)
	if err != nil {
		return nil, nil, err
	}
	want := map[string]string{schemaPath: filepath.Join(tmp, "schema.yaml")}
	if err := os.WriteFile(want[schemaPath], schemaYAML, 0o644); err != nil {
		return nil, nil, err
	}
	for name, content := range sdkFiles {
		fresh := filepath.Join(tmp, "sdk", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(fresh), 0o755); err != nil {
			return nil, nil, err
		}
		if err := os.WriteFile(fresh, content, 0o644); err != nil {
			return nil, nil, err
		}
		want[filepath.Join(sdkDir, filepath.FromSlash(name))] = fresh
	}
	return want, sdkFiles, nil
}

// compare lists, sorted, the committed files that differ from their fresh copy and those
// missing from the tree.
func compare(want map[string]string) (changed, missing []string, err error) {
	for committed, fresh := range want {
		got, err := os.ReadFile(committed)
		if errors.Is(err, fs.ErrNotExist) {
			missing = append(missing, committed)
			continue
		} else if err != nil {
			return nil, nil, err
		}
		if exp, _ := os.ReadFile(fresh); !bytes.Equal(got, exp) {
			changed = append(changed, committed)
		}
	}
	slices.Sort(changed)
	slices.Sort(missing)
	return changed, missing, nil
}

// outOfDate is the error listing every out-of-date file, with the start of the first diff.
func outOfDate(want map[string]string, changed, missing, stale []string) error {
	slices.Sort(stale)
	var b strings.Builder
	for _, group := range []struct {
		what  string
		paths []string
	}{
		{"differs from a fresh generation", changed},
		{"is generated but missing from the tree", missing},
		{"is no longer generated (stale)", stale},
	} {
		for _, p := range group.paths {
			fmt.Fprintf(&b, "  %s %s\n", p, group.what)
		}
	}
	if len(changed) > 0 {
		b.WriteString(peek(changed[0], want[changed[0]]))
	}
	return fmt.Errorf("generated files are out of date (run `make schema sdks` and commit):\n%s", b.String())
}

// peek shows the start of a unified diff between the committed and the fresh file, when the
// machine has diff(1); the file list above is the summary either way.
func peek(committed, fresh string) string {
	out, _ := exec.Command("diff", "-u", "--label", committed, "--label", "fresh", committed, fresh).Output()
	lines := strings.SplitAfter(string(out), "\n")
	if len(lines) > 40 {
		lines = append(lines[:40], "  ...\n")
	}
	return strings.Join(lines, "")
}
