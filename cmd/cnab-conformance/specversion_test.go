package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cnab-conformance/cnab-conformance/reports"
)

// End to end, the registry profile (no Docker) against the reference tool:
// the exit status and the reports' verdict agree. Checks of rules that do
// not hold in the claimed spec version are NotApplicable and do not block;
// checks the user filtered out are Disabled and do.
func TestRunSpecVersionVerdict(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the registry profile against the reference tool")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	ref := filepath.Join(tmp, "cnab-ref")
	build := exec.Command("go", "build", "-o", ref, "./fixtures/tools/reference")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the reference tool: %v\n%s", err, out)
	}

	for _, tc := range []struct {
		name      string
		args      []string
		code      int
		certified bool
		status    reports.Status // of every check that did not pass
		summary   string
	}{
		{"spec 1.0.0: 1.1+ checks do not apply", []string{"--spec", "1.0.0"}, 0, true, reports.StatusNotApplicable, "certified for spec 1.0.0"},
		{"spec 1.2.0 with the user's own 1.0.0 sem-ver filter", []string{"--spec", "1.2.0", "-ginkgo.sem-ver-filter=1.0.0"}, 0, false, reports.StatusDisabled, "PARTIAL RUN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "reports")
			args := append([]string{"run", "--tool", filepath.Join(root, "fixtures", "adapters", "reference.yaml"), "--tool-binary", ref,
				"--profile", "registry", "--report-dir", out, "--quiet"}, tc.args...)
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Dir = root
			cmd.Env = append(os.Environ(), e2eArgsEnv+"="+strings.Join(args, "\x1f"))
			b, err := cmd.CombinedOutput()
			code := 0
			var exit *exec.ExitError
			if errors.As(err, &exit) {
				code = exit.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s", code, tc.code, lastLines(string(b), 30))
			}
			if !strings.Contains(string(b), tc.summary) {
				t.Errorf("the summary does not say %q:\n%s", tc.summary, lastLines(string(b), 10))
			}
			r, err := reports.Load(filepath.Join(out, reports.ResultsFile))
			if err != nil {
				t.Fatal(err)
			}
			if r.Certified() != tc.certified {
				t.Errorf("certified = %v, want %v: %+v", r.Certified(), tc.certified, r.Verdicts)
			}
			others := 0
			for _, c := range r.Checks {
				if c.Status == reports.StatusPass {
					continue
				}
				others++
				if c.Status != tc.status {
					t.Errorf("%s: %s (%s), want %s", c.Name, c.Status, c.Reason, tc.status)
				}
				if c.Status == reports.StatusNotApplicable && reports.CatalogueApplies(c.Rules, r.SpecVersion) {
					t.Errorf("%s is NotApplicable, but the catalogue says %v holds in %s", c.Name, c.Rules, r.SpecVersion)
				}
			}
			if others == 0 || r.Totals.Pass == 0 {
				t.Errorf("want passing checks and %s ones, got totals %+v", tc.status, r.Totals)
			}
			// The CI gate reads the same verdict.
			gate, _, _ := runCLI("report", filepath.Join(out, reports.ResultsFile), "--require-certified")
			if (gate == 0) != tc.certified {
				t.Errorf("report --require-certified exits %d, certified=%v", gate, tc.certified)
			}
		})
	}
}
