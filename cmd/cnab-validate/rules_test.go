package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestRulesCommand(t *testing.T) {
	code, out, _ := runLintCLI(t, "", "rules")
	if code != 0 || !strings.Contains(out, "B-101-09") || !strings.Contains(out, "V-01") || !strings.HasPrefix(out, "ID") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	code, out, _ = runLintCLI(t, "", "rules", "--format", "json", "--prefix", "c")
	var doc struct {
		Rules []struct{ ID, Level, Section, Title string }
	}
	if code != 0 || json.Unmarshal([]byte(out), &doc) != nil || len(doc.Rules) != 13 || doc.Rules[0].ID != "C-400-01" {
		t.Fatalf("exit %d: %s", code, out)
	}
	for _, args := range [][]string{{"rules", "--format", "xml"}, {"rules", "extra"}, {"rules", "--bogus"}} {
		if code, _, _ := runLintCLI(t, "", args...); code != 2 {
			t.Errorf("%v: exit %d", args, code)
		}
	}
}
