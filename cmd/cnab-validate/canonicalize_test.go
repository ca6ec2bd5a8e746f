package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCanonicalizeCommand(t *testing.T) {
	dir := t.TempDir()
	v11 := writeTemp(t, dir, "v11.json", "{\n  \"schemaVersion\": \"v1.1.0\",\n  \"name\": \"x\", \"size\": 1.0e2\n}\n")
	v12 := writeTemp(t, dir, "v12.json", `{"schemaVersion":"v1.2.0","b":1.50,"a":"\u00e9"}`)
	frac := writeTemp(t, dir, "frac.json", `{"schemaVersion":"v1.0.0","max":1.5}`)
	dup := writeTemp(t, dir, "dup.json", "{\"a\":1,\n\"a\":2}")
	none := writeTemp(t, dir, "none.json", `{"a":1}`)
	canon := writeTemp(t, dir, "canon.json", `{"a":1,"schemaVersion":"v1.2.0"}`)
	out := filepath.Join(dir, "out.json")
	tests := []struct {
		name       string
		args       []string
		stdin      string
		code       int
		stdout     string
		stderrPart string
	}{
		{"olpc from schemaVersion", []string{"canonicalize", v11}, "", 0, `{"name":"x","schemaVersion":"v1.1.0","size":100}`, ""},
		{"jcs from schemaVersion", []string{"canonicalize", v12}, "", 0, "{\"a\":\"\u00e9\",\"b\":1.5,\"schemaVersion\":\"v1.2.0\"}", ""},
		{"mode flag after file", []string{"canonicalize", frac, "--mode", "jcs"}, "", 0, `{"max":1.5,"schemaVersion":"v1.0.0"}`, ""},
		{"spec flag", []string{"canonicalize", "--spec", "cnab-core-1.2.0", "-"}, `{"b":[1, 2],"a":null}`, 0, `{"a":null,"b":[1,2]}`, ""},
		{"fraction under olpc", []string{"canonicalize", frac}, "", 1, "", "frac.json:1:33: error F-104-07"},
		{"duplicate key", []string{"canonicalize", "--mode", "olpc", dup}, "", 1, "", "dup.json:2:1: error V-04"},
		{"no schemaVersion", []string{"canonicalize", none}, "", 2, "", "give --spec or --mode"},
		{"both spec and mode", []string{"canonicalize", "--spec", "main", "--mode", "jcs", none}, "", 2, "", "not both"},
		{"bad mode", []string{"canonicalize", "--mode", "xml", none}, "", 2, "", "unknown canonical JSON mode"},
		{"missing file", []string{"canonicalize", filepath.Join(dir, "nope.json")}, "", 2, "", "no such file"},
		{"two files", []string{"canonicalize", v11, v12}, "", 2, "", "exactly one FILE"},
		{"check canonical", []string{"canonicalize", "--check", canon}, "", 0, "", ""},
		{"check not canonical", []string{"canonicalize", "--check", v12}, "", 1, "v12.json:1:3: error B-101-01", ""},
		{"too large", []string{"canonicalize", "--max-size", "4", v12}, "", 2, "", "larger than 4 bytes"},
		{"help", []string{"canonicalize", "-h"}, "", 0, "Usage: cnab-validate canonicalize", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, tc.stdin, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, stdout, stderr)
			}
			if tc.stdout != "" && !strings.Contains(stdout, tc.stdout) {
				t.Errorf("stdout = %q, want %q", stdout, tc.stdout)
			}
			if tc.stderrPart != "" && !strings.Contains(stderr, tc.stderrPart) {
				t.Errorf("stderr = %q, want it to contain %q", stderr, tc.stderrPart)
			}
		})
	}
	if code, _, stderr := runCmd(t, "", "canonicalize", "-o", out, v12); code != 0 {
		t.Fatalf("-o: exit %d: %s", code, stderr)
	}
	if b, _ := os.ReadFile(out); string(b) != "{\"a\":\"\u00e9\",\"b\":1.5,\"schemaVersion\":\"v1.2.0\"}" {
		t.Fatalf("-o wrote %q", b)
	}
}
