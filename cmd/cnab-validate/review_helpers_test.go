package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cnab-conformance/cnab-conformance/internal/testutil"
)

// runCmd runs the cnab-validate command line in-process.
func runCmd(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = commands.Run(args, strings.NewReader(stdin), &o, &e)
	return code, o.String(), e.String()
}

// officialSchemas is an official schema folder, or the test is skipped.
func officialSchemas(t *testing.T, version string) string {
	return testutil.OfficialSpec(t, version, "schema")
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
