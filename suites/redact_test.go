package suites

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"html"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/cnab-conformance/cnab-conformance/reports"
)

// Secrets a spec declared with Env.Secret, which nothing in the evidence
// labels as secret (no password=, no token key), so only the declaration
// can remove them. The second has characters each format escapes.
var declaredSecrets = []string{"Zq7unlabelled9xK", `p"w&<x>-opaque`}

// secretReport is a Ginkgo report whose failure, output and evidence carry
// the secrets everywhere a report can show them.
func secretReport() types.Report {
	start := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	s0, s1 := declaredSecrets[0], declaredSecrets[1]
	create, _ := json.Marshal(map[string]any{"Image": "127.0.0.1:5000/probe", "Env": []string{"CNAB_P_REGION=" + s0, "OPAQUE=" + s1}})
	probe, _ := json.Marshal(map[string]any{"files": map[string]string{"/cnab/app/creds/kube": s1}, "seen": s0})
	ev := reports.Evidence{
		Commands: []reports.CommandRun{{Operation: "install", Command: "tool install --value " + s0 + " --other " + s1, ExitCode: 1,
			Stdout: "installing with " + s0, Stderr: "echo " + s1}},
		ContainerCreates: []json.RawMessage{create},
		Probe:            probe,
		Notes:            []string{"the tool printed " + s0},
	}
	labels := []string{"level:MUST", "R-103-04", ProfileRuntime, LabelProfilePrefix + ProfileRuntime}
	spec := func(text string, state types.SpecState, msg string) types.SpecReport {
		sr := types.SpecReport{
			ContainerHierarchyTexts: []string{"runtime", "install"}, ContainerHierarchyLabels: [][]string{nil, nil},
			LeafNodeType: types.NodeTypeIt, LeafNodeText: text, LeafNodeLabels: labels, State: state,
			LeafNodeLocation: types.CodeLocation{FileName: "suites/runtime_specs.go", LineNumber: 10},
			StartTime:        start, EndTime: start.Add(time.Second), RunTime: time.Second,
			ReportEntries: []types.ReportEntry{{Name: reports.EvidenceEntry, Value: types.WrapEntryValue(ev),
				Visibility: types.ReportEntryVisibilityNever}},
			CapturedGinkgoWriterOutput: "  $ tool install " + s0 + "\n",
		}
		if msg != "" {
			sr.Failure = types.Failure{Message: msg, Location: sr.LeafNodeLocation, FailureNodeContext: types.FailureNodeIsLeafNode}
		}
		return sr
	}
	return types.Report{
		SuiteDescription: "CNAB conformance", StartTime: start, EndTime: start.Add(2 * time.Second),
		SpecReports: []types.SpecReport{
			spec("sets CNAB_ACTION", types.SpecStateFailed, "install: the tool exited with code 1\nstdout:\ninstalling with "+s0+"\nstderr:\n"+s1),
			spec("keeps values", types.SpecStatePassed, ""),
		},
	}
}

// forms are the ways a value can appear in the written files.
func forms(s string) []string {
	j, _ := json.Marshal(s)
	var x bytes.Buffer
	_ = xml.EscapeText(&x, []byte(s))
	return slices.Compact([]string{s, string(j[1 : len(j)-1]), html.EscapeString(s), x.String()})
}

func TestReportRunRedactsDeclaredSecrets(t *testing.T) {
	run := func(t *testing.T, e *Env) (string, Outcome) {
		dir := t.TempDir()
		cfg := NewConfig()
		cfg.ReportDir, cfg.Profiles, cfg.SpecVersion = dir, []string{ProfileRuntime}, "1.2.0"
		return dir, reportRun(&cfg, secretReport(), e)
	}
	leaks := func(t *testing.T, dir string) map[string][]string {
		found := map[string][]string{}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, de := range entries {
			data, err := os.ReadFile(filepath.Join(dir, de.Name()))
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range declaredSecrets {
				for _, f := range forms(s) {
					if bytes.Contains(data, []byte(f)) {
						found[de.Name()] = append(found[de.Name()], f)
					}
				}
			}
		}
		return found
	}

	t.Run("declared secrets are in no written file", func(t *testing.T) {
		e := &Env{}
		e.Secret(declaredSecrets...)
		dir, out := run(t, e)
		want := []string{"results.json", "junit.xml", "report.html", "summary.md", "ginkgo-report.json", "ginkgo-junit.xml"}
		for _, name := range want {
			if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
				t.Errorf("%s not written: %v", name, err)
			}
		}
		for file, what := range leaks(t, dir) {
			t.Errorf("%s shows a declared secret: %q", file, what)
		}
		for _, name := range []string{"results.json", "ginkgo-report.json", "junit.xml", "report.html"} {
			if data, _ := os.ReadFile(filepath.Join(dir, name)); !bytes.Contains(data, []byte(reports.Redacted)) {
				t.Errorf("%s has no %s marker: the evidence was dropped, not redacted", name, reports.Redacted)
			}
		}
		// The results still parse against the schema, and the Ginkgo report still decodes.
		if _, err := reports.Load(filepath.Join(dir, "results.json")); err != nil {
			t.Error(err)
		}
		var back []types.Report
		if data, err := os.ReadFile(filepath.Join(dir, "ginkgo-report.json")); err != nil || json.Unmarshal(data, &back) != nil || len(back) != 1 || len(back[0].SpecReports) != 2 {
			t.Errorf("ginkgo-report.json does not decode as a Ginkgo report: %v", err)
		}
		statuses := map[string]reports.Status{}
		for _, c := range out.Results.Checks {
			statuses[c.Name] = c.Status
		}
		if out.Passed || statuses["runtime install sets CNAB_ACTION"] != reports.StatusFail || statuses["runtime install keeps values"] != reports.StatusPass {
			t.Errorf("verdict changed by redaction: passed=%v statuses=%v", out.Passed, statuses)
		}
	})

	// The control: without the declaration the unlabelled values do show,
	// so the test above can fail.
	t.Run("undeclared values are not guessed", func(t *testing.T) {
		dir, _ := run(t, nil)
		found := leaks(t, dir)
		if len(found["results.json"]) == 0 || len(found["ginkgo-report.json"]) == 0 {
			t.Errorf("undeclared values were removed anyway (%v); the redaction test proves nothing", found)
		}
	})
}

func TestEnvSecret(t *testing.T) {
	e := &Env{}
	e.Secret("one-secret", "", "one-secret", "two-secret")
	if got := e.Secrets(); !slices.Equal(got, []string{"one-secret", "two-secret"}) {
		t.Errorf("Secrets() = %q", got)
	}

	dir := t.TempDir()
	for _, tc := range []struct {
		name, content string
		want          []string
	}{
		{"strings and objects", `{"token":"tok-abcdef","kube":{"user":"u1"},"port":8443,"on":true}`, []string{"tok-abcdef", `{"user":"u1"}`}},
		{"not JSON", `token: tok-abcdef`, nil},
		{"missing file", "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := &Env{}
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".json")
			if tc.content != "" {
				if err := os.WriteFile(path, []byte(tc.content), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			e.secretsFromFile(path)
			got := e.Secrets()
			slices.Sort(got)
			want := slices.Clone(tc.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("registered %q, want %q", got, want)
			}
		})
	}
}

// The reports Ginkgo writes for its own -ginkgo.*-report flags are
// rewritten without the secrets; JSON stays JSON.
func TestRedactFiles(t *testing.T) {
	red := reports.NewRedactor(declaredSecrets...)
	dir := t.TempDir()
	s0, s1 := declaredSecrets[0], declaredSecrets[1]
	j, _ := json.Marshal([]map[string]any{{"Output": "ran with " + s0, "Failure": s1, "RandomSeed": 1796418530123456789}})
	var x bytes.Buffer
	_ = xml.EscapeText(&x, []byte(s1))
	files := map[string]string{
		"report.json": string(j),
		"junit.xml":   `<testcase><failure message="` + x.String() + `">` + s0 + `</failure></testcase>`,
		"events.json": `{"Output":"` + s0 + `"}` + "\n" + `{"Output":"x"}` + "\n", // line-delimited: not one JSON value
	}
	var paths []string
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	if err := redactFiles(red, append(paths, "", filepath.Join(dir, "never-written.xml"))...); err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		data, _ := os.ReadFile(p)
		for _, s := range declaredSecrets {
			for _, f := range forms(s) {
				if bytes.Contains(data, []byte(f)) {
					t.Errorf("%s keeps %q:\n%s", filepath.Base(p), f, data)
				}
			}
		}
		if !bytes.Contains(data, []byte(reports.Redacted)) {
			t.Errorf("%s: nothing redacted:\n%s", filepath.Base(p), data)
		}
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "report.json")); !json.Valid(data) || !bytes.Contains(data, []byte("1796418530123456789")) {
		t.Errorf("report.json damaged:\n%s", data)
	}
}
