// Package testutil holds the two helpers many test packages need: the
// repository root, and the official CNAB schemas that sit beside it as a
// test oracle (never shipped with the project).
package testutil

import (
	"os"
	"path/filepath"
	"testing"
)

// RepoRoot walks up from the test's folder to the folder holding go.mod.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test's folder")
		}
		dir = parent
	}
}

// OfficialSpec returns ../shared/cnab-spec (relative to the repository root)
// joined with elem, or skips the test when it is absent: on a user's machine
// the official schemas are not there; CI has them.
func OfficialSpec(t testing.TB, elem ...string) string {
	t.Helper()
	p := filepath.Join(append([]string{RepoRoot(t), "..", "shared", "cnab-spec"}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("official CNAB schemas not available at ../shared/cnab-spec/%s (a test oracle beside the repository, present in CI)", filepath.ToSlash(filepath.Join(elem...)))
	}
	return p
}
