package reports

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func render(t *testing.T, r Results, format, profile string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, r, format, profile); err != nil {
		t.Fatalf("render %s: %v", format, err)
	}
	return buf.Bytes()
}

func TestGoldenFiles(t *testing.T) {
	mixed, passing := syntheticResults(), passingResults()
	tests := []struct {
		file, format, profile string
		r                     Results
	}{
		{"results.json", "json", "", mixed},
		{"junit.xml", "junit", "", mixed},
		{"report.html", "html", "", mixed},
		{"summary.md", "markdown", "", mixed},
		{"badge-smoke.svg", "badge", "smoke", mixed},
		{"badge-registry.svg", "badge", "registry", mixed},
		{"badge-archive.svg", "badge", "archive", mixed},
		{"passing-summary.md", "markdown", "", passing},
		{"passing-report.html", "html", "", passing},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) { golden(t, tt.file, render(t, tt.r, tt.format, tt.profile)) })
	}
}

func TestResultsRoundTrip(t *testing.T) {
	r := syntheticResults()
	data := render(t, r, "json", "")
	back, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Marshal(back)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, again) {
		t.Errorf("results.json changes on a round trip:\n%s", firstDiff(string(data), string(again)))
	}
}

func TestJUnit(t *testing.T) {
	r := syntheticResults()
	j, err := ParseJUnit(render(t, r, "junit", ""))
	if err != nil {
		t.Fatal(err)
	}
	if j.Tests != len(r.Checks) || j.Failures != 2 || j.Errors != 2 || j.Skipped != 4 || j.Disabled != 1 {
		t.Errorf("totals tests=%d failures=%d errors=%d skipped=%d disabled=%d", j.Tests, j.Failures, j.Errors, j.Skipped, j.Disabled)
	}
	var suites []string
	byName := map[string]JUnitTestCase{}
	for _, ts := range j.TestSuites {
		suites = append(suites, ts.Name)
		for _, tc := range ts.TestCases {
			byName[tc.Name] = tc
		}
	}
	if !slices.Equal(suites, []string{"smoke", "registry", "runtime", "archive"}) {
		t.Errorf("testsuites %v", suites)
	}
	for _, c := range r.Checks {
		tc, ok := byName[c.Name]
		if !ok {
			t.Errorf("no testcase %q", c.Name)
			continue
		}
		if tc.CaseStatus() != c.Status {
			t.Errorf("%s: junit status %s, results %s", c.Name, tc.CaseStatus(), c.Status)
		}
		wantElem := c.Status
		if wantElem == StatusDisabled || wantElem == StatusNotApplicable {
			wantElem = StatusSkip
		}
		if tc.ElementStatus() != wantElem {
			t.Errorf("%s: elements say %s, want %s", c.Name, tc.ElementStatus(), wantElem)
		}
		var rules []string
		for _, p := range tc.Properties {
			if p.Name == "rule" {
				rules = append(rules, p.Value)
			}
		}
		if !slices.Equal(rules, c.Rules) {
			t.Errorf("%s: rule properties %v, want %v", c.Name, rules, c.Rules)
		}
		// Stable names: no labels, no node types.
		if strings.Contains(tc.Name, "[It]") || strings.Contains(tc.Name, "profile:") || strings.Contains(tc.Name, "level:") {
			t.Errorf("unstable testcase name %q", tc.Name)
		}
	}
}

func TestJUnitSuiteErrors(t *testing.T) {
	r := passingResults()
	r.SuiteErrors = []SuiteError{{Node: "AfterSuite", Message: "leak check: 1 container left\ncnabconf-x", Location: "suites/env.go:10"}}
	r.Finish()
	j, err := ParseJUnit(render(t, r, "junit", ""))
	if err != nil {
		t.Fatal(err)
	}
	last := j.TestSuites[len(j.TestSuites)-1]
	if last.Name != "suite" || last.Errors != 1 || last.TestCases[0].Error == nil || !strings.Contains(last.TestCases[0].Error.Body, "cnabconf-x") {
		t.Errorf("suite errors not in junit: %+v", last)
	}
	if j.Errors != 1 {
		t.Errorf("root errors %d", j.Errors)
	}
}

func TestHTMLIsSelfContained(t *testing.T) {
	for _, r := range []Results{syntheticResults(), passingResults()} {
		page := string(render(t, r, "html", ""))
		for _, bad := range []*regexp.Regexp{
			regexp.MustCompile(`(?i)<script`),
			regexp.MustCompile(`(?i)<link[^>]+stylesheet`),
			regexp.MustCompile(`(?i)\s(src)=["']?https?:`),
			regexp.MustCompile(`(?i)url\(\s*["']?https?:`),
			regexp.MustCompile(`(?i)@import`),
		} {
			if bad.MatchString(page) {
				t.Errorf("report.html refers to an external asset or script: %s", bad.FindString(page))
			}
		}
		if !strings.Contains(page, `<meta name="cnab-conformance-run" content="`+r.RunID+`">`) {
			t.Error("report.html lacks the run ID meta element")
		}
		for _, c := range r.Checks {
			if !strings.Contains(page, htmlEscape(c.Name)) {
				t.Errorf("report.html lacks check %q", c.Name)
			}
		}
	}
}

func TestHTMLEscapes(t *testing.T) {
	r := passingResults()
	r.Checks[0].Name = `<img src=x onerror=alert(1)>`
	r.Tool.Name = `<b>tool</b>`
	page := string(render(t, r, "html", ""))
	if strings.Contains(page, "<img src=x") || strings.Contains(page, "<b>tool</b>") {
		t.Error("report.html does not escape check names or tool names")
	}
}

func htmlEscape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

func TestMarkdownLimits(t *testing.T) {
	r := passingResults()
	base := r.Checks[0]
	r.Checks = nil
	for i := range MarkdownLimit + 7 {
		c := base
		c.Name = "check " + itoa(i) + " | with a pipe\nand a newline"
		c.Status = StatusFail
		c.Failure = &Failure{Message: "boom"}
		r.Checks = append(r.Checks, c)
	}
	r.Finish()
	md := string(render(t, r, "markdown", ""))
	if !strings.Contains(md, "... and 7 more") {
		t.Error("summary.md does not cap the failing list")
	}
	if strings.Contains(md, "with a pipe\n") || strings.Contains(md, " | with") {
		t.Error("summary.md lets free text break its layout")
	}
	if !strings.Contains(md, ": NOT CERTIFIED") {
		t.Error("summary.md headline lacks the verdict")
	}
}

func TestBadge(t *testing.T) {
	r := syntheticResults()
	tests := []struct{ profile, word, colour string }{
		{"smoke", "certified", badgeGreen},
		{"registry", "not certified", badgeRed},
		{"archive", "not run", badgeGrey},
	}
	for _, tt := range tests {
		svg := string(render(t, r, "badge", tt.profile))
		if !strings.Contains(svg, ">"+tt.word+"</text>") || !strings.Contains(svg, tt.colour) {
			t.Errorf("%s badge: want %q in %s", tt.profile, tt.word, tt.colour)
		}
		if err := xml.Unmarshal([]byte(svg), new(struct{})); err != nil {
			t.Errorf("%s badge is not XML: %v", tt.profile, err)
		}
	}
	var buf bytes.Buffer
	if err := Render(&buf, r, "badge", ""); err == nil {
		t.Error("badge without a profile accepted")
	}
	if err := Render(&buf, r, "pdf", ""); err == nil {
		t.Error("unknown format accepted")
	}
}

func TestWriteAll(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "out")
	r := syntheticResults()
	if err := WriteAll(dir, r); err != nil {
		t.Fatal(err)
	}
	want := []string{"badge-registry.svg", "badge-runtime.svg", "badge-smoke.svg", "junit.xml", "report.html", "results.json", "summary.md"}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if !slices.Equal(got, want) {
		t.Errorf("files %v, want %v", got, want)
	}
	back, err := Load(filepath.Join(dir, ResultsFile))
	if err != nil {
		t.Fatal(err)
	}
	if back.RunID != r.RunID || len(back.Checks) != len(r.Checks) {
		t.Error("results.json does not read back")
	}
}

func TestWriteAllReportsUnwritableDir(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteAll(filepath.Join(file, "sub"), syntheticResults()); err == nil {
		t.Error("WriteAll into a path under a file succeeded")
	}
}
