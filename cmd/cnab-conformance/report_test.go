package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/cnab-conformance/cnab-conformance/reports"
)

// goldenResults is the synthetic mixed run of the reports package tests
// (smoke certified; registry and runtime not).
const goldenResults = "../../reports/testdata/golden/results.json"

func TestReportCommand(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string // substring of stdout (code 0) or stderr
	}{
		{"html", []string{"report", goldenResults, "--format", "html"}, 0, "<!DOCTYPE html>"},
		{"flags first", []string{"report", "--format", "junit", goldenResults}, 0, "<testsuites"},
		{"markdown", []string{"report", goldenResults, "--format", "markdown"}, 0, "## CNAB conformance: cnab-ref 0.1.0: NOT CERTIFIED"},
		{"json", []string{"report", goldenResults, "--format", "json"}, 0, `"schemaVersion": "` + reports.SchemaVersion + `"`},
		{"badge of a profile", []string{"report", goldenResults, "--format", "badge", "--profile", "smoke"}, 0, ">certified</text>"},
		{"product template", []string{"report", goldenResults, "--format", "product"}, 0, "results_sha256:"},
		{"badge needs a profile", []string{"report", goldenResults, "--format", "badge"}, 2, "pick one with --profile"},
		{"all formats need --out", []string{"report", goldenResults}, 2, "needs --out"},
		{"unknown format", []string{"report", goldenResults, "--format", "pdf"}, 2, `unknown format "pdf"`},
		{"no results", []string{"report"}, 2, "exactly one RESULTS"},
		{"missing file", []string{"report", "nope.json", "--format", "html"}, 2, "nope.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := runCLI(tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\n%s", code, tt.code, stderr)
			}
			got := out
			if code != 0 {
				got = stderr
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("output lacks %q:\n%s", tt.want, got)
			}
		})
	}
}

func TestReportRejectsInvalidResults(t *testing.T) {
	path := filepath.Join(t.TempDir(), "results.json")
	if err := os.WriteFile(path, []byte(`{"schemaVersion":"1.0.0","checks":[{"status":"Maybe"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI("report", path, "--format", "html")
	if code != 2 || !strings.Contains(stderr, "results schema") {
		t.Errorf("exit %d, stderr %s", code, stderr)
	}
}

func TestReportProductDigest(t *testing.T) {
	raw, err := os.ReadFile(goldenResults)
	if err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI("report", goldenResults, "--format", "product")
	if code != 0 {
		t.Fatal(stderr)
	}
	var p reports.Product
	if err := yaml.Unmarshal([]byte(out), &p); err != nil {
		t.Fatal(err)
	}
	if p.ResultsSHA256 != reports.SHA256(raw) || !slices.Equal(p.Profiles, []string{"smoke"}) {
		t.Errorf("template %+v", p)
	}
}

// submission builds a submission folder from a results.json with the CLI,
// the way a tool author would, and a check list matching the run.
func submission(t *testing.T, results string) (dir, checkList string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "cnab-ref")
	if code, _, stderr := runCLI("report", results, "--out", dir); code != 0 {
		t.Fatalf("report: %s", stderr)
	}
	// The rendered results.json is the original, byte for byte.
	orig, _ := os.ReadFile(results)
	again, _ := os.ReadFile(filepath.Join(dir, reports.ResultsFile))
	if string(orig) != string(again) {
		t.Fatal("report --out changed results.json")
	}
	code, out, stderr := runCLI("report", results, "--format", "product")
	if code != 0 {
		t.Fatal(stderr)
	}
	product := strings.NewReplacer("VENDOR", "Example Corp", "ONE LINE ABOUT THE TOOL", "The reference tool").Replace(out)
	if err := os.WriteFile(filepath.Join(dir, reports.ProductFile), []byte(product), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := reports.Load(results)
	if err != nil {
		t.Fatal(err)
	}
	list := reports.CheckList{ConformanceVersion: r.Suite.ConformanceVersion, Supported: []string{r.Suite.ConformanceVersion}, Checks: reports.DeclsFromResults(r)}
	b, err := list.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	checkList = filepath.Join(t.TempDir(), "conformance.yaml")
	if err := os.WriteFile(checkList, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, checkList
}

func TestVerifyCommand(t *testing.T) {
	dir, list := submission(t, goldenResults)
	code, out, stderr := runCLI("verify", dir, "--check-list", list)
	if code != 0 {
		t.Fatalf("good submission: exit %d\n%s%s", code, out, stderr)
	}
	if !strings.Contains(out, "VERIFIED: all 14 requirements are met.") {
		t.Errorf("output:\n%s", out)
	}

	// Claiming a profile that is not certified fails R11 and R12.
	p := filepath.Join(dir, reports.ProductFile)
	b, _ := os.ReadFile(p)
	if err := os.WriteFile(p, []byte(strings.Replace(string(b), "- smoke", "- smoke\n  - registry", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runCLI("verify", "--check-list", list, dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, out)
	}
	for _, want := range []string{"R11  FAILED", "R11: Fail check \"registry push pushes the index", "R12  FAILED", "NOT VERIFIED: 2 failed (R11, R12)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	code, out, _ = runCLI("verify", "--format", "json", "--check-list", list, dir)
	var v reports.Verification
	if err := json.Unmarshal([]byte(out), &v); err != nil || code != 1 || v.Verified || len(v.Failed()) != 2 {
		t.Errorf("json: exit %d, %v, %+v", code, err, v)
	}
}

func TestVerifyCommandUsage(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"verify"}, "exactly one submission DIR"},
		{[]string{"verify", "a", "b"}, "exactly one submission DIR"},
		{[]string{"verify", "--format", "xml", "."}, "unknown format"},
		{[]string{"verify", filepath.Join(os.TempDir(), "no-such-submission-dir")}, "no-such-submission-dir"},
		{[]string{"verify", "--check-list", "nope.yaml", "."}, "nope.yaml"},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI(tt.args...)
		if code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
	code, _, stderr := runCLI("verify", "-h")
	if code != 0 || !strings.Contains(stderr, "R14") {
		t.Errorf("help: exit %d, %q", code, stderr)
	}
}
