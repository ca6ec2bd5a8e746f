package main

import (
	"strings"
	"testing"
)

func TestExplainCommand(t *testing.T) {
	code, out, _ := runLintCLI(t, "", "explain", "b-101-09")
	for _, want := range []string{"B-101-09", "level:    MUST", "versions: 1.0+", "link:     https://github.com/cnabio/cnab-spec/blob/main/101-bundle-json.md",
		"Example that breaks it:", `"invocationImages": []`, "Fix:"} {
		if !strings.Contains(out, want) {
			t.Errorf("explain output lacks %q:\n%s", want, out)
		}
	}
	if code != 0 {
		t.Errorf("exit %d", code)
	}
	code, _, errOut := runLintCLI(t, "", "explain", "B-101-99")
	if code != 2 || !strings.Contains(errOut, "did you mean B-101-") {
		t.Errorf("unknown rule: exit %d, %q", code, errOut)
	}
	if code, _, _ := runLintCLI(t, "", "explain"); code != 2 {
		t.Errorf("no rule: exit %d", code)
	}
}
