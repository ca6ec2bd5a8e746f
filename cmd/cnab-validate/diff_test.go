package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestDiffCommandAcceptance(t *testing.T) {
	tests := []struct {
		old, new string
		code     int
		pointer  string
		class    string
	}{
		{"2019-03-06-wd", "2019-03-12-wd", 0, "bundle.schema.json#/definitions/image/properties/refs", "silent-removal"},
		{"cnab-core-1.1.0", "cnab-core-1.2.0", 0, "definitions.schema.json#/properties/maximum/type", "relaxing"},
		{"cnab-core-1.1.0", "cnab-core-1.2.0", 0, "bundle.schema.json#/definitions/credential/properties/applyTo", "additive"},
		{"cnab-claims-1.0.0", "main", 1, "claim-result.schema.json#/properties/status/enum", "breaking"},
	}
	for _, tc := range tests {
		t.Run(tc.old+"->"+tc.new, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, "", "diff", "--format", "json", officialSchemas(t, tc.old), officialSchemas(t, tc.new))
			if code != tc.code {
				t.Fatalf("exit %d, want %d: %s", code, tc.code, stderr)
			}
			var rep struct {
				Changes []map[string]string `json:"changes"`
				Flips   []map[string]string `json:"flips"`
			}
			if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
				t.Fatal(err)
			}
			for _, c := range rep.Changes {
				if c["pointer"] == tc.pointer {
					if c["class"] != tc.class {
						t.Fatalf("%s is %s, want %s", tc.pointer, c["class"], tc.class)
					}
					return
				}
			}
			t.Fatalf("no change at %s in %s", tc.pointer, stdout)
		})
	}
}

// The embedded schema sets need no files, so these run everywhere.
func TestDiffCommandEmbeddedAndCorpus(t *testing.T) {
	dir := t.TempDir()
	writeTemp(t, dir, "results/old-spelling.json", `{"claimId":"01EMNRPJKMXQ0VZN8JXSR8BX5V","id":"01EMNRPJKMXQ0VZN8JXSR8BX5W","created":"2020-10-14T12:00:00Z","status":"cancelled"}`)
	writeTemp(t, dir, "results/new-spelling.json", `{"claimId":"01EMNRPJKMXQ0VZN8JXSR8BX5V","id":"01EMNRPJKMXQ0VZN8JXSR8BX5W","created":"2020-10-14T12:00:00Z","status":"canceled"}`)
	writeTemp(t, dir, "results/both.json", `{"claimId":"01EMNRPJKMXQ0VZN8JXSR8BX5V","id":"01EMNRPJKMXQ0VZN8JXSR8BX5W","created":"2020-10-14T12:00:00Z","status":"succeeded"}`)
	writeTemp(t, dir, "bundles/number.json", `{"schemaVersion":"v1.1.0","name":"ratio","version":"1.0.0","invocationImages":[{"image":"example.com/ratio/installer:1.0.0"}],"definitions":{"ratio":{"type":"number"}}}`)
	code, stdout, stderr := runCmd(t, "", "diff", "cnab-claims-1.0.0", "main", "--corpus", dir, "--format", "json")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (breaking): %s", code, stderr)
	}
	var rep struct {
		Flips []map[string]string `json:"flips"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	// The status enum change is breaking for the schemas, but the validator
	// accepts either spelling with a BC-43 warning, so the claim results
	// keep their verdict; the number type (1.1 definitions forbid it, main
	// allows it) flips a bundle the other way.
	want := map[string][2]string{
		"bundles/number.json": {"invalid", "valid"},
	}
	if len(rep.Flips) != len(want) {
		t.Fatalf("flips = %v", rep.Flips)
	}
	for _, f := range rep.Flips {
		w, ok := want[f["file"]]
		if !ok || f["before"] != w[0] || f["after"] != w[1] || f["rule"] == "" {
			t.Errorf("flip %v", f)
		}
	}

	code, stdout, _ = runCmd(t, "", "diff", "cnab-claims-1.0.0", "main", "--format", "markdown")
	if code != 1 || !strings.Contains(stdout, "| breaking | `claim-result.schema.json#/properties/status/enum` |") {
		t.Errorf("markdown (exit %d):\n%s", code, stdout)
	}
	code, stdout, _ = runCmd(t, "", "diff", "cnab-core-1.1.0", "cnab-core-1.2.0")
	if code != 0 || !strings.Contains(stdout, "0 breaking") {
		t.Errorf("1.1 -> 1.2 text (exit %d):\n%s", code, stdout)
	}
	code, stdout, _ = runCmd(t, "", "diff", "main", "main")
	if code != 0 || !strings.Contains(stdout, "0 change(s)") {
		t.Errorf("main -> main (exit %d):\n%s", code, stdout)
	}
}

func TestDiffCommandFailOnSilentRemoval(t *testing.T) {
	old, new := officialSchemas(t, "2019-03-06-wd"), officialSchemas(t, "2019-03-12-wd")
	if code, _, stderr := runCmd(t, "", "diff", old, new); code != 0 {
		t.Fatalf("default: exit %d, want 0 (no breaking change): %s", code, stderr)
	}
	if code, _, stderr := runCmd(t, "", "diff", "--fail-on", "silent-removal", old, new); code != 1 {
		t.Fatalf("--fail-on silent-removal: exit %d, want 1: %s", code, stderr)
	}
}

func TestDiffCommandBadInput(t *testing.T) {
	dir := t.TempDir()
	empty := t.TempDir()
	writeTemp(t, dir, "bundle.schema.json", `{`)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"one side", []string{"diff", "main"}, "exactly two"},
		{"unknown version", []string{"diff", "main", "cnab-core-9"}, "neither a folder nor a known spec version"},
		{"broken schema", []string{"diff", "main", dir}, "not JSON"},
		{"empty folder", []string{"diff", empty, "main"}, "no *.json"},
		{"bad format", []string{"diff", "main", "main", "--format", "xml"}, "unknown format"},
		{"corpus not a folder", []string{"diff", "main", "main", "--corpus", "nope"}, "not a folder"},
		{"bad flag", []string{"diff", "--frobnicate", "main", "main"}, "flag provided but not defined"},
		{"bad fail-on", []string{"diff", "--fail-on", "minor", "main", "main"}, "unknown change class"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCmd(t, "", tc.args...)
			if code != 2 || !strings.Contains(stderr, tc.want) {
				t.Fatalf("exit %d, stderr %q; want 2 and %q", code, stderr, tc.want)
			}
		})
	}
}
