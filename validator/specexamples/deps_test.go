package specexamples

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportGraph keeps registry, Docker and test-framework code out of the
// validator side (go-containerregistry is for tests only).
func TestImportGraph(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Skipf("go list unavailable: %v %s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, banned := range []string{"github.com/distribution/", "github.com/docker/", "github.com/onsi/", "github.com/google/go-containerregistry", "go.opentelemetry.io/"} {
			if strings.HasPrefix(dep, banned) {
				t.Errorf("specexamples imports %s", dep)
			}
		}
	}
}
