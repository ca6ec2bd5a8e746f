package schemadiff

import (
	"os/exec"
	"strings"
	"testing"
)

// TestStandardLibraryOnly: the schema comparison needs nothing but the
// standard library (the validator is passed in as a function).
func TestStandardLibraryOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").CombinedOutput()
	if err != nil {
		t.Skipf("go list unavailable: %v %s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if !strings.HasSuffix(dep, "/validator/schemadiff") {
			t.Errorf("schemadiff imports %s; it must stay standard-library only", dep)
		}
	}
}
