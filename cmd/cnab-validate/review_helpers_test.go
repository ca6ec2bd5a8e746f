package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCmd runs the cnab-validate command line in-process.
func runCmd(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = commands.Run(args, strings.NewReader(stdin), &o, &e)
	return code, o.String(), e.String()
}

// officialSchemas returns ../shared/cnab-spec/<version>/schema relative to
// the repository root, or skips the test when it is absent.
func officialSchemas(t *testing.T, version string) string {
	t.Helper()
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("repository root (go.mod) not found")
		}
		dir = parent
	}
	p := filepath.Join(dir, "..", "shared", "cnab-spec", version, "schema")
	if _, err := os.Stat(p); err != nil {
		t.Skipf("official schemas not available at ../shared/cnab-spec/%s/schema (a CI-only test oracle)", version)
	}
	return p
}

func writeTemp(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
