package depcheck

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/cnab-conformance/cnab-conformance"

// budget: for each package pattern, import path prefixes it must never
// depend on, directly or through another package.
var budget = []struct {
	pkgs       string
	forbidden  []string
	stdlibOnly bool // nothing outside the standard library and the package itself
}{
	{
		// The whole validator side, registry checks included.
		pkgs: "./validator/...",
		forbidden: []string{
			"github.com/distribution/",
			"github.com/docker/",
			"github.com/moby/",
			"github.com/onsi/",
			"go.opentelemetry.io/",
			module + "/suites",
			module + "/internal/docker",
			module + "/fixtures",
		},
	},
	{
		// The embeddable linter and its readers need no image library either
		// (go-containerregistry is for their tests only).
		pkgs:      "./validator",
		forbidden: []string{"github.com/google/go-containerregistry"},
	},
	{pkgs: "./validator/output", forbidden: []string{"github.com/google/go-containerregistry"}},
	{pkgs: "./validator/archive", forbidden: []string{"github.com/google/go-containerregistry"}},
	{pkgs: "./validator/specexamples", forbidden: []string{"github.com/google/go-containerregistry"}},
	// Shared by the reference tool and the suites (canonical), and handed
	// the validator as a function (schemadiff): standard library only.
	{pkgs: "./validator/canonical", stdlibOnly: true},
	{pkgs: "./validator/schemadiff", stdlibOnly: true},
	{
		pkgs:      "./cmd/cnab-validate",
		forbidden: []string{"github.com/distribution/", "github.com/onsi/", module + "/suites"},
	},
}

func TestDependencyBudget(t *testing.T) {
	for _, b := range budget {
		t.Run(b.pkgs, func(t *testing.T) {
			cmd := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", b.pkgs)
			cmd.Dir = "../.."
			out, err := cmd.CombinedOutput()
			if err != nil {
				if strings.Contains(string(out), "matched no packages") || strings.Contains(string(out), "cannot find package") || strings.Contains(string(out), "no Go files") {
					t.Skipf("%s does not exist yet", b.pkgs)
				}
				t.Fatalf("go list %s: %v\n%s", b.pkgs, err, out)
			}
			deps := strings.Fields(string(out))
			if len(deps) == 0 {
				t.Fatalf("go list %s listed nothing", b.pkgs)
			}
			for _, d := range deps {
				if b.stdlibOnly && d != module+strings.TrimPrefix(b.pkgs, ".") && strings.Contains(strings.SplitN(d, "/", 2)[0], ".") {
					t.Errorf("%s must use the standard library only, but depends on %s", b.pkgs, d)
				}
				for _, f := range b.forbidden {
					if strings.HasPrefix(d, f) {
						t.Errorf("%s depends on %s (forbidden prefix %s)", b.pkgs, d, f)
					}
				}
			}
		})
	}
}
