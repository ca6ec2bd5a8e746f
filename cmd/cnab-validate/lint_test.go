package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cleanBundle has no finding at any level.
const cleanBundle = `{
  "schemaVersion": "v1.2.0",
  "name": "app",
  "version": "2.1.1",
  "license": "Apache-2.0",
  "maintainers": [{"name": "Team", "email": "team@example.com"}],
  "invocationImages": [{
    "imageType": "docker",
    "image": "registry.example.com/app-installer@sha256:a37f45ad72434158cc60758d461ac747284ba7c16f22efad46b05ca32a9d0cbc",
    "contentDigest": "sha256:a37f45ad72434158cc60758d461ac747284ba7c16f22efad46b05ca32a9d0cbc"
  }],
  "definitions": {"port": {"type": "integer", "minimum": 1, "default": 8080}},
  "parameters": {"port": {"definition": "port", "destination": {"env": "PORT"}}}
}
`

// runLintCLI runs the command line in-process.
func runLintCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var o, e bytes.Buffer
	code := commands.Run(args, strings.NewReader(stdin), &o, &e)
	return code, o.String(), e.String()
}

// lintTree writes a small tree: a clean bundle, a bundle with a warning
// only, and a broken one, plus a non-JSON file the walk must skip.
func lintTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	must := func(p, body string) {
		full := filepath.Join(dir, p)
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	must("a/clean.json", cleanBundle)
	must("a/warn.json", strings.Replace(cleanBundle, `"license": "Apache-2.0"`, `"license": "the apache one"`, 1))
	must("b/broken.json", `{"schemaVersion":"v1.2.0","name":"x","version":"1.0.0","invocationImages":[{"image":"a","size":"1"}],}`)
	must("b/notes.txt", "not checked")
	return dir
}

func TestLintExitCodes(t *testing.T) {
	dir := lintTree(t)
	clean := filepath.Join(dir, "a", "clean.json")
	warn := filepath.Join(dir, "a", "warn.json")
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"clean file", []string{clean}, 0},
		{"explicit lint subcommand", []string{"lint", clean}, 0},
		{"warning below fail-on", []string{warn}, 0},
		{"warning at fail-on", []string{"--fail-on", "warning", warn}, 1},
		{"folder with an error", []string{dir}, 1},
		{"missing file", []string{filepath.Join(dir, "nope.json")}, 2},
		{"missing file next to a clean one", []string{clean, filepath.Join(dir, "nope.json")}, 2},
		{"no path", nil, 2},
		{"bad flag", []string{"--colour", clean}, 2},
		{"bad fail-on", []string{"--fail-on", "fatal", clean}, 2},
		{"bad format", []string{"--format", "yaml", clean}, 2},
		{"bad spec", []string{"--spec", "cnab-core-9", clean}, 2},
		{"bad kind", []string{"--kind", "widget", clean}, 2},
		{"bad max-size", []string{"--max-size", "lots", clean}, 2},
		{"bad jobs", []string{"--jobs", "0", clean}, 2},
		{"size cap", []string{"--max-size", "100", clean}, 1},
		{"help", []string{"lint", "-h"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runLintCLI(t, "", tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errOut)
			}
			if code == 2 && tt.name != "help" && errOut == "" {
				t.Error("usage error without a message")
			}
		})
	}
}

func TestLintTextOutputAndOrder(t *testing.T) {
	dir := lintTree(t)
	_, out, _ := runLintCLI(t, "", "--jobs", "3", dir)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 2 {
		t.Fatalf("output: %q", out)
	}
	if !strings.HasPrefix(lines[0], filepath.Join(dir, "a", "warn.json")+":") ||
		!strings.Contains(out, filepath.Join(dir, "b", "broken.json")+":1:") {
		t.Errorf("output not in input order or missing files:\n%s", out)
	}
	if !strings.Contains(out, "error V-01:") || !strings.Contains(out, "warning B-101-07:") || !strings.Contains(out, "    hint: ") {
		t.Errorf("unexpected text output:\n%s", out)
	}
	// The same run with one worker gives byte-identical output.
	_, out1, _ := runLintCLI(t, "", "--jobs", "1", dir)
	if out1 != out {
		t.Error("output depends on --jobs")
	}
}

func TestLintStdinAndJSON(t *testing.T) {
	code, out, errOut := runLintCLI(t, `{"claimId":"x"}`, "--format", "json", "-")
	if code != 1 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var doc struct {
		Findings []struct {
			File, Rule, Severity, Pointer string
			Line, Column                  int
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Findings) == 0 || doc.Findings[0].File != "-" {
		t.Fatalf("%+v", doc)
	}
}

func TestLintForcedKindAndSpec(t *testing.T) {
	// A relocation mapping read as a bundle breaks the bundle schema.
	code, out, _ := runLintCLI(t, `{"a":"b"}`, "--kind", "bundle", "--spec", "cnab-core-1.1.0", "-")
	if code != 1 || !strings.Contains(out, "B-101-02") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	code, out, _ = runLintCLI(t, `{"a":"b"}`, "-")
	if code != 0 || out != "" {
		t.Fatalf("exit %d:\n%s", code, out)
	}
}

func TestLintFormats(t *testing.T) {
	dir := lintTree(t)
	for _, f := range []string{"text", "json", "junit", "sarif", "github"} {
		code, out, errOut := runLintCLI(t, "", "--format", f, dir)
		if code != 1 || out == "" {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", f, code, out, errOut)
		}
	}
}

func TestLintArchiveAndOCIHooks(t *testing.T) {
	savedA, savedO := archiveLinter, ociLinter
	defer func() { archiveLinter, ociLinter = savedA, savedO }()
	archiveLinter, ociLinter = nil, nil
	dir := t.TempDir()
	tgz := filepath.Join(dir, "b.tgz")
	os.WriteFile(tgz, []byte("x"), 0o644)
	if code, _, errOut := runLintCLI(t, "", tgz); code != 2 || !strings.Contains(errOut, "not supported") {
		t.Errorf("archive without hook: %d %q", code, errOut)
	}
	if code, _, errOut := runLintCLI(t, "", "oci://localhost/x:1"); code != 2 || !strings.Contains(errOut, "not supported") {
		t.Errorf("oci without hook: %d %q", code, errOut)
	}
}

func TestParseSize(t *testing.T) {
	tests := map[string]int64{"100": 100, "512KiB": 512 << 10, "10MiB": 10 << 20, "1MB": 1000000, "2G": 2 << 30, "7 B": 7}
	for in, want := range tests {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1", "0", "ten", "1TB", "99999999999999GiB"} {
		if _, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q): no error", in)
		}
	}
}

func TestLintSchemaDirNotesDroppedPatterns(t *testing.T) {
	dir := officialSchemas(t, "cnab-core-1.0")
	code, _, errOut := runLintCLI(t, cleanBundle, "--schema-dir", dir, "--spec", "cnab-core-1.0", "-")
	if code != 0 || !strings.Contains(errOut, `"^(?!/cnab/app/outputs)/.+$"`) {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := runLintCLI(t, cleanBundle, "--schema-dir", filepath.Join(dir, "missing"), "-"); code != 2 || errOut == "" {
		t.Fatalf("missing schema dir: exit %d, %q", code, errOut)
	}
}

// TestCanonicalRaisesMissingDigest: --canonical turns on the release checks,
// which make a missing contentDigest (B-101-14) an error; without it the
// bundle is under development and the finding is a warning (exit 0).
func TestCanonicalRaisesMissingDigest(t *testing.T) {
	// Canonical JSON, so that --canonical adds no B-101-01 finding.
	const bundle = `{"invocationImages":[{"image":"example.com/app:1.0"}],"name":"app","schemaVersion":"v1.2.0","version":"1.0.0"}`
	tests := []struct {
		args []string
		code int
		sev  string
	}{
		{nil, 0, "warning"},
		{[]string{"--canonical"}, 1, "error"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(append([]string{"lint"}, tc.args...), " "), func(t *testing.T) {
			args := append(append([]string{"--format", "json"}, tc.args...), "-")
			code, stdout, stderr := runCmd(t, bundle, args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d: %s%s", code, tc.code, stdout, stderr)
			}
			var out struct {
				Findings []struct{ Rule, Severity string } `json:"findings"`
			}
			if err := json.Unmarshal([]byte(stdout), &out); err != nil {
				t.Fatalf("%v: %s", err, stdout)
			}
			if len(out.Findings) != 1 || out.Findings[0].Rule != "B-101-14" || out.Findings[0].Severity != tc.sev {
				t.Fatalf("findings %+v, want one B-101-14 %s", out.Findings, tc.sev)
			}
		})
	}
}

// Flags may come after the paths, as users type them.
func TestLintFlagsAfterPaths(t *testing.T) {
	var out, errb bytes.Buffer
	code := commands.Run([]string{"../../fixtures/bundles/invalid/B-101-09.json", "--format", "json"}, nil, &out, &errb)
	if code != 1 {
		t.Fatalf("exit = %d, want 1 (findings)\n%s", code, errb.String())
	}
	if !strings.Contains(out.String(), `"rule": "B-101-09"`) {
		t.Fatalf("want json output naming B-101-09, got:\n%s", out.String())
	}
}
