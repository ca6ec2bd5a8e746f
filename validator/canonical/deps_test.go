package canonical

import (
	"os/exec"
	"strings"
	"testing"
)

// TestStandardLibraryOnly keeps the package importable by the reference tool
// and the suites without pulling anything in: its dependencies are the
// standard library's.
func TestStandardLibraryOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").CombinedOutput()
	if err != nil {
		t.Skipf("go list unavailable: %v %s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if !strings.HasSuffix(dep, "/validator/canonical") {
			t.Errorf("canonical imports %s; it must stay standard-library only", dep)
		}
	}
}
