package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cnab-conformance/cnab-conformance/reports"
	"github.com/cnab-conformance/cnab-conformance/validator/catalog"
)

// run runs a subcommand the way main does.
func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = commands.Run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// docs/coverage.md is generated; it must say what the code says.
func TestCoverageDocIsCurrent(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "coverage.md")
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v: generate it with\n  %s", err, coverageCommand)
	}
	code, got, stderr := runCLI("rules", "--coverage", "--format", "markdown")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got != string(want) {
		t.Errorf("docs/coverage.md is stale (the rule catalogue, the validator's rules or the suite's check list changed); regenerate it from the repository root with\n  %s\n%s", coverageCommand, firstDifference(string(want), got))
	}
}

// firstDifference shows the first line that differs.
func firstDifference(file, generated string) string {
	a, b := strings.Split(file, "\n"), strings.Split(generated, "\n")
	for i := 0; i < len(a) || i < len(b); i++ {
		var x, y string
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			return fmt.Sprintf("first difference, line %d:\n  file:      %s\n  generated: %s", i+1, x, y)
		}
	}
	return ""
}

func TestRulesCommand(t *testing.T) {
	all := catalog.All()
	tests := []struct {
		name string
		args []string
		want []string // substrings of stdout
	}{
		{"text lists every rule", []string{"rules"}, []string{"RULE", all[0].ID, all[len(all)-1].ID}},
		{"coverage text has sections", []string{"rules", "--coverage", "--format", "text"}, []string{"SECTION", "total"}},
		{"coverage markdown", []string{"rules", "--coverage"}, []string{"## MUST coverage per section", "| **total** |", "## Suite checks"}},
		{"markdown", []string{"rules", "--format", "markdown"}, []string{"| Rule | Level |"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := runCLI(tt.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q", w)
				}
			}
		})
	}
}

func TestRulesCoverageJSON(t *testing.T) {
	code, out, stderr := runCLI("rules", "--coverage", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var cov reports.Coverage
	if err := json.Unmarshal([]byte(out), &cov); err != nil {
		t.Fatal(err)
	}
	if len(cov.Rules) != len(catalog.All()) {
		t.Errorf("%d rules, catalogue has %d", len(cov.Rules), len(catalog.All()))
	}
	if !cov.ValidatorKnown {
		t.Error("the validator's rule list is not used")
	}
	// Every check of the golden list is attributed to each of its rules.
	for _, c := range reports.EmbeddedCheckList().Checks {
		for _, id := range c.Rules {
			found := false
			for _, r := range cov.Rules {
				if r.ID == id {
					for _, n := range r.Checks {
						found = found || n == c.Name
					}
				}
			}
			if !found {
				t.Errorf("check %q is not listed under rule %s", c.Name, id)
			}
		}
	}
	if len(cov.UnknownRules) > 0 {
		t.Errorf("checks name rules outside the catalogue: %v", cov.UnknownRules)
	}
}

func TestRulesUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"rules", "--format", "yaml"},
		{"rules", "extra"},
		{"rules", "--no-such-flag"},
	} {
		if code, _, _ := runCLI(args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

func TestRulesOut(t *testing.T) {
	out := filepath.Join(t.TempDir(), "sub", "coverage.md")
	if code, _, stderr := runCLI("rules", "--coverage", "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil || !bytes.HasPrefix(b, []byte("# Spec coverage")) {
		t.Errorf("--out wrote %q, %v", b, err)
	}
}
