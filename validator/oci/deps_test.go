package oci

import (
	"os/exec"
	"strings"
	"testing"
)

// The registry checks are shared by cnab-validate, which must stay free of
// registry servers, Docker and Ginkgo (go-containerregistry's depcheck is
// the model).
func TestImportGraph(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", ".", "./client").CombinedOutput()
	if err != nil {
		t.Skipf("go list unavailable: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, banned := range []string{"github.com/distribution/", "github.com/onsi/", "github.com/docker/",
			"cnab-conformance/internal/docker", "cnab-conformance/suites"} {
			if strings.Contains(dep, banned) {
				t.Errorf("validator/oci imports %s", dep)
			}
		}
	}
}
