package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cnab-conformance/cnab-conformance/reports"
)

// End to end: a real run of the registry profile (no Docker needed, about
// two seconds) against the reference tool writes every format; a
// submission built from it verifies, and claiming a profile the run did not
// cover does not. The run happens in a child process (this test binary
// again) because Ginkgo runs one suite per process.

const e2eArgsEnv = "CNAB_CONFORMANCE_E2E_ARGS"

func TestMain(m *testing.M) {
	if args := os.Getenv(e2eArgsEnv); args != "" {
		os.Exit(commands.Run(strings.Split(args, "\x1f"), os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

func TestRunWritesAVerifiableSubmission(t *testing.T) {
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
	out := filepath.Join(tmp, "reports")
	args := []string{"run", "--tool", filepath.Join(root, "fixtures", "adapters", "reference.yaml"), "--tool-binary", ref,
		"--profile", "registry", "--report-dir", out, "--quiet"}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), e2eArgsEnv+"="+strings.Join(args, "\x1f"))
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("cnab-conformance %s: %v\n%s", strings.Join(args, " "), err, lastLines(string(b), 40))
	}

	for _, f := range []string{reports.ResultsFile, reports.JUnitFile, reports.HTMLFile, reports.MarkdownFile, reports.BadgeFile("registry")} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("the run did not write %s", f)
		}
	}
	r, err := reports.Load(filepath.Join(out, reports.ResultsFile))
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := r.Verdict("registry"); !ok || !v.Certified || v.Must == 0 {
		t.Fatalf("the reference tool is not certified for registry: %+v", r.Verdicts)
	}

	// The submission as a tool author builds it: copy the files, write
	// PRODUCT.yaml from the template.
	sub := filepath.Join(tmp, "submission")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{reports.ResultsFile, reports.JUnitFile, reports.HTMLFile, reports.MarkdownFile} {
		b, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(sub, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, product, stderr := runCLI("report", filepath.Join(sub, reports.ResultsFile), "--format", "product")
	if code != 0 {
		t.Fatal(stderr)
	}
	product = strings.NewReplacer("VENDOR", "CNAB conformance", "ONE LINE ABOUT THE TOOL", "the reference tool").Replace(product)
	if err := os.WriteFile(filepath.Join(sub, reports.ProductFile), []byte(product), 0o644); err != nil {
		t.Fatal(err)
	}
	code, report, _ := runCLI("verify", sub)
	if code != 0 {
		t.Fatalf("the submission of a certified run does not verify:\n%s", report)
	}

	// Claiming the runtime profile, which this run did not cover, fails R9
	// and R10 (its MUST checks are missing).
	if err := os.WriteFile(filepath.Join(sub, reports.ProductFile), []byte(strings.Replace(product, "  - registry", "  - registry\n  - runtime", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	v, err := reports.VerifySubmission(sub, reports.VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var failed []string
	for _, f := range v.Failed() {
		failed = append(failed, f.ID)
	}
	if !slices.Equal(failed, []string{"R9", "R10"}) {
		t.Errorf("claiming an unrun profile fails %v, want [R9 R10]", failed)
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
