package output

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/cnab-conformance/cnab-conformance/validator"
)

var sample = []validator.Result{
	{File: "a.json", Kind: validator.KindBundle, Findings: []validator.Finding{
		{File: "a.json", Pointer: "/invocationImages", Line: 3, Column: 5, Rule: "B-101-09", Severity: validator.Error,
			Message: "needs at least 1 item(s)", Hint: "add an image", URL: "https://github.com/cnabio/cnab-spec/blob/main/101-bundle-json.md"},
		{File: "a.json", Pointer: "/images/db/image", Line: 9, Column: 16, Rule: "B-101-18", Severity: validator.Warning,
			Message: "referenced by tag, with a comma, and 100%\nnewline"},
	}},
	{File: "b.json", Kind: validator.KindClaim},
	{File: "c.json", Findings: []validator.Finding{{File: "c.json", Rule: "V-06", Severity: validator.Error, Message: "too large"}}},
}

func render(t *testing.T, format string, failOn validator.Severity) string {
	t.Helper()
	var buf bytes.Buffer
	w, err := New(format, &buf, Options{FailOn: failOn, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range sample {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestText(t *testing.T) {
	got := render(t, "text", validator.Error)
	want := "a.json:3:5: error B-101-09: needs at least 1 item(s) (at /invocationImages)\n    hint: add an image\n" +
		"a.json:9:16: warning B-101-18: referenced by tag, with a comma, and 100%\nnewline (at /images/db/image)\n" +
		"c.json:0:0: error V-06: too large\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestJSON(t *testing.T) {
	var doc struct {
		Findings []map[string]any `json:"findings"`
	}
	if err := json.Unmarshal([]byte(render(t, "json", validator.Error)), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Findings) != 3 {
		t.Fatalf("%d findings", len(doc.Findings))
	}
	for _, k := range []string{"file", "pointer", "line", "column", "rule", "severity", "message", "hint", "url"} {
		if _, ok := doc.Findings[2][k]; !ok {
			t.Errorf("field %s missing", k)
		}
	}
	if doc.Findings[0]["severity"] != "error" || doc.Findings[1]["line"] != float64(9) {
		t.Errorf("%v", doc.Findings)
	}
	var empty bytes.Buffer
	w, _ := New("json", &empty, Options{})
	w.Flush()
	if strings.TrimSpace(empty.String()) != "{\n  \"findings\": []\n}" {
		t.Errorf("empty json output: %q", empty.String())
	}
}

func TestJUnit(t *testing.T) {
	for _, tt := range []struct {
		failOn validator.Severity
		fails  int
	}{{validator.Error, 2}, {validator.Warning, 2}, {validator.Info, 2}} {
		var doc junitSuites
		if err := xml.Unmarshal([]byte(render(t, "junit", tt.failOn)), &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Tests != 3 || doc.Failures != tt.fails || len(doc.Suites[0].Cases) != 3 {
			t.Errorf("fail-on %s: %+v", tt.failOn, doc)
		}
		if doc.Suites[0].Cases[1].Failure != nil {
			t.Error("clean file marked failed")
		}
	}
	// a file with only warnings passes at fail-on error and fails at warning
	warnOnly := validator.Result{File: "w.json", Findings: []validator.Finding{{Rule: "B-101-18", Severity: validator.Warning}}}
	for failOn, want := range map[validator.Severity]bool{validator.Error: false, validator.Warning: true} {
		j := &junitWriter{o: Options{FailOn: failOn}}
		j.Write(warnOnly)
		if got := j.cases[0].Failure != nil; got != want {
			t.Errorf("fail-on %s: failed=%v", failOn, got)
		}
	}
}

func TestSARIF(t *testing.T) {
	var log sarifLog
	if err := json.Unmarshal([]byte(render(t, "sarif", validator.Error)), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || len(log.Runs[0].Results) != 3 {
		t.Fatalf("%+v", log)
	}
	r := log.Runs[0].Results
	if r[0].Level != "error" || r[1].Level != "warning" || r[0].Locations[0].PhysicalLocation.Region.StartLine != 3 {
		t.Errorf("%+v", r)
	}
	if r[2].Locations[0].PhysicalLocation.Region != nil {
		t.Error("a whole-file finding has no region")
	}
	rules := log.Runs[0].Tool.Driver.Rules
	if len(rules) != 3 || rules[0].ID != "B-101-09" || rules[0].HelpURI == "" {
		t.Errorf("rules: %+v", rules)
	}
}

func TestGitHub(t *testing.T) {
	got := render(t, "github", validator.Error)
	lines := strings.Split(strings.TrimSpace(got), "\n")
	want := []string{
		"::error file=a.json,line=3,col=5,title=B-101-09::needs at least 1 item(s) (at /invocationImages)%0AHint: add an image",
		"::warning file=a.json,line=9,col=16,title=B-101-18::referenced by tag, with a comma, and 100%25%0Anewline (at /images/db/image)",
		"::error file=c.json,title=V-06::too large",
	}
	if len(lines) != len(want) {
		t.Fatalf("got %q", got)
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d:\n got %s\nwant %s", i, lines[i], want[i])
		}
	}
}

func TestUnknownFormat(t *testing.T) {
	if _, err := New("yaml", &bytes.Buffer{}, Options{}); err == nil || !strings.Contains(err.Error(), "text, json") {
		t.Errorf("err = %v", err)
	}
}
