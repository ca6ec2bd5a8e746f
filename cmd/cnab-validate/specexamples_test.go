package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestSpecExamplesCommand(t *testing.T) {
	fixtures := filepath.Join("..", "..", "validator", "specexamples", "testdata")
	code, stdout, stderr := runCmd(t, "", "spec-examples", fixtures)
	if code != 1 {
		t.Fatalf("exit %d, want 1: %s", code, stderr)
	}
	for _, want := range []string{"101-broken.md:14:3: error V-01", "101-broken.md:26:13: error V-10", "101-broken.md:52:13: error B-101-23", "101-broken.md:60:1: error V-01", "101-broken.md:77:15: error V-04"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("missing %q in\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "400-valid.md") {
		t.Errorf("the valid fixture gave findings:\n%s", stdout)
	}
	if !strings.Contains(stderr, "14 json block(s)") {
		t.Errorf("summary: %s", stderr)
	}
	code, _, stderr = runCmd(t, "", "spec-examples", filepath.Join(fixtures, "400-valid.md"))
	if code != 0 {
		t.Fatalf("valid fixture: exit %d: %s", code, stderr)
	}
	code, stdout, _ = runCmd(t, "", "spec-examples", "--format", "json", filepath.Join(fixtures, "101-broken.md"))
	if code != 1 || !strings.Contains(stdout, `"rule": "V-04"`) && !strings.Contains(stdout, `"rule":"V-04"`) {
		t.Errorf("json (exit %d):\n%s", code, stdout)
	}
	for _, args := range [][]string{{"spec-examples"}, {"spec-examples", "nope"}, {"spec-examples", "--spec", "v9", fixtures}, {"spec-examples", "--format", "xml", fixtures}} {
		if code, _, _ := runCmd(t, "", args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}
