// Package gotest runs the suites the simplest way a tool author can: one
// go test function calling suites.Test.
package gotest

import (
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/cnab-conformance/cnab-conformance/suites"
)

func TestConformance(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the reference tool")
	}
	bin := filepath.Join(t.TempDir(), "cnab-ref")
	if out, err := exec.Command("go", "build", "-o", bin, "../../../fixtures/tools/reference").CombinedOutput(); err != nil {
		t.Fatalf("building the reference tool: %v\n%s", err, out)
	}
	cfg := suites.NewConfig()
	cfg.ToolProfile = "../../../fixtures/adapters/reference.yaml"
	cfg.ToolBinary = bin
	cfg.Profiles = []string{suites.ProfileRegistry}
	cfg.ReportDir = t.TempDir()
	suites.Test(t, cfg)
}
