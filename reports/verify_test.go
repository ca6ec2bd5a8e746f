package reports

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func testCheckList(r Results) *CheckList {
	return &CheckList{ConformanceVersion: "0.1", Supported: []string{"0.1"}, Checks: DeclsFromResults(r)}
}

func goodProduct() Product {
	return Product{
		Vendor: "Example Corp", Name: "cnab-ref", Version: "0.1.0", Type: "tool",
		WebsiteURL: "https://example.com/", RepoURL: "https://github.com/example/cnab-ref", DocumentationURL: "https://example.com/docs",
		ContactEmail: "conformance@example.com", Profiles: []string{"smoke", "registry", "runtime"}, SpecVersion: "cnab-core-1.2.0",
	}
}

// writeSubmission writes a consistent submission for r into a new folder.
func writeSubmission(t *testing.T, r Results, p Product) string {
	t.Helper()
	dir := t.TempDir()
	if err := WriteAll(dir, r); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, ResultsFile))
	if err != nil {
		t.Fatal(err)
	}
	if p.ResultsSHA256 == "" {
		p.ResultsSHA256 = SHA256(raw)
	}
	writeProduct(t, dir, p)
	return dir
}

func writeProduct(t *testing.T, dir string, p Product) {
	t.Helper()
	b, err := yaml.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ProductFile), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// rewriteResults replaces results.json with data and records its new digest,
// as a careful forger would.
func rewriteResults(t *testing.T, dir string, data []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, ResultsFile), data, 0o644); err != nil {
		t.Fatal(err)
	}
	p := readProduct(t, dir)
	p.ResultsSHA256 = SHA256(data)
	writeProduct(t, dir, p)
}

func readProduct(t *testing.T, dir string) Product {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, ProductFile))
	if err != nil {
		t.Fatal(err)
	}
	var p Product
	if err := yaml.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

func editFile(t *testing.T, dir, name string, edit func(string) string) {
	t.Helper()
	path := filepath.Join(dir, name)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(edit(string(b))), 0o644); err != nil {
		t.Fatal(err)
	}
}

func failedIDs(v Verification) []string {
	var out []string
	for _, r := range v.Failed() {
		out = append(out, r.ID)
	}
	return out
}

func TestVerifyAcceptsGoodSubmission(t *testing.T) {
	r := passingResults()
	dir := writeSubmission(t, r, goodProduct())
	// Optional files are allowed.
	if err := os.WriteFile(filepath.Join(dir, "README.md"), []byte("# how to reproduce\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	v, err := VerifySubmission(dir, VerifyOptions{CheckList: testCheckList(r)})
	if err != nil {
		t.Fatal(err)
	}
	if !v.Verified {
		for _, r := range v.Requirements {
			if r.Status != ReqOK {
				t.Errorf("%s %s: %v", r.ID, r.Status, r.Messages)
			}
		}
	}
	if len(v.Requirements) != len(Requirements) {
		t.Errorf("%d requirement outcomes, want %d", len(v.Requirements), len(Requirements))
	}
}

func TestVerifyRejectsTamperedSubmissions(t *testing.T) {
	passing := passingResults()
	list := testCheckList(passing)
	remarshal := func(t *testing.T, r Results) []byte {
		b, err := Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct {
		name   string
		mutate func(t *testing.T, dir string)
		want   []string // exactly these requirements fail
		msg    string   // a message of the first wanted requirement contains this
	}{
		{"PRODUCT.yaml missing", func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, ProductFile)) }, []string{"R1"}, "PRODUCT.yaml is missing"},
		{"junit.xml missing", func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, JUnitFile)) }, []string{"R1"}, "junit.xml is missing"},
		{"report.html missing", func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, HTMLFile)) }, []string{"R1"}, "report.html is missing"},
		{"results.json missing", func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, ResultsFile)) }, []string{"R1"}, "results.json is missing"},
		{"unexpected file", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "e2e.log"), []byte("log"), 0o644)
		}, []string{"R2"}, "unexpected file e2e.log"},
		{"unexpected folder", func(t *testing.T, dir string) { os.Mkdir(filepath.Join(dir, "raw"), 0o755) }, []string{"R2"}, "unexpected folder raw/"},
		{"contact missing", func(t *testing.T, dir string) {
			p := readProduct(t, dir)
			p.ContactEmail = ""
			writeProduct(t, dir, p)
		}, []string{"R3"}, "lacks contact_email_address"},
		{"no profiles claimed", func(t *testing.T, dir string) {
			p := readProduct(t, dir)
			p.Profiles = nil
			writeProduct(t, dir, p)
		}, []string{"R3"}, "lacks profiles"},
		{"PRODUCT.yaml not YAML", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, ProductFile), []byte("vendor: [unclosed\n"), 0o644)
		}, []string{"R3"}, "not YAML"},
		{"relative URL", func(t *testing.T, dir string) {
			p := readProduct(t, dir)
			p.DocumentationURL = "docs/index.html"
			writeProduct(t, dir, p)
		}, []string{"R4"}, "documentation_url"},
		{"bad e-mail", func(t *testing.T, dir string) {
			p := readProduct(t, dir)
			p.ContactEmail = "Conformance Team"
			writeProduct(t, dir, p)
		}, []string{"R4"}, "e-mail"},
		{"unknown profile claimed", func(t *testing.T, dir string) {
			p := readProduct(t, dir)
			p.Profiles = append(p.Profiles, "kubernetes")
			writeProduct(t, dir, p)
		}, []string{"R4", "R9"}, `"kubernetes" is not a profile`},
		{"results.json edited after signing", func(t *testing.T, dir string) {
			editFile(t, dir, ResultsFile, func(s string) string { return s + "\n" })
		}, []string{"R5"}, "sha256"},
		{"results.json not schema-valid", func(t *testing.T, dir string) {
			b, _ := os.ReadFile(filepath.Join(dir, ResultsFile))
			rewriteResults(t, dir, bytes.Replace(b, []byte(`"status": "Pass"`), []byte(`"status": "Passed"`), 1))
		}, []string{"R6"}, "status"},
		{"unsupported conformance version", func(t *testing.T, dir string) {
			r := passing
			r.Suite.ConformanceVersion = "0.0"
			rewriteResults(t, dir, remarshal(t, r))
		}, []string{"R7"}, "conformance version 0.0"},
		{"results of another version", func(t *testing.T, dir string) {
			p := readProduct(t, dir)
			p.Version = "0.2.0"
			writeProduct(t, dir, p)
		}, []string{"R8"}, `version "0.2.0"`},
		{"results of another tool", func(t *testing.T, dir string) {
			p := readProduct(t, dir)
			p.Name = "other-tool"
			writeProduct(t, dir, p)
		}, []string{"R8"}, `"other-tool"`},
		{"claimed profile not run", func(t *testing.T, dir string) {
			p := readProduct(t, dir)
			p.Profiles = append(p.Profiles, "archive")
			writeProduct(t, dir, p)
		}, []string{"R9"}, "archive was not selected"},
		{"MUST check filtered out of the run", func(t *testing.T, dir string) {
			r := passing
			r.Checks = slices.DeleteFunc(slices.Clone(r.Checks), func(c Check) bool { return strings.Contains(c.Name, "reports the digest") })
			r.Finish()
			if err := WriteAll(dir, r); err != nil {
				t.Fatal(err)
			}
			rewriteResults(t, dir, remarshal(t, r))
		}, []string{"R10"}, "reports the digest"},
		{"MUST check skipped", func(t *testing.T, dir string) {
			r := passing
			r.Checks = slices.Clone(r.Checks)
			r.Checks[1].Status, r.Checks[1].Reason = StatusSkip, "tool does not declare push"
			r.Finish()
			if err := WriteAll(dir, r); err != nil {
				t.Fatal(err)
			}
			rewriteResults(t, dir, remarshal(t, r))
		}, []string{"R11", "R12"}, "Skip check"},
		{"applicable MUST check marked NotApplicable", func(t *testing.T, dir string) {
			r := passing
			r.Checks = slices.Clone(r.Checks)
			i := slices.IndexFunc(r.Checks, func(c Check) bool { return strings.Contains(c.Name, "reports the digest") })
			r.Checks[i].Status, r.Checks[i].Reason = StatusNotApplicable, "does not apply to spec version 1.2.0"
			r.Finish()
			if err := WriteAll(dir, r); err != nil {
				t.Fatal(err)
			}
			rewriteResults(t, dir, remarshal(t, r))
		}, []string{"R11"}, "its rule holds in spec version"},
		{"verdict edited to certified", func(t *testing.T, dir string) {
			r := passing
			r.Checks = slices.Clone(r.Checks)
			r.Checks[1].Status = StatusFail
			r.Checks[1].Failure = &Failure{Message: "index pushed first"}
			r.Totals.Pass, r.Totals.Fail = r.Totals.Pass-1, r.Totals.Fail+1 // verdicts left claiming certified
			if err := WriteAll(dir, r); err != nil {
				t.Fatal(err)
			}
			rewriteResults(t, dir, remarshal(t, r))
		}, []string{"R11", "R12"}, "index pushed first"},
		{"suite error", func(t *testing.T, dir string) {
			r := passing
			r.SuiteErrors = []SuiteError{{Node: "AfterSuite", Message: "leak check: 1 container left behind"}}
			r.Finish()
			if err := WriteAll(dir, r); err != nil {
				t.Fatal(err)
			}
			rewriteResults(t, dir, remarshal(t, r))
		}, []string{"R11", "R12"}, "leak check"},
		{"junit.xml disagrees", func(t *testing.T, dir string) {
			r := passing
			r.Checks = slices.Clone(r.Checks)
			r.Checks[0].Status, r.Checks[0].Failure = StatusFail, &Failure{Message: "x"}
			var buf bytes.Buffer
			if err := WriteJUnit(&buf, r); err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(dir, JUnitFile), buf.Bytes(), 0o644)
		}, []string{"R13"}, "is Pass in results.json but Fail in junit.xml"},
		{"junit.xml of another run", func(t *testing.T, dir string) {
			editFile(t, dir, JUnitFile, func(s string) string {
				return strings.ReplaceAll(s, `name="runId" value="`+passing.RunID, `name="runId" value="0000aaaa0000aaaa`)
			})
		}, []string{"R13"}, "from run 0000aaaa0000aaaa"},
		{"junit.xml not XML", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, JUnitFile), []byte("<testsuites><testsuite>"), 0o644)
		}, []string{"R13"}, "junit.xml"},
		{"report.html of another run", func(t *testing.T, dir string) {
			editFile(t, dir, HTMLFile, func(s string) string { return strings.ReplaceAll(s, passing.RunID, "0000aaaa0000aaaa") })
		}, []string{"R14"}, "from run 0000aaaa0000aaaa"},
		{"report.html loads a script", func(t *testing.T, dir string) {
			editFile(t, dir, HTMLFile, func(s string) string {
				return strings.Replace(s, "</head>", `<script src="https://cdn.example.com/x.js"></script></head>`, 1)
			})
		}, []string{"R14"}, "not self-contained"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeSubmission(t, passing, goodProduct())
			tt.mutate(t, dir)
			v, err := VerifySubmission(dir, VerifyOptions{CheckList: list})
			if err != nil {
				t.Fatal(err)
			}
			if v.Verified {
				t.Fatal("tampered submission verified")
			}
			if got := failedIDs(v); !slices.Equal(got, tt.want) {
				for _, r := range v.Failed() {
					t.Logf("%s: %v", r.ID, r.Messages)
				}
				t.Fatalf("failed requirements %v, want %v", got, tt.want)
			}
			first := v.Failed()[0]
			if !strings.Contains(strings.Join(first.Messages, "\n"), tt.msg) {
				t.Errorf("%s messages %q lack %q", first.ID, first.Messages, tt.msg)
			}
		})
	}
}

func TestVerifyMissingResultsMarksDependentsNotChecked(t *testing.T) {
	r := passingResults()
	dir := writeSubmission(t, r, goodProduct())
	os.Remove(filepath.Join(dir, ResultsFile))
	v, err := VerifySubmission(dir, VerifyOptions{CheckList: testCheckList(r)})
	if err != nil {
		t.Fatal(err)
	}
	for _, rr := range v.Requirements {
		if slices.Contains([]string{"R6", "R10", "R13", "R14"}, rr.ID) && rr.Status != ReqNotChecked {
			t.Errorf("%s is %q, want %q", rr.ID, rr.Status, ReqNotChecked)
		}
	}
}

func TestVerifyNotADirectory(t *testing.T) {
	if _, err := VerifySubmission(filepath.Join(t.TempDir(), "nope"), VerifyOptions{}); err == nil {
		t.Error("missing folder accepted")
	}
}

func TestProductTemplate(t *testing.T) {
	r := syntheticResults()
	raw, _ := Marshal(r)
	var p Product
	if err := yaml.Unmarshal(ProductTemplate(r, raw), &p); err != nil {
		t.Fatal(err)
	}
	if p.Name != "cnab-ref" || p.ResultsSHA256 != SHA256(raw) || !slices.Equal(p.Profiles, []string{"smoke"}) {
		t.Errorf("template %+v", p)
	}
}

// VERIFY.md documents every requirement with its exact title.
func TestVerifyDocListsEveryRequirement(t *testing.T) {
	doc, err := os.ReadFile("VERIFY.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := regexp.MustCompile(`(?m)^\| (R\d+) \| (.+) \|$`).FindAllStringSubmatch(string(doc), -1)
	if len(rows) != len(Requirements) {
		t.Fatalf("VERIFY.md lists %d requirements, the verifier has %d", len(rows), len(Requirements))
	}
	for i, row := range rows {
		if row[1] != Requirements[i].ID || row[2] != Requirements[i].Title {
			t.Errorf("VERIFY.md row %d is %s %q, want %s %q", i+1, row[1], row[2], Requirements[i].ID, Requirements[i].Title)
		}
	}
}
